// cli/html.hpp - the dashboard as one self-contained HTML page (`complaints dashboard --html`).
//
// The page is HTML5 that is also well-formed XML: inline CSS and inline SVG
// only, no script, no font and nothing fetched from anywhere. Every text that
// came from the database is escaped. Each figure drawn carries its number as
// text and as attributes (data-figure, data-key, data-value) so that a
// program can read the page back. docs/cli.md ("dashboard") describes it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"

namespace complaints::cli {

/// One workflow's lifecycle as the page shows it.
struct WorkflowPicture {
  std::string workflow;            ///< its name
  std::string dot;                 ///< the library's DOT text; empty when it could not make one
  std::optional<std::string> svg;  ///< the `<svg>` element Graphviz drew, without prolog; nullopt: not drawn
  std::string problem;             ///< why there is no picture (shown on the page), empty when drawn
  bool dot_missing = false;        ///< no picture because Graphviz's `dot` is not on PATH
};

/// Draws a workflow's DOT (from complaints_workflow_draw) with Graphviz's
/// `dot -Tsvg` (run_dot in commands.hpp). Never throws for a missing or failing
/// `dot`: the result then has no svg and says why in `problem`.
/// Not thread-safe (ignores SIGPIPE while it talks to `dot`).
WorkflowPicture draw_workflow(const std::string &name, std::string dot);

/// The page. `dashboard` is complaints_dashboard's document, `holds` the
/// withheld holds of complaints_hold_list (an array), `pictures` the
/// workflows to draw. Throws nlohmann::json's exceptions only for documents
/// of another shape than the C API returns.
std::string dashboard_html(const json &dashboard, const json &holds, const std::vector<WorkflowPicture> &pictures);

/// Text made safe for HTML and XML, in elements and in quoted attributes:
/// & < > " ' become references; control characters XML forbids become U+FFFD.
std::string escape_html(std::string_view text);

/// A whole number of milliseconds as people read it: "0s", "45s", "12m", "3h 20m", "2d 4h".
std::string readable_duration(long long ms);

/// An amount in minor units as "AUD 180.00" (ISO 4217 exponent: 0, 2 or 3 decimals).
std::string readable_money(long long minor, const std::string &currency);

}  // namespace complaints::cli
