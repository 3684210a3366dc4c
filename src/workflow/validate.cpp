// Workflow validation (SPEC R3.2): every problem of a definition, each with
// its JSON path, in time linear in the size of the definition.
//
// Two passes. The first checks each value where it stands (names, references,
// inputs, effects) and resolves names to positions. The second builds a graph
// of the possible moves and searches it twice: forwards from the initial
// status (what can be reached, which actions can be taken) and backwards from
// the closed statuses (from where an issue can still be closed).
//
// A value the JSON reader could not read was reported by the reader: it is
// left out of the checks here. A name that does not resolve is reported where
// it is written; the graph then runs over what does resolve, and the checks
// that depend on the unresolved name are skipped (see docs/workflows.md).
#include <algorithm>
#include <array>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

#include "complaints/limits.hpp"
#include "domain/check.hpp"
#include "time/calendar.hpp"
#include "workflow/catalog.hpp"
#include "workflow/internal.hpp"

namespace complaints::wf {

namespace {

constexpr std::size_t kCategories = 5;  // open, active, pending, resolved, closed
using Mask = std::uint8_t;              // a set of categories
constexpr Mask kAllCategories = (1u << kCategories) - 1;

bool valid(StatusCategory c) { return static_cast<std::size_t>(c) < kCategories; }
Mask bit(StatusCategory c) { return static_cast<Mask>(1u << static_cast<unsigned>(c)); }

// A JSON path, spelt out only when needed: validation visits every value of
// a definition and most have no problem. A step refers to its parent, which
// must outlive it (make each from a named Path, or within one expression).
class Path {
 public:
  explicit Path(std::string_view root) : text_(root) {}
  Path(const Path &parent, std::string_view key) : parent_(&parent), text_(key) {}  // parent.key
  Path(const Path &parent, std::size_t index) : parent_(&parent), index_(index) {}  // parent[index]

  std::string str() const {
    std::string s;
    append_to(s);
    return s;
  }

 private:
  void append_to(std::string &s) const {
    if (parent_) {
      parent_->append_to(s);
      if (index_ == kNoIndex) s += '.';
    }
    if (index_ == kNoIndex)
      s += text_;
    else
      fmt::format_to(std::back_inserter(s), "[{}]", index_);
  }

  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);
  const Path *parent_ = nullptr;
  std::string_view text_;
  std::size_t index_ = kNoIndex;
};

const Path kRoot("$");

std::string not_a_duration(std::string_view value) {
  return fmt::format("'{}' is not a duration of 1m to {}d (e.g. 30m, 48h, 10d)", check::excerpt(value),
                     limits::duration_days);
}

std::string too_many(std::size_t n, const char *what, std::size_t limit) {
  return fmt::format("has {} {}; at most {} allowed", n, what, limit);
}

// A directed graph in compressed rows, built from an edge list.
class Graph {
 public:
  explicit Graph(std::uint32_t nodes) : nodes_(nodes) {}
  void edge(std::uint32_t from, std::uint32_t to) { edges_.emplace_back(from, to); }

  // Marks every node reachable from `start` along the edges (or against them).
  std::vector<bool> search(const std::vector<std::uint32_t> &start, bool backwards) const {
    std::vector<std::uint32_t> first(nodes_ + 1, 0), next(edges_.size());
    for (const auto &[a, b] : edges_) ++first[(backwards ? b : a) + 1];
    for (std::uint32_t v = 0; v < nodes_; ++v) first[v + 1] += first[v];
    std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
    for (const auto &[a, b] : edges_) {
      if (backwards)
        next[fill[b]++] = a;
      else
        next[fill[a]++] = b;
    }
    std::vector<bool> seen(nodes_, false);
    std::vector<std::uint32_t> todo;
    for (auto s : start)
      if (!seen[s]) {
        seen[s] = true;
        todo.push_back(s);
      }
    while (!todo.empty()) {
      std::uint32_t v = todo.back();
      todo.pop_back();
      for (std::uint32_t e = first[v]; e < first[v + 1]; ++e)
        if (!seen[next[e]]) {
          seen[next[e]] = true;
          todo.push_back(next[e]);
        }
    }
    return seen;
  }

 private:
  std::uint32_t nodes_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges_;
};

class Validator {
 public:
  Validator(const WorkflowDef &def, const ValidationContext &ctx, std::vector<WorkflowProblem> read, Index &index)
      : def_(def), problems_(std::move(read)), index_(index) {
    for (const auto &p : problems_) read_paths_.insert(p.path);
    templates_.insert(ctx.templates.begin(), ctx.templates.end());
    for (auto t : builtin_templates()) templates_.insert(std::string(t));
  }

  std::vector<WorkflowProblem> run() {
    if (!sizes()) return std::move(problems_);
    names();
    statuses();
    stages();
    resolutions();
    slas();
    task_kinds();
    fields();
    index_actions();
    effects(def_.on_report, Path(kRoot, "on_report"), nullptr);
    const Path actions(kRoot, "actions");
    for (std::size_t i = 0; i < def_.actions.size(); ++i) action(def_.actions[i], Path(actions, i));
    rules();
    graph();
    return std::move(problems_);
  }

 private:
  const WorkflowDef &def_;
  std::vector<WorkflowProblem> problems_;
  Index &index_;
  std::unordered_set<std::string> read_paths_;  // where the reader found problems
  std::unordered_set<std::string> templates_;
  std::vector<bool> indexed_;         // by status: its name resolves to it (good, and not a duplicate)
  std::vector<bool> category_known_;  // by status: its category could be read
  // Some status (action, input of the action at hand) has no name to resolve
  // references with: an unknown one may be that one, so it is not reported.
  bool status_name_unread_ = false;
  bool action_name_unread_ = false;
  bool sla_name_unread_ = false;
  std::unordered_set<std::string_view> sla_names_;
  std::unordered_set<std::string_view> field_names_;
  bool inputs_unread_ = false;

