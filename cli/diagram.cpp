// cli/diagram.cpp - a workflow's lifecycle diagram: the library's DOT or Mermaid, SVG through Graphviz.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>

#include "commands.hpp"

extern char **environ;

namespace complaints::cli {

namespace {
constexpr int dot_timeout_ms = 60000;
constexpr std::size_t dot_output_limit = 32u << 20;

std::optional<std::string> run_dot_for(const std::string &input, std::string &problem, bool &missing) {
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) {
    problem = std::string("pipe: ") + std::strerror(errno);
    return std::nullopt;
  }
  if (pipe2(out, O_CLOEXEC) != 0) {
    problem = std::string("pipe: ") + std::strerror(errno);
    close(in[0]);
    close(in[1]);
    return std::nullopt;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::string a0 = "dot", a1 = "-Tsvg";
  char *argv[] = {a0.data(), a1.data(), nullptr};
  pid_t pid = -1;
  const int spawned = posix_spawnp(&pid, "dot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(out[1]);
  if (spawned != 0) {
    close(in[1]);
    close(out[0]);
    missing = spawned == ENOENT;
    problem =
        missing ? "Graphviz's dot is not installed (not found on PATH)" : std::string("dot: ") + std::strerror(spawned);
    return std::nullopt;
  }
  // dot may exit before reading everything: a write then fails with EPIPE instead of killing us.
  struct sigaction ignore {
  }, previous{};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, &previous);
  fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);

  std::string svg;
  std::size_t written = 0;
  bool writing = true, timed_out = false;
  if (input.empty()) {
    close(in[1]);
    writing = false;
  }
  char buffer[65536];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(dot_timeout_ms);
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd fds[2] = {{out[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
    const int ready = left.count() > 0 ? poll(fds, writing ? 2 : 1, static_cast<int>(left.count())) : 0;
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      timed_out = ready == 0;
      break;
    }
    if (writing && fds[1].revents != 0) {
      const ssize_t n = write(in[1], input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) {
        close(in[1]);
        writing = false;
      }
    }
    if (fds[0].revents != 0) {
      const ssize_t n = read(out[0], buffer, sizeof buffer);
      if (n > 0) {
        svg.append(buffer, static_cast<std::size_t>(n));
        if (svg.size() > dot_output_limit) break;
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        break;
      }
    }
  }
  if (writing) close(in[1]);
  close(out[0]);
  if (timed_out || svg.size() > dot_output_limit) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  sigaction(SIGPIPE, &previous, nullptr);
  if (timed_out) {
    problem = "dot did not finish within " + std::to_string(dot_timeout_ms / 1000) + " s";
  } else if (svg.size() > dot_output_limit) {
    problem = "dot wrote more than " + std::to_string(dot_output_limit >> 20) + " MiB";
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    problem = "dot failed on the library's DOT text";
  } else {
    return svg;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> run_dot(const std::string &input, std::string &problem, bool &missing) {
  return run_dot_for(input, problem, missing);
}

std::string dot_to_svg(const std::string &dot) {
  std::string problem;
  bool missing = false;
  if (auto svg = run_dot(dot, problem, missing)) return *svg;
  throw Failure{exit_code::system, "svg: " + problem + (missing ? ": install graphviz, or use --format dot" : "")};
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
