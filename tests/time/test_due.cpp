// Due work on a manual clock, on every backend (SPEC R8.1-R8.3): timers fire
// exactly once through the action path, are replaced and dropped as the
// workflow says; To Follow reminders follow the deferred date; the Open
// Complaints Reminder keeps its schedule; SLA warnings and breaches fire once.
#include "support/faulty_storage.hpp"
#include "support/support.hpp"

using namespace complaints;
using namespace std::chrono_literals;

namespace {

// A small workflow with a timer and an SLA that pauses while waiting.
constexpr const char *waiting_workflow = R"({
  "name": "waiting", "initial": "Open",
  "statuses": [{"name": "Open", "category": "open"}, {"name": "Waiting", "category": "pending"},
               {"name": "Closed", "category": "closed"}],
  "slas": [{"name": "respond", "within": "2d", "business": true, "warn_percent": 50, "pause_in": ["pending"]}],
  "on_report": [{"type": "sla", "op": "start", "sla": "respond"}],
  "actions": [
    {"name": "wait", "from": ["Open", "Waiting"], "to": "Waiting", "allow": ["office"],
     "effects": [{"type": "set_timer", "timer": "expire", "after": "2d", "action": "expire"}]},
    {"name": "resume", "from": ["Waiting"], "to": "Open", "allow": ["office"]},
    {"name": "expire", "from": ["Waiting"], "to": "Closed", "allow": ["system"]},
    {"name": "close", "from": ["Open", "Waiting"], "to": "Closed", "allow": ["office"]}
  ]
})";

const Actor runner{"scheduler", Role::system, {}};

template <typename B>
struct Due : test::DeskFixture<B> {
  std::vector<Event> events;
  Due() {
    this->desk.events().any().connect([this](const Event &e) { events.push_back(e); });
    this->desk.install_workflow(test::admin(), std::string_view(waiting_workflow));
    this->desk.install_workflow(test::admin(), Workflow::builtin("customer-confirmation"));
    MessageSettings quiet;
    quiet.acknowledgement = AcknowledgementMode::off;  // no acknowledgement clock unless a test wants one
    this->desk.set_message_settings(test::admin(), quiet);
    this->desk.put_record(test::office(), test::booking("B-1"));
  }

  Issue report(const std::string &workflow, std::optional<Date> deferred = std::nullopt) {
    ReportRequest r;
    r.record = {RecordKind::booking, "B-1"};
    r.type = "Late Service";
    r.description = "Nobody came on Tuesday.";
    r.workflow = workflow;
    if (deferred) {
      r.to_follow = true;
      r.deferred_date = deferred;
    }
    return this->desk.report(test::office(), r);
  }

  std::vector<DueRun> run_at(Timestamp t) {
    this->clock->set(t);
    return this->desk.process_due(runner);
  }

  int count(EventKind kind) const {
    return static_cast<int>(std::count_if(events.begin(), events.end(), [&](const Event &e) { return e.kind == kind; }));
  }
};

Timestamp at(const char *text) { return parse_timestamp(text); }

}  // namespace

