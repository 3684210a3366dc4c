// SPEC R12.2, R12.3: opening a SQLite store whose schema is current takes no
// write lock and writes nothing; an older one is still migrated; a read-only
// mode serves backups and replicas: every read works, every change is a
// StorageError naming the mode, and the file keeps every byte.
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>

#include "storage/sqlite/schema.hpp"
#include "support/support.hpp"

using namespace complaints;
using test::expect_error;

namespace {

namespace fs = std::filesystem;

// A file's bytes and modification time: equal states mean nothing wrote it.
struct FileState {
  std::string bytes;
  fs::file_time_type mtime;
  bool operator==(const FileState &) const = default;
};

FileState state_of(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return {{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()}, fs::last_write_time(path)};
}

const RecordRef b1{RecordKind::booking, "B-1"};
const std::string description = "Scratched the kitchen bench while moving the oven.";

// A store with an issue, a comment with an attachment, a watcher, payout
// holds and notifications, closed cleanly (no -wal left). Returns its path.
std::string make_store(const test::TempDir &dir, const std::string &name = "store.db") {
  std::string path = dir.file(name);
  Desk desk(open_sqlite(path), DeskOptions{std::make_shared<ManualClock>(test::t0())});
  desk.put_user(test::admin(), User{"fw-1", Role::fieldworker, "Fay", {}});
  desk.put_record(test::office(), test::booking());
  ReportRequest r;
  r.record = b1;
  r.type = "Damage Caused";
  r.description = description;
  Issue i = desk.report(test::office(), r);
  desk.add_comment(test::office(), i.code,
                   CommentRequest{"Photo attached.",
                                  false,
                                  std::nullopt,
                                  {AttachmentRequest{"bench.jpg", "image/jpeg", std::nullopt, "JPEG", 0, "", false}}});
  desk.watch(test::office(), i.code, "fw-1");
  return path;
}

// Another process holding the store's write lock (BEGIN IMMEDIATE) until
// this object is destroyed.
class LockHolder {
 public:
  explicit LockHolder(const std::string &path) {
    int ready[2];
    REQUIRE(pipe(ready) == 0);
    REQUIRE(pipe(release_) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      close(ready[0]);
      close(release_[1]);
      sqlite3 *db = nullptr;
      bool locked = sqlite3_open(path.c_str(), &db) == SQLITE_OK &&
                    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
      char answer = locked ? 'L' : 'x';
      if (write(ready[1], &answer, 1) != 1) _exit(2);
      char go = 0;
      if (read(release_[0], &go, 1) < 0) _exit(3);  // returns when the parent closes its end
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      sqlite3_close(db);
      _exit(locked ? 0 : 1);
    }
    close(ready[1]);
    close(release_[0]);
    char answer = 0;
    REQUIRE(read(ready[0], &answer, 1) == 1);
    close(ready[0]);
    REQUIRE(answer == 'L');
  }
  ~LockHolder() {
    close(release_[1]);
    int status = 0;
    waitpid(pid_, &status, 0);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  }
  LockHolder(const LockHolder &) = delete;
  LockHolder &operator=(const LockHolder &) = delete;

