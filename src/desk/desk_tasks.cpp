// The Desk's tasks and groups (SPEC R8.4, docs/tasks.md): creating a task of
// a kind its issue's workflow declares, claiming it from a group's queue
// (one claim wins: a compare-and-set on the task's version inside the write
// transaction), releasing, reassigning, completing and cancelling, each
// logged on the issue's timeline.
#include <algorithm>

#include "desk/impl.hpp"
#include "engine/change.hpp"
#include "engine/engine.hpp"
#include "engine/tasks.hpp"

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

// The task, its issue and its kind; NotFound when the actor may not see the
// task (staff who see its issue, or whoever works it). The issue's record is
// read only where it decides: for an actor access::needs_record says so, and
// for a change that needs it (record()).
struct TaskContext {
  Task task;
  IssueRow row;
  std::optional<Record> loaded;
  const TaskKindDef *kind;

  const Record &record(Op &op) {
    if (!loaded) loaded = engine::record_of(op.txn, row.issue);
    return *loaded;
  }
};

TaskContext task_context(Op &op, const Actor &actor, std::int64_t id) {
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
  engine::as_of_now(op, ctx.task.slas);
  return ctx;
}

// Tasks with their clocks as of now, as every snapshot shows them.
std::vector<Task> as_of_now(Op &op, std::vector<Task> tasks) {
  for (auto &t : tasks) engine::as_of_now(op, t.slas);
  return tasks;
}

// The level a reader gets through the task: the task's for whoever works it
// and staff who see the issue (task_context let them in); the summary for a
// member of its group who has not claimed it.
TaskAccess level_for(const Actor &actor, const TaskContext &ctx) {
  if (ctx.task.assignee == actor.id || is_staff(actor.role)) return ctx.task.access;
  return TaskAccess::summary;
}

// The issue as the summary shows it: what the case is about, nothing of who.
Issue summary_of(const Issue &issue) {
  Issue s;
  s.code = issue.code;
  s.number = issue.number;
  s.type = issue.type;
  s.description = issue.description;
  s.workflow = issue.workflow;
  s.status = issue.status;
  s.category = issue.category;
  s.stage = issue.stage;
  s.created_at = issue.created_at;
  s.updated_at = issue.updated_at;
  s.version = issue.version;
  return s;
}

// Writes a change to the task in ctx (engine::change_task), as `event`.
Task change(Op &op, const Actor &actor, TaskContext &ctx, Task after, EventKind event, FieldChange field,
            std::string note = {}, std::string send = {}) {
  return engine::change_task(op, actor, ctx.row, ctx.loaded,
                             {ctx.task, std::move(after), event, std::move(field), std::move(note), std::move(send)});
}

}  // namespace

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
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto [row, record] = Impl::visible_issue(op.txn, actor, code);
    const Workflow &wf = op.caches->workflow(op, row.issue.workflow);
    const TaskKindDef *kind = wf.task_kind(req.kind);
    if (!kind)
      throw InvalidInput(fmt::format("workflow '{}' has no task kind '{}'", wf.name(), check::excerpt(req.kind)), "kind");
    if (row.issue.is_closed()) throw InvalidState(fmt::format("{} is closed", row.issue.code), "code");
    engine::check_assignees(op, *kind, req.group, req.assignee);
    auto may_change = [&](bool given, const char *field) {
      if (given && !kind->creator_may_change)
        throw InvalidInput(fmt::format("a '{}' task's {} is set by its kind", kind->name, field), field);
    };
    may_change(req.mandatory.has_value(), "mandatory");
    may_change(req.access.has_value(), "access");
    may_change(req.instructions.has_value(), "instructions");
    Task t = engine::new_task(op, wf, row.issue, *kind, req.group, req.assignee, actor.id);
    t.mandatory = req.mandatory.value_or(t.mandatory);
    t.access = req.access.value_or(t.access);
    t.instructions = req.instructions.value_or(t.instructions);
    std::string note = t.instructions;
    FieldChange created{engine::task_label(t), "", fmt::format("{} ({})", t.kind, engine::task_holder(t))};
    return engine::change_task(op, actor, row, record, {std::nullopt, std::move(t), EventKind::task_created,
                                                        std::move(created), std::move(note)});
  });
}

Task Desk::claim_task(const Actor &actor, std::int64_t id) {
  require_worker(actor, "claiming a task");
  check_task_id(id);
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto ctx = task_context(op, actor, id);
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
    return change(op, actor, ctx, std::move(after), EventKind::task_claimed, {engine::task_label(t) + " assignee", "", actor.id});
  });
}

Task Desk::release_task(const Actor &actor, std::int64_t id) {
  require_worker(actor, "releasing a task");
  check_task_id(id);
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto ctx = task_context(op, actor, id);
    const Task &t = ctx.task;
    if (t.state != TaskState::open) throw InvalidState(fmt::format("task {} is {}", id, to_string(t.state)), "id");
    if (t.group.empty() || t.assignee.empty())
      throw InvalidState(fmt::format("task {} is not claimed from a group", id), "id");
    if (t.assignee != actor.id && actor.role != Role::admin && actor.role != Role::supervisor)
      throw Forbidden("only whoever works a task, an admin or a supervisor releases it", "actor.id");
    Task after = t;
    after.assignee.clear();
    return change(op, actor, ctx, std::move(after), EventKind::task_released,
                  {engine::task_label(t) + " assignee", t.assignee, ""});
  });
}

