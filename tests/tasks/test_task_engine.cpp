// SPEC R8.4 and seed 003 in the engine: tasks a workflow creates, the rules
// that move a case on task events and stage changes, a task's own SLA clock
// through process_due, and the access levels that bound what a task's
// worker sees of its case.
#include <nlohmann/json.hpp>

#include "support/support.hpp"

using namespace complaints;
using nlohmann::json;
using test::expect_error;
using namespace std::chrono_literals;

namespace {

const Actor root{"root", Role::admin, Permissions::all()};
const Actor runner{"scheduler", Role::system, {}};

Actor worker(const std::string &id) { return Actor{id, Role::fieldworker, {}}; }

// A council-like desk: investigations go to the roads group (with a two-day
// SLA of their own, warned at half time); a response task shows its worker
// everything. Reporting creates the investigation; rules move the case.
json desk_workflow() {
  return json::parse(R"({
    "name": "desk",
    "initial": "New",
    "statuses": [
      {"name": "New", "category": "open"},
      {"name": "With service", "category": "active"},
      {"name": "Findings in", "category": "active"},
      {"name": "Stage 1", "category": "active"},
      {"name": "Resolved", "category": "resolved"},
      {"name": "Closed", "category": "closed"}
    ],
    "stages": [
      {"name": "Service request", "statuses": ["New", "With service", "Findings in"]},
      {"name": "Stage 1", "statuses": ["Stage 1", "Resolved"]}
    ],
    "slas": [
      {"name": "investigation", "within": "2d", "warn_percent": 50},
      {"name": "response", "within": "10d"}
    ],
    "tasks": [
      {"name": "investigate", "assign_to": {"groups": ["roads"]}, "sla": "investigation", "mandatory": true,
       "instructions": "Inspect the site."},
      {"name": "respond", "assign_to": {"groups": ["roads"]}, "access": "everything"},
      {"name": "call", "assign_to": {"groups": ["roads"]}, "access": "contact"},
      {"name": "review", "assign_to": {"groups": ["roads"]}, "access": "attachments"}
    ],
    "on_report": [{"type": "create_task", "task": "investigate"}],
    "actions": [
      {"name": "escalate", "from": ["New", "With service", "Findings in"], "to": "Stage 1",
       "allow": ["office", "admin"]},
      {"name": "resolve", "from": ["Stage 1"], "to": "Resolved", "allow": ["office", "admin"]},
      {"name": "close", "from_categories": ["open", "active", "resolved"], "to": "Closed",
       "allow": ["office", "admin"], "guards": ["mandatory_tasks_done", "no_open_tasks"]}
    ],
    "rules": [
      {"on": "task_created", "task": "investigate", "effects": [{"type": "set_status", "status": "With service"}]},
      {"on": "task_completed", "task": "investigate",
       "effects": [{"type": "set_status", "status": "Findings in"}, {"type": "reassign", "to": "task_creator"}]},
      {"on": "stage_changed", "stage": "Stage 1", "effects": [{"type": "sla", "op": "start", "sla": "response"}]}
    ]
  })");
}

template <typename B>
struct CouncilFixture : test::DeskFixture<B> {
  std::vector<Event> events;
  CouncilFixture(json workflow = desk_workflow()) {
    this->desk.events().any().connect([this](const Event &e) { events.push_back(e); });
    this->desk.put_user(root, User{"office-1", Role::office, "Case Manager", {}});
    this->desk.put_user(root, User{"inv-1", Role::fieldworker, "Inspector One", {}});
    this->desk.put_user(root, User{"inv-2", Role::fieldworker, "Inspector Two", {}});
    this->desk.put_user(root, User{"cust-1", Role::customer, "Ada Complainant", {}});
    this->desk.put_group(root, Group{"roads", "Roads and Highways", {"inv-1", "inv-2"}});
    this->desk.install_workflow(root, workflow.dump());
    this->desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
  }
  Issue report() {
    ReportRequest r;
    r.record = {RecordKind::booking, "B-1"};
    r.type = "Damage Caused";
    r.description = "The road outside number 12 has a pothole.";
    r.workflow = "desk";
    return this->desk.report(test::office(), r);
  }
  std::vector<Event> of(EventKind kind) const {
    std::vector<Event> out;
    for (const auto &e : events)
      if (e.kind == kind) out.push_back(e);
    return out;
  }
};

}  // namespace

