// Checking a strict template before any data exists: whatever the values,
// so long as the context has a known shape, rendering it cannot fail on a
// missing tag or partial. Customer messages are checked this way when saved
// (SPEC R7.5), so a template that saves is one that sends.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "complaints/template_renderer.hpp"

namespace complaints::mustache {

/// The shape of every context a template is rendered against: the names an
/// object always has, and what each holds. Values are never absent; scalars
/// may be empty (or false, or zero) and lists empty, so every section may be
/// rendered or skipped.
struct Shape {
  enum class Kind : std::uint8_t {
    scalar,  ///< a string, number or boolean
    list,    ///< a list of objects, each with `members`
    object,  ///< an object with `members`
  };
  std::string name;  ///< the key it is found under ("" for the root)
  Kind kind = Kind::object;
  std::vector<Shape> members;  ///< object: its members; list: those of each item
  /// object: any name is a scalar member besides `members` (a map whose keys
  /// the data decides, e.g. an issue's case fields).
  bool open = false;
};

/// Walks every path through `tpl` (both sides of every section and inverted
/// section, whatever the data; partials, parents and the blocks that override
/// theirs, found in `partials`, which may be null), with the scopes `context`
/// gives at each point, and resolves each tag as the renderer does: the first
/// part of a name in the innermost scope that has it (a section over a list
/// makes the list's item the innermost scope; over a scalar, nothing new),
/// then each further part in the member before it.
///
/// Throws TemplateError, naming the template, line, column and tag, at the
/// first tag of a strict template that some data of this shape could make
/// miss: a name no scope has there, a partial or parent `partials` lacks, a
/// name read from the data ({{>*name}}: it could name anything); and, in any
/// template, a partial, parent or block that would expand into itself, and
/// nesting deeper than the template's max_depth. The template's
/// max_render_steps (unless 0) bounds the nodes the walk visits.
void check_strict(const Template &tpl, const Shape &context, const Partials *partials);

}  // namespace complaints::mustache
