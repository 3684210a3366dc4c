"""Tests of the Python bindings against the real libcomplaints (COMPLAINTS_LIBRARY=.../libcomplaints.so).

Run from the repository root:  python3 -m unittest discover -s bindings/python/tests
"""

import datetime as dt
import gc
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
QUICKSTART = os.path.join(HERE, "..", "..", "..", "examples", "python", "quickstart.py")
HEADER = Path(__file__).resolve().parents[3] / "capi" / "complaints.h"

import complaints  # noqa: E402
from complaints import (Actor, ComplaintsError, Conflict, Desk, Forbidden, InvalidInput, InvalidState,  # noqa: E402
                        InvalidWorkflow, MisuseError, NotFound)

START = "2026-01-05T09:00:00Z"
BOOKING = ("booking", "BK-2041")


class Fixture(unittest.TestCase):
    """A desk over memory with a still clock, the usual actors and one booking."""

    def open_desk(self):
        """The desk under test; test_postgres.py runs the same tests on PostgreSQL."""
        return Desk.open_memory(clock=START)

    def setUp(self):
        self.desk = self.open_desk()
        self.now = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
        self.office = Actor("olivia", "office", ["edit_issues"])
        self.admin = Actor("adam", "admin", complaints.PERMISSIONS)
        self.supervisor = Actor("sam", "supervisor", [])  # approves, but may not release payouts
        self.tech = Actor("tariq", "fieldworker")
        self.customer = Actor("casey", "customer")
        self.payroll = Actor("payroll", "system")
        self.mailer = Actor("mailer", "system")
        self.desk.put_record(self.office, kind="booking", id="BK-2041", customer_id="casey",
                             fieldworkers=["tariq"], visibility="restricted", paid_out=False)

    def tearDown(self):
        self.desk.close()
        for a in (self.office, self.admin, self.supervisor, self.tech, self.customer, self.payroll, self.mailer):
            a.close()

    def advance(self, hours):
        self.now += dt.timedelta(hours=hours)
        self.desk.set_clock(self.now)

    def report(self, description="Hot water system still leaks after Tuesday's repair."):
        return self.desk.report(self.office, record=BOOKING, type="Unsatisfactory Job", description=description)

    def payable(self, fieldworker="tariq"):
        return self.desk.may_pay(self.payroll, "booking", "BK-2041", fieldworker)["may_pay"]


class TestLibrary(unittest.TestCase):
    def test_an_explicit_library_path_is_the_only_candidate(self):
        from complaints import _native
        saved = os.environ.get("COMPLAINTS_LIBRARY")
        os.environ["COMPLAINTS_LIBRARY"] = "/nowhere/libcomplaints.so"
        try:
            self.assertEqual(list(_native._candidates()), [("COMPLAINTS_LIBRARY", "/nowhere/libcomplaints.so")])
        finally:
            if saved is None:
                del os.environ["COMPLAINTS_LIBRARY"]
            else:
                os.environ["COMPLAINTS_LIBRARY"] = saved

    def test_a_library_on_ld_library_path_is_found_without_linker_ldconfig_or_pkg_config(self):
        # A host that ships only the runtime (libcomplaints.so.0) under its own
        # prefix: no ld, no gcc, no pkg-config on PATH, nothing in ldconfig's cache.
        explicit = os.environ.get("COMPLAINTS_LIBRARY")
        libdir = os.path.dirname(os.path.realpath(explicit)) if explicit else ""
        if not os.path.exists(os.path.join(libdir, "libcomplaints.so.0")):
            self.skipTest("COMPLAINTS_LIBRARY does not name a library beside its libcomplaints.so.0")
        with tempfile.TemporaryDirectory() as empty:
            env = {"LD_LIBRARY_PATH": libdir, "PATH": empty, "PYTHONPATH": os.path.join(HERE, "..")}
            proc = subprocess.run([sys.executable, "-c", "import complaints; print(complaints.version())"],
                                  capture_output=True, text=True, timeout=60, check=False, env=env, cwd=empty)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.strip(), complaints.version())

    def test_version_and_strerror(self):
        self.assertRegex(complaints.version(), r"^\d+\.\d+\.\d+$")
        self.assertGreaterEqual(complaints.version_number(), 100)
        self.assertEqual(complaints.strerror(-1), "not found")
        self.assertEqual(complaints.strerror(0), "ok")
        self.assertIsInstance(complaints.strerror(-999), str)

    def test_error_classes_carry_their_codes(self):
        expected = {NotFound: -1, Forbidden: -2, InvalidInput: -3, Conflict: -4, InvalidWorkflow: -5,
                    complaints.StorageError: -6, InvalidState: -7, complaints.InternalError: -8,
                    complaints.OutOfMemory: -9, MisuseError: -10}
        for cls, code in expected.items():
            self.assertEqual(cls.code, code)
            self.assertTrue(issubclass(cls, ComplaintsError))

    def test_actor_checks_role_permissions_and_id(self):
        with Actor("olivia", "office", ["edit_issues"]) as a:
            self.assertEqual(a.role, "office")
            self.assertEqual(a.permissions, frozenset({"edit_issues"}))
        with self.assertRaises(MisuseError):
            a.handle  # closed
        with self.assertRaises(ValueError):
            Actor("x", "boss")
        with self.assertRaises(ValueError):
            Actor("x", "office", ["fly"])
        with self.assertRaises(InvalidInput) as cm:
            Actor("", "office")
        self.assertEqual(cm.exception.code, -3)
        with self.assertRaises(InvalidInput):
            Actor("bad\nid", "office")

    def test_actor_errors_carry_the_library_message(self):
        cases = {"": "id: must not be empty", "bad\nid": "id: must not contain control characters",
                 "x" * 300: "id: is 300 bytes long; at most 128 allowed", "bad\udcffid": "id: is not valid UTF-8"}
        for bad, message in cases.items():
            with self.subTest(bad=bad[:10]):
                with self.assertRaises(InvalidInput) as cm:
                    Actor(bad, "office")
                self.assertEqual(cm.exception.message, message)
                self.assertEqual(str(cm.exception), message)
                self.assertEqual(cm.exception.where, "id")
        with Actor("fine", "office"):  # a success after failures
            pass

    def test_validate_workflow_lists_problems_with_paths(self):
        self.assertEqual(complaints.validate_workflow({
            "name": "tiny", "initial": "Open",
            "statuses": [{"name": "Open", "category": "open"}, {"name": "Done", "category": "closed"}],
            "actions": [{"name": "finish", "from": ["Open"], "to": "Done", "allow": ["office"]}]}), [])
        problems = Desk.validate_workflow('{"name": "tiny"')
        self.assertEqual(problems[0]["path"], "$")
        problems = complaints.validate_workflow({"name": "tiny", "initial": "Nowhere", "statuses": [], "actions": []})
        self.assertTrue(problems)
        self.assertTrue(all(p["path"].startswith("$") for p in problems))
        self.assertEqual(complaints.validate_workflow(b"\xff"),
                         [{"path": "$", "message": "is not valid UTF-8 at line 1, column 1"}])

    def test_validate_workflow_errors_carry_the_library_message(self):
        # Python never passes NULL on its own: force one to reach the library's error path.
        from complaints import desk as desk_module
        with mock.patch.object(desk_module, "_dumps", return_value=None):
            with self.assertRaises(MisuseError) as cm:
                complaints.validate_workflow({"name": "tiny"})
        self.assertEqual(cm.exception.message, "workflow_json: must not be NULL")
        self.assertEqual(complaints.validate_workflow('{"name": "tiny"')[0]["path"], "$")  # and works again

    def test_workflow_diagram_draws_dot_and_mermaid_and_refuses_bad_input(self):
        tiny = {"name": "tiny", "initial": "Open \"1\"",
                "statuses": [{"name": "Open \"1\"", "colour": "#111111", "category": "open"},
                             {"name": "Done", "category": "closed"}],
                "actions": [{"name": "finish", "from": ["Open \"1\""], "to": "Done", "allow": ["office"]}]}
        dot = complaints.workflow_diagram(tiny)
        self.assertTrue(dot.startswith("digraph workflow {"))
        self.assertIn('label="Open \\"1\\"\\nopen", fillcolor="#111111"', dot)
        self.assertIn('[label="finish\\noffice"]', dot)
        self.assertEqual(complaints.workflow_diagram(json.dumps(tiny), format="dot"), dot)  # text in, same bytes out
        mermaid = Desk.workflow_diagram(tiny, "mermaid")
        self.assertTrue(mermaid.startswith("flowchart LR\n"))
        self.assertIn('s0("Open #quot;1#quot;<br/>open")', mermaid)
        with self.assertRaises(InvalidInput) as cm:
            complaints.workflow_diagram(tiny, "svg")
        self.assertEqual(cm.exception.where, "format")
        with self.assertRaises(InvalidWorkflow) as cm:
            complaints.workflow_diagram(dict(tiny, initial="Nowhere"))
        self.assertEqual(cm.exception.where, "$.initial")

    def test_draw_workflow_draws_an_installed_workflow_with_the_databases_templates(self):
        desk = Desk.open_memory()
        admin = Actor("adam", "admin", ["manage_settings"])
        desk.save_template(admin, name="apology", title="Apology", subject="Sorry",
                           body_html="<p>Sorry.</p>", body_text="Sorry.")
        doc = desk.workflow(admin, "field-service")
        doc["name"] = "with-apology"
        doc["actions"][0].setdefault("effects", []).append({"type": "send_template", "template": "apology"})
        desk.install_workflow(admin, doc)
        with self.assertRaises(InvalidWorkflow):  # the handle-less drawing knows the built-in templates only
            complaints.workflow_diagram(desk.workflow(admin, "with-apology"))
        dot = desk.draw_workflow(Actor("casey", "customer"), "with-apology")
        self.assertTrue(dot.startswith("digraph workflow {"))
        self.assertIn("Awaiting Approval", dot)
        self.assertTrue(desk.draw_workflow(admin, "with-apology", "mermaid").startswith("flowchart LR\n"))
        with self.assertRaises(NotFound):
            desk.draw_workflow(admin, "nope")
        with self.assertRaises(InvalidInput) as cm:
            desk.draw_workflow(admin, "with-apology", "svg")
        self.assertEqual(cm.exception.where, "format")


