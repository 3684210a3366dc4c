// SPEC R8.4: tasks on a case, groups' claimable queues, one claim wins.
#include <atomic>
#include <thread>

#include "support/processes.hpp"
#include "support/support.hpp"

using namespace complaints;
using test::expect_error;

namespace {

const Actor root{"root", Role::admin, Permissions::all()};

Actor person(const std::string &id, Role role = Role::office) { return Actor{id, role, {}}; }

// A desk with the council's people, a roads group and a workflow whose issues
// carry investigate tasks (to the roads group only) and acknowledgements.
template <typename Desk>
Issue set_up(Desk &desk, int people = 4) {
  for (int i = 1; i <= people; ++i)
    desk.put_user(root, User{"u-" + std::to_string(i), Role::office, "Officer " + std::to_string(i), {}});
  desk.put_user(root, User{"outsider", Role::office, "Outsider", {}});
  std::vector<std::string> members;
  for (int i = 1; i <= people; ++i) members.push_back("u-" + std::to_string(i));
  desk.put_group(root, Group{"roads", "Roads and Highways", members});
  WorkflowDef def = Workflow::builtin("field-service").definition();
  def.name = "council";
  TaskKindDef investigate{"investigate"};
  investigate.groups = {"roads"};
  investigate.mandatory = true;
  investigate.instructions = "Inspect the site and report what you find.";
  TaskKindDef ack{"acknowledge"};
  ack.roles = {Role::office};
  ack.creator_may_change = true;
  def.tasks = {investigate, ack};
  desk.install_workflow(root, Workflow::from_definition(def));
  desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Damage Caused";
  r.description = "The road outside number 12 has a pothole.";
  r.workflow = "council";
  return desk.report(test::office(), r);
}

std::vector<std::int64_t> ids(const std::vector<Task> &tasks) {
  std::vector<std::int64_t> out;
  for (const auto &t : tasks) out.push_back(t.id);
  return out;
}

}  // namespace

TEST_CASE_TEMPLATE("a task goes to a group's queue, is claimed out of it, and its completion is on the timeline", B,
                   TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue issue = set_up(f.desk);
  Task t = f.desk.create_task(test::office(), issue.code, TaskRequest{"investigate", "roads"});
  CHECK(t.id == 1);
  CHECK(t.issue_code == issue.code);
  CHECK(t.state == TaskState::open);
  CHECK(t.claimable());
  CHECK(t.mandatory);  // from its kind
  CHECK(t.access == TaskAccess::summary);
  CHECK(t.instructions == "Inspect the site and report what you find.");
  CHECK(t.created_by == test::office().id);
  CHECK(f.desk.task(root, t.id) == t);
  CHECK(f.desk.tasks(root, issue.code) == std::vector<Task>{t});
  CHECK(ids(f.desk.claimable_tasks(person("u-1"))) == std::vector<std::int64_t>{1});
  CHECK(f.desk.claimable_tasks(person("outsider")).empty());
  auto created = f.desk.timeline(root, issue.code).back();
  CHECK(created.kind == entry_kind::task);
  CHECK(created.internal);
  CHECK(created.change("task:1")->after == "investigate (roads)");
  CHECK(f.desk.verify_timeline(root, issue.code).ok);

  Task claimed = f.desk.claim_task(person("u-2"), t.id);
  CHECK(claimed.assignee == "u-2");
  CHECK(claimed.version == 2);
  CHECK_FALSE(claimed.claimable());
  // Gone from everyone's queue, in the claimer's list.
  CHECK(f.desk.claimable_tasks(person("u-1")).empty());
  CHECK(ids(f.desk.my_tasks(person("u-2"))) == std::vector<std::int64_t>{1});
  auto e = expect_error(Errc::conflict, [&] { f.desk.claim_task(person("u-3"), t.id); });
  CHECK(e.where() == "id");
  CHECK(std::string(e.what()).find("u-2") != std::string::npos);
  CHECK(expect_error(Errc::forbidden, [&] { f.desk.complete_task(person("u-3"), t.id, "Not mine."); }).where() ==
        "actor.id");

  Task done = f.desk.complete_task(person("u-2"), t.id, "Pothole 30cm wide; repair booked for Tuesday.");
  CHECK(done.state == TaskState::completed);
  CHECK(done.done_by == "u-2");
  CHECK(done.done_at == f.clock->now());
  CHECK(f.desk.my_tasks(person("u-2")).empty());
  auto entry = f.desk.timeline(root, issue.code).back();
  CHECK(entry.change("task:1")->before == "open");
  CHECK(entry.change("task:1")->after == "completed");
  CHECK(entry.note == "Pothole 30cm wide; repair booked for Tuesday.");
  CHECK(entry.actor_id == "u-2");
  CHECK(f.desk.verify_timeline(root, issue.code).ok);
  // Never shown to the customer.
  for (const auto &seen : f.desk.timeline(test::customer(), issue.code)) CHECK(seen.kind != entry_kind::task);
  CHECK(expect_error(Errc::invalid_state, [&] { f.desk.claim_task(person("u-1"), t.id); }).where() == "id");
}

