// Reads from two threads of one process on one Desk against one thread
// (issue 15: "reads do not queue behind another thread's write within one
// process where the backend could serve them concurrently").
//
//   read_scaling  reads/s of 2 threads sharing one Desk (library) against
//                 1 thread (baseline); > 1 means the reads ran side by side
//
// A read is what a fieldworker's app does on opening a complaint: get the
// issue by code, its timeline and the first page of the fieldworker's list.
// The same reads are measured with a third thread writing (acting on other
// issues) to show that a write does not hold the readers up. Each figure is
// the best of three runs of a fixed time, at two sizes of history.
//
// Usage: bench_read_scaling [--quick]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "complaints/complaints.hpp"
#include "harness.hpp"

using namespace complaints;

namespace {

const Actor office{"office-1", Role::office, {Permission::edit_issues, Permission::release_payment}};

Actor fieldworker(int k) { return Actor{"fw-" + std::to_string(k % 20), Role::fieldworker, {}}; }

std::unique_ptr<Desk> open_desk(const std::string &path) {
  SqliteOptions o;
  o.sync = SqliteOptions::Sync::normal;
  return std::make_unique<Desk>(open_sqlite(path, o));
}

// `issues` complaints on bookings of 20 fieldworkers, each with a comment.
void seed(Desk &desk, int issues) {
  for (int k = 0; k < issues; ++k) {
    std::string id = "B-" + std::to_string(k);
    desk.put_record(office, Record{{RecordKind::booking, id}, "cust-" + std::to_string(k % 500),
                                   {fieldworker(k).id}, RecordVisibility::restricted, false});
    ReportRequest r;
    r.record = {RecordKind::booking, id};
    r.type = "Damage Caused";
    r.description = "The fieldworker scratched the kitchen bench while moving the oven.";
    Issue issue = desk.report(office, r);
    desk.add_comment(office, issue.code, CommentRequest{"Called the customer back.", false, std::nullopt, {}});
  }
}

// One read: a fieldworker opens complaint k.
void read_one(Desk &desk, int issues, std::uint64_t k) {
  int n = static_cast<int>(k % static_cast<std::uint64_t>(issues));
  std::string code = format_issue_code(n + 1);
  Actor fw = fieldworker(n);
  desk.get(fw, code);
  desk.timeline(fw, code);
  IssueFilter f;
  f.limit = 20;
  desk.list(fw, f);
}

// Reads per second of `threads` threads reading for `seconds`, while
// `writer` (if set) acts on issues in a loop.
double reads_per_second(Desk &desk, int issues, int threads, double seconds, bool writer) {
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> done{0};
  std::vector<std::thread> pool;
  std::thread writing;
  if (writer)
    writing = std::thread([&] {
      int k = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        std::string code = format_issue_code(k++ % issues + 1);
        desk.add_comment(office, code, CommentRequest{"Another call.", true, std::nullopt, {}});
      }
    });
  auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      std::uint64_t k = static_cast<std::uint64_t>(t) * 7919, mine = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        read_one(desk, issues, k);
        k += 13;
        ++mine;
      }
      done += mine;
    });
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto &th : pool) th.join();
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (writing.joinable()) writing.join();
  return static_cast<double>(done.load()) / elapsed;
}

double best_of_three(Desk &desk, int issues, int threads, double seconds, bool writer) {
  double best = 0;
  for (int run = 0; run < 3; ++run) best = std::max(best, reads_per_second(desk, issues, threads, seconds, writer));
  return best;
}

}  // namespace

int main(int argc, char **argv) {
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const double seconds = quick ? 0.5 : 2.0;
  std::printf("complaints %s; SQLite WAL, synchronous=NORMAL; %u hardware threads\n", version_string(),
              std::thread::hardware_concurrency());
  for (int issues : {quick ? 500 : 2000, quick ? 5000 : 20000}) {
    std::string path = bench::scratch("read-scaling.db");
    auto desk = open_desk(path);
    seed(*desk, issues);
    double one = best_of_three(*desk, issues, 1, seconds, false);
    double two = best_of_three(*desk, issues, 2, seconds, false);
    double two_with_writer = best_of_three(*desk, issues, 2, seconds, true);
    std::printf("%d issues: 1 thread %.0f reads/s, 2 threads %.0f reads/s, 2 threads beside a writer %.0f reads/s\n",
                issues, one, two, two_with_writer);
    if (issues >= (quick ? 5000 : 20000)) bench::result("read_scaling", two, one);
    desk.reset();
    bench::discard(path);
  }
  return 0;
}
