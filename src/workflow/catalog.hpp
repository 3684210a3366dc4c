// What a workflow may name: effect types with their parameters, guards, and
// the built-in templates. Validation and the engine read the same tables, so
// a name the validator accepts is one the engine knows.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace complaints::wf {

enum class ParamKind {
  text,           ///< any non-empty name-like text
  choice,         ///< one of `choices`
  duration,       ///< "<n>m", "<n>h" or "<n>d"
  boolean,        ///< "true" / "false"
  template_name,  ///< a built-in template or one known to the database
  action_name,    ///< an action of the same workflow
  date_input,     ///< the name of one of the action's inputs of type date
  user_input,     ///< the name of one of the action's inputs of type user
};

struct ParamSpec {
  std::string_view name;
  ParamKind kind;
  bool required;
  std::vector<std::string_view> choices;  ///< for choice
};

struct EffectSpec {
  std::string_view type;
  std::vector<ParamSpec> params;
};

/// The effect types a workflow may use; nullptr for an unknown type.
const EffectSpec *effect_spec(std::string_view type) noexcept;
std::span<const EffectSpec> effect_specs() noexcept;

/// Guards a workflow may name.
bool is_known_guard(std::string_view name) noexcept;

/// Names of the templates shipped with the library.
std::span<const std::string_view> builtin_templates() noexcept;

/// Parses "30m", "48h", "4d"; nullopt for anything else (or more than ten years).
std::optional<std::chrono::minutes> parse_duration(std::string_view text) noexcept;

}  // namespace complaints::wf