class TestLifecycle(Fixture):
    def test_booking_complaint_through_the_whole_field_service_workflow(self):
        d, code = self.desk, None
        issue = self.report()
        code = issue["code"]
        self.assertEqual(code, "CMP-00001")
        self.assertEqual((issue["status"], issue["category"], issue["version"]), ("New", "open", 1))
        self.assertEqual(issue["record"], {"kind": "booking", "id": "BK-2041"})
        self.assertEqual(issue["fieldworkers"], ["tariq"])

        self.advance(2)
        issue = d.act(self.office, code, "schedule_follow_up", {"date": "2026-01-07"}, expected_version=1)
        self.assertEqual((issue["status"], issue["follow_up_date"], issue["version"]), ("In Progress", "2026-01-07", 2))

        self.assertIn("resolve", d.actions(self.tech, code))
        self.assertNotIn("approve", d.actions(self.tech, code))
        self.advance(50)
        issue = d.act(self.tech, code, "resolve", {"note": "Replaced the pressure valve."}, expected_version=2)
        self.assertEqual((issue["status"], issue["category"]), ("Awaiting Approval", "pending"))

        self.advance(3)
        issue = d.act(self.admin, code, "send_back", {"note": "Please upload a photo."}, expected_version=3)
        self.assertEqual(issue["status"], "In Progress")

        self.advance(20)
        issue = d.act(self.tech, code, {"action": "resolve", "inputs": {"note": "Photo uploaded."},
                                        "expected_version": 4})
        self.assertEqual(issue["status"], "Awaiting Approval")

        self.advance(1)
        issue = d.act(self.admin, code, "approve", expected_version=5)
        self.assertEqual((issue["status"], issue["category"], issue["version"]), ("Closed", "closed", 6))

        self.advance(48)
        issue = d.act(self.admin, code, "reopen", {"note": "Customer reports a drip again."}, expected_version=6)
        self.assertEqual((issue["status"], issue["category"]), ("Reopened", "open"))

        self.advance(4)
        issue = d.act(self.admin, code, "close", {"note": "Condensation; explained."}, expected_version=7)
        self.assertEqual((issue["status"], issue["version"]), ("Closed", 8))
        self.assertEqual(issue["updated_at"], "2026-01-10T17:00:00.000Z")
        self.assertEqual(d.get(self.customer, code)["status"], "Closed")

        timeline = d.timeline(self.admin, code)
        actions = [(e["actor_id"], e["action"] or e["kind"]) for e in timeline if e["kind"] in ("reported", "action")]
        self.assertEqual(actions, [
            ("olivia", "reported"), ("olivia", "schedule_follow_up"), ("tariq", "resolve"), ("adam", "send_back"),
            ("tariq", "resolve"), ("adam", "approve"), ("adam", "reopen"), ("adam", "close")])
        steps = [e for e in timeline if e["kind"] in ("reported", "action")]
        self.assertEqual([e["at"] for e in steps], [
            "2026-01-05T09:00:00.000Z", "2026-01-05T11:00:00.000Z", "2026-01-07T13:00:00.000Z",
            "2026-01-07T16:00:00.000Z", "2026-01-08T12:00:00.000Z", "2026-01-08T13:00:00.000Z",
            "2026-01-10T13:00:00.000Z", "2026-01-10T17:00:00.000Z"])
        status_changes = [next(c for c in e["changes"] if c["field"] == "status") for e in steps]
        self.assertEqual([(c["before"], c["after"]) for c in status_changes], [
            ("", "New"), ("New", "In Progress"), ("In Progress", "Awaiting Approval"),
            ("Awaiting Approval", "In Progress"), ("In Progress", "Awaiting Approval"),
            ("Awaiting Approval", "Closed"), ("Closed", "Reopened"), ("Reopened", "Closed")])
        self.assertEqual(steps[2]["note"], "Replaced the pressure valve.")
        self.assertEqual([e["seq"] for e in timeline], list(range(1, len(timeline) + 1)))
        self.assertEqual(steps[0]["actor_role"], "office")

        check = d.verify(self.admin, code)
        self.assertTrue(check["ok"])
        self.assertEqual(check["entries"], len(timeline))
        self.assertIsNone(check["broken_seq"])

    def test_edit_list_search_and_clearing_a_date(self):
        code = self.report("The tap drips in the laundry.")["code"]
        issue = self.desk.edit(self.office, code, to_follow=True, deferred_date=dt.date(2026, 2, 1))
        self.assertEqual((issue["to_follow"], issue["deferred_date"]), (True, "2026-02-01"))
        issue = self.desk.edit(self.office, code, {"deferred_date": None, "expected_version": issue["version"]})
        self.assertIsNone(issue["deferred_date"])
        self.assertEqual([i["code"] for i in self.desk.list(self.office, open=True)], [code])
        self.assertEqual([i["code"] for i in self.desk.list(self.office, record=BOOKING)], [code])
        self.assertEqual(self.desk.list(self.office, categories=["closed"]), [])
        self.assertEqual([i["code"] for i in self.desk.search(self.office, "LAUNDRY")], [code])
        self.assertEqual(self.desk.search(self.office, "no such words"), [])

    def test_settings_workflows_statuses_types_users(self):
        d, admin = self.desk, self.admin
        self.assertIn("field-service", d.workflows(admin))
        d.install_builtin_workflow(admin, "staged-escalation")
        self.assertIn("staged-escalation", d.workflows(admin))
        wf = d.workflow(admin, "field-service")
        self.assertEqual(wf["initial"], "New")
        d.add_status(admin, "field-service", name="Waiting for Parts", colour="#00AAFF", category="active")
        self.assertIn("Waiting for Parts", [s["name"] for s in d.workflow(admin, "field-service")["statuses"]])
        d.install_workflow(admin, {
            "name": "tiny", "initial": "Open",
            "statuses": [{"name": "Open", "category": "open"}, {"name": "Done", "category": "closed"}],
            "actions": [{"name": "finish", "from": ["Open"], "to": "Done", "allow": ["office"]}]})
        self.assertIn("tiny", d.workflows(admin))
        d.add_issue_type(admin, {"name": "Noise", "colour": "#123456"})
        self.assertIn({"name": "Noise", "colour": "#123456"}, d.issue_types(admin))
        with self.assertRaises(Forbidden):
            d.add_issue_type(self.office, name="Smell")
        d.put_user(admin, id="tariq", role="fieldworker", name="Tariq Aziz")
        self.assertEqual(d.user(admin, "tariq")["name"], "Tariq Aziz")
        d.set_notification_settings(self.tech, "tariq", scope="mine", push=True, sms=True, email=False)
        self.assertEqual(d.user(self.tech, "tariq")["settings"],
                         {"scope": "mine", "push": True, "sms": True, "email": False})
        with self.assertRaises(NotFound):
            d.user(self.tech, "adam")

    def test_records_and_relink(self):
        d = self.desk
        d.put_record(self.office, kind="quote", id="Q-7", customer_id="casey", fieldworkers=["tariq"])
        issue = d.report(self.office, record=("quote", "Q-7"), type="Billing Dispute", description="Too dear.")
        self.assertEqual(d.record(self.office, "quote", "Q-7")["customer_id"], "casey")
        d.put_record(self.office, {"kind": "booking", "id": "BK-9", "customer_id": "casey", "fieldworkers": ["tariq"]})
        moved = d.relink(self.office, "quote", "Q-7", "booking", "BK-9")
        self.assertEqual([i["code"] for i in moved], [issue["code"]])
        self.assertEqual(d.get(self.office, issue["code"])["record"], {"kind": "booking", "id": "BK-9"})
        with self.assertRaises(NotFound):
            d.record(self.tech, "booking", "BK-404")


