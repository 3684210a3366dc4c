// What only the PostgreSQL backend has: tenants in schemas, a server that
// drops connections or cancels statements, concurrent openers, conflicts
// between concurrent writers.
#include <atomic>
#include <thread>

#include "support/erasure.hpp"
#include "support/postgres.hpp"
#include "support/support.hpp"

using namespace complaints;
using test::PostgresBackend;

TEST_CASE("two tenants in two schemas of one database see no row of each other") {
  PostgresBackend a, b;
  auto clock = std::make_shared<ManualClock>(test::t0());
  Desk desk_a{a.open(), DeskOptions{clock}};
  Desk desk_b{b.open(), DeskOptions{clock}};
  desk_a.put_record(test::office(), test::booking("B-1"));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Damage Caused";
  r.description = "Tenant A's scratched bench.";
  Issue issue = desk_a.report(test::office(), r);

  CHECK(desk_b.list(test::office(), IssueFilter{}).empty());
  test::expect_error(Errc::not_found, [&] { desk_b.get(test::office(), issue.code); });
  CHECK(desk_b.search(test::office(), "bench").empty());
  CHECK(desk_a.search(test::office(), "bench").size() == 1);

  // The same number starts afresh in the other tenant.
  desk_b.put_record(test::office(), test::booking("B-1"));
  r.description = "Tenant B's own issue.";
  CHECK(desk_b.report(test::office(), r).code == issue.code);
  CHECK(desk_a.get(test::office(), issue.code).description == "Tenant A's scratched bench.");
}

TEST_CASE("a schema name that is not a plain identifier is refused, naming the option") {
  PostgresOptions o;
  for (const char *bad : {"", "1abc", "pg_catalog", "a b", "a\"b", "x;DROP TABLE y", "caf\xc3\xa9"}) {
    o.schema = bad;
    auto e = test::expect_error(Errc::invalid_input, [&] { open_postgres(test::postgres_conninfo(), o); });
    CHECK(e.where() == "schema");
  }
  o.schema = std::string(64, 'a');
  test::expect_error(Errc::invalid_input, [&] { open_postgres(test::postgres_conninfo(), o); });
  o = {};
  o.statement_timeout_ms = -1;
  CHECK(test::expect_error(Errc::invalid_input, [&] { open_postgres(test::postgres_conninfo(), o); }).where() ==
        "statement_timeout_ms");
}

TEST_CASE("a server that cannot be reached is a StorageError") {
  PostgresOptions o;
  o.schema = test::fresh_postgres_schema();
  o.connect_timeout_s = 2;
  test::expect_error(Errc::storage, [&] { open_postgres("host=/nonexistent-dir port=1 dbname=postgres", o); });
}

TEST_CASE("a connection killed in the middle of a transaction is a StorageError, and the next call reconnects") {
  PostgresBackend backend;
  auto clock = std::make_shared<ManualClock>(test::t0());
  Desk desk{backend.open(), DeskOptions{clock}};
  desk.put_record(test::office(), test::booking("B-1"));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Damage Caused";
  r.description = "Before the kill.";
  Issue first = desk.report(test::office(), r);

  auto storage = backend.open();
  std::string before;
  {
    auto txn = storage->begin(TxnMode::read);
    before = txn->dump();
  }
  {
    auto txn = storage->begin(TxnMode::write);
    txn->put_setting("half.done", "1");
    // Another connection terminates every other session on this schema's database.
    test::postgres_exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND "
                        "datname = current_database() AND backend_type = 'client backend'");
    auto e = test::expect_error(Errc::storage, [&] { txn->put_setting("half.done", "2"); });
    CHECK(std::string(e.what()).find("put") == std::string::npos);  // names the operation, not the method
  }
  {
    auto txn = storage->begin(TxnMode::read);
    CHECK(txn->dump() == before);
    CHECK_FALSE(txn->setting("half.done"));
  }
  // The desk's own connection was killed too: its next call reconnects.
  CHECK(desk.get(test::office(), first.code).description == "Before the kill.");
  r.description = "After the kill.";
  CHECK(desk.report(test::office(), r).number == first.number + 1);
}

