// SPEC R1.3: docs/permissions.md is the one table of who may call what. This
// reads it and, for every row, calls the operation as every role with no
// permissions, all of them, each alone and all but each, on a prepared desk,
// and expects Forbidden exactly where the table says so. It also checks that
// every Desk call and every C function that takes an actor has a row, so the
// page and the code cannot drift apart.
#include "support/markdown.hpp"
#include "support/support.hpp"

#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>

using namespace complaints;

namespace {

using test::cells_of;
using test::source_file;
using test::ticked;
using test::trim;

std::string without_ticks(std::string s) {
  std::erase(s, '`');
  return s;
}

struct Row {
  std::string call;  // the first cell, without backticks: "put_user: a new admin"
  std::vector<std::string> desk_calls;
  std::vector<std::string> c_functions;
  std::map<Role, std::string> cells;
};

std::vector<Row> read_table(const std::string &markdown) {
  std::vector<Row> rows;
  std::vector<Role> roles;
  std::stringstream in(markdown);
  std::string line;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (!line.starts_with("|")) {
      in_table = false;
      continue;
    }
    auto cells = cells_of(line);
    if (!in_table) {
      if (cells.size() < 2 || cells[0] != "call" || cells[1] != "C function") continue;
      REQUIRE_MESSAGE(roles.empty(), "docs/permissions.md has more than one table of calls");
      for (std::size_t i = 2; i < cells.size(); ++i) {
        auto role = role_from_string(cells[i]);
        REQUIRE_MESSAGE(role, "docs/permissions.md: '", cells[i], "' is not a role");
        roles.push_back(*role);
      }
      REQUIRE(roles.size() == 6);
      in_table = true;
      continue;
    }
    if (cells[0].starts_with("---")) continue;
    REQUIRE_MESSAGE(cells.size() == roles.size() + 2, "docs/permissions.md: a row of the wrong width: ", line);
    Row r;
    r.call = without_ticks(cells[0]);
    r.desk_calls = ticked(cells[0].substr(0, cells[0].find(':')));
    r.c_functions = ticked(cells[1]);
    for (std::size_t i = 0; i < roles.size(); ++i) r.cells[roles[i]] = cells[i + 2];
    rows.push_back(std::move(r));
  }
  REQUIRE_MESSAGE(!rows.empty(), "docs/permissions.md has no table of calls");
  return rows;
}

// --- the prepared desk ----------------------------------------------------------------

const Actor root{"root", Role::admin, Permissions::all()};
const RecordRef b1{RecordKind::booking, "B-1"};
const RecordRef b2{RecordKind::booking, "B-2"};

std::string id_of(Role role) {
  switch (role) {
    case Role::admin: return "admin-1";
    case Role::supervisor: return "super-1";
    case Role::office: return "office-1";
    case Role::system: return "host";
    case Role::fieldworker: return "fw-1";
    case Role::customer: return "cust-1";
  }
  return "";
}

ReportRequest complaint() {
  ReportRequest r;
  r.record = b1;
  r.type = "Damage Caused";
  r.description = "Scratched the kitchen bench.";
  return r;
}

// Each role's actor is registered and can see the issues: the customer owns
// B-1, the fieldworker is assigned to it. Another office user, a second
// issue (for links), a public attachment and a saved template are there too.
// The memory backend: every rule is decided above storage, and thousands of
// fresh desks on SQLite files would take a minute.
struct World {
  test::DeskFixture<test::MemoryBackend> f;
  Issue issue, other;
  std::int64_t attachment_id = 0;
  Issue tasked;                               // on a workflow with a task kind
  std::int64_t claimable = 0;                 // in group roads' queue
  std::int64_t others = 0;                    // worked by office-2
  std::map<std::string, std::int64_t> works;  // by actor id: a task that actor works
  std::int64_t tasked_attachment = 0;         // on `tasked`, which its tasks (access: attachments) show