class TestPaymentHolds(Fixture):
    def test_payout_is_withheld_while_the_complaint_is_open(self):
        d = self.desk
        self.assertTrue(self.payable())
        issue = self.report()
        code = issue["code"]
        decision = d.may_pay(self.payroll, "booking", "BK-2041", "tariq")
        self.assertFalse(decision["may_pay"])
        self.assertEqual(decision["blocking"], [code])
        self.assertIn(code, decision["reason"])

        issue = d.act(self.tech, code, "resolve", {"note": "Fixed."})
        self.assertFalse(self.payable(), "Awaiting Approval is not closed")
        # A supervisor without release_payment approves: closed, but the payout stays withheld.
        issue = d.act(self.supervisor, code, "approve")
        self.assertEqual(issue["status"], "Closed")
        self.assertFalse(self.payable())
        self.advance(1)
        hold = d.release_payment(self.admin, record=BOOKING, fieldworker="tariq", reason="Approved fix")
        self.assertEqual(hold["state"], "released")
        self.assertTrue(self.payable())

        d.act(self.admin, code, "reopen", {"note": "Back again."})
        self.assertFalse(self.payable())
        d.act(self.admin, code, "close")
        self.assertTrue(self.payable())

        decisions = d.may_pay_many(self.payroll, [("booking", "BK-2041", "tariq"),
                                                  {"record": BOOKING, "fieldworker": "nobody"}])
        self.assertEqual([x["may_pay"] for x in decisions], [True, True])
        holds = d.holds(self.admin, record=BOOKING)
        self.assertEqual([(h["fieldworker"], h["state"]) for h in holds], [("tariq", "released")])
        report = d.hold_report(self.admin, "2026-01-01T00:00:00Z", self.now + dt.timedelta(hours=1))
        self.assertEqual([e["action"] for e in report["entries"]], ["withheld", "released", "reapplied", "released"])
        self.assertEqual(report["withheld_count"], 2)
        self.assertEqual(d.stalled_holds(self.admin, 1), [])

    def test_withholding_by_hand_with_an_amount(self):
        d = self.desk
        hold = d.withhold_payment(self.office, record=BOOKING, fieldworker="tariq",
                                  amount={"minor": 18000, "currency": "AUD"}, scope="whole", reason="Dispute")
        self.assertEqual((hold["state"], hold["amount"]), ("withheld", {"minor": 18000, "currency": "AUD"}))
        self.assertFalse(self.payable())
        with self.assertRaises(Forbidden):
            d.release_payment(self.office, record=BOOKING, fieldworker="tariq", reason="Settled")
        with self.assertRaises(InvalidInput) as cm:
            d.withhold_payment(self.office, record=BOOKING, fieldworker="tariq",
                               amount={"minor": 1, "currency": "XXQ"}, reason="Dispute")
        self.assertTrue(cm.exception.where.startswith("amount"), cm.exception.where)
        d.release_payment(self.admin, record=BOOKING, fieldworker="tariq", reason="Settled")
        self.assertTrue(self.payable())

    def test_an_override_release_is_marked_in_the_ledger(self):
        d = self.desk
        code = self.report()["code"]
        self.assertFalse(self.payable())
        with self.assertRaises(InvalidState) as cm:  # the complaint is still open
            d.release_payment(self.admin, record=BOOKING, fieldworker="tariq", reason="Goodwill")
        self.assertIn(code, cm.exception.message)
        with Actor("sam", "supervisor", ["release_payment"]) as payer:  # only an admin may override
            with self.assertRaises(Forbidden) as cm:
                d.release_payment(payer, record=BOOKING, fieldworker="tariq", reason="Goodwill", override=True)
        self.assertEqual(cm.exception.where, "override")
        self.advance(1)
        hold = d.release_payment(self.admin, record=BOOKING, fieldworker="tariq", reason="Goodwill", override=True)
        self.assertEqual(hold["state"], "released")
        self.assertTrue(self.payable())
        report = d.hold_report(self.admin, "2026-01-01T00:00:00Z", self.now + dt.timedelta(hours=1))
        lines = [(e["action"], e["reason"], e["override_release"]) for e in report["entries"]]
        self.assertEqual(lines[-1], ("released", "Goodwill", True))
        self.assertEqual(lines[0][0], "withheld")
        self.assertIs(lines[0][2], False)
        self.assertNotIn("override", report["entries"][-1])  # the request key is not the ledger key