  // A problem, unless the reader already reported this value or one holding it.
  void problem(const Path &path, std::string message) {
    std::string p = path.str();
    if (!unread_text(p)) problems_.push_back({std::move(p), std::move(message)});
  }

  // True when the reader reported a problem at `path` or at a path holding it.
  bool unread(const Path &path) const { return !read_paths_.empty() && unread_text(path.str()); }
  bool unread_text(std::string_view path) const {
    if (read_paths_.empty()) return false;
    while (true) {
      if (read_paths_.count(std::string(path))) return true;
      std::size_t cut = path.find_last_of(".[");
      if (cut == std::string_view::npos || cut == 0) return false;
      path = path.substr(0, cut);
    }
  }

  // Why `value` is not a good name, or "".
  static std::string bad_name(const std::string &value) {
    try {
      check::name(value, "name", limits::name_bytes);
      return {};
    } catch (const InvalidInput &e) {
      return e.message();
    }
  }

  // Reports a bad name at `path`; false when it is bad.
  bool good_name(const std::string &value, const Path &path) {
    std::string why = bad_name(value);
    if (why.empty()) return true;
    problem(path, std::move(why));
    return false;
  }

  // The limits on counts come first: past one, nothing else is checked (the
  // checks would take the time the limits are there to bound).
  bool sizes() {
    bool ok = true;
    auto limit = [&](std::size_t n, std::size_t max, const char *key, const char *what) {
      if (n <= max) return;
      problem(Path(kRoot, key), too_many(n, what, max));
      ok = false;
    };
    limit(def_.statuses.size(), limits::workflow_statuses, "statuses", "statuses");
    limit(def_.stages.size(), limits::workflow_stages, "stages", "stages");
    limit(def_.actions.size(), limits::workflow_actions, "actions", "actions");
    limit(def_.tasks.size(), limits::workflow_task_kinds, "tasks", "task kinds");
    limit(def_.rules.size(), limits::workflow_rules, "rules", "rules");
    limit(def_.fields.size(), limits::workflow_fields, "fields", "case fields");
    return ok;
  }

  void names() {
    const Path name(kRoot, "name");
    if (good_name(def_.name, name) &&
        !std::all_of(def_.name.begin(), def_.name.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        }))
      problem(name, "must use only lower-case letters, digits, '-' and '_'");
  }

  const std::uint32_t *find_status(std::string_view name) const {
    auto it = index_.statuses.find(name);
    return it == index_.statuses.end() ? nullptr : &it->second;
  }
  // Reports `name` unless it is a status (or some status's name could not be read: it may be that one).
  void status_ref(const std::string &name, const Path &path) {
    if (!status_name_unread_ && !find_status(name))
      problem(path, fmt::format("unknown status '{}'", check::excerpt(name)));
  }