TEST_CASE_TEMPLATE("reporting creates the workflow's task, and rules move the case on task events", B,
                   TEST_BACKENDS) {
  CouncilFixture<B> f;
  Issue issue = f.report();
  // The task_created rule ran in the same change as the report.
  CHECK(issue.status == "With service");
  auto tasks = f.desk.tasks(root, issue.code);
  REQUIRE(tasks.size() == 1);
  Task t = tasks[0];
  CHECK(t.kind == "investigate");
  CHECK(t.group == "roads");
  CHECK(t.claimable());
  CHECK(t.mandatory);
  CHECK(t.created_by == "office-1");
  CHECK(t.stage == "Service request");
  auto reported = f.desk.timeline(root, issue.code).front();
  CHECK(reported.change("task:1")->after == "investigate (roads)");
  CHECK(reported.change("status")->after == "With service");
  // Events: the report, then the task.
  auto at = [&](EventKind kind) {
    return std::find_if(f.events.begin(), f.events.end(), [&](const Event &e) { return e.kind == kind; });
  };
  CHECK(at(EventKind::issue_reported) < at(EventKind::task_created));
  REQUIRE(f.of(EventKind::task_created).size() == 1);
  CHECK(f.of(EventKind::task_created)[0].item_id == t.id);
  CHECK(f.of(EventKind::task_created)[0].detail == "investigate");

  f.desk.claim_task(worker("inv-1"), t.id);
  CHECK(f.of(EventKind::task_claimed).size() == 1);
  f.desk.complete_task(worker("inv-1"), t.id, "Pothole confirmed, 30cm.");
  Issue after = f.desk.get(root, issue.code);
  CHECK(after.status == "Findings in");
  CHECK(after.assignee == "office-1");  // back to whoever created the task
  auto entry = f.desk.timeline(root, issue.code).back();
  CHECK(entry.change("task:1")->after == "completed");
  CHECK(entry.change("status")->before == "With service");
  CHECK(entry.change("status")->after == "Findings in");
  CHECK(entry.change("assignee")->after == "office-1");
  REQUIRE(f.of(EventKind::task_completed).size() == 1);
  CHECK(f.of(EventKind::status_changed).size() == 1);  // the rule's move is announced
  CHECK(f.desk.verify_timeline(root, issue.code).ok);
}

TEST_CASE_TEMPLATE("an action entering a stage runs the stage's rules in the same change", B, TEST_BACKENDS) {
  CouncilFixture<B> f;
  Issue issue = f.report();
  CHECK(f.desk.sla_clocks(root, issue.code).empty());
  Issue escalated = f.desk.act(test::office(), issue.code, ActionRequest{"escalate"});
  CHECK(escalated.stage == "Stage 1");
  REQUIRE(escalated.slas.size() == 1);
  CHECK(escalated.slas[0].name == "response");
  CHECK(escalated.slas[0].state == SlaState::running);
  auto entry = f.desk.timeline(root, issue.code).back();
  CHECK(entry.change("stage")->after == "Stage 1");
  CHECK(entry.change("sla:response") != nullptr);
}