class TestDiscussion(Fixture):
    def test_internal_comments_are_hidden_from_the_customer(self):
        d = self.desk
        code = self.report()["code"]
        internal = d.add_comment(self.office, code, "Tariq's van broke down; reschedule.")
        self.assertTrue(internal["internal"])
        public = d.add_comment(self.office, code, "We will be there on Tuesday.", internal=False)
        self.assertFalse(public["internal"])
        answer = d.add_comment(self.customer, code, {"body": "Thanks!", "reply_to": public["id"]})
        self.assertEqual((answer["reply_to"], answer["author_role"]), (public["id"], "customer"))

        self.assertEqual([c["id"] for c in d.thread(self.office, code)], [internal["id"], public["id"], answer["id"]])
        seen = [c["body"] for c in d.thread(self.customer, code)]
        self.assertEqual(seen, ["We will be there on Tuesday.", "Thanks!"])
        self.assertNotIn("van", " ".join(e["note"] for e in d.timeline(self.customer, code)))
        with self.assertRaises(InvalidInput) as cm:  # a reply to a comment the customer cannot see
            d.add_comment(self.customer, code, "Why?", reply_to=internal["id"])
        self.assertEqual(cm.exception.where, "reply_to")
        self.assertEqual([i["code"] for i in d.search(self.office, "van broke")], [code])
        self.assertEqual(d.search(self.customer, "van broke"), [])

    def test_attachments_round_trip_their_bytes(self):
        d = self.desk
        code = self.report()["code"]
        photo = bytes(range(256)) * 4
        att = d.attach(self.office, code, name="valve.jpg", media_type="image/jpeg", data=photo, internal=False)
        self.assertEqual(att["size"], len(photo))
        self.assertEqual(len(att["sha256"]), 64)
        self.assertEqual(d.attachment_bytes(self.customer, att["id"]), photo)
        comment = d.add_comment(self.office, code, "Invoice attached.",
                                attachments=[{"name": "a.pdf", "media_type": "application/pdf", "bytes": b"%PDF-1"}])
        self.assertEqual(comment["attachments"][0]["size"], 6)
        self.assertEqual([a["name"] for a in d.attachments(self.customer, code)], ["valve.jpg"])
        self.assertEqual(len(d.attachments(self.office, code)), 2)
        kept = d.attach(self.office, code, name="big.mov", media_type="video/quicktime", storage_key="s3://b/big.mov",
                        size=10, sha256="0" * 64)
        with self.assertRaises(InvalidState):
            d.attachment_bytes(self.office, kept["id"])
        with self.assertRaises(NotFound):
            d.attachment_bytes(self.customer, 999)

    def test_an_attachment_keeps_its_own_visibility(self):
        d = self.desk
        code = self.report()["code"]
        # Unset follows the comment; true stays internal even on a public comment.
        c = d.add_comment(self.office, code, "New part fitted.", internal=False, attachments=[
            {"name": "after.jpg", "media_type": "image/jpeg", "bytes": b"after"},
            {"name": "supplier-invoice.pdf", "media_type": "application/pdf", "bytes": b"%PDF", "internal": True}])
        self.assertEqual([a["internal"] for a in c["attachments"]], [False, True])
        seen = d.thread(self.customer, code)[0]["attachments"]
        self.assertEqual([a["name"] for a in seen], ["after.jpg"])
        self.assertEqual([a["name"] for a in d.attachments(self.customer, code)], ["after.jpg"])
        with self.assertRaises(NotFound):
            d.attachment_bytes(self.customer, c["attachments"][1]["id"])
        self.assertNotIn("supplier-invoice.pdf", repr(d.timeline(self.customer, code)))
        self.assertIn("supplier-invoice.pdf", repr(d.timeline(self.office, code)))
        # Never wider: a public file on an internal comment, or a customer's internal one, is refused.
        with self.assertRaises(InvalidInput) as cm:
            d.add_comment(self.office, code, "Staff only.", attachments=[
                {"name": "a.jpg", "media_type": "image/jpeg", "bytes": b"a", "internal": False}])
        self.assertEqual(cm.exception.where, "attachments[0].internal")
        with self.assertRaises(InvalidInput) as cm:
            d.attach(self.customer, code, name="b.jpg", media_type="image/jpeg", data=b"b", internal=True)
        self.assertEqual(cm.exception.where, "attachment.internal")
        self.assertFalse(d.attach(self.customer, code, name="c.jpg", media_type="image/jpeg", data=b"c")["internal"])
        self.assertTrue(d.attach(self.office, code, name="d.jpg", media_type="image/jpeg", data=b"d")["internal"])

    def test_watchers_links_and_delete_forever(self):
        d = self.desk
        a = self.report("first")["code"]
        b = self.report("second")["code"]
        d.put_user(self.admin, id="olivia", role="office", name="Olivia O")
        self.assertEqual(d.watch(self.office, a, "olivia"), ["olivia"])
        self.assertEqual(d.unwatch(self.office, a, "olivia"), [])
        d.link(self.office, b, a, "duplicate_of")
        self.assertEqual([(l["other_code"], l["kind"], l["outgoing"]) for l in d.links(self.office, a)],
                         [(b, "duplicate_of", False)])
        d.unlink(self.office, b, a, "duplicate_of")
        self.assertEqual(d.links(self.office, a), [])
        with self.assertRaises(Forbidden):
            d.delete_forever(self.office, b)
        gone = d.delete_forever(self.admin, b)
        self.assertEqual(gone["code"], b)
        with self.assertRaises(NotFound):
            d.get(self.admin, b)


class TestMessagesAndOutbox(Fixture):
    def test_preview_renders_without_queuing(self):
        d = self.desk
        d.put_user(self.admin, id="casey", role="customer", name="Casey Jones")
        d.set_message_settings(self.admin, branding={"company_name": "Pipes & Co"},
                               sla_promise="We reply within a day.")
        self.assertEqual(d.message_settings(self.admin)["branding"]["company_name"], "Pipes & Co")
        code = self.report()["code"]
        before = len(d.outbox_pending(self.mailer, 1000))
        messages = d.preview_message(self.admin, code, "complaint_details")
        self.assertEqual(len(messages), 1)
        m = messages[0]
        self.assertEqual((m["template"], m["recipient"], m["outbox_id"]), ("complaint_details", "casey", 0))
        self.assertIn(code, m["subject"] + m["body_text"])
        self.assertIn("Pipes &amp; Co", m["body_html"])
        self.assertEqual(len(d.outbox_pending(self.mailer, 1000)), before)

        self.assertIn("acknowledgement", d.templates(self.admin))
        ack = d.template(self.admin, "acknowledgement")
        self.assertTrue(ack["builtin"])
        d.save_template(self.admin, ack, subject="Thanks {{customer_first_name}}, we're on it ({{complaint_number}})")
        m = d.preview_message(self.admin, code, "acknowledgement")[0]
        self.assertEqual(m["subject"], f"Thanks Casey, we're on it ({code})")
        with self.assertRaises(InvalidInput) as cm:
            d.save_template(self.admin, name="acknowledgement", subject="Hi {{customer_firstname}}")
        self.assertIn("customer_firstname", cm.exception.message)
        d.reset_template(self.admin, "acknowledgement")
        self.assertTrue(d.template(self.admin, "acknowledgement")["builtin"])

        sent = d.send_message(self.admin, code, "complaint_details")
        self.assertGreater(sent[0]["outbox_id"], 0)
        self.assertEqual(len(d.outbox_pending(self.mailer, 1000)), before + 1)
        reminder = d.preview_reminder(self.admin, "tariq")
        self.assertEqual(reminder["recipient"], "tariq")
        self.assertIn(code, reminder["body_text"])
        self.assertGreater(d.send_reminder(self.admin, "tariq")["outbox_id"], 0)

    def test_outbox_fetch_page_and_ack(self):
        d = self.desk
        code = self.report()["code"]
        d.act(self.tech, code, "resolve", {"note": "Done."})
        items = d.outbox_pending(self.mailer)
        self.assertTrue(items)
        self.assertTrue(all(i["issue_code"] == code for i in items))
        self.assertEqual(len({i["idempotency_key"] for i in items}), len(items))
        self.assertIn("casey", {i["recipient"] for i in items})
        first = d.outbox_pending(self.mailer, limit=1)
        self.assertEqual(first, items[:1])
        self.assertEqual(d.outbox_pending(self.mailer, limit=1000, after_id=items[0]["id"]), items[1:])
        with self.assertRaises(Forbidden):
            d.outbox_pending(self.office)
        self.assertEqual(d.outbox_ack(self.mailer, [items[0]]), 1)
        self.assertEqual(d.outbox_ack(self.mailer, [i["id"] for i in items]), len(items) - 1)
        self.assertEqual(d.outbox_pending(self.mailer), [])
        self.assertEqual(d.outbox_ack(self.mailer, [i["id"] for i in items]), 0)
        self.assertEqual(d.outbox_ack(self.mailer, []), 0)


