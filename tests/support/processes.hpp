// Tests that need several OS processes on one database: fork them, start
// them together, collect what each found.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "support/support.hpp"

namespace test {

/// Runs `work(p)` for p = 0 .. processes-1, each in a forked child, all
/// released at once. Returns the text each child's `work` returned, by p.
/// A child that threw fails the test with its message; every child must exit 0.
inline std::vector<std::string> in_processes(int processes, const std::function<std::string(int)> &work) {
  TempDir dir;
  auto file = [&](const char *what, int p) { return dir.file(what + std::to_string(p)); };
  int start[2];
  REQUIRE(pipe(start) == 0);
  std::vector<pid_t> children;
  for (int p = 0; p < processes; ++p) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      close(start[1]);
      char go;
      if (read(start[0], &go, 1) != 1) _exit(3);
      int code = 0;
      try {
        std::ofstream(file("result-", p)) << work(p);
      } catch (const std::exception &e) {
        std::ofstream(file("error-", p)) << e.what();
        code = 1;
      }
      _exit(code);
    }
    children.push_back(pid);
  }
  close(start[0]);
  std::string go(static_cast<std::size_t>(processes), 'g');  // one byte for each: all start together
  REQUIRE(write(start[1], go.data(), go.size()) == static_cast<ssize_t>(go.size()));
  close(start[1]);
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  std::vector<std::string> results;
  for (int p = 0; p < processes; ++p) {
    std::ifstream err(file("error-", p));
    std::string message((std::istreambuf_iterator<char>(err)), {});
    CHECK_MESSAGE(message.empty(), "process ", p, " failed: ", message);
    std::ifstream in(file("result-", p));
    results.emplace_back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  return results;
}

}  // namespace test
