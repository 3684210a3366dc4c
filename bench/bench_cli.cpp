// `complaints verify` (issue 16): the command-line tool checking every
// issue's hash chain, run on a pseudo-terminal so that its progress bar is
// drawn, against the same checks made in-process with the C++ API (pages of
// Desk::list, then Desk::verify_timeline for each issue), in the same run,
// at two sizes of history. The tool's time includes starting the process and
// opening the database, as an operator's run does.
//
// Prints: RESULT cli_verify issues=<n> cli=<issues/s> api=<issues/s> ratio=<cli/api>
// Usage: bench_cli [--quick]   (--quick: 1,000 and 10,000 issues instead of 10,000 and 100,000)
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "complaints/complaints.hpp"
#include "harness.hpp"

using namespace complaints;
using Stopwatch = std::chrono::steady_clock;

namespace {

// Seeds `issues` issues on 1,000 bookings; every third moves on once (two timeline entries more).
void populate(const std::string &path, int issues) {
  Actor office{"office-1", Role::office, {}};
  SqliteOptions o;
  o.sync = SqliteOptions::Sync::normal;
  Desk desk(open_sqlite(path, o));
  for (int b = 0; b < 1000; ++b) {
    desk.put_record(office, Record{{RecordKind::booking, "B-" + std::to_string(b)}, "cust-" + std::to_string(b % 300),
                                   {"fw-" + std::to_string(b % 50)}, RecordVisibility::restricted, false});
  }
  const auto start = Stopwatch::now();
  for (int i = 0; i < issues; ++i) {
    ReportRequest r;
    r.record = {RecordKind::booking, "B-" + std::to_string(i % 1000)};
    r.type = "Late Service";
    r.description = "Arrived late, left early.";
    Issue is = desk.report(office, r);
    if (i % 3 == 0) desk.act(office, is.code, ActionRequest{"convert_to_in_progress", {{"note", "On it."}}});
  }
  std::printf("populated %d issues in %.1f s\n", issues,
              std::chrono::duration<double>(Stopwatch::now() - start).count());
}

// The C++ API: every issue's chain, as `complaints verify` checks them. Returns the issues checked.
long long verify_in_process(const std::string &path) {
  SqliteOptions o;
  o.read_only = true;
  Desk desk(open_sqlite(path, o));
  const Actor system{"complaints-cli", Role::system, {}};
  IssueFilter filter;
  filter.limit = 10000;
  long long checked = 0, broken = 0;
  for (;;) {
    std::vector<Issue> page = desk.list(system, filter);
    for (const Issue &issue : page) {
      broken += desk.verify_timeline(system, issue.code).ok ? 0 : 1;
      ++checked;
    }
    if (page.size() < filter.limit) break;
    filter.after_number = page.back().number;
  }
  if (broken) {
    std::fprintf(stderr, "%lld broken chains\n", broken);
    std::exit(1);
  }
  return checked;
}

// The tool on a pseudo-terminal: what it drew there, and whether it drew a progress bar.
std::string verify_with_cli(const std::string &cli, const std::string &path) {
  int master = -1;
  const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) {
    std::perror("forkpty");
    std::exit(1);
  }
  if (pid == 0) {
    execl(cli.c_str(), cli.c_str(), "--db", path.c_str(), "verify", static_cast<char *>(nullptr));
    std::_Exit(127);
  }
  std::string screen;
  char buffer[4096];
  for (ssize_t n; (n = read(master, buffer, sizeof buffer)) > 0;) screen.append(buffer, static_cast<std::size_t>(n));
  close(master);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || screen.find("every chain intact") == std::string::npos) {
    std::fprintf(stderr, "complaints verify failed (status %d):\n%s\n", status, screen.c_str());
    std::exit(1);
  }
  return screen;
}

void measure(const std::string &cli, int issues) {
  const std::string path = bench::scratch("cli_verify.db");
  populate(path, issues);
  double cli_rate = 0, api_rate = 0;
  bool drew_bar = false;
  for (int round = 0; round < 3; ++round) {  // alternate, so both see the same machine
    auto t = Stopwatch::now();
    const long long checked = verify_in_process(path);
    api_rate += static_cast<double>(checked) / std::chrono::duration<double>(Stopwatch::now() - t).count() / 3;
    t = Stopwatch::now();
    const std::string screen = verify_with_cli(cli, path);
    cli_rate += static_cast<double>(issues) / std::chrono::duration<double>(Stopwatch::now() - t).count() / 3;
    drew_bar = screen.find("verify [") != std::string::npos && screen.find("(100%)") != std::string::npos;
    if (checked != issues) {
      std::fprintf(stderr, "the API checked %lld issues of %d\n", checked, issues);
      std::exit(1);
    }
  }
  if (!drew_bar) {
    std::fprintf(stderr, "complaints verify drew no progress bar on a terminal\n");
    std::exit(1);
  }
  std::printf("%d issues: complaints verify %.0f issues/s (progress bar drawn), C++ API %.0f issues/s\n", issues,
              cli_rate, api_rate);
  std::printf("RESULT cli_verify issues=%d cli=%.0f api=%.0f ratio=%.2f\n", issues, cli_rate, api_rate,
              cli_rate / api_rate);
  std::fflush(stdout);
  bench::discard(path);
}

}  // namespace

int main(int argc, char **argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const std::string cli = COMPLAINTS_CLI_PATH;
  // Two sizes, ten times apart: the rate should not fall as history grows.
  measure(cli, quick ? 1000 : 10000);
  measure(cli, quick ? 10000 : 100000);
}