class TestTime(Fixture):
    def test_an_unconfirmed_complaint_closes_itself_through_process_due(self):
        self.desk.install_builtin_workflow(self.admin, "customer-confirmation")
        seen = []
        self.desk.on("status_changed", seen.append)
        issue = self.desk.report(self.office, record=BOOKING, type="Other", description="Gate left open.",
                                 workflow="customer-confirmation")
        code = issue["code"]
        self.desk.act(self.office, code, "assign", {"assignee": "tariq"})
        self.desk.act(self.tech, code, "accept")
        issue = self.desk.act(self.tech, code, "resolve", {"feedback": "Latched it."})
        self.assertEqual(issue["status"], "Confirmation")
        self.assertEqual([t["name"] for t in issue["timers"]], ["auto_close"])
        self.assertEqual(self.desk.next_due(self.office), "2026-01-09T09:00:00.000Z")
        self.assertEqual(self.desk.process_due(self.mailer), [])
        with self.assertRaises(Forbidden):
            self.desk.process_due(self.office)
        self.advance(96)
        ran = self.desk.process_due(self.mailer)
        self.assertEqual([(r["issue_code"], r["kind"], r["name"], r["outcome"]) for r in ran],
                         [(code, "timer", "auto_close", "ran")])
        self.assertEqual(self.desk.get(self.office, code)["status"], "Closed")
        self.assertEqual(seen[-1]["actor_id"], "mailer")
        self.assertEqual(self.desk.process_due(self.mailer), [])
        self.assertIsNone(self.desk.next_due(self.office))

    def test_calendar_sla_clocks_and_the_to_follow_counter(self):
        self.desk.set_calendar(self.admin, time_zone="Europe/London",
                               hours={d: ["09:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
                               holidays=["2026-12-25"])
        self.assertEqual(self.desk.calendar(self.office)["time_zone"], "Europe/London")
        with self.assertRaises(InvalidInput) as err:
            self.desk.set_calendar(self.admin, time_zone="Nowhere/Special")
        self.assertEqual(err.exception.where, "calendar.time_zone")
        issue = self.report()  # the acknowledgement starts its two-working-day SLA
        self.assertEqual(issue["slas"][0]["name"], "acknowledgement")
        self.assertEqual(issue["slas"][0]["due_at"], "2026-01-07T09:00:00.000Z")
        self.advance(3)
        clocks = self.desk.sla_clocks(self.office, issue["code"])
        self.assertEqual(clocks[0]["used_ms"], 3 * 3600 * 1000)
        self.desk.edit(self.office, issue["code"], to_follow=True, deferred_date="2026-01-08")
        self.assertEqual(self.desk.to_follow_count(self.office, "olivia"), 1)
        warned = []
        self.desk.on("sla_warning", warned.append)
        self.desk.on("reminder_due", warned.append)
        self.advance(24 * 3)
        kinds = sorted(r["kind"] for r in self.desk.process_due(self.mailer))
        self.assertEqual(kinds, ["sla_breach", "sla_warning", "to_follow"])
        self.assertEqual(sorted(e["kind"] for e in warned), ["reminder_due", "sla_warning"])


class TestEvents(Fixture):
    def test_callbacks_receive_events_as_dicts_until_removed(self):
        d = self.desk
        changes, everything = [], []
        sub = d.on("status_changed", changes.append)
        sub_any = d.on("any", lambda e: everything.append(e["kind"]))
        code = self.report()["code"]
        d.act(self.tech, code, "resolve", {"note": "Done."})
        self.assertEqual(len(changes), 1)
        e = changes[0]
        self.assertEqual((e["kind"], e["action"], e["actor_id"], e["issue_code"]), ("status_changed", "resolve", "tariq", code))
        self.assertEqual(e["issue"]["status"], "Awaiting Approval")
        self.assertIn("issue_reported", everything)
        self.assertIn("status_changed", everything)
        gc.collect()  # the trampolines must survive a collection
        d.off(sub)
        d.act(self.admin, code, "approve")
        self.assertEqual(len(changes), 1)
        self.assertIn("payment_released", everything)
        d.off(sub_any)
        with self.assertRaises(MisuseError):
            d.off(sub_any)
        with self.assertRaises(ValueError):
            d.on("no_such_event", print)

    def test_callback_may_read_the_desk(self):
        d = self.desk
        seen = []
        d.on("issue_reported", lambda e: seen.append(d.get(self.admin, e["issue_code"])["status"]))
        self.report()
        self.assertEqual(seen, ["New"])

    def test_a_raising_callback_breaks_nothing(self):
        d = self.desk
        caught, after = [], []

        def bad(event):
            raise RuntimeError("host bug")

        d.on("status_changed", bad)
        d.on("status_changed", after.append)
        d.on_callback_error = lambda exc, kind, event: caught.append((type(exc), kind, event["action"]))
        code = self.report()["code"]
        issue = d.act(self.tech, code, "resolve", {"note": "Done."})
        self.assertEqual(issue["status"], "Awaiting Approval")
        self.assertEqual(d.get(self.admin, code)["version"], 2)
        self.assertEqual(caught, [(RuntimeError, "status_changed", "resolve")])
        self.assertEqual(len(after), 1, "the other callback still ran")
        self.assertEqual(d.callback_errors, 1)
        # Even the default handler (logging) and a failing handler keep the exception out of C.
        d.on_callback_error = None
        with self.assertLogs("complaints", level="ERROR"):
            d.act(self.admin, code, "approve")
        d.on_callback_error = lambda *a: 1 / 0
        d.act(self.admin, code, "reopen")
        self.assertEqual(d.callback_errors, 3)
        self.assertEqual(d.get(self.admin, code)["status"], "Reopened")


class TestErrors(Fixture):
    def test_unknown_code_is_not_found(self):
        with self.assertRaises(NotFound) as cm:
            self.desk.get(self.office, "CMP-00042")
        e = cm.exception
        self.assertEqual(e.code, -1)
        self.assertIn("CMP-00042", e.message)
        self.assertEqual(e.where, "code")
        self.assertEqual(str(e), e.message)

    def test_an_issue_the_actor_may_not_see_is_not_found(self):
        self.desk.put_record(self.office, kind="booking", id="BK-2", customer_id="dana", fieldworkers=["fred"])
        code = self.desk.report(self.office, record=("booking", "BK-2"), type="Other", description="x")["code"]
        for actor in (self.tech, self.customer):
            with self.assertRaises(NotFound):
                self.desk.get(actor, code)

    def test_a_fieldworker_approving_is_forbidden(self):
        code = self.report()["code"]
        self.desk.act(self.tech, code, "resolve")
        with self.assertRaises(Forbidden) as cm:
            self.desk.act(self.tech, code, "approve")
        self.assertEqual(cm.exception.code, -2)
        self.assertIn("approve", cm.exception.message)
        self.assertEqual(self.desk.get(self.admin, code)["status"], "Awaiting Approval")

    def test_staff_business_is_forbidden_naming_what_was_missing(self):
        d = self.desk
        with self.assertRaises(Forbidden) as cm:  # a customer does not set what is withheld from a payout
            d.report(self.customer, record=BOOKING, type="Damage Caused", description="Scratched.",
                     hold_amounts={"tariq": {"minor": 5000, "currency": "AUD"}})
        self.assertEqual(cm.exception.where, "hold_amounts")
        d.put_user(self.admin, id="adam", role="admin", name="Adam")
        with self.assertRaises(Forbidden) as cm:  # an office user without manage_settings demotes nobody
            d.put_user(self.office, id="adam", role="office", name="Adam")
        self.assertEqual(cm.exception.where, "actor.permissions")
        self.assertEqual(d.user(self.admin, "adam")["role"], "admin")

    def test_a_limit_out_of_range_is_refused_never_wrapped_into_range(self):
        # docs/c-api.md: a limit is 1 to 10,000; a Python int past a C int must not wrap to 5.
        self.report()
        calls = {
            "search": lambda n: self.desk.search(self.office, "leaks", n),
            "process_due": lambda n: self.desk.process_due(self.mailer, n),
            "outbox_pending": lambda n: self.desk.outbox_pending(self.mailer, n),
        }
        for name, call in calls.items():
            self.assertEqual(len(call(10000)) <= 10000, True)
            for n in (0, -1, 10001, 2**32 + 5, -(2**32) + 5, 2**70):
                with self.subTest(call=name, limit=n):
                    with self.assertRaises(InvalidInput) as cm:
                        call(n)
                    self.assertEqual(cm.exception.where, "limit")
                    self.assertIn("from 1 to 10000", cm.exception.message)
        # An event kind past a C int is no kind (it must not wrap onto -1, "any").
        with self.assertRaises(MisuseError):
            self.desk.on(2**32 - 1, lambda event: None)
        # An id past an int64_t names no item (it must not wrap onto item 1).
        first = self.desk.outbox_pending(self.mailer, 1)[0]["id"]
        self.assertEqual(self.desk.outbox_ack(self.mailer, [2**64 + first]), 0)
        self.assertEqual(self.desk.outbox_pending(self.mailer, 1)[0]["id"], first)
        # Days past a C int ask for holds older than anything: none, not the ones of 5 days.
        self.assertEqual(len(self.desk.stalled_holds(self.office, 0)), 1)
        self.assertEqual(self.desk.stalled_holds(self.office, 2**32), [])
        with self.assertRaises(InvalidInput) as cm:
            self.desk.stalled_holds(self.office, -(2**32))
        self.assertEqual(cm.exception.where, "days")

    def test_a_bad_date_is_invalid_input_naming_the_field(self):
        code = self.report()["code"]
        with self.assertRaises(InvalidInput) as cm:
            self.desk.act(self.office, code, "schedule_follow_up", {"date": "2026-02-30"})
        self.assertEqual(cm.exception.where, "inputs.date")
        with self.assertRaises(InvalidInput) as cm:
            self.desk.edit(self.office, code, follow_up_date="2026-13-01")
        self.assertEqual(cm.exception.where, "follow_up_date")
        self.assertIn("2026-13-01", cm.exception.message)
        with self.assertRaises(InvalidInput) as cm:
            self.desk.report(self.office, record=BOOKING, type="Other", description="x", deferred_date="soon")
        self.assertEqual(cm.exception.where, "deferred_date")
        self.assertEqual(self.desk.get(self.office, code)["version"], 1, "nothing changed")

    def test_a_stale_version_is_a_conflict(self):
        code = self.report()["code"]
        self.desk.act(self.office, code, "convert_to_in_progress", expected_version=1)
        with self.assertRaises(Conflict) as cm:
            self.desk.act(self.tech, code, "resolve", {"note": "late"}, expected_version=1)
        self.assertEqual(cm.exception.code, -4)
        with self.assertRaises(Conflict):
            self.desk.edit(self.office, code, description="new", expected_version=1)
        self.assertEqual(self.desk.get(self.office, code)["status"], "In Progress")

    def test_an_action_not_available_is_invalid_state(self):
        code = self.report()["code"]
        with self.assertRaises(InvalidState):
            self.desk.act(self.admin, code, "approve")
        with self.assertRaises(InvalidInput):
            self.desk.act(self.admin, code, "no_such_action")

    def test_malformed_workflow_json_is_invalid_workflow(self):
        with self.assertRaises(InvalidWorkflow) as cm:
            self.desk.install_workflow(self.admin, '{"name": "broken", "statuses": [')
        self.assertEqual(cm.exception.code, -5)
        self.assertEqual(cm.exception.where, "$")
        with self.assertRaises(InvalidWorkflow) as cm:
            self.desk.install_workflow(self.admin, {
                "name": "broken", "initial": "Open",
                "statuses": [{"name": "Open", "category": "open"}, {"name": "Done", "category": "closed"}],
                "actions": [{"name": "finish", "from": ["Opne"], "to": "Done", "allow": ["office"]}]})
        self.assertIn("$.actions[0].from", cm.exception.message)
        self.assertNotIn("broken", self.desk.workflows(self.admin))

    def test_unknown_keys_and_bad_values_are_invalid_input(self):
        with self.assertRaises(InvalidInput) as cm:
            self.desk.report(self.office, record=BOOKING, type="Other", description="x", colour="red")
        self.assertEqual(cm.exception.where, "colour")
        with self.assertRaises(InvalidInput) as cm:
            self.desk.put_record(self.office, kind="boat", id="B", customer_id="c")
        self.assertEqual(cm.exception.where, "kind")
        with self.assertRaises(InvalidInput):
            self.desk.search(self.office, "x", limit=0)
        with self.assertRaises(InvalidInput):
            self.desk.report(self.office, "not json")

    def test_a_closed_actor_is_refused_and_closing_mid_call_is_safe(self):
        temp = Actor("tmp", "office")
        seen = []

        def close_actor(event):
            temp.close()  # while the report made for temp is still running
            seen.append(event["actor_id"])

        sub = self.desk.on("issue_reported", close_actor)
        issue = self.desk.report(temp, record=BOOKING, type="Other", description="closed mid-call")
        self.desk.off(sub)
        self.assertEqual((seen, issue["reporter_id"]), (["tmp"], "tmp"))
        with self.assertRaises(MisuseError) as cm:
            self.desk.get(temp, issue["code"])
        self.assertIn("closed", cm.exception.message)
        temp.close()  # idempotent

    def test_misuse_closed_desk_and_fixed_clock(self):
        with Desk.open_memory() as d:
            with self.assertRaises(MisuseError):
                d.set_clock(START)
        self.assertTrue(d.closed)
        with self.assertRaises(MisuseError):
            d.get(self.office, "CMP-00001")
        d.close()  # idempotent
        with self.assertRaises(ValueError):
            self.desk.set_clock(dt.datetime(2026, 1, 1))  # naive: no instant
        with self.assertRaises(TypeError):
            self.desk.get("olivia", "CMP-00001")

    def test_open_errors_carry_the_library_message(self):
        with self.assertRaises(InvalidInput) as cm:
            Desk.open_memory(clock="yesterday")
        self.assertIn("clock", cm.exception.message)
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaises(InvalidInput) as cm:
                Desk.open_sqlite(os.path.join(tmp, "x.db"), sync="sometimes")
            self.assertIn("sync", cm.exception.message)
            junk = os.path.join(tmp, "junk.db")
            with open(junk, "wb") as f:
                f.write(b"this is not a database" * 100)
            with self.assertRaises(complaints.StorageError) as cm:
                Desk.open_sqlite(junk)
            self.assertIn("not a database", cm.exception.message)


class TestSqlite(unittest.TestCase):
    def test_a_file_keeps_issues_across_opens(self):
        office = Actor("olivia", "office", ["edit_issues"])
        admin = Actor("adam", "admin", complaints.PERMISSIONS)
        tech = Actor("tariq", "fieldworker")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "complaints.db")
            with Desk.open_sqlite(path, sync="normal", busy_timeout_ms=2000, cache_kib=1024, read_connections=2,
                                  clock=START) as d:
                d.put_record(office, kind="booking", id="BK-1", customer_id="casey", fieldworkers=["tariq"])
                code = d.report(office, record=("booking", "BK-1"), type="Late Service", description="Late.")["code"]
                d.set_clock("2026-01-05T10:00:00Z")
                d.act(tech, code, "resolve", {"note": "On time now."})
                self.assertFalse(d.may_pay(admin, "booking", "BK-1", "tariq")["may_pay"])
            self.assertTrue(os.path.exists(path))
            with Desk.open_sqlite(path) as d:
                issue = d.get(admin, code)
                self.assertEqual((issue["status"], issue["version"], issue["updated_at"]),
                                 ("Awaiting Approval", 2, "2026-01-05T10:00:00.000Z"))
                d.act(admin, code, "approve")
                self.assertTrue(d.may_pay(admin, "booking", "BK-1", "tariq")["may_pay"])
                self.assertTrue(d.verify(admin, code)["ok"])
                self.assertEqual(len(d.timeline(admin, code)), 3 + len(
                    [e for e in d.timeline(admin, code) if e["kind"] not in ("reported", "action")]))

    def test_a_read_only_desk_reads_and_refuses_every_change(self):
        office = Actor("olivia", "office", ["edit_issues"])
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "complaints.db")
            with Desk.open_sqlite(path) as d:
                d.put_record(office, kind="booking", id="BK-1", customer_id="casey")
                code = d.report(office, record=("booking", "BK-1"), type="Other", description="Kept.")["code"]
            before = Path(path).read_bytes()
            with Desk.open_sqlite(path, read_only=True) as d:
                self.assertEqual(d.get(office, code)["description"], "Kept.")
                with self.assertRaises(complaints.StorageError) as cm:
                    d.report(office, record=("booking", "BK-1"), type="Other", description="Refused.")
                self.assertEqual(cm.exception.where, "read_only")
                self.assertIn("read-only", cm.exception.message)
                with self.assertRaises(complaints.StorageError):
                    d.scrub()
            self.assertEqual(Path(path).read_bytes(), before)
            with Desk.open_sqlite(path, immutable=True) as d:
                self.assertEqual(d.get(office, code)["description"], "Kept.")
            with self.assertRaises(InvalidInput) as cm:
                Desk.open_sqlite(path, read_only="yes")
            self.assertIn("options.read_only", cm.exception.message)

    def test_scrub_after_delete_forever(self):
        office = Actor("olivia", "office", ["edit_issues"])
        admin = Actor("adam", "admin", complaints.PERMISSIONS)
        with Desk.open_memory() as d:
            self.assertTrue(d.scrub())
        with tempfile.TemporaryDirectory() as tmp, Desk.open_sqlite(os.path.join(tmp, "s.db")) as d:
            d.put_record(office, kind="booking", id="BK-1", customer_id="casey")
            code = d.report(office, record=("booking", "BK-1"), type="Other", description="Secret.")["code"]
            self.assertTrue(d.delete_forever(admin, code)["files_scrubbed"])
            self.assertTrue(d.scrub())
            self.assertNotIn(b"Secret.", Path(tmp, "s.db").read_bytes())

    def test_threads_share_a_desk(self):
        office = Actor("olivia", "office")
        with tempfile.TemporaryDirectory() as tmp, Desk.open_sqlite(os.path.join(tmp, "t.db")) as d:
            d.put_record(office, kind="booking", id="BK-1", customer_id="casey")
            codes, errors = [], []

            def work(n):
                try:
                    for _ in range(5):
                        codes.append(d.report(office, record=("booking", "BK-1"), type="Other",
                                              description=f"thread {n}")["code"])
                        with self.assertRaises(NotFound) as cm:
                            d.get(office, f"CMP-9999{n}")
                        # Each thread reads its own last failure.
                        self.assertEqual(cm.exception.message, f"code: no issue CMP-9999{n}")
                except Exception as exc:  # pragma: no cover - reported below
                    errors.append(exc)

            threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            self.assertEqual(errors, [])
            self.assertEqual(len(set(codes)), 20)
            self.assertEqual(len(d.list(office, limit=100)), 20)


