// Quickstart: one booking complaint through the whole field-service lifecycle
// on an embedded SQLite file, printing each step (with the fieldworker's
// payout, withheld while the complaint is open) and then the timeline.
//
//   New -> In Progress (follow-up scheduled) -> Awaiting Approval (fieldworker
//   resolves) -> sent back -> Awaiting Approval -> Closed (admin approves)
//   -> Reopened -> Closed
//
// Usage: quickstart [database-file]   (default: quickstart.db, recreated)
#include <complaints/complaints.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

using namespace complaints;

namespace {

void step(Desk &desk, const char *what, const Issue &issue) {
  // The host asks before paying its fieldworker for the booking.
  PayDecision pay = desk.may_pay(Actor{"payroll", Role::system, {}}, issue.record, "tariq");
  std::cout << "  " << format_timestamp(issue.updated_at) << "  " << what << "\n"
            << "      " << issue.code << " is " << issue.status << " (version " << issue.version << "); Tariq's payout: "
            << (pay.may_pay ? "payable" : "withheld") << "\n";
}

}  // namespace

int main(int argc, char **argv) {
  std::string path = argc > 1 ? argv[1] : "quickstart.db";
  for (const char *suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);

  // The host decides what time it is; here a clock we move forward by hand, so
  // the story spans a week in a blink.
  auto clock = std::make_shared<ManualClock>(parse_timestamp("2026-11-23T08:30:00Z"));
  try {
    Desk desk(open_sqlite(path), DeskOptions{clock});

    // The host's users, as actors: it vouches for who they are.
    Actor office{"olivia", Role::office, {Permission::edit_issues}};
    Actor admin{"adam", Role::admin, Permissions::all()};
    Actor tech{"tariq", Role::fieldworker, {}};
    Actor host{"mailer", Role::system, {}};

    // The booking the complaint is about: customer Casey, fieldworker Tariq.
    desk.put_record(office, Record{{RecordKind::booking, "BK-2041"}, "casey", {"tariq"}, RecordVisibility::restricted, false});

    // Any step can be watched in-process; events fire after each commit.
    desk.events().any().connect([](const Event &e) {
      std::cout << "      [event] " << to_string(e.kind) << (e.action.empty() ? "" : " " + e.action)
                << (e.detail.empty() ? "" : " " + e.detail) << "\n";
    });

    std::cout << "Complaint lifecycle on " << path << "\n";
    ReportRequest report;
    report.record = {RecordKind::booking, "BK-2041"};
    report.type = "Unsatisfactory Job";
    report.description = "Hot water system still leaks after Tuesday's repair.";
    Issue issue = desk.report(office, report);
    step(desk, "Olivia (office) logs the customer's phone complaint", issue);

    clock->advance(std::chrono::hours(2));
    issue = desk.act(office, issue.code, ActionRequest{"schedule_follow_up", {{"date", "2026-11-25"}}, issue.version});
    step(desk, "Olivia schedules a follow-up visit for 2026-11-25", issue);

    clock->advance(std::chrono::hours(50));
    issue = desk.act(tech, issue.code, ActionRequest{"resolve", {{"note", "Replaced the pressure valve."}}, issue.version});
    step(desk, "Tariq (fieldworker) marks it resolved on site", issue);

    clock->advance(std::chrono::hours(3));
    issue = desk.act(admin, issue.code,
                     ActionRequest{"send_back", {{"note", "Please upload a photo of the new valve."}}, issue.version});
    step(desk, "Adam (admin) sends it back: evidence missing", issue);

    clock->advance(std::chrono::hours(20));
    issue = desk.act(tech, issue.code, ActionRequest{"resolve", {{"note", "Photo uploaded."}}, issue.version});
    step(desk, "Tariq resolves it again", issue);

    clock->advance(std::chrono::hours(1));
    issue = desk.act(admin, issue.code, ActionRequest{"approve", {}, issue.version});
    step(desk, "Adam approves the fix", issue);

    clock->advance(std::chrono::hours(48));
    issue = desk.act(admin, issue.code, ActionRequest{"reopen", {{"note", "Customer reports a drip again."}}, issue.version});
    step(desk, "Adam reopens it after the customer calls back", issue);

    clock->advance(std::chrono::hours(4));
    issue = desk.act(admin, issue.code, ActionRequest{"close", {{"note", "Drip was condensation; explained to customer."}}, issue.version});
    step(desk, "Adam closes it", issue);

    std::cout << "\nTimeline of " << issue.code << ":\n";
    for (const TimelineEntry &e : desk.timeline(admin, issue.code)) {
      std::cout << "  #" << e.seq << "  " << format_timestamp(e.at) << "  " << e.actor_id << " (" << to_string(e.actor_role)
                << ")  " << (e.action.empty() ? e.kind : e.action) << "\n";
      for (const FieldChange &c : e.changes)
        if (c.field != "description")
          std::cout << "        " << c.field << ": " << (c.before.empty() ? "-" : c.before) << " -> " << c.after << "\n";
      if (!e.note.empty()) std::cout << "        note: " << e.note << "\n";
    }
    std::cout << "\nPayout ledger:\n";
    for (const HoldLedgerEntry &line : desk.hold_report(admin, parse_timestamp("2026-11-01T00:00:00Z"), clock->now() + std::chrono::hours(1)).entries) {
      std::cout << "  " << format_timestamp(line.at) << "  " << to_string(line.action) << " " << line.fieldworker << " on "
                << line.record.to_string() << " by " << line.actor_id << " (";
      for (const std::string &code : line.issues) std::cout << code << ", ";
      std::cout << line.reason << ")\n";
    }
    ChainCheck check = desk.verify_timeline(admin, issue.code);
    std::cout << "\nTimeline hash chain: " << (check.ok ? "intact" : "BROKEN") << " (" << check.entries << " entries)\n";

    // What the host must deliver: notifications queued with each change.
    auto outbox = desk.outbox_pending(host, 1000);
    std::cout << "Outbox: " << outbox.size() << " notifications waiting for delivery\n";
    return check.ok ? 0 : 1;
  } catch (const Error &e) {
    std::cerr << "error (" << to_string(e.code()) << "): " << e.what() << "\n";
    return 1;
  }
}
