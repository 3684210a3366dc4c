// Case fields (docs/tasks.md, "Case fields"): the typed reporting fields a
// workflow declares, checked, written in their one text form, and logged on
// the timeline with their before and after.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "complaints/issue.hpp"
#include "complaints/timeline.hpp"
#include "complaints/workflow.hpp"

namespace complaints::engine {

using FieldValues = std::map<std::string, std::string, std::less<>>;

/// The one text form of `value` for field `def` ("" stays "": no value);
/// InvalidInput at `where` saying what is wrong with it.
std::string field_value(const FieldDef &def, std::string_view value, const std::string &where);

/// Sets the issue's fields from `values` (each name declared by the
/// workflow and, when `allowed` is not null, listed there; "" clears a
/// value), logging "field.<name>" before -> after on `entry`. InvalidInput at
/// "fields.<name>" for the first bad name or value; the issue is then unchanged.
void set_fields(const Workflow &wf, Issue &issue, const FieldValues &values, TimelineEntry &entry,
                const std::vector<std::string> *allowed);

/// InvalidInput at "fields.<name>" for the first field the action requires
/// that the issue has no value for.
void require_fields(const ActionDef &action, const Issue &issue);

}  // namespace complaints::engine
