// cli/commands.cpp - the table of commands: names, operands, options, how each opens the store.
#include "commands.hpp"

namespace complaints::cli {

const std::vector<OptionSpec> &filter_options() {
  static const std::vector<OptionSpec> options = {
      {"record", true, "KIND:ID, one record's issues"},
      {"record-kind", true, "quote, booking or invoice"},
      {"workflow", true, "issues in this workflow"},
      {"status", true, "issues in this status"},
      {"category", true, "open, active, waiting or closed (repeatable)"},
      {"open", false, "issues not closed"},
      {"stage", true, "issues in this stage"},
      {"type", true, "issues of this type"},
      {"fieldworker", true, "issues naming this fieldworker"},
      {"assignee", true, "issues assigned to this user"},
      {"owner", true, "issues reported by or assigned to this user"},
      {"customer", true, "issues of this customer"},
      {"to-follow", false, "issues marked To Follow"},
      {"created-from", true, "reported at or after this instant"},
      {"created-to", true, "reported before this instant"},
      {"after", true, "issues numbered above this"},
      {"filter", true, "the whole filter as JSON (docs/c-api.md), @FILE or - for stdin"},
  };
  return options;
}

namespace {

std::vector<OptionSpec> with_filters(std::vector<OptionSpec> own) {
  own.insert(own.end(), filter_options().begin(), filter_options().end());
  return own;
}

}  // namespace

const std::vector<Command> &commands() {
  static const std::vector<Command> table = {
      {"init", "", "create the database (or PostgreSQL schema) and install built-in workflows",
       {{"workflow", true, "a built-in workflow to install as well (repeatable; needs --perm manage_settings)"}},
       0, 0, Store::create, run_init},
      {"record put", "KIND:ID", "register a quote, booking or invoice the host knows",
       {{"customer", true, "the customer's user id (required)"},
        {"fieldworker", true, "a fieldworker assigned to it (repeatable)"},
        {"visibility", true, "restricted (default) or all"},
        {"invoice", true, "the invoice id of a booking"},
        {"paid-out", false, "the fieldworkers were paid already"}},
       1, 1, Store::write, run_record_put},
      {"record show", "KIND:ID", "a record", {}, 1, 1, Store::read, run_record_show},
      {"report", "KIND:ID", "report an issue against a record",
       {{"description", true, "what went wrong (required unless --request)"},
        {"type", true, "an issue type"},
        {"workflow", true, "the workflow (default field-service)"},
        {"channel", true, "office, phone, email, customer_portal, import..."},
        {"fieldworker", true, "a responsible fieldworker (repeatable; default all of the record's)"},
        {"request", true, "the whole request as JSON (docs/c-api.md), @FILE or - for stdin"}},
       0, 1, Store::write, run_report},
      {"act", "CODE ACTION", "take a workflow action on an issue",
       {{"input", true, "NAME=VALUE, one of the action's inputs (repeatable)"},
        {"field", true, "NAME=VALUE, a case field the action sets (repeatable)"},
        {"expected-version", true, "refuse (conflict) unless the issue is at this version"}},
       2, 2, Store::write, run_act},
      {"show", "CODE", "an issue, with the actions the actor could take", {}, 1, 1, Store::read, run_show},
      {"list", "", "issues matching a filter, by number",
       with_filters({{"limit", true, "at most this many (default 100, 1 to 10,000)"},
                     {"all", false, "every matching issue, page by page"}}),
       0, 0, Store::read, run_list},
      {"timeline", "CODE", "an issue's timeline", {}, 1, 1, Store::read, run_timeline},
      {"search", "TEXT", "full-text search of descriptions, comments and attachment names",
       {{"limit", true, "at most this many hits (default 50, 1 to 10,000)"}}, 1, 1, Store::read, run_search},
      {"verify", "[CODE]", "check the hash chain of every issue's timeline, or of one", {}, 0, 1, Store::read,
       run_verify},
      {"process-due", "", "run what is due: timers, SLA warnings and breaches, reminders",
       {{"loop", false, "keep running, sleeping until the next due item; stop on SIGTERM or SIGINT"},
        {"limit", true, "items per batch (default 100, 1 to 10,000)"},
        {"max-sleep", true, "with --loop, look again at least every this many seconds (default 60, 1 to 86,400)"}},
       0, 0, Store::write, run_process_due},
      {"outbox list", "", "undelivered outbox items, oldest first",
       {{"limit", true, "at most this many (default 100, 1 to 10,000)"},
        {"after", true, "items with an id above this"}},
       0, 0, Store::read, run_outbox_list},
      {"outbox ack", "ID...", "acknowledge delivered outbox items", {}, 1, 10000, Store::write, run_outbox_ack},
      {"workflow list", "", "the installed workflows", {}, 0, 0, Store::read, run_workflow_list},
      {"workflow show", "NAME", "an installed workflow: statuses and actions", {}, 1, 1, Store::read,
       run_workflow_show},
      {"workflow validate", "FILE", "check a workflow file without installing it", {}, 1, 1, Store::none,
       run_workflow_validate},
      {"workflow install", "FILE", "install (or replace) a workflow from a file, or --builtin NAME",
       {{"builtin", true, "a built-in workflow instead of a file: field-service, staged-escalation, customer-confirmation"}},
       0, 1, Store::write, run_workflow_install},
      {"workflow diagram", "NAME", "an installed workflow's lifecycle as a picture (or --file FILE's)",
       {{"format", true, "dot (default), mermaid or svg (svg needs Graphviz's dot)"},
        {"file", true, "draw this workflow file instead of an installed workflow"}},
       0, 1, Store::read, run_workflow_diagram},
      {"dashboard", "", "the figures of the issues reported in a period",
       {{"from", true, "start of the period, RFC 3339 (required)"},
        {"to", true, "end of the period, exclusive (required)"},
        {"workflow", true, "only this workflow"},
        {"record-kind", true, "only quote, booking or invoice"},
        {"type", true, "only this issue type"},
        {"fieldworker", true, "only this fieldworker's issues"},
        {"stage", true, "only this stage"},
        {"repeat-days", true, "repeat complaints within this many days (default 30)"},
        {"top", true, "rows of each top list (default 10)"},
        {"stalled-after-hours", true, "holds older than this are stalled (default 336)"},
        {"html", true, "write a self-contained HTML page with charts to this file"}},
       0, 0, Store::read, run_dashboard},
      {"export", "FILE", "the complaint register as CSV or JSON lines (FILE - for stdout)",
       with_filters({{"format", true, "csv (default) or json_lines"},
                     {"page-issues", true, "issues read per transaction (default 500, 1 to 10,000)"}}),
       1, 1, Store::read, run_export},
      {"delete-forever", "CODE", "erase an issue and everything about it (GDPR); needs a named admin",
       {}, 1, 1, Store::write, run_delete_forever},
      {"scrub", "", "make erased text unrecoverable from the database files now", {}, 0, 0, Store::write,
       run_scrub},
      {"backup", "FILE", "copy a live SQLite database consistently to FILE, then verify the copy",
       {{"no-verify", false, "copy only"}}, 1, 1, Store::none, run_backup},
  };
  return table;
}

}  // namespace complaints::cli
