// cli/cmd_workflow.cpp - workflows: list, show, validate, install, diagram.
#include "commands.hpp"

namespace complaints::cli {

namespace {

std::string joined(const json &list, const char *sep = ", ") {
  std::string out;
  if (!list.is_array()) return cell(list);
  for (const auto &v : list) {
    out += (out.empty() ? "" : sep);
    out += v.is_object() ? cell(v.value("role", json(v.dump()))) : cell(v);
  }
  return out;
}

// Reads a workflow file for validate / install / diagram --file.
std::string workflow_file(const std::string &path) { return document_argument("@" + path, "FILE"); }

// Prints the problems complaints_workflow_validate found; 1 when there are any.
int print_problems(Context &c, const json &problems) {
  if (c.json_output()) {
    c.print_json(problems);
  } else if (problems.empty()) {
    std::printf("valid\n");
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto &p : problems) rows.push_back({cell(p["path"]), cell(p["message"])});
    print_table(stdout, {"PATH", "PROBLEM"}, rows, 100);
  }
  if (problems.empty()) return exit_code::ok;
  std::fprintf(stderr, "complaints %s: %zu problem%s\n", std::string(c.command().name).c_str(), problems.size(),
               problems.size() == 1 ? "" : "s");
  return exit_code::of_library(COMPLAINTS_EWORKFLOW);
}

}  // namespace

int run_workflow_list(Context &c) {
  const json names = c.call([&](char **out) { return complaints_workflow_list(c.desk(), out, c.actor()); });
  if (c.json_output()) {
    c.print_json(names);
    return exit_code::ok;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto &n : names) {
    const std::string name = n.get<std::string>();
    const json w = c.call([&](char **out) { return complaints_workflow_get(c.desk(), out, c.actor(), name.c_str()); });
    rows.push_back({name, cell(w.value("title", json(""))), std::to_string(w.value("statuses", json::array()).size()),
                    std::to_string(w.value("actions", json::array()).size()),
                    std::to_string(w.value("stages", json::array()).size())});
  }
  print_table(stdout, {"NAME", "TITLE", "STATUSES", "ACTIONS", "STAGES"}, rows);
  return exit_code::ok;
}

int run_workflow_show(Context &c) {
  const char *name = c.args().positional[0].c_str();
  const json w = c.call([&](char **out) { return complaints_workflow_get(c.desk(), out, c.actor(), name); });
  if (c.json_output()) {
    c.print_json(w);
    return exit_code::ok;
  }
  std::printf("%s: %s (starts in %s)\n\n", name, cell(w.value("title", json(""))).c_str(),
              cell(w.value("initial", json(""))).c_str());
  std::map<std::string, std::string> stage_of;
  for (const auto &stage : w.value("stages", json::array())) {
    for (const auto &s : stage["statuses"]) stage_of[s.get<std::string>()] = stage["name"].get<std::string>();
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto &s : w.value("statuses", json::array())) {
    const std::string n = s["name"].get<std::string>();
    rows.push_back({n, cell(s.value("category", json(""))), cell(s.value("colour", json(""))), stage_of[n]});
  }
  print_table(stdout, {"STATUS", "CATEGORY", "COLOUR", "STAGE"}, rows);
  rows.clear();
  for (const auto &a : w.value("actions", json::array())) {
    rows.push_back({cell(a["name"]), joined(a.value("from", json::array())), cell(a.value("to", json(""))),
                    joined(a.value("allow", json::array()))});
  }
  std::printf("\n");
  print_table(stdout, {"ACTION", "FROM", "TO", "ALLOWED"}, rows);
  return exit_code::ok;
}

int run_workflow_validate(Context &c) {
  const std::string text = workflow_file(c.args().positional[0]);
  char *err = nullptr;
  char *out = nullptr;
  const int rc = complaints_workflow_validate(&out, text.c_str(), &err);
  std::string doc = out ? out : "", message = err ? err : "";
  complaints_free(out);
  complaints_free(err);
  if (rc != COMPLAINTS_OK) throw Failure{exit_code::of_library(rc), message};
  return print_problems(c, json::parse(doc));
}

int run_workflow_install(Context &c) {
  const auto builtin = c.args().value("builtin");
  if (builtin.has_value() == !c.args().positional.empty()) throw UsageError{"give FILE or --builtin NAME, not both"};
  complaints_desk *desk = c.desk();
  std::string name;
  if (builtin) {
    c.check(complaints_workflow_install_builtin(desk, c.actor(), builtin->c_str()));
    name = *builtin;
  } else {
    const std::string text = workflow_file(c.args().positional[0]);
    c.check(complaints_workflow_install(desk, c.actor(), text.c_str()));
    try {
      name = json::parse(text).value("name", "");
    } catch (const json::exception &) {
    }
  }
  if (c.json_output()) c.print_json(json{{"installed", name}});
  else std::printf("installed %s\n", name.c_str());
  return exit_code::ok;
}

int run_workflow_diagram(Context &c) {
  const std::string format = c.args().value("format").value_or("dot");
  if (format != "dot" && format != "mermaid" && format != "svg") throw UsageError{"--format: dot, mermaid or svg"};
  const auto file = c.args().value("file");
  if (file.has_value() == !c.args().positional.empty()) throw UsageError{"give NAME or --file FILE, not both"};
  std::string text;
  if (file) {
    text = diagram(workflow_file(*file), format);
  } else {
    // Drawn as the database validated it: templates saved there count.
    const char *name = c.args().positional[0].c_str();
    const char *drawn = format == "svg" ? "dot" : format.c_str();
    text = c.text([&](char **out) { return complaints_workflow_draw(c.desk(), out, c.actor(), name, drawn); });
    if (format == "svg") text = dot_to_svg(text);
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (!text.empty() && text.back() != '\n') std::fputc('\n', stdout);
  return exit_code::ok;
}

}  // namespace complaints::cli