TEST_CASE_TEMPLATE("a timer fires once, at its time, through the action path as the system", B, TEST_BACKENDS) {
  Due<B> f;
  Issue i = f.report("customer-confirmation");
  i = f.act(test::office(), i, "assign", {{"assignee", "fw-1"}});
  i = f.act(test::fieldworker(), i, "accept");
  i = f.act(test::fieldworker(), i, "resolve", {{"feedback", "Fixed the hinge."}});
  REQUIRE(i.timers.size() == 1);
  Timestamp due = test::t0() + 96h;
  CHECK(f.desk.next_due(test::office()) == due);

  CHECK(f.run_at(due - 1ms).empty());
  f.events.clear();
  auto ran = f.run_at(due);
  REQUIRE(ran.size() == 1);
  CHECK(ran[0] == DueRun{i.code, "timer", "auto_close", due, DueOutcome::ran, "auto_close"});
  Issue closed = f.desk.get(test::office(), i.code);
  CHECK(closed.status == "Closed");
  CHECK(closed.timers.empty());
  auto timeline = f.desk.timeline(test::office(), i.code);
  const TimelineEntry &last = timeline.back();
  CHECK(last.action == "auto_close");
  CHECK(last.actor_id == "scheduler");
  CHECK(last.actor_role == Role::system);
  REQUIRE(last.change("timer:auto_close"));
  CHECK(last.change("timer:auto_close")->after == "fired");
  CHECK(f.count(EventKind::status_changed) == 1);
  CHECK(f.desk.verify_timeline(test::office(), i.code).ok);

  // Idempotent: the same instant, or later, runs nothing more.
  CHECK(f.run_at(due).empty());
  CHECK(f.run_at(due + 24h).empty());
  CHECK_FALSE(f.desk.next_due(test::office()));
  // The customer never sees the timer's mechanics on the timeline.
  for (const auto &e : f.desk.timeline(test::customer(), i.code)) CHECK_FALSE(e.change("timer:auto_close"));
}

TEST_CASE_TEMPLATE("a customer's confirmation cancels the auto-close timer", B, TEST_BACKENDS) {
  Due<B> f;
  Issue i = f.report("customer-confirmation");
  i = f.act(test::office(), i, "assign", {{"assignee", "fw-1"}});
  i = f.act(test::fieldworker(), i, "accept");
  i = f.act(test::fieldworker(), i, "resolve", {{"feedback", "Fixed."}});
  i = f.act(test::customer(), i, "confirm");
  CHECK(i.status == "Closed");
  CHECK(i.timers.empty());
  CHECK_FALSE(f.desk.next_due(test::office()));
  CHECK(f.run_at(test::t0() + 200h).empty());
}

TEST_CASE_TEMPLATE("a timer set again replaces the first and fires once, at the new time", B, TEST_BACKENDS) {
  Due<B> f;
  Issue i = f.report("waiting");
  i = f.act(test::office(), i, "wait");
  f.clock->advance(24h);
  i = f.act(test::office(), i, "wait");
  REQUIRE(i.timers.size() == 1);
  CHECK(i.timers[0].due_at == test::t0() + 72h);
  for (const DueRun &run : f.run_at(test::t0() + 48h)) CHECK(run.kind != "timer");  // the first time passes quietly
  CHECK(f.desk.get(test::office(), i.code).status == "Waiting");
  auto ran = f.run_at(test::t0() + 72h);
  REQUIRE(ran.size() == 1);
  CHECK(ran[0].kind == "timer");
  CHECK(f.desk.get(test::office(), i.code).status == "Closed");
  CHECK(f.run_at(test::t0() + 100h).empty());
  int fired = 0;
  for (const auto &e : f.desk.timeline(test::office(), i.code)) fired += e.action == "expire";
  CHECK(fired == 1);
}

TEST_CASE_TEMPLATE("a timer whose action no longer applies is dropped with a note, not retried", B, TEST_BACKENDS) {
  Due<B> f;
  Issue i = f.report("waiting");
  i = f.act(test::office(), i, "wait");
  i = f.act(test::office(), i, "close");  // moves on without cancelling the timer
  REQUIRE(i.timers.size() == 1);
  auto ran = f.run_at(test::t0() + 48h);
  REQUIRE(ran.size() == 1);
  CHECK(ran[0].outcome == DueOutcome::dropped);
  CHECK(ran[0].detail.find("cannot be taken from status 'Closed'") != std::string::npos);
  Issue after = f.desk.get(test::office(), i.code);
  CHECK(after.status == "Closed");
  CHECK(after.timers.empty());
  const TimelineEntry note = f.desk.timeline(test::office(), i.code).back();
  CHECK(note.kind == entry_kind::due_dropped);
  CHECK(note.internal);
  CHECK(note.note == ran[0].detail);
  CHECK(f.run_at(test::t0() + 96h).empty());
  CHECK(f.desk.verify_timeline(test::office(), i.code).ok);
}