TEST_CASE_TEMPLATE("a task's own SLA warns and breaches through process_due, and stops when it is done", B,
                   TEST_BACKENDS) {
  CouncilFixture<B> f;
  Issue issue = f.report();
  Task t = f.desk.tasks(root, issue.code)[0];
  REQUIRE(t.slas.size() == 1);
  CHECK(t.slas[0].name == "investigation");
  CHECK(t.slas[0].due_at == test::t0() + 48h);
  CHECK(f.desk.next_due(runner) == test::t0() + 24h);

  f.clock->advance(25h);
  auto ran = f.desk.process_due(runner);
  REQUIRE(ran.size() == 1);
  CHECK(ran[0].kind == "task_sla_warning");
  CHECK(ran[0].name == std::to_string(t.id) + ":investigation");
  CHECK(ran[0].issue_code == issue.code);
  CHECK(ran[0].outcome == DueOutcome::ran);
  REQUIRE(f.of(EventKind::sla_warning).size() == 1);
  CHECK(f.of(EventKind::sla_warning)[0].item_id == t.id);
  CHECK(f.of(EventKind::sla_warning)[0].detail == "investigation");
  Task warned = f.desk.task(root, t.id);
  CHECK(warned.slas[0].warned);
  CHECK(warned.slas[0].used == 25h);  // as of the read
  auto entry = f.desk.timeline(root, issue.code).back();
  CHECK(entry.kind == entry_kind::sla);
  CHECK(entry.internal);
  CHECK(entry.change("task:1 sla:investigation")->after == "warning");

  f.clock->advance(24h);
  ran = f.desk.process_due(runner);
  REQUIRE(ran.size() == 1);
  CHECK(ran[0].kind == "task_sla_breach");
  CHECK(f.desk.task(root, t.id).slas[0].breached);
  CHECK(f.of(EventKind::sla_breached).size() == 1);
  CHECK(f.desk.get(root, issue.code).slas.empty());  // the issue's own clocks are its own
  CHECK(f.desk.verify_timeline(root, issue.code).ok);
}

TEST_CASE_TEMPLATE("completing or cancelling a task stops its clock and its due work", B, TEST_BACKENDS) {
  CouncilFixture<B> f;
  Issue issue = f.report();
  Task t = f.desk.tasks(root, issue.code)[0];
  f.desk.claim_task(worker("inv-1"), t.id);
  f.clock->advance(2h);
  Task done = f.desk.complete_task(worker("inv-1"), t.id, "Done.");
  REQUIRE(done.slas.size() == 1);
  CHECK(done.slas[0].state == SlaState::stopped);
  CHECK_FALSE(done.slas[0].breached);
  CHECK(f.desk.timeline(root, issue.code).back().change("task:1 sla:investigation")->after == "stopped");
  CHECK_FALSE(f.desk.next_due(runner).has_value());
  f.clock->advance(100h);
  CHECK(f.desk.process_due(runner).empty());

  // A second investigation, cancelled after its deadline: stopped, breached.
  Task again = f.desk.create_task(test::office(), issue.code, TaskRequest{"investigate", "roads"});
  f.clock->advance(49h);
  Task cancelled = f.desk.cancel_task(test::office(), again.id, "Raised twice.");
  CHECK(cancelled.slas[0].state == SlaState::stopped);
  CHECK(cancelled.slas[0].breached);
  CHECK(f.desk.process_due(runner).empty());
}

