// Workflow internals shared by the parser, the validator and the engine.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "complaints/workflow.hpp"

namespace complaints::wf {

/// A document as the reader understood it. A value it could not read is left
/// at its default in `def`, and reported in `problems` at its path.
struct Parsed {
  WorkflowDef def;
  std::vector<WorkflowProblem> problems;
};

/// Reads a JSON document into a definition, collecting every schema problem.
/// Throws InvalidWorkflow only when there is no document to read: too large,
/// not UTF-8, or malformed JSON (with line and column).
Parsed parse_definition(std::string_view text);

/// Names of a definition resolved to positions: the first status, stage and
/// action of each name, and the stage each status belongs to (the first one
/// listing it). Keys point into the definition, which must outlive the index.
struct Index {
  std::unordered_map<std::string_view, std::uint32_t> statuses;
  std::unordered_map<std::string_view, std::uint32_t> stages;
  std::unordered_map<std::string_view, std::uint32_t> actions;
  static constexpr std::uint32_t none = UINT32_MAX;
  std::vector<std::uint32_t> stage_of;  ///< by status position; `none` outside every stage
};

/// Every problem of `def`: the reader's `read` problems first, then those of
/// the semantic checks. A value at (or under) a path the reader reported is
/// left out of the checks, so one mistake is reported once. Fills `index`
/// (when not null) with the definition's names.
std::vector<WorkflowProblem> validate(const WorkflowDef &def, const ValidationContext &ctx,
                                      std::vector<WorkflowProblem> read, Index *index);

/// The JSON text of a built-in workflow, or "" for an unknown name.
std::string_view builtin_source(std::string_view name) noexcept;
/// Names of the built-in workflows.
std::vector<std::string> builtin_names();

}  // namespace complaints::wf
