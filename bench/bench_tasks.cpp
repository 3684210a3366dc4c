// Task claims under contention (issue 13, item 11; docs/tasks.md): OS
// processes, each with its own Desk on one SQLite file and a member of one
// group, drain that group's queue of open tasks. Each loops
// claimable_tasks (a page) -> claim_task over the page, starting at its own
// offset in it; a Conflict is a race lost to another process, and sends it
// back for a fresh page (the one it holds is stale).
//
// The baseline, measured in the same run on a copy of the same file: the same
// processes doing the same reads and claim writes by hand with prepared
// statements. A page is the group's queue read in a read transaction; a claim
// is one BEGIN IMMEDIATE transaction (the same busy timeout) that reads the
// task row and checks it is open and unclaimed, checks the claimer is a member
// of its group, reads the issue's timeline head, updates the task with a
// compare-and-set on its version, appends the hash-chained timeline entry the
// library writes for a claim (internal, kind "task") and moves the issue's
// timeline head.
//
// Afterwards every task must have been claimed exactly once, counted from the
// database (the tasks' assignees and versions and the claim entries on the
// timelines): any double or missing claim fails the run (exit 1).
//
//   RESULT task_claim processes=4 tasks=20000 lib_per_s=... raw_per_s=... ratio=... double_claims=0 lost_races=...
//   RESULT task_claim_growth ...  the cost of a claim (wall time / tasks) with a queue of 5,000 and of 20,000
//
// Each figure is the median of --runs runs (3; 1 with --quick), library and
// baseline alternating so both see the same machine. --quick (2,000 tasks, a
// fraction of a second per run) checks that every claim lands once; its
// figures are too short to quote.
// Usage: bench_tasks [--quick] [--processes N] [--tasks N] [--runs N] [--only lib|raw]
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "complaints/complaints.hpp"
#include "harness.hpp"
#include "raw_sqlite.hpp"
#include "timeline/chain.hpp"

using namespace complaints;
using bench::put;
using bench::Raw;
using bench::scratch;
using Stopwatch = std::chrono::steady_clock;