  World() {
    for (auto role : {Role::admin, Role::supervisor, Role::office, Role::system, Role::fieldworker, Role::customer})
      f.desk.put_user(root, User{id_of(role), role, id_of(role), NotificationSettings::defaults_for(role)});
    f.desk.put_user(root, User{"office-2", Role::office, "Otto", {}});
    f.desk.put_record(root, Record{b1, "cust-1", {"fw-1", "fw-2"}, RecordVisibility::restricted, false});
    f.desk.put_record(root, Record{b2, "cust-1", {"fw-1"}, RecordVisibility::restricted, false});
    issue = f.desk.report(root, complaint());
    other = f.desk.report(root, complaint());
    Comment c = f.desk.add_comment(
        root, issue.code,
        CommentRequest{"Photo attached.", false, std::nullopt,
                       {AttachmentRequest{"photo.jpg", "image/jpeg", std::nullopt, std::string("JPEG"), 0, ""}}});
    attachment_id = c.attachments.at(0).id;
    f.desk.save_template(root, MessageTemplate{"custom_note", "Custom note", "About {{complaint_number}}", "<p>Hi</p>", "Hi"});
    WorkflowDef def = Workflow::builtin("field-service").definition();
    def.name = "tasked";
    TaskKindDef investigate{"investigate"};
    investigate.access = TaskAccess::attachments;
    def.tasks.push_back(investigate);
    f.desk.install_workflow(root, Workflow::from_definition(def));
    f.desk.put_group(root, Group{"roads", "Roads", {"admin-1", "fw-1", "office-1", "office-2", "super-1"}});
    ReportRequest r = complaint();
    r.workflow = "tasked";
    tasked = f.desk.report(root, r);
    tasked_attachment =
        f.desk.attach(root, tasked.code, AttachmentRequest{"plan.pdf", "application/pdf", std::nullopt, "PDF"}).id;
    claimable = f.desk.create_task(root, tasked.code, TaskRequest{"investigate", "roads"}).id;
    others = f.desk.create_task(root, tasked.code, TaskRequest{"investigate", "roads", "office-2"}).id;
    for (const char *id : {"admin-1", "super-1", "office-1", "fw-1"})
      works[id] = f.desk.create_task(root, tasked.code, TaskRequest{"investigate", "roads", id}).id;
  }
  std::int64_t mine(const Actor &a) const { return works.count(a.id) ? works.at(a.id) : claimable; }
  Desk &desk() { return f.desk; }
};

struct Call {
  std::function<void(World &, const Actor &)> run;
  bool writes = true;  // a success changes the store: the next call gets a fresh one
};

Call reads(std::function<void(World &, const Actor &)> f) { return {std::move(f), false}; }

const ActionDef &follow_up_action() {
  static const Workflow wf = Workflow::builtin("field-service");
  return *wf.action("schedule_follow_up");
}

