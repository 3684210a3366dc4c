// The council case desk of seed 003 on the built-in staged-escalation
// workflow, on an embedded SQLite file with a clock moved by hand:
//
//   a service request is escalated to Stage 1; an Investigate task goes to
//   the Highways department, is claimed and completed with findings; a Send
//   response task sends the templated reply; the outcome is recorded (soft
//   close: Resolved, SLA stopped, off the manager's active list); the
//   complainant comes back and the case goes to Stage 2; the close is refused
//   while a mandatory task is open; once it is done the case closes with a
//   resolution. The case history is printed at the end.
//
// Usage: council [database-file]   (default: council.db, recreated)
#include <complaints/complaints.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>

using namespace complaints;
using namespace std::chrono_literals;

namespace {

void show(const Issue &issue, const std::string &what) {
  std::cout << "  " << format_timestamp(issue.updated_at) << "  " << issue.code << " " << what << ": " << issue.stage
            << " / " << issue.status << (issue.assignee.empty() ? "" : " (case manager " + issue.assignee + ")")
            << "\n";
  for (const auto &clock : issue.slas)
    if (clock.state == SlaState::running && clock.due_at)
      std::cout << "      " << clock.name << " SLA running, due " << format_timestamp(*clock.due_at) << "\n";
}

void show(const Task &task, const std::string &what) {
  std::cout << "  " << format_timestamp(task.updated_at) << "  task " << task.id << " (" << task.kind << ") " << what
            << (task.assignee.empty() ? "" : " by/for " + task.assignee) << "\n";
}

void print_history(Desk &desk, const Actor &who, const std::string &code) {
  std::cout << "\nCase history of " << code << ":\n";
  for (const auto &e : desk.timeline(who, code)) {
    std::cout << "  #" << e.seq << "  " << format_timestamp(e.at) << "  " << e.actor_id << "  "
              << (e.action.empty() ? e.kind : e.action);
    for (const auto &c : e.changes)
      std::cout << "; " << c.field << ": " << (c.before.empty() ? "-" : c.before) << " -> "
                << (c.after.empty() ? "-" : c.after);
    if (!e.note.empty()) std::cout << "  \"" << e.note << "\"";
    std::cout << "\n";
  }
  ChainCheck check = desk.verify_timeline(who, code);
  std::cout << "  hash chain: " << (check.ok ? "intact" : "BROKEN") << " (" << check.entries << " entries)\n";
}

}  // namespace

