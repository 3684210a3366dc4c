// cli/cmd_issues.cpp - init, records, and one issue at a time: report, act, show, list, timeline, search.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "commands.hpp"

namespace complaints::cli {

namespace {

// "KIND:ID" as the C API's record reference.
json record_ref(const std::string &text, std::string_view option) {
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw UsageError{std::string(option) + ": '" + text + "' is not KIND:ID (booking:BK-7)"};
  }
  return json{{"kind", text.substr(0, colon)}, {"id", text.substr(colon + 1)}};
}

// NAME=VALUE pairs of a repeatable option, as an object.
json pairs(const Args &args, std::string_view option) {
  json out = json::object();
  for (const auto &pair : args.all(option)) {
    const auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw UsageError{"--" + std::string(option) + ": '" + pair + "' is not NAME=VALUE"};
    }
    out[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  return out;
}

json parse_document(const std::string &text, std::string_view option) {
  try {
    return json::parse(text);
  } catch (const json::parse_error &e) {
    throw Failure{exit_code::of_library(COMPLAINTS_EINVALID),
                  "--" + std::string(option) + ": not JSON (at byte " + std::to_string(e.byte) + ")"};
  }
}

// One issue as "field  value" lines.
void print_issue(const json &issue) {
  std::vector<std::vector<std::string>> rows;
  for (const char *key : {"code", "status", "category", "stage", "workflow", "type", "record", "customer_id",
                          "fieldworkers", "assignee", "description", "to_follow", "follow_up_date", "channel",
                          "reporter_id", "created_at", "updated_at", "version", "fields"}) {
    if (!issue.contains(key)) continue;
    const json &v = issue[key];
    if (std::string_view(key) == "record" && v.is_object()) {
      rows.push_back({key, cell(v["kind"]) + ":" + cell(v["id"])});
    } else {
      rows.push_back({key, cell(v)});
    }
  }
  for (const auto &t : issue.value("timers", json::array())) {
    rows.push_back({"timer", cell(t["name"]) + " at " + cell(t["due_at"])});
  }
  for (const auto &s : issue.value("slas", json::array())) {
    rows.push_back({"sla", cell(s["name"]) + " " + cell(s["state"]) + ", due " + cell(s["due_at"]) +
                               (s.value("breached", false) ? ", breached" : "")});
  }
  print_table(stdout, {"field", "value"}, rows, 100);
}

std::vector<std::string> issue_row(const json &i) {
  return {cell(i["code"]),   cell(i["status"]), cell(i["workflow"]),
          cell(i["record"]["kind"]) + ":" + cell(i["record"]["id"]), cell(i["type"]), cell(i["assignee"]),
          cell(i["created_at"]), cell(i["description"])};
}

const std::vector<std::string> issue_header = {"CODE", "STATUS", "WORKFLOW", "RECORD",
                                               "TYPE", "ASSIGNEE", "REPORTED", "DESCRIPTION"};

}  // namespace

std::string document_argument(const std::string &value, std::string_view option) {
  if (value == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  if (!value.empty() && value[0] == '@') {
    std::ifstream in(value.substr(1), std::ios::binary);
    if (!in) {
      throw Failure{exit_code::system, "--" + std::string(option) + ": " + value.substr(1) + ": " + std::strerror(errno)};
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  return value;
}

void put_text_options(const Args &args, std::initializer_list<std::pair<std::string_view, std::string_view>> names,
                      json &request) {
  for (const auto &[option, key] : names) {
    if (auto v = args.value(option)) request[std::string(key)] = *v;
  }
}

json list_filter(const Args &args) {
  json f = json::object();
  if (auto base = args.value("filter")) {
    f = parse_document(document_argument(*base, "filter"), "filter");
    if (!f.is_object()) throw Failure{exit_code::of_library(COMPLAINTS_EINVALID), "--filter: not a JSON object"};
  }
  if (auto r = args.value("record")) f["record"] = record_ref(*r, "--record");
  put_text_options(args,
                   {{"record-kind", "record_kind"}, {"workflow", "workflow"}, {"status", "status"}, {"stage", "stage"},
                    {"type", "type"}, {"fieldworker", "fieldworker"}, {"assignee", "assignee"}, {"owner", "owner"},
                    {"customer", "customer_id"}, {"created-from", "created_from"}, {"created-to", "created_to"}},
                   f);
  if (args.has("category")) f["categories"] = args.all("category");
  if (args.has("open")) f["open"] = true;
  if (args.has("to-follow")) f["to_follow"] = true;
  if (auto after = args.integer("after", 0, INT64_MAX)) f["after_number"] = *after;
  return f;
}

int run_init(Context &c) {
  complaints_desk *desk = c.desk();
  for (const auto &name : c.args().all("workflow")) {
    c.check(complaints_workflow_install_builtin(desk, c.actor(), name.c_str()));
  }
  const json workflows = c.call([&](char **out) { return complaints_workflow_list(desk, out, c.actor()); });
  if (c.json_output()) {
    c.print_json(json{{"store", c.global().postgres.empty() ? c.global().db : "postgres"}, {"workflows", workflows}});
  } else {
    std::printf("%s is ready; workflows:", c.global().postgres.empty() ? c.global().db.c_str() : "the PostgreSQL schema");
    for (const auto &w : workflows) std::printf(" %s", w.get<std::string>().c_str());
    std::printf("\n");
  }
  return exit_code::ok;
}

int run_record_put(Context &c) {
  json record = record_ref(c.args().positional[0], "KIND:ID");
  auto customer = c.args().value("customer");
  if (!customer) throw UsageError{"record put needs --customer"};
  record["customer_id"] = *customer;
  record["fieldworkers"] = c.args().all("fieldworker");
  if (auto v = c.args().value("visibility")) record["visibility"] = *v;
  if (auto v = c.args().value("invoice")) record["invoice_id"] = *v;
  if (c.args().has("paid-out")) record["paid_out"] = true;
  complaints_desk *desk = c.desk();
  c.check(complaints_record_put(desk, c.actor(), record.dump().c_str()));
  const std::string kind = record["kind"], id = record["id"];
  const json stored =
      c.call([&](char **out) { return complaints_record_get(desk, out, c.actor(), kind.c_str(), id.c_str()); });
  if (c.json_output()) c.print_json(stored);
  else std::printf("%s:%s registered\n", kind.c_str(), id.c_str());
  return exit_code::ok;
}

int run_record_show(Context &c) {
  const json ref = record_ref(c.args().positional[0], "KIND:ID");
  const std::string kind = ref["kind"], id = ref["id"];
  const json record =
      c.call([&](char **out) { return complaints_record_get(c.desk(), out, c.actor(), kind.c_str(), id.c_str()); });
  if (c.json_output()) {
    c.print_json(record);
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto &[key, value] : record.items()) rows.push_back({key, cell(value)});
    print_table(stdout, {"field", "value"}, rows, 100);
  }
  return exit_code::ok;
}

int run_report(Context &c) {
  const Args &a = c.args();
  json request;
  if (auto r = a.value("request")) {
    if (!a.positional.empty() || a.has("description")) throw UsageError{"--request holds the whole request: no KIND:ID or --description"};
    request = parse_document(document_argument(*r, "request"), "request");
  } else {
    if (a.positional.empty()) throw UsageError{"report needs KIND:ID (or --request)"};
    auto description = a.value("description");
    if (!description) throw UsageError{"report needs --description"};
    request = json{{"record", record_ref(a.positional[0], "KIND:ID")}, {"description", *description}};
    if (auto v = a.value("type")) request["type"] = *v;
    if (auto v = a.value("workflow")) request["workflow"] = *v;
    if (auto v = a.value("channel")) request["channel"] = *v;
    if (a.has("fieldworker")) request["fieldworkers"] = a.all("fieldworker");
  }
  const std::string text = request.dump();
  const json issue = c.call([&](char **out) { return complaints_issue_report(c.desk(), out, c.actor(), text.c_str()); });
  if (c.json_output()) c.print_json(issue);
  else std::printf("%s reported: %s\n", cell(issue["code"]).c_str(), cell(issue["status"]).c_str());
  return exit_code::ok;
}

int run_act(Context &c) {
  const Args &a = c.args();
  json request{{"action", a.positional[1]}};
  if (a.has("input")) request["inputs"] = pairs(a, "input");
  if (a.has("field")) request["fields"] = pairs(a, "field");
  if (auto v = a.integer("expected-version", 1, INT64_MAX)) request["expected_version"] = *v;
  const std::string text = request.dump();
  const json issue = c.call([&](char **out) {
    return complaints_issue_act(c.desk(), out, c.actor(), a.positional[0].c_str(), text.c_str());
  });
  if (c.json_output()) c.print_json(issue);
  else std::printf("%s: %s (version %s)\n", cell(issue["code"]).c_str(), cell(issue["status"]).c_str(),
                   cell(issue["version"]).c_str());
  return exit_code::ok;
}

int run_show(Context &c) {
  const char *code = c.args().positional[0].c_str();
  complaints_desk *desk = c.desk();
  json issue = c.call([&](char **out) { return complaints_issue_get(desk, out, c.actor(), code); });
  const json actions = c.call([&](char **out) { return complaints_issue_actions(desk, out, c.actor(), code); });
  if (c.json_output()) {
    c.print_json(json{{"issue", issue}, {"actions", actions}});
    return exit_code::ok;
  }
  print_issue(issue);
  std::string names;
  for (const auto &n : actions) names += (names.empty() ? "" : ", ") + n.get<std::string>();
  std::printf("\nactions %s may take: %s\n", c.global().actor_id.c_str(), names.empty() ? "(none)" : names.c_str());
  return exit_code::ok;
}

int run_list(Context &c) {
  json filter = list_filter(c.args());
  const bool all = c.args().has("all");
  const long long limit = c.args().integer("limit", 1, 10000).value_or(all ? 1000 : 100);
  filter["limit"] = limit;
  complaints_desk *desk = c.desk();
  json issues = json::array();
  for (;;) {
    const std::string text = filter.dump();
    json page = c.call([&](char **out) { return complaints_issue_list(desk, out, c.actor(), text.c_str()); });
    const auto n = page.size();
    for (auto &i : page) issues.push_back(std::move(i));
    if (!all || static_cast<long long>(n) < limit) break;
    filter["after_number"] = issues.back()["number"];
  }
  if (c.json_output()) {
    c.print_json(issues);
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto &i : issues) rows.push_back(issue_row(i));
    print_table(stdout, issue_header, rows);
    if (!all && static_cast<long long>(issues.size()) == limit) {
      std::fprintf(stderr, "(first %lld: --all for every one, or --after %s for the next page)\n", limit,
                   cell(issues.back()["number"]).c_str());
    }
  }
  return exit_code::ok;
}

int run_timeline(Context &c) {
  const char *code = c.args().positional[0].c_str();
  const json entries = c.call([&](char **out) { return complaints_issue_timeline(c.desk(), out, c.actor(), code); });
  if (c.json_output()) {
    c.print_json(entries);
    return exit_code::ok;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto &e : entries) {
    std::string what = cell(e["action"]);
    for (const auto &ch : e.value("changes", json::array())) {
      what += (what.empty() ? "" : "; ") + cell(ch["field"]) + ": " + cell(ch["before"]) + " -> " + cell(ch["after"]);
    }
    rows.push_back({cell(e["seq"]), cell(e["at"]), cell(e["actor_id"]) + " (" + cell(e["actor_role"]) + ")",
                    cell(e["kind"]), what, cell(e["note"]), cell(e["hash"]).substr(0, 12)});
  }
  print_table(stdout, {"SEQ", "AT", "ACTOR", "KIND", "WHAT", "NOTE", "HASH"}, rows);
  return exit_code::ok;
}

int run_search(Context &c) {
  json request{{"query", c.args().positional[0]}};
  if (auto limit = c.args().integer("limit", 1, 10000)) request["limit"] = *limit;
  const std::string text = request.dump();
  const json hits = c.call([&](char **out) { return complaints_search(c.desk(), out, c.actor(), text.c_str()); });
  if (c.json_output()) {
    c.print_json(hits);
    return exit_code::ok;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto &h : hits) {
    char score[32];
    std::snprintf(score, sizeof score, "%.2f", h["score"].get<double>());
    rows.push_back({cell(h["issue"]["code"]), cell(h["issue"]["status"]), score, cell(h["snippet"])});
  }
  print_table(stdout, {"CODE", "STATUS", "SCORE", "SNIPPET"}, rows, 80);
  return exit_code::ok;
}

}  // namespace complaints::cli
