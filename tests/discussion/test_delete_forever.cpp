// SPEC R9: delete forever erases everything about an issue, from every read
// and from the database files themselves, even when a reader or a crash
// delays the scrub of the files; the code is never reused.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "support/erasure.hpp"
#include "support/faulty_storage.hpp"
#include "support/support.hpp"

using namespace complaints;
using test::expect_error;

namespace {

using test::file_bytes;
using test::remover;

const std::string marker = "ZQX-ERASE-ME-7f3a";  // written into every field that takes text
// One word as the search index keeps it (lower case, whole): a term of its own in FTS5's index.
const std::string index_word = "qjxvzindexword";

template <typename F>
Issue marked_issue(F &f) {
  return test::marked_issue(f, marker, index_word);
}

// The files of a SQLite store in which erased text could linger.
constexpr const char *store_files[] = {"", "-wal", "-shm", "-journal"};

// Whether the marker is in any of the store's files.
bool marker_in_files(const std::string &path) {
  return std::any_of(std::begin(store_files), std::end(store_files),
                     [&](const char *suffix) { return file_bytes(path + suffix).find(marker) != std::string::npos; });
}

// A desk over a given storage with a manual clock, shaped like test::DeskFixture for marked_issue.
struct OnStorage {
  explicit OnStorage(std::unique_ptr<Storage> storage, std::shared_ptr<ManualClock> c = nullptr)
      : clock(c ? std::move(c) : std::make_shared<ManualClock>(test::t0())),
        desk(std::move(storage), DeskOptions{clock}) {}
  std::shared_ptr<ManualClock> clock;
  Desk desk;
  Issue act(const Actor &who, const Issue &issue, const std::string &action,
            std::map<std::string, std::string, std::less<>> inputs = {}) {
    return desk.act(who, issue.code, ActionRequest{action, std::move(inputs), std::nullopt});
  }
};

}  // namespace

TEST_CASE_TEMPLATE("after delete forever no read, list, report or search returns the issue", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = marked_issue(f);
  Issue keep = f.report_on_booking("B-1");
  f.desk.link_issues(test::office(), keep.code, i.code, LinkKind::related);
  std::vector<Event> events;
  f.desk.events().on(EventKind::issue_deleted).connect([&](const Event &e) { events.push_back(e); });

  auto ledger_names = [&](const std::string &code) {
    HoldReport r = f.desk.hold_report(test::admin(), test::t0(), test::t0() + std::chrono::days(1));
    REQUIRE(r.entries.size() == 2);  // both reports withheld fw-1
    return std::count_if(r.entries.begin(), r.entries.end(), [&](const HoldLedgerEntry &e) {
      return std::find(e.issues.begin(), e.issues.end(), code) != e.issues.end();
    });
  };
  CHECK(ledger_names(i.code) == 1);

  // Only an admin holding delete_issues may, and a refusal changes nothing.
  std::string dump = f.desk.dump();
  expect_error(Errc::forbidden, [&] { f.desk.delete_forever(Actor{"a", Role::admin, {Permission::edit_issues}}, i.code); });
  expect_error(Errc::forbidden, [&] { f.desk.delete_forever(Actor{"s", Role::supervisor, Permissions::all()}, i.code); });
  CHECK(f.desk.dump() == dump);

  DeletedIssue d = f.desk.delete_forever(remover, i.code);
  CHECK(d.code == i.code);
  CHECK(d.comments == 2);
  CHECK(d.attachments == 2);
  CHECK(d.timeline_entries == 8);  // seven of its own and the link made below
  CHECK(d.outbox_items > 0);
  CHECK(d.storage_keys == std::vector<std::string>{"bucket/" + marker});
  if (std::string_view(B::name) == "postgres")  // a test beside this one may hold a snapshot a while
    CHECK((d.files_scrubbed || test::scrub_when_alone(f.desk)));
  else
    CHECK(d.files_scrubbed);
  REQUIRE(events.size() == 1);
  CHECK(events[0].keys == d.storage_keys);
  CHECK_FALSE(events[0].issue);

  for (const Actor &a : {test::admin(), test::customer(), test::fieldworker("fw-1")}) {
    expect_error(Errc::not_found, [&] { f.desk.get(a, i.code); });
    expect_error(Errc::not_found, [&] { f.desk.timeline(a, i.code); });
    expect_error(Errc::not_found, [&] { f.desk.thread(a, i.code); });
    for (const auto &issue : f.desk.list(a, {})) CHECK(issue.code != i.code);
    CHECK(f.desk.search(a, marker).empty());
  }
  expect_error(Errc::not_found, [&] { f.desk.verify_timeline(test::admin(), i.code); });
  expect_error(Errc::not_found, [&] { f.desk.attachment(test::admin(), 1); });
  CHECK(f.desk.links(test::admin(), keep.code).empty());
  // Holds no longer name it (the payout stays withheld by the issue kept).
  PayDecision pay = f.desk.may_pay(test::admin(), {RecordKind::booking, "B-1"}, "fw-1");
  CHECK(pay.blocking == std::vector<std::string>{keep.code});
  CHECK(pay.hold->issues == std::vector<std::string>{keep.code});
  // The holds report keeps its lines (money was withheld) but no longer names it.
  CHECK(ledger_names(i.code) == 0);
  CHECK(ledger_names(keep.code) == 1);
  // No undelivered item names it, except the notices of its deletion.
  for (const auto &item : f.desk.outbox_pending(test::system_actor(), 10000)) {
    if (item.issue_code == i.code) CHECK(item.event == "issue_deleted");
    CHECK(item.body_text.find(marker) == std::string::npos);
  }
  // The next issue gets a new code.
  Issue next = f.report_on_booking("B-1");
  CHECK(next.number == keep.number + 1);
  CHECK(next.code != i.code);
  // Deleting again is not found.
  expect_error(Errc::not_found, [&] { f.desk.delete_forever(remover, i.code); });
}

