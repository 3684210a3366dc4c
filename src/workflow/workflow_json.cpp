// Workflow <-> JSON. Reading is forgiving in one way only: it collects every
// problem (with its JSON path) instead of stopping at the first, and leaves
// what it could not read at its default for the semantic checks to pass over,
// so a host fixing a definition sees the whole list at once.
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "complaints/limits.hpp"
#include "complaints/workflow.hpp"
#include "domain/check.hpp"
#include "json/parse.hpp"
#include "workflow/internal.hpp"

namespace complaints {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

class Reader {
 public:
  std::vector<WorkflowProblem> problems;

  void problem(const std::string &path, std::string message) {
    problems.push_back({path, std::move(message)});
  }

  // Reports keys the schema does not know: a typo must not silently drop a rule.
  void only_keys(const json &obj, const std::string &path, std::initializer_list<std::string_view> keys) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      bool known = false;
      for (auto k : keys) known = known || it.key() == k;
      if (!known) problem(path + "." + check::excerpt(it.key()), "unknown key");
    }
  }

  bool is_object(const json &v, const std::string &path) {
    if (v.is_object()) return true;
    problem(path, fmt::format("must be an object, not {}", v.type_name()));
    return false;
  }

  bool is_array(const json &v, const std::string &path) {
    if (v.is_array()) return true;
    problem(path, fmt::format("must be an array, not {}", v.type_name()));
    return false;
  }

  std::string string(const json &obj, std::string_view key, const std::string &path, bool required) {
    auto it = obj.find(key);
    std::string p = path + "." + std::string(key);
    if (it == obj.end()) {
      if (required) problem(p, "is required");
      return {};
    }
    return string_value(*it, p);
  }

  std::string string_value(const json &v, const std::string &path) {
    if (!v.is_string()) {
      problem(path, fmt::format("must be a string, not {}", v.type_name()));
      return {};
    }
    return v.get<std::string>();
  }

  std::vector<std::string> strings(const json &obj, std::string_view key, const std::string &path) {
    std::vector<std::string> out;
    auto it = obj.find(key);
    if (it == obj.end()) return out;
    std::string p = path + "." + std::string(key);
    if (!is_array(*it, p)) return out;
    for (std::size_t i = 0; i < it->size(); ++i)
      out.push_back(string_value((*it)[i], fmt::format("{}[{}]", p, i)));
    return out;
  }

  bool boolean(const json &obj, std::string_view key, const std::string &path, bool fallback) {
    auto it = obj.find(key);
    if (it == obj.end()) return fallback;
    if (!it->is_boolean()) {
      problem(path + "." + std::string(key), fmt::format("must be true or false, not {}", it->type_name()));
      return fallback;
    }
    return it->get<bool>();
  }

  StatusCategory category(const json &v, const std::string &path) {
    std::string text = string_value(v, path);
    if (auto c = status_category_from_string(text)) return *c;
    if (v.is_string())
      problem(path, fmt::format("unknown category '{}' (expected open, active, pending, resolved or closed)",
                                check::excerpt(text)));
    return StatusCategory::open;
  }

  std::vector<StatusCategory> categories(const json &obj, std::string_view key, const std::string &path) {
    std::vector<StatusCategory> out;
    auto it = obj.find(key);
    if (it == obj.end()) return out;
    std::string p = path + "." + std::string(key);
    if (!is_array(*it, p)) return out;
    for (std::size_t i = 0; i < it->size(); ++i) out.push_back(category((*it)[i], fmt::format("{}[{}]", p, i)));
    return out;
  }

  Permissions permissions(const json &obj, const std::string &path) {
    Permissions out;
    auto it = obj.find("permissions");
    if (it == obj.end()) return out;
    std::string p = path + ".permissions";
    if (!is_array(*it, p)) return out;
    for (std::size_t i = 0; i < it->size(); ++i) {
      std::string ip = fmt::format("{}[{}]", p, i);
      std::string name = string_value((*it)[i], ip);
      if (auto perm = permission_from_string(name))
        out.add(*perm);
      else if ((*it)[i].is_string())
        problem(ip, fmt::format("unknown permission '{}'", check::excerpt(name)));
    }
    return out;
  }

  AllowRule allow_rule(const json &v, const std::string &path) {
    AllowRule rule;
    std::string role_name;
    std::string role_path = path;
    if (v.is_string()) {
      role_name = v.get<std::string>();
    } else if (v.is_object()) {
      only_keys(v, path, {"role", "permissions"});
      role_name = string(v, "role", path, true);
      role_path = path + ".role";
      rule.permissions = permissions(v, path);
    } else {
      problem(path, fmt::format("must be a role name or {{\"role\": ..., \"permissions\": [...]}}, not {}",
                                v.type_name()));
      return rule;
    }
    if (auto r = role_from_string(role_name))
      rule.role = *r;
    else if (!role_name.empty() || v.is_string())
      problem(role_path, fmt::format("unknown role '{}' (expected admin, supervisor, office, fieldworker, "
                                     "customer or system)",
                                     check::excerpt(role_name)));
    return rule;
  }

  InputDef input(const json &v, const std::string &path) {
    InputDef in;
    if (!is_object(v, path)) return in;
    only_keys(v, path, {"name", "type", "required", "max_length", "one_of", "categories"});
    in.name = string(v, "name", path, true);
    std::string type = string(v, "type", path, false);
    if (!type.empty()) {
      bool found = false;
      for (auto t : {InputType::text, InputType::date, InputType::resolution, InputType::status,
                     InputType::stage, InputType::user}) {
        if (type == to_string(t)) {
          in.type = t;
          found = true;
        }
      }
      if (!found)
        problem(path + ".type", fmt::format("unknown input type '{}' (expected text, date, resolution, "
                                            "status, stage or user)",
                                            check::excerpt(type)));
    }
    in.required = boolean(v, "required", path, false);
    if (auto it = v.find("max_length"); it != v.end()) {
      if (it->is_number_unsigned() && it->get<std::uint64_t>() > 0 &&
          it->get<std::uint64_t>() <= limits::note_bytes)
        in.max_length = it->get<std::size_t>();
      else
        problem(path + ".max_length", fmt::format("must be an integer from 1 to {}", limits::note_bytes));
    }
    in.one_of = strings(v, "one_of", path);
    in.categories = categories(v, "categories", path);
    return in;
  }

  EffectDef effect(const json &v, const std::string &path) {
    EffectDef e;
    if (!is_object(v, path)) return e;
    e.type = string(v, "type", path, true);
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (it.key() == "type") continue;
      std::string p = path + "." + check::excerpt(it.key());
      if (it->is_string())
        e.params[it.key()] = it->get<std::string>();
      else if (it->is_boolean())
        e.params[it.key()] = it->get<bool>() ? "true" : "false";
      else if (it->is_number_integer())
        e.params[it.key()] = std::to_string(it->get<std::int64_t>());
      else
        problem(p, fmt::format("effect parameters must be strings, numbers or booleans, not {}",
                               it->type_name()));
    }
    return e;
  }

  std::vector<EffectDef> effects(const json &obj, std::string_view key, const std::string &path) {
    std::vector<EffectDef> out;
    auto it = obj.find(key);
    if (it == obj.end()) return out;
    std::string p = path + "." + std::string(key);
    if (!is_array(*it, p)) return out;
    for (std::size_t i = 0; i < it->size(); ++i) out.push_back(effect((*it)[i], fmt::format("{}[{}]", p, i)));
    return out;
  }

  TargetDef target(const json &action, const std::vector<InputDef> &inputs, const std::string &path) {
    TargetDef t;
    auto it = action.find("to");
    std::string p = path + ".to";
    if (it == action.end() || it->is_null()) return t;  // same status
    if (it->is_string()) {
      t.kind = TargetDef::Kind::status;
      t.status = it->get<std::string>();
      return t;
    }
    if (!it->is_object()) {
      problem(p, fmt::format("must be a status name, {{\"input\": ...}} or {{\"stage_category\": ...}}, "
                             "not {}",
                             it->type_name()));
      return t;
    }
    only_keys(*it, p, {"input", "stage_category"});
    if (it->contains("input") == it->contains("stage_category")) {
      problem(p, "must have exactly one of \"input\" and \"stage_category\"");
      return t;
    }
    if (it->contains("input")) {
      t.input = string(*it, "input", p, true);
      t.kind = TargetDef::Kind::input_status;
      for (const auto &in : inputs)
        if (in.name == t.input && in.type == InputType::stage) t.kind = TargetDef::Kind::input_stage;
      return t;
    }
    t.kind = TargetDef::Kind::stage_category;
    t.category = category((*it)["stage_category"], p + ".stage_category");
    return t;
  }

  ActionDef action(const json &v, const std::string &path) {
    ActionDef a;
    if (!is_object(v, path)) return a;
    only_keys(v, path,
              {"name", "label", "from", "from_categories", "to", "allow", "inputs", "guards", "effects", "fields",
               "required_fields"});
    a.name = string(v, "name", path, true);
    a.label = string(v, "label", path, false);
    if (a.label.empty()) a.label = a.name;
    if (auto it = v.find("from"); it != v.end() && it->is_string() && *it == "*")
      a.from_any = true;
    else
      a.from = strings(v, "from", path);
    a.from_categories = categories(v, "from_categories", path);
    if (auto it = v.find("inputs"); it != v.end() && is_array(*it, path + ".inputs"))
      for (std::size_t i = 0; i < it->size(); ++i)
        a.inputs.push_back(input((*it)[i], fmt::format("{}.inputs[{}]", path, i)));
    a.to = target(v, a.inputs, path);
    if (auto it = v.find("allow"); it == v.end())
      problem(path + ".allow", "is required (who may take the action)");
    else if (is_array(*it, path + ".allow"))
      for (std::size_t i = 0; i < it->size(); ++i)
        a.allow.push_back(allow_rule((*it)[i], fmt::format("{}.allow[{}]", path, i)));
    a.guards = strings(v, "guards", path);
    a.effects = effects(v, "effects", path);
    a.fields = strings(v, "fields", path);
    a.required_fields = strings(v, "required_fields", path);
    return a;
  }

  TaskKindDef task_kind(const json &v, const std::string &path) {
    TaskKindDef k;  // kept when unreadable: later paths keep their index
    if (!is_object(v, path)) return k;
    only_keys(v, path,
              {"name", "title", "assign_to", "sla", "mandatory", "access", "instructions", "send_template",
               "creator_may_change"});
    k.name = string(v, "name", path, true);
    k.title = string(v, "title", path, false);
    if (auto it = v.find("assign_to"); it != v.end() && is_object(*it, path + ".assign_to")) {
      std::string p = path + ".assign_to";
      only_keys(*it, p, {"groups", "users", "roles"});
      k.groups = strings(*it, "groups", p);
      k.users = strings(*it, "users", p);
      std::vector<std::string> roles = strings(*it, "roles", p);
      for (std::size_t i = 0; i < roles.size(); ++i) {
        if (auto r = role_from_string(roles[i]))
          k.roles.push_back(*r);
        else if ((*it)["roles"][i].is_string())
          problem(fmt::format("{}.roles[{}]", p, i), fmt::format("unknown role '{}'", check::excerpt(roles[i])));
      }
    }
    k.sla = string(v, "sla", path, false);
    k.mandatory = boolean(v, "mandatory", path, false);
    if (auto it = v.find("access"); it != v.end()) {
      std::string text = string_value(*it, path + ".access");
      if (auto a = task_access_from_string(text))
        k.access = *a;
      else if (it->is_string())
        problem(path + ".access", fmt::format("unknown access '{}' (expected summary, contact, attachments or "
                                              "everything)",
                                              check::excerpt(text)));
    }
    k.instructions = string(v, "instructions", path, false);
    k.send_template = string(v, "send_template", path, false);
    k.creator_may_change = boolean(v, "creator_may_change", path, false);
    return k;
  }

  std::optional<double> bound(const json &obj, std::string_view key, const std::string &path) {
    auto it = obj.find(key);
    if (it == obj.end()) return std::nullopt;
    if (it->is_number()) return it->get<double>();
    problem(path + "." + std::string(key), "must be a number");
    return std::nullopt;
  }

  FieldDef field(const json &v, const std::string &path) {
    FieldDef f;
    if (!is_object(v, path)) return f;
    only_keys(v, path, {"name", "label", "type", "choices", "max_length", "min", "max", "currency"});
    f.name = string(v, "name", path, true);
    f.label = string(v, "label", path, false);
    if (auto it = v.find("type"); it == v.end()) {
      problem(path + ".type", "is required");
    } else {
      std::string text = string_value(*it, path + ".type");
      if (auto t = field_type_from_string(text))
        f.type = *t;
      else if (it->is_string())
        problem(path + ".type", fmt::format("unknown field type '{}' (expected text, number, money, date, choice, "
                                            "multi_choice or yes_no)",
                                            check::excerpt(text)));
    }
    f.choices = strings(v, "choices", path);
    if (auto it = v.find("max_length"); it != v.end()) {
      if (it->is_number_unsigned() && it->get<std::uint64_t>() > 0 && it->get<std::uint64_t>() <= limits::note_bytes)
        f.max_length = it->get<std::size_t>();
      else
        problem(path + ".max_length", fmt::format("must be an integer from 1 to {}", limits::note_bytes));
    }
    f.min = bound(v, "min", path);
    f.max = bound(v, "max", path);
    f.currency = string(v, "currency", path, false);
    return f;
  }

  RuleDef rule(const json &v, const std::string &path) {
    RuleDef r;
    if (!is_object(v, path)) return r;
    only_keys(v, path, {"on", "task", "stage", "effects"});
    r.on = string(v, "on", path, true);
    r.task = string(v, "task", path, false);
    r.stage = string(v, "stage", path, false);
    r.effects = effects(v, "effects", path);
    return r;
  }

  WorkflowDef workflow(const json &doc) {
    WorkflowDef def;
    if (!is_object(doc, "$")) return def;
    only_keys(doc, "$",
              {"name", "title", "initial", "statuses", "stages", "resolutions", "on_report", "actions", "slas", "tasks",
               "rules", "fields"});
    def.name = string(doc, "name", "$", true);
    def.title = string(doc, "title", "$", false);
    def.initial = string(doc, "initial", "$", true);
    if (auto it = doc.find("statuses"); it == doc.end())
      problem("$.statuses", "is required");
    else if (is_array(*it, "$.statuses"))
      for (std::size_t i = 0; i < it->size(); ++i) {
        std::string p = fmt::format("$.statuses[{}]", i);
        const json &s = (*it)[i];
        StatusDef &st = def.statuses.emplace_back();  // kept when unreadable: later paths keep their index
        if (!is_object(s, p)) continue;
        only_keys(s, p, {"name", "colour", "category"});
        st.name = string(s, "name", p, true);
        if (s.contains("colour")) st.colour = string(s, "colour", p, false);
        if (s.contains("category"))
          st.category = category(s["category"], p + ".category");
        else
          problem(p + ".category", "is required");
      }
    if (auto it = doc.find("stages"); it != doc.end() && is_array(*it, "$.stages"))
      for (std::size_t i = 0; i < it->size(); ++i) {
        std::string p = fmt::format("$.stages[{}]", i);
        const json &s = (*it)[i];
        StageDef &st = def.stages.emplace_back();
        if (!is_object(s, p)) continue;
        only_keys(s, p, {"name", "statuses"});
        st.name = string(s, "name", p, true);
        st.statuses = strings(s, "statuses", p);
      }
    def.resolutions = strings(doc, "resolutions", "$");
    if (auto it = doc.find("slas"); it != doc.end() && is_array(*it, "$.slas"))
      for (std::size_t i = 0; i < it->size(); ++i) {
        std::string p = fmt::format("$.slas[{}]", i);
        const json &v = (*it)[i];
        if (!is_object(v, p)) continue;
        only_keys(v, p, {"name", "within", "business", "warn_percent", "pause_in", "stop_in"});
        SlaPolicyDef policy;
        policy.name = string(v, "name", p, true);
        policy.within = string(v, "within", p, true);
        policy.business = boolean(v, "business", p, false);
        if (auto w = v.find("warn_percent"); w != v.end()) {
          if (w->is_number_integer() && w->get<std::int64_t>() >= 0 && w->get<std::int64_t>() <= 99)
            policy.warn_percent = static_cast<int>(w->get<std::int64_t>());
          else
            problem(p + ".warn_percent", "must be an integer from 0 (no warning) to 99");
        }
        policy.pause_in = categories(v, "pause_in", p);
        policy.stop_in = categories(v, "stop_in", p);
        def.slas.push_back(std::move(policy));
      }
    if (auto it = doc.find("tasks"); it != doc.end() && is_array(*it, "$.tasks"))
      for (std::size_t i = 0; i < it->size(); ++i)
        def.tasks.push_back(task_kind((*it)[i], fmt::format("$.tasks[{}]", i)));
    if (auto it = doc.find("fields"); it != doc.end() && is_array(*it, "$.fields"))
      for (std::size_t i = 0; i < it->size(); ++i)
        def.fields.push_back(field((*it)[i], fmt::format("$.fields[{}]", i)));
    def.on_report = effects(doc, "on_report", "$");
    if (auto it = doc.find("actions"); it == doc.end())
      problem("$.actions", "is required");
    else if (is_array(*it, "$.actions"))
      for (std::size_t i = 0; i < it->size(); ++i)
        def.actions.push_back(action((*it)[i], fmt::format("$.actions[{}]", i)));
    if (auto it = doc.find("rules"); it != doc.end() && is_array(*it, "$.rules"))
      for (std::size_t i = 0; i < it->size(); ++i)
        def.rules.push_back(rule((*it)[i], fmt::format("$.rules[{}]", i)));
    return def;
  }
};