TEST_CASE_TEMPLATE("To Follow reminders go out on the deferred date and move with it", B, TEST_BACKENDS) {
  Due<B> f;
  Issue i = f.report("field-service", Date::from_ymd(2026, 1, 8));
  CHECK(i.reminder_at == at("2026-01-08T09:00:00Z"));  // the day's opening in the desk's calendar
  CHECK(f.desk.to_follow_count(test::office(), "office-1") == 1);
  CHECK(f.desk.to_follow_count(test::office(), "someone-else") == 0);
  test::expect_error(Errc::forbidden, [&] { f.desk.to_follow_count(test::fieldworker(), "office-1"); });

  // Edited to Friday: the reminder moves.
  IssueEdit edit;
  edit.deferred_date = std::optional<Date>(Date::from_ymd(2026, 1, 9));
  i = f.desk.edit(test::office(), i.code, edit);
  CHECK(i.reminder_at == at("2026-01-09T09:00:00Z"));
  CHECK(f.run_at(at("2026-01-08T12:00:00Z")).empty());
  auto ran = f.run_at(at("2026-01-09T09:00:00Z"));
  REQUIRE(ran.size() == 1);
  CHECK(ran[0].kind == "to_follow");
  CHECK(ran[0].detail == "office-1");
  CHECK(f.count(EventKind::reminder_due) == 1);
  auto outbox = f.desk.outbox_pending(runner, 100);
  CHECK(std::any_of(outbox.begin(), outbox.end(), [](const OutboxItem &o) {
    return o.event == "reminder_due" && o.recipient == "office-1";
  }));
  // Sent once: still To Follow, but not reminded again.
  i = f.desk.get(test::office(), i.code);
  CHECK(i.to_follow);
  CHECK_FALSE(i.reminder_at);
  CHECK(f.run_at(at("2026-01-12T09:00:00Z")).empty());

  // A new date sets a new reminder; clearing the flag takes it away.
  edit.deferred_date = std::optional<Date>(Date::from_ymd(2026, 1, 20));
  i = f.desk.edit(test::office(), i.code, edit);
  CHECK(i.reminder_at == at("2026-01-20T09:00:00Z"));
  IssueEdit clear;
  clear.to_follow = false;
  i = f.desk.edit(test::office(), i.code, clear);
  CHECK_FALSE(i.reminder_at);
  CHECK_FALSE(f.desk.next_due(test::office()));
  CHECK(f.desk.to_follow_count(test::office(), "office-1") == 0);
}

TEST_CASE_TEMPLATE("the Open Complaints Reminder goes out on schedule to exactly the fieldworkers with open complaints",
                   B, TEST_BACKENDS) {
  Due<B> f;
  f.desk.put_record(test::office(), test::booking("B-2", "cust-2", {"fw-3"}));
  f.desk.put_record(test::office(), test::booking("B-3", "cust-3", {"fw-4"}));
  f.report("field-service");  // on B-1: fw-1 and fw-2
  ReportRequest r;
  r.record = {RecordKind::booking, "B-2"};
  r.type = "Other";
  r.description = "A closed one.";
  Issue closed = f.desk.report(test::office(), r);
  f.act(test::admin(), closed, "close");
  MessageSettings s = f.desk.message_settings(test::admin());
  WeeklySchedule mondays;
  mondays.days[static_cast<std::size_t>(Weekday::monday)] = true;
  mondays.minute = 8 * 60;
  s.reminder_schedule = mondays;
  f.desk.set_message_settings(test::admin(), s);
  Timestamp monday = at("2026-01-12T08:00:00Z");
  CHECK(f.desk.next_due(test::office()) == monday);

  auto ran = f.run_at(monday);
  REQUIRE(ran.size() == 1);
  CHECK(ran[0].kind == "schedule");
  std::vector<std::string> reminded;
  for (const auto &o : f.desk.outbox_pending(runner, 100))
    if (o.event == "message:open_complaints_reminder") reminded.push_back(o.recipient);
  CHECK(reminded == std::vector<std::string>{"fw-1", "fw-2"});
  CHECK(f.desk.next_due(test::office()) == at("2026-01-19T08:00:00Z"));
  CHECK(f.run_at(monday).empty());
  // Unscheduled: nothing more falls due.
  s.reminder_schedule.reset();
  f.desk.set_message_settings(test::admin(), s);
  CHECK_FALSE(f.desk.next_due(test::office()));
}