// How many of the two search indexes hold `term` (FTS5's own view of its index, not its content table).
int index_terms(const std::string &path, const std::string &term) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  int found = 0;
  for (const char *table : {"search_customer", "search_staff"}) {
    db.exec(std::string("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, ") + table + ", 'row')");
    SQLite::Statement s(db, "SELECT count(*) FROM temp.vocab WHERE term = ?");
    s.bind(1, term);
    s.executeStep();
    found += s.getColumn(0).getInt();
    s.reset();
    db.exec("DROP TABLE temp.vocab");
  }
  return found;
}

TEST_CASE("erased text cannot be found in the raw bytes of the database, its WAL or journal") {
  test::TempDir dir;
  std::string path = dir.file("erase.db");
  std::string code;
  {
    OnStorage f(open_sqlite(path));
    Issue i = marked_issue(f);
    code = i.code;
    test::deliver_half(f.desk);  // delivered rows are deleted too
    // The marker is in the files before, and the word is a term of the search index.
    f.desk.scrub();
    CHECK(file_bytes(path).find(marker) != std::string::npos);
    CHECK(index_terms(path, index_word) == 2);  // in the customer's and in everyone's index
    DeletedIssue d = f.desk.delete_forever(remover, code);
    CHECK(d.files_scrubbed);
  }
  CHECK_FALSE(marker_in_files(path));
  for (const char *suffix : store_files) CHECK(file_bytes(path + suffix).find(index_word) == std::string::npos);
  CHECK(index_terms(path, index_word) == 0);
  // And the store still works, with the code not reused.
  Desk desk(open_sqlite(path));
  expect_error(Errc::not_found, [&] { desk.get(test::admin(), code); });
}

TEST_CASE_TEMPLATE("delete forever is all-or-nothing for every failing write", B, TEST_BACKENDS) {
  B backend;
  auto inner = backend.open();
  auto clock = std::make_shared<ManualClock>(test::t0());
  std::string code;
  {
    OnStorage f(std::make_unique<test::FaultyStorage>(*inner, 0), clock);
    code = marked_issue(f).code;
  }
  for (int n = 1;; ++n) {
    CAPTURE(n);
    std::string before = inner->begin(TxnMode::read)->dump();
    try {
      Desk desk(std::make_unique<test::FaultyStorage>(*inner, n), DeskOptions{clock});
      desk.delete_forever(remover, code);
    } catch (const StorageError &) {
      CHECK(inner->begin(TxnMode::read)->dump() == before);
      continue;
    }
    CHECK(n > 2);
    break;
  }
}

TEST_CASE_TEMPLATE("a scrub that fails after the erasure committed leaves it owed, not an error", B, TEST_BACKENDS) {
  B backend;
  auto inner = backend.open();
  auto clock = std::make_shared<ManualClock>(test::t0());
  auto faulty = std::make_unique<test::FaultyStorage>(*inner, 0);
  test::FaultyStorage &storage = *faulty;
  OnStorage f(std::move(faulty), clock);
  std::string code = marked_issue(f).code;
  storage.fail_scrub = true;
  DeletedIssue d = f.desk.delete_forever(remover, code);  // committed: no StorageError for what came after
  CHECK_FALSE(d.files_scrubbed);
  expect_error(Errc::not_found, [&] { f.desk.get(test::admin(), code); });
  storage.fail_scrub = false;
  CHECK(f.desk.scrub());
}

