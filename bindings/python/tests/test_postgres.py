"""The bindings on a PostgreSQL desk: the lifecycle, holds, discussion, messages, time, events, errors and
threads tests of test_complaints.py run again, each on a schema of its own, plus what only PostgreSQL has.

Needs a server: COMPLAINTS_TEST_POSTGRES is libpq's connection string (scripts/test.sh starts a throw-away
server with tests/postgres/server.sh and sets it). Without it these tests fail: PostgreSQL is never skipped.
"""

import itertools
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))

import complaints  # noqa: E402
import test_complaints as base  # noqa: E402
from complaints import Actor, Desk, InvalidInput  # noqa: E402

_schemas = itertools.count(1)


def conninfo():
    info = os.environ.get("COMPLAINTS_TEST_POSTGRES", "")
    if not info:
        raise AssertionError("COMPLAINTS_TEST_POSTGRES is not set: start a server with tests/postgres/server.sh "
                             "start DIR and set it to the contents of DIR/conninfo (scripts/test.sh does)")
    return info


def fresh_schema():
    return f"py_{os.getpid()}_{next(_schemas)}"


class OnPostgres:
    """Mixed in before a test class of test_complaints.py: its desk is a PostgreSQL one."""

    def open_desk(self):
        return Desk.open_postgres(conninfo(), schema=fresh_schema(), clock=base.START)


class TestLifecycleOnPostgres(OnPostgres, base.TestLifecycle):
    pass


class TestPaymentHoldsOnPostgres(OnPostgres, base.TestPaymentHolds):
    pass


class TestDiscussionOnPostgres(OnPostgres, base.TestDiscussion):
    pass


class TestMessagesAndOutboxOnPostgres(OnPostgres, base.TestMessagesAndOutbox):
    pass


class TestTimeOnPostgres(OnPostgres, base.TestTime):
    pass


class TestEventsOnPostgres(OnPostgres, base.TestEvents):
    pass


class TestErrorsOnPostgres(OnPostgres, base.TestErrors):
    pass


class TestThreadsOnPostgres(OnPostgres, base.TestThreads):
    pass


class TestPostgresOnly(unittest.TestCase):
    def setUp(self):
        self.office = Actor("olivia", "office", ["edit_issues"])

    def tearDown(self):
        self.office.close()

    def report(self, desk, text):
        desk.put_record(self.office, kind="booking", id="BK-1", customer_id="casey", fieldworkers=["tariq"])
        return desk.report(self.office, record=("booking", "BK-1"), type="Unsatisfactory Job", description=text)

    def test_two_tenants_in_two_schemas_see_no_row_of_each_other(self):
        a_schema, b_schema = fresh_schema(), fresh_schema()
        with Desk.open_postgres(conninfo(), schema=a_schema) as a, \
                Desk.open_postgres(conninfo(), schema=b_schema, read_connections=0) as b:
            self.report(a, "Tenant A's leak")
            self.report(a, "Tenant A's second leak")
            code = self.report(b, "Tenant B's broken gate")["code"]
            self.assertEqual(code, "CMP-00001")  # numbered per tenant
            self.assertEqual([i["description"] for i in a.list(self.office)],
                             ["Tenant A's leak", "Tenant A's second leak"])
            self.assertEqual([i["description"] for i in b.list(self.office)], ["Tenant B's broken gate"])
        # Reopened, a tenant finds its own issues again.
        with Desk.open_postgres(conninfo(), schema=b_schema, create_schema=False) as b:
            self.assertEqual(b.get(self.office, code)["description"], "Tenant B's broken gate")

    def test_bad_options_and_an_unreachable_server_are_typed_errors(self):
        with self.assertRaises(InvalidInput) as cm:
            Desk.open_postgres(conninfo(), schema="pg_catalog")
        self.assertEqual(cm.exception.where, "options.schema")
        with self.assertRaises(InvalidInput) as cm:
            Desk.open_postgres(conninfo(), statement_timeout_ms=-1)
        self.assertEqual(cm.exception.where, "options.statement_timeout_ms")
        with self.assertRaises(complaints.StorageError) as cm:
            Desk.open_postgres(conninfo(), schema=fresh_schema(), create_schema=False)
        self.assertIn("schema", cm.exception.message)
        with self.assertRaises(complaints.StorageError) as cm:
            Desk.open_postgres("host=/nonexistent-complaints-dir connect_timeout=1")
        self.assertIn("PostgreSQL", cm.exception.message)


if __name__ == "__main__":
    unittest.main()
