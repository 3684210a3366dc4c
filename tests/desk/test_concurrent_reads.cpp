// Reads run on connections of their own (DeskOptions::read_connections), so
// a read on one thread never waits for another thread's write on the same
// desk, and sees what was committed before it began.
#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "support/support.hpp"

using namespace complaints;

namespace {

// A clock that stops the one thread it is armed for inside now() until
// released: a write calls now() holding the desk's lock, so the write stays
// in progress for as long as the test likes.
class GateClock final : public Clock {
 public:
  Timestamp now() const override {
    std::unique_lock lock(mutex_);
    if (armed_ && std::this_thread::get_id() == thread_) {
      held_ = true;
      changed_.notify_all();
      changed_.wait(lock, [&] { return !armed_; });
    }
    return test::t0();
  }
  void arm(std::thread::id thread) {
    std::lock_guard lock(mutex_);
    armed_ = true;
    thread_ = thread;
  }
  void wait_until_held() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return held_; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    armed_ = false;
    changed_.notify_all();
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  mutable bool armed_ = false;
  mutable bool held_ = false;
  std::thread::id thread_;
};

// A desk on a SQLite file whose clock can hold one thread's write open.
struct GatedDesk {
  test::SqliteBackend backend;
  std::shared_ptr<GateClock> clock = std::make_shared<GateClock>();
  Desk desk;
  explicit GatedDesk(std::size_t read_connections)
      : desk(backend.open(), DeskOptions{clock, read_connections}) {}

  // Starts a comment on `code` on a thread of its own and returns once that
  // write holds the desk's lock (inside its transaction), until
  // clock->release(); join the thread after.
  std::thread hold_comment(const std::string &code) {
    std::promise<std::thread::id> writer_id;
    std::future<std::thread::id> id = writer_id.get_future();
    std::promise<void> go;
    std::thread writer([this, code, writer_id = std::move(writer_id), started = go.get_future()]() mutable {
      writer_id.set_value(std::this_thread::get_id());
      started.wait();
      desk.add_comment(test::office(), code, CommentRequest{"Called back.", true, std::nullopt, {}});
    });
    clock->arm(id.get());
    go.set_value();
    clock->wait_until_held();
    return writer;
  }
};

Issue report(Desk &desk) {
  desk.put_record(test::office(), test::booking("B-1"));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Damage Caused";
  r.description = "Scratched the kitchen bench.";
  return desk.report(test::office(), r);
}

}  // namespace

TEST_CASE("a read on another thread does not wait for a write in progress, and does not see it") {
  GatedDesk g(4);
  Issue issue = report(g.desk);
  std::size_t before = g.desk.timeline(test::office(), issue.code).size();

  std::thread writer = g.hold_comment(issue.code);  // the write now holds the desk's lock

  auto read = std::async(std::launch::async, [&] { return g.desk.timeline(test::office(), issue.code).size(); });
  bool done = read.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
  g.clock->release();
  writer.join();
  REQUIRE(done);
  CHECK(read.get() == before);  // the comment was not committed when the read began
  CHECK(g.desk.timeline(test::office(), issue.code).size() == before + 1);
}

TEST_CASE("with no read connections a read waits for the write in progress") {
  GatedDesk g(0);
  Issue issue = report(g.desk);
  std::size_t before = g.desk.timeline(test::office(), issue.code).size();

  std::thread writer = g.hold_comment(issue.code);

  auto read = std::async(std::launch::async, [&] { return g.desk.timeline(test::office(), issue.code).size(); });
  // It cannot finish while the write holds the one connection (however long we wait).
  CHECK(read.wait_for(std::chrono::milliseconds(100)) == std::future_status::timeout);
  g.clock->release();
  writer.join();
  CHECK(read.get() == before + 1);  // it ran after the write committed
}

TEST_CASE_TEMPLATE("reads on several threads beside a writer see whole, verified timelines", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue issue = f.report_on_booking();
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t)
    readers.emplace_back([&, t] {
      std::size_t seen = 0;
      Actor who = t == 0 ? test::office() : test::fieldworker("fw-1");
      for (int k = 0; k < 200 && !stop; ++k) {
        auto entries = f.desk.timeline(who, issue.code);
        ChainCheck check = f.desk.verify_timeline(test::office(), issue.code);
        IssueFilter filter;
        filter.limit = 10;
        bool listed = f.desk.list(who, filter).size() == 1;
        // A later read never sees fewer entries than an earlier one.
        if (!check.ok || !listed || entries.size() < seen) ++failures;
        seen = entries.size();
      }
    });
  for (int k = 0; k < 50; ++k)
    f.desk.add_comment(test::office(), issue.code, CommentRequest{"Note " + std::to_string(k), false, std::nullopt, {}});
  stop = true;
  for (auto &r : readers) r.join();
  CHECK(failures == 0);
  CHECK(f.desk.verify_timeline(test::office(), issue.code).ok);
}

TEST_CASE_TEMPLATE("a read sees a settings change made just before it", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  // Read once so that a reader caches the workflow as it was.
  CHECK(f.desk.workflow(test::admin(), "field-service").definition().statuses.size() > 0);
  std::size_t statuses = f.desk.workflow(test::admin(), "field-service").definition().statuses.size();
  f.desk.add_status(test::admin(), "field-service", StatusDef{"On Hold", "#123456", StatusCategory::pending});
  auto seen = std::async(std::launch::async, [&] {
    return f.desk.workflow(test::admin(), "field-service").definition().statuses.size();
  });
  CHECK(seen.get() == statuses + 1);
  CHECK(f.desk.workflow(test::admin(), "field-service").definition().statuses.size() == statuses + 1);
}

TEST_CASE("a desk takes at most 64 read connections") {
  test::SqliteBackend backend;
  auto e = test::expect_error(Errc::invalid_input, [&] { Desk(backend.open(), DeskOptions{nullptr, 65}); });
  CHECK(e.where() == "read_connections");
  Desk ok(backend.open(), DeskOptions{nullptr, 64});
  CHECK(ok.workflow_names(test::admin()).size() == 1);
}
