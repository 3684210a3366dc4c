"""The complaint register export through the Python bindings (docs/reporting.md, "Export"),
against the real libcomplaints: the CSV opens in the csv module with the expected rows and columns,
commas, quotes and newlines inside values included.

Run from the repository root:  python3 -m unittest discover -s bindings/python/tests
"""

import csv
import io
import json
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

import complaints  # noqa: E402
from complaints import Actor, Desk, Forbidden, InvalidInput  # noqa: E402

START = "2026-01-05T09:00:00Z"
DESCRIPTIONS = [
    'Scratched the bench, "badly"\nand the oven door.',
    "Late, twice; then\r\nlate again",
    "Plain",
    "Café door left open — ünïcode",
]


class ExportTest(unittest.TestCase):
    """A memory desk with two bookings and four issues whose descriptions need quoting."""

    def setUp(self):
        self.desk = Desk.open_memory(clock=START)
        self.admin = Actor("admin-1", "admin", complaints.PERMISSIONS)
        self.office = Actor("office-1", "office")
        self.desk.put_record(self.admin, kind="booking", id="B-1", customer_id="cust-1",
                             fieldworkers=["fw-1", "fw,2"])
        self.desk.put_record(self.admin, kind="booking", id="B-2", customer_id="cust-2", fieldworkers=["fw-3"])
        self.codes = [self.desk.report(self.office, record=("booking", "B-1" if i % 2 == 0 else "B-2"),
                                       type="Other", description=d)["code"]
                      for i, d in enumerate(DESCRIPTIONS)]
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.desk.close()
        self.admin.close()
        self.office.close()
        self.tmp.cleanup()

    def test_the_csv_opens_in_the_csv_module_with_the_expected_rows_and_columns(self):
        path = os.path.join(self.tmp.name, "register.csv")
        summary = self.desk.export_file(self.office, path, page_issues=3)
        self.assertEqual(summary["rows"], 4)
        self.assertFalse(os.path.exists(path + ".partial"))
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        header, body = rows[0], rows[1:]
        self.assertEqual(header, summary["columns"])
        self.assertEqual(header[:8], ["code", "number", "record_kind", "record_id", "customer_id", "fieldworkers",
                                      "type", "description"])
        self.assertIn("sla.acknowledgement.state", header)
        self.assertEqual(len(body), 4)
        for row in body:
            self.assertEqual(len(row), len(header))
        by_name = [dict(zip(header, row)) for row in body]
        self.assertEqual([r["code"] for r in by_name], self.codes)
        self.assertEqual([r["description"] for r in by_name], DESCRIPTIONS)
        self.assertEqual(by_name[0]["fieldworkers"], "fw-1\nfw,2")
        self.assertEqual(by_name[0]["status"], "New")
        self.assertEqual(by_name[0]["created_at"], "2026-01-05T09:00:00.000Z")
        self.assertEqual(by_name[0]["resolution"], "")
        # RFC 4180 line ends between records; the bytes are UTF-8 without a BOM.
        with open(path, "rb") as f:
            raw = f.read()
        self.assertTrue(raw.startswith(b"code,number,"))
        self.assertTrue(raw.endswith(b"\r\n"))
        self.assertIn("Café".encode("utf-8"), raw)

    def test_json_lines_come_through_the_callback_a_page_at_a_time(self):
        chunks = []
        summary = self.desk.export_issues(self.office, chunks.append, format="json_lines", page_issues=3)
        self.assertEqual(len(chunks), 2)
        lines = [json.loads(line) for line in b"".join(chunks).decode("utf-8").splitlines()]
        self.assertEqual([line["description"] for line in lines], DESCRIPTIONS)
        self.assertEqual(lines[0]["fieldworkers"], ["fw-1", "fw,2"])
        self.assertIsNone(lines[0]["resolution"])
        self.assertEqual(summary["last_number"], 4)

    def test_a_filter_and_a_resumed_export(self):
        out = io.BytesIO()
        self.desk.export_issues(self.office, out.write, {"record": {"kind": "booking", "id": "B-1"}},
                                after_number=1)
        rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8"), newline="")))
        self.assertEqual([r[0] for r in rows[1:]], [self.codes[2]])

    def test_only_staff_export_and_bad_options_name_the_field(self):
        fw = Actor("fw-1", "fieldworker")
        try:
            with self.assertRaises(Forbidden):
                self.desk.export_issues(fw, lambda chunk: None)
        finally:
            fw.close()
        with self.assertRaises(InvalidInput) as caught:
            self.desk.export_issues(self.office, lambda chunk: None, format="xlsx")
        self.assertEqual(caught.exception.where, "format")
        with self.assertRaises(InvalidInput) as caught:
            self.desk.export_issues(self.office, lambda chunk: None, page_issues=0)
        self.assertEqual(caught.exception.where, "page_issues")
        path = os.path.join(self.tmp.name, "missing-dir", "register.csv")
        with self.assertRaises(InvalidInput) as caught:
            self.desk.export_file(self.office, path)
        self.assertEqual(caught.exception.where, "path")

    def test_an_exception_in_the_sink_stops_the_export_and_is_raised(self):
        calls = []

        def sink(chunk):
            calls.append(chunk)
            raise KeyError("disk full")

        with self.assertRaises(KeyError):
            self.desk.export_issues(self.office, sink, page_issues=1)
        self.assertEqual(len(calls), 1)
        # A failed export to a file leaves an existing file as it was.
        path = os.path.join(self.tmp.name, "register.csv")
        with open(path, "w") as f:
            f.write("before")
        with self.assertRaises(InvalidInput):
            self.desk.export_file(self.office, path, status="")
        with open(path) as f:
            self.assertEqual(f.read(), "before")
        self.assertFalse(os.path.exists(path + ".partial"))


if __name__ == "__main__":
    unittest.main()