TEST_CASE("a statement past the statement timeout is a StorageError and rolls the transaction back") {
  PostgresBackend backend;
  PostgresOptions o;
  o.statement_timeout_ms = 200;
  auto storage = backend.open(o);
  std::string before;
  {
    auto txn = storage->begin(TxnMode::read);
    before = txn->dump();
  }
  {
    auto txn = storage->begin(TxnMode::write);
    txn->put_setting("slow", "1");
    // A second connection holds a row lock the first then waits for.
    auto other = backend.open();
    auto blocker = other->begin(TxnMode::write);
    blocker->put_setting("blocked", "1");
    auto e = test::expect_error(Errc::storage, [&] { txn->put_setting("blocked", "2"); });
    CHECK(std::string(e.what()).find("timeout") != std::string::npos);
  }
  auto txn = storage->begin(TxnMode::read);
  CHECK(txn->dump() == before);
}

TEST_CASE("several openers of one new schema at once migrate it once") {
  PostgresBackend backend;
  std::vector<std::thread> threads;
  std::atomic<int> opened{0}, failed{0};
  for (int k = 0; k < 6; ++k)
    threads.emplace_back([&] {
      try {
        auto s = backend.open();
        auto txn = s->begin(TxnMode::read);
        txn->workflow_names();
        ++opened;
      } catch (const std::exception &) {
        ++failed;
      }
    });
  for (auto &t : threads) t.join();
  CHECK(opened == 6);
  CHECK(failed == 0);
  test::postgres_exec("DO $$ BEGIN IF (SELECT count(*) FROM \"" + backend.schema +
                      "\".schema_version) <> 1 THEN RAISE 'migrated more than once'; END IF; END $$");
}

TEST_CASE("concurrent writers on one issue lose no update: the loser retries and sees the new version") {
  PostgresBackend backend;
  auto clock = std::make_shared<ManualClock>(test::t0());
  Desk desk_a{backend.open(), DeskOptions{clock}};
  desk_a.put_record(test::office(), test::booking("B-1"));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Damage Caused";
  r.description = "Shared.";
  Issue issue = desk_a.report(test::office(), r);
  Desk desk_b{backend.open(), DeskOptions{clock}};

  std::vector<std::thread> threads;
  std::atomic<int> comments{0};
  for (Desk *d : {&desk_a, &desk_b})
    threads.emplace_back([&, d] {
      for (int k = 0; k < 10; ++k) {
        CommentRequest c;
        c.body = "note " + std::to_string(k);
        d->add_comment(test::office(), issue.code, c);
        ++comments;
      }
    });
  for (auto &t : threads) t.join();
  CHECK(comments == 20);
  CHECK(desk_a.thread(test::office(), issue.code).size() == 20);
  CHECK(desk_a.verify_timeline(test::office(), issue.code).ok);
}

TEST_CASE("of two write transactions updating one row at once, the later is a TransientStorageError") {
  PostgresBackend backend;
  auto a = backend.open();
  auto b = backend.open();
  {
    auto t = a->begin(TxnMode::write);
    t->put_setting("k", "0");
    t->commit();
  }
  auto ta = a->begin(TxnMode::write);
  auto tb = b->begin(TxnMode::write);
  CHECK(ta->setting("k") == "0");
  CHECK(tb->setting("k") == "0");
  ta->put_setting("k", "a");
  ta->commit();
  CHECK_THROWS_AS(tb->put_setting("k", "b"), TransientStorageError);
  tb.reset();
  CHECK(a->begin(TxnMode::read)->setting("k") == "a");
}

TEST_CASE("scrub after an erasure rewrites the touched tables and reports it done") {
  PostgresBackend backend;
  auto clock = std::make_shared<ManualClock>(test::t0());
  Desk desk{backend.open(), DeskOptions{clock}};
  desk.put_record(test::office(), test::booking("B-1"));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Damage Caused";
  r.description = "Secret words to forget.";
  Issue issue = desk.report(test::office(), r);
  auto storage = backend.open();
  {
    auto t = storage->begin(TxnMode::write);
    t->erase_issue(issue.number);
    t->commit();
  }
  CHECK(test::scrub_when_alone(*storage));  // (tests beside this one may hold snapshots a while)
  auto t = storage->begin(TxnMode::read);
  CHECK(t->dump().find("Secret") == std::string::npos);
  CHECK_FALSE(t->issue(issue.number));
}