TEST_CASE_TEMPLATE("a task's access level is all its worker sees of the case, through every call", B,
                   TEST_BACKENDS) {
  CouncilFixture<B> f;
  Issue issue = f.report();
  f.desk.add_comment(test::office(), issue.code,
                     CommentRequest{"Internal: the resident called twice.", true, std::nullopt,
                                    {AttachmentRequest{"site.jpg", "image/jpeg", std::nullopt, "JPEGDATA"}}});
  std::int64_t photo = f.desk.attachments(root, issue.code).at(0).id;
  Task investigate = f.desk.tasks(root, issue.code)[0];
  Task respond = f.desk.create_task(test::office(), issue.code, TaskRequest{"respond", "roads", "inv-2"});
  Task call = f.desk.create_task(test::office(), issue.code, TaskRequest{"call", "roads", "inv-2"});
  Task review = f.desk.create_task(test::office(), issue.code, TaskRequest{"review", "roads", "inv-2"});
  f.desk.claim_task(worker("inv-1"), investigate.id);

  // inv-1 works a summary-level task: what the case is about, nothing of who or what was said.
  TaskCase seen = f.desk.task_case(worker("inv-1"), investigate.id);
  CHECK(seen.access == TaskAccess::summary);
  CHECK(seen.task.id == investigate.id);
  CHECK(seen.issue.code == issue.code);
  CHECK(seen.issue.description == issue.description);
  CHECK(seen.issue.status == "With service");
  CHECK(seen.issue.customer_id.empty());
  CHECK(seen.issue.record.id.empty());
  CHECK(seen.issue.fieldworkers.empty());
  CHECK(seen.issue.reporter_id.empty());
  CHECK_FALSE(seen.contact.has_value());
  CHECK(seen.attachments.empty());
  CHECK(seen.comments.empty());
  CHECK(seen.timeline.empty());
  // And no other call shows the case to them.
  auto hidden = [&](auto call) {
    try {
      call();
      FAIL("the call showed the case");
    } catch (const Error &e) {
      CHECK_MESSAGE((e.code() == Errc::not_found || e.code() == Errc::forbidden), e.what());
    }
  };
  hidden([&] { f.desk.get(worker("inv-1"), issue.code); });
  hidden([&] { f.desk.timeline(worker("inv-1"), issue.code); });
  hidden([&] { f.desk.thread(worker("inv-1"), issue.code); });
  hidden([&] { f.desk.attachments(worker("inv-1"), issue.code); });
  hidden([&] { f.desk.attachment(worker("inv-1"), photo); });
  hidden([&] { f.desk.sla_clocks(worker("inv-1"), issue.code); });
  hidden([&] { f.desk.watchers(worker("inv-1"), issue.code); });
  hidden([&] { f.desk.links(worker("inv-1"), issue.code); });
  hidden([&] { f.desk.task_attachment(worker("inv-1"), investigate.id, photo); });
  CHECK(expect_error(Errc::forbidden, [&] { f.desk.tasks(worker("inv-1"), issue.code); }).where() == "actor.role");
  IssueFilter all;
  for (const auto &listed : f.desk.list(worker("inv-1"), all)) CHECK(listed.code != issue.code);
  // A member of the group who has not claimed a task sees its summary only, whatever its level.
  CHECK(f.desk.task_case(worker("inv-1"), respond.id).access == TaskAccess::summary);
  CHECK(f.desk.task_case(worker("inv-1"), respond.id).comments.empty());

  // contact: + who complained.
  TaskCase contact = f.desk.task_case(worker("inv-2"), call.id);
  CHECK(contact.access == TaskAccess::contact);
  REQUIRE(contact.contact.has_value());
  CHECK(contact.contact->customer_id == "cust-1");
  CHECK(contact.contact->name == "Ada Complainant");
  CHECK(contact.attachments.empty());
  // attachments: + the files, which task_attachment downloads.
  TaskCase files = f.desk.task_case(worker("inv-2"), review.id);
  REQUIRE(files.attachments.size() == 1);
  CHECK(files.attachments[0].name == "site.jpg");
  CHECK(files.comments.empty());
  CHECK(f.desk.task_attachment(worker("inv-2"), review.id, photo).bytes == "JPEGDATA");
  hidden([&] { f.desk.task_attachment(worker("inv-2"), call.id, photo); });
  // everything: + the thread and the timeline.
  TaskCase all_of_it = f.desk.task_case(worker("inv-2"), respond.id);
  CHECK(all_of_it.access == TaskAccess::everything);
  REQUIRE(all_of_it.comments.size() == 1);
  CHECK(all_of_it.comments[0].internal);
  CHECK_FALSE(all_of_it.timeline.empty());
  // Customers never read tasks.
  CHECK(expect_error(Errc::forbidden, [&] { f.desk.task_case(test::customer(), respond.id); }).where() ==
        "actor.role");
}

