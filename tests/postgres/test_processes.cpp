// SPEC R3.8, R8.1 and R8.4 with several app servers: 4 OS processes on one
// PostgreSQL database (one schema), each reporting issues, acting on shared
// issues with the version it read, claiming tasks from one queue and running
// due work while its clock moves on, so timers fall due as they run. What
// the test asserts holds whatever the interleaving: no update lost, no task
// claimed twice, no due item run twice, every timeline verifies, every issue
// number handed out once. Conflicts the server raises between concurrent
// transactions (TransientStorageError) are retried by the desk; one that
// outlasts every retry reaches the process (errors.hpp says so), which
// counts it: such an operation must have left no trace.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "support/postgres.hpp"
#include "support/processes.hpp"
#include "support/support.hpp"

using namespace complaints;
using namespace std::chrono_literals;

namespace {

constexpr int processes = 4;
constexpr int rounds = 40;
constexpr int shared_issues = 3;
constexpr int tasks = 60;

const Actor root{"root", Role::admin, Permissions::all()};
const Actor runner{"scheduler", Role::system, {}};

Actor crew(int p) { return Actor{"crew-" + std::to_string(p), Role::office, {}}; }

// Issues that close themselves 10 minutes after they are reported.
constexpr const char *autoclose = R"({
  "name": "autoclose", "initial": "Open",
  "statuses": [{"name": "Open", "category": "open"}, {"name": "Closed", "category": "closed"}],
  "on_report": [{"type": "set_timer", "timer": "close", "after": "10m", "action": "expire"}],
  "actions": [{"name": "expire", "from": ["Open"], "to": "Closed", "allow": ["system"]}]
})";

ReportRequest on_b1(const std::string &description, const std::string &workflow = "") {
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Damage Caused";
  r.description = description;
  if (!workflow.empty()) r.workflow = workflow;
  return r;
}

// What one process did, as text the parent reads back.
struct Outcome {
  int acted = 0, conflicts = 0, gave_up = 0;
  std::vector<std::string> reported;  // codes of the autoclose issues it reported
  std::vector<std::int64_t> claimed;  // ids of the tasks it won
  std::vector<std::string> ran;       // codes whose due item it ran

  std::string write() const {
    std::ostringstream out;
    out << acted << ' ' << conflicts << ' ' << gave_up << '\n';
    for (const auto &c : reported) out << c << ' ';
    out << "\n";
    for (auto id : claimed) out << id << ' ';
    out << "\n";
    for (const auto &c : ran) out << c << ' ';
    out << "\n";
    return out.str();
  }
  static Outcome read(const std::string &text) {
    Outcome o;
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    std::istringstream(line) >> o.acted >> o.conflicts >> o.gave_up;
    auto words = [&](auto &into) {
      std::getline(in, line);
      std::istringstream items(line);
      typename std::decay_t<decltype(into)>::value_type v;
      while (items >> v) into.push_back(v);
    };
    words(o.reported);
    words(o.claimed);
    words(o.ran);
    return o;
  }
};

// One app server: each round reports an issue that closes itself, takes the
// next action on a shared issue with the version it read, claims the head of
// the crew's queue, runs what is due, and lets a minute pass.
Outcome work(test::PostgresBackend &backend, int p, const std::vector<std::string> &shared) {
  auto clock = std::make_shared<ManualClock>(test::t0());
  Desk desk(backend.open(), DeskOptions{clock});
  Outcome o;
  for (int r = 0; r < rounds; ++r) {
    try {
      o.reported.push_back(
          desk.report(test::office(),
                      on_b1("Process " + std::to_string(p) + " round " + std::to_string(r), "autoclose"))
              .code);
    } catch (const TransientStorageError &) {
      ++o.gave_up;
    }

    const std::string &code = shared[static_cast<std::size_t>(r + p) % shared.size()];
    Issue i = desk.get(test::admin(), code);
    bool awaiting = i.status == "Awaiting Approval";
    try {
      desk.act(awaiting ? test::admin() : test::fieldworker("fw-1"), code,
               ActionRequest{awaiting ? "send_back" : "resolve", {}, i.version});
      ++o.acted;
    } catch (const Conflict &) {
      ++o.conflicts;
    } catch (const TransientStorageError &) {
      ++o.gave_up;
    }

    auto next = desk.claimable_tasks(crew(p), 0, 1);
    if (!next.empty()) {
      try {
        o.claimed.push_back(desk.claim_task(crew(p), next.front().id).id);
      } catch (const Conflict &) {
      } catch (const TransientStorageError &) {
        ++o.gave_up;
      }
    }

    try {
      for (const auto &d : desk.process_due(runner, 5))
        if (d.kind == "timer" && d.outcome == DueOutcome::ran) o.ran.push_back(d.issue_code);
    } catch (const TransientStorageError &) {
      ++o.gave_up;  // the item it was running stays due (the items before it ran, and are counted next call)
    }
    clock->advance(1min);
  }
  return o;
}

}  // namespace

