"""Full-text search through the Python bindings (docs/reporting.md, "Search"), against the real
libcomplaints: folding, ranking, snippets, what a customer may not find, and typed query errors.

Run from the repository root:  python3 -m unittest discover -s bindings/python/tests
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))

import complaints  # noqa: E402
from complaints import Actor, Desk, InvalidInput  # noqa: E402


class SearchTest(unittest.TestCase):
    def setUp(self):
        self.desk = Desk.open_memory(clock="2026-01-05T09:00:00Z")
        self.admin = Actor("admin-1", "admin", complaints.PERMISSIONS)
        self.office = Actor("office-1", "office")
        self.customer = Actor("cust-1", "customer")
        self.desk.put_record(self.admin, kind="booking", id="B-1", customer_id="cust-1", fieldworkers=["fw-1"])
        self.first = self.desk.report(self.office, record=("booking", "B-1"), type="Other",
                                      description="Café door left open; the door squeaks")["code"]
        self.second = self.desk.report(self.office, record=("booking", "B-1"), type="Other",
                                       description="Door handle loose")["code"]
        self.desk.add_comment(self.office, self.second, "secretword door", internal=True)

    def tearDown(self):
        self.desk.close()
        for a in (self.admin, self.office, self.customer):
            a.close()

    def test_hits_are_ranked_with_snippets(self):
        hits = self.desk.search_hits(self.office, "CAFE OR door", mark_open="<", mark_close=">")
        self.assertEqual([h["issue"]["code"] for h in hits], [self.first, self.second])
        self.assertGreater(hits[0]["score"], hits[1]["score"])
        self.assertEqual(hits[0]["snippet"], "<Café> <door> left open; the <door> squeaks")
        self.assertEqual([i["code"] for i in self.desk.search(self.office, "\"door handle\"")], [self.second])
        self.assertEqual(len(self.desk.search_hits(self.office, "door", offset=1)), 1)

    def test_a_customer_never_finds_internal_words(self):
        self.assertEqual(self.desk.search_hits(self.customer, "secretword"), [])
        hits = self.desk.search_hits(self.customer, "door")
        self.assertEqual(len(hits), 2)
        self.assertTrue(all("secret" not in h["snippet"] for h in hits))
        self.assertEqual(len(self.desk.search_hits(self.office, "secretword")), 1)

    def test_a_bad_query_names_the_byte(self):
        with self.assertRaises(InvalidInput) as caught:
            self.desk.search_hits(self.office, "door AND")
        self.assertEqual(caught.exception.where, "query, byte 5")
        with self.assertRaises(InvalidInput) as caught:
            self.desk.search_hits(self.office, "door", snippet_words=0)
        self.assertEqual(caught.exception.where, "snippet_words")


if __name__ == "__main__":
    unittest.main()
