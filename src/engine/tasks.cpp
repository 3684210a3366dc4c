#include "engine/tasks.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "complaints/limits.hpp"
#include "domain/check.hpp"
#include "engine/caches.hpp"
#include "engine/change.hpp"
#include "engine/due.hpp"
#include "engine/effects.hpp"
#include "time/sla.hpp"

namespace complaints::engine {

void check_assignees(Op &op, const TaskKindDef &kind, std::string_view group, std::string_view user) {
  if (group.empty() && user.empty()) throw InvalidInput("a task goes to a group, a user or both", "group");
  bool open = kind.groups.empty() && kind.users.empty() && kind.roles.empty();
  if (!group.empty()) {
    check::id(group, "group", limits::id_bytes);
    auto g = op.txn.group(group);
    if (!g) throw InvalidInput(fmt::format("no group '{}'; register it with put_group", check::excerpt(group)), "group");
    if (!open && std::find(kind.groups.begin(), kind.groups.end(), group) == kind.groups.end())
      throw InvalidInput(fmt::format("a '{}' task cannot go to group '{}'", kind.name, check::excerpt(group)), "group");
    if (!user.empty() && !std::binary_search(g->members.begin(), g->members.end(), user))
      throw InvalidInput(fmt::format("'{}' is not a member of group '{}'", check::excerpt(user), check::excerpt(group)),
                         "assignee");
  }
  if (!user.empty()) {
    check::id(user, "assignee", limits::id_bytes);
    const User *u = op.users->find(op.txn, user);
    if (!u) throw InvalidInput(fmt::format("no user '{}'; register it with put_user", check::excerpt(user)), "assignee");
    if (u->role == Role::customer || u->role == Role::system)
      throw InvalidInput(fmt::format("'{}' cannot work tasks", check::excerpt(user)), "assignee");
    bool named = std::find(kind.users.begin(), kind.users.end(), user) != kind.users.end() ||
                 std::find(kind.roles.begin(), kind.roles.end(), u->role) != kind.roles.end();
    bool via_group = !group.empty();  // a member of an allowed group (checked above)
    if (!open && !named && !via_group)
      throw InvalidInput(fmt::format("a '{}' task cannot go to '{}'", kind.name, check::excerpt(user)), "assignee");
  }
}

Task new_task(Op &op, const Workflow &wf, const Issue &issue, const TaskKindDef &kind, std::string group,
              std::string assignee, const std::string &created_by) {
  Task t;
  t.id = op.txn.allocate_task_id();
  t.number = issue.number;
  t.issue_code = issue.code;
  t.kind = kind.name;
  t.stage = issue.stage;
  t.group = std::move(group);
  t.assignee = std::move(assignee);
  t.mandatory = kind.mandatory;
  t.access = kind.access;
  t.instructions = kind.instructions;
  t.created_by = created_by;
  t.created_at = t.updated_at = op.now;
  if (!kind.sla.empty()) {
    const SlaPolicyDef *def = wf.sla(kind.sla);
    if (!def) throw StorageError(fmt::format("workflow '{}' has no SLA policy '{}'", wf.name(), kind.sla));
    timing::SlaPolicy policy = policy_of(*def);
    t.slas.push_back(timing::start_clock(policy, policy.within, op.now, op.caches->calendar(op)));
  }
  return t;
}

std::string task_label(const Task &t) { return "task:" + std::to_string(t.id); }

std::string task_holder(const Task &t) {
  if (t.group.empty()) return t.assignee;
  if (t.assignee.empty()) return t.group;
  return t.group + "/" + t.assignee;
}

std::vector<DueItem> due_of(const Task &task) {
  std::vector<DueItem> out;
  if (task.state != TaskState::open) return out;
  for (const auto &c : task.slas) {
    if (c.state != SlaState::running) continue;
    std::string name = fmt::format("{}:{}", task.id, c.name);
    if (c.warn_at && !c.warned) out.push_back({task.number, std::string(due_kind::task_sla_warning), name, *c.warn_at});
    if (c.due_at && !c.breached) out.push_back({task.number, std::string(due_kind::task_sla_breach), name, *c.due_at});
  }
  return out;
}

void stop_task_clocks(Op &op, Task &task, TimelineEntry &entry) {
  for (SlaClock &clock : task.slas) {
    if (clock.state == SlaState::stopped) continue;
    std::string before = clock_text(clock);
    timing::stop_clock(clock, op.now, op.caches->calendar(op));
    std::string after = clock_text(clock);
    if (after != before) entry.changes.push_back({task_label(task) + " sla:" + clock.name, before, after});
  }
}

Event task_event(EventKind kind, const Actor &actor, Timestamp at, const Issue &issue, const Task &task,
                 std::vector<FieldChange> changes) {
  Event e = issue_event(kind, actor, at, issue, "", std::move(changes));
  e.item_id = task.id;
  e.detail = task.kind;
  return e;
}

namespace {

void insert_with_due(Op &op, const Task &task) {
  op.txn.insert_task(task);
  sync_due(op.txn, task.number, {}, due_of(task));
}

std::string_view rule_event(EventKind kind) {
  switch (kind) {
    case EventKind::task_created: return rule_on::task_created;
    case EventKind::task_completed: return rule_on::task_completed;
    case EventKind::task_cancelled: return rule_on::task_cancelled;
    default: return {};
  }
}

}  // namespace

void run_rules(EffectContext &ctx, std::string_view on, std::string_view subject) {
  if (ctx.in_rules || on.empty()) return;
  ctx.in_rules = true;
  for (const auto &rule : ctx.workflow.definition().rules) {
    if (rule.on != on) continue;
    const std::string &filter = on == rule_on::stage_changed ? rule.stage : rule.task;
    if (!filter.empty() && filter != subject) continue;
    run_effects(ctx, rule.effects);
  }
  ctx.in_rules = false;
}

void write_created_tasks(EffectContext &ctx, const Issue &written) {
  for (auto &task : ctx.created_tasks) {
    task.issue_code = written.code;
    insert_with_due(ctx.op, task);
    ctx.op.events.push_back(task_event(EventKind::task_created, ctx.actor, ctx.op.now, written, task,
                                       {{task_label(task), "", fmt::format("{} ({})", task.kind, task_holder(task))}}));
  }
  ctx.created_tasks.clear();
}

Task change_task(Op &op, const Actor &actor, const IssueRow &row, std::optional<Record> record, TaskChange c) {
  TimelineEntry entry;
  entry.kind = entry_kind::task;
  entry.internal = true;
  entry.changes.push_back(c.change);
  entry.note = std::move(c.note);
  if (c.before) {
    c.after.version = c.before->version + 1;
    c.after.updated_at = op.now;
    if (c.after.state != TaskState::open) stop_task_clocks(op, c.after, entry);
  }
  // The task itself first: a lost claim race fails here, cheaply.
  if (c.before) {
    if (!op.txn.update_task(*c.before, c.after))
      throw Conflict(fmt::format("task {} changed while this call ran; read it again", c.after.id), "id");
    sync_due(op.txn, c.after.number, due_of(*c.before), due_of(c.after));
  } else {
    insert_with_due(op, c.after);
  }
  const Workflow &wf = op.caches->workflow(op, row.issue.workflow);
  std::string_view on = rule_event(c.event);
  bool rules = !on.empty() && std::any_of(wf.definition().rules.begin(), wf.definition().rules.end(),
                                          [&](const RuleDef &r) { return r.on == on; });
  std::size_t mark = op.events.size();
  if (c.send_template.empty() && !rules) {  // a claim, a release...: the entry alone
    Issue written = write(op, actor, row, row.issue, entry, false);
    op.events.push_back(task_event(c.event, actor, op.now, written, c.after, entry.changes));
    return c.after;
  }
  if (!record) record = record_of(op.txn, row.issue);
  Issue issue = row.issue;
  Inputs no_inputs;
  EffectContext ctx{op, actor, wf, *record, no_inputs, issue, entry, "task", nullptr, row.timeline_seq + 1};
  ctx.task = &c.after;
  if (!c.send_template.empty()) send_message(ctx, c.send_template, Audience::customer);
  run_rules(ctx, on, c.after.kind);
  if (issue.status != row.issue.status) apply_status_policies(ctx);
  bool changed = !(issue == row.issue);
  Issue written = write(op, actor, row, std::move(issue), entry, changed);
  write_created_tasks(ctx, written);
  op.events.insert(op.events.begin() + static_cast<std::ptrdiff_t>(mark),
                   task_event(c.event, actor, op.now, written, c.after, entry.changes));
  if (written.status != row.issue.status)  // a rule moved the issue
    announce(op, issue_event(EventKind::status_changed, actor, op.now, written, "", entry.changes), written, *record,
             entry.seq, mark + 1, NoticeExtras{true});
  announce_breaches(ctx, written, entry.seq);
  return c.after;
}

}  // namespace complaints::engine