TEST_CASE_TEMPLATE("release, reassign and cancel; a kind decides where its tasks may go", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue issue = set_up(f.desk);
  Task t = f.desk.create_task(test::office(), issue.code, TaskRequest{"investigate", "roads", "u-1"});
  CHECK(t.assignee == "u-1");
  CHECK(ids(f.desk.my_tasks(person("u-1"))) == std::vector<std::int64_t>{t.id});
  t = f.desk.release_task(person("u-1"), t.id);
  CHECK(t.claimable());
  t = f.desk.assign_task(test::office(), t.id, "roads", "u-3");
  CHECK(t.assignee == "u-3");
  t = f.desk.cancel_task(test::office(), t.id, "Duplicate of another report.");
  CHECK(t.state == TaskState::cancelled);
  CHECK(t.notes == "Duplicate of another report.");
  CHECK(f.desk.my_tasks(person("u-3")).empty());

  std::string before = f.desk.dump();
  // Investigate tasks go to roads only; its assignee must be a member.
  CHECK(expect_error(Errc::invalid_input, [&] {
          f.desk.create_task(test::office(), issue.code, TaskRequest{"investigate", "", "outsider"});
        }).where() == "assignee");
  CHECK(expect_error(Errc::invalid_input, [&] {
          f.desk.create_task(test::office(), issue.code, TaskRequest{"investigate", "roads", "outsider"});
        }).where() == "assignee");
  CHECK(expect_error(Errc::invalid_input, [&] {
          f.desk.create_task(test::office(), issue.code, TaskRequest{"investigate", "parks"});
        }).where() == "group");
  CHECK(expect_error(Errc::invalid_input, [&] {
          f.desk.create_task(test::office(), issue.code, TaskRequest{"audit", "roads"});
        }).where() == "kind");
  // Its options are its kind's.
  TaskRequest changed{"investigate", "roads"};
  changed.mandatory = false;
  CHECK(expect_error(Errc::invalid_input, [&] { f.desk.create_task(test::office(), issue.code, changed); }).where() ==
        "mandatory");
  CHECK(f.desk.dump() == before);
  // An acknowledgement goes to an office user, with options its creator may change.
  TaskRequest ack{"acknowledge", "", "u-4"};
  ack.access = TaskAccess::everything;
  ack.instructions = "Call the resident first.";
  Task a = f.desk.create_task(test::office(), issue.code, ack);
  CHECK(a.instructions == "Call the resident first.");
  CHECK(a.access == TaskAccess::everything);
  CHECK_FALSE(a.mandatory);
  CHECK(expect_error(Errc::invalid_state, [&] { f.desk.claim_task(person("u-4"), a.id); }).where() == "id");
}

