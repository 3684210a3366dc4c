// What a workflow may name: effect types with their parameters, guards, and
// the built-in templates. There is one table of effects, in
// engine/effects.cpp, holding each effect's parameters and its handler
// together: validation reads the parameters from it, the engine runs the
// handler, so a workflow that validates is one the engine can run.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "complaints/workflow.hpp"

namespace complaints::engine {
struct EffectContext;
}

namespace complaints::wf {

enum class ParamKind {
  text,           ///< any non-empty name-like text
  choice,         ///< one of `choices`
  duration,       ///< "<n>m", "<n>h" or "<n>d" (timing::parse_span)
  boolean,        ///< "true" / "false"
  template_name,  ///< a built-in template or one known to the database
  timer_action,   ///< an action of the same workflow the system may take with no inputs
  sla_policy,     ///< an SLA policy the workflow declares
  date_input,     ///< the name of one of the action's inputs of type date
  user_input,     ///< the name of one of the action's inputs of type user
  task_kind,      ///< a task kind the workflow declares
  status_name,    ///< a status of the workflow
};

struct ParamSpec {
  std::string_view name;
  ParamKind kind;
  bool required;
  std::vector<std::string_view> choices;  ///< for choice
};

using EffectHandler = void (*)(engine::EffectContext &, const EffectDef &);

struct EffectSpec {
  std::string_view type;
  std::vector<ParamSpec> params;
  EffectHandler handler;
};

/// The effect types this build runs (defined with their handlers in
/// engine/effects.cpp); nullptr for any other type.
const EffectSpec *effect_spec(std::string_view type) noexcept;
std::span<const EffectSpec> effect_specs() noexcept;

/// Guards this build runs (ActionDef::guards).
bool is_known_guard(std::string_view name) noexcept;

/// Names of the templates shipped with the library.
std::span<const std::string_view> builtin_templates() noexcept;

}  // namespace complaints::wf