int main(int argc, char **argv) {
  std::string path = argc > 1 ? argv[1] : "council.db";
  for (const char *suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto clock = std::make_shared<ManualClock>(parse_timestamp("2026-11-02T09:00:00Z"));  // a Monday
  try {
    Desk desk(open_sqlite(path), DeskOptions{clock});
    Actor admin{"admin", Role::admin, Permissions::all()};
    Actor cara{"cara", Role::office, {Permission::edit_issues}};  // the case manager
    Actor ian{"ian", Role::fieldworker, {}};                        // an officer of the Highways department
    Actor scheduler{"scheduler", Role::system, {}};                 // the host's due-work loop

    desk.install_workflow(admin, Workflow::builtin("staged-escalation"));
    desk.add_issue_type(admin, IssueType{"Service Complaint", "#EB5757"});
    desk.put_user(admin, User{"cara", Role::office, "Cara Case-Manager", {}});
    desk.put_user(admin, User{"ian", Role::fieldworker, "Ian Inspector", {}});
    desk.put_user(admin, User{"rita", Role::customer, "Rita Resident", {}});
    desk.put_group(admin, Group{"highways", "Highways", {"ian"}});
    desk.put_record(cara, Record{{RecordKind::booking, "SR-1001"}, "rita", {}, RecordVisibility::restricted, false});
    auto act = [&](const Issue &issue, const char *action, std::map<std::string, std::string, std::less<>> inputs) {
      Issue next = desk.act(cara, issue.code, ActionRequest{action, std::move(inputs), issue.version});
      show(next, action);
      return next;
    };
    auto due = [&] {
      for (const DueRun &run : desk.process_due(scheduler))
        std::cout << "  " << format_timestamp(clock->now()) << "  process_due: " << run.kind << " " << run.name
                  << " on " << run.issue_code << " (" << run.detail << ")\n";
    };

    std::cout << "Council case desk (seed 003) on " << path << "\n";
    ReportRequest report;
    report.record = {RecordKind::booking, "SR-1001"};
    report.type = "Service Complaint";
    report.description = "The pothole outside 12 Mill Lane was reported in August and is still there.";
    report.workflow = "staged-escalation";
    Issue c = desk.report(cara, report);
    show(c, "reported");

    clock->advance(3h);
    c = act(c, "change_stage", {{"stage", "Stage 1"}, {"note", "Reviewed: a genuine complaint."}});

    // Investigation by the Highways department: to its queue, claimed, completed with findings.
    clock->advance(1h);
    Task investigate = desk.create_task(cara, c.code, TaskRequest{"investigate", "highways"});
    show(investigate, "to the highways queue");
    show(desk.get(cara, c.code), "after the task_created rule");
    Task next = desk.claimable_tasks(ian, 0, 1).at(0);
    show(desk.claim_task(ian, next.id), "claimed");
    TaskCase seen = desk.task_case(ian, next.id);
    std::cout << "      ian sees (" << to_string(seen.access) << "): \"" << seen.issue.description << "\"\n";
    clock->advance(8 * 24h);  // more than the investigation's 5 working days: warned, then breached
    due();
    show(desk.complete_task(ian, next.id, "Inspected on site: pothole 40cm wide. Repair was not scheduled in August "
                                          "owing to a missed handover. Now booked for next week."),
         "completed");
    show(desk.get(cara, c.code), "after the task_completed rule");

    // The response: a Send response task for the case manager; its template is previewed, then sent.
    clock->advance(2h);
    Task respond = desk.create_task(cara, c.code, TaskRequest{"send_response", "", "cara"});
    for (const auto &m : desk.preview_message(cara, c.code, "final_resolution"))
      std::cout << "      preview to " << m.recipient << ": " << m.subject << "\n";
    show(desk.complete_task(cara, respond.id, "Response sent."), "completed (the reply is in the outbox)");

    // Recording the outcome is the soft close.
    clock->advance(1h);
    c = desk.get(cara, c.code);
    ActionRequest outcome{"record_outcome", {{"note", "Repair delayed by a missed handover."}}, c.version};
    outcome.fields = {{"outcome", "Partly upheld"},
                      {"remedy", "Apology;Service put right"},
                      {"learning", "Hand over open repairs when a crew changes."},
                      {"response_date", "2026-11-10"}};
    c = desk.act(cara, c.code, outcome);
    show(c, "record_outcome (soft close)");
    std::cout << "      case fields:";
    for (const auto &[name, value] : c.fields) std::cout << " " << name << "=" << value << ";";
    std::cout << "\n";
    IssueFilter active = IssueFilter::open_issues();
    active.assignee = "cara";
    active.categories = {StatusCategory::open, StatusCategory::active};
    IssueFilter responded;
    responded.categories = {StatusCategory::resolved};
    std::cout << "      cara's active cases: " << desk.list(cara, active).size()
              << ", responded cases: " << desk.list(cara, responded).size() << "\n";

    // The complainant comes back: Stage 2, its own SLA, a mandatory investigation.
    clock->advance(7 * 24h);
    c = act(c, "change_stage", {{"stage", "Stage 2"}, {"note", "The complainant is not satisfied with the repair date."}});
    TaskRequest review{"investigate_and_respond", "highways"};
    review.mandatory = true;
    Task stage2 = desk.create_task(cara, c.code, review);
    show(stage2, "to the highways queue (mandatory)");
    c = desk.get(cara, c.code);
    outcome = ActionRequest{"record_outcome", {{"note", "Repair brought forward."}}, c.version};
    outcome.fields = {{"outcome", "Upheld"}, {"compensation", "50"}};
    c = desk.act(cara, c.code, outcome);
    show(c, "record_outcome (soft close)");
    try {
      desk.act(cara, c.code, ActionRequest{"close", {{"resolution", "Partly upheld"}}, c.version});
      std::cerr << "the close went through with a mandatory task open\n";
      return 1;
    } catch (const InvalidState &e) {
      std::cout << "      close refused: " << e.what() << "\n";
    }
    desk.claim_task(ian, stage2.id);
    clock->advance(2 * 24h);
    show(desk.complete_task(ian, stage2.id, "Repair done today; photos on file."), "completed (the reply is sent)");
    c = desk.get(cara, c.code);
    c = act(c, "close", {{"resolution", "Partly upheld"}, {"note", "Repair completed; apology given."}});

    std::cout << "      outbox: " << desk.outbox_pending(scheduler).size() << " message(s) waiting for delivery\n";
    print_history(desk, cara, c.code);
    if (c.status != "Closed") {
      std::cerr << "unexpected ending\n";
      return 1;
    }
  } catch (const Error &e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