TEST_CASE("of many claims at once on one SQLite file, exactly one wins each task") {
  test::TempDir dir;
  std::string path = dir.file("claims.db");
  constexpr int tasks = 60, threads = 6;
  {
    Desk desk(open_sqlite(path), DeskOptions{std::make_shared<ManualClock>(test::t0())});
    Issue issue = set_up(desk, threads);
    for (int i = 0; i < tasks; ++i) desk.create_task(test::office(), issue.code, TaskRequest{"investigate", "roads"});
  }
  std::atomic<int> wins{0}, conflicts{0}, other{0};
  std::vector<std::vector<std::int64_t>> won(threads);
  std::vector<std::thread> pool;
  std::atomic<bool> go{false};
  for (int k = 0; k < threads; ++k)
    pool.emplace_back([&, k] {
      // Each thread its own desk and connection, as separate app servers would have.
      Desk desk(open_sqlite(path), DeskOptions{std::make_shared<ManualClock>(test::t0())});
      Actor me = person("u-" + std::to_string(k + 1));
      while (!go) std::this_thread::yield();
      for (std::int64_t id = 1; id <= tasks; ++id) {
        try {
          desk.claim_task(me, id);
          won[k].push_back(id);
          ++wins;
        } catch (const Conflict &) {
          ++conflicts;
        } catch (...) {
          ++other;
        }
      }
    });
  go = true;
  for (auto &t : pool) t.join();
  CHECK(other == 0);
  CHECK(wins == tasks);
  CHECK(conflicts == tasks * (threads - 1));
  std::vector<int> claims(tasks + 1, 0);
  for (const auto &list : won)
    for (auto id : list) ++claims[id];
  for (int id = 1; id <= tasks; ++id) CHECK(claims[id] == 1);
}

TEST_CASE("two processes claiming from one queue claim each task exactly once") {
  test::TempDir dir;
  std::string path = dir.file("claims.db");
  constexpr int tasks = 200;
  std::string code;
  {
    Desk desk(open_sqlite(path), DeskOptions{std::make_shared<ManualClock>(test::t0())});
    Issue issue = set_up(desk, 2);
    code = issue.code;
    for (int i = 0; i < tasks; ++i) desk.create_task(test::office(), issue.code, TaskRequest{"investigate", "roads"});
  }
  auto results = test::in_processes(2, [&](int p) {
    Desk desk(open_sqlite(path), DeskOptions{std::make_shared<ManualClock>(test::t0())});
    Actor me = person("u-" + std::to_string(p + 1));
    int won = 0;
    // Each takes the queue's head until it is empty, as a person's "next task" would.
    for (;;) {
      auto next = desk.claimable_tasks(me, 0, 1);
      if (next.empty()) break;
      try {
        desk.claim_task(me, next.front().id);
        ++won;
      } catch (const Conflict &) {
      }
    }
    return std::to_string(won);
  });
  int total = 0;
  for (const auto &won : results) total += std::atoi(won.c_str());
  CHECK(total == tasks);
  // The timeline holds exactly one claim per task.
  Desk desk(open_sqlite(path), DeskOptions{std::make_shared<ManualClock>(test::t0())});
  std::vector<int> claims(tasks + 1, 0);
  for (const auto &e : desk.timeline(root, code))
    for (const auto &c : e.changes)
      if (c.field.ends_with(" assignee") && c.before.empty()) ++claims[std::stoi(c.field.substr(5))];
  for (int id = 1; id <= tasks; ++id) CHECK(claims[id] == 1);
  CHECK(desk.claimable_tasks(person("u-1")).empty());
  CHECK(desk.verify_timeline(root, code).ok);
}

