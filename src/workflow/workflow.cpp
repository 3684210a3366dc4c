// Workflow validation and lookups.
#include "complaints/workflow.hpp"

#include <algorithm>
#include <deque>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "complaints/limits.hpp"
#include "domain/check.hpp"
#include "time/calendar.hpp"
#include "workflow/catalog.hpp"
#include "workflow/internal.hpp"

namespace complaints {

namespace {

class Validator {
 public:
  Validator(const WorkflowDef &def, const ValidationContext &ctx) : def_(def), ctx_(ctx) {}

  std::vector<WorkflowProblem> run() {
    names();
    statuses();
    stages();
    resolutions();
    slas();
    effects(def_.on_report, "$.on_report", nullptr);
    for (std::size_t i = 0; i < def_.actions.size(); ++i) action(def_.actions[i], fmt::format("$.actions[{}]", i));
    // Graph checks only make sense once every name resolves.
    if (problems_.empty()) graph();
    return std::move(problems_);
  }

 private:
  const WorkflowDef &def_;
  const ValidationContext &ctx_;
  std::vector<WorkflowProblem> problems_;
  std::unordered_map<std::string, std::size_t> status_index_;
  std::unordered_map<std::string, std::size_t> stage_index_;
  std::unordered_map<std::string, std::size_t> action_index_;
  std::unordered_map<std::string, std::size_t> sla_index_;

  void problem(std::string path, std::string message) { problems_.push_back({std::move(path), std::move(message)}); }

  // A name must be well-formed; returns false (after reporting) when it is not.
  bool good_name(const std::string &value, const std::string &path) {
    try {
      check::name(value, "name", limits::name_bytes);
      return true;
    } catch (const InvalidInput &e) {
      problem(path, e.message());
      return false;
    }
  }

  void names() {
    if (good_name(def_.name, "$.name") &&
        !std::all_of(def_.name.begin(), def_.name.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        }))
      problem("$.name", "must use only lower-case letters, digits, '-' and '_'");
  }

  void statuses() {
    if (def_.statuses.empty()) problem("$.statuses", "must list at least one status");
    bool any_closed = false;
    for (std::size_t i = 0; i < def_.statuses.size(); ++i) {
      const auto &s = def_.statuses[i];
      std::string p = fmt::format("$.statuses[{}]", i);
      if (good_name(s.name, p + ".name") && !status_index_.emplace(s.name, i).second)
        problem(p + ".name", fmt::format("duplicate status '{}'", check::excerpt(s.name)));
      try {
        check::colour(s.colour, "colour");
      } catch (const InvalidInput &e) {
        problem(p + ".colour", e.message());
      }
      any_closed = any_closed || s.category == StatusCategory::closed;
    }
    if (!def_.statuses.empty() && !any_closed) problem("$.statuses", "no status has category 'closed'");
    if (def_.initial.empty()) {
      problem("$.initial", "is required");
    } else if (!status_index_.count(def_.initial)) {
      problem("$.initial", fmt::format("unknown status '{}'", check::excerpt(def_.initial)));
    } else if (def_.statuses[status_index_[def_.initial]].category == StatusCategory::closed) {
      problem("$.initial", "a new issue cannot start in a closed status");
    }
  }

  void stages() {
    std::unordered_map<std::string, std::string> owner;
    for (std::size_t i = 0; i < def_.stages.size(); ++i) {
      const auto &st = def_.stages[i];
      std::string p = fmt::format("$.stages[{}]", i);
      if (good_name(st.name, p + ".name") && !stage_index_.emplace(st.name, i).second)
        problem(p + ".name", fmt::format("duplicate stage '{}'", check::excerpt(st.name)));
      if (st.statuses.empty()) problem(p + ".statuses", "must list at least one status");
      for (std::size_t j = 0; j < st.statuses.size(); ++j) {
        std::string sp = fmt::format("{}.statuses[{}]", p, j);
        const auto &name = st.statuses[j];
        if (!status_index_.count(name))
          problem(sp, fmt::format("unknown status '{}'", check::excerpt(name)));
        else if (auto [it, fresh] = owner.emplace(name, st.name); !fresh)
          problem(sp, fmt::format("status '{}' already belongs to stage '{}'", check::excerpt(name),
                                  check::excerpt(it->second)));
      }
    }
  }

