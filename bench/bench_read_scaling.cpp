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
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "complaints/complaints.hpp"
#include "harness.hpp"
#include "read_scaling.hpp"

using namespace complaints;
using namespace bench::reads;

namespace {

std::unique_ptr<Desk> open_desk(const std::string &path) {
  SqliteOptions o;
  o.sync = SqliteOptions::Sync::normal;
  return std::make_unique<Desk>(open_sqlite(path, o));
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