// Every operation, by its row in docs/permissions.md.
std::map<std::string, std::vector<Call>> operations() {
  using W = World;
  using A = const Actor &;
  auto report_with = [](std::function<void(ReportRequest &)> change) {
    return Call{[change](W &w, A a) {
      ReportRequest r = complaint();
      change(r);
      w.desk().report(a, r);
    }};
  };
  return {
      {"install_workflow",
       {{[](W &w, A a) { w.desk().install_workflow(a, Workflow::builtin("customer-confirmation")); }},
        {[](W &w, A a) { w.desk().install_workflow(a, Workflow::builtin("staged-escalation").to_json()); }}}},
      {"add_status",
       {{[](W &w, A a) { w.desk().add_status(a, "field-service", StatusDef{"On Hold", "#123456", StatusCategory::pending}); }}}},
      {"add_issue_type", {{[](W &w, A a) { w.desk().add_issue_type(a, IssueType{"Noise", "#112233"}); }}}},
      {"workflow, workflow_names",
       {reads([](W &w, A a) { w.desk().workflow(a, "field-service"); }),
        reads([](W &w, A a) { w.desk().workflow_names(a); })}},
      {"issue_types", {reads([](W &w, A a) { w.desk().issue_types(a); })}},
      {"save_template, reset_template",
       {{[](W &w, A a) {
          w.desk().save_template(a, MessageTemplate{"other_note", "Other", "Re {{complaint_number}}", "<p>Yes</p>", "Yes"});
        }},
        {[](W &w, A a) { w.desk().reset_template(a, "custom_note"); }}}},
      {"message_template, template_names",
       {reads([](W &w, A a) { w.desk().message_template(a, templates::acknowledgement); }),
        reads([](W &w, A a) { w.desk().template_names(a); })}},
      {"set_message_settings", {{[](W &w, A a) { w.desk().set_message_settings(a, MessageSettings{}); }}}},
      {"message_settings", {reads([](W &w, A a) { w.desk().message_settings(a); })}},
      {"put_user: a new user, not an admin", {{[](W &w, A a) { w.desk().put_user(a, User{"new-1", Role::office, "Nia", {}}); }}}},
      {"put_user: a new admin", {{[](W &w, A a) { w.desk().put_user(a, User{"new-admin", Role::admin, "Ada", {}}); }}}},
      {"put_user: changing a registered user",
       {{[](W &w, A a) { w.desk().put_user(a, User{"office-2", Role::supervisor, "Otto", {}}); }}}},
      {"user", {reads([](W &w, A a) { w.desk().user(a, a.id); })}},
      {"set_notification_settings: your own",
       {{[](W &w, A a) { w.desk().set_notification_settings(a, a.id, NotificationSettings{NotifyScope::mine}); }}}},
      {"set_notification_settings: another user's",
       {{[](W &w, A a) { w.desk().set_notification_settings(a, "office-2", NotificationSettings{NotifyScope::mine}); }}}},
      {"put_record", {{[](W &w, A a) { w.desk().put_record(a, test::booking("B-3")); }}}},
      {"record", {reads([](W &w, A a) { w.desk().record(a, b1); })}},
      {"relink_record", {{[](W &w, A a) { w.desk().relink_record(a, b1, b2); }}}},
      {"report", {report_with([](ReportRequest &) {})}},
      {"report: naming fieldworkers", {report_with([](ReportRequest &r) { r.fieldworkers = std::vector<std::string>{"fw-1"}; })}},
      {"report: with hold_amounts",
       {report_with([](ReportRequest &r) { r.hold_amounts.insert_or_assign("fw-1", Money::of(5000, "AUD")); })}},
      {"report: with to_follow", {report_with([](ReportRequest &r) {
         r.to_follow = true;
         r.deferred_date = Date::parse("2026-02-01");
       })}},
      {"report: with a follow_up_date",
       {report_with([](ReportRequest &r) { r.follow_up_date = Date::parse("2026-02-01"); })}},
      {"act", {{[](W &w, A a) {
         w.desk().act(a, w.issue.code, ActionRequest{"schedule_follow_up", {{"date", "2026-02-01"}}, std::nullopt});
       }}}},
      {"available_actions", {reads([](W &w, A a) { w.desk().available_actions(a, w.issue.code); })}},
      {"edit", {{[](W &w, A a) {
         IssueEdit e;
         e.description = "Scratched the bench and the floor.";
         w.desk().edit(a, w.issue.code, e);
       }}}},
      {"get, list, timeline",
       {reads([](W &w, A a) { w.desk().get(a, w.issue.code); }), reads([](W &w, A a) { w.desk().list(a, {}); }),
        reads([](W &w, A a) { w.desk().timeline(a, w.issue.code); })}},
      {"search", {reads([](W &w, A a) { w.desk().search(a, "bench"); }),
                  reads([](W &w, A a) { w.desk().search(a, SearchOptions{"bench OR kitchen"}); })}},
      {"export_issues", {reads([](W &w, A a) { w.desk().export_issues(a, {}, [](std::string_view) {}); })}},
      {"dashboard", {reads([](W &w, A a) {
         DashboardOptions o;
         o.from = test::t0();
         o.to = test::t0() + std::chrono::hours(24);
         w.desk().dashboard(a, o);
       })}},
      {"verify_timeline", {reads([](W &w, A a) { w.desk().verify_timeline(a, w.issue.code); })}},
      {"delete_forever", {{[](W &w, A a) { w.desk().delete_forever(a, w.issue.code); }}}},
      {"add_comment, thread",
       {{[](W &w, A a) { w.desk().add_comment(a, w.issue.code, CommentRequest{"Any news?", false}); }},
        reads([](W &w, A a) { w.desk().thread(a, w.issue.code); })}},
      {"attach, attachments, attachment",
       {{[](W &w, A a) {
          w.desk().attach(a, w.issue.code, AttachmentRequest{"a.txt", "text/plain", std::nullopt, std::string("abc"), 0, ""});
        }},
        reads([](W &w, A a) { w.desk().attachments(a, w.issue.code); }),
        reads([](W &w, A a) { w.desk().attachment(a, w.attachment_id); })}},
      {"watch, unwatch: yourself",
       {{[](W &w, A a) { w.desk().watch(a, w.issue.code, a.id); }},
        {[](W &w, A a) { w.desk().unwatch(a, w.issue.code, a.id); }}}},
      {"watch, unwatch: another user",
       {{[](W &w, A a) { w.desk().watch(a, w.issue.code, "office-2"); }},
        {[](W &w, A a) { w.desk().unwatch(a, w.issue.code, "office-2"); }}}},
      {"watchers", {reads([](W &w, A a) { w.desk().watchers(a, w.issue.code); })}},
      {"link_issues, unlink_issues",
       {{[](W &w, A a) { w.desk().link_issues(a, w.issue.code, w.other.code, LinkKind::related); }},
        {[](W &w, A a) { w.desk().unlink_issues(a, w.issue.code, w.other.code, LinkKind::related); }}}},
      {"links", {reads([](W &w, A a) { w.desk().links(a, w.issue.code); })}},
      {"withhold_payment", {{[](W &w, A a) {
         w.desk().withhold_payment(a, HoldRequest{b1, "fw-1", Money::of(100, "AUD"), HoldScope::portion, "Billing dispute"});
       }}}},
      {"release_payment", {{[](W &w, A a) { w.desk().release_payment(a, ReleaseRequest{b1, "fw-1", "Settled"}); }}}},
      {"release_payment: with override, issues still open",
       {{[](W &w, A a) { w.desk().release_payment(a, ReleaseRequest{b1, "fw-1", "Hardship", true}); }}}},
      {"may_pay",
       {reads([](W &w, A a) { w.desk().may_pay(a, b1, "fw-1"); }), reads([](W &w, A a) {
          std::vector<PayQuery> q{{b1, "fw-1"}};
          w.desk().may_pay(a, q);
        })}},
      {"holds", {reads([](W &w, A a) { w.desk().holds(a, {}); })}},
      {"stalled_holds, hold_report",
       {reads([](W &w, A a) { w.desk().stalled_holds(a, std::chrono::hours(24)); }),
        reads([](W &w, A a) { w.desk().hold_report(a, test::t0(), test::t0() + std::chrono::hours(24)); })}},
      {"preview_message, send_message",
       {reads([](W &w, A a) { w.desk().preview_message(a, w.issue.code, templates::acknowledgement); }),
        {[](W &w, A a) { w.desk().send_message(a, w.issue.code, templates::acknowledgement); }}}},
      {"preview_reminder, send_reminder",
       {reads([](W &w, A a) { w.desk().preview_reminder(a, "fw-1"); }),
        {[](W &w, A a) { w.desk().send_reminder(a, "fw-1"); }}}},
      {"put_group", {{[](W &w, A a) { w.desk().put_group(a, Group{"parks", "Parks", {"office-2"}}); }}}},
      {"groups", {reads([](W &w, A a) { w.desk().groups(a); })}},
      {"create_task", {{[](W &w, A a) { w.desk().create_task(a, w.tasked.code, TaskRequest{"investigate", "roads"}); }}}},
      {"claim_task: a member of its group", {{[](W &w, A a) { w.desk().claim_task(a, w.claimable); }}}},
      {"release_task, complete_task: a task you work",
       {{[](W &w, A a) { w.desk().release_task(a, w.mine(a)); }},
        {[](W &w, A a) { w.desk().complete_task(a, w.mine(a), "Done."); }}}},
      {"release_task: a task someone else works", {{[](W &w, A a) { w.desk().release_task(a, w.others); }}}},
      {"complete_task: a task someone else works",
       {{[](W &w, A a) { w.desk().complete_task(a, w.others, "Done."); }}}},
      {"assign_task, cancel_task",
       {{[](W &w, A a) { w.desk().assign_task(a, w.claimable, "roads", "fw-1"); }},
        {[](W &w, A a) { w.desk().cancel_task(a, w.claimable, "Not needed."); }}}},
      {"task", {reads([](W &w, A a) { w.desk().task(a, w.claimable); })}},
      {"tasks", {reads([](W &w, A a) { w.desk().tasks(a, w.tasked.code); })}},
      {"task_case, task_attachment: a task you work, or on an issue you see",
       {reads([](W &w, A a) { w.desk().task_case(a, w.mine(a)); }),
        reads([](W &w, A a) { w.desk().task_attachment(a, w.mine(a), w.tasked_attachment); })}},
      {"claimable_tasks, my_tasks",
       {reads([](W &w, A a) { w.desk().claimable_tasks(a); }), reads([](W &w, A a) { w.desk().my_tasks(a); })}},
      {"process_due", {reads([](W &w, A a) { w.desk().process_due(a); })}},
      {"next_due", {reads([](W &w, A a) { w.desk().next_due(a); })}},
      {"set_calendar", {{[](W &w, A a) { w.desk().set_calendar(a, BusinessCalendar{}); }}}},
      {"calendar", {reads([](W &w, A a) { w.desk().calendar(a); })}},
      {"sla_clocks", {reads([](W &w, A a) { w.desk().sla_clocks(a, w.issue.code); })}},
      {"to_follow_count: your own", {reads([](W &w, A a) { w.desk().to_follow_count(a, a.id); })}},
      {"to_follow_count: another user's", {reads([](W &w, A a) { w.desk().to_follow_count(a, "office-2"); })}},
      {"outbox_pending, outbox_ack",
       {reads([](W &w, A a) { w.desk().outbox_pending(a); }),
        {[](W &w, A a) {
          auto pending = w.desk().outbox_pending(test::system_actor(), 1);
          std::vector<std::int64_t> ids{pending.at(0).id};
          w.desk().outbox_ack(a, ids);
        }}}},
  };
}