  void statuses() {
    const auto &list = def_.statuses;
    const Path statuses(kRoot, "statuses");
    if (list.empty()) problem(statuses, "must list at least one status");
    status_name_unread_ = unread(statuses);
    index_.statuses.reserve(list.size());
    indexed_.assign(list.size(), false);
    category_known_.assign(list.size(), true);
    bool any_closed = false, all_known = true;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto &s = list[i];
      const Path p(statuses, i);
      std::string why = bad_name(s.name);
      if (!why.empty()) {
        status_name_unread_ = status_name_unread_ || unread(Path(p, "name"));
        problem(Path(p, "name"), std::move(why));
      } else if (index_.statuses.emplace(s.name, static_cast<std::uint32_t>(i)).second) {
        indexed_[i] = true;
      } else {
        problem(Path(p, "name"), fmt::format("duplicate status '{}'", s.name));
      }
      try {
        check::colour(s.colour, "colour");
      } catch (const InvalidInput &e) {
        problem(Path(p, "colour"), e.message());
      }
      if (!valid(s.category)) problem(Path(p, "category"), "is not a known category");
      bool known = valid(s.category) && !unread(Path(p, "category"));
      category_known_[i] = known;
      all_known = all_known && known;
      any_closed = any_closed || (known && s.category == StatusCategory::closed);
    }
    if (!list.empty() && !any_closed && all_known) problem(statuses, "no status has category 'closed'");
    const Path initial(kRoot, "initial");
    if (def_.initial.empty()) {
      problem(initial, "is required");
    } else if (const std::uint32_t *i = find_status(def_.initial)) {
      if (category_known_[*i] && list[*i].category == StatusCategory::closed)
        problem(initial, "a new issue cannot start in a closed status");
    } else {
      status_ref(def_.initial, initial);
    }
  }

  void stages() {
    index_.stage_of.assign(def_.statuses.size(), Index::none);
    index_.stages.reserve(def_.stages.size());
    const Path stages(kRoot, "stages");
    for (std::size_t i = 0; i < def_.stages.size(); ++i) {
      const auto &st = def_.stages[i];
      const Path p(stages, i), members(p, "statuses");
      if (good_name(st.name, Path(p, "name")) && !index_.stages.emplace(st.name, static_cast<std::uint32_t>(i)).second)
        problem(Path(p, "name"), fmt::format("duplicate stage '{}'", st.name));
      if (st.statuses.empty()) problem(members, "must list at least one status");
      for (std::size_t j = 0; j < st.statuses.size(); ++j) {
        const std::uint32_t *s = find_status(st.statuses[j]);
        if (!s) {
          status_ref(st.statuses[j], Path(members, j));
        } else if (std::uint32_t &owner = index_.stage_of[*s]; owner == Index::none) {
          owner = static_cast<std::uint32_t>(i);
        } else {
          problem(Path(members, j),
                  fmt::format("status '{}' already belongs to stage '{}'", st.statuses[j], def_.stages[owner].name));
        }
      }
    }
  }

  void resolutions() {
    std::unordered_set<std::string_view> seen;
    const Path resolutions(kRoot, "resolutions");
    for (std::size_t i = 0; i < def_.resolutions.size(); ++i) {
      const Path p(resolutions, i);
      if (good_name(def_.resolutions[i], p) && !seen.insert(def_.resolutions[i]).second)
        problem(p, fmt::format("duplicate resolution '{}'", def_.resolutions[i]));
    }
  }

  // SLA policies (docs/time.md): each named once, with a duration the
  // engine can count and categories that make sense.
  void slas() {
    const Path slas(kRoot, "slas");
    sla_name_unread_ = unread(slas);
    for (std::size_t i = 0; i < def_.slas.size(); ++i) {
      const SlaPolicyDef &policy = def_.slas[i];
      const Path p(slas, i), name(p, "name");
      sla_name_unread_ = sla_name_unread_ || unread(name);
      if (good_name(policy.name, name) && !sla_names_.insert(policy.name).second)
        problem(name, fmt::format("duplicate SLA policy '{}'", policy.name));
      if (!timing::parse_span(policy.within))
        problem(Path(p, "within"), not_a_duration(policy.within));
      if (policy.warn_percent < 0 || policy.warn_percent > 99)
        problem(Path(p, "warn_percent"), "must be from 0 (no warning) to 99");
      const Path pause(p, "pause_in");
      categories(policy.pause_in, pause);
      categories(policy.stop_in, Path(p, "stop_in"));
      for (std::size_t j = 0; j < policy.pause_in.size(); ++j) {
        StatusCategory c = policy.pause_in[j];
        if (c == StatusCategory::closed)
          problem(Path(pause, j), "closed stops every clock; it cannot pause one");
        else if (std::find(policy.stop_in.begin(), policy.stop_in.end(), c) != policy.stop_in.end())
          problem(Path(pause, j), fmt::format("category '{}' is also in stop_in", to_string(c)));
      }
    }
  }

  // Task kinds (docs/tasks.md): each named once; its SLA policy and template
  // exist; whom it may be assigned to are good ids and staff roles.
  void task_kinds() {
    const Path tasks(kRoot, "tasks");
    std::unordered_set<std::string_view> names;
    for (std::size_t i = 0; i < def_.tasks.size(); ++i) {
      const TaskKindDef &k = def_.tasks[i];
      const Path p(tasks, i), name(p, "name");
      if (good_name(k.name, name) && !names.insert(k.name).second)
        problem(name, fmt::format("duplicate task kind '{}'", k.name));
      if (!k.title.empty()) good_text(k.title, Path(p, "title"), limits::name_bytes);
      const Path to(p, "assign_to");
      auto ids = [&](const std::vector<std::string> &list, const char *key) {
        const Path at(to, key);
        if (list.size() > limits::task_assignees) {
          problem(at, too_many(list.size(), key, limits::task_assignees));
          return;
        }
        std::unordered_set<std::string_view> seen;
        for (std::size_t j = 0; j < list.size(); ++j) {
          try {
            check::id(list[j], "id", limits::id_bytes);
            if (!seen.insert(list[j]).second)
              problem(Path(at, j), fmt::format("'{}' is listed twice", check::excerpt(list[j])));
          } catch (const InvalidInput &e) {
            problem(Path(at, j), e.message());
          }
        }
      };
      ids(k.groups, "groups");
      ids(k.users, "users");
      for (std::size_t j = 0; j < k.roles.size(); ++j)
        if (k.roles[j] == Role::customer || k.roles[j] == Role::system)
          problem(Path(Path(to, "roles"), j),
                  fmt::format("role '{}' cannot work tasks (admin, supervisor, office or fieldworker)",
                              to_string(k.roles[j])));
      if (!k.sla.empty() && !sla_name_unread_ && !sla_names_.count(k.sla))
        problem(Path(p, "sla"), fmt::format("unknown SLA policy '{}' (declare it under \"slas\")", check::excerpt(k.sla)));
      if (!k.send_template.empty() && !templates_.count(k.send_template))
        problem(Path(p, "send_template"), fmt::format("unknown template '{}'", check::excerpt(k.send_template)));
      good_text(k.instructions, Path(p, "instructions"), limits::note_bytes);
    }
  }

  // Case fields (docs/tasks.md): named once in lower-case letters, digits
  // and '_' (they are merge tags and filter keys); each option fits its type.
  void fields() {
    const Path fields(kRoot, "fields");
    for (std::size_t i = 0; i < def_.fields.size(); ++i) {
      const FieldDef &f = def_.fields[i];
      const Path p(fields, i), name(p, "name");
      if (good_name(f.name, name)) {
        if (!std::all_of(f.name.begin(), f.name.end(),
                         [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }))
          problem(name, "must use only lower-case letters, digits and '_'");
        else if (!field_names_.insert(f.name).second)
          problem(name, fmt::format("duplicate case field '{}'", f.name));
      }
      if (!f.label.empty()) good_text(f.label, Path(p, "label"), limits::name_bytes);
      bool choices = f.type == FieldType::choice || f.type == FieldType::multi_choice;
      const Path cp(p, "choices");
      if (choices && f.choices.empty() && !unread(cp)) problem(cp, "a choice field needs its choices");
      if (!choices && !f.choices.empty()) problem(cp, "only a choice or multi_choice field has choices");
      if (f.choices.size() > limits::field_choices) {
        problem(cp, too_many(f.choices.size(), "choices", limits::field_choices));
      } else {
        std::unordered_set<std::string_view> seen;
        for (std::size_t j = 0; j < f.choices.size(); ++j) {
          const Path at(cp, j);
          if (!good_name(f.choices[j], at)) continue;
          if (f.choices[j].find(';') != std::string::npos)
            problem(at, "a choice cannot hold ';' (it separates the options of a multi_choice value)");
          else if (!seen.insert(f.choices[j]).second)
            problem(at, fmt::format("'{}' is listed twice", check::excerpt(f.choices[j])));
        }
      }
      bool numeric = f.type == FieldType::number || f.type == FieldType::money;
      if (!numeric && (f.min || f.max)) problem(Path(p, f.min ? "min" : "max"), "only a number or money field has bounds");
      if (f.min && f.max && *f.min > *f.max) problem(Path(p, "max"), "is below min");
      if (f.max_length != FieldDef{}.max_length && f.type != FieldType::text)
        problem(Path(p, "max_length"), "only a text field has a max_length");
      const Path cur(p, "currency");
      if (f.type == FieldType::money) {
        if (f.currency.size() != 3 ||
            !std::all_of(f.currency.begin(), f.currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
          problem(cur, f.currency.empty() ? std::string("a money field needs its currency (\"GBP\")")
                                          : fmt::format("'{}' is not a currency code (three capital letters)",
                                                        check::excerpt(f.currency)));
      } else if (!f.currency.empty()) {
        problem(cur, "only a money field has a currency");
      }
    }
  }

  // An action's fields and required_fields name declared fields, once each.
  void field_refs(const std::vector<std::string> &list, const Path &path) {
    std::unordered_set<std::string_view> seen;
    for (std::size_t j = 0; j < list.size(); ++j) {
      const Path at(path, j);
      if (!unread(Path(kRoot, "fields")) && !field_names_.count(list[j]))
        problem(at, fmt::format("unknown case field '{}' (declare it under \"fields\")", check::excerpt(list[j])));
      else if (!seen.insert(list[j]).second)
        problem(at, fmt::format("'{}' is listed twice", check::excerpt(list[j])));
    }
  }

  // Rules (docs/tasks.md): a known event, a filter that fits it and names a
  // task kind or stage the workflow has, and effects that need no action inputs.
  void rules() {
    const Path rules(kRoot, "rules");
    for (std::size_t i = 0; i < def_.rules.size(); ++i) {
      const RuleDef &r = def_.rules[i];
      const Path p(rules, i);
      bool task_event = r.on == rule_on::task_created || r.on == rule_on::task_completed ||
                        r.on == rule_on::task_cancelled;
      if (!task_event && r.on != rule_on::stage_changed)
        problem(Path(p, "on"), fmt::format("unknown event '{}' (expected task_created, task_completed, task_cancelled "
                                           "or stage_changed)",
                                           check::excerpt(r.on)));
      if (!r.task.empty()) {
        if (!task_event)
          problem(Path(p, "task"), "only a task event's rule names a task kind");
        else if (!task_kind_named(r.task))
          problem(Path(p, "task"), fmt::format("unknown task kind '{}'", check::excerpt(r.task)));
      }
      if (!r.stage.empty()) {
        if (r.on != rule_on::stage_changed)
          problem(Path(p, "stage"), "only a stage_changed rule names a stage");
        else if (!unread(Path(kRoot, "stages")) && !index_.stages.count(r.stage))
          problem(Path(p, "stage"), fmt::format("unknown stage '{}'", check::excerpt(r.stage)));
      }
      effects(r.effects, Path(p, "effects"), nullptr);
    }
  }

  bool task_kind_named(std::string_view name) const {
    return std::any_of(def_.tasks.begin(), def_.tasks.end(), [&](const TaskKindDef &k) { return k.name == name; });
  }

  // Reports a text that is too long or holds control characters.
  void good_text(const std::string &value, const Path &path, std::size_t max_bytes) {
    try {
      check::text(value, "text", max_bytes, false);
    } catch (const InvalidInput &e) {
      problem(path, e.message());
    }
  }

  // Action names first: a timer effect may name an action defined after it.
  void index_actions() {
    index_.actions.reserve(def_.actions.size());
    const Path actions(kRoot, "actions");
    action_name_unread_ = unread(actions);
    for (std::size_t i = 0; i < def_.actions.size(); ++i) {
      const auto &a = def_.actions[i];
      const Path p(actions, i), name(p, "name");
      action_name_unread_ = action_name_unread_ || unread(name);
      if (good_name(a.name, name) && !index_.actions.emplace(a.name, static_cast<std::uint32_t>(i)).second)
        problem(name, fmt::format("duplicate action '{}'", a.name));
    }
  }

  // The action's input `name`; nullptr when it has none (or too many inputs to look through).
  static const InputDef *find_input(const ActionDef &a, std::string_view name) {
    if (a.inputs.size() > limits::action_inputs) return nullptr;
    for (const auto &in : a.inputs)
      if (in.name == name) return &in;
    return nullptr;
  }

  void categories(const std::vector<StatusCategory> &list, const Path &path) {
    for (std::size_t i = 0; i < list.size(); ++i)
      if (!valid(list[i])) problem(Path(path, i), "is not a known category");
  }

  void action(const ActionDef &a, const Path &p) {
    const Path from(p, "from");
    for (std::size_t i = 0; i < a.from.size(); ++i) status_ref(a.from[i], Path(from, i));
    categories(a.from_categories, Path(p, "from_categories"));
    if (!a.from_any && a.from.empty() && a.from_categories.empty())
      problem(from, "must name at least one status, category or \"*\"");
    const Path inputs_path(p, "inputs");
    inputs_unread_ = a.inputs.size() > limits::action_inputs || unread(inputs_path);
    if (a.inputs.size() > limits::action_inputs)
      problem(inputs_path, too_many(a.inputs.size(), "inputs", limits::action_inputs));
    else
      inputs(a, p);
    target(a, p);
    const Path guards(p, "guards");
    for (std::size_t i = 0; i < a.guards.size(); ++i)
      if (!is_known_guard(a.guards[i]))
        problem(Path(guards, i), fmt::format("unknown guard '{}' (expected {} or {})", check::excerpt(a.guards[i]),
                                             guard::no_open_tasks, guard::mandatory_tasks_done));
    effects(a.effects, Path(p, "effects"), &a);
    field_refs(a.fields, Path(p, "fields"));
    field_refs(a.required_fields, Path(p, "required_fields"));
    inputs_unread_ = false;
  }

  void inputs(const ActionDef &a, const Path &p) {
    std::unordered_set<std::string_view> names;
    const Path inputs(p, "inputs");
    for (std::size_t i = 0; i < a.inputs.size(); ++i) {
      const auto &in = a.inputs[i];
      const Path ip(inputs, i), one_of(ip, "one_of");
      inputs_unread_ = inputs_unread_ || unread(Path(ip, "name")) || unread(Path(ip, "type"));
      if (good_name(in.name, Path(ip, "name")) && !names.insert(in.name).second)
        problem(Path(ip, "name"), fmt::format("duplicate input '{}'", in.name));
      if (static_cast<unsigned>(in.type) > static_cast<unsigned>(InputType::user))
        problem(Path(ip, "type"), "is not a known input type");
      if (in.type != InputType::status && (!in.one_of.empty() || !in.categories.empty()))
        problem(ip, "one_of and categories apply to status inputs only");
      for (std::size_t j = 0; j < in.one_of.size(); ++j) status_ref(in.one_of[j], Path(one_of, j));
      categories(in.categories, Path(ip, "categories"));
      if (in.type == InputType::resolution && def_.resolutions.empty() && !unread(Path(kRoot, "resolutions")))
        problem(Path(ip, "type"), "resolution input, but the workflow lists no resolutions");
      if (in.type == InputType::stage && def_.stages.empty() && !unread(Path(kRoot, "stages")))
        problem(Path(ip, "type"), "stage input, but the workflow has no stages");
      if (in.max_length == 0 || in.max_length > limits::note_bytes)
        problem(Path(ip, "max_length"), fmt::format("must be from 1 to {}", limits::note_bytes));
    }
  }

  void target(const ActionDef &a, const Path &p) {
    const Path to(p, "to");
    switch (a.to.kind) {
      case TargetDef::Kind::same: return;
      case TargetDef::Kind::status: status_ref(a.to.status, to); return;
      case TargetDef::Kind::input_status:
      case TargetDef::Kind::input_stage: {
        if (inputs_unread_) return;  // (or too many to look through)
        const InputDef *in = find_input(a, a.to.input);
        InputType want = a.to.kind == TargetDef::Kind::input_status ? InputType::status : InputType::stage;
        const Path input(to, "input");
        if (!in)
          problem(input, fmt::format("no input named '{}'", check::excerpt(a.to.input)));
        else if (in->type != want)
          problem(input, fmt::format("input '{}' must be of type status or stage", in->name));
        else if (!in->required)
          problem(input, fmt::format("input '{}' decides the target, so it must be required", in->name));
        return;
      }
      case TargetDef::Kind::stage_category: {
        const Path category(to, "stage_category");
        if (def_.stages.empty() && !unread(Path(kRoot, "stages"))) problem(category, "the workflow has no stages");
        if (!valid(a.to.category)) problem(category, "is not a known category");
        return;
      }
    }
    problem(to, "is not a known kind of target");
  }

  void effects(const std::vector<EffectDef> &list, const Path &path, const ActionDef *owner) {
    if (list.size() > limits::effects_per_list) {
      problem(path, too_many(list.size(), "effects", limits::effects_per_list));
      return;
    }
    for (std::size_t i = 0; i < list.size(); ++i) effect(list[i], Path(path, i), owner);
    once_per_recipient(list, path, owner);
  }

  // A message is queued under "msg/<code>/<seq>/<recipient>/<template>": one
  // change sending one template twice to the same people would write one key
  // twice, and fail every time. Refused here rather than at every attempt.
  void once_per_recipient(const std::vector<EffectDef> &list, const Path &path, const ActionDef *owner) {
    std::vector<std::pair<std::pair<std::string_view, std::string_view>, std::size_t>> sent;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const EffectDef &e = list[i];
      if (e.type != "send_template") continue;
      auto t = e.params.find("template");
      auto to = e.params.find("to");
      std::string_view audience = to == e.params.end() ? "customer" : std::string_view(to->second);
      if (t == e.params.end() || (audience != "customer" && audience != "fieldworkers")) continue;
      auto key = std::make_pair(std::string_view(t->second), audience);
      auto earlier = std::find_if(sent.begin(), sent.end(), [&](const auto &s) { return s.first == key; });
      if (earlier == sent.end()) {
        sent.emplace_back(key, i);
        continue;
      }
      problem(Path(path, i),
              fmt::format("sends template '{}' to the {} again, as {} does: both messages would have the same "
                          "idempotency key, so {} would always fail",
                          check::excerpt(t->second), audience, Path(path, earlier->second).str(),
                          owner ? "taking the action" : "reporting an issue"));
    }
  }

  void effect(const EffectDef &e, const Path &p, const ActionDef *owner) {
    const EffectSpec *spec = effect_spec(e.type);
    if (!spec) {
      std::string known;
      for (const auto &s : effect_specs()) known += (known.empty() ? "" : ", ") + std::string(s.type);
      problem(Path(p, "type"), fmt::format("unknown effect '{}' (expected one of: {})", check::excerpt(e.type), known));
      return;
    }
    for (const auto &param : e.params) {
      const std::string &key = param.first;
      auto it = std::find_if(spec->params.begin(), spec->params.end(), [&](const auto &ps) { return ps.name == key; });
      if (it == spec->params.end())
        problem(Path(p, check::excerpt(key)),
                fmt::format("effect '{}' has no parameter '{}'", e.type, check::excerpt(key)));
    }
    for (const auto &ps : spec->params) {
      const Path pp(p, ps.name);
      auto it = e.params.find(ps.name);
      if (it == e.params.end()) {
        if (ps.required) problem(pp, fmt::format("effect '{}' needs parameter '{}'", e.type, ps.name));
        continue;
      }
      param(ps, it->second, pp, owner);
    }
  }

  void param(const ParamSpec &ps, const std::string &value, const Path &pp, const ActionDef *owner) {
    switch (ps.kind) {
      case ParamKind::text: good_name(value, pp); break;
      case ParamKind::choice:
        if (std::find(ps.choices.begin(), ps.choices.end(), value) == ps.choices.end()) {
          std::string opts;
          for (auto c : ps.choices) opts += (opts.empty() ? "" : ", ") + std::string(c);
          problem(pp, fmt::format("'{}' is not one of: {}", check::excerpt(value), opts));
        }
        break;
      case ParamKind::duration:
        if (!timing::parse_span(value))
          problem(pp, not_a_duration(value));
        break;
      case ParamKind::sla_policy:
        if (!sla_name_unread_ && !sla_names_.count(value))
          problem(pp, fmt::format("unknown SLA policy '{}' (declare it under \"slas\")", check::excerpt(value)));
        break;
      case ParamKind::boolean:
        if (value != "true" && value != "false") problem(pp, "must be true or false");
        break;
      case ParamKind::task_kind:
        if (!unread(Path(kRoot, "tasks")) && !task_kind_named(value))
          problem(pp, fmt::format("unknown task kind '{}' (declare it under \"tasks\")", check::excerpt(value)));
        break;
      case ParamKind::status_name: status_ref(value, pp); break;
      case ParamKind::template_name:
        if (!templates_.count(value)) problem(pp, fmt::format("unknown template '{}'", check::excerpt(value)));
        break;
      case ParamKind::timer_action: {
        if (action_name_unread_) break;
        auto it = index_.actions.find(value);
        if (it == index_.actions.end()) {
          problem(pp, fmt::format("unknown action '{}'", check::excerpt(value)));
          break;
        }
        const ActionDef &a = def_.actions[it->second];
        if (!Workflow::allowed(a, Actor{"system", Role::system, {}}))
          problem(pp, fmt::format("action '{}' must allow the system role: a timer takes it as the system", value));
        else if (std::any_of(a.inputs.begin(), a.inputs.end(), [](const InputDef &in) { return in.required; }))
          problem(pp, fmt::format("action '{}' requires inputs, which a timer cannot give", value));
        break;
      }
      case ParamKind::date_input:
      case ParamKind::user_input: {
        if (inputs_unread_) break;  // (or too many to look through)
        InputType want = ps.kind == ParamKind::date_input ? InputType::date : InputType::user;
        const InputDef *in = owner ? find_input(*owner, value) : nullptr;
        if (!in || in->type != want)
          problem(pp, fmt::format("the action has no {} input named '{}'", to_string(want), check::excerpt(value)));
        break;
      }
    }
  }

  // The categories a status input allows (all when it names none), and
  // whether one of its choices did not resolve (an unknown status in one_of,
  // a category that could not be read).
  std::pair<Mask, bool> choices(const InputDef &in, const Path &ip) const {
    bool unresolved = unread(Path(ip, "one_of")) || unread(Path(ip, "categories"));
    Mask mask = in.categories.empty() ? kAllCategories : 0;
    const Path categories(ip, "categories");
    for (std::size_t k = 0; k < in.categories.size(); ++k) {
      if (valid(in.categories[k]) && !unread(Path(categories, k)))
        mask |= bit(in.categories[k]);
      else
        unresolved = true;
    }
    for (const auto &name : in.one_of) unresolved = unresolved || !find_status(name);
    return {mask, unresolved};
  }

  void graph();
};