TEST_CASE_TEMPLATE("a rule that cannot run refuses the whole change and leaves the store as it was", B,
                   TEST_BACKENDS) {
  json wf = desk_workflow();
  // On completing the investigation, hand a response to the parks group, which nobody registered.
  wf["tasks"][1]["assign_to"]["groups"] = json::array({"roads", "parks"});
  wf["rules"][1]["effects"].push_back({{"type", "create_task"}, {"task", "respond"}, {"group", "parks"}});
  CouncilFixture<B> f(wf);
  Issue issue = f.report();
  Task t = f.desk.tasks(root, issue.code)[0];
  f.desk.claim_task(worker("inv-1"), t.id);
  std::string before = f.desk.dump();
  std::size_t events = f.events.size();
  auto e = expect_error(Errc::invalid_state, [&] { f.desk.complete_task(worker("inv-1"), t.id, "Done."); });
  CHECK(e.where() == "action");
  CHECK(std::string(e.what()).find("parks") != std::string::npos);
  CHECK(f.desk.dump() == before);
  CHECK(f.events.size() == events);
  // Registered, it runs: the response task is created with the completion.
  f.desk.put_group(root, Group{"parks", "Parks", {"inv-2"}});
  f.desk.complete_task(worker("inv-1"), t.id, "Done.");
  auto tasks = f.desk.tasks(root, issue.code);
  REQUIRE(tasks.size() == 2);
  CHECK(tasks[1].kind == "respond");
  CHECK(tasks[1].group == "parks");
}

TEST_CASE("bad rules are refused at their paths, every problem at once") {
  json wf = desk_workflow();
  wf["rules"] = json::parse(R"([
    {"on": "task_vanished", "effects": []},
    {"on": "task_completed", "task": "dig", "effects": []},
    {"on": "task_created", "stage": "Stage 1", "effects": []},
    {"on": "stage_changed", "stage": "Stage 9", "task": "investigate", "effects": []},
    {"on": "task_completed", "effects": [{"type": "set_status", "status": "Nowhere"},
                                         {"type": "reassign", "to": "anyone"},
                                         {"type": "assign", "input": "owner"}]},
    {"effects": [], "when": 1}
  ])");
  auto ps = Workflow::validate(Workflow::from_json(desk_workflow().dump()).definition());
  CHECK(ps.empty());
  std::vector<WorkflowProblem> problems;
  try {
    Workflow::from_json(wf.dump());
    FAIL("the rules were accepted");
  } catch (const InvalidWorkflow &e) {
    problems = e.problems();
  }
  std::string all;
  for (const auto &p : problems) all += p.path + ": " + p.message + "\n";
  auto has = [&](const std::string &path, const std::string &text) {
    for (const auto &p : problems)
      if (p.path == path && p.message.find(text) != std::string::npos) return true;
    return false;
  };
  CHECK_MESSAGE(has("$.rules[0].on", "unknown event 'task_vanished'"), all);
  CHECK_MESSAGE(has("$.rules[1].task", "unknown task kind 'dig'"), all);
  CHECK_MESSAGE(has("$.rules[2].stage", "only a stage_changed rule"), all);
  CHECK_MESSAGE(has("$.rules[3].stage", "unknown stage 'Stage 9'"), all);
  CHECK_MESSAGE(has("$.rules[3].task", "only a task event's rule"), all);
  CHECK_MESSAGE(has("$.rules[4].effects[0].status", "Nowhere"), all);
  CHECK_MESSAGE(has("$.rules[4].effects[1].to", "'anyone' is not one of"), all);
  CHECK_MESSAGE(has("$.rules[4].effects[2].input", "no user input"), all);
  CHECK_MESSAGE(has("$.rules[5].on", "is required"), all);
  CHECK_MESSAGE(has("$.rules[5].when", ""), all);
  // Written back as read.
  Workflow good = Workflow::from_json(desk_workflow().dump());
  CHECK(Workflow::from_json(good.to_json()) == good);
}
