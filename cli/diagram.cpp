// cli/diagram.cpp - a workflow's lifecycle diagram: the library's DOT or Mermaid, SVG through Graphviz.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "commands.hpp"

extern char **environ;

namespace complaints::cli {

std::string dot_to_svg(const std::string &dot) {
  // The DOT goes to dot's stdin from a file, so a large graph cannot fill a pipe both ways.
  const char *dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/complaints-dot-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) throw Failure{exit_code::system, "svg: " + path + ": " + std::strerror(errno)};
  struct Cleanup {
    const std::string &p;
    ~Cleanup() { unlink(p.c_str()); }
  } cleanup{path};
  const bool written = write(fd, dot.data(), dot.size()) == static_cast<ssize_t>(dot.size());
  close(fd);
  if (!written) throw Failure{exit_code::system, "svg: " + path + ": " + std::strerror(errno)};
  int out[2];
  if (pipe(out) != 0) throw Failure{exit_code::system, std::string("svg: pipe: ") + std::strerror(errno)};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  posix_spawn_file_actions_addclose(&actions, out[1]);
  char arg0[] = "dot", arg1[] = "-Tsvg";
  char *argv[] = {arg0, arg1, nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, "dot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (spawned != 0) {
    close(out[0]);
    throw Failure{exit_code::system, std::string("svg needs Graphviz's dot on the PATH (") + std::strerror(spawned) +
                                         "): install graphviz, or use --format dot"};
  }
  std::string svg;
  char buffer[65536];
  for (ssize_t n; (n = read(out[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    svg.append(buffer, static_cast<std::size_t>(n));
  }
  close(out[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || svg.empty()) {
    throw Failure{exit_code::system, "svg: dot failed (exit status " + std::to_string(WEXITSTATUS(status)) + ")"};
  }
  return svg;
}

std::string diagram(const std::string &workflow_json, const std::string &format) {
  const bool svg = format == "svg";
  char *out = nullptr, *err = nullptr;
  const int rc = complaints_workflow_diagram(&out, workflow_json.c_str(), svg ? "dot" : format.c_str(), &err);
  std::string text = out ? out : "", message = err ? err : complaints_strerror(rc);
  complaints_free(out);
  complaints_free(err);
  if (rc != COMPLAINTS_OK) throw Failure{exit_code::of_library(rc), message};
  return svg ? dot_to_svg(text) : text;
}

}  // namespace complaints::cli
