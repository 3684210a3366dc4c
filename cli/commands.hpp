// cli/commands.hpp - the commands of the `complaints` tool, one run function each.
#pragma once

#include <initializer_list>
#include <utility>

#include "cli.hpp"

namespace complaints::cli {

// cmd_issues.cpp
int run_init(Context &);
int run_record_put(Context &);
int run_record_show(Context &);
int run_report(Context &);
int run_act(Context &);
int run_show(Context &);
int run_list(Context &);
int run_timeline(Context &);
int run_search(Context &);
// cmd_store.cpp
int run_verify(Context &);
int run_process_due(Context &);
int run_outbox_list(Context &);
int run_outbox_ack(Context &);
int run_export(Context &);
int run_delete_forever(Context &);
int run_scrub(Context &);
int run_backup(Context &);
// cmd_workflow.cpp
int run_workflow_list(Context &);
int run_workflow_show(Context &);
int run_workflow_validate(Context &);
int run_workflow_install(Context &);
int run_workflow_diagram(Context &);
// cmd_dashboard.cpp
int run_dashboard(Context &);

/// Copies each text option given into `request` under its key: {{"record-kind", "record_kind"}, ...}.
void put_text_options(const Args &args, std::initializer_list<std::pair<std::string_view, std::string_view>> names,
                      json &request);

/// The issue-list filter the options of `list` and `export` spell (--status, --open, ...).
json list_filter(const Args &args);
/// The options every filtering command takes.
const std::vector<OptionSpec> &filter_options();

/// A workflow's lifecycle diagram (complaints_workflow_diagram): format "dot", "mermaid", or "svg"
/// (the DOT drawn by Graphviz's `dot`, which must be on the PATH: Failure exit_code::system otherwise).
std::string diagram(const std::string &workflow_json, const std::string &format);
/// DOT text drawn as SVG by Graphviz's `dot -Tsvg` (found on PATH, run without a shell, given 60 s
/// and at most 32 MiB of output): the SVG, or nullopt with `problem` said (and `missing` set when
/// `dot` is not installed). Not thread-safe: ignores SIGPIPE while it talks to `dot`.
std::optional<std::string> run_dot(const std::string &dot, std::string &problem, bool &missing);
/// run_dot, or Failure exit_code::system saying why.
std::string dot_to_svg(const std::string &dot);

/// A document given on the command line: JSON text, "@FILE" for a file's, or "-" for standard input.
std::string document_argument(const std::string &value, std::string_view option);

}  // namespace complaints::cli