  void resolutions() {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < def_.resolutions.size(); ++i) {
      std::string p = fmt::format("$.resolutions[{}]", i);
      if (good_name(def_.resolutions[i], p) && !seen.insert(def_.resolutions[i]).second)
        problem(p, fmt::format("duplicate resolution '{}'", check::excerpt(def_.resolutions[i])));
    }
  }

  void slas() {
    for (std::size_t i = 0; i < def_.slas.size(); ++i) {
      const SlaPolicyDef &p = def_.slas[i];
      std::string path = fmt::format("$.slas[{}]", i);
      if (good_name(p.name, path + ".name") && !sla_index_.emplace(p.name, i).second)
        problem(path + ".name", fmt::format("duplicate SLA policy '{}'", p.name));
      if (!timing::parse_span(p.within))
        problem(path + ".within", fmt::format("'{}' is not a duration (e.g. 30m, 48h, 10d)", check::excerpt(p.within)));
      if (p.warn_percent < 0 || p.warn_percent > 99) problem(path + ".warn_percent", "must be from 0 (no warning) to 99");
      for (std::size_t j = 0; j < p.pause_in.size(); ++j)
        if (p.pause_in[j] == StatusCategory::closed)
          problem(fmt::format("{}.pause_in[{}]", path, j), "closed stops every clock; it cannot pause one");
      for (std::size_t j = 0; j < p.pause_in.size(); ++j)
        if (std::find(p.stop_in.begin(), p.stop_in.end(), p.pause_in[j]) != p.stop_in.end())
          problem(fmt::format("{}.pause_in[{}]", path, j),
                  fmt::format("category '{}' is also in stop_in", to_string(p.pause_in[j])));
    }
  }

  void status_ref(const std::string &name, const std::string &path) {
    if (!status_index_.count(name)) problem(path, fmt::format("unknown status '{}'", check::excerpt(name)));
  }

  const InputDef *find_input(const ActionDef &a, std::string_view name) {
    for (const auto &in : a.inputs)
      if (in.name == name) return &in;
    return nullptr;
  }

  void action(const ActionDef &a, const std::string &p) {
    if (good_name(a.name, p + ".name") && !action_index_.emplace(a.name, action_index_.size()).second)
      problem(p + ".name", fmt::format("duplicate action '{}'", check::excerpt(a.name)));
    for (std::size_t i = 0; i < a.from.size(); ++i) status_ref(a.from[i], fmt::format("{}.from[{}]", p, i));
    if (!a.from_any && a.from.empty() && a.from_categories.empty())
      problem(p + ".from", "must name at least one status, category or \"*\"");
    std::set<std::string> input_names;
    for (std::size_t i = 0; i < a.inputs.size(); ++i) {
      const auto &in = a.inputs[i];
      std::string ip = fmt::format("{}.inputs[{}]", p, i);
      if (good_name(in.name, ip + ".name") && !input_names.insert(in.name).second)
        problem(ip + ".name", fmt::format("duplicate input '{}'", check::excerpt(in.name)));
      if (in.type != InputType::status && (!in.one_of.empty() || !in.categories.empty()))
        problem(ip, "one_of and categories apply to status inputs only");
      for (std::size_t j = 0; j < in.one_of.size(); ++j) status_ref(in.one_of[j], fmt::format("{}.one_of[{}]", ip, j));
      if (in.type == InputType::resolution && def_.resolutions.empty())
        problem(ip + ".type", "resolution input, but the workflow lists no resolutions");
      if (in.type == InputType::stage && def_.stages.empty())
        problem(ip + ".type", "stage input, but the workflow has no stages");
      if (in.max_length == 0 || in.max_length > limits::note_bytes)
        problem(ip + ".max_length", fmt::format("must be from 1 to {}", limits::note_bytes));
    }
    switch (a.to.kind) {
      case TargetDef::Kind::same: break;
      case TargetDef::Kind::status: status_ref(a.to.status, p + ".to"); break;
      case TargetDef::Kind::input_status:
      case TargetDef::Kind::input_stage: {
        const InputDef *in = find_input(a, a.to.input);
        InputType want = a.to.kind == TargetDef::Kind::input_status ? InputType::status : InputType::stage;
        if (!in)
          problem(p + ".to.input", fmt::format("no input named '{}'", check::excerpt(a.to.input)));
        else if (in->type != want)
          problem(p + ".to.input", fmt::format("input '{}' must be of type status or stage", check::excerpt(in->name)));
        else if (!in->required)
          problem(p + ".to.input",
                  fmt::format("input '{}' decides the target, so it must be required", check::excerpt(in->name)));
        break;
      }
      case TargetDef::Kind::stage_category:
        if (def_.stages.empty()) problem(p + ".to.stage_category", "the workflow has no stages");
        break;
    }
    for (std::size_t i = 0; i < a.guards.size(); ++i)
      if (!wf::is_known_guard(a.guards[i]))
        problem(fmt::format("{}.guards[{}]", p, i),
                wf::is_planned(a.guards[i])
                    ? fmt::format("guard '{}' is not available in this version of the library (it needs tasks)",
                                  a.guards[i])
                    : fmt::format("unknown guard '{}'", check::excerpt(a.guards[i])));
    effects(a.effects, p + ".effects", &a);
  }

