// Task kinds a workflow declares (SPEC R8.4, docs/tasks.md): read, written
// back and validated at their JSON paths.
#include <nlohmann/json.hpp>

#include "support/support.hpp"

using namespace complaints;
using json = nlohmann::json;

namespace {

json with_tasks(json tasks) {
  json doc = json::parse(R"({
    "name": "tasked", "initial": "Open",
    "statuses": [{"name": "Open", "category": "open"}, {"name": "Done", "category": "closed"}],
    "slas": [{"name": "respond", "within": "10d", "business": true}],
    "actions": [{"name": "finish", "from": ["Open"], "to": "Done", "allow": ["office"]}]
  })");
  doc["tasks"] = std::move(tasks);
  return doc;
}

std::vector<WorkflowProblem> problems(const json &doc) {
  try {
    Workflow::from_json(doc.dump());
  } catch (const InvalidWorkflow &e) {
    return e.problems();
  }
  return {};
}

bool has(const std::vector<WorkflowProblem> &ps, const std::string &path, const std::string &fragment) {
  for (const auto &p : ps)
    if (p.path == path && p.message.find(fragment) != std::string::npos) return true;
  return false;
}

std::string show(const std::vector<WorkflowProblem> &ps) {
  std::string out;
  for (const auto &p : ps) out += p.path + ": " + p.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("task kinds are read with every option and written back as read") {
  json tasks = json::parse(R"([
    {"name": "acknowledgement", "title": "Acknowledgement", "assign_to": {"roles": ["office"]},
     "send_template": "acknowledgement", "mandatory": true},
    {"name": "investigate", "assign_to": {"groups": ["roads", "parks"], "users": ["u-1"]},
     "instructions": "Find out what happened.\nReport back.", "creator_may_change": true},
    {"name": "note"}
  ])");
  Workflow wf = Workflow::from_json(with_tasks(tasks).dump());
  const auto &kinds = wf.definition().tasks;
  REQUIRE(kinds.size() == 3);
  CHECK(kinds[0].roles == std::vector<Role>{Role::office});
  CHECK(kinds[0].mandatory);
  CHECK(kinds[0].send_template == "acknowledgement");
  CHECK(kinds[1].groups == std::vector<std::string>{"roads", "parks"});
  CHECK(kinds[1].users == std::vector<std::string>{"u-1"});
  CHECK(kinds[1].creator_may_change);
  CHECK(kinds[2] == TaskKindDef{"note", "", {}, {}, {}, "", false, TaskAccess::summary, "", "", false});
  CHECK(wf.task_kind("investigate") == &kinds[1]);
  CHECK(wf.task_kind("audit") == nullptr);
  // Written back, it reads the same.
  CHECK(Workflow::from_json(wf.to_json()).definition() == wf.definition());
  CHECK(json::parse(wf.to_json())["tasks"] == tasks);
}

TEST_CASE("bad task kinds are refused at their paths, every problem at once") {
  json tasks = json::parse(R"([
    {"name": "investigate", "sla": "resolve", "access": "all", "send_template": "no_such_template",
     "assign_to": {"groups": ["roads", "roads", ""], "roles": ["customer", "system", "wizard"]}, "colour": 1},
    {"name": "investigate", "mandatory": "yes", "instructions": "bell\u0007"},
    {"title": "nameless"},
    7
  ])");
  auto ps = problems(with_tasks(tasks));
  CHECK_MESSAGE(has(ps, "$.tasks[0].sla", "unknown SLA policy 'resolve'"), show(ps));
  CHECK_MESSAGE(has(ps, "$.tasks[0].access", "unknown access 'all'"), show(ps));
  CHECK_MESSAGE(has(ps, "$.tasks[0].send_template", "unknown template"), show(ps));
  CHECK_MESSAGE(has(ps, "$.tasks[0].assign_to.groups[1]", "listed twice"), show(ps));
  CHECK_MESSAGE(has(ps, "$.tasks[0].assign_to.groups[2]", ""), show(ps));
  CHECK_MESSAGE(has(ps, "$.tasks[0].assign_to.roles[0]", "cannot work tasks"), show(ps));
  CHECK_MESSAGE(has(ps, "$.tasks[0].assign_to.roles[1]", "cannot work tasks"), show(ps));
  CHECK_MESSAGE(has(ps, "$.tasks[0].assign_to.roles[2]", "unknown role 'wizard'"), show(ps));
  CHECK_MESSAGE(has(ps, "$.tasks[0].colour", ""), show(ps));
  CHECK_MESSAGE(has(ps, "$.tasks[1].name", "duplicate task kind 'investigate'"), show(ps));
  CHECK_MESSAGE(has(ps, "$.tasks[1].mandatory", "true or false"), show(ps));
  CHECK_MESSAGE(has(ps, "$.tasks[1].instructions", ""), show(ps));
  CHECK_MESSAGE(has(ps, "$.tasks[2].name", "is required"), show(ps));
  CHECK_MESSAGE(has(ps, "$.tasks[3]", "must be an object"), show(ps));
  CHECK_MESSAGE(ps.size() == 14, show(ps));
}

TEST_CASE("a task kind's SLA names a policy of the workflow; every access level loads") {
  json doc = with_tasks(json::parse(R"([{"name": "investigate", "sla": "reply", "access": "contact"},
                                        {"name": "respond", "access": "everything"}])"));
  auto ps = problems(doc);
  CHECK_MESSAGE(has(ps, "$.tasks[0].sla", "unknown SLA policy 'reply'"), show(ps));
  CHECK_MESSAGE(ps.size() == 1, show(ps));
  doc["tasks"][0]["sla"] = "respond";
  CHECK_MESSAGE(problems(doc).empty(), show(problems(doc)));
}

TEST_CASE("a workflow holds at most limits::workflow_task_kinds task kinds") {
  json tasks = json::array();
  for (std::size_t i = 0; i <= limits::workflow_task_kinds; ++i) tasks.push_back({{"name", "k" + std::to_string(i)}});
  auto ps = problems(with_tasks(tasks));
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].path == "$.tasks");
}
