// complaints/diagram.hpp - a workflow's lifecycle as a picture.
//
// Renders any validated Workflow as Graphviz DOT or as a Mermaid flowchart:
// statuses filled with their colour and grouped by stage, actions as edges
// labelled with their name and the roles allowed, timers and automatic rules
// drawn apart. docs/workflows.md ("Diagrams") says how each part is drawn and
// how to turn the text into a picture.
#pragma once

#include "complaints/export.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "complaints/workflow.hpp"

namespace complaints {

enum class DiagramFormat : std::uint8_t {
  dot,      ///< Graphviz DOT: `dot -Tsvg` draws it; self-contained (no images or font files)
  mermaid,  ///< a Mermaid flowchart, as GitHub and GitLab draw a ```mermaid block
};

/// "dot", "mermaid".
COMPLAINTS_API const char *to_string(DiagramFormat f) noexcept;
/// Inverse of to_string; nullopt for another name.
COMPLAINTS_API std::optional<DiagramFormat> diagram_format_from_string(std::string_view name) noexcept;

/// The workflow's lifecycle as text in `format`. Every name is escaped for
/// the language (and node ids are generated, never taken from a name), so
/// any valid workflow gives text its tool parses, each name on its own node
/// or edge. The same workflow always gives the same bytes. Takes time and
/// space linear in the size of the definition. Throws only std::bad_alloc.
/// Thread-safety: safe to call from any thread.
COMPLAINTS_API std::string workflow_diagram(const Workflow &workflow, DiagramFormat format);

}  // namespace complaints
