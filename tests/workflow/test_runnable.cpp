// A workflow that loads is one the engine can run (SPEC R3.2): validation
// reads the one effect table the engine runs, and refuses at load, at its
// JSON path, any effect, guard, SLA policy or timer the engine could not.
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/support.hpp"
#include "workflow/catalog.hpp"
#include "workflow/internal.hpp"

using namespace complaints;
using json = nlohmann::json;

namespace {

json small() {
  return json::parse(R"({
    "name": "small", "initial": "Open",
    "statuses": [{"name": "Open", "category": "open"}, {"name": "Done", "category": "closed"}],
    "actions": [{"name": "finish", "from": ["Open"], "to": "Done", "allow": ["office", "system"]},
                {"name": "review", "from": ["Open"], "allow": ["office"],
                 "inputs": [{"name": "note", "type": "text", "required": true}]}]
  })");
}

bool has(const std::vector<WorkflowProblem> &ps, const std::string &path, const std::string &fragment) {
  for (const auto &p : ps)
    if (p.path == path && p.message.find(fragment) != std::string::npos) return true;
  return false;
}

std::vector<WorkflowProblem> problems(const json &doc) {
  try {
    Workflow::from_json(doc.dump());
  } catch (const InvalidWorkflow &e) {
    return e.problems();
  }
  return {};
}

}  // namespace

TEST_CASE("an effect or guard this build cannot run is refused at load, at its path") {
  json doc = small();
  doc["on_report"] = json::array({{{"type", "create_task"}, {"task", "acknowledgement"}}, {{"type", "teleport"}}});
  doc["actions"][0]["guards"] = json::array({"no_open_tasks", "all_paid"});
  auto ps = problems(doc);
  CHECK(has(ps, "$.on_report[0].task", "unknown task kind 'acknowledgement'"));
  CHECK(has(ps, "$.on_report[1].type", "unknown effect 'teleport'"));
  CHECK(has(ps, "$.actions[0].guards[1]", "unknown guard 'all_paid'"));
  CHECK(ps.size() == 3);  // the task guards and create_task run
  // Through the Desk too, with nothing stored.
  test::DeskFixture<test::MemoryBackend> f;
  std::string before = f.desk.dump();
  auto e = test::expect_error(Errc::invalid_workflow, [&] { f.desk.install_workflow(test::admin(), doc.dump()); });
  CHECK(e.where() == "$.on_report[0].task");
  CHECK(f.desk.dump() == before);
}

TEST_CASE("every effect of the table has its handler, and every built-in workflow runs") {
  for (const auto &spec : wf::effect_specs()) {
    std::string type(spec.type);
    CAPTURE(type);
    CHECK(static_cast<bool>(spec.handler));
  }
  CHECK(Workflow::builtin_names() ==
        std::vector<std::string>{"customer-confirmation", "field-service", "staged-escalation"});
  for (const auto &name : Workflow::builtin_names()) {
    Workflow wf = Workflow::builtin(name);
    for (const auto &effect : wf.definition().on_report) CHECK(wf::effect_spec(effect.type));
  }
}

TEST_CASE("SLA effects name a declared policy and timers an action the system can take unaided") {
  json doc = small();
  doc["slas"] = json::array({{{"name", "respond"}, {"within", "2d"}, {"business", true}, {"warn_percent", 80}},
                             {{"name", "respond"}, {"within", "soon"}},
                             {{"name", "hold"}, {"within", "1h"}, {"pause_in", {"closed"}}}});
  doc["on_report"] = json::array({
      {{"type", "sla"}, {"op", "start"}, {"sla", "reply"}},
      {{"type", "sla"}, {"op", "start"}, {"sla", "respond"}, {"within", "forever"}},
      {{"type", "set_timer"}, {"timer", "t"}, {"after", "1d"}, {"action", "review"}},
      {{"type", "set_timer"}, {"timer", "u"}, {"after", "1d"}, {"action", "finish"}, {"business", true}},
  });
  doc["actions"][1]["allow"] = json::array({"office", "system"});
  auto ps = problems(doc);
  CHECK(has(ps, "$.slas[1].name", "duplicate SLA policy"));
  CHECK(has(ps, "$.slas[1].within", "not a duration"));
  CHECK(has(ps, "$.slas[2].pause_in[0]", "closed stops every clock"));
  CHECK(has(ps, "$.on_report[0].sla", "unknown SLA policy 'reply'"));
  CHECK(has(ps, "$.on_report[1].within", "not a duration"));
  CHECK(has(ps, "$.on_report[2].action", "requires inputs"));
  CHECK_FALSE(has(ps, "$.on_report[3].action", ""));
  doc["actions"][0]["allow"] = json::array({"office"});
  CHECK(has(problems(doc), "$.on_report[3].action", "must allow the system role"));
  doc = small();
  doc["slas"] = json::array({{{"name", "respond"}, {"within", "2d"}, {"warn_percent", 100}}});
  CHECK(has(problems(doc), "$.slas[0].warn_percent", "0 (no warning) to 99"));
}

