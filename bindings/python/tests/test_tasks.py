"""Groups and tasks through the Python bindings (docs/tasks.md), against the real libcomplaints.

Run from the repository root:  python3 -m unittest discover -s bindings/python/tests
"""

import os
import sys
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

import complaints  # noqa: E402
from complaints import Actor, Conflict, Desk, Forbidden, InvalidInput, InvalidState, NotFound  # noqa: E402

START = "2026-03-02T09:00:00Z"
MEMBERS = ["alice", "bob", "carol", "dan", "erin", "fay"]
COUNCIL = {
    "name": "council", "initial": "Open",
    "statuses": [{"name": "Open", "category": "open"}, {"name": "Closed", "category": "closed"}],
    "actions": [{"name": "close", "from": ["Open"], "to": "Closed", "allow": ["admin", "office"],
                 "guards": ["no_open_tasks", "mandatory_tasks_done"]}],
    "tasks": [{"name": "investigate", "assign_to": {"groups": ["roads"]}, "mandatory": True}],
}


class TaskFixture(unittest.TestCase):
    """A memory desk with the council workflow, group roads (six members) and one case."""

    def setUp(self):
        self.desk = Desk.open_memory(clock=START)
        self.admin = Actor("admin-1", "admin", complaints.PERMISSIONS)
        self.manager = Actor("manager", "office")
        self.members = [Actor(m, "office") for m in MEMBERS]
        self.desk.put_user(self.admin, id="manager", role="office")
        for m in MEMBERS:
            self.desk.put_user(self.admin, id=m, role="office", name=m.title())
        self.desk.put_group(self.admin, id="roads", name="Roads", members=MEMBERS)
        self.desk.install_workflow(self.admin, COUNCIL)
        self.desk.put_record(self.admin, kind="booking", id="SR-1", customer_id="res-1")
        self.code = self.desk.report(self.manager, record=("booking", "SR-1"), type="Other",
                                     description="Pothole outside number 12.", workflow="council")["code"]

    def tearDown(self):
        self.desk.close()
        for a in [self.admin, self.manager] + self.members:
            a.close()

    def create(self, **fields):
        return self.desk.create_task(self.manager, self.code, kind="investigate", group="roads", **fields)


class TestTaskLife(TaskFixture):
    def test_a_task_is_created_claimed_completed_and_listed(self):
        d, alice, bob = self.desk, self.members[0], self.members[1]
        self.assertEqual(d.groups(self.manager), [{"id": "roads", "name": "Roads", "members": MEMBERS}])
        task = self.create()
        self.assertEqual((task["state"], task["group"], task["assignee"], task["claimable"], task["mandatory"]),
                         ("open", "roads", "", True, True))
        self.assertEqual([t["id"] for t in d.claimable_tasks(bob)], [task["id"]])
        claimed = d.claim_task(alice, task["id"])
        self.assertEqual((claimed["assignee"], claimed["claimable"]), ("alice", False))
        self.assertEqual(d.claimable_tasks(bob), [])
        self.assertEqual([t["id"] for t in d.my_tasks(alice)], [task["id"]])
        with self.assertRaises(InvalidState):
            d.act(self.manager, self.code, "close")
        with self.assertRaises(Forbidden):
            d.complete_task(bob, task["id"], "Not mine.")
        done = d.complete_task(alice, task["id"], "30cm pothole; repair booked.")
        self.assertEqual((done["state"], done["done_by"], done["notes"]), ("completed", "alice", "30cm pothole; repair booked."))
        self.assertIn("30cm pothole", str(d.timeline(self.manager, self.code)))
        self.assertEqual(d.act(self.manager, self.code, "close")["status"], "Closed")
        self.assertEqual([t["state"] for t in d.tasks(self.manager, self.code)], ["completed"])
        self.assertEqual(d.task(bob, task["id"])["issue_code"], self.code)

    def test_release_assign_and_cancel(self):
        d, alice = self.desk, self.members[0]
        task = self.create()
        d.claim_task(alice, task["id"])
        self.assertEqual(d.release_task(alice, task["id"])["assignee"], "")
        self.assertEqual(d.assign_task(self.manager, task["id"], "roads", "bob")["assignee"], "bob")
        self.assertEqual(d.assign_task(self.manager, task["id"], group="roads")["assignee"], "")
        cancelled = d.cancel_task(self.manager, task["id"], "Duplicate.")
        self.assertEqual((cancelled["state"], cancelled["notes"]), ("cancelled", "Duplicate."))
        with self.assertRaises(InvalidState):
            d.claim_task(alice, task["id"])

    def test_refusals_name_the_field(self):
        d = self.desk
        with self.assertRaises(InvalidInput) as cm:
            self.create(mandatory=False)
        self.assertEqual(cm.exception.where, "mandatory")
        with self.assertRaises(InvalidInput) as cm:
            d.create_task(self.manager, self.code, kind="inspect", group="roads")
        self.assertEqual(cm.exception.where, "kind")
        with self.assertRaises(InvalidInput) as cm:
            d.put_group(self.admin, id="parks", name="Parks", members=["nobody"])
        self.assertEqual(cm.exception.where, "members[0]")
        with self.assertRaises(InvalidInput) as cm:
            d.assign_task(self.manager, self.create()["id"])
        self.assertEqual(cm.exception.where, "group")
        with self.assertRaises(InvalidInput) as cm:
            d.claimable_tasks(self.members[0], limit=2**32 + 5)
        self.assertEqual(cm.exception.where, "limit")
        with self.assertRaises(NotFound):
            d.task(self.members[0], 99)
        self.assertEqual(len(d.tasks(self.manager, self.code)), 1)  # nothing refused was stored


