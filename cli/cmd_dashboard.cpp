// cli/cmd_dashboard.cpp - `complaints dashboard`: the figures of a period as tables, JSON or an HTML page.
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "commands.hpp"
#include "html.hpp"

namespace complaints::cli {

namespace {

// The request of complaints_dashboard from the options; --from and --to are required.
json dashboard_request(const Args &args) {
  json request = json::object();
  for (const char *name : {"from", "to"}) {
    auto v = args.value(name);
    if (!v) throw UsageError{"dashboard needs --" + std::string(name) + " (an RFC 3339 instant)"};
    request[name] = *v;
  }
  put_text_options(args,
                   {{"workflow", "workflow"}, {"record-kind", "record_kind"}, {"type", "type"},
                    {"fieldworker", "fieldworker"}, {"stage", "stage"}},
                   request);
  // Whole numbers from 0 here; their ranges are the library's to check (an error naming the field).
  static const std::pair<const char *, const char *> numbers[] = {
      {"repeat-days", "repeat_days"}, {"top", "top"}, {"stalled-after-hours", "stalled_after_hours"}};
  for (const auto &[option, key] : numbers) {
    if (auto n = args.integer(option, 0, 2147483647)) request[key] = *n;
  }
  return request;
}

// The withheld holds the dashboard's holds figures count: a fieldworker or record-kind filter keeps theirs.
json withheld_holds(Context &c, const json &request) {
  json filter = {{"state", "withheld"}, {"limit", 100000}};
  if (request.contains("fieldworker")) filter["fieldworker"] = request["fieldworker"];
  const std::string text = filter.dump();
  json holds = c.call([&](char **out) { return complaints_hold_list(c.desk(), out, c.actor(), text.c_str()); });
  if (request.contains("record_kind")) {
    json kept = json::array();
    for (auto &h : holds) {
      if (h.at("record").at("kind") == request["record_kind"]) kept.push_back(std::move(h));
    }
    holds = std::move(kept);
  }
  return holds;
}

// The workflows drawn: the one of --workflow, else every installed workflow.
std::vector<WorkflowPicture> pictures(Context &c, const json &request) {
  std::vector<std::string> names;
  if (request.contains("workflow")) {
    names.push_back(request["workflow"].get<std::string>());
  } else {
    for (const auto &n : c.call([&](char **out) { return complaints_workflow_list(c.desk(), out, c.actor()); })) {
      names.push_back(n.get<std::string>());
    }
  }
  std::vector<WorkflowPicture> drawn;
  for (const auto &name : names) {
    // As the database validated it: templates saved there count.
    drawn.push_back(draw_workflow(
        name, c.text([&](char **out) { return complaints_workflow_draw(c.desk(), out, c.actor(), name.c_str(), "dot"); })));
  }
  return drawn;
}

// Writes the whole page next to `path`, then renames it over: a reader never sees half a page.
void write_page(const std::string &path, const std::string &page) {
  const std::string partial = path + ".partial";
  auto fail = [&](const std::string &where) {
    const int e = errno;
    std::remove(partial.c_str());
    throw Failure{exit_code::system, "html: " + where + ": " + std::strerror(e)};
  };
  std::FILE *f = std::fopen(partial.c_str(), "wb");
  if (!f) fail(partial);
  const bool written = std::fwrite(page.data(), 1, page.size(), f) == page.size();
  const int e = errno;
  if (std::fclose(f) != 0 || !written) {
    if (!written) errno = e;
    fail(partial);
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) fail(path);
}

std::vector<std::vector<std::string>> count_rows(const json &list) {
  std::vector<std::vector<std::string>> rows;
  for (const auto &c : list) rows.push_back({cell(c.at("name")), cell(c.at("issues"))});
  return rows;
}

void section(const char *title) { std::printf("\n%s\n", title); }

void print_tables(const json &d) {
  std::printf("issues reported from %s to %s, as of %s\n", cell(d.at("from")).c_str(), cell(d.at("to")).c_str(),
              cell(d.at("as_of")).c_str());
  section("totals");
  std::vector<std::vector<std::string>> totals;
  for (const char *k : {"issues", "resolved", "active", "escalated", "repeats"}) totals.push_back({k, cell(d.at(k))});
  print_table(stdout, {"figure", "value"}, totals);
  section("by status");
  print_table(stdout, {"status", "issues"}, count_rows(d.at("by_status")));
  section("by type");
  print_table(stdout, {"type", "issues"}, count_rows(d.at("by_type")));
  section("by category");
  print_table(stdout, {"category", "issues"}, count_rows(d.at("by_category")));

  section("resolution (report to resolved or closed)");
  const json &r = d.at("resolution");
  print_table(
      stdout, {"count", "mean", "median", "p90"},
      {{cell(r.at("count")), readable_duration(r.at("mean_ms").get<long long>()),
        readable_duration(r.at("median_ms").get<long long>()), readable_duration(r.at("p90_ms").get<long long>())}});
  section("resolution buckets");
  static const char *const buckets[] = {"under 1 day",  "1 to 3 days",   "3 to 7 days",
                                        "7 to 14 days", "14 to 30 days", "30 days and more"};
  std::vector<std::vector<std::string>> bucket_rows;
  const json &b = d.at("resolution_buckets");
  for (std::size_t i = 0; i < b.size() && i < std::size(buckets); ++i) bucket_rows.push_back({buckets[i], cell(b[i])});
  print_table(stdout, {"resolved in", "issues"}, bucket_rows);

  section("SLAs");
  std::vector<std::vector<std::string>> slas;
  for (const auto &s : d.at("slas")) {
    slas.push_back({cell(s.at("policy")), cell(s.at("met")), cell(s.at("breached")), cell(s.at("at_risk")),
                    cell(s.at("running"))});
  }
  print_table(stdout, {"policy", "met", "breached", "at risk", "running"}, slas);

  section("holds (withheld now)");
  const json &h = d.at("holds");
  std::vector<std::vector<std::string>> holds = {{"withheld", cell(h.at("withheld"))},
                                                 {"without amount", cell(h.at("without_amount"))},
                                                 {"stalled", cell(h.at("stalled"))}};
  for (const auto &a : h.at("amounts")) {
    const long long n = a.at("count").get<long long>();
    holds.push_back({"withheld in " + cell(a.at("currency")),
                     readable_money(a.at("minor").get<long long>(), a.at("currency").get<std::string>()) + " (" +
                         std::to_string(n) + (n == 1 ? " hold)" : " holds)")});
  }
  print_table(stdout, {"holds", "value"}, holds);
}

}  // namespace

int run_dashboard(Context &c) {
  const json request = dashboard_request(c.args());  // a UsageError before the store is opened
  const auto html = c.args().value("html");
  if (html && html->empty()) throw UsageError{"--html needs a file name"};
  const std::string text = request.dump();
  const json dashboard =
      c.call([&](char **out) { return complaints_dashboard(c.desk(), out, c.actor(), text.c_str()); });
  if (html) {
    write_page(*html, dashboard_html(dashboard, withheld_holds(c, request), pictures(c, request)));
  }
  if (c.json_output()) {
    c.print_json(dashboard);
  } else {
    print_tables(dashboard);
  }
  return exit_code::ok;
}

}  // namespace complaints::cli