TEST_CASE_TEMPLATE("a close is refused while tasks are outstanding or a mandatory task was never done, naming them", B,
                   TEST_BACKENDS) {
  test::DeskFixture<B> f;
  for (const char *id : {"u-1", "u-2"}) f.desk.put_user(root, User{id, Role::office, id, {}});
  f.desk.put_group(root, Group{"roads", "Roads", {"u-1", "u-2"}});
  auto doc = Workflow::builtin("field-service").definition();
  doc.name = "guarded";
  TaskKindDef investigate{"investigate"};
  investigate.mandatory = true;
  TaskKindDef note{"note"};
  doc.tasks = {investigate, note};
  for (auto &a : doc.actions)
    if (a.name == "close") a.guards = {std::string(guard::no_open_tasks), std::string(guard::mandatory_tasks_done)};
  f.desk.install_workflow(root, Workflow::from_definition(doc));
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Damage Caused";
  r.description = "Pothole.";
  r.workflow = "guarded";
  Issue issue = f.desk.report(test::office(), r);
  auto close = [&] {
    return f.desk.act(test::admin(), issue.code, ActionRequest{"close", {{"note", "Repaired."}}, std::nullopt});
  };
  REQUIRE(Workflow::builtin("field-service").action("close"));
  // No task yet: the mandatory kind was never done.
  std::string before = f.desk.dump();
  auto e = expect_error(Errc::invalid_state, close);
  CHECK(e.where() == "action");
  CHECK(std::string(e.what()).find("no 'investigate' task was completed") != std::string::npos);
  CHECK(f.desk.dump() == before);
  Task t = f.desk.create_task(test::office(), issue.code, TaskRequest{"investigate", "roads"});
  Task n = f.desk.create_task(test::office(), issue.code, TaskRequest{"note", "roads"});
  e = expect_error(Errc::invalid_state, close);
  CHECK(std::string(e.what()).find("task 1 (investigate) is open") != std::string::npos);
  CHECK(std::string(e.what()).find("task 2 (note) is open") != std::string::npos);
  f.desk.claim_task(person("u-1"), t.id);
  f.desk.complete_task(person("u-1"), t.id, "Filled.");
  e = expect_error(Errc::invalid_state, close);  // the note task is still open
  CHECK(std::string(e.what()).find("task 2 (note) is open") != std::string::npos);
  CHECK(std::string(e.what()).find("task 1") == std::string::npos);
  f.desk.cancel_task(test::office(), n.id, "Not needed.");
  CHECK(close().is_closed());
}

TEST_CASE_TEMPLATE("completing a task of a kind with a template sends it to the customer, logged with the task", B,
                   TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_user(root, User{"u-1", Role::office, "Olivia Reyes", {}});
  f.desk.put_user(root, User{"cust-1", Role::customer, "Casey Smith", {}});
  MessageSettings quiet;
  quiet.acknowledgement = AcknowledgementMode::off;
  f.desk.set_message_settings(root, quiet);
  WorkflowDef def = Workflow::builtin("field-service").definition();
  def.name = "responding";
  TaskKindDef respond{"send_response"};
  respond.send_template = "final_resolution";
  def.tasks = {respond};
  f.desk.install_workflow(root, Workflow::from_definition(def));
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Damage Caused";
  r.description = "Pothole.";
  r.workflow = "responding";
  Issue issue = f.desk.report(test::office(), r);
  auto messages = [&] {
    std::vector<OutboxItem> out;
    for (const auto &i : f.desk.outbox_pending(test::system_actor()))
      if (i.kind == OutboxKind::message) out.push_back(i);
    return out;
  };
  REQUIRE(messages().empty());
  Task t = f.desk.create_task(test::office(), issue.code, TaskRequest{"send_response", "", "u-1"});
  CHECK(messages().empty());
  f.desk.complete_task(person("u-1"), t.id, "Replied to the resident.");
  auto sent = messages();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].recipient == "cust-1");
  CHECK(sent[0].event == "message:final_resolution");
  auto entry = f.desk.timeline(root, issue.code).back();
  CHECK(entry.change("task:1")->after == "completed");
  CHECK(entry.change("message"));
  CHECK(f.desk.verify_timeline(root, issue.code).ok);
}
