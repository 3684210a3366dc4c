"""Dashboards through the Python bindings (docs/reporting.md, "Dashboards"), against the real
libcomplaints: the figures of a small history, a repeat, a bad option and a refused customer.

Run from the repository root:  python3 -m unittest discover -s bindings/python/tests
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

import complaints  # noqa: E402
from complaints import Actor, Desk, Forbidden, InvalidInput  # noqa: E402


class DashboardTest(unittest.TestCase):
    def setUp(self):
        self.desk = Desk.open_memory(clock="2026-01-05T09:00:00Z")
        self.admin = Actor("admin-1", "admin", complaints.PERMISSIONS)
        self.office = Actor("office-1", "office")
        self.customer = Actor("cust-1", "customer")
        self.desk.put_record(self.admin, kind="booking", id="B-1", customer_id="cust-1", fieldworkers=["fw-1"])
        for text in ("Scratched the bench", "Late again"):
            self.desk.report(self.office, record=("booking", "B-1"), type="Other", description=text)

    def tearDown(self):
        self.desk.close()
        for a in (self.admin, self.office, self.customer):
            a.close()

    def test_the_figures_of_a_small_history(self):
        d = self.desk.dashboard(self.office, "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z")
        self.assertEqual(d["issues"], 2)
        self.assertEqual(d["repeats"], 1)
        self.assertEqual(d["top_types"], [{"name": "Other", "issues": 2}])
        self.assertEqual([c["name"] for c in d["by_category"]], ["open", "active", "pending", "resolved", "closed"])
        self.assertEqual(d["holds"]["withheld"], 1)  # field-service withholds fw-1's payout on report
        self.assertEqual(self.desk.dashboard(self.office, "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z",
                                             type="Damage Caused")["issues"], 0)

    def test_bad_options_and_customers_are_refused(self):
        with self.assertRaises(InvalidInput) as caught:
            self.desk.dashboard(self.office, "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z", top=0)
        self.assertEqual(caught.exception.where, "top")
        with self.assertRaises(Forbidden):
            self.desk.dashboard(self.customer, "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z")


if __name__ == "__main__":
    unittest.main()
