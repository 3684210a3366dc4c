// The Desk's tasks and groups (SPEC R8.4, docs/tasks.md): creating a task of
// a kind its issue's workflow declares, claiming it from a group's queue
// (one claim wins: a compare-and-set on the task's version inside the write
// transaction), releasing, reassigning, completing and cancelling, each
// logged on the issue's timeline.
#include <algorithm>

#include "desk/impl.hpp"
#include "engine/change.hpp"
#include "engine/engine.hpp"

namespace complaints {

namespace {

// Task work is for the people of the business: not customers, not the host's system actor.
void require_worker(const Actor &actor, std::string_view what) {
  access::check_actor(actor);
  if (actor.role == Role::customer || actor.role == Role::system)
    throw Forbidden(fmt::format("{} is for staff and fieldworkers", what), "actor.role");
}

// Managing tasks (creating, reassigning, cancelling): staff other than system.
void require_manager(const Actor &actor, std::string_view what) {
  access::check_actor(actor);
  if (!is_staff(actor.role) || actor.role == Role::system)
    throw Forbidden(fmt::format("{} is for admin, supervisor and office users", what), "actor.role");
}

void check_task_id(std::int64_t id) {
  if (id <= 0) throw InvalidInput(fmt::format("task id {} is not one the library gives (1, 2, ...)", id), "id");
}

NotFound no_task(std::int64_t id) { return NotFound(fmt::format("no task {}", id), "id"); }

std::string label(const Task &t) { return "task:" + std::to_string(t.id); }

// Who a task is with, as the timeline shows it: "roads", "u-1", "roads/u-1".
std::string holder(const Task &t) {
  if (t.group.empty()) return t.assignee;
  if (t.assignee.empty()) return t.group;
  return t.group + "/" + t.assignee;
}

}  // namespace

// The task, its issue and its kind; NotFound when the actor may not see the
// task (staff who see its issue, or whoever works it). The issue's record is
// read only where it decides: for an actor access::needs_record says so, and
// for a task that sends a message (record()).
struct Desk::Impl::TaskContext {
  Task task;
  IssueRow row;
  std::optional<Record> loaded;
  const TaskKindDef *kind;

