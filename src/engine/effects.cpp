// The one table of workflow effects: each effect's parameters (what
// validation checks) beside its handler (what the engine runs).
#include <algorithm>

#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "domain/check.hpp"
#include "engine/caches.hpp"
#include "engine/effects.hpp"
#include "engine/engine.hpp"
#include "engine/tasks.hpp"
#include "time/sla.hpp"
#include "workflow/catalog.hpp"

namespace complaints::engine {

namespace {

std::string param(const EffectDef &e, std::string_view name, std::string fallback = {}) {
  auto it = e.params.find(name);
  return it == e.params.end() ? fallback : it->second;
}

void set_follow_up(EffectContext &ctx, const EffectDef &effect) {
  auto it = ctx.inputs.find(effect.params.at("input"));
  if (it == ctx.inputs.end()) return;  // optional date input left out: nothing to set
  Date date = Date::parse(it->second, "inputs." + check::excerpt(it->first));
  auto before = ctx.issue.follow_up_date;
  if (before == date) return;
  ctx.entry.changes.push_back({"follow_up_date", before ? before->to_string() : "", date.to_string()});
  ctx.issue.follow_up_date = date;
}

void assign(EffectContext &ctx, const EffectDef &effect) {
  // The input is required by validation only if the workflow says so; a missing one assigns nobody.
  auto it = ctx.inputs.find(effect.params.at("input"));
  if (it == ctx.inputs.end() || it->second == ctx.issue.assignee) return;
  ctx.entry.changes.push_back({"assignee", ctx.issue.assignee, it->second});
  ctx.issue.assignee = it->second;
}

void unassign(EffectContext &ctx, const EffectDef &) {
  if (ctx.issue.assignee.empty()) return;
  ctx.entry.changes.push_back({"assignee", ctx.issue.assignee, ""});
  ctx.issue.assignee.clear();
}

holds::IssueChange hold_change(EffectContext &ctx) {
  return {ctx.op, ctx.actor, ctx.record, ctx.issue, ctx.cause, ctx.entry.changes};
}

void withhold(EffectContext &ctx, const EffectDef &effect) {
  bool all = param(effect, "fieldworkers") == "all";
  auto change = hold_change(ctx);
  holds::withhold(change, all ? ctx.record.fieldworkers : ctx.issue.fieldworkers, false, ctx.hold_amounts);
}

void reapply(EffectContext &ctx, const EffectDef &) {
  auto change = hold_change(ctx);
  holds::withhold(change, ctx.issue.fieldworkers, true, nullptr);
}

void release(EffectContext &ctx, const EffectDef &) {
  auto change = hold_change(ctx);
  holds::release(change);
}

void send_template(EffectContext &ctx, const EffectDef &effect) {
  Audience audience = param(effect, "to") == "fieldworkers" ? Audience::fieldworkers : Audience::customer;
  send_message(ctx, effect.params.at("template"), audience);
}

void sla(EffectContext &ctx, const EffectDef &effect) {
  const std::string op = effect.params.at("op");
  const std::string &name = effect.params.at("sla");
  const SlaPolicyDef *def = ctx.workflow.sla(name);
  if (!def) throw StorageError(fmt::format("workflow '{}' has no SLA policy '{}'", ctx.workflow.name(), name));
  const timing::Calendar &calendar = ctx.op.caches->calendar(ctx.op);
  timing::SlaPolicy policy = policy_of(*def);
  SlaClock *clock = timing::find_clock(ctx.issue.slas, name);
  std::string before = clock ? clock_text(*clock) : "";
  if (op == "start" || op == "reset") {
    if (op == "start" && clock && clock->state != SlaState::stopped) return;  // already counting
    timing::Span within = policy.within;
    if (auto w = effect.params.find("within"); w != effect.params.end()) within = *timing::parse_span(w->second);
    SlaClock fresh = timing::start_clock(policy, within, ctx.op.now, calendar);
    if (clock)
      *clock = std::move(fresh);
    else
      clock = &insert_clock(ctx.issue, std::move(fresh));
  } else if (!clock) {
    return;  // nothing to stop, pause or resume
  } else if (op == "stop") {
    if (timing::stop_clock(*clock, ctx.op.now, calendar)) breached_on_stop(ctx, *clock);
  } else if (op == "pause") {
    timing::pause_clock(*clock, ctx.op.now, calendar, false);
  } else {
    timing::resume_clock(*clock, ctx.op.now, calendar);
  }
  log_clock(ctx.entry, before, *clock);
}

void set_timer(EffectContext &ctx, const EffectDef &effect) {
  const std::string &name = effect.params.at("timer");
  timing::Span after = *timing::parse_span(effect.params.at("after"));
  bool business = param(effect, "business") == "true";
  IssueTimer timer{name, effect.params.at("action"),
                   ctx.op.caches->calendar(ctx.op).add(ctx.op.now, after, business)};
  auto &timers = ctx.issue.timers;
  auto it = std::lower_bound(timers.begin(), timers.end(), name,
                             [](const IssueTimer &t, const std::string &n) { return t.name < n; });
  std::string before;
  if (it != timers.end() && it->name == name) {
    before = format_timestamp(it->due_at);
    *it = timer;
  } else {
    timers.insert(it, timer);
  }
  ctx.entry.changes.push_back({"timer:" + name, before, format_timestamp(timer.due_at)});
}

void cancel_timer(EffectContext &ctx, const EffectDef &effect) {
  const std::string &name = effect.params.at("timer");
  auto &timers = ctx.issue.timers;
  auto it = std::find_if(timers.begin(), timers.end(), [&](const IssueTimer &t) { return t.name == name; });
  if (it == timers.end()) return;
  ctx.entry.changes.push_back({"timer:" + name, format_timestamp(it->due_at), ""});
  timers.erase(it);
}

// Records field `field` going from `before` to `after` on the entry, as one
// change however many effects move it.
void log_change(TimelineEntry &entry, const std::string &field, const std::string &before, const std::string &after) {
  for (auto &c : entry.changes)
    if (c.field == field) {
      c.after = after;
      return;
    }
  entry.changes.push_back({field, before, after});
}

// Moves the issue to `status` (and so to its stage), logged as one change.
void move(EffectContext &ctx, const std::string &status) {
  if (status == ctx.issue.status) return;
  if (!ctx.workflow.status(status))
    throw StorageError(fmt::format("workflow '{}' has no status '{}'", ctx.workflow.name(), status));
  std::string status_before = ctx.issue.status, stage_before = ctx.issue.stage;
  move_to(ctx.workflow, ctx.issue, status);
  log_change(ctx.entry, "status", status_before, ctx.issue.status);
  if (ctx.issue.stage != stage_before) log_change(ctx.entry, "stage", stage_before, ctx.issue.stage);
}

void set_status(EffectContext &ctx, const EffectDef &effect) { move(ctx, effect.params.at("status")); }

void set_stage_status(EffectContext &ctx, const EffectDef &effect) {
  StatusCategory category = *status_category_from_string(effect.params.at("category"));
  move(ctx, stage_status(ctx.workflow, ctx.issue, category, "effect set_stage_status"));
}

// Reassigns the case to the task's assignee or creator, or its reporter
// (staff), when that is a registered user who may own it; else leaves it.
void reassign(EffectContext &ctx, const EffectDef &effect) {
  const std::string to = effect.params.at("to");
  std::string who;
  if (to == "reporter")
    who = ctx.issue.reporter_id;
  else if (ctx.task)
    who = to == "task_assignee" ? ctx.task->assignee : ctx.task->created_by;
  if (who.empty() || who == ctx.issue.assignee) return;
  const User *u = ctx.op.users->find(ctx.op.txn, who);
  if (!u || u->role == Role::customer || u->role == Role::system) return;
  ctx.entry.changes.push_back({"assignee", ctx.issue.assignee, who});
  ctx.issue.assignee = who;
}

// A task of the named kind, to the effect's group (or the kind's first) and
// assignee; written once the issue is (engine/tasks.hpp).
void create_task(EffectContext &ctx, const EffectDef &effect) {
  const std::string &name = effect.params.at("task");
  const TaskKindDef *kind = ctx.workflow.task_kind(name);
  if (!kind) throw StorageError(fmt::format("workflow '{}' has no task kind '{}'", ctx.workflow.name(), name));
  std::string group = param(effect, "group", kind->groups.empty() ? "" : kind->groups.front());
  std::string user = param(effect, "assignee");
  try {
    check_assignees(ctx.op, *kind, group, user);
  } catch (const InvalidInput &e) {
    throw InvalidState(fmt::format("the workflow's '{}' task cannot be created: {} ({})", kind->name, e.message(),
                                   e.where()),
                       "action");
  }
  Task task = new_task(ctx.op, ctx.workflow, ctx.issue, *kind, std::move(group), std::move(user), ctx.actor.id);
  ctx.entry.changes.push_back({task_label(task), "", fmt::format("{} ({})", task.kind, task_holder(task))});
  ctx.created_tasks.push_back(task);
  const Task *outer = ctx.task;
  ctx.task = &task;
  run_rules(ctx, rule_on::task_created, task.kind);
  ctx.task = outer;
}

using wf::ParamKind;

const std::vector<wf::EffectSpec> &table() {
  static const std::vector<wf::EffectSpec> effects = {
      // Payment holds (SPEC R4): withhold the responsible (or all assigned) fieldworkers' payout,
      // release it where the actor may, or reapply holds released earlier.
      {"withhold", {{"fieldworkers", ParamKind::choice, false, {"responsible", "all"}}}, &withhold},
      {"release", {}, &release},
      {"reapply", {}, &reapply},
      // Customer messages (SPEC R7): queue a templated message.
      {"send_template",
       {{"template", ParamKind::template_name, true, {}},
        {"to", ParamKind::choice, false, {"customer", "fieldworkers"}}},
       &send_template},
      // SLA clocks (SPEC R8.3), from the workflow's policies; `within` overrides the policy's on start and reset.
      {"sla",
       {{"op", ParamKind::choice, true, {"start", "stop", "pause", "resume", "reset"}},
        {"sla", ParamKind::sla_policy, true, {}},
        {"within", ParamKind::duration, false, {}}},
       &sla},
      // Timers (SPEC R8.1): take an action later, as the system, through Desk::process_due.
      {"set_timer",
       {{"timer", ParamKind::text, true, {}},
        {"after", ParamKind::duration, true, {}},
        {"action", ParamKind::timer_action, true, {}},
        {"business", ParamKind::boolean, false, {}}},
       &set_timer},
      {"cancel_timer", {{"timer", ParamKind::text, true, {}}}, &cancel_timer},
      // Case ownership (seed 003/004).
      {"assign", {{"input", ParamKind::user_input, true, {}}}, &assign},
      {"unassign", {}, &unassign},
      // Tasks (SPEC R8.4, seed 003): a task of a declared kind, to `group` (default: the kind's first
      // group) and/or `assignee`.
      {"create_task",
       {{"task", ParamKind::task_kind, true, {}}, {"group", ParamKind::text, false, {}},
        {"assignee", ParamKind::text, false, {}}},
       &create_task},
      // Automatic updates (seed 003): set the status (and so the stage), reassign the case.
      {"set_status", {{"status", ParamKind::status_name, true, {}}}, &set_status},
      {"set_stage_status",
       {{"category", ParamKind::choice, true, {"open", "active", "pending", "resolved", "closed"}}},
       &set_stage_status},
      {"reassign", {{"to", ParamKind::choice, true, {"task_assignee", "task_creator", "reporter"}}}, &reassign},
      // Follow-up appointment date (seed 001: scheduling a follow-up).
      {"set_follow_up", {{"input", ParamKind::date_input, true, {}}}, &set_follow_up},
  };
  return effects;
}

}  // namespace

timing::SlaPolicy policy_of(const SlaPolicyDef &def) {
  auto within = timing::parse_span(def.within);
  if (!within) throw StorageError(fmt::format("SLA policy '{}' has a bad duration '{}'", def.name, def.within));
  return {def.name, *within, def.business, def.warn_percent, def.pause_in, def.stop_in};
}

std::string clock_text(const SlaClock &c) {
  switch (c.state) {
    case SlaState::running: return c.due_at ? "running, due " + format_timestamp(*c.due_at) : "running";
    case SlaState::paused: return "paused";
    case SlaState::stopped: return c.breached ? "stopped, breached" : "stopped";
  }
  return "";
}

void log_clock(TimelineEntry &entry, const std::string &before, const SlaClock &clock) {
  std::string after = clock_text(clock);
  if (after != before) entry.changes.push_back({"sla:" + clock.name, before, after});
}

SlaClock &insert_clock(Issue &issue, SlaClock clock) {
  auto it = std::lower_bound(issue.slas.begin(), issue.slas.end(), clock.name,
                             [](const SlaClock &c, const std::string &n) { return c.name < n; });
  return *issue.slas.insert(it, std::move(clock));
}

void run_effects(EffectContext &ctx, const std::vector<EffectDef> &effects) {
  for (const auto &effect : effects) {
    const wf::EffectSpec *spec = wf::effect_spec(effect.type);
    // Validation refuses effects without a handler; a stored workflow that names one was changed behind our back.
    if (!spec) throw StorageError(fmt::format("workflow '{}' names effect '{}', which this library cannot run",
                                              ctx.workflow.name(), check::excerpt(effect.type)));
    spec->handler(ctx, effect);
  }
}

}  // namespace complaints::engine

namespace complaints::wf {

const EffectSpec *effect_spec(std::string_view type) noexcept {
  for (const auto &s : engine::table())
    if (s.type == type) return &s;
  return nullptr;
}

std::span<const EffectSpec> effect_specs() noexcept { return engine::table(); }

}  // namespace complaints::wf