Task Desk::assign_task(const Actor &actor, std::int64_t id, std::string_view group, std::string_view user) {
  require_manager(actor, "reassigning a task");
  check_task_id(id);
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto ctx = task_context(op, actor, id);
    const Task &t = ctx.task;
    if (t.state != TaskState::open) throw InvalidState(fmt::format("task {} is {}", id, to_string(t.state)), "id");
    if (!ctx.kind)
      throw InvalidState(fmt::format("the workflow no longer declares task kind '{}'", check::excerpt(t.kind)), "id");
    engine::check_assignees(op, *ctx.kind, group, user);
    Task after = t;
    after.group = std::string(group);
    after.assignee = std::string(user);
    return change(op, actor, ctx, after, EventKind::task_assigned,
                  {engine::task_label(t), engine::task_holder(t), engine::task_holder(after)});
  });
}

Task Desk::complete_task(const Actor &actor, std::int64_t id, std::string_view notes) {
  require_worker(actor, "completing a task");
  check_task_id(id);
  check::text(notes, "notes", limits::note_bytes, false);
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto ctx = task_context(op, actor, id);
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
    return change(op, actor, ctx, std::move(after), EventKind::task_completed, {engine::task_label(t), "open", "completed"},
                  std::string(notes), std::move(send));
  });
}

Task Desk::cancel_task(const Actor &actor, std::int64_t id, std::string_view reason) {
  require_manager(actor, "cancelling a task");
  check_task_id(id);
  check::text(reason, "reason", limits::note_bytes, true);
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto ctx = task_context(op, actor, id);
    const Task &t = ctx.task;
    if (t.state != TaskState::open) throw InvalidState(fmt::format("task {} is {}", id, to_string(t.state)), "id");
    Task after = t;
    after.state = TaskState::cancelled;
    after.done_at = op.now;
    after.done_by = actor.id;
    after.notes = std::string(reason);
    return change(op, actor, ctx, std::move(after), EventKind::task_cancelled, {engine::task_label(t), "open", "cancelled"},
                  std::string(reason));
  });
}

Task Desk::task(const Actor &actor, std::int64_t id) {
  access::check_actor(actor);
  if (actor.role == Role::customer) throw Forbidden("customers do not read tasks", "actor.role");
  check_task_id(id);
  return impl_->run(TxnMode::read, [&](Op &op) { return task_context(op, actor, id).task; });
}

TaskCase Desk::task_case(const Actor &actor, std::int64_t id) {
  require_worker(actor, "reading a task's case");
  check_task_id(id);
  return impl_->run(TxnMode::read, [&](Op &op) {
    auto ctx = task_context(op, actor, id);
    TaskCase out;
    out.access = level_for(actor, ctx);
    out.issue = summary_of(ctx.row.issue);
    if (out.access >= TaskAccess::contact) {
      const Record &record = ctx.record(op);
      const User *customer = op.users->find(op.txn, record.customer_id);
      out.contact = TaskContact{record.customer_id, customer ? customer->name : std::string()};
    }
    std::int64_t number = ctx.row.issue.number;
    if (out.access >= TaskAccess::attachments) out.attachments = op.txn.attachments(number);
    if (out.access >= TaskAccess::everything) {
      out.comments = op.txn.comments(number);
      out.timeline = Impl::timeline_as_seen(actor, op.txn.timeline(number));
    }
    out.task = std::move(ctx.task);
    return out;
  });
}

Attachment Desk::task_attachment(const Actor &actor, std::int64_t task_id, std::int64_t attachment_id) {
  require_worker(actor, "reading a task's attachment");
  check_task_id(task_id);
  return impl_->run(TxnMode::read, [&](Op &op) {
    auto not_found = [&] { return NotFound(fmt::format("no attachment {} on task {}", attachment_id, task_id), "id"); };
    std::optional<TaskContext> ctx;
    try {
      ctx = task_context(op, actor, task_id);
    } catch (const NotFound &) {
      throw not_found();
    }
    auto a = op.txn.attachment(attachment_id);
    if (level_for(actor, *ctx) < TaskAccess::attachments || !a || a->issue_code != ctx->row.issue.code)
      throw not_found();
    return *a;
  });
}

std::vector<Task> Desk::tasks(const Actor &actor, std::string_view code) {
  access::check_actor(actor);
  access::require_staff(actor, "listing an issue's tasks");
  parse_issue_code(code);
  return impl_->run(TxnMode::read, [&](Op &op) {
    IssueRow row = Impl::visible_row(op.txn, actor, code);
    return as_of_now(op, op.txn.tasks_of_issue(row.issue.number));
  });
}

std::vector<Task> Desk::claimable_tasks(const Actor &actor, std::int64_t after_id, std::size_t limit) {
  require_worker(actor, "listing claimable tasks");
  check::count(limit, "limit", limits::page_items);
  return impl_->run(TxnMode::read, [&](Op &op) {
    std::vector<std::string> mine = op.txn.groups_of_user(actor.id);
    return as_of_now(op, op.txn.open_tasks(mine, "", after_id, limit));
  });
}

std::vector<Task> Desk::my_tasks(const Actor &actor, std::int64_t after_id, std::size_t limit) {
  require_worker(actor, "listing one's tasks");
  check::count(limit, "limit", limits::page_items);
  return impl_->run(TxnMode::read,
                    [&](Op &op) { return as_of_now(op, op.txn.open_tasks({}, actor.id, after_id, limit)); });
}

}  // namespace complaints