// No permissions, all, each alone, all but each.
std::vector<Permissions> permission_sets() {
  const Permission each[] = {Permission::delete_issues, Permission::release_payment, Permission::edit_issues,
                             Permission::manage_settings};
  std::vector<Permissions> out{Permissions{}, Permissions::all()};
  for (auto p : each) {
    out.push_back(Permissions{p});
    out.push_back(Permissions::from_bits(Permissions::all().bits() & ~Permissions{p}.bits()));
  }
  return out;
}

std::string permissions_text(Permissions ps) {
  std::string out;
  for (auto p : {Permission::delete_issues, Permission::release_payment, Permission::edit_issues,
                 Permission::manage_settings})
    if (ps.has(p)) out += (out.empty() ? "" : "+") + std::string(to_string(p));
  return out.empty() ? "none" : out;
}

// What a cell says for this actor: true when the call must be Forbidden.
bool refused_by(const std::string &cell, const Actor &actor) {
  if (cell == "yes") return false;
  if (cell == "no") return true;
  if (cell == "rules") return !Workflow::allowed(follow_up_action(), actor);
  Permissions needed;
  std::stringstream in(cell);
  std::string name;
  while (std::getline(in, name, '+')) {
    auto p = permission_from_string(trim(name));
    REQUIRE_MESSAGE(p, "docs/permissions.md: '", cell, "' is not yes, no, rules or permissions joined by +");
    needed.add(*p);
  }
  return !actor.permissions.has_all(needed);
}

}  // namespace