ordered_json effect_json(const EffectDef &e) {
  ordered_json j;
  j["type"] = e.type;
  for (const auto &[k, v] : e.params) j[k] = v;
  return j;
}

ordered_json effects_json(const std::vector<EffectDef> &effects) {
  ordered_json j = ordered_json::array();
  for (const auto &e : effects) j.push_back(effect_json(e));
  return j;
}

}  // namespace

namespace wf {

Parsed parse_definition(std::string_view text) {
  if (text.size() > limits::workflow_json_bytes)
    throw InvalidWorkflow("$", fmt::format("document is {} bytes; at most {} allowed", text.size(),
                                             limits::workflow_json_bytes));
  json doc = parse_json(text, {"$", "$", true});
  Reader reader;
  WorkflowDef def = reader.workflow(doc);
  return {std::move(def), std::move(reader.problems)};
}

}  // namespace wf

std::string Workflow::to_json() const {
  const WorkflowDef &d = *def_;
  ordered_json j;
  j["name"] = d.name;
  if (!d.title.empty()) j["title"] = d.title;
  j["initial"] = d.initial;
  j["statuses"] = ordered_json::array();
  for (const auto &s : d.statuses)
    j["statuses"].push_back({{"name", s.name}, {"colour", s.colour}, {"category", to_string(s.category)}});
  if (!d.stages.empty()) {
    j["stages"] = ordered_json::array();
    for (const auto &s : d.stages) j["stages"].push_back({{"name", s.name}, {"statuses", s.statuses}});
  }
  if (!d.resolutions.empty()) j["resolutions"] = d.resolutions;
  if (!d.on_report.empty()) j["on_report"] = effects_json(d.on_report);
  if (!d.slas.empty()) {
    auto categories = [](const std::vector<StatusCategory> &list) {
      ordered_json out = ordered_json::array();
      for (auto c : list) out.push_back(to_string(c));
      return out;
    };
    j["slas"] = ordered_json::array();
    for (const auto &p : d.slas) {
      ordered_json jp{{"name", p.name}, {"within", p.within}};
      if (p.business) jp["business"] = true;
      if (p.warn_percent) jp["warn_percent"] = p.warn_percent;
      if (!p.pause_in.empty()) jp["pause_in"] = categories(p.pause_in);
      if (!p.stop_in.empty()) jp["stop_in"] = categories(p.stop_in);
      j["slas"].push_back(std::move(jp));
    }
  }
  if (!d.tasks.empty()) {
    j["tasks"] = ordered_json::array();
    for (const auto &k : d.tasks) {
      ordered_json jk{{"name", k.name}};
      if (!k.title.empty()) jk["title"] = k.title;
      if (!k.groups.empty() || !k.users.empty() || !k.roles.empty()) {
        ordered_json to;
        if (!k.groups.empty()) to["groups"] = k.groups;
        if (!k.users.empty()) to["users"] = k.users;
        if (!k.roles.empty()) {
          to["roles"] = ordered_json::array();
          for (Role r : k.roles) to["roles"].push_back(to_string(r));
        }
        jk["assign_to"] = std::move(to);
      }
      if (!k.sla.empty()) jk["sla"] = k.sla;
      if (k.mandatory) jk["mandatory"] = true;
      if (k.access != TaskAccess::summary) jk["access"] = to_string(k.access);
      if (!k.instructions.empty()) jk["instructions"] = k.instructions;
      if (!k.send_template.empty()) jk["send_template"] = k.send_template;
      if (k.creator_may_change) jk["creator_may_change"] = true;
      j["tasks"].push_back(std::move(jk));
    }
  }
  if (!d.fields.empty()) {
    j["fields"] = ordered_json::array();
    for (const auto &f : d.fields) {
      ordered_json jf{{"name", f.name}};
      if (!f.label.empty()) jf["label"] = f.label;
      jf["type"] = to_string(f.type);
      if (!f.choices.empty()) jf["choices"] = f.choices;
      if (f.max_length != FieldDef{}.max_length) jf["max_length"] = f.max_length;
      if (f.min) jf["min"] = *f.min;
      if (f.max) jf["max"] = *f.max;
      if (!f.currency.empty()) jf["currency"] = f.currency;
      j["fields"].push_back(std::move(jf));
    }
  }
  j["actions"] = ordered_json::array();
  for (const auto &a : d.actions) {
    ordered_json ja;
    ja["name"] = a.name;
    if (a.label != a.name) ja["label"] = a.label;
    if (a.from_any)
      ja["from"] = "*";
    else
      ja["from"] = a.from;
    if (!a.from_categories.empty()) {
      ja["from_categories"] = ordered_json::array();
      for (auto c : a.from_categories) ja["from_categories"].push_back(to_string(c));
    }
    switch (a.to.kind) {
      case TargetDef::Kind::same: break;
      case TargetDef::Kind::status: ja["to"] = a.to.status; break;
      case TargetDef::Kind::input_status:
      case TargetDef::Kind::input_stage: ja["to"] = {{"input", a.to.input}}; break;
      case TargetDef::Kind::stage_category: ja["to"] = {{"stage_category", to_string(a.to.category)}}; break;
    }
    ja["allow"] = ordered_json::array();
    for (const auto &r : a.allow) {
      if (r.permissions.empty()) {
        ja["allow"].push_back(to_string(r.role));
        continue;
      }
      ordered_json perms = ordered_json::array();
      for (auto p : {Permission::delete_issues, Permission::release_payment, Permission::edit_issues,
                     Permission::manage_settings})
        if (r.permissions.has(p)) perms.push_back(to_string(p));
      ja["allow"].push_back({{"role", to_string(r.role)}, {"permissions", perms}});
    }
    if (!a.inputs.empty()) {
      ja["inputs"] = ordered_json::array();
      for (const auto &in : a.inputs) {
        ordered_json ji{{"name", in.name}, {"type", to_string(in.type)}};
        if (in.required) ji["required"] = true;
        if (in.max_length != InputDef{}.max_length) ji["max_length"] = in.max_length;
        if (!in.one_of.empty()) ji["one_of"] = in.one_of;
        if (!in.categories.empty()) {
          ji["categories"] = ordered_json::array();
          for (auto c : in.categories) ji["categories"].push_back(to_string(c));
        }
        ja["inputs"].push_back(std::move(ji));
      }
    }
    if (!a.guards.empty()) ja["guards"] = a.guards;
    if (!a.effects.empty()) ja["effects"] = effects_json(a.effects);
    if (!a.fields.empty()) ja["fields"] = a.fields;
    if (!a.required_fields.empty()) ja["required_fields"] = a.required_fields;
    j["actions"].push_back(std::move(ja));
  }
  if (!d.rules.empty()) {
    j["rules"] = ordered_json::array();
    for (const auto &r : d.rules) {
      ordered_json jr{{"on", r.on}};
      if (!r.task.empty()) jr["task"] = r.task;
      if (!r.stage.empty()) jr["stage"] = r.stage;
      jr["effects"] = effects_json(r.effects);
      j["rules"].push_back(std::move(jr));
    }
  }
  return j.dump(2);
}

}  // namespace complaints
