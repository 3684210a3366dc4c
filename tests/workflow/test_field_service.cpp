// SPEC R3.4: every action of the built-in field-service workflow, for every
// role, from every status. Allowed actions give the right status and timeline
// entry; forbidden ones raise Forbidden (wrong role) or InvalidState (wrong
// status) and change nothing.
#include "support/support.hpp"

#include <set>

using namespace complaints;
using test::expect_error;

namespace {

const std::vector<std::string> statuses = {"New", "In Progress", "Reopened", "Awaiting Approval", "Closed"};

struct Rule {
  std::string action;
  std::set<std::string> roles;  // names from the cast below
  std::set<std::string> from;
  std::string to;
  std::map<std::string, std::string, std::less<>> inputs;
};

// R3.4, written out independently of the workflow's JSON.
const std::vector<Rule> rules = {
    {"convert_to_in_progress", {"admin", "supervisor", "office"}, {"New", "Reopened"}, "In Progress", {}},
    {"schedule_follow_up",
     {"admin", "supervisor", "office", "fieldworker+edit"},
     {"New", "In Progress", "Reopened"},
     "In Progress",
     {{"date", "2026-01-12"}}},
    {"resolve", {"fieldworker", "fieldworker+edit"}, {"New", "In Progress", "Reopened"}, "Awaiting Approval",
     {{"note", "Replaced the bench top."}}},
    {"approve", {"admin", "supervisor"}, {"Awaiting Approval"}, "Closed", {}},
    {"send_back", {"admin", "supervisor"}, {"Awaiting Approval"}, "In Progress", {{"note", "Photos missing."}}},
    {"close", {"admin", "supervisor"}, {"New", "In Progress", "Awaiting Approval", "Reopened"}, "Closed", {}},
    {"reopen", {"admin", "supervisor"}, {"Closed"}, "Reopened", {}},
    {"change_status",
     {"admin", "supervisor", "office"},
     {"New", "In Progress", "Reopened", "Awaiting Approval"},
     "Awaiting Approval",
     {{"status", "Awaiting Approval"}}},
};

const std::map<std::string, Actor> cast = {
    {"admin", test::admin()},
    {"supervisor", test::supervisor()},
    {"office", test::office()},
    {"fieldworker", test::fieldworker("fw-1")},
    {"fieldworker+edit", Actor{"fw-2", Role::fieldworker, {Permission::edit_issues}}},
    {"customer", test::customer("cust-1")},
    {"system", test::system_actor()},
};

// Brings a new issue on B-1 to `status` by the workflow's own actions.
template <typename F>
Issue issue_in(F &f, const std::string &status) {
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Unsatisfactory Job";
  r.description = "Grout left on the tiles.";
  Issue i = f.desk.report(test::office(), r);
  if (status == "In Progress") i = f.act(test::office(), i, "convert_to_in_progress");
  if (status == "Awaiting Approval") i = f.act(test::fieldworker("fw-1"), i, "resolve");
  if (status == "Closed" || status == "Reopened") i = f.act(test::admin(), i, "close");
  if (status == "Reopened") i = f.act(test::admin(), i, "reopen");
  REQUIRE(i.status == status);
  return i;
}

}  // namespace