 private:
  pid_t pid_ = -1;
  int release_[2] = {-1, -1};
};

SqliteOptions read_only() {
  SqliteOptions o;
  o.read_only = true;
  return o;
}

void exec(const std::string &path, const std::string &sql) {
  sqlite3 *db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

}  // namespace

TEST_CASE("opening a current store does not wait for another process's write lock") {
  test::TempDir dir;
  std::string path = make_store(dir);
  LockHolder lock(path);
  SqliteOptions impatient;
  impatient.busy_timeout_ms = 0;
  std::unique_ptr<Desk> desk;
  REQUIRE_NOTHROW(desk = std::make_unique<Desk>(open_sqlite(path, impatient)));
  CHECK(desk->get(test::admin(), "CMP-00001").description == description);
  // The lock is held: a change would have to wait for it.
  auto e = expect_error(Errc::storage, [&] { desk->put_record(test::office(), test::booking("B-2")); });
  CHECK(std::string(e.what()).find("locked") != std::string::npos);
}

TEST_CASE("opening a current store and reading it writes nothing to its file") {
  test::TempDir dir;
  std::string path = make_store(dir);
  REQUIRE_FALSE(fs::exists(path + "-wal"));
  FileState before = state_of(path);
  {
    Desk desk(open_sqlite(path));
    CHECK(desk.get(test::admin(), "CMP-00001").description == description);
    CHECK(desk.thread(test::admin(), "CMP-00001").size() == 1);
    CHECK(desk.timeline(test::admin(), "CMP-00001").size() == 3);
    CHECK(fs::file_size(path + "-wal") == 0);  // not one page written
  }
  CHECK(state_of(path) == before);
}

TEST_CASE("an older schema is still migrated on open, and a read-only open refuses to") {
  test::TempDir dir;
  std::string path = dir.file("v4.db");
  for (int v = 0; v < 4; ++v) exec(path, sqlite_schema::migrations()[v]);
  exec(path, "PRAGMA application_id = " + std::to_string(sqlite_schema::application_id) + "; PRAGMA user_version = 4;");
  FileState before = state_of(path);
  auto e = expect_error(Errc::storage, [&] { open_sqlite(path, read_only()); });
  CHECK(e.where() == "read_only");
  CHECK(std::string(e.what()).find("schema version 4") != std::string::npos);
  CHECK(state_of(path) == before);

  Desk desk(open_sqlite(path));
  Desk reader(open_sqlite(path, read_only()));  // current now: read-only opens work
  CHECK(reader.workflow_names(test::admin()) == std::vector<std::string>{"field-service"});
}

TEST_CASE("a read-only store answers every read, refuses every change, and keeps its file as it was") {
  test::TempDir dir;
  std::string path = make_store(dir);
  FileState before = state_of(path);
  {
    Desk desk(open_sqlite(path, read_only()));
    std::string dump = desk.dump();
    const Actor admin = test::admin(), office = test::office(), fw = test::fieldworker(), system = test::system_actor();
    const std::string code = "CMP-00001";

    Issue issue = desk.get(admin, code);
    CHECK(issue.description == description);
    CHECK(desk.list(fw, {}).size() == 1);
    CHECK(desk.search(test::customer(), "kitchen bench").size() == 1);
    CHECK(desk.timeline(admin, code).size() == 3);
    CHECK(desk.verify_timeline(admin, code).ok);
    CHECK_FALSE(desk.available_actions(admin, code).empty());
    std::vector<Comment> thread = desk.thread(test::customer(), code);
    REQUIRE(thread.size() == 1);
    REQUIRE(thread[0].attachments.size() == 1);
    CHECK(desk.attachment(admin, thread[0].attachments[0].id).bytes == "JPEG");
    CHECK(desk.watchers(admin, code) == std::vector<std::string>{"fw-1"});
    CHECK(desk.links(admin, code).empty());
    CHECK(desk.record(admin, b1).fieldworkers == std::vector<std::string>{"fw-1", "fw-2"});
    CHECK(desk.user(admin, "fw-1").name == "Fay");
    CHECK(desk.workflow_names(admin) == std::vector<std::string>{"field-service"});
    CHECK(desk.workflow(admin, "field-service").name() == "field-service");
    CHECK(desk.issue_types(admin).size() == 5);
    PayDecision pay = desk.may_pay(admin, b1, "fw-1");
    CHECK_FALSE(pay.may_pay);
    CHECK(pay.blocking == std::vector<std::string>{code});
    CHECK(desk.holds(admin, {}).size() == 2);
    CHECK(desk.stalled_holds(admin, std::chrono::hours(0)).size() == 2);
    CHECK(desk.hold_report(admin, test::t0(), test::t0() + std::chrono::days(1)).entries.size() == 2);
    CHECK(desk.outbox_pending(system).size() > 0);
    CHECK_FALSE(desk.template_names(admin).empty());
    CHECK(desk.message_template(admin, "acknowledgement").name == "acknowledgement");
    CHECK(desk.message_settings(admin).acknowledgement == AcknowledgementMode::automatic);
    CHECK(desk.preview_message(admin, code, "acknowledgement").size() == 1);
    CHECK(desk.preview_reminder(admin, "fw-1").body_text.find(code) != std::string::npos);

    // Every change passes its own checks, then meets the read-only store.
    ReportRequest again;
    again.record = b1;
    again.type = "Other";
    again.description = "Again.";
    IssueEdit edit;
    edit.description = "Edited.";
    const RecordRef b2{RecordKind::booking, "B-2"};
    const Workflow staged = Workflow::builtin("staged-escalation");
    const StatusDef parked{"Parked", "#123456", StatusCategory::active};
    const IssueType noise{"Noise", "#000000"};
    const ActionRequest resolve{"resolve", {}, issue.version};
    const HoldRequest withhold{b1, "fw-2", std::nullopt, HoldScope::whole, "Dispute"};
    const ReleaseRequest release{b1, "fw-1", "Settled", true};
    const User nine{"fw-9", Role::fieldworker, "Nine", {}};
    const CommentRequest comment{"More.", false, std::nullopt, {}};
    const AttachmentRequest file{"a.txt", "text/plain", std::nullopt, "hi", 0, "", false};
    const MessageTemplate acknowledgement = desk.message_template(admin, "acknowledgement");
    std::vector<std::pair<const char *, std::function<void()>>> changes = {
        {"install_workflow", [&] { desk.install_workflow(admin, staged); }},
        {"install_workflow json", [&] { desk.install_workflow(admin, staged.to_json()); }},
        {"add_status", [&] { desk.add_status(admin, "field-service", parked); }},
        {"add_issue_type", [&] { desk.add_issue_type(admin, noise); }},
        {"put_record", [&] { desk.put_record(office, test::booking("B-2")); }},
        {"relink_record", [&] { desk.relink_record(office, b1, b2); }},
        {"report", [&] { desk.report(office, again); }},
        {"act", [&] { desk.act(fw, code, resolve); }},
        {"edit", [&] { desk.edit(office, code, edit); }},
        {"withhold_payment", [&] { desk.withhold_payment(admin, withhold); }},
        {"release_payment", [&] { desk.release_payment(admin, release); }},
        {"put_user", [&] { desk.put_user(admin, nine); }},
        {"set_notification_settings", [&] { desk.set_notification_settings(admin, "fw-1", NotificationSettings{}); }},
        {"add_comment", [&] { desk.add_comment(office, code, comment); }},
        {"attach", [&] { desk.attach(office, code, file); }},
        {"watch", [&] { desk.watch(office, code, "office-1"); }},
        {"unwatch", [&] { desk.unwatch(office, code, "fw-1"); }},
        {"link_issues", [&] { desk.link_issues(office, code, "CMP-00002", LinkKind::related); }},
        {"unlink_issues", [&] { desk.unlink_issues(office, code, "CMP-00002", LinkKind::related); }},
        {"delete_forever", [&] { desk.delete_forever(admin, code); }},
        {"scrub", [&] { desk.scrub(); }},
        {"save_template", [&] { desk.save_template(admin, acknowledgement); }},
        {"reset_template", [&] { desk.reset_template(admin, "acknowledgement"); }},
        {"set_message_settings", [&] { desk.set_message_settings(admin, MessageSettings{}); }},
        {"send_message", [&] { desk.send_message(admin, code, "acknowledgement"); }},
        {"send_reminder", [&] { desk.send_reminder(admin, "fw-1"); }},
        {"outbox_ack", [&] { desk.outbox_ack(system, std::vector<std::int64_t>{1}); }},
    };
    for (const auto &[name, change] : changes) {
      CAPTURE(name);
      auto e = expect_error(Errc::storage, change);
      CHECK(e.where() == "read_only");
      CHECK(std::string(e.what()).find("read-only") != std::string::npos);
    }
    CHECK(desk.dump() == dump);
  }
  CHECK(state_of(path) == before);
}

TEST_CASE("a Desk over a read-only store that no Desk ever set up fails at construction") {
  test::TempDir dir;
  std::string path = dir.file("bare.db");
  open_sqlite(path).reset();  // the schema, but no workflow or issue types yet
  auto e = expect_error(Errc::storage, [&] { Desk desk(open_sqlite(path, read_only())); });
  CHECK(std::string(e.what()).find("never set up") != std::string::npos);
  CHECK(std::string(e.what()).find("read-only") != std::string::npos);
  CHECK(e.where() == "read_only");

  // Nor is anything created or set up read-only: a missing file, an empty one.
  expect_error(Errc::storage, [&] { open_sqlite(dir.file("missing.db"), read_only()); });
  CHECK_FALSE(fs::exists(dir.file("missing.db")));
  std::ofstream(dir.file("empty.db")).close();
  CHECK(expect_error(Errc::storage, [&] { open_sqlite(dir.file("empty.db"), read_only()); }).where() == "read_only");
  CHECK(fs::file_size(dir.file("empty.db")) == 0);
}

TEST_CASE("an immutable backup copied without its -wal and -shm is read without creating them") {
  test::TempDir dir, backups;
  std::string live = make_store(dir);
  std::string copy = backups.file("nightly ?#%20 backup.db");  // characters a URI must escape
  fs::copy_file(live, copy);
  FileState before = state_of(copy);
  SqliteOptions o;
  o.immutable = true;
  {
    Desk desk(open_sqlite(copy, o));
    CHECK(desk.get(test::admin(), "CMP-00001").description == description);
    auto e = expect_error(Errc::storage, [&] { desk.put_record(test::office(), test::booking("B-2")); });
    CHECK(e.where() == "read_only");
  }
  CHECK_FALSE(fs::exists(copy + "-wal"));
  CHECK_FALSE(fs::exists(copy + "-shm"));
  CHECK(state_of(copy) == before);
  CHECK(std::distance(fs::directory_iterator(backups.path()), fs::directory_iterator()) == 1);
}