  const Record &record(Op &op) {
    if (!loaded) loaded = engine::record_of(op.txn, row.issue);
    return *loaded;
  }
};

Desk::Impl::TaskContext Desk::Impl::task_context(Op &op, const Actor &actor, std::int64_t id) {
  auto task = op.txn.task(id);
  if (!task) throw no_task(id);
  auto row = op.txn.issue(task->number);
  if (!row) throw StorageError(fmt::format("task {} names issue {}, which is missing", id, task->issue_code));
  TaskContext ctx{*std::move(task), *std::move(row), std::nullopt, nullptr};
  const Task &t = ctx.task;
  bool works_it = t.assignee == actor.id;
  bool staff_sees = is_staff(actor.role) &&
                    (!access::needs_record(actor) || access::sees_issue(actor, ctx.row.issue, ctx.record(op)));
  if (!works_it && !staff_sees &&
      !(actor.role == Role::fieldworker && !t.group.empty() &&
        std::ranges::binary_search(op.txn.groups_of_user(actor.id), t.group)))
    throw no_task(id);
  ctx.kind = op.caches->workflow(op, ctx.row.issue.workflow).task_kind(t.kind);
  return ctx;
}

// Checks that a task of `kind` may go to `group` and `user` (registered, and
// allowed by the kind's assign_to).
void Desk::Impl::check_assignees(Op &op, const TaskKindDef &kind, std::string_view group, std::string_view user) {
  if (group.empty() && user.empty()) throw InvalidInput("a task goes to a group, a user or both", "group");
  if (!group.empty()) {
    check::id(group, "group", limits::id_bytes);
    auto g = op.txn.group(group);
    if (!g) throw InvalidInput(fmt::format("no group '{}'; register it with put_group", check::excerpt(group)), "group");
    bool open = kind.groups.empty() && kind.users.empty() && kind.roles.empty();
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
    bool open = kind.groups.empty() && kind.users.empty() && kind.roles.empty();
    bool named = std::find(kind.users.begin(), kind.users.end(), user) != kind.users.end() ||
                 std::find(kind.roles.begin(), kind.roles.end(), u->role) != kind.roles.end();
    bool via_group = !group.empty();  // a member of an allowed group (checked above)
    if (!open && !named && !via_group)
      throw InvalidInput(fmt::format("a '{}' task cannot go to '{}'", kind.name, check::excerpt(user)), "assignee");
  }
}

// Writes the task change and its timeline entry (internal) in the open
// transaction; with `send`, also sends that template to the customer, as a
// workflow's send_template effect would, logged on the same entry.
Task Desk::Impl::log_task(Op &op, const Actor &actor, TaskContext &ctx, Task after, FieldChange change,
                          std::string note, std::string_view send) {
  after.version = ctx.task.version + 1;
  after.updated_at = op.now;
  if (!op.txn.update_task(ctx.task, after))
    throw Conflict(fmt::format("task {} changed while this call ran; read it again", ctx.task.id), "id");
  TimelineEntry entry;
  entry.kind = entry_kind::task;
  entry.internal = true;
  entry.changes.push_back(std::move(change));
  entry.note = std::move(note);
  Issue issue = ctx.row.issue;
  if (!send.empty()) {
    const Workflow &wf = op.caches->workflow(op, issue.workflow);
    engine::Inputs no_inputs;
    engine::EffectContext effect{op, actor, wf, ctx.record(op), no_inputs, issue, entry, "task", nullptr,
                                 ctx.row.timeline_seq + 1};
    engine::send_message(effect, send, Audience::customer);
  }
  bool changed = !(issue == ctx.row.issue);  // the acknowledgement may start its SLA
  engine::write(op, actor, ctx.row, std::move(issue), entry, changed);
  return after;
}

void Desk::put_group(const Actor &actor, const Group &group) {
  access::check_actor(actor);
  access::require_staff(actor, Permission::manage_settings, "registering a group");
  check::id(group.id, "id", limits::id_bytes);
  check::name(group.name, "name", limits::name_bytes);
  if (group.members.size() > limits::task_assignees)
    throw InvalidInput(fmt::format("{} members; at most {}", group.members.size(), limits::task_assignees), "members");
  for (std::size_t i = 0; i < group.members.size(); ++i)
    check::id(group.members[i], fmt::format("members[{}]", i), limits::id_bytes);
  impl_->run(TxnMode::write, [&](Op &op) {
    for (std::size_t i = 0; i < group.members.size(); ++i) {
      const User *u = op.users->find(op.txn, group.members[i]);
      if (!u)
        throw InvalidInput(fmt::format("no user '{}'; register it with put_user", check::excerpt(group.members[i])),
                           fmt::format("members[{}]", i));
      if (u->role == Role::customer || u->role == Role::system)
        throw InvalidInput(fmt::format("'{}' cannot work tasks", check::excerpt(u->id)), fmt::format("members[{}]", i));
    }
    op.txn.put_group(group);
    return 0;
  });
}

std::vector<Group> Desk::groups(const Actor &actor) {
  access::check_actor(actor);
  access::require_staff(actor, "listing groups");
  return impl_->run(TxnMode::read, [](Op &op) { return op.txn.groups(); });
}

Task Desk::create_task(const Actor &actor, std::string_view code, const TaskRequest &req) {
  require_manager(actor, "creating a task");
  parse_issue_code(code);
  check::name(req.kind, "kind", limits::name_bytes);
  if (req.instructions) check::text(*req.instructions, "instructions", limits::note_bytes, false);
  if (req.access && *req.access != TaskAccess::summary)
    throw InvalidInput("task access levels are not available in this version of the library", "access");
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto [row, record] = Impl::visible_issue(op.txn, actor, code);
    const Workflow &wf = op.caches->workflow(op, row.issue.workflow);
    const TaskKindDef *kind = wf.task_kind(req.kind);
    if (!kind)
      throw InvalidInput(fmt::format("workflow '{}' has no task kind '{}'", wf.name(), check::excerpt(req.kind)), "kind");
    if (row.issue.is_closed()) throw InvalidState(fmt::format("{} is closed", row.issue.code), "code");
    Impl::check_assignees(op, *kind, req.group, req.assignee);
    auto may_change = [&](bool given, const char *field) {
      if (given && !kind->creator_may_change)
        throw InvalidInput(fmt::format("a '{}' task's {} is set by its kind", kind->name, field), field);
    };
    may_change(req.mandatory.has_value(), "mandatory");
    may_change(req.access.has_value(), "access");
    may_change(req.instructions.has_value(), "instructions");
    Task t;
    t.id = op.txn.allocate_task_id();
    t.number = row.issue.number;
    t.issue_code = row.issue.code;
    t.kind = kind->name;
    t.stage = row.issue.stage;
    t.group = req.group;
    t.assignee = req.assignee;
    t.mandatory = req.mandatory.value_or(kind->mandatory);
    t.access = req.access.value_or(kind->access);
    t.instructions = req.instructions.value_or(kind->instructions);
    t.created_by = actor.id;
    t.created_at = op.now;
    t.updated_at = op.now;
    op.txn.insert_task(t);
    TimelineEntry entry;
    entry.kind = entry_kind::task;
    entry.internal = true;
    entry.changes.push_back({label(t), "", fmt::format("{} ({})", t.kind, holder(t))});
    entry.note = t.instructions;
    engine::write(op, actor, row, row.issue, entry, false);
    return t;
  });
}

