// The rows of the complaint register export (docs/reporting.md, "Export"):
// one table of columns, written as CSV or as JSON lines. The Desk reads the
// issues and their resolutions a page at a time (desk/desk_export.cpp); this
// turns each into text.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "complaints/issue.hpp"
#include "complaints/issue_export.hpp"
#include "complaints/workflow.hpp"

namespace complaints::report {

/// What the export's columns and resolutions depend on, taken from the
/// workflows installed when the export starts, so every page has the same columns.
struct RegisterPlan {
  std::vector<std::string> sla_names;    ///< the SLA policies of every workflow, sorted, each once
  std::vector<std::string> field_names;  ///< the case fields of every workflow, sorted, each once
  /// Per workflow, the timeline fields that record a resolution picked:
  /// "input.<name>" for each action input of type resolution.
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> resolution_fields;
  /// Every name in resolution_fields, each once, sorted.
  std::vector<std::string> all_resolution_fields;

  /// Adds one workflow's policies, fields and resolution inputs.
  void add(const WorkflowDef &def);
  /// Sorts and deduplicates; call once after the last add().
  void finish();
};

/// One issue as exported: its snapshot (with SLA clocks as of now) and the
/// resolution last picked (nullptr: none).
struct RegisterRow {
  const Issue &issue;
  const std::string *resolution;
};

/// Writes rows in one format with the plan's columns.
class RegisterWriter {
 public:
  RegisterWriter(ExportFormat format, const RegisterPlan &plan);
  /// The column names, in order.
  const std::vector<std::string> &columns() const noexcept { return columns_; }
  /// Appends the header (CSV: the column names; JSON lines: nothing).
  void header(std::string &out) const;
  /// Appends one row with its line end.
  void row(std::string &out, const RegisterRow &row) const;

 private:
  ExportFormat format_;
  const RegisterPlan &plan_;
  std::vector<std::string> columns_;
};

/// Appends `text` as one RFC 4180 field: as it is, or quoted with '"'
/// doubled when it holds a comma, a quote, CR or LF.
void csv_field(std::string &out, std::string_view text);

}  // namespace complaints::report