namespace {

const Actor admin{"admin-1", Role::admin, Permissions::all()};
const Actor manager{"case-manager", Role::office, {}};
constexpr const char *group_id = "roads";
constexpr int tasks_per_issue = 4;
constexpr std::size_t page_size = 100;

std::string worker_id(int p) { return "worker-" + std::to_string(p); }

SqliteOptions sqlite_options() {
  SqliteOptions o;
  o.sync = SqliteOptions::Sync::normal;
  return o;
}

// A file with `tasks` open tasks in the roads group's queue, tasks_per_issue
// on each issue, and the workers 0 .. processes-1 members of the group.
void populate(const std::string &path, int tasks, int processes) {
  Desk desk(open_sqlite(path, sqlite_options()));
  MessageSettings quiet;
  quiet.acknowledgement = AcknowledgementMode::off;
  desk.set_message_settings(admin, quiet);
  Group roads{group_id, "Roads and Highways", {}};
  desk.put_user(admin, User{manager.id, manager.role, "Case manager", {}});
  for (int p = 0; p < processes; ++p) {
    desk.put_user(admin, User{worker_id(p), Role::office, worker_id(p), {}});
    roads.members.push_back(worker_id(p));
  }
  std::sort(roads.members.begin(), roads.members.end());
  desk.put_group(admin, roads);
  WorkflowDef def = Workflow::builtin("field-service").definition();
  def.name = "council";
  TaskKindDef investigate{"investigate"};
  investigate.groups = {group_id};
  investigate.instructions = "Inspect the site and record what you find.";
  def.tasks = {investigate};
  desk.install_workflow(admin, Workflow::from_definition(def));
  for (int made = 0, i = 0; made < tasks; ++i) {
    std::string id = "SR-" + std::to_string(i);
    desk.put_record(admin, Record{{RecordKind::booking, id}, "resident-" + std::to_string(i % 500), {},
                                  RecordVisibility::restricted, false});
    ReportRequest report;
    report.record = {RecordKind::booking, id};
    report.type = "Damage Caused";
    report.description = "Pothole outside number " + std::to_string(i) + ".";
    report.workflow = "council";
    Issue issue = desk.report(manager, report);
    for (int k = 0; k < tasks_per_issue && made < tasks; ++k, ++made)
      desk.create_task(manager, issue.code, TaskRequest{"investigate", group_id});
  }
}

// What one worker process did, and when it had done it (before it closes its
// connection: the checkpoint the last close runs is not a claim's cost).
struct Tally {
  std::int64_t claims = 0;
  std::int64_t lost_races = 0;
  Stopwatch::time_point done{};  // steady_clock is one clock for every process of the machine
};

// Runs work(p) in `processes` forked children, each ready before all are
// released at once; returns the wall time from the release until the last
// was done, and the sum of their tallies. A child that fails fails the benchmark.
template <typename Work>
std::pair<double, Tally> in_processes(int processes, Work &&work) {
  int go[2], ready[2];
  if (pipe(go) != 0 || pipe(ready) != 0) std::exit(1);
  std::vector<std::pair<pid_t, int>> children;
  std::fflush(stdout);  // the children must not print the parent's buffer again
  for (int p = 0; p < processes; ++p) {
    int out[2];
    if (pipe(out) != 0) std::exit(1);
    pid_t pid = fork();
    if (pid < 0) std::exit(1);
    if (pid == 0) {
      close(go[1]);
      close(ready[0]);
      close(out[0]);
      Tally t;
      try {
        t = work(p, [&] {  // called when the worker is ready: waits for the release
          char c = 'r';
          if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1) _exit(3);
        });
      } catch (const std::exception &e) {
        std::fprintf(stderr, "worker %d: %s\n", p, e.what());
        _exit(1);
      }
      if (write(out[1], &t, sizeof t) != sizeof t) _exit(4);
      _exit(0);
    }
    close(out[1]);
    children.emplace_back(pid, out[0]);
  }
  close(go[0]);
  close(ready[1]);
  // A child that dies before it is ready leaves the others waiting for the
  // release: give up waiting after a minute, release them, and see it at waitpid.
  for (int p = 0; p < processes; ++p) {
    pollfd ready_fd{ready[0], POLLIN, 0};
    char c;
    if (poll(&ready_fd, 1, 60'000) != 1 || read(ready[0], &c, 1) != 1) break;
  }
  close(ready[0]);
  auto start = Stopwatch::now();
  std::string release(std::size_t(processes), 'g');
  if (write(go[1], release.data(), release.size()) != ssize_t(release.size())) std::exit(1);
  close(go[1]);
  Tally sum;
  bool failed = false;
  for (auto [pid, out] : children) {
    Tally t;
    if (read(out, &t, sizeof t) == sizeof t) {
      sum.claims += t.claims;
      sum.lost_races += t.lost_races;
      sum.done = std::max(sum.done, t.done);
    } else {
      failed = true;
    }
    close(out);
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) failed = true;
  }
  double seconds = std::chrono::duration<double>(sum.done - start).count();
  if (failed) {
    std::fprintf(stderr, "a worker process failed\n");
    std::exit(1);
  }
  return {seconds, sum};
}

// Works through a page from the worker's own offset in it, around; stops at
// the first race lost (`claim` false): the page is stale, read a new one.
template <typename Page, typename Claim>
void claim_page(const Page &page, int p, int processes, Claim &&claim) {
  std::size_t n = page.size(), first = n * std::size_t(p) / std::size_t(processes);
  for (std::size_t k = 0; k < n; ++k)
    if (!claim(page[(first + k) % n])) return;
}

Tally library_worker(const std::string &path, int p, int processes, auto &&ready) {
  Desk desk(open_sqlite(path, sqlite_options()));
  const Actor me{worker_id(p), Role::office, {}};
  desk.claimable_tasks(me, 0, 1);  // the connection warm, as the baseline's statements are prepared
  ready();
  Tally t;
  for (std::vector<Task> page; !(page = desk.claimable_tasks(me, 0, page_size)).empty();)
    claim_page(page, p, processes, [&](const Task &task) {
      try {
        desk.claim_task(me, task.id);
        ++t.claims;
        return true;
      } catch (const Conflict &) {
        ++t.lost_races;
        return false;
      }
    });
  t.done = Stopwatch::now();
  return t;
}

// The baseline's claimant: the library's reads and writes, by hand.
class RawClaimant {
 public:
  RawClaimant(const std::string &path, std::string me)
      : raw_(path),
        me_(std::move(me)),
        begin_read_(raw_.prepare("BEGIN DEFERRED")),
        begin_(raw_.prepare("BEGIN IMMEDIATE")),
        commit_(raw_.prepare("COMMIT")),
        rollback_(raw_.prepare("ROLLBACK")),
        groups_(raw_.prepare("SELECT group_id FROM task_group_members WHERE user_id = ? ORDER BY group_id")),
        page_(raw_.prepare(
            "SELECT id, number, kind, stage, group_id, assignee, state, mandatory, access, instructions, created_by, "
            "created_at, updated_at, done_at, done_by, notes, slas, version FROM tasks WHERE state = 'open' AND "
            "assignee = '' AND group_id = ? AND id > ? ORDER BY id LIMIT ?")),
        task_(raw_.prepare("SELECT number, group_id, assignee, state, version FROM tasks WHERE id = ?")),
        member_(raw_.prepare("SELECT 1 FROM task_group_members WHERE group_id = ? AND user_id = ?")),
        head_(raw_.prepare("SELECT version, timeline_seq, timeline_hash FROM issues WHERE number = ?")),
        claim_(raw_.prepare("UPDATE tasks SET assignee = ?, updated_at = ?, version = ? WHERE id = ? AND version = ?")),
        entry_(raw_.prepare("INSERT INTO timeline (number, seq, at, actor_id, actor_role, kind, action, changes, "
                            "note, internal, prev_hash, hash) VALUES (?, ?, ?, ?, 'office', 'task', '', ?, '', 1, ?, ?)")),
        move_head_(raw_.prepare(
            "UPDATE issues SET timeline_seq = ?, timeline_hash = ?, version = ? WHERE number = ? AND version = ?")) {
    raw_.exec("PRAGMA cache_size = -32768");  // SqliteOptions::cache_kib's default
  }