  void effects(const std::vector<EffectDef> &list, const std::string &path, const ActionDef *owner) {
    for (std::size_t i = 0; i < list.size(); ++i) effect(list[i], fmt::format("{}[{}]", path, i), owner);
  }

  void effect(const EffectDef &e, const std::string &p, const ActionDef *owner) {
    const wf::EffectSpec *spec = wf::effect_spec(e.type);
    if (!spec) {
      std::string known;
      for (const auto &s : wf::effect_specs()) known += (known.empty() ? "" : ", ") + std::string(s.type);
      problem(p + ".type",
              wf::is_planned(e.type)
                  ? fmt::format("effect '{}' is not available in this version of the library (it needs tasks)", e.type)
                  : fmt::format("unknown effect '{}' (expected one of: {})", check::excerpt(e.type), known));
      return;
    }
    for (const auto &param : e.params) {
      const std::string &key = param.first;
      auto it = std::find_if(spec->params.begin(), spec->params.end(), [&](const auto &ps) { return ps.name == key; });
      if (it == spec->params.end())
        problem(p + "." + check::excerpt(key),
                fmt::format("effect '{}' has no parameter '{}'", check::excerpt(e.type), check::excerpt(key)));
    }
    for (const auto &ps : spec->params) {
      std::string pp = fmt::format("{}.{}", p, ps.name);
      auto it = e.params.find(ps.name);
      if (it == e.params.end()) {
        if (ps.required) problem(pp, fmt::format("effect '{}' needs parameter '{}'", check::excerpt(e.type), ps.name));
        continue;
      }
      param(ps, it->second, pp, owner);
    }
  }

  void param(const wf::ParamSpec &ps, const std::string &value, const std::string &pp, const ActionDef *owner) {
    switch (ps.kind) {
      case wf::ParamKind::text: good_name(value, pp); break;
      case wf::ParamKind::choice:
        if (std::find(ps.choices.begin(), ps.choices.end(), value) == ps.choices.end()) {
          std::string opts;
          for (auto c : ps.choices) opts += (opts.empty() ? "" : ", ") + std::string(c);
          problem(pp, fmt::format("'{}' is not one of: {}", check::excerpt(value), opts));
        }
        break;
      case wf::ParamKind::duration:
        if (!timing::parse_span(value))
          problem(pp, fmt::format("'{}' is not a duration (e.g. 30m, 48h, 4d)", check::excerpt(value)));
        break;
      case wf::ParamKind::sla_policy:
        if (!sla_index_.count(value))
          problem(pp, fmt::format("unknown SLA policy '{}' (declare it under \"slas\")", check::excerpt(value)));
        break;
      case wf::ParamKind::boolean:
        if (value != "true" && value != "false") problem(pp, "must be true or false");
        break;
      case wf::ParamKind::template_name: {
        auto builtin = wf::builtin_templates();
        bool known = std::find(builtin.begin(), builtin.end(), value) != builtin.end() ||
                     std::find(ctx_.templates.begin(), ctx_.templates.end(), value) != ctx_.templates.end();
        if (!known) problem(pp, fmt::format("unknown template '{}'", check::excerpt(value)));
        break;
      }
      case wf::ParamKind::timer_action: {
        auto it = std::find_if(def_.actions.begin(), def_.actions.end(), [&](const auto &a) { return a.name == value; });
        if (it == def_.actions.end()) {
          problem(pp, fmt::format("unknown action '{}'", check::excerpt(value)));
        } else if (!Workflow::allowed(*it, Actor{"system", Role::system, {}})) {
          problem(pp, fmt::format("action '{}' must allow the system role: a timer takes it as the system", value));
        } else if (std::any_of(it->inputs.begin(), it->inputs.end(), [](const InputDef &in) { return in.required; })) {
          problem(pp, fmt::format("action '{}' requires inputs, which a timer cannot give", value));
        }
        break;
      }
      case wf::ParamKind::date_input:
      case wf::ParamKind::user_input: {
        InputType want = ps.kind == wf::ParamKind::date_input ? InputType::date : InputType::user;
        const InputDef *in = owner ? find_input(*owner, value) : nullptr;
        if (!in || in->type != want)
          problem(pp, fmt::format("the action has no {} input named '{}'", to_string(want), check::excerpt(value)));
        break;
      }
    }
  }

