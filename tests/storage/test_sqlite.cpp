// What only the SQLite backend promises: one durable file, WAL, a schema
// version migrated forward on open, and clear errors for the wrong file.
#include <sqlite3.h>

#include <fstream>
#include <tuple>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "storage/sqlite/schema.hpp"
#include "storage/sqlite/scrub.hpp"
#include "search/texts.hpp"
#include "support/support.hpp"

using namespace complaints;
using test::expect_error;

namespace {

std::string pragma(const std::string &path, const std::string &name) {
  sqlite3 *db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt *st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, ("PRAGMA " + name).c_str(), -1, &st, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW) out = reinterpret_cast<const char *>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

void exec(const std::string &path, const std::string &sql) {
  sqlite3 *db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

}  // namespace

TEST_CASE("a SQLite store survives closing: issues, timeline and unacknowledged outbox items") {
  test::TempDir dir;
  std::string path = dir.file("durable.db");
  std::string code;
  std::size_t pending = 0;
  {
    Desk desk(open_sqlite(path));  // default options: synchronous FULL
    desk.put_record(test::office(), test::booking());
    ReportRequest r;
    r.record = {RecordKind::booking, "B-1"};
    r.type = "Damage Caused";
    r.description = "Cracked basin.";
    code = desk.report(test::office(), r).code;
    desk.act(test::fieldworker(), code, ActionRequest{"resolve", {}, {}});
    pending = desk.outbox_pending(test::system_actor()).size();
    CHECK(pending == 8);  // reported: 3, payouts withheld: 2, acknowledgement: 1, resolved: 2
  }
  Desk desk(open_sqlite(path));
  CHECK(desk.get(test::admin(), code).status == "Awaiting Approval");
  CHECK(desk.timeline(test::admin(), code).size() == 2);
  CHECK(desk.verify_timeline(test::admin(), code).ok);
  CHECK(desk.outbox_pending(test::system_actor()).size() == pending);
  CHECK(pragma(path, "journal_mode") == "wal");
  CHECK(pragma(path, "user_version") == std::to_string(sqlite_schema_version()));
}

TEST_CASE("opening a file written by a newer schema, or not ours, is a storage error") {
  test::TempDir dir;
  std::string path = dir.file("newer.db");
  { Desk desk(open_sqlite(path)); }
  exec(path, "PRAGMA user_version = 999");
  auto e = expect_error(Errc::storage, [&] { open_sqlite(path); });
  CHECK(std::string(e.what()).find("newer") != std::string::npos);

  std::string other = dir.file("other.db");
  exec(other, "CREATE TABLE accounts (id INTEGER PRIMARY KEY)");
  CHECK(std::string(expect_error(Errc::storage, [&] { open_sqlite(other); }).what()).find("not a complaints database") !=
        std::string::npos);

  std::string garbage = dir.file("garbage.db");
  std::ofstream(garbage) << std::string(8192, 'x');
  expect_error(Errc::storage, [&] { open_sqlite(garbage); });

  SqliteOptions no_create;
  no_create.create = false;
  expect_error(Errc::storage, [&] { open_sqlite(dir.file("missing.db"), no_create); });
  expect_error(Errc::storage, [&] { open_sqlite(dir.file("no/such/dir/x.db")); });
}

TEST_CASE("an older schema is migrated forward on open") {
  // Version 0 is an empty file: opening it applies every migration.
  test::TempDir dir;
  std::string path = dir.file("old.db");
  exec(path, "PRAGMA user_version = 0");
  Desk desk(open_sqlite(path));
  CHECK(pragma(path, "user_version") == std::to_string(sqlite_schema_version()));
  CHECK(desk.workflow_names(test::admin()) == std::vector<std::string>{"field-service"});
}

TEST_CASE("a writer blocked past the busy timeout gets a storage error, not a crash") {
  test::TempDir dir;
  std::string path = dir.file("busy.db");
  { Desk desk(open_sqlite(path)); }
  SqliteOptions quick;
  quick.busy_timeout_ms = 50;
  auto a = open_sqlite(path, quick);
  auto b = open_sqlite(path, quick);
  auto holding = a->begin(TxnMode::write);
  auto e = expect_error(Errc::storage, [&] { b->begin(TxnMode::write); });
  CHECK(std::string(e.what()).find("locked") != std::string::npos);
  // Readers are not blocked by a writer in WAL mode.
  CHECK_NOTHROW(b->begin(TxnMode::read)->workflow_names());
}

TEST_CASE("a version 1 database is migrated to the current schema with its data intact") {
  test::TempDir dir;
  std::string path = dir.file("v1.db");
  // Build a database exactly as version 1 of the library left it.
  exec(path, sqlite_schema::migrations()[0]);
  exec(path, "PRAGMA application_id = " + std::to_string(sqlite_schema::application_id) + "; PRAGMA user_version = 1;");
  exec(path, "INSERT INTO records (kind, host_id, customer_id, visibility, paid_out) VALUES ('booking', 'B-1', "
             "'cust-1', 'restricted', 0); INSERT INTO record_fieldworkers VALUES ('booking', 'B-1', 0, 'fw-1');");
  REQUIRE(pragma(path, "user_version") == "1");

  Desk desk(open_sqlite(path));
  CHECK(pragma(path, "user_version") == std::to_string(sqlite_schema_version()));
  Record r = desk.record(test::admin(), {RecordKind::booking, "B-1"});
  CHECK(r.customer_id == "cust-1");
  CHECK(r.fieldworkers == std::vector<std::string>{"fw-1"});
  CHECK(r.invoice_id.empty());
  // The new tables work on the old data.
  ReportRequest req;
  req.record = r.ref;
  req.type = "Other";
  req.description = "After the upgrade.";
  desk.report(test::office(), req);
  CHECK_FALSE(desk.may_pay(test::admin(), r.ref, "fw-1").may_pay);
}

TEST_CASE("a version 8 database gains search texts and status periods equal to those the library writes") {
  test::TempDir dir;
  std::string path = dir.file("v8.db");
  for (int v = 0; v < 8; ++v) exec(path, sqlite_schema::migrations()[v]);
  exec(path, "PRAGMA application_id = " + std::to_string(sqlite_schema::application_id) + "; PRAGMA user_version = 8;");
  // Three issues as version 8 left them, with public and internal comments and files.
  std::string sql =
      "INSERT INTO records (kind, host_id, customer_id, visibility, paid_out) VALUES ('booking', 'B-1', 'cust-1', "
      "'restricted', 0); INSERT INTO record_fieldworkers VALUES ('booking', 'B-1', 0, 'fw-1');";
  const char *descriptions[] = {"Café roof leaks", "Gate broken", "Nothing"};
  for (int n = 1; n <= 3; ++n)
    sql += fmt::format(
        "INSERT INTO issues (number, record_kind, record_id, customer_id, type, description, to_follow, workflow, "
        "status, category, stage, assignee, reporter_id, reporter_role, channel, created_at, updated_at, version, "
        "timeline_seq, timeline_hash, fieldworkers) VALUES ({0}, 'booking', 'B-1', 'cust-1', 'Other', '{1}', 0, "
        "'field-service', 'New', 'open', '', '', 'office-1', 'office', 'office', 1000, {2}, 1, 1, '', 'fw-1');",
        n, descriptions[n - 1], 1000 + n);
  sql +=
      "INSERT INTO comments (number, author_id, author_role, internal, body, reply_to, mentions, created_at) VALUES "
      "(1, 'office-1', 'office', 1, 'internal ladder note', NULL, '', 0), "
      "(1, 'office-1', 'office', 0, 'public reply', NULL, '', 0);"
      "INSERT INTO attachments (number, comment_id, name, media_type, size, sha256, storage_key, bytes, internal, "
      "uploaded_by, created_at) VALUES (2, NULL, 'gate-photo.jpg', 'image/jpeg', 1, '', 'k/1', NULL, 0, 'o', 0), "
      "(2, NULL, 'quote.pdf', 'application/pdf', 1, '', 'k/2', NULL, 1, 'o', 0);";
  exec(path, sql);

  auto storage = open_sqlite(path);
  CHECK(pragma(path, "user_version") == std::to_string(sqlite_schema_version()));
  {
    // The texts are those the library itself writes (search::texts).
    SQLite::Database db(path);
    auto t = storage->begin(TxnMode::read);
    for (std::int64_t n = 1; n <= 3; ++n) {
      SearchText want = search::texts(t->issue(n)->issue, t->comments(n), t->attachments(n));
      for (auto [table, text] : {std::pair{"search_customer", &want.customer}, {"search_staff", &want.staff}}) {
        SQLite::Statement s(db, std::string("SELECT text FROM ") + table + " WHERE rowid = ?");
        s.bind(1, n);
        REQUIRE(s.executeStep());
        CHECK(s.getColumn(0).getString() == *text);
      }
    }
    // One open period each: the current status since the last change.
    auto periods = t->status_periods(std::vector<std::int64_t>{1, 2, 3});
    REQUIRE(periods.size() == 3);
    CHECK(periods[1] == StatusPeriod{2, "New", StatusCategory::open, "", from_millis(1002), std::nullopt});
  }
  Desk desk(std::move(storage));
  CHECK(desk.search(test::office(), "ladder").size() == 1);
  CHECK(desk.search(test::customer(), "ladder").empty());
  CHECK(desk.search(test::customer(), "cafe").size() == 1);
  CHECK(desk.search(test::customer(), "quote").empty());
  CHECK(desk.search(test::office(), "quote").size() == 1);
}

TEST_CASE("a version 4 database's holds get their issue lists on migration, and keep them after") {
  test::TempDir dir;
  std::string path = dir.file("v4.db");
  for (int v = 0; v < 4; ++v) exec(path, sqlite_schema::migrations()[v]);
  exec(path, "PRAGMA application_id = " + std::to_string(sqlite_schema::application_id) + "; PRAGMA user_version = 4;");
  // Issue rows are not needed to read a hold: foreign keys are off on this connection.
  exec(path, "INSERT INTO holds VALUES ('booking', 'B-1', 'fw-1', 'withheld', NULL, NULL, 'whole', 0, NULL);"
             "INSERT INTO holds VALUES ('booking', 'B-1', 'fw-2', 'withheld', NULL, NULL, 'whole', 0, NULL);"
             "INSERT INTO hold_issues VALUES ('booking', 'B-1', 'fw-1', 7, 1), ('booking', 'B-1', 'fw-1', 3, 0);");

  auto s = open_sqlite(path);
  CHECK(pragma(path, "user_version") == std::to_string(sqlite_schema_version()));
  RecordRef b1{RecordKind::booking, "B-1"};
  auto t = s->begin(TxnMode::read);
  auto h = t->hold(b1, "fw-1");
  REQUIRE(h);
  CHECK(h->issues == std::vector<std::string>{"CMP-00003", "CMP-00007"});
  CHECK(h->blocking == std::vector<std::string>{"CMP-00007"});
  REQUIRE(t->hold(b1, "fw-2"));
  CHECK(t->hold(b1, "fw-2")->issues.empty());
  t.reset();
  // The triggers the migration installs keep the lists from then on.
  exec(path, "UPDATE hold_issues SET open = 1 WHERE number = 3; DELETE FROM hold_issues WHERE number = 7;");
  h = s->begin(TxnMode::read)->hold(b1, "fw-1");
  REQUIRE(h);
  CHECK(h->issues == std::vector<std::string>{"CMP-00003"});
  CHECK(h->blocking == std::vector<std::string>{"CMP-00003"});
}

TEST_CASE("a corrupt issue list on a hold is a storage error, not a crash") {
  test::TempDir dir;
  std::string path = dir.file("corrupt.db");
  auto s = open_sqlite(path);
  {
    auto t = s->begin(TxnMode::write);
    t->put_record(test::booking("B-1"));
    t->put_hold(PaymentHold{{RecordKind::booking, "B-1"}, "fw-1", HoldState::withheld, std::nullopt, HoldScope::whole,
                            test::t0(), std::nullopt, {}, {}});
    t->commit();
  }
  for (const char *bad : {"x", "1\n\n2", "-4", "99999999999999999999", "3\n"}) {
    CAPTURE(bad);
    exec(path, std::string("UPDATE holds SET blocking = '") + bad + "'");
    auto e = expect_error(Errc::storage, [&] { s->begin(TxnMode::read)->hold({RecordKind::booking, "B-1"}, "fw-1"); });
    CHECK(std::string(e.what()).find("holds.blocking") != std::string::npos);
  }
}

TEST_CASE("a scrub clears only the debt it saw: an erasure recorded meanwhile stays owed") {
  test::TempDir dir;
  std::string path = dir.file("debt.db");
  open_sqlite(path).reset();
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  sqlite_scrub::Debt debt(db, 0);
  CHECK_FALSE(debt.owed());
  auto erasure = [&] {
    db.exec("BEGIN IMMEDIATE");
    debt.record();
    db.exec("COMMIT");
  };
  erasure();
  std::optional<std::string> seen = debt.owed();
  REQUIRE(seen);
  erasure();  // after the scrub read the debt, before it clears it
  CHECK(debt.settle(seen, false));
  REQUIRE(debt.owed());
  CHECK(debt.owed() != seen);
  CHECK(debt.settle(debt.owed(), false));
  CHECK_FALSE(debt.owed());
  CHECK(debt.settle(std::nullopt, false));  // nothing owed: still checkpoints
}

TEST_CASE("a version 8 database's lists are the same after the migration, for fieldworkers and by open issues") {
  test::TempDir dir;
  std::string path = dir.file("v8.db");
  for (int v = 0; v < 8; ++v) exec(path, sqlite_schema::migrations()[v]);
  exec(path, "PRAGMA application_id = " + std::to_string(sqlite_schema::application_id) + "; PRAGMA user_version = 8;");
  // Issues 1-3 on a booking of fw-1 and fw-2, 4 on a restricted quote of fw-1, 5 on a quote all may see; 2 closed.
  std::string issues;
  for (auto [n, kind, id, category] : {std::tuple{1, "booking", "B-1", "open"},
                                       {2, "booking", "B-1", "closed"},
                                       {3, "booking", "B-1", "active"},
                                       {4, "quote", "Q-1", "open"},
                                       {5, "quote", "Q-2", "open"}})
    issues += fmt::format(
        "INSERT INTO issues (number, record_kind, record_id, customer_id, type, description, to_follow, workflow, "
        "status, category, stage, assignee, reporter_id, reporter_role, channel, created_at, updated_at, version, "
        "timeline_seq, timeline_hash, fieldworkers) VALUES ({0}, '{1}', '{2}', 'cust-1', 'Other', 'Old.', 0, "
        "'field-service', 'New', '{3}', '', '', 'office-1', 'office', 'office', 0, 0, 1, 1, '', 'fw-1');"
        "INSERT INTO issue_fieldworkers VALUES ('fw-1', {0});",
        n, kind, id, category);
  exec(path,
       "INSERT INTO records (kind, host_id, customer_id, visibility, paid_out) VALUES ('booking', 'B-1', "
       "'cust-1', 'restricted', 0), ('quote', 'Q-1', 'cust-1', 'restricted', 0), ('quote', 'Q-2', 'cust-1', "
       "'all', 0); INSERT INTO record_fieldworkers VALUES ('booking', 'B-1', 0, 'fw-1'), ('booking', 'B-1', 1, "
       "'fw-2'), ('quote', 'Q-1', 0, 'fw-1'), ('quote', 'Q-2', 0, 'fw-1');" +
           issues);

  Desk desk(open_sqlite(path));
  CHECK(pragma(path, "user_version") == std::to_string(sqlite_schema_version()));
  auto numbers = [&](const Actor &actor, IssueFilter filter) {
    std::vector<std::int64_t> out;
    for (const auto &i : desk.list(actor, filter)) out.push_back(i.number);
    return out;
  };
  using V = std::vector<std::int64_t>;
  IssueFilter open = IssueFilter::open_issues(), by_fw1;
  by_fw1.fieldworker = "fw-1";
  CHECK(numbers(test::fieldworker("fw-1"), {}) == V{1, 2, 3, 5});
  CHECK(numbers(test::fieldworker("fw-1"), open) == V{1, 3, 5});
  CHECK(numbers(test::fieldworker("fw-2"), open) == V{1, 3});
  CHECK(numbers(test::admin(), open) == V{1, 3, 4, 5});
  by_fw1.categories = open.categories;
  CHECK(numbers(test::admin(), by_fw1) == V{1, 3, 4, 5});
  by_fw1.categories = {StatusCategory::closed};
  CHECK(numbers(test::admin(), by_fw1) == V{2});
}