Task Desk::claim_task(const Actor &actor, std::int64_t id) {
  require_worker(actor, "claiming a task");
  check_task_id(id);
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto ctx = impl_->task_context(op, actor, id);
    const Task &t = ctx.task;
    if (t.state != TaskState::open)
      throw InvalidState(fmt::format("task {} is {}", id, to_string(t.state)), "id");
    if (t.group.empty()) throw InvalidState(fmt::format("task {} is assigned to a user, not a group", id), "id");
    if (!t.assignee.empty()) {
      if (t.assignee == actor.id) throw InvalidState(fmt::format("task {} is yours already", id), "id");
      throw Conflict(fmt::format("task {} was claimed by {}", id, check::excerpt(t.assignee)), "id");
    }
    if (!std::ranges::binary_search(op.txn.groups_of_user(actor.id), t.group))
      throw Forbidden(fmt::format("only members of group '{}' claim its tasks", check::excerpt(t.group)), "actor.id");
    Task after = t;
    after.assignee = actor.id;
    return Impl::log_task(op, actor, ctx, std::move(after), {label(t) + " assignee", "", actor.id}, "");
  });
}

Task Desk::release_task(const Actor &actor, std::int64_t id) {
  require_worker(actor, "releasing a task");
  check_task_id(id);
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto ctx = impl_->task_context(op, actor, id);
    const Task &t = ctx.task;
    if (t.state != TaskState::open) throw InvalidState(fmt::format("task {} is {}", id, to_string(t.state)), "id");
    if (t.group.empty() || t.assignee.empty())
      throw InvalidState(fmt::format("task {} is not claimed from a group", id), "id");
    if (t.assignee != actor.id && actor.role != Role::admin && actor.role != Role::supervisor)
      throw Forbidden("only whoever works a task, an admin or a supervisor releases it", "actor.id");
    Task after = t;
    after.assignee.clear();
    return Impl::log_task(op, actor, ctx, std::move(after), {label(t) + " assignee", t.assignee, ""}, "");
  });
}

