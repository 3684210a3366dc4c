#include "engine/engine.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "access/access.hpp"
#include "complaints/limits.hpp"
#include "domain/check.hpp"
#include "engine/caches.hpp"
#include "engine/change.hpp"
#include "engine/effects.hpp"
#include "engine/fields.hpp"
#include "engine/tasks.hpp"
#include "notify/notify.hpp"
#include "workflow/catalog.hpp"

namespace complaints::engine {

namespace {

std::string input_field(std::string_view name) { return "inputs." + check::excerpt(name); }

bool status_allowed(const Workflow &wf, const InputDef &in, std::string_view status) {
  const StatusDef *s = wf.status(status);
  if (!s) return false;
  bool named = in.one_of.empty() || std::find(in.one_of.begin(), in.one_of.end(), status) != in.one_of.end();
  bool category = in.categories.empty() ||
                  std::find(in.categories.begin(), in.categories.end(), s->category) != in.categories.end();
  return named && category;
}

// The status the action leads to from the issue's current state.
std::string target_status(const Workflow &wf, const ActionDef &action, const Issue &issue, const Inputs &inputs) {
  const TargetDef &to = action.to;
  switch (to.kind) {
    case TargetDef::Kind::same: return issue.status;
    case TargetDef::Kind::status: return to.status;
    case TargetDef::Kind::input_status: return inputs.at(to.input);
    case TargetDef::Kind::input_stage: return wf.stage(inputs.at(to.input))->statuses.front();
    case TargetDef::Kind::stage_category: return stage_status(wf, issue, to.category, "action '" + action.name + "'");
  }
  return issue.status;
}

// Logs the action's inputs on its entry, except those the new status or an
// effect's change already records.
void log_inputs(const ActionDef &action, const Inputs &inputs, TimelineEntry &entry) {
  std::set<std::string_view> recorded{action.to.input};
  for (const auto &effect : action.effects)
    if (auto p = effect.params.find("input"); p != effect.params.end()) recorded.insert(p->second);
  for (const auto &in : action.inputs) {
    auto it = inputs.find(in.name);
    if (it == inputs.end() || (in.type != InputType::text && recorded.count(in.name))) continue;
    if (in.type == InputType::text)
      entry.note += (entry.note.empty() ? "" : "\n") +
                    (in.name == "note" ? it->second : fmt::format("{}: {}", in.name, it->second));
    else
      entry.changes.push_back({"input." + in.name, "", it->second});
  }
}

bool in(const std::vector<StatusCategory> &list, StatusCategory c) {
  return std::find(list.begin(), list.end(), c) != list.end();
}

}  // namespace

void check_inputs(const Workflow &wf, const ActionDef &action, const Inputs &inputs) {
  for (const auto &input : inputs) {
    const std::string &name = input.first;
    auto it = std::find_if(action.inputs.begin(), action.inputs.end(), [&](const InputDef &d) { return d.name == name; });
    if (it == action.inputs.end())
      throw InvalidInput(
          fmt::format("action '{}' takes no input '{}'", check::excerpt(action.name), check::excerpt(name)),
          input_field(name));
  }
  for (const auto &in : action.inputs) {
    std::string field = input_field(in.name);
    auto it = inputs.find(in.name);
    if (it == inputs.end()) {
      if (in.required) throw InvalidInput(fmt::format("action '{}' requires it", check::excerpt(action.name)), field);
      continue;
    }
    const std::string &value = it->second;
    switch (in.type) {
      case InputType::text: check::text(value, field, in.max_length, in.required); break;
      case InputType::date: Date::parse(value, field); break;
      case InputType::user: check::id(value, field, limits::id_bytes); break;
      case InputType::resolution: {
        const auto &list = wf.definition().resolutions;
        if (std::find(list.begin(), list.end(), value) == list.end())
          throw InvalidInput(fmt::format("'{}' is not one of the workflow's resolutions", check::excerpt(value)),
                             field);
        break;
      }
      case InputType::status:
        if (!status_allowed(wf, in, value))
          throw InvalidInput(fmt::format("'{}' is not a status this action can set", check::excerpt(value)), field);
        break;
      case InputType::stage:
        if (!wf.stage(value))
          throw InvalidInput(
              fmt::format("'{}' is not a stage of workflow '{}'", check::excerpt(value), check::excerpt(wf.name())),
              field);
        break;
    }
  }
}

std::string stage_status(const Workflow &wf, const Issue &issue, StatusCategory category, const std::string &who) {
  const StageDef *stage = wf.stage_of(issue.status);
  if (!stage) stage = wf.stage(issue.stage);
  if (stage)
    for (const auto &name : stage->statuses)
      if (wf.status(name)->category == category) return name;
  throw InvalidState(fmt::format("{} leads to the {} status of the current stage, and stage '{}' has none",
                                 check::excerpt(who), to_string(category), check::excerpt(issue.stage)),
                     "action");
}

void move_to(const Workflow &wf, Issue &issue, const std::string &status) {
  const StatusDef *s = wf.status(status);
  issue.status = s->name;
  issue.category = s->category;
  if (const StageDef *stage = wf.stage_of(status)) issue.stage = stage->name;
}

void apply_status_policies(EffectContext &ctx) {
  if (ctx.issue.slas.empty()) return;
  const timing::Calendar &calendar = ctx.op.caches->calendar(ctx.op);
  StatusCategory category = ctx.issue.category;
  for (SlaClock &clock : ctx.issue.slas) {
    if (clock.state == SlaState::stopped) continue;
    const SlaPolicyDef *policy = ctx.workflow.sla(clock.name);
    std::string before = clock_text(clock);
    if (category == StatusCategory::closed || (policy && in(policy->stop_in, category))) {
      if (timing::stop_clock(clock, ctx.op.now, calendar)) breached_on_stop(ctx, clock);
    } else if (policy && in(policy->pause_in, category)) {
      timing::pause_clock(clock, ctx.op.now, calendar, true);
    } else if (clock.paused_by_status) {
      timing::resume_clock(clock, ctx.op.now, calendar);
    }
    log_clock(ctx.entry, before, clock);
  }
}

void breached_on_stop(EffectContext &ctx, const SlaClock &clock) { ctx.breached.push_back(clock.name); }

std::vector<std::string> sla_recipients(Op &op, const Issue &issue) {
  std::vector<std::string> out;
  if (!issue.assignee.empty()) out.push_back(issue.assignee);
  for (const auto &admin : op.users->admins(op.txn))
    if (admin.id != issue.assignee) out.push_back(admin.id);
  return out;
}

void announce_to(Op &op, Event event, const Issue &issue, const Record &record, std::int64_t seq,
                 const std::vector<std::string> &recipients, const std::string &subject, const std::string &body) {
  notify::queue_direct(op, event, issue, record, seq, recipients, subject, body);
  op.events.push_back(std::move(event));
}

void announce_breaches(EffectContext &ctx, const Issue &issue, std::int64_t seq) {
  for (const auto &name : ctx.breached) {
    const SlaClock *clock = nullptr;
    for (const auto &c : issue.slas)
      if (c.name == name) clock = &c;
    if (!clock) continue;
    Event e = issue_event(EventKind::sla_breached, ctx.actor, ctx.op.now, issue, "", {});
    e.detail = name;
    announce_to(ctx.op, std::move(e), issue, ctx.record, seq, sla_recipients(ctx.op, issue),
                fmt::format("{}: the {} SLA was breached", issue.code, name),
                fmt::format("{} ({}, {}) ran past its {} SLA{}.", issue.code, issue.type, issue.status, name,
                            clock->breached_at ? " at " + format_timestamp(*clock->breached_at) : ""));
  }
}

namespace {

// The action's guards (validation refuses any other name): InvalidState
// naming the tasks in the way, at "action".
void check_guards(Op &op, const Workflow &wf, const ActionDef &action, const Issue &issue) {
  if (action.guards.empty()) return;
  std::vector<Task> tasks = op.txn.tasks_of_issue(issue.number);
  auto named = [](const Task &t) { return fmt::format("task {} ({})", t.id, t.kind); };
  for (const auto &g : action.guards) {
    std::vector<std::string> in_the_way;
    if (g == guard::no_open_tasks) {
      for (const auto &t : tasks)
        if (t.state == TaskState::open) in_the_way.push_back(named(t) + " is open");
    } else if (g == guard::mandatory_tasks_done) {
      for (const auto &t : tasks)
        if (t.state == TaskState::open && t.mandatory) in_the_way.push_back("mandatory " + named(t) + " is open");
      for (const auto &kind : wf.definition().tasks)
        if (kind.mandatory && std::none_of(tasks.begin(), tasks.end(), [&](const Task &t) {
              return t.kind == kind.name && t.state == TaskState::completed;
            }))
          in_the_way.push_back(fmt::format("no '{}' task was completed", kind.name));
    } else {
      throw StorageError(fmt::format("workflow '{}' names guard '{}', which this build cannot run", wf.name(),
                                     check::excerpt(g)));
    }
    if (in_the_way.empty()) continue;
    std::string list;
    for (std::size_t i = 0; i < in_the_way.size() && i < 10; ++i) list += (i ? "; " : "") + in_the_way[i];
    if (in_the_way.size() > 10) list += fmt::format("; and {} more", in_the_way.size() - 10);
    throw InvalidState(fmt::format("action '{}' needs {}: {}", action.name, g, list), "action");
  }
}

}  // namespace

Issue act(Op &op, const Actor &actor, const IssueRow &before, const Record &record, const ActionRequest &req,
          const IssueTimer *fired) {
  const Issue &current = before.issue;
  if (req.expected_version && *req.expected_version != current.version)
    throw Conflict(fmt::format("issue {} is at version {}, not {}", current.code, current.version, *req.expected_version),
                   "expected_version");
  const Workflow &wf = op.caches->workflow(op, current.workflow);
  const ActionDef *action = wf.action(req.action);
  if (!action)
    throw InvalidInput(
        fmt::format("workflow '{}' has no action '{}'", check::excerpt(wf.name()), check::excerpt(req.action)),
        "action");
  if (!Workflow::allowed(*action, actor))
    throw Forbidden(fmt::format("{} '{}' may not take action '{}'", to_string(actor.role), check::excerpt(actor.id),
                                check::excerpt(action->name)),
                    "action");
  if (!wf.applies(*action, current.status))
    throw InvalidState(fmt::format("action '{}' cannot be taken from status '{}'", check::excerpt(action->name),
                                   check::excerpt(current.status)),
                       "action");
  check_inputs(wf, *action, req.inputs);
  check_guards(op, wf, *action, current);

  Issue after = current;
  TimelineEntry entry;
  entry.kind = entry_kind::action;
  entry.action = action->name;
  if (fired) {
    entry.changes.push_back({"timer:" + fired->name, format_timestamp(fired->due_at), "fired"});
    std::erase_if(after.timers, [&](const IssueTimer &t) { return t.name == fired->name; });
  }
  move_to(wf, after, target_status(wf, *action, after, req.inputs));
  entry.changes.push_back({"status", current.status, after.status});
  if (after.stage != current.stage) entry.changes.push_back({"stage", current.stage, after.stage});
  log_inputs(*action, req.inputs, entry);
  set_fields(wf, after, req.fields, entry, &action->fields);
  require_fields(*action, after);
  EffectContext ctx{op, actor, wf, record, req.inputs, after, entry, action->name, nullptr, before.timeline_seq + 1};
  std::size_t mark = op.events.size();
  run_effects(ctx, action->effects);
  if (after.stage != current.stage) run_rules(ctx, rule_on::stage_changed, after.stage);
  apply_status_policies(ctx);
  after = commit_change(op, actor, before, std::move(after), record, entry, EventKind::status_changed, mark);
  write_created_tasks(ctx, after);
  announce_breaches(ctx, after, before.timeline_seq + 1);
  return after;
}

Issue report(Op &op, const Actor &actor, const Record &record, const Workflow &wf, Issue issue,
             const holds::Amounts &hold_amounts) {
  issue.number = op.txn.allocate_issue_number();
  issue.code = format_issue_code(issue.number);
  issue.workflow = wf.name();
  move_to(wf, issue, wf.definition().initial);
  issue.created_at = issue.updated_at = op.now;
  issue.version = 1;

  TimelineEntry entry;
  entry.kind = entry_kind::reported;
  entry.changes = {{"status", "", issue.status}, {"type", "", issue.type}, {"description", "", issue.description}};
  if (issue.to_follow) entry.changes.push_back({"to_follow", "", "true"});
  if (issue.deferred_date) entry.changes.push_back({"deferred_date", "", issue.deferred_date->to_string()});
  if (issue.follow_up_date) entry.changes.push_back({"follow_up_date", "", issue.follow_up_date->to_string()});
  Inputs no_inputs;
  EffectContext ctx{op, actor, wf, record, no_inputs, issue, entry, "reported", &hold_amounts, 1};
  std::size_t mark = op.events.size();
  run_effects(ctx, wf.definition().on_report);
  // SPEC R7.4: the acknowledgement goes out with the report, unless the host
  // previews it first (or switched it off).
  if (op.caches->message_settings(op).acknowledgement == AcknowledgementMode::automatic)
    send_message(ctx, templates::acknowledgement, Audience::customer);
  apply_status_policies(ctx);

  write_new(op, actor, record, issue, entry);
  announce(op, issue_event(EventKind::issue_reported, actor, op.now, issue, "", entry.changes), issue, record,
           entry.seq, mark);
  write_created_tasks(ctx, issue);
  announce_breaches(ctx, issue, entry.seq);
  return issue;
}

void withhold_as_reported(EffectContext &ctx) {
  for (const auto &effect : ctx.workflow.definition().on_report)
    if (effect.type == "withhold") wf::effect_spec(effect.type)->handler(ctx, effect);
}

std::string promise_due(Op &op, const Workflow &wf, const Issue &issue) {
  const SlaPolicyDef *def = wf.sla(templates::acknowledgement);
  if (!def) return "";
  const timing::Calendar &calendar = op.caches->calendar(op);
  for (const auto &c : issue.slas)
    if (c.name == templates::acknowledgement && c.state != SlaState::stopped)
      return c.due_at ? calendar.format_day(*c.due_at) : "";
  timing::SlaPolicy policy = policy_of(*def);
  return calendar.format_day(calendar.add(op.now, policy.within, policy.business));
}

std::vector<RenderedMessage> send_message(EffectContext &ctx, std::string_view name, Audience audience) {
  // Twice in one change (an on_report effect and the automatic acknowledgement) is once.
  auto key = std::make_pair(std::string(name), audience);
  if (std::find(ctx.sent.begin(), ctx.sent.end(), key) != ctx.sent.end()) return {};
  ctx.sent.push_back(key);
  if (name == templates::acknowledgement && audience == Audience::customer)
    if (const SlaPolicyDef *def = ctx.workflow.sla(templates::acknowledgement)) {
      SlaClock *clock = timing::find_clock(ctx.issue.slas, def->name);
      if (!clock || clock->state == SlaState::stopped) {
        std::string before = clock ? clock_text(*clock) : "";
        timing::SlaPolicy policy = policy_of(*def);
        SlaClock fresh = timing::start_clock(policy, policy.within, ctx.op.now, ctx.op.caches->calendar(ctx.op));
        if (clock)
          *clock = std::move(fresh);
        else
          clock = &insert_clock(ctx.issue, std::move(fresh));
        log_clock(ctx.entry, before, *clock);
      }
    }
  auto &library = ctx.op.caches->library(ctx.op);
  const MessageSettings &settings = ctx.op.caches->message_settings(ctx.op);
  auto sent = library.send(ctx.op, ctx.actor, ctx.issue, ctx.record, settings,
                           promise_due(ctx.op, ctx.workflow, ctx.issue), name, audience,
                           fmt::format("msg/{}/{}", ctx.issue.code, ctx.next_seq), true);
  for (const auto &m : sent) ctx.entry.changes.push_back({"message", "", m.template_name + " to " + m.recipient});
  return sent;
}

}  // namespace complaints::engine
