// The customer-confirmation workflow of seed 004, both endings, on an
// embedded SQLite file with a clock moved by hand:
//
//   Complaint Logged -> Team Member Assigned -> (declined) Complaint Logged
//   -> reassigned -> In Progress (accepted) -> Blocked (with a note)
//   -> In Progress (unblocked with feedback) -> Confirmation (resolved)
//
// then the customer confirms (Closed), and, on a second complaint, nobody
// confirms and Desk::process_due closes it four days later by itself. Each
// timeline is printed at the end.
//
// Usage: confirmation [database-file]   (default: confirmation.db, recreated)
#include <complaints/complaints.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>

using namespace complaints;
using namespace std::chrono_literals;

namespace {

void show(const Issue &issue, const char *what) {
  std::cout << "  " << format_timestamp(issue.updated_at) << "  " << issue.code << " " << what << " -> "
            << issue.status << (issue.assignee.empty() ? "" : " (assigned to " + issue.assignee + ")") << "\n";
}

void print_timeline(Desk &desk, const Actor &who, const std::string &code) {
  std::cout << "\nTimeline of " << code << ":\n";
  for (const auto &e : desk.timeline(who, code)) {
    std::cout << "  #" << e.seq << "  " << format_timestamp(e.at) << "  " << e.actor_id << " (" << to_string(e.actor_role)
              << ")  " << (e.action.empty() ? e.kind : e.action);
    if (const FieldChange *s = e.change("status")) std::cout << ": " << (s->before.empty() ? "-" : s->before) << " -> " << s->after;
    if (!e.note.empty()) std::cout << "  \"" << e.note << "\"";
    std::cout << "\n";
  }
  ChainCheck check = desk.verify_timeline(who, code);
  std::cout << "  hash chain: " << (check.ok ? "intact" : "BROKEN") << " (" << check.entries << " entries)\n";
}

}  // namespace

int main(int argc, char **argv) {
  std::string path = argc > 1 ? argv[1] : "confirmation.db";
  for (const char *suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto clock = std::make_shared<ManualClock>(parse_timestamp("2026-11-23T09:00:00Z"));
  try {
    Desk desk(open_sqlite(path), DeskOptions{clock});
    Actor manager{"maria", Role::admin, Permissions::all()};
    Actor office{"olivia", Role::office, {Permission::edit_issues}};
    Actor sam{"sam", Role::fieldworker, {}};
    Actor tariq{"tariq", Role::fieldworker, {}};
    Actor casey{"casey", Role::customer, {}};
    Actor scheduler{"scheduler", Role::system, {}};  // the host's due-work loop

    desk.install_workflow(manager, Workflow::builtin("customer-confirmation"));
    desk.put_record(office, Record{{RecordKind::booking, "BK-7001"}, "casey", {"sam", "tariq"}, RecordVisibility::restricted, false});
    auto act = [&](const Actor &who, const Issue &issue, const char *action, std::map<std::string, std::string, std::less<>> inputs = {}) {
      clock->advance(2h);
      Issue next = desk.act(who, issue.code, ActionRequest{action, std::move(inputs), issue.version});
      show(next, action);
      return next;
    };

    std::cout << "Customer complaint with confirmation (seed 004) on " << path << "\n";
    ReportRequest report;
    report.record = {RecordKind::booking, "BK-7001"};
    report.type = "Unsatisfactory Job";
    report.description = "The new gate does not latch.";
    report.workflow = "customer-confirmation";
    Issue first = desk.report(casey, report);
    show(first, "logged by the customer");
    first = act(office, first, "assign", {{"assignee", "sam"}});
    first = act(sam, first, "decline");
    first = act(office, first, "assign", {{"assignee", "tariq"}});
    first = act(tariq, first, "accept");
    first = act(tariq, first, "block", {{"note", "Waiting for a longer latch bolt from the supplier."}});
    first = act(tariq, first, "unblock", {{"feedback", "The bolt arrived this morning."}});
    first = act(tariq, first, "resolve", {{"feedback", "Fitted the longer bolt; the gate latches."}});
    std::cout << "      the customer has until " << format_timestamp(first.timers.at(0).due_at)
              << " to confirm, or it closes by itself\n";
    first = act(casey, first, "confirm");

    report.description = "The side gate squeaks.";
    Issue second = desk.report(casey, report);
    show(second, "logged by the customer");
    second = act(office, second, "assign", {{"assignee", "tariq"}});
    second = act(tariq, second, "accept");
    second = act(tariq, second, "resolve", {{"feedback", "Oiled the hinges."}});
    // The host's loop: sleep until next_due, then run process_due.
    for (int day = 1; day <= 5; ++day) {
      clock->advance(24h);
      auto next = desk.next_due(office);
      for (const DueRun &run : desk.process_due(scheduler))
        std::cout << "  " << format_timestamp(clock->now()) << "  process_due: " << run.kind << " " << run.name << " on "
                  << run.issue_code << " " << to_string(run.outcome) << " (" << run.detail << ")\n";
      if (!next) break;
    }
    Issue closed = desk.get(office, second.code);
    show(closed, "after four days without confirmation");

    print_timeline(desk, manager, first.code);
    print_timeline(desk, manager, second.code);
    if (first.status != "Closed" || closed.status != "Closed") {
      std::cerr << "unexpected ending\n";
      return 1;
    }
  } catch (const Error &e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