TEST_CASE("4 processes on one database lose no update, claim no task twice and run no due item twice") {
  test::PostgresBackend backend;
  std::vector<std::string> shared;
  std::string task_issue;
  {
    Desk desk(backend.open(), DeskOptions{std::make_shared<ManualClock>(test::t0())});
    desk.install_workflow(root, std::string_view(autoclose));
    std::vector<std::string> members;
    for (int p = 0; p < processes; ++p) {
      desk.put_user(root, User{crew(p).id, Role::office, "Crew " + std::to_string(p), {}});
      members.push_back(crew(p).id);
    }
    desk.put_group(root, Group{"crew", "Field crew", members});
    WorkflowDef def = Workflow::builtin("field-service").definition();
    def.name = "crewed";
    TaskKindDef inspect{"inspect"};
    inspect.groups = {"crew"};
    def.tasks = {inspect};
    desk.install_workflow(root, Workflow::from_definition(def));
    desk.put_record(test::office(), test::booking());
    for (int n = 0; n < shared_issues; ++n)
      shared.push_back(desk.report(test::office(), on_b1("Shared " + std::to_string(n))).code);
    task_issue = desk.report(test::office(), on_b1("Inspections", "crewed")).code;
    for (int t = 0; t < tasks; ++t) desk.create_task(test::office(), task_issue, TaskRequest{"inspect", "crew"});
  }

  auto results = test::in_processes(processes, [&](int p) { return work(backend, p, shared).write(); });

  std::vector<Outcome> outcomes;
  for (const auto &text : results) outcomes.push_back(Outcome::read(text));
  // Every timer has fallen due by then; no SLA of the shared issues has yet.
  Timestamp later = test::t0() + 2h;
  Desk desk(backend.open(), DeskOptions{std::make_shared<ManualClock>(later)});

  // Every issue number was handed out once (the shared ones, the task's and each process's).
  std::vector<std::string> all_codes = shared;
  all_codes.push_back(task_issue);
  int gave_up = 0;
  for (const auto &o : outcomes) {
    all_codes.insert(all_codes.end(), o.reported.begin(), o.reported.end());
    gave_up += o.gave_up;
  }
  MESSAGE(gave_up, " operations gave up after every retry");
  // A report that gave up left no issue.
  IssueFilter closing;
  closing.workflow = "autoclose";
  closing.limit = 10000;
  CHECK(desk.list(root, closing).size() == all_codes.size() - shared.size() - 1);
  std::set<std::string> unique_codes(all_codes.begin(), all_codes.end());
  CHECK(unique_codes.size() == all_codes.size());
  std::set<std::int64_t> numbers;
  for (const auto &code : all_codes) numbers.insert(desk.get(root, code).number);
  CHECK(numbers.size() == all_codes.size());

  // No lost update: each action taken is one version and one timeline entry of its issue.
  int acted = 0, conflicts = 0;
  for (const auto &o : outcomes) {
    CHECK(o.acted + o.conflicts <= rounds);
    acted += o.acted;
    conflicts += o.conflicts;
  }
  std::int64_t advanced = 0;
  for (const auto &code : shared) {
    Issue i = desk.get(root, code);
    auto tl = desk.timeline(root, code);
    CHECK(static_cast<std::int64_t>(tl.size()) == i.version);
    // Actions alternate resolve / send_back: no two consecutive entries repeat.
    for (std::size_t k = 2; k < tl.size(); ++k) CHECK(tl[k].action != tl[k - 1].action);
    advanced += i.version - 1;
  }
  CHECK(advanced == acted);
  MESSAGE(acted, " actions taken on ", shared_issues, " shared issues, ", conflicts, " refused as stale");

  // No task claimed twice: each win is one claim on the timeline and the task's assignee.
  std::map<std::int64_t, int> winner;
  for (int p = 0; p < processes; ++p)
    for (auto id : outcomes[static_cast<std::size_t>(p)].claimed) {
      CHECK_MESSAGE(winner.count(id) == 0, "task ", id, " claimed twice");
      winner[id] = p;
    }
  std::map<std::int64_t, int> claims_on_timeline;
  for (const auto &e : desk.timeline(root, task_issue))
    for (const auto &c : e.changes)
      if (c.field.starts_with("task:") && c.field.ends_with(" assignee") && c.before.empty())
        ++claims_on_timeline[std::stoll(c.field.substr(5))];
  for (const Task &t : desk.tasks(root, task_issue)) {
    CAPTURE(t.id);
    if (winner.count(t.id)) {
      CHECK(t.assignee == crew(winner[t.id]).id);
      CHECK(claims_on_timeline[t.id] == 1);
    } else {
      CHECK(t.claimable());
      CHECK(claims_on_timeline[t.id] == 0);
    }
  }
  MESSAGE(winner.size(), " of ", tasks, " tasks claimed");

  // No due item run twice: what the processes ran and what is left (run now) is each timer once.
  std::map<std::string, int> ran;
  std::size_t ran_by_processes = 0;
  for (const auto &o : outcomes)
    for (const auto &code : o.ran) {
      ++ran[code];
      ++ran_by_processes;
    }
  for (;;) {
    auto done = desk.process_due(runner, 100);
    if (done.empty()) break;
    for (const auto &d : done)
      if (d.kind == "timer" && d.outcome == DueOutcome::ran) ++ran[d.issue_code];
  }
  auto next = desk.next_due(root);
  CHECK((!next || *next > later));
  MESSAGE(ran_by_processes, " timers ran in the processes, as they fell due");
  CHECK(ran_by_processes > 0);  // at 10 of 40 minutes the first fall due
  for (const auto &o : outcomes)
    for (const auto &code : o.reported) {
      CAPTURE(code);
      CHECK(ran[code] <= 1);  // a call that gave up does not say what it ran before: the timeline does
      int fired = 0;
      for (const auto &e : desk.timeline(root, code)) fired += e.action == "expire";
      CHECK(fired == 1);
      CHECK(desk.get(root, code).status == "Closed");
    }

  for (const auto &code : all_codes) {
    CAPTURE(code);
    CHECK(desk.verify_timeline(root, code).ok);
  }
}
