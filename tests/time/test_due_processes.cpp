// SPEC R8.1: due work is taken exactly once even when several processes run
// process_due on one SQLite file at the same time.

#include "support/processes.hpp"
#include "support/support.hpp"

using namespace complaints;
using namespace std::chrono_literals;

namespace {

constexpr const char *autoclose = R"({
  "name": "autoclose", "initial": "Open",
  "statuses": [{"name": "Open", "category": "open"}, {"name": "Closed", "category": "closed"}],
  "on_report": [{"type": "set_timer", "timer": "close", "after": "1d", "action": "expire"}],
  "actions": [{"name": "expire", "from": ["Open"], "to": "Closed", "allow": ["system"]}]
})";

// One worker process: runs due work in small batches until nothing is due.
// Returns how many items it ran.
int work(const std::string &path, Timestamp now) {
  SqliteOptions o;
  o.sync = SqliteOptions::Sync::normal;
  Desk desk(open_sqlite(path, o), DeskOptions{std::make_shared<ManualClock>(now)});
  const Actor runner{"scheduler", Role::system, {}};
  int ran = 0;
  for (;;) {
    auto done = desk.process_due(runner, 7);
    for (const auto &d : done)
      if (d.outcome == DueOutcome::ran) ++ran;
    if (done.empty()) {
      auto next = desk.next_due(runner);
      if (!next || *next > now) return ran;
    }
  }
}

}  // namespace

TEST_CASE("two processes running due work on one file fire each of 1,000 timers exactly once") {
  test::TempDir dir;
  std::string path = dir.file("due.db");
  constexpr int issues = 1000;
  std::vector<std::string> codes;
  {
    SqliteOptions o;
    o.sync = SqliteOptions::Sync::normal;
    Desk desk(open_sqlite(path, o), DeskOptions{std::make_shared<ManualClock>(test::t0())});
    desk.install_workflow(test::admin(), std::string_view(autoclose));
    MessageSettings quiet;
    quiet.acknowledgement = AcknowledgementMode::off;
    desk.set_message_settings(test::admin(), quiet);
    desk.put_record(test::office(), test::booking());
    for (int n = 0; n < issues; ++n) {
      ReportRequest r;
      r.record = {RecordKind::booking, "B-1"};
      r.type = "Other";
      r.description = "Closes itself " + std::to_string(n);
      r.workflow = "autoclose";
      codes.push_back(desk.report(test::office(), r).code);
    }
  }
  Timestamp later = test::t0() + 48h;
  auto results = test::in_processes(2, [&](int) { return std::to_string(work(path, later)); });
  int total = 0;
  for (std::size_t p = 0; p < results.size(); ++p) {
    int ran = std::atoi(results[p].c_str());
    MESSAGE("process ", p, " ran ", ran, " timers");
    total += ran;
  }
  CHECK(total == issues);
  // Count on the timelines: exactly one firing per issue.
  Desk desk(open_sqlite(path), DeskOptions{std::make_shared<ManualClock>(later)});
  for (const auto &code : codes) {
    int fired = 0;
    for (const auto &e : desk.timeline(test::admin(), code)) fired += e.action == "expire";
    CHECK(fired == 1);
    CHECK(desk.get(test::admin(), code).status == "Closed");
  }
  CHECK_FALSE(desk.next_due(test::admin()));
}