TEST_CASE_TEMPLATE("an SLA warns and breaches once each, telling the assignee and the admins", B, TEST_BACKENDS) {
  Due<B> f;
  f.desk.put_user(test::admin(), User{"admin-1", Role::admin, "Ada", NotificationSettings::defaults_for(Role::admin)});
  Issue i = f.report("waiting");  // "respond": 2 working days, warning at half
  REQUIRE(i.slas.size() == 1);
  CHECK(i.slas[0].due_at == at("2026-01-07T09:00:00Z"));
  CHECK(i.slas[0].warn_at == at("2026-01-05T17:00:00Z"));
  CHECK(f.run_at(at("2026-01-05T16:59:59Z")).empty());
  auto warned = f.run_at(at("2026-01-05T17:00:00Z"));
  REQUIRE(warned.size() == 1);
  CHECK(warned[0].kind == "sla_warning");
  CHECK(f.count(EventKind::sla_warning) == 1);
  auto breached = f.run_at(at("2026-01-07T09:00:00Z"));
  REQUIRE(breached.size() == 1);
  CHECK(breached[0].kind == "sla_breach");
  CHECK(f.count(EventKind::sla_breached) == 1);
  CHECK(f.run_at(at("2026-01-09T09:00:00Z")).empty());
  Issue after = f.desk.get(test::office(), i.code);
  REQUIRE(after.slas.size() == 1);
  CHECK(after.slas[0].warned);
  CHECK(after.slas[0].breached);
  CHECK(after.slas[0].breached_at == at("2026-01-07T09:00:00Z"));
  CHECK(after.slas[0].state == SlaState::running);  // still counting: a breach is not a stop
  CHECK(after.slas[0].used == 16h);                 // as of its last change, the breach
  auto live = f.desk.sla_clocks(test::office(), i.code);
  REQUIRE(live.size() == 1);
  CHECK(live[0].used == 32h);  // as of now, Friday 09:00: four working days
  CHECK(live[0].left() == -16h);
  int told = 0;
  for (const auto &o : f.desk.outbox_pending(runner, 100))
    if (o.recipient == "admin-1" && (o.event == "sla_warning" || o.event == "sla_breached")) ++told;
  CHECK(told == 2);  // one channel each (the admin's default: email)
  // The customer's timeline shows none of it.
  for (const auto &e : f.desk.timeline(test::customer(), i.code)) CHECK(e.kind != entry_kind::sla);
}

TEST_CASE_TEMPLATE("a waiting status pauses the SLA, and leaving it resumes with the time left", B, TEST_BACKENDS) {
  Due<B> f;
  Issue i = f.report("waiting");
  f.clock->set(at("2026-01-05T13:00:00Z"));  // 4 working hours in
  i = f.act(test::office(), i, "wait");
  REQUIRE(i.slas.size() == 1);
  CHECK(i.slas[0].state == SlaState::paused);
  CHECK(i.slas[0].paused_by_status);
  CHECK(i.slas[0].used == 4h);
  CHECK_FALSE(f.desk.next_due(test::office()) == i.slas[0].due_at);
  f.clock->set(at("2026-01-06T09:00:00Z"));
  i = f.act(test::office(), i, "resume");
  CHECK(i.slas[0].state == SlaState::running);
  CHECK(i.slas[0].due_at == at("2026-01-07T13:00:00Z"));  // 12 working hours left from Tuesday 09:00
  i = f.act(test::office(), i, "close");
  CHECK(i.slas[0].state == SlaState::stopped);
  CHECK_FALSE(i.slas[0].breached);
  REQUIRE(i.timers.size() == 1);  // "wait" set it, and closing does not cancel it
  CHECK(f.desk.next_due(test::office()) == i.timers[0].due_at);
}

