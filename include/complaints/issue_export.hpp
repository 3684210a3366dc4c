// complaints/issue_export.hpp - the complaint register as CSV or JSON lines.
//
// Desk::export_issues writes one row per issue (its fields, case fields,
// current SLA state and resolution) to a sink the host gives, a chunk at a
// time, reading the issues a page at a time: a million issues export in the
// memory of one page. docs/reporting.md ("Export") names every column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "complaints/issue.hpp"

namespace complaints {

enum class ExportFormat : std::uint8_t {
  csv,         ///< RFC 4180: a header row, CRLF line ends, fields quoted when needed ('"' doubled), UTF-8 without BOM
  json_lines,  ///< one JSON object per line (LF), no header
};

COMPLAINTS_API const char *to_string(ExportFormat f) noexcept;
COMPLAINTS_API std::optional<ExportFormat> export_format_from_string(std::string_view name) noexcept;

/// Input of Desk::export_issues.
struct ExportOptions {
  ExportFormat format = ExportFormat::csv;
  /// Which issues: every criterion of Desk::list. `after_number` starts the
  /// export after that issue (to resume one); `limit` is not used (the
  /// export runs to the last matching issue).
  IssueFilter filter{};
  /// Issues read per page, each page in its own read transaction (1 to
  /// limits::page_items). What the export holds at once is one page's rows.
  std::size_t page_issues = 500;
};

/// Receives the export in order, one chunk (a page of rows; the header first
/// with the first page) per call, on the calling thread, outside the desk's
/// lock: it may call the desk. The text is valid during the call only. An
/// exception it throws stops the export and leaves Desk::export_issues as it is.
using ExportSink = std::function<void(std::string_view chunk)>;

/// What Desk::export_issues wrote.
struct ExportSummary {
  std::int64_t rows = 0;          ///< issues written
  std::int64_t last_number = 0;   ///< the number of the last issue written (0: none)
  std::vector<std::string> columns;  ///< the CSV header's columns, in order (the same for JSON lines)
  friend bool operator==(const ExportSummary &, const ExportSummary &) = default;
};

}  // namespace complaints