  // The first `page_size` claimable task ids of the claimant's groups.
  std::vector<std::int64_t> page() {
    std::vector<std::int64_t> ids;
    raw_.step_done(begin_read_);
    put(groups_, 1, me_);
    std::vector<std::string> groups;
    while (sqlite3_step(groups_) == SQLITE_ROW) groups.emplace_back(column(groups_, 0));
    sqlite3_reset(groups_);
    for (const std::string &g : groups) {
      put(page_, 1, g);
      put(page_, 2, std::int64_t(0));
      put(page_, 3, std::int64_t(page_size));
      while (sqlite3_step(page_) == SQLITE_ROW) {
        for (int c = 0; c < 18; ++c) sink_ += std::size_t(sqlite3_column_bytes(page_, c));  // read as the library reads
        ids.push_back(sqlite3_column_int64(page_, 0));
      }
      sqlite3_reset(page_);
    }
    raw_.step_done(commit_);
    return ids;
  }

  // True when the claim won; false when another process had claimed it first.
  bool claim(std::int64_t id) {
    raw_.step_done(begin_);
    put(task_, 1, id);
    if (sqlite3_step(task_) != SQLITE_ROW) raw_.fail("task");
    std::int64_t number = sqlite3_column_int64(task_, 0);
    std::string group = column(task_, 1), assignee = column(task_, 2), state = column(task_, 3);
    std::int64_t version = sqlite3_column_int64(task_, 4);
    sqlite3_reset(task_);
    if (state != "open" || !assignee.empty()) {
      raw_.step_done(rollback_);
      return false;
    }
    put(member_, 1, group);
    put(member_, 2, me_);
    if (sqlite3_step(member_) != SQLITE_ROW) raw_.fail("member");
    sqlite3_reset(member_);
    put(head_, 1, number);
    if (sqlite3_step(head_) != SQLITE_ROW) raw_.fail("head");
    std::int64_t issue_version = sqlite3_column_int64(head_, 0), seq = sqlite3_column_int64(head_, 1);
    std::string prev = column(head_, 2);
    sqlite3_reset(head_);
    std::int64_t now = to_millis(std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
    put(claim_, 1, me_);
    put(claim_, 2, now);
    put(claim_, 3, version + 1);
    put(claim_, 4, id);
    put(claim_, 5, version);
    raw_.step_done(claim_);
    if (sqlite3_changes(raw_.db()) != 1) raw_.fail("claim: the version moved under the write lock");
    TimelineEntry e;
    e.issue_code = format_issue_code(number);
    e.seq = seq + 1;
    e.at = from_millis(now);
    e.actor_id = me_;
    e.actor_role = Role::office;
    e.kind = entry_kind::task;
    std::string field = "task:" + std::to_string(id) + " assignee";
    e.changes = {{field, "", me_}};
    e.internal = true;
    e.prev_hash = prev;
    e.hash = chain::hash_entry(e);
    put(entry_, 1, number);
    put(entry_, 2, e.seq);
    put(entry_, 3, now);
    put(entry_, 4, me_);
    put(entry_, 5, "[[\"" + field + "\",\"\",\"" + me_ + "\"]]");
    put(entry_, 6, prev);
    put(entry_, 7, e.hash);
    raw_.step_done(entry_);
    put(move_head_, 1, e.seq);
    put(move_head_, 2, e.hash);
    put(move_head_, 3, issue_version);
    put(move_head_, 4, number);
    put(move_head_, 5, issue_version);
    raw_.step_done(move_head_);
    if (sqlite3_changes(raw_.db()) != 1) raw_.fail("issue head: the version moved under the write lock");
    raw_.step_done(commit_);
    return true;
  }

  std::size_t sink() const { return sink_; }

 private:
  static std::string column(sqlite3_stmt *s, int c) {
    return std::string(reinterpret_cast<const char *>(sqlite3_column_text(s, c)), std::size_t(sqlite3_column_bytes(s, c)));
  }

  Raw raw_;
  std::string me_;
  sqlite3_stmt *begin_read_, *begin_, *commit_, *rollback_, *groups_, *page_, *task_, *member_, *head_, *claim_,
      *entry_, *move_head_;
  std::size_t sink_ = 0;
};

Tally raw_worker(const std::string &path, int p, int processes, auto &&ready) {
  RawClaimant raw(path, worker_id(p));
  ready();
  Tally t;
  for (std::vector<std::int64_t> page; !(page = raw.page()).empty();)
    claim_page(page, p, processes, [&](std::int64_t id) {
      bool won = raw.claim(id);
      ++(won ? t.claims : t.lost_races);
      return won;
    });
  t.done = Stopwatch::now();
  if (raw.sink() == 42) std::printf(" ");
  return t;
}

// How the claims landed, from the file: tasks claimed more than once (a
// second claim entry, or a version past the claim's), and tasks left unclaimed.
struct Audit {
  std::int64_t double_claims = 0;
  std::int64_t unclaimed = 0;
};

Audit audit(const std::string &path, int tasks) {
  Raw raw(path);
  auto count = [&](const char *sql) {
    sqlite3_stmt *s = raw.prepare(sql);
    if (sqlite3_step(s) != SQLITE_ROW) raw.fail(sql);
    return sqlite3_column_int64(s, 0);
  };
  Audit a;
  std::int64_t claim_entries =
      count("SELECT count(*) FROM timeline WHERE kind = 'task' AND changes LIKE '[[\"task:% assignee\",\"\",%'");
  std::int64_t claimed = count("SELECT count(*) FROM tasks WHERE state = 'open' AND assignee <> '' AND version = 2");
  a.double_claims = claim_entries - claimed + count("SELECT count(*) FROM tasks WHERE version > 2");
  a.unclaimed = count("SELECT count(*) FROM tasks WHERE assignee = '' OR state <> 'open'") +
                (tasks - count("SELECT count(*) FROM tasks"));
  return a;
}

// One drain of the queue, by the library or by the baseline.
struct Run {
  double seconds = 0;
  Tally tally;
  Audit audit;
};

Run drain(const std::string &original, const std::string &path, bool library, int processes, int tasks) {
  bench::discard(path);
  std::filesystem::copy_file(original, path);
  auto [seconds, tally] = in_processes(processes, [&](int p, auto &&ready) {
    return library ? library_worker(path, p, processes, ready) : raw_worker(path, p, processes, ready);
  });
  Run run{seconds, tally, audit(path, tasks)};
  if (run.audit.double_claims != 0 || run.audit.unclaimed != 0 || tally.claims != tasks) {
    std::fprintf(stderr, "%s: %lld double claims, %lld tasks unclaimed, %lld claims reported for %d tasks\n",
                 library ? "library" : "baseline", static_cast<long long>(run.audit.double_claims),
                 static_cast<long long>(run.audit.unclaimed), static_cast<long long>(tally.claims), tasks);
    std::exit(1);
  }
  return run;
}

// The baseline's entries must be ones the library accepts: its chain verifies.
void check_baseline_chain(const std::string &path) {
  Desk desk(open_sqlite(path, sqlite_options()));
  for (const char *code : {"CMP-00001", "CMP-00002"}) {
    ChainCheck check = desk.verify_timeline(admin, code);
    if (!check.ok) {
      std::fprintf(stderr, "the baseline broke %s's timeline at entry %lld: %s\n", code,
                   static_cast<long long>(check.broken_seq.value_or(0)), check.reason.c_str());
      std::exit(1);
    }
  }
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// The medians of `runs` drains of a queue of `tasks`, library and baseline alternating.
struct Figures {
  double lib_seconds = 0, raw_seconds = 0;
  std::int64_t lib_lost = 0, raw_lost = 0, double_claims = 0;
};

Figures measure(int tasks, int processes, int runs, const std::string &only) {
  // Named by this process: two runs at once (two checkouts' tests) keep apart.
  auto name = [](const std::string &what) { return scratch("tasks-" + std::to_string(getpid()) + "-" + what + ".db"); };
  std::string original = name(std::to_string(tasks)), lib_path = name("lib"), raw_path = name("raw");
  auto start = Stopwatch::now();
  populate(original, tasks, processes);  // the desk closed: the file holds everything, no WAL
  std::printf("populated %d open tasks on %d issues in %.1f s\n", tasks, (tasks + tasks_per_issue - 1) / tasks_per_issue,
              std::chrono::duration<double>(Stopwatch::now() - start).count());
  std::vector<double> lib, raw;
  std::vector<double> lib_lost, raw_lost;
  Figures f;
  for (int r = 0; r < runs; ++r) {
    if (only != "raw") {
      Run run = drain(original, lib_path, true, processes, tasks);
      lib.push_back(run.seconds);
      lib_lost.push_back(double(run.tally.lost_races));
      f.double_claims += run.audit.double_claims;
      std::printf("  library  run %d: %d claims in %.2f s (%.0f/s), %lld lost races\n", r + 1, tasks, run.seconds,
                  tasks / run.seconds, static_cast<long long>(run.tally.lost_races));
    }
    if (only != "lib") {
      Run run = drain(original, raw_path, false, processes, tasks);
      raw.push_back(run.seconds);
      raw_lost.push_back(double(run.tally.lost_races));
      f.double_claims += run.audit.double_claims;
      std::printf("  baseline run %d: %d claims in %.2f s (%.0f/s), %lld lost races\n", r + 1, tasks, run.seconds,
                  tasks / run.seconds, static_cast<long long>(run.tally.lost_races));
      if (r == 0) check_baseline_chain(raw_path);
    }
    std::fflush(stdout);
  }
  for (const std::string &path : {original, lib_path, raw_path}) bench::discard(path);
  if (!lib.empty()) {
    f.lib_seconds = median(lib);
    f.lib_lost = std::int64_t(median(lib_lost));
  }
  if (!raw.empty()) {
    f.raw_seconds = median(raw);
    f.raw_lost = std::int64_t(median(raw_lost));
  }
  return f;
}

}  // namespace

int main(int argc, char **argv) {
  bool quick = false;
  int processes = 4, tasks = 0, runs = 0;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    auto number = [&] { return i + 1 < argc ? std::max(1, std::atoi(argv[++i])) : 1; };
    if (std::strcmp(argv[i], "--quick") == 0) quick = true;
    else if (std::strcmp(argv[i], "--processes") == 0) processes = number();
    else if (std::strcmp(argv[i], "--tasks") == 0) tasks = number();
    else if (std::strcmp(argv[i], "--runs") == 0) runs = number();
    else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
    else {
      std::fprintf(stderr, "usage: bench_tasks [--quick] [--processes N] [--tasks N] [--runs N] [--only lib|raw]\n");
      return 2;
    }
  }
  if (tasks == 0) tasks = quick ? 2000 : 20000;
  if (runs == 0) runs = quick ? 1 : 3;
  const int small = std::max(1, tasks / 4);
  std::printf("complaints %s, SQLite %s; WAL, synchronous=NORMAL; %d processes claim from one queue, pages of %zu; "
              "medians of %d runs\n",
              version_string(), sqlite3_libversion(), processes, page_size, runs);

