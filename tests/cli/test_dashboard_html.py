"""`complaints dashboard` and its HTML page, against a database seeded through the Python binding.

Run by CTest (tests/cli/CMakeLists.txt) as
    COMPLAINTS_LIBRARY=libcomplaints.so python3 test_dashboard_html.py PATH/TO/complaints
Standard library only. The binding seeds the database in a child process (this script with
--seed), so that in a sanitizer build only that child preloads the sanitizer's runtime
($COMPLAINTS_TEST_PRELOAD) and leak checks stay on for the CLI. The page must parse as XML and as HTML, carry no script and
nothing fetched from elsewhere, escape every name from the database, and its numbers
must be the dashboard JSON's.
"""

import html
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bindings", "python"))


CLI = None  # set from the command line
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(\"x\")</script> & 'q' ]]> &amp;"
FROM, TO = "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"
NOW = "2026-03-12T09:00:00Z"


def seed(path):
    """A month of complaints: two types and a hostile one, several statuses, resolved ones,
    an SLA met and breached, holds with amounts on two fieldworkers (and a hostile one).
    Returns the withheld holds, as the binding lists them."""
    import complaints
    from complaints import Actor, Desk

    d = Desk.open_sqlite(path, clock="2026-02-16T09:00:00Z")
    admin = Actor("admin-1", "admin", complaints.PERMISSIONS)
    tech = Actor("fw-2", "fieldworker")
    try:
        d.add_issue_type(admin, name=HOSTILE, colour="#112233")
        d.add_status(admin, "field-service", name=HOSTILE, colour="#332211", category="active")
        d.put_record(admin, kind="booking", id="B-1", customer_id="c-1", fieldworkers=["fw-1", HOSTILE])
        d.put_record(admin, kind="booking", id="B-2", customer_id="c-2", fieldworkers=["fw-2"])
        d.put_record(admin, kind="booking", id="B-3", customer_id="c-1", fieldworkers=["fw-1"])
        # Before the period: counted nowhere but as the earlier complaint of a repeat.
        d.report(admin, record=("booking", "B-2"), type="Late Service", description="late in February")

        def at(instant):
            d.set_clock(instant)

        at("2026-03-02T09:00:00Z")
        hostile = d.report(admin, record=("booking", "B-1"), type=HOSTILE, description="hostile")["code"]
        damage = d.report(admin, record=("booking", "B-1"), type="Damage Caused", description="scratch")["code"]
        at("2026-03-02T10:00:00Z")
        d.act(admin, hostile, "change_status", {"status": HOSTILE})
        d.act(admin, damage, "convert_to_in_progress")
        late = d.report(admin, record=("booking", "B-2"), type="Late Service", description="late again")["code"]
        at("2026-03-02T11:00:00Z")
        d.report(admin, record=("booking", "B-2"), type="Late Service", description="never acknowledged")
        resolved_by_tech = d.report(admin, record=("booking", "B-2"), type="Damage Caused", description="dent")["code"]
        at("2026-03-02T14:00:00Z")
        d.act(admin, late, "close")
        d.act(tech, resolved_by_tech, "resolve", {"note": "fixed"})
        at("2026-03-04T09:00:00Z")
        d.act(admin, damage, "close")
        at("2026-03-11T12:00:00Z")
        d.act(admin, resolved_by_tech, "approve")
        d.withhold_payment(admin, record=("booking", "B-1"), fieldworker="fw-1",
                           amount={"minor": 18000, "currency": "AUD"}, reason="damage")
        d.withhold_payment(admin, record=("booking", "B-3"), fieldworker="fw-1",
                           amount={"minor": 2550, "currency": "AUD"}, reason="by hand")
        d.withhold_payment(admin, record=("booking", "B-2"), fieldworker="fw-2",
                           amount={"minor": 500, "currency": "EUR"}, reason="late")
        at(NOW)
        holds = d.holds(admin, state="withheld", limit=100000)
    finally:
        d.close()
        admin.close()
        tech.close()
    return holds


def seed_in_child(db, holds_path):
    """seed() in a child process; returns the withheld holds it wrote to holds_path."""
    env = dict(os.environ)
    preload = env.get("COMPLAINTS_TEST_PRELOAD")
    if preload:
        # The Python interpreter's own allocations are not this test's to check for leaks.
        env["LD_PRELOAD"] = preload
        env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":detect_leaks=0"  # the last setting wins
    p = subprocess.run([sys.executable, os.path.abspath(__file__), "--seed", db, holds_path], env=env,
                       capture_output=True, text=True, timeout=300, check=False)
    assert p.returncode == 0, p.stderr
    with open(holds_path, encoding="utf-8") as f:
        return json.load(f)


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120, check=False)


