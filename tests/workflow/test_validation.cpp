// Workflow definitions: every class of problem is reported with its JSON path,
// and the seed systems' workflows load.
#include "support/support.hpp"

#include "complaints.h"

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
  CHECK(close->guards == std::vector<std::string>{"mandatory_tasks_done", "no_open_tasks"});  // SPEC R8.4
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

// --- every problem at once, in linear time (issue 11, item 4) ----------------------------------

TEST_CASE("a bad category, unknown statuses in from and to and an unreachable status are all reported") {
  json doc = base();
  doc["statuses"][1]["category"] = "sleeping";
  doc["actions"][1]["from"] = {"Working", "Nowhere"};
  doc["actions"][2]["to"] = "Elsewhere";
  doc["statuses"].push_back({{"name", "Orphan"}, {"colour", "#444444"}, {"category", "active"}});
  doc["statuses"].push_back({{"name", "Stuck"}, {"colour", "#555555"}, {"category", "pending"}});
  doc["actions"].push_back({{"name", "park"}, {"from", {"Working"}}, {"to", "Stuck"}, {"allow", {"office"}}});
  doc["actions"].push_back({{"name", "nobody"}, {"from", {"Open"}}, {"to", "Done"}, {"allow", json::array()}});
  doc["actions"][0]["allow"] = {"office", "janitor"};
  auto ps = problems_of(doc);
  CHECK_MESSAGE(has(ps, "$.statuses[1].category", "unknown category 'sleeping'"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[0].allow[1]", "unknown role 'janitor'"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[1].from[1]", "unknown status 'Nowhere'"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[2].to", "unknown status 'Elsewhere'"), show(ps));
  CHECK_MESSAGE(has(ps, "$.statuses[3]", "'Orphan' can never be reached"), show(ps));
  CHECK_MESSAGE(has(ps, "$.statuses[4]", "no closed status can be reached from 'Stuck'"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[4].allow", "no role is allowed"), show(ps));
  CHECK_MESSAGE(ps.size() == 7, show(ps));
  // The same through the C API, which lists every problem as JSON.
  char *out = nullptr;
  REQUIRE(complaints_workflow_validate(&out, doc.dump().c_str(), nullptr) == COMPLAINTS_OK);
  json listed = json::parse(out);
  complaints_free(out);
  CHECK(listed.size() == ps.size());
}

TEST_CASE("a value the reader could not read is reported once, not again by the checks that use it") {
  json doc = base();
  doc["initial"] = 5;                       // not a string
  doc["statuses"][2].erase("category");     // the only closed status
  doc["statuses"][1].erase("name");         // "Working", named by two actions
  doc["actions"][2].erase("allow");
  doc["actions"][1]["from_categories"] = {"actve"};
  auto ps = problems_of(doc);
  CHECK_MESSAGE(has(ps, "$.initial", "must be a string"), show(ps));
  CHECK_MESSAGE(has(ps, "$.statuses[2].category", "is required"), show(ps));
  CHECK_MESSAGE(has(ps, "$.statuses[1].name", "is required"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[2].allow", "is required"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[1].from_categories[0]", "unknown category 'actve'"), show(ps));
  // Nothing else: no "unknown status 'Working'", no "no status has category 'closed'", no
  // "no role is allowed", no reachability guesses from an unknown initial status.
  CHECK_MESSAGE(ps.size() == 5, show(ps));

  // A list that is not one: its names are not "unknown" elsewhere.
  doc = base();
  doc["statuses"] = "Open, Working, Done";
  doc["resolutions"] = "Fixed";
  doc["actions"][0]["inputs"] = {{"name", "when"}};
  doc["actions"][0]["effects"] = json::array({{{"type", "set_follow_up"}, {"input", "when"}}});
  doc["actions"][1]["inputs"] = json::array({{{"name", "why"}, {"type", "resolution"}}});
  doc["actions"][2]["inputs"] = json::array({{{"type", "status"}, {"required", true}}});
  doc["actions"][2]["to"] = {{"input", "status"}};
  ps = problems_of(doc);
  CHECK_MESSAGE(has(ps, "$.statuses", "must be an array"), show(ps));
  CHECK_MESSAGE(has(ps, "$.resolutions", "must be an array"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[0].inputs", "must be an array"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[2].inputs[0].name", "is required"), show(ps));
  CHECK_MESSAGE(ps.size() == 4, show(ps));

  // A status or stage that is not an object keeps the places of those after it.
  doc = base();
  doc["statuses"][0] = "Open";
  ps = problems_of(doc);
  CHECK_MESSAGE(has(ps, "$.statuses[0]", "must be an object"), show(ps));
  CHECK_MESSAGE(ps.size() == 1, show(ps));
  doc = base();
  doc["statuses"][1]["name"] = "";
  doc["statuses"].push_back({{"name", "Extra"}, {"colour", "#444444"}, {"category", "active"}});
  ps = problems_of(doc);
  CHECK_MESSAGE(has(ps, "$.statuses[1].name"), show(ps));
  CHECK_MESSAGE(has(ps, "$.statuses[3]", "'Extra' can never be reached"), show(ps));
}

TEST_CASE("graph checks run over the names that resolve and skip only what depends on the others") {
  // An action whose only source is unknown is not also called untakeable, and what it leads to
  // is not called unreachable; an unknown target leads nowhere, so a status only it would reach
  // is unreachable, but the statuses it starts from are not blamed for not closing.
  json doc = base();
  doc["statuses"].push_back({{"name", "Review"}, {"colour", "#444444"}, {"category", "pending"}});
  doc["actions"].push_back({{"name", "review"}, {"from", {"Wrking"}}, {"to", "Review"}, {"allow", {"office"}}});
  doc["actions"].push_back({{"name", "conclude"}, {"from", {"Review"}}, {"to", "Dne"}, {"allow", {"office"}}});
  auto ps = problems_of(doc);
  CHECK_MESSAGE(has(ps, "$.actions[3].from[0]", "unknown status 'Wrking'"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[4].to", "unknown status 'Dne'"), show(ps));
  CHECK_MESSAGE(ps.size() == 2, show(ps));
}

TEST_CASE("stage targets lead to the status of the stage the action starts from") {
  json doc = json::parse(R"({
    "name": "staged", "initial": "A open",
    "statuses": [
      {"name": "A open", "category": "open"}, {"name": "A done", "category": "resolved"},
      {"name": "B open", "category": "open"}, {"name": "B done", "category": "resolved"},
      {"name": "Closed", "category": "closed"}
    ],
    "stages": [{"name": "A", "statuses": ["A open", "A done"]}, {"name": "B", "statuses": ["B open", "B done"]}],
    "actions": [
      {"name": "finish", "from_categories": ["open"], "to": {"stage_category": "resolved"}, "allow": ["office"]},
      {"name": "close", "from_categories": ["resolved"], "to": "Closed", "allow": ["office"]}
    ]
  })");
  // Nothing leads from stage A into stage B.
  auto ps = problems_of(doc);
  CHECK_MESSAGE(has(ps, "$.statuses[2]", "'B open' can never be reached"), show(ps));
  CHECK_MESSAGE(has(ps, "$.statuses[3]", "'B done' can never be reached"), show(ps));
  CHECK_MESSAGE(ps.size() == 2, show(ps));
  // From a status outside every stage the issue keeps the stage it had, which may be any.
  doc["statuses"].push_back({{"name", "Limbo"}, {"category", "active"}});
  doc["actions"].push_back({{"name", "limbo"}, {"from", {"Closed"}}, {"to", "Limbo"}, {"allow", {"office"}}});
  doc["actions"].push_back(
      {{"name", "back"}, {"from", {"Limbo"}}, {"to", {{"stage_category", "open"}}}, {"allow", {"office"}}});
  ps = problems_of(doc);
  CHECK_MESSAGE(ps.empty(), show(ps));
}

namespace {

InputDef input(std::string name, InputType type, bool required = false) {
  InputDef in;
  in.name = std::move(name);
  in.type = type;
  in.required = required;
  return in;
}

TargetDef target(TargetDef::Kind kind, std::string status = "", std::string input = "",
                 StatusCategory category = StatusCategory::resolved) {
  return TargetDef{kind, std::move(status), std::move(input), category};
}

// A valid workflow of `statuses` statuses (stages of ten, then one closed
// status) and `actions` actions using every kind of source and target: a few
// that make every status reachable and closable, then fillers.
WorkflowDef generated(std::size_t statuses, std::size_t actions) {
  using C = StatusCategory;
  const C in_stage[] = {C::open, C::active, C::pending, C::resolved};
  WorkflowDef def;
  def.name = "generated";
  def.initial = "S0";
  for (std::size_t i = 0; i + 1 < statuses; ++i) {
    def.statuses.push_back({"S" + std::to_string(i), "#808080", i % 10 == 0 ? C::open : in_stage[1 + i % 3]});
    if (i % 10 == 0) def.stages.push_back({"Stage " + std::to_string(i / 10), {}});
    def.stages.back().statuses.push_back(def.statuses.back().name);
  }
  def.statuses.push_back({"Closed", "#808080", C::closed});
  const std::vector<AllowRule> office = {AllowRule{Role::office, {}}};
  auto add = [&](ActionDef a) {
    a.name = "a" + std::to_string(def.actions.size());
    a.allow = office;
    def.actions.push_back(std::move(a));
  };
  ActionDef enter;  // any status -> the first status of any stage
  enter.from_any = true;
  enter.inputs = {input("stage", InputType::stage, true)};
  enter.to = target(TargetDef::Kind::input_stage, "", "stage");
  add(enter);
  for (C c : {C::active, C::pending, C::resolved}) {  // a stage's open status -> its others
    ActionDef a;
    a.from_categories = {C::open};
    a.to = target(TargetDef::Kind::stage_category, "", "", c);
    add(a);
  }
  ActionDef close;
  close.from_categories = {C::open, C::active, C::pending, C::resolved};
  close.to = target(TargetDef::Kind::status, "Closed");
  add(close);
  def.actions.back().allow.push_back(AllowRule{Role::system, {}});  // timers close
  for (std::size_t i = 0; def.actions.size() < actions; ++i) {
    ActionDef a;
    std::string s = "S" + std::to_string(i % (statuses - 1)), t = "S" + std::to_string((i * 7 + 3) % (statuses - 1));
    switch (i % 4) {
      case 0:
        a.from = {s, t};
        a.to = target(TargetDef::Kind::status, t);
        break;
      case 1:
        a.from_categories = {in_stage[i % 4], C::resolved};
        a.inputs = {InputDef{"status", InputType::status, true, 100, {}, {C::pending, C::active}}};
        a.to = target(TargetDef::Kind::input_status, "", "status");
        break;
      case 2:
        a.from = {s};
        a.inputs = {InputDef{"status", InputType::status, true, 100, {s, t}, {}}, input("when", InputType::date)};
        a.to = target(TargetDef::Kind::input_status, "", "status");
        a.effects = {EffectDef{"set_follow_up", {{"input", "when"}}}};
        break;
      default:
        a.from = {t};
        a.from_categories = {C::pending};
        a.to = target(TargetDef::Kind::stage_category, "", "", C::resolved);
        a.effects = {EffectDef{"set_timer", {{"timer", "t"}, {"after", "4d"}, {"action", "a4"}}}};
        break;
    }
    add(a);
  }
  return def;
}

}  // namespace

TEST_CASE("a workflow of 20,000 statuses and actions validates, and its lookups find every name") {
  WorkflowDef def = generated(limits::workflow_statuses, limits::workflow_actions);
  auto ps = Workflow::validate(def);
  CHECK_MESSAGE(ps.empty(), show(ps));
  Workflow wf = Workflow::from_definition(def);
  for (std::size_t i = 0; i + 1 < def.statuses.size(); i += 997) {
    const std::string &name = def.statuses[i].name;
    REQUIRE(wf.status(name));
    CHECK(wf.status(name)->name == name);
    REQUIRE(wf.stage_of(name));
    CHECK(wf.stage_of(name)->name == "Stage " + std::to_string(i / 10));
  }
  CHECK_FALSE(wf.stage_of("Closed"));
  CHECK(wf.action("a9999")->name == "a9999");
  CHECK(wf.stage("Stage 7")->statuses.front() == "S70");
  CHECK_FALSE(wf.status("S-1"));
  CHECK_FALSE(wf.action("nonesuch"));
  CHECK(wf.applies(*wf.action("a1"), "S10"));  // from_categories: open
  CHECK_FALSE(wf.applies(*wf.action("a1"), "S11"));
  // One status cut off from the rest is found among them all.
  def = generated(limits::workflow_statuses - 1, limits::workflow_actions);
  def.statuses.push_back({"Island", "#808080", StatusCategory::resolved});
  ps = Workflow::validate(def);
  CHECK_MESSAGE(has(ps, "$.statuses[" + std::to_string(def.statuses.size() - 1) + "]", "'Island' can never be reached"),
                show(ps));
  CHECK_MESSAGE(ps.size() == 1, show(ps));
}

TEST_CASE("a definition built in C++ with values outside their enumerations is refused at their paths") {
  WorkflowDef def = Workflow::from_json(base().dump()).definition();
  def.statuses[1].category = static_cast<StatusCategory>(9);
  def.actions[0].from_categories = {static_cast<StatusCategory>(200)};
  def.actions[1].to.kind = static_cast<TargetDef::Kind>(7);
  def.actions[2].inputs = {input("status", static_cast<InputType>(42), true)};
  def.actions[2].to = target(TargetDef::Kind::stage_category, "", "", static_cast<StatusCategory>(77));
  auto ps = Workflow::validate(def);
  CHECK_MESSAGE(has(ps, "$.statuses[1].category", "not a known category"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[0].from_categories[0]", "not a known category"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[1].to", "not a known kind"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[2].inputs[0].type", "not a known input type"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[2].to.stage_category", "not a known category"), show(ps));
}

TEST_CASE("the sizes of a workflow are limited, each reported at its path") {
  WorkflowDef def = Workflow::from_json(base().dump()).definition();
  for (std::size_t i = 0; i <= limits::workflow_stages; ++i) def.stages.push_back({"st" + std::to_string(i), {}});
  auto ps = Workflow::validate(def);
  CHECK_MESSAGE(has(ps, "$.stages", "at most 1000"), show(ps));

  def = Workflow::from_json(base().dump()).definition();
  for (std::size_t i = 0; i <= limits::action_inputs; ++i) def.actions[0].inputs.push_back(input("in" + std::to_string(i), InputType::text));
  for (std::size_t i = 0; i <= limits::effects_per_list; ++i) {
    def.actions[1].effects.push_back({"unassign", {}});
    def.on_report.push_back({"unassign", {}});
  }
  ps = Workflow::validate(def);
  CHECK_MESSAGE(has(ps, "$.actions[0].inputs", "at most 100"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[1].effects", "at most 100"), show(ps));
  CHECK_MESSAGE(has(ps, "$.on_report", "at most 100"), show(ps));

  def = generated(limits::workflow_statuses + 1, limits::workflow_actions + 1);
  ps = Workflow::validate(def);
  CHECK_MESSAGE(has(ps, "$.statuses", "at most 10000"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions", "at most 10000"), show(ps));
}

// --- a workflow that would queue one message twice (issue 11, item 5) --------------------------

TEST_CASE("two send_template effects of one template to one audience are refused at the second") {
  json doc = base();
  doc["actions"][1]["effects"] = json::array({
      {{"type", "send_template"}, {"template", "final_resolution"}},
      {{"type", "release"}},
      {{"type", "send_template"}, {"template", "final_resolution"}, {"to", "fieldworkers"}},
      {{"type", "send_template"}, {"template", "final_resolution"}, {"to", "customer"}},
  });
  doc["on_report"] = json::array({
      {{"type", "send_template"}, {"template", "complaint_details"}, {"to", "fieldworkers"}},
      {{"type", "send_template"}, {"template", "complaint_details"}, {"to", "fieldworkers"}},
  });
  auto ps = problems_of(doc);
  CHECK_MESSAGE(has(ps, "$.actions[1].effects[3]", "same idempotency key"), show(ps));
  CHECK_MESSAGE(has(ps, "$.actions[1].effects[3]", "effects[0]"), show(ps));
  CHECK_MESSAGE(has(ps, "$.on_report[1]", "same idempotency key"), show(ps));
  CHECK_MESSAGE(ps.size() == 2, show(ps));

  WorkflowDef def = Workflow::from_json(base().dump()).definition();
  def.actions[2].effects = {{"send_template", {{"template", "final_resolution"}}},
                            {"send_template", {{"template", "final_resolution"}}}};
  ps = Workflow::validate(def);
  CHECK_MESSAGE(has(ps, "$.actions[2].effects[1]", "same idempotency key"), show(ps));
  CHECK_THROWS_AS(Workflow::from_definition(def), InvalidWorkflow);

  char *out = nullptr;
  REQUIRE(complaints_workflow_validate(&out, doc.dump().c_str(), nullptr) == COMPLAINTS_OK);
  json listed = json::parse(out);
  complaints_free(out);
  REQUIRE(listed.size() == 2);
  CHECK(listed[0]["path"] == "$.on_report[1]");
  CHECK(listed[1]["path"] == "$.actions[1].effects[3]");
}

TEST_CASE_TEMPLATE("a desk refuses to install a workflow that would queue one message twice", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  json doc = base();
  doc["actions"][1]["effects"] = json::array({{{"type", "send_template"}, {"template", "final_resolution"}},
                                              {{"type", "send_template"}, {"template", "final_resolution"}}});
  std::string before = f.desk.dump();
  auto e = test::expect_error(Errc::invalid_workflow, [&] { f.desk.install_workflow(test::admin(), doc.dump()); });
  CHECK(e.where() == "$.actions[1].effects[1]");
  CHECK(f.desk.dump() == before);
}

TEST_CASE("every built-in workflow still validates with its lookups") {
  for (const auto &name : Workflow::builtin_names()) {
    CAPTURE(name);
    Workflow wf = Workflow::builtin(name);
    CHECK(Workflow::validate(wf.definition()).empty());
    for (const auto &s : wf.definition().statuses) CHECK(wf.status(s.name) == &s);
    for (const auto &a : wf.definition().actions) CHECK(wf.action(a.name) == &a);
    for (const auto &st : wf.definition().stages) {
      CHECK(wf.stage(st.name) == &st);
      for (const auto &s : st.statuses) CHECK(wf.stage_of(s) == &st);
    }
  }
}
