// The reads of the read scaling benches (bench_read_scaling on SQLite, the
// pg_read_scaling part of bench_postgres): what a fieldworker's app does on
// opening a complaint, run from several threads on one Desk.
#ifndef COMPLAINTS_BENCH_READ_SCALING_HPP
#define COMPLAINTS_BENCH_READ_SCALING_HPP

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "complaints/complaints.hpp"

namespace bench::reads {

inline const complaints::Actor office{
    "office-1", complaints::Role::office,
    {complaints::Permission::edit_issues, complaints::Permission::release_payment}};

inline complaints::Actor fieldworker(int k) {
  return complaints::Actor{"fw-" + std::to_string(k % 20), complaints::Role::fieldworker, {}};
}

// `issues` complaints on bookings of 20 fieldworkers, each with a comment.
inline void seed(complaints::Desk &desk, int issues) {
  using namespace complaints;
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

// One read: a fieldworker opens complaint k (its issue, its timeline and the
// first page of the fieldworker's list).
inline void read_one(complaints::Desk &desk, int issues, std::uint64_t k) {
  using namespace complaints;
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
// `writer` (if set) comments on issues in a loop.
inline double reads_per_second(complaints::Desk &desk, int issues, int threads, double seconds, bool writer) {
  using namespace complaints;
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

inline double best_of_three(complaints::Desk &desk, int issues, int threads, double seconds, bool writer) {
  double best = 0;
  for (int run = 0; run < 3; ++run) best = std::max(best, reads_per_second(desk, issues, threads, seconds, writer));
  return best;
}

}  // namespace bench::reads

#endif
