// Workflow internals shared by the parser, the validator and the engine.
#pragma once

#include <string_view>

#include "complaints/workflow.hpp"

namespace complaints::wf {

/// Parses a JSON document into a definition (no semantic validation).
/// Throws InvalidWorkflow with every schema problem.
WorkflowDef parse_definition(std::string_view text);

/// True when action `a` of `def` may start from `status`.
bool applies(const WorkflowDef &def, const ActionDef &a, std::string_view status) noexcept;

/// The JSON text of a built-in workflow, or "" for an unknown name.
std::string_view builtin_source(std::string_view name) noexcept;
/// Names of the built-in workflows.
std::vector<std::string> builtin_names();

}  // namespace complaints::wf
