// Workflow definitions: every class of problem is reported with its JSON path,
// and the seed systems' workflows load.
#include "support/support.hpp"

#include <nlohmann/json.hpp>

using namespace complaints;
using json = nlohmann::json;

namespace {

// A small valid workflow to break in one place at a time.
json base() {
  return json::parse(R"({
    "name": "mini",
    "initial": "Open",
    "statuses": [
      {"name": "Open", "colour": "#111111", "category": "open"},
      {"name": "Working", "colour": "#222222", "category": "active"},
      {"name": "Done", "colour": "#333333", "category": "closed"}
    ],
    "actions": [
      {"name": "start", "from": ["Open"], "to": "Working", "allow": ["office"]},
      {"name": "finish", "from": ["Working"], "to": "Done", "allow": ["office", {"role": "admin", "permissions": ["edit_issues"]}]},
      {"name": "reopen", "from": ["Done"], "to": "Open", "allow": ["admin"]}
    ]
  })");
}

std::vector<WorkflowProblem> problems_of(const json &doc) {
  try {
    Workflow::from_json(doc.dump());
  } catch (const InvalidWorkflow &e) {
    return e.problems();
  }
  return {};
}

std::vector<WorkflowProblem> problems_of_text(const std::string &text) {
  try {
    Workflow::from_json(text);
  } catch (const InvalidWorkflow &e) {
    return e.problems();
  }
  return {};
}

bool has(const std::vector<WorkflowProblem> &ps, const std::string &path, const std::string &fragment = "") {
  for (const auto &p : ps)
    if (p.path == path && p.message.find(fragment) != std::string::npos) return true;
  return false;
}

std::string show(const std::vector<WorkflowProblem> &ps) {
  std::string s;
  for (const auto &p : ps) s += p.path + ": " + p.message + "\n";
  return s;
}

}  // namespace

TEST_CASE("the small base workflow is valid") { CHECK(problems_of(base()).empty()); }

TEST_CASE("malformed JSON is reported with line and column") {
  auto ps = problems_of_text("{\n  \"name\": \"x\",\n  \"initial\" \"Open\"\n}");
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].path == "$");
  CHECK(ps[0].message.find("line 3, column") != std::string::npos);
  CHECK(has(problems_of_text(""), "$", "malformed JSON"));
  CHECK(has(problems_of_text("[1, 2"), "$", "malformed JSON"));
  CHECK(has(problems_of_text("\xff\xfe"), "$", "UTF-8"));
  CHECK(has(problems_of_text("[]"), "$", "must be an object"));
  CHECK(has(problems_of_text(std::string(2 << 20, ' ')), "$", "at most"));
}

