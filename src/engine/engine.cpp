#include "engine/engine.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "complaints/desk.hpp"
#include "domain/check.hpp"
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

void set_follow_up(EffectContext &ctx, const EffectDef &effect) {
  auto it = ctx.inputs.find(effect.params.at("input"));
  if (it == ctx.inputs.end()) return;  // optional date input left out: nothing to set
  Date date = Date::parse(it->second, input_field(it->first));
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
  auto it = effect.params.find("fieldworkers");
  bool all = it != effect.params.end() && it->second == "all";
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
  auto to = effect.params.find("to");
  Audience audience = to != effect.params.end() && to->second == "fieldworkers" ? Audience::fieldworkers
                                                                                 : Audience::customer;
  send_message(ctx, effect.params.at("template"), audience);
}

using Handler = void (*)(EffectContext &, const EffectDef &);

// Effects this build runs. The catalogue (workflow/catalog.cpp) lists every
// effect a workflow may name; those without a handler here are accepted by
// validation but refused when an action would run them.
Handler handler(std::string_view type) {
  if (type == "set_follow_up") return &set_follow_up;
  if (type == "assign") return &assign;
  if (type == "unassign") return &unassign;
  if (type == "withhold") return &withhold;
  if (type == "reapply") return &reapply;
  if (type == "release") return &release;
  if (type == "send_template") return &send_template;
  return nullptr;
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

std::string target_status(const Workflow &wf, const ActionDef &action, const Issue &issue, const Inputs &inputs) {
  const TargetDef &to = action.to;
  switch (to.kind) {
    case TargetDef::Kind::same: return issue.status;
    case TargetDef::Kind::status: return to.status;
    case TargetDef::Kind::input_status: return inputs.at(to.input);
    case TargetDef::Kind::input_stage: return wf.stage(inputs.at(to.input))->statuses.front();
    case TargetDef::Kind::stage_category: {
      const StageDef *stage = wf.stage_of(issue.status);
      if (!stage) stage = wf.stage(issue.stage);
      if (stage)
        for (const auto &name : stage->statuses)
          if (wf.status(name)->category == to.category) return name;
      throw InvalidState(fmt::format("action '{}' leads to the {} status of the current stage, and stage '{}' has "
                                     "none",
                                     check::excerpt(action.name), to_string(to.category), check::excerpt(issue.stage)),
                         "action");
    }
  }
  return issue.status;
}

void move_to(const Workflow &wf, Issue &issue, const std::string &status) {
  const StatusDef *s = wf.status(status);
  issue.status = s->name;
  issue.category = s->category;
  if (const StageDef *stage = wf.stage_of(status)) issue.stage = stage->name;
}

void run_effects(EffectContext &ctx, const std::vector<EffectDef> &effects, const std::string &path) {
  for (std::size_t i = 0; i < effects.size(); ++i) {
    Handler h = handler(effects[i].type);
    if (!h)
      throw InvalidWorkflow(fmt::format("{}[{}].type", path, i),
                            fmt::format("effect '{}' (workflow '{}') is not available in this version of the "
                                        "library",
                                        check::excerpt(effects[i].type), check::excerpt(ctx.workflow.name())));
    h(ctx, effects[i]);
  }
}

void withhold_as_reported(EffectContext &ctx) {
  for (const auto &effect : ctx.workflow.definition().on_report)
    if (effect.type == "withhold") withhold(ctx, effect);
}

void check_guards(const Workflow &wf, const ActionDef &action, const std::string &path) {
  // Guards are about tasks (SPEC R8.4), which this version does not keep yet:
  // refuse rather than pretend a guard holds.
  if (!action.guards.empty())
    throw InvalidWorkflow(path + ".guards[0]",
                          fmt::format("guard '{}' (workflow '{}') is not available in this version of the library",
                                      check::excerpt(action.guards.front()), check::excerpt(wf.name())));
}

std::string action_path(const Workflow &wf, const ActionDef &action) {
  const auto &actions = wf.definition().actions;
  for (std::size_t i = 0; i < actions.size(); ++i)
    if (&actions[i] == &action) return fmt::format("$.actions[{}]", i);
  return "$.actions";
}

void send_message(EffectContext &ctx, std::string_view name, Audience audience) {
  for (const auto &m : ctx.library->send(ctx.op, ctx.actor, ctx.issue, ctx.record, name, audience,
                                         fmt::format("msg/{}/{}", ctx.issue.code, ctx.next_seq), true))
    ctx.entry.changes.push_back({"message", "", m.template_name + " to " + m.recipient});
}

}  // namespace complaints::engine