// The graph of moves. Besides one node per status and per action, hub nodes
// keep it linear in the definition: "a status of category c (in stage g)",
// "any status (in stage g)", "the statuses of category c" (a category input),
// "the first status of any stage" (a stage input), and "the status of
// category c of stage g" (a stage_category target, whose status depends on
// the stage the action starts from; out of every stage, it may be any stage's).
// Two more stand for names that do not resolve: `unknown` is an unresolved
// target, taken to close (so the statuses leading to it are not blamed for
// not closing) but to reach nothing; `unresolved_source` starts the forward
// search and leads to the actions with an unresolved source, which are taken
// to be startable.
//
// Statuses and stages are at most limits::workflow_statuses and
// limits::workflow_stages, so every node number fits in 32 bits.
void Validator::graph() {
  const std::uint32_t n = static_cast<std::uint32_t>(def_.statuses.size());
  const std::uint32_t slots = static_cast<std::uint32_t>(def_.stages.size()) + 1;  // the last: outside every stage
  const std::uint32_t outside = slots - 1;
  const std::uint32_t m = static_cast<std::uint32_t>(def_.actions.size());
  const std::uint32_t K = kCategories;
  const std::uint32_t src0 = n, src_cat0 = src0 + K * slots, any0 = src_cat0 + K, any_all = any0 + slots,
                      action0 = any_all + 1, stage_target0 = action0 + m, tgt_cat0 = stage_target0 + K * slots,
                      firsts = tgt_cat0 + K, unknown = firsts + 1, unresolved_source = unknown + 1,
                      total = unresolved_source + 1;
  auto src = [&](std::uint32_t c, std::uint32_t g) { return src0 + c * slots + g; };
  auto stage_target = [&](std::uint32_t g, std::uint32_t c) { return stage_target0 + c * slots + g; };
  auto cat = [](StatusCategory c) { return static_cast<std::uint32_t>(c); };
  auto slot_of = [&](std::uint32_t s) { return index_.stage_of[s] == Index::none ? outside : index_.stage_of[s]; };

  Graph g(total);
  std::vector<std::uint32_t> closed{unknown};
  std::array<std::size_t, kCategories> count{};  // indexed statuses of each known category
  std::size_t unknown_category = 0;
  for (std::uint32_t s = 0; s < n; ++s) {
    if (!indexed_[s]) continue;  // a bad or duplicate name: no move can name it
    std::uint32_t slot = slot_of(s);
    g.edge(s, any0 + slot);
    // A status whose category could not be read is taken to have every category.
    bool known = category_known_[s];
    if (known) ++count[cat(def_.statuses[s].category)];
    else ++unknown_category;
    for (std::uint32_t c = 0; c < K; ++c)
      if (!known || c == cat(def_.statuses[s].category)) {
        g.edge(s, src(c, slot));
        g.edge(tgt_cat0 + c, s);
      }
    if (!known || def_.statuses[s].category == StatusCategory::closed) closed.push_back(s);
  }
  for (std::uint32_t c = 0; c < K; ++c)
    for (std::uint32_t slot = 0; slot < slots; ++slot) g.edge(src(c, slot), src_cat0 + c);
  for (std::uint32_t slot = 0; slot < slots; ++slot) g.edge(any0 + slot, any_all);
  for (std::uint32_t st = 0; st < outside; ++st) {
    const auto &members = def_.stages[st].statuses;
    const std::uint32_t *first = members.empty() ? nullptr : find_status(members.front());
    g.edge(firsts, first ? *first : unknown);
    for (const auto &name : members) {
      const std::uint32_t *s = find_status(name);
      for (std::uint32_t c = 0; c < K; ++c)
        if (!s || !category_known_[*s] || c == cat(def_.statuses[*s].category))
          g.edge(stage_target(st, c), s ? *s : unknown);
    }
    for (std::uint32_t c = 0; c < K; ++c) g.edge(stage_target(outside, c), stage_target(st, c));
  }

  // Per action: who may take it, and whether a source did not resolve.
  std::vector<bool> allowed(m), source_unresolved(m);
  std::array<std::array<bool, kCategories>, kCategories> category_to_stage{};  // edges added for (from c, to c)
  std::array<bool, kCategories> any_to_stage{};
  const Path actions(kRoot, "actions");
  for (std::uint32_t j = 0; j < m; ++j) {
    const ActionDef &a = def_.actions[j];
    const Path p(actions, j), from_categories(p, "from_categories");
    allowed[j] = !a.allow.empty() || unread(Path(p, "allow"));
    if (!allowed[j]) continue;
    bool target_unread = unread(Path(p, "to"));
    bool by_stage = a.to.kind == TargetDef::Kind::stage_category && valid(a.to.category) && !target_unread;
    std::uint32_t to_cat = by_stage ? cat(a.to.category) : 0;
    bool unresolved = unread(Path(p, "from")) || unread(from_categories);
    for (const auto &f : a.from) {
      const std::uint32_t *s = find_status(f);
      if (!s) unresolved = true;
      else g.edge(*s, by_stage ? stage_target(slot_of(*s), to_cat) : action0 + j);
    }
    for (std::size_t k = 0; k < a.from_categories.size(); ++k) {
      StatusCategory c = a.from_categories[k];
      if (!valid(c) || unread(Path(from_categories, k))) {
        unresolved = true;
      } else if (!by_stage) {
        g.edge(src_cat0 + cat(c), action0 + j);
      } else if (!std::exchange(category_to_stage[cat(c)][to_cat], true)) {
        for (std::uint32_t slot = 0; slot < slots; ++slot) g.edge(src(cat(c), slot), stage_target(slot, to_cat));
      }
    }
    if (a.from_any && !by_stage) g.edge(any_all, action0 + j);
    if (a.from_any && by_stage && !std::exchange(any_to_stage[to_cat], true))
      for (std::uint32_t slot = 0; slot < slots; ++slot) g.edge(any0 + slot, stage_target(slot, to_cat));
    source_unresolved[j] = unresolved;
    if (unresolved) g.edge(unresolved_source, by_stage ? stage_target(outside, to_cat) : action0 + j);
    if (by_stage) continue;
    // Where a taken action leads.
    const std::uint32_t from = action0 + j;
    const InputDef *in = a.to.input.empty() ? nullptr : find_input(a, a.to.input);
    if (target_unread) {
      g.edge(from, unknown);
      continue;
    }
    switch (a.to.kind) {
      case TargetDef::Kind::same: break;
      case TargetDef::Kind::status: {
        const std::uint32_t *t = find_status(a.to.status);
        g.edge(from, t ? *t : unknown);
        break;
      }
      case TargetDef::Kind::input_status: {
        if (!in || in->type != InputType::status) {
          g.edge(from, unknown);
          break;
        }
        auto [mask, unresolved_choice] = choices(*in, Path(Path(p, "inputs"), std::size_t(in - a.inputs.data())));
        if (unresolved_choice) g.edge(from, unknown);
        for (const auto &name : in->one_of)
          if (const std::uint32_t *t = find_status(name);
              t && (!category_known_[*t] || (mask & bit(def_.statuses[*t].category))))
            g.edge(from, *t);
        if (in->one_of.empty())
          for (std::uint32_t c = 0; c < K; ++c)
            if (mask & (1u << c)) g.edge(from, tgt_cat0 + c);
        break;
      }
      case TargetDef::Kind::input_stage: g.edge(from, in && in->type == InputType::stage ? firsts : unknown); break;
      case TargetDef::Kind::stage_category: g.edge(from, unknown); break;  // an unknown category
    }
  }

  // set_status and set_stage_status effects (in actions, on_report and rules)
  // are taken to move from any status: looser than the engine, never stricter.
  auto effect_moves = [&](const std::vector<EffectDef> &list) {
    for (const auto &e : list) {
      if (e.type == "set_status") {
        auto it = e.params.find("status");
        const std::uint32_t *t = it == e.params.end() ? nullptr : find_status(it->second);
        g.edge(any_all, t ? *t : unknown);
      } else if (e.type == "set_stage_status") {
        auto it = e.params.find("category");
        auto c = it == e.params.end() ? std::nullopt : status_category_from_string(it->second);
        if (c) g.edge(any_all, tgt_cat0 + cat(*c));
      }
    }
  };
  effect_moves(def_.on_report);
  for (const auto &a : def_.actions) effect_moves(a.effects);
  for (const auto &r : def_.rules) effect_moves(r.effects);

  // Forwards from the initial status; backwards from the closed ones.
  const std::uint32_t *initial = find_status(def_.initial);
  std::vector<std::uint32_t> start{unresolved_source};
  if (initial) start.push_back(*initial);
  std::vector<bool> reached = g.search(start, false);
  std::vector<bool> closes = g.search(closed, true);

  const Path statuses(kRoot, "statuses");
  for (std::uint32_t s = 0; s < n; ++s) {
    if (!indexed_[s]) continue;
    // With no initial status to start from, reachability is unknown: only closing is checked.
    if (initial && !reached[s])
      problem(Path(statuses, s), fmt::format("status '{}' can never be reached: no action leads to it from '{}'",
                                               def_.statuses[s].name, def_.initial));
    else if (!closes[s])
      problem(Path(statuses, s), fmt::format("no closed status can be reached from '{}'", def_.statuses[s].name));
  }
  for (std::uint32_t j = 0; j < m; ++j) {
    const ActionDef &a = def_.actions[j];
    const Path p(actions, j), inputs(p, "inputs");
    if (!allowed[j]) {
      problem(Path(p, "allow"), fmt::format("action '{}' can never be taken: no role is allowed", a.name));
      continue;
    }
    bool startable = !initial || source_unresolved[j] || a.from_any;
    // (With every source resolved, each name and category below is known.)
    for (std::size_t k = 0; k < a.from.size() && !startable; ++k)
      if (const std::uint32_t *s = find_status(a.from[k])) startable = reached[*s];
    for (std::size_t k = 0; k < a.from_categories.size() && !startable; ++k)
      if (valid(a.from_categories[k])) startable = reached[src_cat0 + cat(a.from_categories[k])];
    if (!startable)
      problem(Path(p, "from"), fmt::format("action '{}' can never be taken: no reachable status it starts from", a.name));
    if (a.inputs.size() > limits::action_inputs) continue;
    for (std::size_t k = 0; k < a.inputs.size(); ++k) {
      const InputDef &in = a.inputs[k];
      if (in.type != InputType::status || !in.required) continue;
      auto [mask, unresolved_choice] = choices(in, Path(inputs, k));
      bool any = unresolved_choice || status_name_unread_ || (in.one_of.empty() && unknown_category > 0);
      for (const auto &name : in.one_of) {
        const std::uint32_t *t = find_status(name);
        any = any || (t && (!category_known_[*t] || (mask & bit(def_.statuses[*t].category))));
      }
      for (std::uint32_t c = 0; c < K && in.one_of.empty(); ++c) any = any || ((mask & (1u << c)) && count[c] > 0);
      if (!any)
        problem(inputs, fmt::format("action '{}' can never be taken: input '{}' allows no status", a.name, in.name));
    }
  }
}

}  // namespace

std::vector<WorkflowProblem> validate(const WorkflowDef &def, const ValidationContext &ctx,
                                      std::vector<WorkflowProblem> read, Index *index) {
  Index scratch;
  return Validator(def, ctx, std::move(read), index ? *index : scratch).run();
}

}  // namespace complaints::wf
