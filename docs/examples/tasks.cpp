// docs/tasks.md: a group's claimable queue, one claim, a completed task on
// the case's timeline, and the guard that keeps a case open until the
// mandatory work is done. Built and run by the test command.
#include <complaints/complaints.hpp>

#include <cstdio>
#include <memory>

using namespace complaints;

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "tasks.db";
  std::remove(path);
  Desk desk(open_sqlite(path), DeskOptions{std::make_shared<ManualClock>(parse_timestamp("2026-03-02T09:00:00Z"))});
  const Actor admin{"admin-1", Role::admin, Permissions::all()};
  const Actor manager{"case-manager", Role::office, {}};
  const Actor alice{"alice", Role::office, {}}, bob{"bob", Role::office, {}};
  for (const Actor &a : {manager, alice, bob}) desk.put_user(admin, User{a.id, a.role, a.id, {}});

  // The Roads team claims investigations; the workflow says so.
  desk.put_group(admin, Group{"roads", "Roads and Highways", {"alice", "bob"}});
  WorkflowDef def = Workflow::builtin("field-service").definition();
  def.name = "council";
  TaskKindDef investigate{"investigate"};
  investigate.groups = {"roads"};
  investigate.mandatory = true;
  investigate.instructions = "Inspect the site and record what you find.";
  def.tasks = {investigate};
  for (auto &action : def.actions)
    if (action.name == "close") action.guards = {"no_open_tasks", "mandatory_tasks_done"};
  desk.install_workflow(admin, Workflow::from_definition(def));

  desk.put_record(admin, Record{{RecordKind::booking, "SR-1"}, "resident-1", {}, RecordVisibility::restricted, false});
  ReportRequest report;
  report.record = {RecordKind::booking, "SR-1"};
  report.type = "Damage Caused";
  report.description = "Pothole outside number 12.";
  report.workflow = "council";
  Issue issue = desk.report(manager, report);

  Task task = desk.create_task(manager, issue.code, TaskRequest{"investigate", "roads"});
  std::printf("%s: task %lld in the roads queue (%zu claimable for bob)\n", issue.code.c_str(),
              static_cast<long long>(task.id), desk.claimable_tasks(bob).size());

  // Alice and Bob both reach for it: one claim wins, the other is told who has it.
  desk.claim_task(alice, task.id);
  try {
    desk.claim_task(bob, task.id);
  } catch (const Conflict &e) {
    std::printf("bob: %s\n", e.what());
  }

  // The close waits for the mandatory investigation.
  try {
    desk.act(admin, issue.code, ActionRequest{"close", {}, std::nullopt});
  } catch (const InvalidState &e) {
    std::printf("close refused: %s\n", e.what());
  }
  desk.complete_task(alice, task.id, "30cm pothole; repair booked for Tuesday.");
  Issue closed = desk.act(admin, issue.code, ActionRequest{"close", {}, std::nullopt});
  std::printf("%s is %s\n", closed.code.c_str(), closed.status.c_str());
  for (const auto &entry : desk.timeline(admin, issue.code))
    if (entry.kind == entry_kind::task)
      std::printf("  %s %s: %s -> %s %s\n", entry.actor_id.c_str(), entry.changes.front().field.c_str(),
                  entry.changes.front().before.c_str(), entry.changes.front().after.c_str(), entry.note.c_str());
  return closed.is_closed() ? 0 : 1;
}