Task Desk::assign_task(const Actor &actor, std::int64_t id, std::string_view group, std::string_view user) {
  require_manager(actor, "reassigning a task");
  check_task_id(id);
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto ctx = impl_->task_context(op, actor, id);
    const Task &t = ctx.task;
    if (t.state != TaskState::open) throw InvalidState(fmt::format("task {} is {}", id, to_string(t.state)), "id");
    if (!ctx.kind)
      throw InvalidState(fmt::format("the workflow no longer declares task kind '{}'", check::excerpt(t.kind)), "id");
    Impl::check_assignees(op, *ctx.kind, group, user);
    Task after = t;
    after.group = std::string(group);
    after.assignee = std::string(user);
    return Impl::log_task(op, actor, ctx, after, {label(t), holder(t), holder(after)}, "");
  });
}

Task Desk::complete_task(const Actor &actor, std::int64_t id, std::string_view notes) {
  require_worker(actor, "completing a task");
  check_task_id(id);
  check::text(notes, "notes", limits::note_bytes, false);
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto ctx = impl_->task_context(op, actor, id);
    const Task &t = ctx.task;
    if (t.state != TaskState::open) throw InvalidState(fmt::format("task {} is {}", id, to_string(t.state)), "id");
    if (t.assignee.empty()) throw InvalidState(fmt::format("nobody works task {}: claim it first", id), "id");
    if (t.assignee != actor.id) throw Forbidden("only whoever works a task completes it", "actor.id");
    Task after = t;
    after.state = TaskState::completed;
    after.done_at = op.now;
    after.done_by = actor.id;
    after.notes = std::string(notes);
    std::string send = ctx.kind ? ctx.kind->send_template : std::string();
    return Impl::log_task(op, actor, ctx, std::move(after), {label(t), "open", "completed"}, std::string(notes), send);
  });
}

Task Desk::cancel_task(const Actor &actor, std::int64_t id, std::string_view reason) {
  require_manager(actor, "cancelling a task");
  check_task_id(id);
  check::text(reason, "reason", limits::note_bytes, true);
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto ctx = impl_->task_context(op, actor, id);
    const Task &t = ctx.task;
    if (t.state != TaskState::open) throw InvalidState(fmt::format("task {} is {}", id, to_string(t.state)), "id");
    Task after = t;
    after.state = TaskState::cancelled;
    after.done_at = op.now;
    after.done_by = actor.id;
    after.notes = std::string(reason);
    return Impl::log_task(op, actor, ctx, std::move(after), {label(t), "open", "cancelled"}, std::string(reason));
  });
}

Task Desk::task(const Actor &actor, std::int64_t id) {
  access::check_actor(actor);
  if (actor.role == Role::customer) throw Forbidden("customers do not read tasks", "actor.role");
  check_task_id(id);
  return impl_->run(TxnMode::read, [&](Op &op) { return impl_->task_context(op, actor, id).task; });
}

std::vector<Task> Desk::tasks(const Actor &actor, std::string_view code) {
  access::check_actor(actor);
  access::require_staff(actor, "listing an issue's tasks");
  parse_issue_code(code);
  return impl_->run(TxnMode::read, [&](Op &op) {
    IssueRow row = Impl::visible_row(op.txn, actor, code);
    return op.txn.tasks_of_issue(row.issue.number);
  });
}

std::vector<Task> Desk::claimable_tasks(const Actor &actor, std::int64_t after_id, std::size_t limit) {
  require_worker(actor, "listing claimable tasks");
  check::count(limit, "limit", limits::page_items);
  return impl_->run(TxnMode::read, [&](Op &op) {
    std::vector<std::string> mine = op.txn.groups_of_user(actor.id);
    return op.txn.open_tasks(mine, "", after_id, limit);
  });
}

std::vector<Task> Desk::my_tasks(const Actor &actor, std::int64_t after_id, std::size_t limit) {
  require_worker(actor, "listing one's tasks");
  check::count(limit, "limit", limits::page_items);
  return impl_->run(TxnMode::read, [&](Op &op) { return op.txn.open_tasks({}, actor.id, after_id, limit); });
}

}  // namespace complaints