  Figures large = measure(tasks, processes, runs, only);
  double lib_rate = large.lib_seconds > 0 ? tasks / large.lib_seconds : 0;
  double raw_rate = large.raw_seconds > 0 ? tasks / large.raw_seconds : 0;
  std::printf("RESULT task_claim processes=%d tasks=%d lib_per_s=%.0f raw_per_s=%.0f ratio=%.2f double_claims=%lld "
              "lost_races=%lld raw_lost_races=%lld\n",
              processes, tasks, lib_rate, raw_rate, raw_rate > 0 ? lib_rate / raw_rate : 0.0,
              static_cast<long long>(large.double_claims), static_cast<long long>(large.lib_lost),
              static_cast<long long>(large.raw_lost));
  std::fflush(stdout);

  // How a claim's cost grows with the queue and the history behind it.
  Figures few = measure(small, processes, runs, only);
  auto us = [](double seconds, int n) { return seconds * 1e6 / n; };
  std::printf("RESULT task_claim_growth processes=%d small=%d large=%d lib_us_small=%.1f lib_us_large=%.1f "
              "raw_us_small=%.1f raw_us_large=%.1f lib_growth=%.2f raw_growth=%.2f\n",
              processes, small, tasks, us(few.lib_seconds, small), us(large.lib_seconds, tasks),
              us(few.raw_seconds, small), us(large.raw_seconds, tasks),
              few.lib_seconds > 0 ? us(large.lib_seconds, tasks) / us(few.lib_seconds, small) : 0.0,
              few.raw_seconds > 0 ? us(large.raw_seconds, tasks) / us(few.raw_seconds, small) : 0.0);
  return large.double_claims + few.double_claims == 0 ? 0 : 1;
}