TEST_CASE("an unknown status in from or to names its path") {
  json doc = base();
  doc["actions"][1]["from"] = {"Working", "Nowhere"};
  doc["actions"][0]["to"] = "Elsewhere";
  auto ps = problems_of(doc);
  CHECK_MESSAGE(has(ps, "$.actions[1].from[1]", "unknown status 'Nowhere'"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[0].to", "unknown status 'Elsewhere'"), show(ps));
  doc = base();
  doc["initial"] = "Limbo";
  CHECK(has(problems_of(doc), "$.initial", "unknown status"));
}

TEST_CASE("duplicate names are reported at the second occurrence") {
  json doc = base();
  doc["statuses"].push_back({{"name", "Working"}, {"colour", "#444444"}, {"category", "active"}});
  doc["actions"].push_back({{"name", "start"}, {"from", {"Open"}}, {"to", "Working"}, {"allow", {"office"}}});
  auto ps = problems_of(doc);
  CHECK_MESSAGE(has(ps, "$.statuses[3].name", "duplicate status"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[3].name", "duplicate action"), show(ps));
}

TEST_CASE("unknown roles and permissions are reported") {
  json doc = base();
  doc["actions"][0]["allow"] = {"office", "janitor"};
  doc["actions"][1]["allow"][1]["permissions"] = {"edit_issues", "fly"};
  auto ps = problems_of(doc);
  CHECK_MESSAGE(has(ps, "$.actions[0].allow[1]", "unknown role 'janitor'"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[1].allow[1].permissions[1]", "unknown permission 'fly'"), show(ps));
}

TEST_CASE("a status from which no closed status can be reached is reported") {
  json doc = base();
  doc["statuses"].push_back({{"name", "Stuck"}, {"colour", "#444444"}, {"category", "pending"}});
  doc["actions"].push_back({{"name", "park"}, {"from", {"Working"}}, {"to", "Stuck"}, {"allow", {"office"}}});
  auto ps = problems_of(doc);
  CHECK_MESSAGE(has(ps, "$.statuses[3]", "no closed status can be reached from 'Stuck'"), show(ps));
  doc = base();
  doc["statuses"][2]["category"] = "resolved";
  CHECK(has(problems_of(doc), "$.statuses", "no status has category 'closed'"));
}

TEST_CASE("an action that can never be taken is reported") {
  json doc = base();
  doc["actions"].push_back({{"name", "nobody"}, {"from", {"Open"}}, {"to", "Done"}, {"allow", json::array()}});
  auto ps = problems_of(doc);
  CHECK_MESSAGE(has(ps, "$.actions[3].allow", "can never be taken: no role is allowed"), show(ps));

  doc = base();
  doc["statuses"].push_back({{"name", "Orphan"}, {"colour", "#444444"}, {"category", "active"}});
  doc["actions"].push_back({{"name", "from_orphan"}, {"from", {"Orphan"}}, {"to", "Done"}, {"allow", {"office"}}});
  ps = problems_of(doc);
  CHECK_MESSAGE(has(ps, "$.actions[3].from", "can never be taken: no reachable status"), show(ps));
  CHECK_MESSAGE(has(ps, "$.statuses[3]", "can never be reached"), show(ps));

  doc = base();
  doc["actions"][0].erase("from");
  CHECK(has(problems_of(doc), "$.actions[0].from", "at least one"));
}

TEST_CASE("effects naming unknown templates, actions, types or parameters are reported") {
  json doc = base();
  doc["actions"][1]["effects"] = json::array({
      {{"type", "send_template"}, {"template", "no_such_template"}},
      {{"type", "set_timer"}, {"timer", "t"}, {"after", "soon"}, {"action", "vanish"}},
      {{"type", "teleport"}},
      {{"type", "withhold"}, {"colour", "red"}},
      {{"type", "sla"}, {"op", "start"}},
  });
  auto ps = problems_of(doc);
  CHECK_MESSAGE(has(ps, "$.actions[1].effects[0].template", "unknown template 'no_such_template'"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[1].effects[1].after", "not a duration"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[1].effects[1].action", "unknown action 'vanish'"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[1].effects[2].type", "unknown effect 'teleport'"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[1].effects[3].colour", "no parameter"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[1].effects[4].sla", "needs parameter"), show(ps));

  // A template the database knows is accepted.
  doc = base();
  doc["actions"][1]["effects"] = json::array({{{"type", "send_template"}, {"template", "survey"}}});
  CHECK(has(problems_of(doc), "$.actions[1].effects[0].template"));
  CHECK_NOTHROW(Workflow::from_json(doc.dump(), ValidationContext{{"survey"}}));
}

TEST_CASE("schema mistakes are reported: unknown keys, wrong types, bad categories, inputs") {
  json doc = base();
  doc["statuses"][0]["colour"] = "blue";
  doc["statuses"][1]["category"] = "sleeping";
  doc["actions"][0]["form"] = {"Open"};
  doc["actions"][0]["inputs"] = json::array({{{"name", "when"}, {"type", "moment"}}});
  doc["actions"][2]["to"] = {{"input", "target"}};
  doc["actions"][1]["guards"] = {"moon_is_full"};
  auto ps = problems_of(doc);
  CHECK_MESSAGE(has(ps, "$.statuses[1].category", "unknown category 'sleeping'"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[0].form", "unknown key"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[0].inputs[0].type", "unknown input type 'moment'"), show(ps));
  doc = base();
  doc["statuses"][0]["colour"] = "blue";
  doc["actions"][2]["to"] = {{"input", "target"}};
  doc["actions"][1]["guards"] = {"moon_is_full"};
  ps = problems_of(doc);
  CHECK_MESSAGE(has(ps, "$.statuses[0].colour", "not a colour"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[2].to.input", "no input named 'target'"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[1].guards[0]", "unknown guard"), show(ps));
  doc = base();
  doc["initial"] = "Done";
  CHECK(has(problems_of(doc), "$.initial", "closed"));
}

TEST_CASE("a workflow built in C++ is validated with the same JSON paths") {
  WorkflowDef def = Workflow::from_json(base().dump()).definition();
  def.actions[1].from.push_back("Nowhere");
  def.actions[0].allow.clear();
  auto ps = Workflow::validate(def);
  CHECK_MESSAGE(has(ps, "$.actions[1].from[1]", "unknown status"), show(ps));
  def = Workflow::from_json(base().dump()).definition();
  def.actions[0].allow.clear();
  ps = Workflow::validate(def);
  CHECK_MESSAGE(has(ps, "$.actions[0].allow", "no role is allowed"), show(ps));
  CHECK_THROWS_AS(Workflow::from_definition(def), InvalidWorkflow);
}

TEST_CASE("the three seed workflows load, validate and round-trip through JSON") {
  auto names = Workflow::builtin_names();
  CHECK(names.size() == 3);
  for (const char *name : {"field-service", "staged-escalation", "customer-confirmation"}) {
    CAPTURE(name);
    Workflow wf = Workflow::builtin(name);
    CHECK(wf.name() == name);
    Workflow again = Workflow::from_json(wf.to_json());
    CHECK(again == wf);
  }
  CHECK_THROWS_AS(Workflow::builtin("nonesuch"), NotFound);
}

TEST_CASE("the staged-escalation workflow has stages, a soft close and a full close with a resolution (seed 003)") {
  Workflow wf = Workflow::builtin("staged-escalation");
  const auto &def = wf.definition();
  REQUIRE(def.stages.size() == 4);
  CHECK(def.stages[0].name == "Service request");
  CHECK(def.stages[3].name == "Ombudsman");
  for (const auto &st : def.stages) {
    REQUIRE(st.statuses.size() == 3);
    CHECK(wf.status(st.statuses[0])->category == StatusCategory::open);
    CHECK(wf.status(st.statuses[1])->category == StatusCategory::active);
    CHECK(wf.status(st.statuses[2])->category == StatusCategory::resolved);
  }
  const ActionDef *outcome = wf.action("record_outcome");
  REQUIRE(outcome);
  CHECK(outcome->to.kind == TargetDef::Kind::stage_category);
  CHECK(outcome->to.category == StatusCategory::resolved);
  const ActionDef *close = wf.action("close");
  REQUIRE(close);
  CHECK(close->guards.empty());  // the task guards come with tasks (SPEC R8.4)
  CHECK(close->inputs[0].type == InputType::resolution);
  CHECK(wf.action("change_stage")->to.kind == TargetDef::Kind::input_stage);
}

TEST_CASE("the customer-confirmation workflow closes itself after 4 days without confirmation (seed 004)") {
  Workflow wf = Workflow::builtin("customer-confirmation");
  const ActionDef *resolve = wf.action("resolve");
  REQUIRE(resolve);
  REQUIRE(resolve->effects.size() == 1);
  CHECK(resolve->effects[0].type == "set_timer");
  CHECK(resolve->effects[0].params.at("after") == "4d");
  CHECK(resolve->effects[0].params.at("action") == "auto_close");
  CHECK(wf.action("auto_close")->to.status == "Closed");
  CHECK(Workflow::allowed(*wf.action("auto_close"), Actor{"timer", Role::system, {}}));
  CHECK(Workflow::allowed(*wf.action("confirm"), Actor{"c", Role::customer, {}}));
  CHECK(wf.action("block")->inputs[0].required);
  CHECK(wf.action("unblock")->inputs[0].name == "feedback");
}

TEST_CASE("adding a status makes a new workflow value and keeps the old one") {
  Workflow wf = Workflow::builtin("field-service");
  Workflow more = wf.with_status({"Pending External Review", "#123456", StatusCategory::active});
  CHECK(more.status("Pending External Review"));
  CHECK_FALSE(wf.status("Pending External Review"));
  // A custom status is reachable through the manual status change and can be closed from.
  CHECK(more.applies(*more.action("close"), "Pending External Review"));
}