TEST_CASE("docs/permissions.md is what every call enforces, for every role with and without each permission") {
  auto rows = read_table(source_file("docs/permissions.md"));
  auto ops = operations();
  std::set<std::string> covered;
  auto world = std::make_unique<World>();
  int calls = 0;
  for (const auto &row : rows) {
    auto op = ops.find(row.call);
    REQUIRE_MESSAGE(op != ops.end(), "docs/permissions.md row '", row.call, "' has no operation in this test");
    REQUIRE_MESSAGE(covered.insert(row.call).second, "docs/permissions.md lists '", row.call, "' twice");
    for (const auto &[role, cell] : row.cells)
      for (auto perms : permission_sets()) {
        Actor actor{id_of(role), role, perms};
        bool expected = refused_by(cell, actor);
        for (std::size_t i = 0; i < op->second.size(); ++i) {
          const Call &call = op->second[i];
          bool forbidden = false, failed = false;
          std::string outcome = "allowed";
          try {
            call.run(*world, actor);
          } catch (const Forbidden &e) {
            forbidden = failed = true;
            outcome = std::string("Forbidden: ") + e.what();
          } catch (const Error &e) {
            failed = true;
            outcome = std::string(to_string(e.code())) + ": " + e.what();
          }
          CHECK_MESSAGE(forbidden == expected, "'", row.call, "' (call ", i + 1, ") as ", std::string(to_string(role)),
                        " with ", permissions_text(perms), ": the table says ",
                        std::string(expected ? "Forbidden" : "allowed"), ", got ", outcome);
          if (call.writes && !failed) world = std::make_unique<World>();
          ++calls;
        }
      }
  }
  for (const auto &[name, calls_of] : ops)
    CHECK_MESSAGE(covered.count(name), "'", name, "' is tested here but has no row in docs/permissions.md");
  CHECK(calls > 1000);
}