TEST_CASE_TEMPLATE("a hold only a deleted issue kept stays withheld until an authorised release", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = f.report_on_booking("B-1");
  RecordRef b1{RecordKind::booking, "B-1"};
  f.desk.delete_forever(remover, i.code);
  PayDecision pay = f.desk.may_pay(test::admin(), b1, "fw-1");
  CHECK_FALSE(pay.may_pay);
  CHECK(pay.blocking.empty());
  REQUIRE(pay.hold);
  CHECK(pay.hold->issues.empty());
  CHECK(pay.reason == "withheld until someone with the release_payment permission releases it");
  HoldReport r = f.desk.hold_report(test::admin(), test::t0(), test::t0() + std::chrono::days(1));
  REQUIRE(r.entries.size() == 2);  // fw-1 and fw-2 were withheld
  for (const auto &line : r.entries) {
    CHECK(line.issues.empty());
    CHECK(line.reason == "reported");
  }
  // No open issue keeps it, so no override is needed; the permission is.
  expect_error(Errc::forbidden, [&] { f.desk.release_payment(test::office(), {b1, "fw-1", "Complaint withdrawn"}); });
  PaymentHold h = f.desk.release_payment(remover, {b1, "fw-1", "Complaint withdrawn"});
  CHECK(h.state == HoldState::released);
  CHECK(f.desk.may_pay(test::admin(), b1, "fw-1").may_pay);
}

TEST_CASE("a process killed right after delete forever commits leaves no erased text once the store is opened again") {
  test::TempDir dir;
  std::string path = dir.file("killed.db");
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    try {
      SqliteOptions quick;
      quick.busy_timeout_ms = 0;
      OnStorage f(open_sqlite(path, quick));
      Issue i = marked_issue(f);
      // Another connection's read keeps the log from being checkpointed, so
      // nothing is scrubbed at the commit; then the process dies, as soon as
      // the deletion has committed (its event fires after the commit).
      auto reader = open_sqlite(path, quick);
      auto snapshot = reader->begin(TxnMode::read);
      snapshot->workflow_names();
      f.desk.events().on(EventKind::issue_deleted).connect([](const Event &) { kill(getpid(), SIGKILL); });
      f.desk.delete_forever(remover, i.code);
    } catch (const std::exception &e) {
      std::ofstream(dir.file("child-error")) << e.what();
    }
    _exit(1);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(file_bytes(dir.file("child-error")).empty());
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGKILL);
  REQUIRE(marker_in_files(path));  // the erased text survived the crash

  // The next open, by another process or this one, finishes the scrub; the
  // files are read while it is still open (a clean close would checkpoint anyway).
  auto storage = open_sqlite(path);
  for (const char *suffix : store_files) {
    CAPTURE(suffix);
    CHECK(file_bytes(path + suffix).find(marker) == std::string::npos);
  }
  Desk desk(std::move(storage));
  expect_error(Errc::not_found, [&] { desk.get(test::admin(), "CMP-00001"); });
  CHECK(desk.dump().find("scrub") == std::string::npos);  // and no scrub is owed any more
}

TEST_CASE("a scrub a reader delayed is finished by the next write, open or scrub of another connection") {
  test::TempDir dir;
  std::string path = dir.file("reader.db");
  SqliteOptions quick;
  quick.busy_timeout_ms = 20;  // how long delete forever waits for the reader
  OnStorage f(open_sqlite(path, quick));
  Issue i = marked_issue(f);
  auto other = open_sqlite(path, quick);
  auto reader = open_sqlite(path, quick);
  {
    auto snapshot = reader->begin(TxnMode::read);
    snapshot->workflow_names();
    DeletedIssue d = f.desk.delete_forever(remover, i.code);
    CHECK_FALSE(d.files_scrubbed);
    CHECK(marker_in_files(path));
    // While the read lasts, no write can scrub either.
    f.desk.put_record(test::office(), test::booking("B-2"));
    CHECK(marker_in_files(path));
  }
  REQUIRE(marker_in_files(path));  // the end of the read scrubs nothing by itself

  std::unique_ptr<Storage> opened;
  SUBCASE("the next write") {
    auto t = other->begin(TxnMode::write);
    t->put_record(test::booking("B-3"));
    t->commit();
  }
  SUBCASE("the next open") { opened = open_sqlite(path, quick); }
  SUBCASE("scrub") { CHECK(other->scrub()); }
  SUBCASE("the close of a connection") { reader.reset(); }
  for (const char *suffix : store_files) {
    CAPTURE(suffix);
    CHECK(file_bytes(path + suffix).find(marker) == std::string::npos);
  }
  CHECK(f.desk.dump().find("scrub") == std::string::npos);  // the debt is paid once
  CHECK(f.desk.scrub());
}