TEST_CASE_TEMPLATE("every field-service action for every role from every status", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking("B-1"));
  int allowed = 0, forbidden = 0, wrong_status = 0;
  for (const auto &rule : rules)
    for (const auto &cast_member : cast)
      for (const auto &status : statuses) {
        const std::string &role_name = cast_member.first;  // (clang 14 cannot capture structured bindings)
        const Actor &actor = cast_member.second;
        CAPTURE(rule.action);
        CAPTURE(role_name);
        CAPTURE(status);
        Issue before = issue_in(f, status);
        f.clock->advance(std::chrono::minutes(1));
        std::string dump = f.desk.dump();
        ActionRequest req{rule.action, rule.inputs, std::nullopt};
        bool role_ok = rule.roles.count(role_name) > 0;
        bool status_ok = rule.from.count(status) > 0;
        if (role_ok && status_ok) {
          ++allowed;
          Issue after = f.desk.act(actor, before.code, req);
          CHECK(after.status == rule.to);
          CHECK(after.version == before.version + 1);
          CHECK(after.updated_at == f.clock->now());
          auto tl = f.desk.timeline(test::admin(), after.code);
          REQUIRE_FALSE(tl.empty());
          const TimelineEntry &last = tl.back();
          CHECK(last.kind == "action");
          CHECK(last.action == rule.action);
          CHECK(last.actor_id == actor.id);
          CHECK(last.actor_role == actor.role);
          CHECK(last.at == f.clock->now());
          REQUIRE(last.change("status"));
          CHECK(last.change("status")->before == status);
          CHECK(last.change("status")->after == rule.to);
          if (rule.action == "schedule_follow_up") CHECK(after.follow_up_date == Date::parse("2026-01-12"));
          if (rule.inputs.count("note")) CHECK(last.note == rule.inputs.at("note"));
          CHECK(f.desk.verify_timeline(test::admin(), after.code).ok);
        } else {
          Errc expected = role_ok ? Errc::invalid_state : Errc::forbidden;
          (role_ok ? wrong_status : forbidden)++;
          expect_error(expected, [&] { f.desk.act(actor, before.code, req); });
          CHECK(f.desk.dump() == dump);
          CHECK(f.desk.get(test::admin(), before.code) == before);
        }
      }
  // Every cell of the matrix was exercised.
  CHECK(allowed + forbidden + wrong_status == static_cast<int>(rules.size() * cast.size() * statuses.size()));
  CHECK(allowed == 50);
}

TEST_CASE_TEMPLATE("available actions follow the role and status", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = f.report_on_booking();
  using V = std::vector<std::string>;
  CHECK(f.desk.available_actions(test::admin(), i.code) == V{"convert_to_in_progress", "schedule_follow_up", "close",
                                                              "change_status"});
  CHECK(f.desk.available_actions(test::fieldworker("fw-1"), i.code) == V{"resolve"});
  CHECK(f.desk.available_actions(test::customer(), i.code).empty());
  i = f.act(test::fieldworker("fw-1"), i, "resolve");
  CHECK(f.desk.available_actions(test::supervisor(), i.code) == V{"approve", "send_back", "close", "change_status"});
  CHECK(f.desk.available_actions(test::fieldworker("fw-1"), i.code).empty());
}

TEST_CASE_TEMPLATE("a fieldworker not assigned to the booking cannot see or act on its issues", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = f.report_on_booking();
  expect_error(Errc::not_found, [&] { f.act(test::fieldworker("fw-9"), i, "resolve"); });
  expect_error(Errc::not_found, [&] { f.desk.get(test::fieldworker("fw-9"), i.code); });
}

TEST_CASE_TEMPLATE("action inputs are checked against the workflow", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = f.report_on_booking();
  std::string dump = f.desk.dump();
  CHECK(expect_error(Errc::invalid_input, [&] { f.act(test::office(), i, "schedule_follow_up"); }).where() ==
        "inputs.date");
  CHECK(expect_error(Errc::invalid_input,
                     [&] { f.act(test::office(), i, "schedule_follow_up", {{"date", "2026-02-30"}}); })
            .where() == "inputs.date");
  CHECK(expect_error(Errc::invalid_input, [&] { f.act(test::admin(), i, "close", {{"colour", "red"}}); }).where() ==
        "inputs.colour");
  CHECK(expect_error(Errc::invalid_input, [&] { f.act(test::office(), i, "change_status", {{"status", "Closed"}}); })
            .where() == "inputs.status");
  CHECK(expect_error(Errc::invalid_input, [&] { f.act(test::office(), i, "fly_away"); }).where() == "action");
  CHECK(expect_error(Errc::invalid_input,
                     [&] { f.act(test::admin(), i, "close", {{"note", std::string(10001, 'x')}}); })
            .where() == "inputs.note");
  CHECK(f.desk.dump() == dump);
}