TEST_CASE("every Desk call and C function that takes an actor has a row in docs/permissions.md") {
  auto rows = read_table(source_file("docs/permissions.md"));
  std::set<std::string> desk_calls, c_functions;
  for (const auto &row : rows) {
    desk_calls.insert(row.desk_calls.begin(), row.desk_calls.end());
    c_functions.insert(row.c_functions.begin(), row.c_functions.end());
  }

  std::string desk = source_file("include/complaints/desk.hpp");
  std::regex desk_decl(R"(\b([a-z_]+)\(const Actor &actor)");
  int seen = 0;
  for (auto it = std::sregex_iterator(desk.begin(), desk.end(), desk_decl); it != std::sregex_iterator(); ++it, ++seen)
    CHECK_MESSAGE(desk_calls.count((*it)[1]), "Desk::", (*it)[1].str(), " takes an actor but has no row");
  CHECK(seen > 40);
  for (const auto &name : desk_calls)
    CHECK_MESSAGE(desk.find(" " + name + "(const Actor &actor") != std::string::npos, "the table names Desk::", name,
                  ", which desk.hpp does not declare");

  std::string header = source_file("capi/complaints.h");
  std::regex c_decl(R"(COMPLAINTS_C_API int (complaints_[a-z_]+)\(([^;]*)\);)");
  seen = 0;
  for (auto it = std::sregex_iterator(header.begin(), header.end(), c_decl); it != std::sregex_iterator(); ++it) {
    if ((*it)[2].str().find("complaints_actor *actor") == std::string::npos) continue;
    ++seen;
    CHECK_MESSAGE(c_functions.count((*it)[1]), (*it)[1].str(), " takes an actor but has no row");
  }
  CHECK(seen > 40);
  for (const auto &name : c_functions)
    CHECK_MESSAGE(header.find(" " + name + "(") != std::string::npos, "the table names ", name,
                  ", which complaints.h does not declare");
}

TEST_CASE_TEMPLATE("an office user without manage_settings cannot demote an admin or rewrite a user's settings", B,
                   TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_user(root, User{"admin-1", Role::admin, "Adam", {}});
  std::string before = f.desk.dump();
  const Actor clerk{"office-1", Role::office, {Permission::edit_issues}};
  CHECK(test::expect_error(Errc::forbidden, [&] { f.desk.put_user(clerk, User{"admin-1", Role::office, "Adam", {}}); })
            .where() == "actor.permissions");
  CHECK(test::expect_error(Errc::forbidden, [&] {
          f.desk.put_user(clerk, User{"admin-1", Role::admin, "Adam", {NotifyScope::replies, false, false, false}});
        }).where() == "actor.permissions");
  const Actor customer_with_bits{"cust-1", Role::customer, Permissions::all()};
  CHECK(test::expect_error(Errc::forbidden, [&] {
          f.desk.set_notification_settings(customer_with_bits, "admin-1", NotificationSettings{NotifyScope::replies});
        }).where() == "actor.role");
  CHECK(f.desk.dump() == before);
  // With the permission, or for a new user, it goes through.
  f.desk.put_user(clerk, User{"office-2", Role::office, "Otto", {}});
  const Actor manager{"office-9", Role::office, {Permission::manage_settings}};
  f.desk.put_user(manager, User{"admin-1", Role::supervisor, "Adam", {}});
  CHECK(f.desk.user(root, "admin-1").role == Role::supervisor);
}

TEST_CASE_TEMPLATE("a customer's report names no fieldworkers, hold amounts or follow-up dates", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking("B-1"));
  auto refused = [&](const std::string &field, std::function<void(ReportRequest &)> change) {
    ReportRequest r = complaint();
    change(r);
    CAPTURE(field);
    std::string before = f.desk.dump();
    CHECK(test::expect_error(Errc::forbidden, [&] { f.desk.report(test::customer(), r); }).where() == field);
    CHECK(f.desk.dump() == before);
    CHECK_NOTHROW(f.desk.report(test::office(), r));  // staff business: staff may
  };
  refused("hold_amounts", [](ReportRequest &r) { r.hold_amounts.insert_or_assign("fw-1", Money::of(100, "AUD")); });
  refused("fieldworkers", [](ReportRequest &r) { r.fieldworkers = std::vector<std::string>{"fw-2"}; });
  refused("to_follow", [](ReportRequest &r) { r.to_follow = true; });
  refused("follow_up_date", [](ReportRequest &r) { r.follow_up_date = Date::parse("2026-02-01"); });
  ReportRequest plain = complaint();
  Issue mine = f.desk.report(test::customer(), plain);
  CHECK(mine.fieldworkers == std::vector<std::string>{"fw-1", "fw-2"});  // all assigned: staff narrow it later
  CHECK(mine.channel == Channel::customer_portal);
}