_LEAKED = []  # desks a failed threaded test could not close safely


class TestThreads(unittest.TestCase):
    """Each Python thread calls through its own C handle, so its errors are its own."""

    THREADS = 4
    ROUNDS = 150

    def open_desk(self):
        """The desk under test; test_postgres.py runs the same tests on PostgreSQL."""
        return Desk.open_memory(clock=START)

    def setUp(self):
        self.desk = self.open_desk()
        self.office = Actor("olivia", "office", ["edit_issues"])
        self.desk.put_record(self.office, kind="booking", id="BK-1", customer_id="casey", fieldworkers=["tariq"])
        self.threads = []

    def tearDown(self):
        if any(t.is_alive() for t in self.threads):
            # A thread hung inside the library (the test failed): closing the desk under it
            # could crash or hang the whole run, so leak it instead.
            _LEAKED.append(self.desk)
        else:
            self.desk.close()
        self.office.close()

    def thread(self, target, *args):
        t = threading.Thread(target=target, args=args, daemon=True)
        self.threads.append(t)
        return t

    def run_threads(self, target, count=None):
        errors = []

        def guarded(n):
            try:
                target(n)
            except BaseException as exc:  # reported by the test's thread
                errors.append((n, exc))

        threads = [self.thread(guarded, n) for n in range(count or self.THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
            self.assertFalse(t.is_alive(), "a thread hung")
        return errors

    def test_each_thread_raises_its_own_messages(self):
        d, office = self.desk, self.office
        code = d.report(office, record=("booking", "BK-1"), type="Other", description="shared")["code"]
        start = threading.Barrier(self.THREADS)
        reported = []

        def work(n):
            start.wait(30)
            for i in range(self.ROUNDS):
                missing = f"CMP-{n + 1}{i:04d}"
                with self.assertRaises(NotFound) as cm:
                    d.get(office, missing)
                self.assertEqual((cm.exception.message, cm.exception.where), (f"code: no issue {missing}", "code"))
                self.assertEqual(d.get(office, code)["code"], code)  # a success in between
                field = f"bogus_t{n}_{i}"
                with self.assertRaises(InvalidInput) as cm:
                    d.report(office, record=("booking", "BK-1"), type="Other", description="x", **{field: 1})
                self.assertEqual(cm.exception.where, field)
                self.assertIn(field, cm.exception.message)
                with self.assertRaises(InvalidInput) as cm:
                    d.edit(office, code, follow_up_date=f"2026-13-{n + 1:02d}")
                self.assertEqual(cm.exception.where, "follow_up_date")
                self.assertIn(f"2026-13-{n + 1:02d}", cm.exception.message)
                if i % 10 == 0:
                    issue = d.report(office, record=("booking", "BK-1"), type="Other", description=f"thread {n}")
                    self.assertEqual(issue["description"], f"thread {n}")
                    reported.append(issue["code"])

        self.assertEqual(self.run_threads(work), [])
        self.assertEqual(len(set(reported)), self.THREADS * len(range(0, self.ROUNDS, 10)))
        self.assertEqual(d.get(office, reported[-1])["code"], reported[-1])

    def test_a_thread_handle_is_closed_when_the_thread_ends(self):
        d = self.desk
        before = d._handles.count()
        self.assertEqual(self.run_threads(lambda n: d.issue_types(self.office)), [])
        gc.collect()
        self.assertEqual(d._handles.count(), before)

    def test_close_closes_every_thread_handle_and_may_be_repeated(self):
        d, office = self.desk, self.office
        called, resume = threading.Barrier(self.THREADS + 1), threading.Event()
        after_close = []

        def work(n):
            d.issue_types(office)  # makes this thread's handle
            called.wait(30)
            resume.wait(30)  # parked, not inside a call, while the main thread closes the desk
            with self.assertRaises(MisuseError) as cm:
                d.get(office, "CMP-00001")
            after_close.append(cm.exception.message)

        threads = [self.thread(work, n) for n in range(self.THREADS)]
        for t in threads:
            t.start()
        called.wait(30)
        d.issue_types(office)
        self.assertEqual(d._handles.count(), 1 + self.THREADS + 1)  # the root, each thread's, this one's
        d.close()
        self.assertTrue(d.closed)
        self.assertEqual(d._handles.count(), 0)
        d.close()  # idempotent
        resume.set()
        for t in threads:
            t.join(30)
        self.assertEqual(after_close, ["the desk is closed"] * self.THREADS)
        self.assertEqual(d._handles.count(), 0)
        with self.assertRaises(MisuseError):
            d.issue_types(office)

    def test_close_waits_for_calls_running_on_other_threads(self):
        d, office = self.desk, self.office
        inside, closing = threading.Event(), threading.Event()
        seen = []

        def slow(event):
            inside.set()
            closing.wait(30)
            time.sleep(0.05)  # close() is now waiting for this call
            try:
                d.issue_types(office)  # a new call while the desk closes
            except MisuseError as exc:
                seen.append(exc.message)

        d.on("issue_reported", slow)
        reported = []
        t = self.thread(lambda: reported.append(
            d.report(office, record=("booking", "BK-1"), type="Other", description="racing close")["code"]))
        t.start()
        self.assertTrue(inside.wait(30))
        closing.set()
        d.close()  # returns only once the report (and its callback) has finished
        self.assertEqual(seen, ["the desk is closed"])
        t.join(30)
        self.assertFalse(t.is_alive())
        self.assertEqual(len(reported), 1)  # the call that was running completed
        self.assertEqual(d._handles.count(), 0)

        # Hammering: threads in a loop while the desk closes under them. Each call either
        # works or raises MisuseError; none crashes.
        d2 = Desk.open_memory()
        try:
            def loop(n):
                for _ in range(2000):
                    try:
                        d2.issue_types(office)
                    except MisuseError:
                        return

            threads = [self.thread(loop, n) for n in range(self.THREADS)]
            for th in threads:
                th.start()
            time.sleep(0.02)
            d2.close()
            for th in threads:
                th.join(60)
                self.assertFalse(th.is_alive())
        finally:
            d2.close()

    def test_off_waits_for_a_delivery_on_another_thread(self):
        d, office = self.desk, self.office
        started, release, log = threading.Event(), threading.Event(), []
        other = d.on("issue_reported", lambda e: None)

        def slow(event):
            started.set()
            release.wait(30)
            d.off(other)  # on()/off() from a callback while off() waits for it: no deadlock
            log.append("callback done")

        sub = d.on("issue_reported", slow)
        reporter = self.thread(lambda: d.report(office, record=("booking", "BK-1"), type="Other", description="slow"))
        reporter.start()
        self.assertTrue(started.wait(30))

        def stop():
            d.off(sub)
            log.append("off returned")

        stopper = self.thread(stop)
        stopper.start()
        time.sleep(0.2)
        self.assertEqual(log, [], "off() returned while the callback was running")
        release.set()
        stopper.join(30)
        reporter.join(30)
        self.assertFalse(stopper.is_alive() or reporter.is_alive(), "deadlock")
        self.assertEqual(log, ["callback done", "off returned"])
        self.assertEqual(d.callback_errors, 0)
        d.report(office, record=("booking", "BK-1"), type="Other", description="after")
        self.assertEqual(log, ["callback done", "off returned"])
        with self.assertRaises(MisuseError):
            d.off(other)

    def test_a_callback_may_remove_itself_and_may_not_close_the_desk(self):
        d, office = self.desk, self.office
        seen, closing = [], []

        def once(event):
            seen.append(event["issue_code"])
            d.off(sub)
            gc.collect()  # the running trampoline must survive its removal

        def closer(event):
            try:
                d.close()
            except MisuseError as exc:
                closing.append(exc.message)

        sub = d.on("issue_reported", once)
        d.on("issue_reported", closer)
        first = d.report(office, record=("booking", "BK-1"), type="Other", description="one")["code"]
        d.report(office, record=("booking", "BK-1"), type="Other", description="two")
        self.assertEqual(seen, [first])
        self.assertFalse(d.closed)
        self.assertEqual(len(closing), 2)
        self.assertIn("inside one of its event callbacks", closing[0])


@unittest.skipUnless(HEADER.exists(), "capi/complaints.h not in this tree")
class TestHeader(unittest.TestCase):
    """The prototypes and constants of the bindings are those of complaints.h."""

    @classmethod
    def setUpClass(cls):
        text = HEADER.read_text(encoding="utf-8")
        cls.defines = dict(re.findall(r"#define (COMPLAINTS_\w+) \(?(-?\d+)u?\)?", text))
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        text = re.sub(r"^\s*#.*$", "", text, flags=re.M)
        cls.functions = {name: (ret.strip(), [a.strip() for a in args.split(",") if a.strip() not in ("", "void")])
                         for ret, name, args in re.findall(r"COMPLAINTS_C_API\s+([^;]*?)\b(complaints_\w+)\s*\(([^)]*)\)\s*;",
                                                           text, flags=re.S)}

    def c_type(self, decl):
        import ctypes
        from complaints import _native
        decl = re.sub(r"\s*\b\w+$", "", decl) if not decl.endswith("*") and " " in decl else decl
        decl = re.sub(r"\s+", " ", decl.replace("*", " * ")).strip()
        decl = re.sub(r"^const ", "", decl)
        table = {
            "int": ctypes.c_int, "unsigned": ctypes.c_uint, "int64_t": ctypes.c_int64, "size_t": ctypes.c_size_t,
            "void": None, "char *": ctypes.c_char_p, "void *": ctypes.c_void_p,
            "complaints_desk *": ctypes.c_void_p, "complaints_actor *": ctypes.c_void_p,
            "complaints_desk * *": ctypes.POINTER(ctypes.c_void_p), "complaints_actor * *": ctypes.POINTER(ctypes.c_void_p),
            "char * *": ctypes.POINTER(ctypes.c_void_p), "unsigned char * *": ctypes.POINTER(ctypes.c_void_p),
            "size_t *": ctypes.POINTER(ctypes.c_size_t), "int64_t *": ctypes.POINTER(ctypes.c_int64),
            "int *": ctypes.POINTER(ctypes.c_int), "complaints_event_fn": _native.EVENT_FN,
            "complaints_export_sink": _native.EXPORT_SINK,
        }
        self.assertIn(decl, table)
        return table[decl]

    def test_every_function_is_declared_with_its_c_types(self):
        from complaints import _native
        self.assertGreater(len(self.functions), 60)  # the parse found the declarations
        self.assertIn("complaints_desk_share", self.functions)
        self.assertEqual(set(self.functions) - set(_native.PROTOTYPES), set(), "declared in the header, not bound")
        self.assertEqual(set(_native.PROTOTYPES) - set(self.functions), set(), "bound, not in the header")
        for name, (ret, args) in self.functions.items():
            restype, argtypes = _native.PROTOTYPES[name]
            with self.subTest(name):
                self.assertEqual(restype, self.c_type(ret))
                self.assertEqual(len(argtypes), len(args), f"{name}: parameter count")
                for decl, declared in zip(args, argtypes):
                    self.assertEqual(declared, self.c_type(decl), f"{name}: {decl}")

    def test_codes_roles_permissions_and_events_match(self):
        from complaints import _native
        d = {k: int(v) for k, v in self.defines.items()}
        self.assertEqual(d["COMPLAINTS_C_VERSION_NUMBER"], _native.HEADER_VERSION_NUMBER)
        for name, code in (("ENOTFOUND", NotFound.code), ("EFORBIDDEN", Forbidden.code), ("EINVALID", InvalidInput.code),
                           ("ECONFLICT", Conflict.code), ("EWORKFLOW", InvalidWorkflow.code),
                           ("ESTORAGE", complaints.StorageError.code), ("ESTATE", InvalidState.code),
                           ("EINTERNAL", complaints.InternalError.code), ("ENOMEM", complaints.OutOfMemory.code),
                           ("EMISUSE", MisuseError.code)):
            self.assertEqual(d["COMPLAINTS_" + name], code, name)
        for role, value in _native.ROLES.items():
            self.assertEqual(d["COMPLAINTS_ROLE_" + role.upper()], value)
        for perm, value in _native.PERMISSIONS.items():
            self.assertEqual(d["COMPLAINTS_PERM_" + perm.upper()], value)
        for i, kind in enumerate(_native.EVENT_KINDS):
            self.assertEqual(d["COMPLAINTS_EVENT_" + kind.upper()], i)
        self.assertEqual(d["COMPLAINTS_EVENT_ANY"], _native.EVENT_ANY)
        self.assertEqual(len([k for k in d if k.startswith("COMPLAINTS_EVENT_")]), len(_native.EVENT_KINDS) + 1)


@unittest.skipUnless(os.path.exists(QUICKSTART), "examples/python/quickstart.py not in this tree")
class TestQuickstart(unittest.TestCase):
    def test_the_quickstart_example_runs_the_whole_story(self):
        with tempfile.TemporaryDirectory() as tmp:
            proc = subprocess.run([sys.executable, QUICKSTART, os.path.join(tmp, "quickstart.db")],
                                  capture_output=True, text=True, timeout=120, check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        out = proc.stdout
        self.assertIn("CMP-00001 is Closed (version 8); Tariq's payout: payable", out)
        self.assertIn("CMP-00001 is Reopened (version 7); Tariq's payout: withheld", out)
        self.assertIn("Timeline hash chain: intact (8 entries)", out)
        self.assertIn("  #8  2026-11-28T16:30:00.000Z  adam (admin)  close", out)


if __name__ == "__main__":
    unittest.main()
