"""The `complaints` command-line tool, command by command (docs/cli.md).

Run by CTest: python3 test_cli.py PATH_TO_complaints. Every command runs on a
database seeded through the tool itself; each test checks the output (tables
and --json documents) and the exit code, and bad arguments print a usage line,
exit 2 and leave the database's files exactly as they were.
"""
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

CLI = None
T0 = "2026-03-02T09:00:00Z"  # a Monday
LATER = "2026-03-09T09:00:00Z"  # a week on: the 4-day auto_close timer is due
OFFICE = ["--as", "olivia", "--role", "office"]
ADMIN = ["--as", "adam", "--role", "admin"]
SETTINGS = ["--as", "adam", "--role", "admin", "--perm", "manage_settings"]

# Exit codes (docs/cli.md): 2 - C error code.
USAGE, NOT_FOUND, FORBIDDEN, INVALID, CONFLICT, WORKFLOW, STORAGE, STATE = 2, 3, 4, 5, 6, 7, 8, 9


def files_state(directory):
    """Every file of the directory with its bytes' hash and mtime: 'untouched' means equal."""
    state = {}
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        with open(path, "rb") as f:
            state[name] = (hashlib.sha256(f.read()).hexdigest(), os.stat(path).st_mtime_ns)
    return state


class CliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = os.path.join(cls.tmp.name, "db")
        os.mkdir(cls.dir)
        cls.db = os.path.join(cls.dir, "complaints.db")
        cls.seed()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    @classmethod
    def run_cli(cls, *args, db=None, clock=T0, stdin=None, check=None):
        argv = [CLI, "--db", db or cls.db]
        if clock:
            argv += ["--clock", clock]
        p = subprocess.run(argv + list(args), input=stdin, capture_output=True, text=True, timeout=120)
        if check is not None and p.returncode != check:
            raise AssertionError(f"{args}: exit {p.returncode}, expected {check}\n{p.stdout}\n{p.stderr}")
        return p

    @classmethod
    def json_of(cls, *args, **kw):
        return json.loads(cls.run_cli("--json", *args, check=0, **kw).stdout)

    @classmethod
    def seed(cls):
        cls.run_cli(*SETTINGS, "init", "--workflow", "customer-confirmation", check=0)
        cls.run_cli("record", "put", "booking:BK-1", "--customer", "casey", "--fieldworker", "tariq", check=0)
        cls.run_cli("record", "put", "booking:BK-2", "--customer", "dana", "--fieldworker", "tariq", check=0)
        cls.first = cls.json_of(*OFFICE, "report", "booking:BK-1", "--type", "Late Service",
                                "--description", "Roof still leaking after the repair")
        cls.second = cls.json_of(*OFFICE, "report", "booking:BK-2", "--type", "Damage Caused",
                                 "--description", "Scratched the kitchen floor", "--workflow", "customer-confirmation")
        code = cls.second["code"]
        cls.run_cli(*OFFICE, "act", code, "assign", "--input", "assignee=tariq", check=0)
        cls.run_cli("--as", "tariq", "--role", "fieldworker", "act", code, "accept", check=0)
        cls.run_cli("--as", "tariq", "--role", "fieldworker", "act", code, "resolve",
                    "--input", "feedback=Floor polished", check=0)

    def assert_usage(self, *args, db=None):
        """Bad arguments: exit 2, a usage line on stderr, the database's files untouched."""
        before = files_state(self.dir)
        p = self.run_cli(*args, db=db)
        self.assertEqual(p.returncode, USAGE, f"{args}: {p.stdout} {p.stderr}")
        self.assertIn("usage: complaints", p.stderr)
        self.assertEqual(p.stdout, "")
        self.assertEqual(files_state(self.dir), before, f"{args} touched the database")

    def assert_fails(self, code, *args, mentions=None, **kw):
        p = self.run_cli(*args, **kw)
        self.assertEqual(p.returncode, code, f"{args}: {p.stdout} {p.stderr}")
        self.assertTrue(p.stderr.startswith("complaints"), p.stderr)
        if mentions:
            self.assertIn(mentions, p.stderr)
        return p

    # ---- help and arguments -------------------------------------------------------------

    def test_help_lists_every_command_and_exit_codes(self):
        p = self.run_cli("help", check=0)
        for name in ["init", "record put", "record show", "report", "act", "show", "list", "timeline", "search",
                     "verify", "process-due", "outbox list", "outbox ack", "workflow list", "workflow show",
                     "workflow validate", "workflow install", "workflow diagram", "dashboard", "export",
                     "delete-forever", "scrub", "backup"]:
            self.assertIn("  " + name, p.stdout)
        self.assertIn("exit codes", p.stdout)
        p = self.run_cli("help", "outbox", "ack", check=0)
        self.assertTrue(p.stdout.startswith("usage: complaints [global options] outbox ack ID..."), p.stdout)
        p = self.run_cli("list", "--help", check=0)
        self.assertIn("--created-from VALUE", p.stdout)

    def test_bad_arguments_print_usage_and_touch_nothing(self):
        for args in [[], ["frobnicate"], ["show"], ["show", "A", "B"], ["list", "--bogus"], ["list", "--limit"],
                     ["list", "--limit", "0"], ["list", "--limit", "ten"], ["--role", "king", "list"],
                     ["--perm", "fly", "list"], ["--json=yes", "list"], ["report", "booking:BK-1"],
                     ["report", "BK-1", "--description", "x"], ["act", "CMP-00001"],
                     ["act", "CMP-00001", "resolve", "--input", "novalue"], ["record", "put", "booking:BK-9"],
                     ["outbox", "ack"], ["outbox", "ack", "x1"], ["outbox", "ack", "0"], ["delete-forever", "CMP-00001"],
                     ["workflow", "install"], ["workflow", "install", "f.json", "--builtin", "field-service"],
                     ["workflow", "diagram", "field-service", "--format", "png"], ["export"],
                     ["export", "x.csv", "--format", "xml"], ["process-due", "--max-sleep", "5"],
                     ["process-due", "--limit", "10001"], ["backup"], ["--schema", "s", "list"],
                     ["dashboard"], ["verify", "A", "B"], ["search"], ["timeline"]]:
            with self.subTest(args=args):
                self.assert_usage(*args)

    def test_a_missing_database_is_not_found_and_not_created(self):
        missing = os.path.join(self.tmp.name, "nothing-here.db")
        for args in [["list"], ["show", "CMP-00001"], ["verify"], ["process-due"], ["backup", "x.db"]]:
            with self.subTest(args=args):
                self.assert_fails(NOT_FOUND, *args, db=missing, mentions="does not exist")
                self.assertFalse(os.path.exists(missing))

    # ---- issues -----------------------------------------------------------------------

    def test_init_creates_and_reopens(self):
        db = os.path.join(self.tmp.name, "init.db")
        p = self.run_cli("init", db=db, check=0)
        self.assertIn("is ready; workflows: field-service", p.stdout)
        doc = json.loads(self.run_cli("--json", *SETTINGS, "init", "--workflow", "staged-escalation",
                                      db=db, check=0).stdout)
        self.assertEqual(doc["workflows"], ["field-service", "staged-escalation"])
        self.assert_fails(FORBIDDEN, "init", "--workflow", "staged-escalation", db=db, mentions="manage_settings")
        self.assert_fails(NOT_FOUND, *SETTINGS, "init", "--workflow", "nope", db=db, mentions="nope")

    def test_record_put_and_show(self):
        p = self.run_cli("record", "show", "booking:BK-1", check=0)
        self.assertRegex(p.stdout, r"customer_id\s+casey")
        doc = self.json_of("record", "show", "booking:BK-2")
        self.assertEqual(doc["fieldworkers"], ["tariq"])
        self.assert_fails(NOT_FOUND, "record", "show", "booking:BK-404")
        self.assert_fails(FORBIDDEN, "--as", "casey", "--role", "customer", "record", "put", "booking:BK-3",
                          "--customer", "casey")

    def test_report_prints_the_code_and_json_is_the_issue_document(self):
        p = self.run_cli(*OFFICE, "report", "booking:BK-1", "--type", "Late Service", "--description", "Late again",
                         check=0)
        self.assertRegex(p.stdout, r"^CMP-\d+ reported: New\n$")
        request = json.dumps({"record": {"kind": "booking", "id": "BK-1"}, "type": "Late Service",
                              "description": "From stdin"})
        doc = self.json_of(*OFFICE, "report", "--request", "-", stdin=request)
        for key in ["code", "number", "record", "status", "version", "timers", "slas", "fields"]:
            self.assertIn(key, doc)
        self.assertEqual(doc["description"], "From stdin")
        self.assert_fails(INVALID, *OFFICE, "report", "booking:BK-1", "--type", "Nope", "--description", "x",
                          mentions="type")
        self.assert_fails(NOT_FOUND, *OFFICE, "report", "booking:BK-404", "--type", "Late Service",
                          "--description", "x")
        self.assert_fails(INVALID, *OFFICE, "report", "--request", "{not json")
        self.assert_fails(FORBIDDEN, "--as", "tariq", "--role", "fieldworker", "report", "booking:BK-1",
                          "--type", "Late Service", "--description", "x")

    def test_act_moves_the_issue_and_refuses_what_the_workflow_refuses(self):
        code = self.json_of(*OFFICE, "report", "booking:BK-1", "--type", "Late Service",
                            "--description", "For act")["code"]
        p = self.run_cli(*OFFICE, "act", code, "convert_to_in_progress", "--input", "note=on it", check=0)
        self.assertEqual(p.stdout, f"{code}: In Progress (version 2)\n")
        self.assert_fails(CONFLICT, *OFFICE, "act", code, "resolve", "--expected-version", "1")
        self.assert_fails(STATE, *OFFICE, "act", code, "convert_to_in_progress")
        self.assert_fails(FORBIDDEN, "--as", "casey", "--role", "customer", "act", code, "resolve")
        self.assert_fails(NOT_FOUND, *OFFICE, "act", "CMP-99999", "resolve")

    def test_show_lists_the_issue_and_the_actions_the_actor_may_take(self):
        code = self.first["code"]
        p = self.run_cli(*OFFICE, "show", code, check=0)
        self.assertRegex(p.stdout, r"status\s+New")
        self.assertIn("Roof still leaking", p.stdout)
        self.assertIn("actions olivia may take: ", p.stdout)
        self.assertIn("convert_to_in_progress", p.stdout)
        doc = self.json_of(*OFFICE, "show", code)
        self.assertEqual(doc["issue"]["code"], code)
        self.assertIn("convert_to_in_progress", doc["actions"])
        self.assert_fails(NOT_FOUND, "show", "CMP-99999", mentions="CMP-99999")
        self.assert_fails(NOT_FOUND, "--as", "dana", "--role", "customer", "show", code)  # not hers

    def test_list_filters_and_pages(self):
        everything = self.json_of("list", "--all")
        self.assertGreaterEqual(len(everything), 2)
        self.assertEqual([i["number"] for i in everything], sorted(i["number"] for i in everything))
        mine = self.json_of("list", "--workflow", "customer-confirmation")
        self.assertEqual([i["code"] for i in mine], [self.second["code"]])
        first_page = self.json_of("list", "--limit", "1")
        self.assertEqual(len(first_page), 1)
        after = self.json_of("list", "--limit", "1", "--after", str(first_page[0]["number"]))
        self.assertEqual(after[0]["number"], everything[1]["number"])
        p = self.run_cli("list", "--status", "Confirmation", check=0)
        lines = p.stdout.splitlines()
        self.assertEqual(lines[0].split()[:3], ["CODE", "STATUS", "WORKFLOW"])
        self.assertEqual(len(lines), 2)
        self.assertIn(self.second["code"], lines[1])
        self.assert_fails(INVALID, "list", "--created-from", "yesterday", mentions="created_from")
        self.assert_fails(INVALID, "list", "--filter", '{"colour": "red"}', mentions="colour")

    def test_timeline_shows_every_entry(self):
        code = self.second["code"]
        entries = self.json_of("timeline", code)
        self.assertEqual([e["seq"] for e in entries], list(range(1, len(entries) + 1)))
        self.assertEqual(entries[-1]["action"], "resolve")
        p = self.run_cli("timeline", code, check=0)
        self.assertEqual(p.stdout.splitlines()[0].split()[:4], ["SEQ", "AT", "ACTOR", "KIND"])
        self.assertIn("tariq (fieldworker)", p.stdout)
        self.assert_fails(NOT_FOUND, "timeline", "CMP-99999")

    def test_search_finds_words(self):
        hits = self.json_of("search", "roof")
        self.assertIn(self.first["code"], [h["issue"]["code"] for h in hits])
        p = self.run_cli("search", "kitchen", check=0)
        self.assertIn(self.second["code"], p.stdout)
        self.assertIn("[kitchen]", p.stdout)
        self.assert_fails(INVALID, "search", '"unclosed', mentions="query")

    # ---- the whole store --------------------------------------------------------------

    def test_verify_every_chain_and_find_a_broken_one(self):
        p = self.run_cli("verify", check=0)
        self.assertRegex(p.stdout, r"\d+ issues, \d+ timeline entries: every chain intact\n$")
        self.assertEqual(p.stderr, "")  # no progress bar when not on a terminal
        doc = self.json_of("verify", self.first["code"])
        self.assertEqual(doc["ok"], True)
        self.assert_fails(FORBIDDEN, "--as", "tariq", "--role", "fieldworker", "verify")
        # Tamper with a copy: verify exits 1 and names the issue and entry.
        copy = os.path.join(self.tmp.name, "tampered.db")
        self.run_cli("backup", copy, check=0)
        con = sqlite3.connect(copy)
        con.execute("UPDATE timeline SET note = 'edited' WHERE number = ? AND seq = 1", (self.first["number"],))
        con.commit()
        con.close()
        p = self.run_cli("verify", db=copy)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn(f"{self.first['code']}: chain broken at entry 1", p.stdout)
        doc = json.loads(self.run_cli("--json", "verify", db=copy).stdout)
        self.assertEqual([b["code"] for b in doc["broken"]], [self.first["code"]])

    def test_progress_bar_on_a_terminal_only(self):
        """verify and export draw a bar on stderr when it is a terminal; --no-progress and pipes keep quiet."""
        import pty

        def on_terminal(*args):
            controller, terminal = pty.openpty()
            p = subprocess.run([CLI, "--db", self.db] + list(args), stdout=subprocess.PIPE, stderr=terminal,
                               timeout=60)
            os.close(terminal)
            drawn = b""
            while True:
                try:
                    chunk = os.read(controller, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                drawn += chunk
            os.close(controller)
            return p, drawn.decode()

        p, drawn = on_terminal("verify")
        self.assertEqual(p.returncode, 0)
        total = len(self.json_of("list", "--all"))
        self.assertIn(f"verify [", drawn)
        self.assertIn(f"{total}/{total} (100%)", drawn)
        self.assertIn(b"every chain intact", p.stdout)
        p, drawn = on_terminal("export", os.path.join(self.tmp.name, "progress.csv"))
        self.assertIn(f"export {total}", drawn)
        p, drawn = on_terminal("--no-progress", "verify")
        self.assertEqual(drawn, "")

    def test_process_due_runs_timers_once(self):
        db = os.path.join(self.tmp.name, "due.db")
        self.run_cli("backup", db, check=0)
        p = self.run_cli("process-due", db=db, check=0)
        self.assertEqual(p.stdout, "nothing due\n")
        ran = json.loads(self.run_cli("--json", "process-due", db=db, clock=LATER, check=0).stdout)
        self.assertIn({"issue_code": self.second["code"], "name": "auto_close", "kind": "timer", "outcome": "ran"},
                      [{k: r[k] for k in ["issue_code", "name", "kind", "outcome"]} for r in ran])
        self.assertEqual(json.loads(self.run_cli("--json", "process-due", db=db, clock=LATER, check=0).stdout), [])
        issue = json.loads(self.run_cli("--json", "show", self.second["code"], db=db, check=0).stdout)["issue"]
        self.assertEqual(issue["status"], "Closed")
        self.assert_fails(FORBIDDEN, *OFFICE, "process-due", db=db)

    def test_process_due_loop_stops_cleanly_on_sigterm(self):
        db = os.path.join(self.tmp.name, "loop.db")
        self.run_cli("backup", db, check=0)
        proc = subprocess.Popen([CLI, "--db", db, "--clock", LATER, "--json", "process-due", "--loop",
                                 "--max-sleep", "30"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = proc.stdout.readline()  # the due timer ran: one JSON line
        self.assertIn("auto_close", first)
        time.sleep(0.3)  # now asleep until the next item
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
        self.assertEqual(proc.returncode, 0, err)
        self.assertEqual(out, "")
        p = self.run_cli("verify", db=db, check=0)
        self.assertIn("every chain intact", p.stdout)

    def test_outbox_list_and_ack(self):
        db = os.path.join(self.tmp.name, "outbox.db")
        self.run_cli("backup", db, check=0)
        items = json.loads(self.run_cli("--json", "outbox", "list", "--limit", "3", db=db, check=0).stdout)
        self.assertEqual(len(items), 3)
        self.assertEqual([i["id"] for i in items], sorted(i["id"] for i in items))
        p = self.run_cli("outbox", "list", db=db, check=0)
        self.assertEqual(p.stdout.splitlines()[0].split()[:3], ["ID", "KIND", "EVENT"])
        ids = [str(i["id"]) for i in items]
        p = self.run_cli("outbox", "ack", *ids, "999999", db=db, check=0)
        self.assertEqual(p.stdout, "3 of 4 acknowledged\n")
        rest = json.loads(self.run_cli("--json", "outbox", "list", db=db, check=0).stdout)
        self.assertFalse(set(ids) & {str(i["id"]) for i in rest})
        self.assert_fails(FORBIDDEN, *OFFICE, "outbox", "list", db=db)

    def test_workflow_list_show_validate_install(self):
        self.assertEqual(self.json_of("workflow", "list"), ["customer-confirmation", "field-service"])
        p = self.run_cli("workflow", "list", check=0)
        self.assertRegex(p.stdout, r"field-service\s+Field service complaints\s+5\s+8\s+0")
        p = self.run_cli("workflow", "show", "customer-confirmation", check=0)
        self.assertIn("Confirmation", p.stdout)
        self.assertRegex(p.stdout, r"auto_close\s+Confirmation\s+Closed\s+system")
        self.assert_fails(NOT_FOUND, "workflow", "show", "nope")
        good = self.json_of("workflow", "show", "field-service")
        good["name"] = "field-service-2"
        path = os.path.join(self.tmp.name, "wf.json")
        with open(path, "w") as f:
            json.dump(good, f)
        self.assertEqual(self.run_cli("workflow", "validate", path, check=0).stdout, "valid\n")
        bad = dict(good, initial="Nowhere")
        bad_path = os.path.join(self.tmp.name, "bad.json")
        with open(bad_path, "w") as f:
            json.dump(bad, f)
        p = self.assert_fails(WORKFLOW, "workflow", "validate", bad_path)
        self.assertIn("$.initial", p.stdout)
        self.assert_fails(WORKFLOW, *SETTINGS, "workflow", "install", bad_path, mentions="$.initial")
        self.assert_fails(FORBIDDEN, "workflow", "install", path)
        db = os.path.join(self.tmp.name, "wf.db")
        self.run_cli("backup", db, check=0)
        self.assertEqual(self.run_cli(*SETTINGS, "workflow", "install", path, db=db, check=0).stdout,
                         "installed field-service-2\n")
        self.run_cli(*SETTINGS, "workflow", "install", "--builtin", "staged-escalation", db=db, check=0)
        self.assertIn("staged-escalation", json.loads(self.run_cli("--json", "workflow", "list", db=db).stdout))
        self.assert_fails(1 + 12, "workflow", "validate", os.path.join(self.tmp.name, "absent.json"))

    def test_export_writes_the_register(self):
        out = os.path.join(self.tmp.name, "register.csv")
        p = self.run_cli("export", out, check=0)
        self.assertRegex(p.stdout, r"^\d+ rows to ")
        with open(out) as f:
            lines = f.read().splitlines()
        self.assertTrue(lines[0].startswith("code,number,"))
        summary = json.loads(self.run_cli("--json", "export", out, "--workflow", "customer-confirmation",
                                          check=0).stdout)
        self.assertEqual(summary["rows"], 1)
        p = self.run_cli("export", "-", "--format", "json_lines", check=0)
        rows = [json.loads(line) for line in p.stdout.splitlines()]
        self.assertEqual(len(rows), len(self.json_of("list", "--all")))
        self.assert_fails(FORBIDDEN, "--as", "tariq", "--role", "fieldworker", "export", out + ".2")
        self.assertFalse(os.path.exists(out + ".2") or os.path.exists(out + ".2.partial"))
        self.assert_fails(13, "export", os.path.join(self.tmp.name, "no", "such", "dir.csv"))

    def test_delete_forever_needs_a_named_admin_and_erases(self):
        db = os.path.join(self.tmp.name, "erase.db")
        self.run_cli("backup", db, check=0)
        code = self.first["code"]
        self.assert_fails(FORBIDDEN, *ADMIN, "delete-forever", code, db=db, mentions="delete_issues")
        p = self.run_cli(*ADMIN, "--perm", "delete_issues", "delete-forever", code, db=db, check=0)
        self.assertIn(f"{code} deleted forever", p.stdout)
        self.assert_fails(NOT_FOUND, "show", code, db=db)
        self.assert_fails(NOT_FOUND, *ADMIN, "--perm", "delete_issues", "delete-forever", code, db=db)
        self.assertEqual(self.run_cli("scrub", db=db, check=0).stdout, "scrubbed\n")
        self.assertEqual(json.loads(self.run_cli("--json", "scrub", db=db, check=0).stdout), {"scrubbed": True})
        with open(db, "rb") as f:
            self.assertNotIn(b"Roof still leaking", f.read())

    def test_backup_copies_a_live_database_and_verifies_the_copy(self):
        copy = os.path.join(self.tmp.name, "copy.db")
        # A writer keeps a transaction open meanwhile: the copy is taken all the same.
        con = sqlite3.connect(self.db, timeout=10)
        con.execute("BEGIN IMMEDIATE")
        try:
            p = self.run_cli("backup", copy, check=0)
        finally:
            con.rollback()
            con.close()
        self.assertIn("every chain intact", p.stdout)
        self.assertFalse(os.path.exists(copy + ".partial"))
        self.assertEqual(self.json_of("list", "--all", db=copy), self.json_of("list", "--all"))
        doc = json.loads(self.run_cli("--json", "backup", copy, check=0).stdout)
        self.assertEqual(doc["broken"], [])
        self.assert_usage("backup", self.db)

    def test_diagram_of_an_installed_workflow(self):
        p = self.run_cli("workflow", "diagram", "customer-confirmation", check=0)
        self.assertIn("digraph", p.stdout)
        self.assertIn("Confirmation", p.stdout)
        p = self.run_cli("workflow", "diagram", "customer-confirmation", "--format", "mermaid", check=0)
        self.assertIn("flowchart", p.stdout)
        p = self.run_cli("workflow", "diagram", "customer-confirmation", "--format", "svg", check=0)
        self.assertIn("<svg", p.stdout)
        self.assert_fails(NOT_FOUND, "workflow", "diagram", "nope")


class PostgresCliTest(unittest.TestCase):
    """The same tool on a PostgreSQL schema (--postgres CONNINFO --schema NAME): CTest gives the
    throw-away server's conninfo in COMPLAINTS_TEST_POSTGRES; without it this test fails, never skips."""

    def run_pg(self, *args, check=None):
        conninfo = os.environ.get("COMPLAINTS_TEST_POSTGRES")
        self.assertTrue(conninfo, "COMPLAINTS_TEST_POSTGRES is not set (tests/postgres/server.sh starts a server)")
        schema = "cli_%d" % os.getpid()
        p = subprocess.run([CLI, "--postgres", conninfo, "--schema", schema, "--clock", T0] + list(args),
                           capture_output=True, text=True, timeout=120)
        if check is not None:
            self.assertEqual(p.returncode, check, f"{args}: {p.stdout} {p.stderr}")
        return p

    def test_init_report_list_verify_on_postgres(self):
        self.assertEqual(self.run_pg("list").returncode, STORAGE)  # no schema yet, and none is created
        self.run_pg("init", check=0)
        self.run_pg("record", "put", "booking:BK-1", "--customer", "casey", "--fieldworker", "tariq", check=0)
        issue = json.loads(self.run_pg("--json", *OFFICE, "report", "booking:BK-1", "--type", "Late Service",
                                       "--description", "Late on PostgreSQL", check=0).stdout)
        self.run_pg(*OFFICE, "act", issue["code"], "convert_to_in_progress", check=0)
        listed = json.loads(self.run_pg("--json", "list", check=0).stdout)
        self.assertEqual([(i["code"], i["status"]) for i in listed], [(issue["code"], "In Progress")])
        self.assertIn("1 issue, 2 timeline entries: every chain intact", self.run_pg("verify", check=0).stdout)
        self.assertEqual(self.run_pg("backup", "x.db").returncode, USAGE)


if __name__ == "__main__":
    CLI = os.path.abspath(sys.argv.pop(1))
    unittest.main()
