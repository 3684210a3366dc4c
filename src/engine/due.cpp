#include "engine/due.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "access/access.hpp"
#include "complaints/errors.hpp"
#include "engine/caches.hpp"
#include "engine/change.hpp"
#include "engine/effects.hpp"
#include "engine/engine.hpp"
#include "engine/reminders.hpp"
#include "engine/tasks.hpp"
#include "time/sla.hpp"

namespace complaints::engine {

namespace {

auto key_of(const DueItem &d) { return std::tie(d.kind, d.name); }

DueRun outcome(const DueItem &item, DueOutcome what, std::string detail) {
  return DueRun{item.number ? format_issue_code(item.number) : "", item.kind, item.name, item.due_at, what,
                std::move(detail)};
}

// Who a To Follow reminder goes to: the case's owner (its assignee), else the
// staff member who reported it, else the registered admins.
std::vector<std::string> reminder_recipients(Op &op, const Issue &issue) {
  if (!issue.assignee.empty()) return {issue.assignee};
  if (is_staff(issue.reporter_role) && issue.reporter_role != Role::system) return {issue.reporter_id};
  std::vector<std::string> out;
  for (const auto &admin : op.users->admins(op.txn)) out.push_back(admin.id);
  return out;
}

DueRun run_timer(Op &op, const Actor &actor, const DueItem &item, const IssueRow &row, const Record &record) {
  const auto &timers = row.issue.timers;
  auto it = std::find_if(timers.begin(), timers.end(), [&](const IssueTimer &t) { return t.name == item.name; });
  if (it == timers.end() || it->due_at != item.due_at)
    throw StorageError(fmt::format("due item timer '{}' of {} does not match the issue's timers", item.name,
                                   row.issue.code));
  IssueTimer timer = *it;
  act(op, actor, row, record, ActionRequest{timer.action, {}, std::nullopt}, &timer);
  return outcome(item, DueOutcome::ran, timer.action);
}

bool is_sla(std::string_view kind) { return kind == due_kind::sla_warning || kind == due_kind::sla_breach; }
bool is_task_sla(std::string_view kind) {
  return kind == due_kind::task_sla_warning || kind == due_kind::task_sla_breach;
}
bool is_breach(std::string_view kind) { return kind == due_kind::sla_breach || kind == due_kind::task_sla_breach; }

// True when the item is the clock's pending warning or breach.
bool pending(const SlaClock *clock, const DueItem &item) {
  if (!clock || clock->state != SlaState::running) return false;
  return is_breach(item.kind) ? !clock->breached && clock->due_at == item.due_at
                              : !clock->warned && clock->warn_at == item.due_at;
}

// Marks the clock warned (or breached: past any warning).
void mark(SlaClock &clock, const DueItem &item) {
  if (is_breach(item.kind)) {
    clock.breached = true;
    clock.breached_at = item.due_at;
  }
  clock.warned = true;
  clock.warn_at.reset();
}

// A task clock's item names "<task id>:<policy>"; the task and the policy.
std::pair<std::optional<Task>, std::string> task_clock(Op &op, const DueItem &item) {
  std::size_t colon = item.name.find(':');
  std::int64_t id = 0;
  if (colon != std::string::npos)
    for (std::size_t i = 0; i < colon; ++i)
      id = item.name[i] >= '0' && item.name[i] <= '9' && id < INT64_MAX / 10 ? id * 10 + (item.name[i] - '0') : -1;
  if (colon == std::string::npos || id <= 0)
    throw StorageError(fmt::format("due item {} '{}' does not name a task's clock", item.kind, item.name));
  auto task = op.txn.task(id);
  if (task && task->number != item.number) task.reset();
  return {std::move(task), item.name.substr(colon + 1)};
}

// Announces a warning or breach of the issue's clock or (`task`) of a task's,
// to the task's people (its assignee, else its group) and the issue's SLA recipients.
void announce_sla(Op &op, const Actor &actor, const DueItem &item, const Issue &written, const Record &record,
                  const TimelineEntry &entry, const std::string &policy, const Task *task) {
  bool breach = is_breach(item.kind);
  Event e = issue_event(breach ? EventKind::sla_breached : EventKind::sla_warning, actor, op.now, written, "",
                        entry.changes);
  e.detail = policy;
  std::vector<std::string> to;
  if (task) {
    e.item_id = task->id;
    if (!task->assignee.empty())
      to.push_back(task->assignee);
    else if (auto g = op.txn.group(task->group))
      to = g->members;
  }
  for (auto &id : sla_recipients(op, written))
    if (std::find(to.begin(), to.end(), id) == to.end()) to.push_back(std::move(id));
  std::string what = task ? fmt::format("task {} ({})", task->id, task->kind) : std::string("the");
  std::string subject = breach ? fmt::format("{}: {} {} SLA was breached", written.code, what, policy)
                               : fmt::format("{}: {} {} SLA is at risk", written.code, what, policy);
  announce_to(op, std::move(e), written, record, entry.seq, to, subject,
              fmt::format("{} ({}, {}). {}", written.code, written.type, written.status, entry.note));
}

std::string sla_note(const DueItem &item, const SlaClock &clock) {
  return is_breach(item.kind) ? fmt::format("The {} SLA ran out at {}.", clock.name, format_timestamp(item.due_at))
                              : fmt::format("The {} SLA is due at {}.", clock.name,
                                            clock.due_at ? format_timestamp(*clock.due_at) : std::string("?"));
}

DueRun run_sla(Op &op, const Actor &actor, const DueItem &item, const IssueRow &row, const Record &record) {
  Issue after = row.issue;
  SlaClock *clock = timing::find_clock(after.slas, item.name);
  if (!pending(clock, item))
    throw StorageError(fmt::format("due item {} '{}' of {} does not match the issue's clocks", item.kind, item.name,
                                   row.issue.code));
  timing::bring_up_to_date(*clock, op.now, op.caches->calendar(op));
  std::string before = clock_text(*clock);
  mark(*clock, item);
  TimelineEntry entry;
  entry.kind = entry_kind::sla;
  entry.internal = true;
  entry.changes.push_back({"sla:" + item.name, before, is_breach(item.kind) ? "breached" : "warning"});
  entry.note = sla_note(item, *clock);
  Issue written = write(op, actor, row, std::move(after), entry, true);
  announce_sla(op, actor, item, written, record, entry, item.name, nullptr);
  return outcome(item, DueOutcome::ran, is_breach(item.kind) ? "breached" : "warning");
}

// A task's own clock: the task is marked, its issue's timeline says so.
DueRun run_task_sla(Op &op, const Actor &actor, const DueItem &item, const IssueRow &row, const Record &record) {
  auto [task, policy] = task_clock(op, item);
  SlaClock *clock = nullptr;
  std::optional<Task> after = task;
  if (after && after->state == TaskState::open) clock = timing::find_clock(after->slas, policy);
  if (!pending(clock, item))
    throw StorageError(fmt::format("due item {} '{}' of {} does not match the task's clocks", item.kind, item.name,
                                   row.issue.code));
  timing::bring_up_to_date(*clock, op.now, op.caches->calendar(op));
  std::string before = clock_text(*clock);
  mark(*clock, item);
  after->version = task->version + 1;
  after->updated_at = op.now;
  if (!op.txn.update_task(*task, *after))
    throw Conflict(fmt::format("task {} changed while its SLA was checked", task->id), "id");
  sync_due(op.txn, row.issue.number, due_of(*task), due_of(*after));
  TimelineEntry entry;
  entry.kind = entry_kind::sla;
  entry.internal = true;
  entry.changes.push_back(
      {task_label(*after) + " sla:" + policy, before, is_breach(item.kind) ? "breached" : "warning"});
  entry.note = fmt::format("Task {} ({}): {}", after->id, after->kind, sla_note(item, *clock));
  Issue written = write(op, actor, row, row.issue, entry, false);
  announce_sla(op, actor, item, written, record, entry, policy, &*after);
  return outcome(item, DueOutcome::ran, is_breach(item.kind) ? "breached" : "warning");
}

DueRun run_reminder(Op &op, const Actor &actor, const DueItem &item, const IssueRow &row, const Record &record) {
  if (row.issue.reminder_at != item.due_at)
    throw StorageError(fmt::format("due item to_follow of {} does not match the issue", row.issue.code));
  Issue after = row.issue;
  after.reminder_at.reset();
  std::vector<std::string> to = reminder_recipients(op, after);
  std::string names;
  for (const auto &id : to) names += (names.empty() ? "" : ", ") + id;
  TimelineEntry entry;
  entry.kind = entry_kind::reminder;
  entry.internal = true;
  entry.changes.push_back({"reminder", "", names});
  entry.note = fmt::format("To Follow: the deferred date {} has come.",
                           after.deferred_date ? after.deferred_date->to_string() : std::string("?"));
  Issue written = write(op, actor, row, std::move(after), entry, true);
  Event e = issue_event(EventKind::reminder_due, actor, op.now, written, "", entry.changes);
  e.detail = names;
  announce_to(op, std::move(e), written, record, entry.seq, to,
              fmt::format("{} is due for follow-up today", written.code),
              fmt::format("{} ({}, {}) was marked To Follow until {}.", written.code, written.type, written.status,
                          written.deferred_date ? written.deferred_date->to_string() : std::string("?")));
  return outcome(item, DueOutcome::ran, names);
}

}  // namespace

std::vector<DueItem> due_of(const Issue &issue) {
  std::vector<DueItem> out;
  for (const auto &t : issue.timers) out.push_back({issue.number, std::string(due_kind::timer), t.name, t.due_at});
  for (const auto &c : issue.slas) {
    if (c.state != SlaState::running) continue;
    if (c.warn_at && !c.warned) out.push_back({issue.number, std::string(due_kind::sla_warning), c.name, *c.warn_at});
    if (c.due_at && !c.breached) out.push_back({issue.number, std::string(due_kind::sla_breach), c.name, *c.due_at});
  }
  if (issue.reminder_at) out.push_back({issue.number, std::string(due_kind::to_follow), "", *issue.reminder_at});
  return out;
}

void sync_due(StorageTransaction &txn, std::int64_t number, const std::vector<DueItem> &before,
              const std::vector<DueItem> &after) {
  for (const auto &old : before)
    if (std::none_of(after.begin(), after.end(), [&](const DueItem &d) { return key_of(d) == key_of(old); }))
      txn.remove_due(number, old.kind, old.name);
  for (const auto &item : after)
    if (std::find(before.begin(), before.end(), item) == before.end()) txn.put_due(item);
}

DueRun run_due(Op &op, const Actor &actor, const DueItem &item) {
  if (item.number == 0) {
    if (item.kind == due_kind::schedule && item.name == reminder_schedule) {
      std::size_t sent = send_scheduled_reminders(op, actor, item.due_at);
      schedule_reminders(op);
      return outcome(item, DueOutcome::ran, fmt::format("{} fieldworker(s) reminded", sent));
    }
    throw StorageError(fmt::format("unknown desk-wide due item {} '{}'", item.kind, item.name));
  }
  auto found = op.txn.issue_with_record(item.number);
  if (!found) throw StorageError(fmt::format("due item {} names issue {}, which is missing", item.kind, item.number));
  const auto &[row, record] = *found;
  if (item.kind == due_kind::timer) return run_timer(op, actor, item, row, record);
  if (is_sla(item.kind)) return run_sla(op, actor, item, row, record);
  if (is_task_sla(item.kind)) return run_task_sla(op, actor, item, row, record);
  if (item.kind == due_kind::to_follow) return run_reminder(op, actor, item, row, record);
  throw StorageError(fmt::format("unknown due item kind '{}' on {}", item.kind, row.issue.code));
}

DueRun drop_due(Op &op, const Actor &actor, const DueItem &item, const std::string &reason) {
  op.txn.remove_due(item.number, item.kind, item.name);
  auto row = item.number ? op.txn.issue(item.number) : std::nullopt;
  if (!row) return outcome(item, DueOutcome::dropped, reason);
  Issue after = row->issue;
  std::string field = item.kind == due_kind::timer       ? "timer:" + item.name
                      : item.kind == due_kind::to_follow ? std::string("reminder")
                                                         : "sla:" + item.name;
  if (is_task_sla(item.kind)) {
    auto [task, policy] = task_clock(op, item);
    if (task) {
      Task done = *task;
      if (SlaClock *clock = timing::find_clock(done.slas, policy)) {
        mark(*clock, item);
        done.version = task->version + 1;
        done.updated_at = op.now;
        if (!op.txn.update_task(*task, done))
          throw Conflict(fmt::format("task {} changed while its SLA was checked", task->id), "id");
        sync_due(op.txn, item.number, due_of(*task), due_of(done));
      }
      field = task_label(done) + " sla:" + policy;
    }
  } else if (item.kind == due_kind::timer) {
    std::erase_if(after.timers, [&](const IssueTimer &t) { return t.name == item.name; });
  } else if (SlaClock *clock = timing::find_clock(after.slas, item.name); clock && is_sla(item.kind)) {
    clock->warned = true;
    clock->warn_at.reset();
    if (item.kind == due_kind::sla_breach) clock->breached = true;
  } else if (item.kind == due_kind::to_follow) {
    after.reminder_at.reset();
  }
  TimelineEntry entry;
  entry.kind = entry_kind::due_dropped;
  entry.internal = true;
  entry.changes.push_back({field, format_timestamp(item.due_at), "dropped"});
  entry.note = reason;
  write(op, actor, *row, std::move(after), entry, !is_task_sla(item.kind));
  return outcome(item, DueOutcome::dropped, reason);
}

void schedule_reminders(Op &op) {
  const MessageSettings &settings = op.caches->message_settings(op);
  if (!settings.reminder_schedule) {
    op.txn.remove_due(0, due_kind::schedule, reminder_schedule);
    return;
  }
  Timestamp next = op.caches->calendar(op).next(*settings.reminder_schedule, op.now);
  op.txn.put_due({0, std::string(due_kind::schedule), std::string(reminder_schedule), next});
}

}  // namespace complaints::engine