class TestClaimRace(TaskFixture):
    """Threads with their own handles (the Desk shares one per thread) claim at once: exactly one wins."""

    ROUNDS = 10

    def test_of_six_threads_claiming_one_task_exactly_one_wins(self):
        for _ in range(self.ROUNDS):
            task_id = self.create()["id"]
            start = threading.Barrier(len(self.members))
            won, lost, other = [], [], []

            def claim(member):
                start.wait()
                try:
                    won.append(self.desk.claim_task(member, task_id)["assignee"])
                except Conflict as exc:
                    lost.append(exc)
                except BaseException as exc:  # reported by the test's thread
                    other.append(exc)

            threads = [threading.Thread(target=claim, args=(m,)) for m in self.members]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            self.assertEqual(other, [])
            self.assertEqual(len(won), 1)
            self.assertEqual(len(lost), len(self.members) - 1)
            for exc in lost:
                self.assertEqual(exc.where, "id")
                self.assertIn(won[0], exc.message)  # each loser's own message: who has it
            self.assertEqual(self.desk.task(self.admin, task_id)["assignee"], won[0])

    def test_a_queue_worked_by_six_threads_gives_each_task_to_one(self):
        ids = [self.create()["id"] for _ in range(30)]
        taken = {}
        lock = threading.Lock()

        def work(member):
            while True:
                page = self.desk.claimable_tasks(member, limit=1)
                if not page:
                    return
                try:
                    self.desk.claim_task(member, page[0]["id"])
                except Conflict:
                    continue
                with lock:
                    taken.setdefault(page[0]["id"], []).append(member.id)

        threads = [threading.Thread(target=work, args=(m,)) for m in self.members]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(sorted(taken), ids)
        self.assertTrue(all(len(who) == 1 for who in taken.values()))


if __name__ == "__main__":
    unittest.main()


OUTCOMES = {
    "name": "outcomes", "initial": "Open",
    "statuses": [{"name": "Open", "category": "open"}, {"name": "Responded", "category": "resolved"},
                 {"name": "Closed", "category": "closed"}],
    "fields": [{"name": "outcome", "type": "choice", "choices": ["Upheld", "Not upheld"]},
               {"name": "remedy", "type": "multi_choice", "choices": ["Apology", "Refund"]},
               {"name": "compensation", "type": "money", "currency": "GBP", "min": 0}],
    "actions": [{"name": "record_outcome", "from": ["Open"], "to": "Responded", "allow": ["office"],
                 "fields": ["outcome", "remedy", "compensation"], "required_fields": ["outcome"]},
                {"name": "close", "from": ["Responded"], "to": "Closed", "allow": ["office"]}],
    "tasks": [{"name": "review", "assign_to": {"groups": ["roads"]}, "access": "contact"}],
}


class TestTaskCaseEventsAndCaseFields(TaskFixture):
    def test_a_task_case_shows_its_level_and_task_events_fire(self):
        d, alice = self.desk, self.members[0]
        seen = []
        d.on("task_claimed", seen.append)
        task = self.create()
        d.claim_task(alice, task["id"])
        self.assertEqual([(e["kind"], e["item_id"], e["detail"]) for e in seen],
                         [("task_claimed", task["id"], "investigate")])
        case = d.task_case(alice, task["id"])
        self.assertEqual(case["access"], "summary")
        self.assertEqual(case["issue"]["description"], "Pothole outside number 12.")
        self.assertEqual(case["issue"]["customer_id"], "")
        self.assertIsNone(case["contact"])
        self.assertEqual((case["attachments"], case["comments"], case["timeline"]), ([], [], []))
        with self.assertRaises(NotFound):
            d.task_attachment(alice, task["id"], 1)

    def test_case_fields_are_set_checked_filtered_and_hidden_from_customers(self):
        d = self.desk
        d.install_workflow(self.admin, OUTCOMES)
        code = d.report(self.manager, record=("booking", "SR-1"), type="Other", description="Bins.",
                        workflow="outcomes")["code"]
        with self.assertRaises(InvalidInput) as e:
            d.act(self.manager, code, {"action": "record_outcome", "fields": {"remedy": ["Apology"]}})
        self.assertEqual(e.exception.where, "fields.outcome")
        issue = d.act(self.manager, code, {"action": "record_outcome",
                                           "fields": {"outcome": "Upheld", "remedy": ["Refund", "Apology"],
                                                      "compensation": "12.5"}})
        self.assertEqual(issue["fields"], {"outcome": "Upheld", "remedy": "Apology;Refund",
                                           "compensation": "12.50"})
        self.assertEqual([i["code"] for i in d.list(self.manager, fields={"outcome": "Upheld"})], [code])
        self.assertEqual(d.list(self.manager, fields={"outcome": "Not upheld"}), [])
        with self.assertRaises(InvalidInput) as e:
            d.edit(self.admin, code, fields={"compensation": "-1"})
        self.assertEqual(e.exception.where, "fields.compensation")
        customer = Actor("res-1", "customer")
        try:
            self.assertEqual(d.get(customer, code)["fields"], {})
        finally:
            customer.close()
