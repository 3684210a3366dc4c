// Workflow values: construction (always validated) and lookups by name.
#include "complaints/workflow.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "domain/check.hpp"
#include "workflow/internal.hpp"

namespace complaints {

std::vector<WorkflowProblem> Workflow::validate(const WorkflowDef &def, const ValidationContext &ctx) {
  return wf::validate(def, ctx, {}, nullptr);
}

// The index refers to the definition's strings, so it is built from the
// definition in its final place, and travels with it.
Workflow Workflow::validated(std::shared_ptr<const WorkflowDef> def, const ValidationContext &ctx,
                             std::vector<WorkflowProblem> read_problems) {
  auto index = std::make_shared<wf::Index>();
  auto problems = wf::validate(*def, ctx, std::move(read_problems), index.get());
  if (!problems.empty()) throw InvalidWorkflow(std::move(problems));
  return Workflow(std::move(def), std::move(index));
}

Workflow Workflow::from_definition(WorkflowDef def, const ValidationContext &ctx) {
  return validated(std::make_shared<const WorkflowDef>(std::move(def)), ctx, {});
}

Workflow Workflow::from_json(std::string_view json_text, const ValidationContext &ctx) {
  wf::Parsed parsed = wf::parse_definition(json_text);
  return validated(std::make_shared<const WorkflowDef>(std::move(parsed.def)), ctx, std::move(parsed.problems));
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

namespace {

template <typename T>
const T *find(const std::unordered_map<std::string_view, std::uint32_t> &index, const std::vector<T> &items,
              std::string_view name) noexcept {
  auto it = index.find(name);
  return it == index.end() ? nullptr : &items[it->second];
}

}  // namespace

const StatusDef *Workflow::status(std::string_view name) const noexcept {
  return find(index_->statuses, def_->statuses, name);
}

const StageDef *Workflow::stage(std::string_view name) const noexcept {
  return find(index_->stages, def_->stages, name);
}

const SlaPolicyDef *Workflow::sla(std::string_view name) const noexcept {
  for (const auto &p : def_->slas)  // a handful at most: no index
    if (p.name == name) return &p;
  return nullptr;
}

const TaskKindDef *Workflow::task_kind(std::string_view name) const noexcept {
  for (const auto &k : def_->tasks)  // a handful at most: no index
    if (k.name == name) return &k;
  return nullptr;
}

const FieldDef *Workflow::field(std::string_view name) const noexcept {
  for (const auto &f : def_->fields)  // at most limits::workflow_fields: no index
    if (f.name == name) return &f;
  return nullptr;
}

const ActionDef *Workflow::action(std::string_view name) const noexcept {
  return find(index_->actions, def_->actions, name);
}

const StageDef *Workflow::stage_of(std::string_view status) const noexcept {
  auto it = index_->statuses.find(status);
  if (it == index_->statuses.end() || index_->stage_of[it->second] == wf::Index::none) return nullptr;
  return &def_->stages[index_->stage_of[it->second]];
}

bool Workflow::applies(const ActionDef &a, std::string_view status_name) const noexcept {
  if (a.from_any) return true;
  if (std::find(a.from.begin(), a.from.end(), status_name) != a.from.end()) return true;
  if (a.from_categories.empty()) return false;
  const StatusDef *s = status(status_name);
  return s && std::find(a.from_categories.begin(), a.from_categories.end(), s->category) != a.from_categories.end();
}

bool Workflow::allowed(const ActionDef &a, const Actor &actor) noexcept {
  for (const auto &rule : a.allow)
    if (rule.role == actor.role && actor.permissions.has_all(rule.permissions)) return true;
  return false;
}

}  // namespace complaints
