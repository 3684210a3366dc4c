// What every benchmark shares: scratch database files, a rate meter and the
// RESULT line the issues ask for.
#ifndef COMPLAINTS_BENCH_HARNESS_HPP
#define COMPLAINTS_BENCH_HARNESS_HPP

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

namespace bench {

// Removes a database file and its WAL and shared-memory files.
inline void discard(const std::string &path) {
  for (const char *s : {"", "-wal", "-shm"}) std::filesystem::remove(path + s);
}

// A fresh path under the temporary directory, with any earlier database at
// that path (and its WAL and shared-memory files) removed.
inline std::string scratch(const std::string &name) {
  auto dir = std::filesystem::temp_directory_path() / "complaints-bench";
  std::filesystem::create_directories(dir);
  std::string path = (dir / name).string();
  discard(path);
  return path;
}

// Runs op(i) for i in [0, n) and returns calls per second. A template, not a
// std::function, so the meter costs the measured code nothing.
template <typename Op>
double rate(int n, Op &&op) {
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) op(i);
  return n / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// RESULT <name> library=<ops/s> baseline=<ops/s> ratio=<library/baseline>
inline void result(const char *name, double library, double baseline) {
  std::printf("RESULT %s library=%.0f baseline=%.0f ratio=%.2f\n", name, library, baseline, library / baseline);
  std::fflush(stdout);
}

}  // namespace bench

#endif