  // Reachability: every status reachable from the initial one, a closed status
  // reachable from each of them, and every action startable from some reachable status.
  void graph() {
    std::size_t n = def_.statuses.size();
    std::vector<std::vector<std::size_t>> next(n);
    for (std::size_t s = 0; s < n; ++s)
      for (const auto &a : def_.actions) {
        if (a.allow.empty() || !wf::applies(def_, a, def_.statuses[s].name)) continue;
        for (const auto &t : targets(a, s)) next[s].push_back(t);
      }
    std::vector<bool> reachable(n, false);
    std::deque<std::size_t> queue{status_index_.at(def_.initial)};
    reachable[queue.front()] = true;
    while (!queue.empty()) {
      std::size_t s = queue.front();
      queue.pop_front();
      for (auto t : next[s])
        if (!reachable[t]) {
          reachable[t] = true;
          queue.push_back(t);
        }
    }
    // Reverse search from the closed statuses.
    std::vector<bool> closes(n, false);
    for (std::size_t s = 0; s < n; ++s) closes[s] = def_.statuses[s].category == StatusCategory::closed;
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t s = 0; s < n; ++s)
        if (!closes[s] && std::any_of(next[s].begin(), next[s].end(), [&](auto t) { return closes[t]; }))
          closes[s] = changed = true;
    }
    for (std::size_t s = 0; s < n; ++s) {
      std::string p = fmt::format("$.statuses[{}]", s);
      if (!reachable[s])
        problem(p, fmt::format("status '{}' can never be reached: no action leads to it from '{}'",
                               check::excerpt(def_.statuses[s].name), check::excerpt(def_.initial)));
      else if (!closes[s])
        problem(p, fmt::format("no closed status can be reached from '{}'", check::excerpt(def_.statuses[s].name)));
    }
    for (std::size_t i = 0; i < def_.actions.size(); ++i) {
      const auto &a = def_.actions[i];
      std::string p = fmt::format("$.actions[{}]", i);
      if (a.allow.empty()) {
        problem(p + ".allow",
                fmt::format("action '{}' can never be taken: no role is allowed", check::excerpt(a.name)));
        continue;
      }
      bool startable = false;
      for (std::size_t s = 0; s < n && !startable; ++s) startable = reachable[s] && wf::applies(def_, a, def_.statuses[s].name);
      if (!startable)
        problem(p + ".from", fmt::format("action '{}' can never be taken: no reachable status it starts from",
                                         check::excerpt(a.name)));
      for (const auto &in : a.inputs)
        if (in.type == InputType::status && in.required && status_choices(in).empty())
          problem(p + ".inputs", fmt::format("action '{}' can never be taken: input '{}' allows no status",
                                             check::excerpt(a.name), check::excerpt(in.name)));
    }
  }

  std::vector<std::size_t> status_choices(const InputDef &in) {
    std::vector<std::size_t> out;
    for (std::size_t s = 0; s < def_.statuses.size(); ++s) {
      const auto &st = def_.statuses[s];
      bool named = in.one_of.empty() || std::find(in.one_of.begin(), in.one_of.end(), st.name) != in.one_of.end();
      bool category = in.categories.empty() ||
                      std::find(in.categories.begin(), in.categories.end(), st.category) != in.categories.end();
      if (named && category) out.push_back(s);
    }
    return out;
  }

  // Statuses an action can lead to from status `s`.
  std::vector<std::size_t> targets(const ActionDef &a, std::size_t s) {
    switch (a.to.kind) {
      case TargetDef::Kind::same: return {s};
      case TargetDef::Kind::status: return {status_index_.at(a.to.status)};
      case TargetDef::Kind::input_status: return status_choices(*find_input(a, a.to.input));
      case TargetDef::Kind::input_stage: {
        std::vector<std::size_t> out;
        for (const auto &st : def_.stages) out.push_back(status_index_.at(st.statuses.front()));
        return out;
      }
      case TargetDef::Kind::stage_category: {
        // From a status outside every stage the issue keeps its last stage, which may be any.
        std::vector<std::size_t> out;
        const std::string &name = def_.statuses[s].name;
        bool in_stage = false;
        for (const auto &st : def_.stages)
          in_stage = in_stage || std::find(st.statuses.begin(), st.statuses.end(), name) != st.statuses.end();
        for (const auto &st : def_.stages) {
          if (in_stage && std::find(st.statuses.begin(), st.statuses.end(), name) == st.statuses.end()) continue;
          for (const auto &member : st.statuses)
            if (def_.statuses[status_index_.at(member)].category == a.to.category)
              out.push_back(status_index_.at(member));
        }
        return out;
      }
    }
    return {};
  }
};

}  // namespace