class StrictHTML(html.parser.HTMLParser):
    """Fails on what html.parser lets pass: an end tag that closes no open element, an element left open."""

    VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "area", "base", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tags, self.attrs = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def close(self):
        super().close()
        if self.stack:
            self.errors.append(f"left open: {self.stack}")


class DashboardPage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="complaints-dashboard-")
        cls.db = os.path.join(cls.dir, "seeded.db")
        cls.holds = seed_in_child(cls.db, os.path.join(cls.dir, "holds.json"))
        cls.base = ["--db", cls.db, "--clock", NOW, "--no-progress"]
        p = run(*cls.base, "--json", "dashboard", "--from", FROM, "--to", TO)
        assert p.returncode == 0, p.stderr
        cls.doc = json.loads(p.stdout)
        cls.page_path = os.path.join(cls.dir, "out.html")
        p = run(*cls.base, "dashboard", "--from", FROM, "--to", TO, "--html", cls.page_path)
        assert p.returncode == 0, p.stderr
        cls.table = p.stdout
        with open(cls.page_path, encoding="utf-8") as f:
            cls.page = f.read()
        cls.root = ET.fromstring(cls.page)
        cls.figures = {}
        for el in cls.root.iter():
            figure = el.get("data-figure")
            if figure is None:
                continue
            key = el.get("data-index") or el.get("data-key")
            if el.get("data-part"):
                key = (key, el.get("data-part"))
            cls.assert_once(cls.figures.setdefault(figure, {}), key, el)

    @staticmethod
    def assert_once(figure, key, el):
        assert key not in figure, f"{key!r} drawn twice"
        figure[key] = el

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def values(self, figure):
        return {k: int(el.get("data-value")) for k, el in self.figures.get(figure, {}).items()}

    def test_the_seeded_history_is_what_the_dashboard_counts(self):
        d = self.doc
        self.assertEqual(d["issues"], 5)
        self.assertEqual(d["resolved"], 3)
        self.assertEqual(d["repeats"], 4)  # B-1 once, B-2 three times (one after February's)
        self.assertEqual(d["resolution_buckets"], [1, 1, 0, 1, 0, 0])
        self.assertEqual(d["slas"][0]["policy"], "acknowledgement")
        self.assertGreater(d["slas"][0]["met"], 0)
        self.assertGreater(d["slas"][0]["breached"], 0)
        self.assertEqual({h["fieldworker"] for h in self.holds}, {"fw-1", "fw-2", HOSTILE})

    def test_the_page_is_well_formed_xml_and_html(self):
        self.assertTrue(self.page.startswith("<!DOCTYPE html>\n"))
        self.assertEqual(self.root.tag, "html")
        self.assertIsNotNone(self.root.find("./head/meta[@charset='utf-8']"))
        parser = StrictHTML()
        parser.feed(self.page)
        parser.close()
        self.assertEqual(parser.errors, [])
        svgs = [el for el in self.root.iter() if el.tag.endswith("svg")]
        self.assertGreaterEqual(len(svgs), 5)
        for el in svgs:
            self.assertEqual(el.tag, SVG + "svg", "an <svg> without the SVG namespace")
        for el in self.root.find("body").iter():
            if el.tag in ("rect", "text", "g", "title"):
                self.fail(f"<{el.tag}> outside an <svg>")

    def test_the_page_runs_and_fetches_nothing(self):
        parser = StrictHTML()
        parser.feed(self.page)
        parser.close()
        self.assertNotIn("script", parser.tags)
        self.assertFalse([t for t in parser.tags if t in ("link", "img", "iframe", "object", "embed")])
        for name, value in parser.attrs:
            if name in ("src", "href", "xlink:href", "style"):
                self.assertNotRegex(value or "", r"(?i)(https?:|//)", f"{name}={value}")
        self.assertNotRegex(self.page, r"(?i)url\(|@import|@font-face")
        self.assertNotIn("<script", self.page.lower())
        outside_namespaces = self.page.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
            'xmlns:xlink="http://www.w3.org/1999/xlink"', "")
        self.assertNotRegex(outside_namespaces, r"https?://")

    def test_every_bar_carries_the_figure_of_the_json(self):
        d = self.doc
        for figure in ("by_status", "by_type", "by_category"):
            self.assertEqual(self.values(figure), {c["name"]: c["issues"] for c in d[figure]}, figure)
        self.assertEqual(self.values("resolution_buckets"), {str(i): n for i, n in enumerate(d["resolution_buckets"])})
        expected = {}
        for s in d["slas"]:
            expected[s["policy"]] = s["met"] + s["breached"] + s["at_risk"] + s["running"]
            for part in ("met", "breached", "at_risk", "running"):
                expected[(s["policy"], part)] = s[part]
        self.assertEqual(self.values("slas"), expected)
        self.assertEqual(self.values("totals"), {k: d[k] for k in ("issues", "resolved", "active", "escalated",
                                                                   "repeats")})
        self.assertEqual(self.values("resolution"), d["resolution"])
        h = d["holds"]
        self.assertEqual(self.values("holds"), {k: h[k] for k in ("withheld", "without_amount", "stalled")})
        self.assertEqual(self.values("holds_amounts"), {a["currency"]: a["minor"] for a in h["amounts"]})
        for a in h["amounts"]:
            self.assertEqual(int(self.figures["holds_amounts"][a["currency"]].get("data-count")), a["count"])

    def test_each_number_is_also_written_for_people(self):
        for figure in ("by_status", "by_type", "by_category", "resolution_buckets", "holds_by_fieldworker"):
            for key, el in self.figures[figure].items():
                title = el.find(SVG + "title")
                self.assertIsNotNone(title, f"{figure} {key}: no <title>")
                shown = [t.text for t in el.iter(SVG + "text")]
                self.assertTrue(any(t and t.split(" ")[0] == el.get("data-value") for t in shown), (figure, key, shown))

    def test_holds_by_fieldworker_are_the_withheld_holds_of_the_binding(self):
        expected = {}
        for h in self.holds:
            g = expected.setdefault(h["fieldworker"], {"count": 0, "amounts": {}, "without": 0})
            g["count"] += 1
            if h["amount"]:
                c = h["amount"]["currency"]
                g["amounts"][c] = g["amounts"].get(c, 0) + h["amount"]["minor"]
            else:
                g["without"] += 1
        drawn = {}
        for key, el in self.figures["holds_by_fieldworker"].items():
            amounts = dict(p.split(":") for p in el.get("data-amounts").split())
            drawn[key] = {"count": int(el.get("data-value")), "amounts": {c: int(m) for c, m in amounts.items()},
                          "without": int(el.get("data-without-amount"))}
        self.assertEqual(drawn, expected)
        self.assertEqual(expected["fw-1"]["amounts"], {"AUD": 20550})

    def test_a_hostile_name_is_escaped_and_never_markup(self):
        self.assertNotIn(HOSTILE, self.page)
        self.assertIn(html.escape(HOSTILE, quote=True).replace("&#x27;", "&#39;"), self.page)
        for figure in ("by_status", "by_type", "holds_by_fieldworker"):
            self.assertIn(HOSTILE, self.figures[figure], figure)  # the attribute reads back as the name
            title = self.figures[figure][HOSTILE].find(SVG + "title")
            self.assertTrue(title.text.startswith(HOSTILE))
        self.assertEqual([el for el in self.root.iter() if el.tag.endswith("script")], [])

    def test_each_installed_workflow_has_its_lifecycle_section(self):
        sections = [el for el in self.root.iter("section") if el.get("class") == "workflow"]
        self.assertEqual([s.get("data-workflow") for s in sections], ["field-service"])
        # Graphviz is a test dependency (scripts/install-deps.sh): every workflow is drawn, each status
        # on the picture. (Without dot the page explains and shows the DOT text: docs/cli.md.)
        for s in sections:
            drawn = s.find(".//" + SVG + "svg")
            self.assertIsNotNone(drawn, "".join(s.itertext())[:300])
            words = " ".join("".join(t.itertext()) for t in drawn.iter(SVG + "text"))
            for status in ["New", "In Progress", "Reopened", "Awaiting Approval", "Closed"]:
                self.assertIn(status, words)

    def test_the_table_shows_the_counts_by_status(self):
        lines = self.table.splitlines()
        self.assertIn("by status", lines)
        for c in self.doc["by_status"]:
            self.assertTrue(any(l.startswith(c["name"]) and l.split()[-1] == str(c["issues"]) for l in lines),
                            c["name"])
        self.assertIn("AUD 205.50", self.table)

    def test_a_period_without_issues_says_so(self):
        out = os.path.join(self.dir, "empty.html")
        p = run(*self.base, "dashboard", "--from", "2025-01-01T00:00:00Z", "--to", "2025-02-01T00:00:00Z",
                "--html", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, encoding="utf-8") as f:
            page = f.read()
        root = ET.fromstring(page)
        self.assertIn("no issues in this period", page)
        self.assertFalse(os.path.exists(out + ".partial"))
        totals = {el.get("data-key"): el.get("data-value") for el in root.iter() if el.get("data-figure") == "totals"}
        self.assertEqual(totals["issues"], "0")

    def db_state(self):
        with open(self.db, "rb") as f:
            return f.read(), os.stat(self.db).st_mtime_ns

    def test_bad_arguments_leave_the_database_as_it_was(self):
        before = self.db_state()
        p = run(*self.base, "dashboard", "--to", TO)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertTrue(any(l.startswith("usage:") for l in p.stderr.splitlines()), p.stderr)
        self.assertEqual(self.db_state(), before)

        p = run(*self.base, "--role", "customer", "--as", "c-1", "dashboard", "--from", FROM, "--to", TO)
        self.assertEqual(p.returncode, 4, p.stderr)

        p = run(*self.base, "dashboard", "--from", "yesterday", "--to", TO)
        self.assertEqual(p.returncode, 5, p.stderr)
        self.assertIn("from", p.stderr)

        p = run(*self.base, "dashboard", "--from", FROM, "--to", TO, "--top", "0")
        self.assertEqual(p.returncode, 5, p.stderr)
        self.assertIn("top", p.stderr)

        p = run(*self.base, "dashboard", "--from", FROM, "--to", TO, "--top", "many")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("--top", p.stderr)

        missing = os.path.join(self.dir, "missing.db")
        p = run("--db", missing, "dashboard", "--from", FROM, "--to", TO)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertFalse(os.path.exists(missing))

        nowhere = os.path.join(self.dir, "no-such-dir", "page.html")
        p = run(*self.base, "dashboard", "--from", FROM, "--to", TO, "--html", nowhere)
        self.assertEqual(p.returncode, 13, p.stderr)
        self.assertIn("html: " + nowhere + ".partial: No such file or directory", p.stderr)
        self.assertEqual(p.stdout, "")
        self.assertEqual(self.db_state(), before)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--seed":
        with open(sys.argv[3], "w", encoding="utf-8") as out:
            json.dump(seed(sys.argv[2]), out)
        sys.exit(0)
    if len(sys.argv) < 2:
        sys.exit("usage: test_dashboard_html.py PATH/TO/complaints [unittest options]")
    CLI = sys.argv.pop(1)
    unittest.main()
