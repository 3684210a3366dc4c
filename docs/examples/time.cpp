// docs/time.md: a business calendar, a workflow with an SLA policy and a
// timer, and the loop a host runs to do what falls due.
#include <complaints/complaints.hpp>

#include <cassert>
#include <chrono>
#include <cstdio>
#include <filesystem>

using namespace complaints;
using namespace std::chrono_literals;

int main(int argc, char **argv) {
  std::string path = argc > 1 ? argv[1] : "time.db";
  for (const char *suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  // Friday 27 March 2026, 10:00 in London: summer time starts on Sunday.
  auto clock = std::make_shared<ManualClock>(parse_timestamp("2026-03-27T10:00:00Z"));
  Desk desk(open_sqlite(path), DeskOptions{clock});
  Actor admin{"adam", Role::admin, Permissions::all()};
  Actor office{"olivia", Role::office, {}};
  Actor scheduler{"scheduler", Role::system, {}};

  // Working hours in London, a bank holiday on Easter Monday.
  BusinessCalendar calendar;
  calendar.time_zone = "Europe/London";
  calendar.holidays = {Date::from_ymd(2026, 4, 6)};
  desk.set_calendar(admin, calendar);

  // "respond" runs two working days, warns at 75%, pauses while waiting on the customer.
  desk.install_workflow(admin, std::string_view(R"({
    "name": "callback", "initial": "Open",
    "statuses": [{"name": "Open", "category": "open"},
                 {"name": "Waiting on customer", "category": "pending"},
                 {"name": "Closed", "category": "closed"}],
    "slas": [{"name": "respond", "within": "2d", "business": true, "warn_percent": 75, "pause_in": ["pending"]}],
    "on_report": [{"type": "sla", "op": "start", "sla": "respond"}],
    "actions": [
      {"name": "ask_customer", "from": ["Open"], "to": "Waiting on customer", "allow": ["office"],
       "effects": [{"type": "set_timer", "timer": "give_up", "after": "7d", "action": "give_up"}]},
      {"name": "customer_replied", "from": ["Waiting on customer"], "to": "Open", "allow": ["office"],
       "effects": [{"type": "cancel_timer", "timer": "give_up"}]},
      {"name": "give_up", "from": ["Waiting on customer"], "to": "Closed", "allow": ["system"]},
      {"name": "close", "from": ["Open", "Waiting on customer"], "to": "Closed", "allow": ["office"]}
    ]})"));

  desk.put_record(office, Record{{RecordKind::booking, "BK-1"}, "casey", {"tariq"}, RecordVisibility::restricted, false});
  ReportRequest r;
  r.record = {RecordKind::booking, "BK-1"};
  r.type = "Late Service";
  r.description = "Nobody came on Thursday.";
  r.workflow = "callback";
  Issue issue = desk.report(office, r);
  // Two working days from Friday 10:00 GMT: Tuesday 10:00 BST, 09:00 UTC.
  std::printf("respond due %s\n", format_timestamp(*issue.slas.at(0).due_at).c_str());
  assert(*issue.slas.at(0).due_at == parse_timestamp("2026-03-31T09:00:00Z"));

  clock->set(parse_timestamp("2026-03-30T11:00:00Z"));  // Monday noon in London
  issue = desk.act(office, issue.code, ActionRequest{"ask_customer", {}, {}});
  assert(issue.slas.at(0).state == SlaState::paused);

  // The host's loop: run what is due, then sleep until the next item.
  for (int round = 0; round < 10; ++round) {
    for (const DueRun &run : desk.process_due(scheduler))
      std::printf("%s: %s %s on %s: %s\n", format_timestamp(clock->now()).c_str(), run.kind.c_str(),
                  run.name.c_str(), run.issue_code.c_str(), to_string(run.outcome));
    std::optional<Timestamp> next = desk.next_due(office);
    if (!next) break;
    clock->set(std::max(*next, clock->now()));  // a real host sleeps until *next
  }
  issue = desk.get(office, issue.code);
  std::printf("%s is %s\n", issue.code.c_str(), issue.status.c_str());
  assert(issue.status == "Closed");
  return 0;
}