std::vector<WorkflowProblem> Workflow::validate(const WorkflowDef &def, const ValidationContext &ctx) {
  return Validator(def, ctx).run();
}

Workflow Workflow::from_definition(WorkflowDef def, const ValidationContext &ctx) {
  auto problems = validate(def, ctx);
  if (!problems.empty()) throw InvalidWorkflow(std::move(problems));
  return Workflow(std::make_shared<const WorkflowDef>(std::move(def)));
}

Workflow Workflow::builtin(std::string_view name) {
  std::string_view source = wf::builtin_source(name);
  if (source.empty()) throw NotFound(fmt::format("no built-in workflow '{}'", check::excerpt(name)), "workflow");
  return from_json(source);
}

std::vector<std::string> Workflow::builtin_names() { return wf::builtin_names(); }

Workflow Workflow::with_status(const StatusDef &status, const ValidationContext &ctx) const {
  WorkflowDef def = *def_;
  def.statuses.push_back(status);
  return from_definition(std::move(def), ctx);
}

const StatusDef *Workflow::status(std::string_view name) const noexcept {
  for (const auto &s : def_->statuses)
    if (s.name == name) return &s;
  return nullptr;
}

const StageDef *Workflow::stage(std::string_view name) const noexcept {
  for (const auto &s : def_->stages)
    if (s.name == name) return &s;
  return nullptr;
}

const SlaPolicyDef *Workflow::sla(std::string_view name) const noexcept {
  for (const auto &p : def_->slas)
    if (p.name == name) return &p;
  return nullptr;
}

const ActionDef *Workflow::action(std::string_view name) const noexcept {
  for (const auto &a : def_->actions)
    if (a.name == name) return &a;
  return nullptr;
}

const StageDef *Workflow::stage_of(std::string_view status) const noexcept {
  for (const auto &st : def_->stages)
    for (const auto &s : st.statuses)
      if (s == status) return &st;
  return nullptr;
}

bool Workflow::applies(const ActionDef &a, std::string_view status_name) const noexcept {
  return wf::applies(*def_, a, status_name);
}

bool wf::applies(const WorkflowDef &def, const ActionDef &a, std::string_view status_name) noexcept {
  if (a.from_any) return true;
  for (const auto &f : a.from)
    if (f == status_name) return true;
  if (a.from_categories.empty()) return false;
  for (const auto &s : def.statuses)
    if (s.name == status_name)
      return std::find(a.from_categories.begin(), a.from_categories.end(), s.category) != a.from_categories.end();
  return false;
}

bool Workflow::allowed(const ActionDef &a, const Actor &actor) noexcept {
  for (const auto &rule : a.allow)
    if (rule.role == actor.role && actor.permissions.has_all(rule.permissions)) return true;
  return false;
}

}  // namespace complaints