TEST_CASE_TEMPLATE("sending the acknowledgement starts its SLA and the promise names the real due date", B,
                   TEST_BACKENDS) {
  Due<B> f;
  MessageSettings s = f.desk.message_settings(test::admin());
  s.acknowledgement = AcknowledgementMode::preview;
  f.desk.set_message_settings(test::admin(), s);
  Issue i = f.report("field-service");
  CHECK(i.slas.empty());
  // Previewed on Monday: two working days from now.
  auto preview = f.desk.preview_message(test::office(), i.code, "acknowledgement");
  REQUIRE(preview.size() == 1);
  CHECK(preview[0].body_text.find("by Wednesday 7 January 2026") != std::string::npos);
  f.clock->set(at("2026-01-06T10:00:00Z"));
  auto sent = f.desk.send_message(test::office(), i.code, "acknowledgement");
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].body_text.find("by Thursday 8 January 2026") != std::string::npos);
  i = f.desk.get(test::office(), i.code);
  REQUIRE(i.slas.size() == 1);
  CHECK(i.slas[0].name == "acknowledgement");
  CHECK(i.slas[0].due_at == at("2026-01-08T10:00:00Z"));
  // A resend does not move the promise already made.
  f.clock->set(at("2026-01-06T11:00:00Z"));
  f.desk.send_message(test::office(), i.code, "acknowledgement");
  CHECK(f.desk.get(test::office(), i.code).slas[0].due_at == at("2026-01-08T10:00:00Z"));
  // Taking it on (In Progress: active) keeps the promise: the clock stops, unbreached.
  i = f.act(test::office(), i, "convert_to_in_progress");
  CHECK(i.slas[0].state == SlaState::stopped);
  CHECK_FALSE(i.slas[0].breached);
}

TEST_CASE_TEMPLATE("due work is all-or-nothing for every failing write, and stays due until it runs", B,
                   TEST_BACKENDS) {
  B backend;
  auto inner = backend.open();
  auto clock = std::make_shared<ManualClock>(test::t0());
  Issue i;
  {
    Desk setup(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
    setup.install_workflow(test::admin(), std::string_view(waiting_workflow));
    setup.put_record(test::office(), test::booking("B-1"));
    ReportRequest r;
    r.record = {RecordKind::booking, "B-1"};
    r.type = "Other";
    r.description = "Waiting for parts.";
    r.workflow = "waiting";
    i = setup.report(test::office(), r);
    i = setup.act(test::office(), i.code, ActionRequest{"wait", {}, {}});
  }
  clock->set(test::t0() + 48h);
  std::vector<DueRun> ran;
  int writes = test::fail_every_write(*inner, clock, [&](Desk &d) { ran = d.process_due(runner); });
  CHECK(writes >= 4);
  REQUIRE(ran.size() == 1);
  CHECK(ran[0].kind == "timer");
  Desk after(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
  CHECK(after.get(test::office(), i.code).status == "Closed");
  CHECK(after.process_due(runner).empty());
  int fired = 0;
  for (const auto &e : after.timeline(test::office(), i.code)) fired += e.action == "expire";
  CHECK(fired == 1);
}

TEST_CASE("process_due is for the system role and takes a sane limit") {
  test::DeskFixture<test::MemoryBackend> f;
  test::expect_error(Errc::forbidden, [&] { f.desk.process_due(test::admin()); });
  test::expect_error(Errc::invalid_input, [&] { f.desk.process_due(runner, 0); });
  test::expect_error(Errc::invalid_input, [&] { f.desk.process_due(runner, 10001); });
  test::expect_error(Errc::forbidden, [&] { f.desk.next_due(test::customer()); });
}