TEST_CASE_TEMPLATE("every action, task kind and rule of the staged-escalation workflow runs (seed 003)", B,
                   TEST_BACKENDS) {
  test::DeskFixture<B> f;
  const Actor admin = test::admin(), office = test::office();
  f.desk.install_workflow(admin, Workflow::builtin("staged-escalation"));
  f.desk.put_user(admin, User{"office-1", Role::office, "Olive Office", {}});
  f.desk.put_user(admin, User{"waste-team", Role::office, "Waste Team", {}});
  f.desk.put_user(admin, User{"insp-1", Role::fieldworker, "Inspector", {}});
  f.desk.put_group(admin, Group{"waste", "Waste services", {"insp-1"}});
  f.desk.put_record(office, test::booking());
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Other";
  r.description = "The bins were not collected for three weeks.";
  r.workflow = "staged-escalation";
  Issue i = f.desk.report(office, r);
  CHECK(i.stage == "Service request");
  REQUIRE(i.slas.size() == 1);
  CHECK(i.slas[0].name == "response");
  CHECK(i.slas[0].due_at == parse_timestamp("2026-01-19T09:00:00Z"));  // ten working days
  i = f.act(office, i, "assign_to_service", {{"service", "waste-team"}});
  CHECK(i.status == "Service request (with service)");
  CHECK(i.assignee == "waste-team");
  f.clock->advance(std::chrono::hours(24));
  i = f.act(office, i, "change_stage", {{"stage", "Stage 1"}});
  CHECK(i.status == "Stage 1");
  CHECK(i.slas[0].due_at == parse_timestamp("2026-01-20T09:00:00Z"));  // the stage's rule: ten more working days
  i = f.act(office, i, "change_status", {{"status", "Stage 1 (with service)"}});
  i = f.act(office, i, "change_status", {{"status", "Stage 1"}});

  // Every task kind: an investigation moves the case to "with service" and, done, hands it back.
  f.desk.create_task(office, i.code, TaskRequest{"acknowledgement", "", "office-1"});
  Task investigate = f.desk.create_task(office, i.code, TaskRequest{"investigate", "waste"});
  CHECK(investigate.slas.at(0).name == "investigation");
  CHECK(f.desk.get(admin, i.code).status == "Stage 1 (with service)");
  f.desk.claim_task(test::fieldworker("insp-1"), investigate.id);
  f.desk.complete_task(test::fieldworker("insp-1"), investigate.id, "Collections missed: the round was re-routed.");
  CHECK(f.desk.get(admin, i.code).assignee == "office-1");  // the task's creator
  Task respond = f.desk.create_task(office, i.code, TaskRequest{"send_response", "", "office-1"});
  Task both = f.desk.create_task(office, i.code, TaskRequest{"investigate_and_respond", "waste"});
  f.desk.complete_task(office, respond.id, "Sent.");
  f.desk.complete_task(office, f.desk.tasks(admin, i.code).at(0).id, "Acknowledged by phone.");

  // The soft close needs its outcome field; the full close waits for every task.
  i = f.desk.get(admin, i.code);
  CHECK(test::expect_error(Errc::invalid_input, [&] { f.act(office, i, "record_outcome"); }).where() ==
        "fields.outcome");
  ActionRequest outcome{"record_outcome", {{"note", "Apologised and rescheduled."}}, std::nullopt};
  outcome.fields = {{"outcome", "Upheld"}, {"remedy", "Apology"}, {"compensation", "20"}};
  i = f.desk.act(office, i.code, outcome);
  CHECK(i.status == "Stage 1 resolved");
  CHECK(i.slas[0].state == SlaState::stopped);
  CHECK(i.assignee.empty());
  CHECK(i.fields.at("compensation") == "20.00");
  auto e = test::expect_error(Errc::invalid_state, [&] { f.act(office, i, "close", {{"resolution", "Upheld"}}); });
  CHECK(std::string(e.what()).find("investigate_and_respond") != std::string::npos);
  f.desk.claim_task(test::fieldworker("insp-1"), both.id);
  f.desk.complete_task(test::fieldworker("insp-1"), both.id, "Round restored.");
  i = f.act(office, i, "close", {{"resolution", "Upheld"}});
  CHECK(i.status == "Closed");
  i = f.act(admin, i, "reopen", {{"note", "The customer wrote again."}});
  CHECK(i.status == "Stage 1");
  CHECK(i.slas[0].state == SlaState::running);
  for (const char *stage : {"Stage 2", "Ombudsman"}) {
    i = f.act(office, i, "change_stage", {{"stage", stage}});
    CHECK(i.stage == stage);
    CHECK(i.slas[0].state == SlaState::running);
  }
  CHECK(f.desk.verify_timeline(admin, i.code).ok);
  // The responses went to the customer.
  std::size_t responses = 0;
  for (const auto &item : f.desk.outbox_pending(test::system_actor(), 100))
    if (item.kind == OutboxKind::message && item.subject.find("is resolved") != std::string::npos) ++responses;
  CHECK(responses == 2);
}

TEST_CASE("docs/workflows.md shows each built-in workflow exactly as the library ships it") {
  std::ifstream in(std::string(COMPLAINTS_SOURCE_DIR) + "/docs/workflows.md");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  for (const auto &name : Workflow::builtin_names()) {
    CAPTURE(name);
    std::string source(wf::builtin_source(name));
    while (!source.empty() && source.back() == '\n') source.pop_back();
    CHECK(text.str().find("```json\n" + source + "\n```") != std::string::npos);
  }
}
