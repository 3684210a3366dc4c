// SPEC R10: the timeline is append-only and tamper-evident.
#include <sqlite3.h>

#include "support/support.hpp"

using namespace complaints;
using test::expect_error;

namespace {

// Runs one SQL statement directly on the database file, as an attacker with file access could.
void tamper(const std::string &path, const std::string &sql) {
  sqlite3 *db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char *err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  CHECK_MESSAGE(rc == SQLITE_OK, (err ? err : ""));
  sqlite3_free(err);
  sqlite3_close(db);
}

struct Tampered {
  test::TempDir dir;
  std::string path = dir.file("c.db");
  std::string code;

  Tampered() {
    auto clock = std::make_shared<ManualClock>(test::t0());
    Desk desk(open_sqlite(path), DeskOptions{clock});
    desk.put_record(test::office(), test::booking());
    ReportRequest r;
    r.record = {RecordKind::booking, "B-1"};
    r.type = "Damage Caused";
    r.description = "Broken window latch.";
    Issue i = desk.report(test::office(), r);
    for (const char *a : {"convert_to_in_progress", "close", "reopen", "close"}) {
      clock->advance(std::chrono::hours(1));
      i = desk.act(a == std::string("convert_to_in_progress") ? test::office() : test::admin(), i.code,
                   ActionRequest{a, {{"note", std::string("step ") + a}}, {}});
    }
    code = i.code;
    REQUIRE(desk.verify_timeline(test::admin(), code).ok);
    REQUIRE(desk.verify_timeline(test::admin(), code).entries == 5);
  }

  ChainCheck verify() {
    Desk desk(open_sqlite(path));
    return desk.verify_timeline(test::admin(), code);
  }
};

}  // namespace

TEST_CASE("verify finds a timeline row edited directly in SQLite") {
  Tampered t;
  tamper(t.path, "UPDATE timeline SET note = 'nothing to see' WHERE number = 1 AND seq = 3");
  ChainCheck c = t.verify();
  CHECK_FALSE(c.ok);
  CHECK(c.broken_seq == 3);
  CHECK(c.reason.find("does not match its hash") != std::string::npos);
}

TEST_CASE("verify finds a changed actor, time or before/after value") {
  Tampered t;
  tamper(t.path, "UPDATE timeline SET actor_id = 'someone-else' WHERE number = 1 AND seq = 2");
  CHECK(t.verify().broken_seq == 2);
  Tampered u;
  tamper(u.path, "UPDATE timeline SET at = at - 3600000 WHERE number = 1 AND seq = 4");
  CHECK(u.verify().broken_seq == 4);
  Tampered v;
  tamper(v.path,
         "UPDATE timeline SET changes = replace(changes, 'Closed', 'In Progress') WHERE number = 1 AND seq = 5");
  CHECK(v.verify().broken_seq == 5);
}

TEST_CASE("verify finds a deleted entry in the middle and a truncated end") {
  Tampered t;
  tamper(t.path, "DELETE FROM timeline WHERE number = 1 AND seq = 2");
  ChainCheck c = t.verify();
  CHECK_FALSE(c.ok);
  CHECK(c.broken_seq == 2);
  Tampered u;
  tamper(u.path, "DELETE FROM timeline WHERE number = 1 AND seq = 5");
  c = u.verify();
  CHECK_FALSE(c.ok);
  CHECK(c.broken_seq == 5);
}

TEST_CASE("verify finds a rehashed entry that no longer links to the next") {
  // Recomputing one entry's hash to match its edited content breaks the link after it.
  Tampered t;
  Desk desk(open_sqlite(t.path));
  auto entries = desk.timeline(test::admin(), t.code);
  tamper(t.path, "UPDATE timeline SET hash = '" + std::string(64, 'a') + "' WHERE number = 1 AND seq = 2");
  ChainCheck c = t.verify();
  CHECK_FALSE(c.ok);
  CHECK(c.broken_seq == 2);
}

TEST_CASE_TEMPLATE("timeline entries chain: each links to the hash of the one before", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = f.report_on_booking();
  i = f.act(test::fieldworker(), i, "resolve");
  i = f.act(test::admin(), i, "approve");
  auto tl = f.desk.timeline(test::admin(), i.code);
  REQUIRE(tl.size() == 3);
  CHECK(tl[0].prev_hash.empty());
  CHECK(tl[0].hash.size() == 64);
  CHECK(tl[1].prev_hash == tl[0].hash);
  CHECK(tl[2].prev_hash == tl[1].hash);
  CHECK(tl[2].seq == 3);
  ChainCheck c = f.desk.verify_timeline(test::supervisor(), i.code);
  CHECK(c.ok);
  CHECK(c.entries == 3);
  expect_error(Errc::forbidden, [&] { f.desk.verify_timeline(test::customer(), i.code); });
}

TEST_CASE_TEMPLATE("customers see the timeline without internal entries or staff notes", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Record quote{{RecordKind::quote, "Q-1"}, "cust-1", {}, RecordVisibility::restricted, false};
  f.desk.put_record(test::office(), quote);
  ReportRequest r;
  r.record = quote.ref;
  r.type = "Other";
  r.description = "Quote is unclear.";
  Issue i = f.desk.report(test::customer(), r);
  f.desk.put_record(test::office(), test::booking("B-5"));
  f.desk.relink_record(test::office(), quote.ref, {RecordKind::booking, "B-5"});
  f.desk.act(test::admin(), i.code, ActionRequest{"close", {{"note", "Customer is difficult"}}, {}});
  auto mine = f.desk.timeline(test::customer(), i.code);
  REQUIRE(mine.size() == 2);  // reported, closed; the relink is internal
  CHECK(mine[1].action == "close");
  CHECK(mine[1].note.empty());
  CHECK(f.desk.timeline(test::admin(), i.code).size() == 3);
}
