// Tasks inside the engine (SPEC R8.4, docs/tasks.md): creating one (by a
// person or a workflow effect), writing a change to one together with its
// issue's timeline entry, its own SLA clock's due work, the workflow's rules
// the change sets off, and its event.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "complaints/storage.hpp"
#include "complaints/task.hpp"
#include "complaints/workflow.hpp"
#include "core/op.hpp"
#include "engine/engine.hpp"

namespace complaints::engine {

/// Checks that a task of `kind` may go to `group` and `user` (registered,
/// allowed by the kind's assign_to, the user a member of the group):
/// InvalidInput at "group" or "assignee" otherwise.
void check_assignees(Op &op, const TaskKindDef &kind, std::string_view group, std::string_view user);

/// A new open task of `kind` on `issue` (its id allocated, its options from
/// the kind, its own SLA clock started when the kind names a policy); not yet written.
Task new_task(Op &op, const Workflow &wf, const Issue &issue, const TaskKindDef &kind, std::string group,
              std::string assignee, const std::string &created_by);

/// "task:<id>", the timeline's name for a task.
std::string task_label(const Task &task);
/// Who a task is with, as the timeline shows it: "roads", "u-1", "roads/u-1".
std::string task_holder(const Task &task);

/// What a task's SLA clock has falling due: kinds task_sla_warning and
/// task_sla_breach, named "<task id>:<policy>", under the issue's number.
std::vector<DueItem> due_of(const Task &task);

/// Stops a finished task's running clocks, logging each on `entry`.
void stop_task_clocks(Op &op, Task &task, TimelineEntry &entry);

/// One change to one task, and what it does to its issue.
struct TaskChange {
  std::optional<Task> before;  ///< nullopt: `after` is a new task
  Task after;
  EventKind event = EventKind::task_created;
  FieldChange change;
  std::string note{};           ///< on the timeline entry
  std::string send_template{};  ///< sent to the customer with the change (a completed task's)
};

/// Writes `c` in the open transaction: the task (a compare-and-set on its
/// version: Conflict when another change came first) and its due work; the
/// issue's internal timeline entry; the message; the workflow's rules on the
/// task event (docs/tasks.md) with the SLA policies of a status they set;
/// the tasks those rules create; and the events. `record` is the issue's
/// record when the caller has it; otherwise it is read only if the change
/// needs it (a message, rules on the event). Returns the task as written.
Task change_task(Op &op, const Actor &actor, const IssueRow &row, std::optional<Record> record, TaskChange c);

/// Runs the workflow's rules on `on` (a rule's "on": task_created,
/// task_completed, task_cancelled, stage_changed) whose filter matches
/// `subject` (the task's kind, or the new stage). Rules do not set off rules.
void run_rules(EffectContext &ctx, std::string_view on, std::string_view subject);

/// Inserts the tasks the change's effects created, with their due work and
/// task_created events, once the issue is written (`written`, as it was).
void write_created_tasks(EffectContext &ctx, const Issue &written);

/// The task_* event of a committed change to `task` on `issue`.
Event task_event(EventKind kind, const Actor &actor, Timestamp at, const Issue &issue, const Task &task,
                 std::vector<FieldChange> changes);

}  // namespace complaints::engine
