// The Desk's operations on both backends: reporting, codes, edits, relinking,
// lists, custom statuses and types, events and the outbox.
#include "support/support.hpp"

using namespace complaints;
using test::expect_error;

TEST_CASE_TEMPLATE("reporting an issue fills every field and logs it", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking("B-7"));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-7"};
  r.type = "Late Service";
  r.description = "Arrived two hours late.";
  r.to_follow = true;
  r.deferred_date = Date::parse("2026-01-20");
  r.fieldworkers = std::vector<std::string>{"fw-2"};
  Issue i = f.desk.report(test::office(), r);
  CHECK(i.code == "CMP-00001");
  CHECK(i.number == 1);
  CHECK(i.record == RecordRef{RecordKind::booking, "B-7"});
  CHECK(i.customer_id == "cust-1");
  CHECK(i.fieldworkers == std::vector<std::string>{"fw-2"});
  CHECK(i.type == "Late Service");
  CHECK(i.to_follow);
  CHECK(i.deferred_date == Date::parse("2026-01-20"));
  CHECK(i.workflow == "field-service");
  CHECK(i.status == "New");
  CHECK(i.category == StatusCategory::open);
  CHECK(i.stage.empty());
  CHECK(i.reporter_id == "office-1");
  CHECK(i.channel == Channel::office);
  CHECK(i.created_at == test::t0());
  CHECK(i.version == 1);
  CHECK(f.desk.get(test::admin(), "CMP-00001") == i);
  auto tl = f.desk.timeline(test::admin(), i.code);
  REQUIRE(tl.size() == 1);
  CHECK(tl[0].kind == "reported");
  CHECK(tl[0].change("status")->after == "New");
  CHECK(tl[0].change("deferred_date")->after == "2026-01-20");
}

TEST_CASE_TEMPLATE("codes are sequential and unique, and the default fieldworkers are all assigned", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue a = f.report_on_booking("B-1");
  Issue b = f.report_on_booking("B-2");
  CHECK(a.code == "CMP-00001");
  CHECK(b.code == "CMP-00002");
  CHECK(a.fieldworkers == std::vector<std::string>{"fw-1", "fw-2"});
}

TEST_CASE_TEMPLATE("a customer reports on their own booking through the portal only", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1"));
  f.desk.put_record(test::office(), test::booking("B-2", "cust-2"));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Damage Caused";
  r.description = "Chipped tile.";
  Issue i = f.desk.report(test::customer("cust-1"), r);
  CHECK(i.channel == Channel::customer_portal);
  CHECK(i.reporter_role == Role::customer);
  r.record.id = "B-2";
  expect_error(Errc::not_found, [&] { f.desk.report(test::customer("cust-1"), r); });
  r.record.id = "B-1";
  r.channel = Channel::office;
  expect_error(Errc::invalid_input, [&] { f.desk.report(test::customer("cust-1"), r); });
  r.channel.reset();
  expect_error(Errc::forbidden, [&] { f.desk.report(test::fieldworker(), r); });
  r.record.id = "B-404";
  CHECK(expect_error(Errc::not_found, [&] { f.desk.report(test::office(), r); }).where() == "record");
}

TEST_CASE_TEMPLATE("named fieldworkers must be assigned to the record", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking());
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Damage Caused";
  r.description = "Dent in the fridge door.";
  r.fieldworkers = std::vector<std::string>{"fw-1", "fw-7"};
  CHECK(expect_error(Errc::invalid_input, [&] { f.desk.report(test::office(), r); }).where() == "fieldworkers[1]");
}

TEST_CASE_TEMPLATE("edits record before and after values and need edit_issues", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = f.report_on_booking();
  f.clock->advance(std::chrono::hours(1));
  IssueEdit e;
  e.type = "Unsatisfactory Job";
  e.description = "Scratched bench; customer sent photos.";
  e.to_follow = true;
  e.deferred_date = Date::parse("2026-02-01");
  Issue after = f.desk.edit(test::office(), i.code, e);
  CHECK(after.type == "Unsatisfactory Job");
  CHECK(after.to_follow);
  CHECK(after.version == 2);
  auto tl = f.desk.timeline(test::admin(), i.code);
  REQUIRE(tl.size() == 2);
  CHECK(tl[1].kind == "edited");
  CHECK(tl[1].at == test::t0() + std::chrono::hours(1));
  CHECK(*tl[1].change("type") == FieldChange{"type", "Damage Caused", "Unsatisfactory Job"});
  CHECK(*tl[1].change("to_follow") == FieldChange{"to_follow", "false", "true"});
  CHECK(*tl[1].change("deferred_date") == FieldChange{"deferred_date", "", "2026-02-01"});
  CHECK(tl[1].change("description")->before == i.description);

  // Clearing To Follow clears its deferred date.
  IssueEdit off;
  off.to_follow = false;
  after = f.desk.edit(test::office(), i.code, off);
  CHECK_FALSE(after.deferred_date);
  CHECK(f.desk.timeline(test::admin(), i.code).back().change("deferred_date")->after == "");

  // Without the permission, or as a customer: refused, nothing changes.
  std::string dump = f.desk.dump();
  IssueEdit d;
  d.description = "Nothing happened.";
  expect_error(Errc::forbidden, [&] { f.desk.edit(Actor{"o2", Role::office, {}}, i.code, d); });
  expect_error(Errc::forbidden,
               [&] { f.desk.edit(Actor{"cust-1", Role::customer, {Permission::edit_issues}}, i.code, d); });
  IssueEdit bad_type;
  bad_type.type = "Alien Abduction";
  CHECK(expect_error(Errc::invalid_input, [&] { f.desk.edit(test::office(), i.code, bad_type); }).where() == "type");
  IssueEdit stale = d;
  stale.expected_version = 1;
  expect_error(Errc::conflict, [&] { f.desk.edit(test::office(), i.code, stale); });
  CHECK(f.desk.dump() == dump);

  // An edit that changes nothing writes nothing.
  IssueEdit same;
  same.description = after.description;
  CHECK(f.desk.edit(test::office(), i.code, same) == after);
  CHECK(f.desk.dump() == dump);
}

TEST_CASE_TEMPLATE("a stale expected_version is a conflict and changes nothing", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = f.report_on_booking();
  Issue moved = f.act(test::office(), i, "convert_to_in_progress");
  std::string dump = f.desk.dump();
  auto e = expect_error(Errc::conflict, [&] {
    f.desk.act(test::fieldworker(), i.code, ActionRequest{"resolve", {}, i.version});
  });
  CHECK(e.where() == "expected_version");
  CHECK(f.desk.dump() == dump);
  CHECK(f.desk.act(test::fieldworker(), i.code, ActionRequest{"resolve", {}, moved.version}).status ==
        "Awaiting Approval");
}

TEST_CASE_TEMPLATE("when a quote becomes a booking its issues follow, logged on each timeline", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Record quote{{RecordKind::quote, "Q-9"}, "cust-1", {}, RecordVisibility::restricted, false};
  f.desk.put_record(test::office(), quote);
  ReportRequest r;
  r.record = quote.ref;
  r.type = "Billing Dispute";
  r.description = "Quoted price differs from the phone call.";
  Issue a = f.desk.report(test::office(), r);
  Issue b = f.desk.report(test::customer(), r);
  f.desk.put_record(test::office(), test::booking("B-9", "cust-1", {"fw-3"}));
  auto moved = f.desk.relink_record(test::office(), quote.ref, {RecordKind::booking, "B-9"});
  REQUIRE(moved.size() == 2);
  for (const auto &code : {a.code, b.code}) {
    Issue i = f.desk.get(test::admin(), code);
    CHECK(i.record == RecordRef{RecordKind::booking, "B-9"});
    CHECK(i.fieldworkers == std::vector<std::string>{"fw-3"});
    auto entry = f.desk.timeline(test::admin(), code).back();
    CHECK(entry.kind == "relinked");
    CHECK(*entry.change("record") == FieldChange{"record", "quote:Q-9", "booking:B-9"});
  }
  // The booking's fieldworker now sees them; nothing is left on the quote.
  CHECK(f.desk.list(test::fieldworker("fw-3"), {}).size() == 2);
  IssueFilter on_quote;
  on_quote.record = quote.ref;
  CHECK(f.desk.list(test::admin(), on_quote).empty());
  expect_error(Errc::not_found,
               [&] { f.desk.relink_record(test::office(), quote.ref, {RecordKind::booking, "B-404"}); });
  expect_error(Errc::forbidden, [&] { f.desk.relink_record(test::customer(), quote.ref, {RecordKind::booking, "B-9"}); });
}

TEST_CASE_TEMPLATE("a record's customer cannot change under its issues", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.report_on_booking("B-1");
  expect_error(Errc::invalid_state, [&] { f.desk.put_record(test::office(), test::booking("B-1", "cust-2")); });
  // Reassigning fieldworkers is fine.
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-5"}));
  CHECK(f.desk.record(test::admin(), {RecordKind::booking, "B-1"}).fieldworkers == std::vector<std::string>{"fw-5"});
}

TEST_CASE_TEMPLATE("lists filter, page and respect who is asking", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
  f.desk.put_record(test::office(), test::booking("B-2", "cust-2", {"fw-2"}));
  f.desk.put_record(test::office(), Record{{RecordKind::invoice, "I-1"}, "cust-1", {"fw-1"}, RecordVisibility::restricted, false});
  f.desk.put_record(test::office(), Record{{RecordKind::quote, "Q-1"}, "cust-2", {"fw-2"}, RecordVisibility::all, false});
  auto report = [&](RecordRef ref, std::string type) {
    ReportRequest r;
    r.record = ref;
    r.type = type;
    r.description = "Something is wrong.";
    f.clock->advance(std::chrono::hours(1));
    return f.desk.report(test::office(), r);
  };
  Issue a = report({RecordKind::booking, "B-1"}, "Damage Caused");
  Issue b = report({RecordKind::booking, "B-2"}, "Late Service");
  Issue c = report({RecordKind::invoice, "I-1"}, "Billing Dispute");
  Issue d = report({RecordKind::quote, "Q-1"}, "Other");
  f.act(test::admin(), b, "close");

  auto codes = [](const std::vector<Issue> &v) {
    std::vector<std::string> out;
    for (const auto &i : v) out.push_back(i.code);
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(codes(f.desk.list(test::admin(), {})) == V{a.code, b.code, c.code, d.code});
  CHECK(codes(f.desk.list(test::admin(), IssueFilter::open_issues())) == V{a.code, c.code, d.code});
  IssueFilter by_kind;
  by_kind.record_kind = RecordKind::invoice;
  CHECK(codes(f.desk.list(test::admin(), by_kind)) == V{c.code});
  IssueFilter by_type;
  by_type.type = "Late Service";
  CHECK(codes(f.desk.list(test::admin(), by_type)) == V{b.code});
  IssueFilter by_status;
  by_status.status = "Closed";
  CHECK(codes(f.desk.list(test::admin(), by_status)) == V{b.code});
  IssueFilter by_fw;
  by_fw.fieldworker = "fw-2";
  CHECK(codes(f.desk.list(test::admin(), by_fw)) == V{b.code, d.code});
  IssueFilter window;
  window.created_from = test::t0() + std::chrono::hours(2);
  window.created_to = test::t0() + std::chrono::hours(4);
  CHECK(codes(f.desk.list(test::admin(), window)) == V{b.code, c.code});
  IssueFilter page;
  page.limit = 2;
  CHECK(codes(f.desk.list(test::admin(), page)) == V{a.code, b.code});
  page.after_number = b.number;
  CHECK(codes(f.desk.list(test::admin(), page)) == V{c.code, d.code});

  // R1.4: fieldworkers see their bookings, and quotes/invoices only with visibility "all".
  CHECK(codes(f.desk.list(test::fieldworker("fw-1"), {})) == V{a.code});
  CHECK(codes(f.desk.list(test::fieldworker("fw-2"), {})) == V{b.code, d.code});
  CHECK(codes(f.desk.list(test::customer("cust-1"), {})) == V{a.code, c.code});
  CHECK(codes(f.desk.list(test::customer("cust-2"), {})) == V{b.code, d.code});
  expect_error(Errc::not_found, [&] { f.desk.get(test::fieldworker("fw-1"), c.code); });
  expect_error(Errc::not_found, [&] { f.desk.get(test::customer("cust-2"), a.code); });
  CHECK(f.desk.get(test::fieldworker("fw-2"), d.code) == d);

  IssueFilter zero;
  zero.limit = 0;
  CHECK(expect_error(Errc::invalid_input, [&] { f.desk.list(test::admin(), zero); }).where() == "limit");
}

TEST_CASE_TEMPLATE("custom statuses and issue types can be added to a live database and used at once", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = f.report_on_booking();
  expect_error(Errc::forbidden, [&] {
    f.desk.add_status(test::office(), "field-service", {"Pending External Review", "#00AAFF", StatusCategory::active});
  });
  Workflow wf = f.desk.add_status(test::admin(), "field-service",
                                  {"Pending External Review", "#00AAFF", StatusCategory::active});
  CHECK(wf.status("Pending External Review"));
  Issue moved = f.act(test::office(), i, "change_status", {{"status", "Pending External Review"}});
  CHECK(moved.status == "Pending External Review");
  CHECK(moved.category == StatusCategory::active);
  CHECK(f.act(test::admin(), moved, "close").status == "Closed");
  expect_error(Errc::invalid_input, [&] {
    f.desk.add_status(test::admin(), "field-service", {"Pending External Review", "#00AAFF", StatusCategory::active});
  });
  expect_error(Errc::invalid_input,
               [&] { f.desk.add_status(test::admin(), "field-service", {"Odd", "teal", StatusCategory::active}); });
  // A status nothing can close from is refused by validation.
  expect_error(Errc::invalid_workflow,
               [&] { f.desk.add_status(test::admin(), "field-service", {"Archived", "#000000", StatusCategory::closed}); });

  f.desk.add_issue_type(test::admin(), {"Noise Complaint", "#445566"});
  Issue n = f.report_on_booking("B-1", "Noise Complaint");
  CHECK(n.type == "Noise Complaint");
  auto types = f.desk.issue_types(test::office());
  CHECK(types.back() == IssueType{"Noise Complaint", "#445566"});
  expect_error(Errc::forbidden, [&] { f.desk.add_issue_type(test::office(), {"X", "#445566"}); });
}

TEST_CASE_TEMPLATE("installing a workflow is validated and cannot strand issues", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.install_workflow(test::admin(), Workflow::builtin("customer-confirmation"));
  CHECK(f.desk.workflow_names(test::office()) == std::vector<std::string>{"customer-confirmation", "field-service"});
  f.desk.put_record(test::office(), test::booking());
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Other";
  r.description = "Not happy with the result.";
  r.workflow = "customer-confirmation";
  Issue i = f.desk.report(test::office(), r);
  CHECK(i.status == "Complaint Logged");
  i = f.act(test::office(), i, "assign", {{"assignee", "fw-1"}}) ;
  CHECK(i.status == "Team Member Assigned");
  // Resolving sets the four-day timer that closes it unconfirmed (seed 004).
  i = f.act(test::fieldworker(), i, "accept");
  i = f.act(test::fieldworker(), i, "resolve", {{"feedback", "Done"}});
  CHECK(i.status == "Confirmation");
  REQUIRE(i.timers.size() == 1);
  CHECK(i.timers[0].name == "auto_close");
  CHECK(i.timers[0].due_at == f.clock->now() + std::chrono::days(4));

  // Replacing field-service with a definition lacking "New" would strand an issue.
  f.report_on_booking();
  WorkflowDef def = Workflow::builtin("field-service").definition();
  expect_error(Errc::forbidden, [&] { f.desk.install_workflow(test::office(), Workflow::from_definition(def)); });
  def.statuses[0].name = "Fresh";
  def.initial = "Fresh";
  for (auto &a : def.actions)
    for (auto &s : a.from)
      if (s == "New") s = "Fresh";
  expect_error(Errc::invalid_state, [&] { f.desk.install_workflow(test::admin(), Workflow::from_definition(def)); });

  // From JSON: permission is checked before the document is read, so an actor
  // who may not install learns nothing about the document's problems.
  expect_error(Errc::forbidden, [&] { f.desk.install_workflow(test::office(), std::string_view(R"({"name":)")); });
  auto bad = expect_error(Errc::invalid_workflow,
                          [&] { f.desk.install_workflow(test::admin(), std::string_view(R"({"name":)")); });
  CHECK(bad.where() == "$");
  f.desk.install_workflow(test::admin(), std::string_view(Workflow::builtin("staged-escalation").to_json()));
  CHECK(f.desk.workflow(test::office(), "staged-escalation").name() == "staged-escalation");
}

TEST_CASE_TEMPLATE("events fire after commit with the committed issue, never for failures", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  std::vector<Event> seen;
  std::vector<std::string> order;
  f.desk.events().any().connect([&](const Event &e) { seen.push_back(e); });
  f.desk.events().on(EventKind::status_changed).connect([&](const Event &e) {
    // Inside a slot the change is already visible to a fresh read.
    order.push_back(f.desk.get(test::admin(), e.issue_code).status);
  });
  Issue i = f.report_on_booking();
  // The issue's own event comes first, then those of its effects (the payouts
  // withheld), then the acknowledgement queued for the customer.
  REQUIRE(seen.size() == 4);
  CHECK(seen[0].kind == EventKind::issue_reported);
  CHECK(seen[0].issue == i);
  CHECK(seen[1].kind == EventKind::payment_withheld);
  CHECK(seen[1].detail == "booking:B-1 fw-1");
  CHECK(seen[2].detail == "booking:B-1 fw-2");
  CHECK(seen[3].kind == EventKind::message_queued);
  CHECK(seen[3].detail == "acknowledgement to cust-1");
  i = f.act(test::office(), i, "convert_to_in_progress");
  REQUIRE(seen.size() == 5);
  CHECK(seen[4].kind == EventKind::status_changed);
  CHECK(seen[4].action == "convert_to_in_progress");
  CHECK(seen[4].issue->status == "In Progress");
  CHECK(order == std::vector<std::string>{"In Progress"});
  expect_error(Errc::forbidden, [&] { f.act(test::customer(), i, "close"); });
  expect_error(Errc::invalid_state, [&] { f.act(test::admin(), i, "approve"); });
  CHECK(seen.size() == 5);
}

TEST_CASE_TEMPLATE("a slot that throws does not undo the change or stop other slots", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  int later = 0;
  std::vector<std::string> errors;
  f.desk.events().set_error_handler([&](const std::exception_ptr &e) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception &x) {
      errors.push_back(x.what());
    }
  });
  f.desk.events().on(EventKind::issue_reported).connect([](const Event &) { throw std::runtime_error("slot broke"); });
  f.desk.events().on(EventKind::issue_reported).connect([&](const Event &) { ++later; });
  Issue i = f.report_on_booking();
  CHECK(later == 1);
  CHECK(errors == std::vector<std::string>{"slot broke"});
  CHECK(f.desk.events().slot_errors() == 1);
  CHECK(f.desk.get(test::admin(), i.code) == i);
  CHECK(f.desk.verify_timeline(test::admin(), i.code).ok);
}

TEST_CASE_TEMPLATE("changes queue notifications in the outbox, acknowledged by id", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = f.report_on_booking();  // office reports: fw-1, fw-2 (push) and the customer (email)
  auto all_items = f.desk.outbox_pending(test::system_actor());
  std::vector<OutboxItem> items;
  for (const auto &item : all_items)
    if (item.event == "issue_reported") items.push_back(item);
  REQUIRE(items.size() == 3);
  CHECK(items[0].recipient == "fw-1");
  CHECK(items[0].channel == DeliveryChannel::push);
  CHECK(items[0].event == "issue_reported");
  CHECK(items[0].issue_code == i.code);
  CHECK(items[0].idempotency_key == "CMP-00001/1/fw-1/push");
  CHECK(items[2].recipient == "cust-1");
  CHECK(items[2].channel == DeliveryChannel::email);
  // The fieldworker who resolves is not told about their own action.
  CHECK(all_items.size() == 6);  // and each fieldworker is told their payout is withheld, and the customer acknowledged
  CHECK(all_items[0].event == "payment_withheld");
  CHECK(all_items[0].recipient == "fw-1");
  f.act(test::fieldworker("fw-1"), i, "resolve");
  items = f.desk.outbox_pending(test::system_actor(), 100, all_items.back().id);
  REQUIRE(items.size() == 2);
  CHECK(items[0].recipient == "fw-2");
  CHECK(items[1].recipient == "cust-1");
  CHECK(items[0].subject == "CMP-00001 is now Awaiting Approval");
  // Acknowledge two of eight; the rest stay pending. Unknown ids are ignored.
  std::vector<std::int64_t> ids{1, 2, 999};
  CHECK(f.desk.outbox_ack(test::system_actor(), ids) == 2);
  CHECK(f.desk.outbox_pending(test::system_actor()).size() == 6);
  CHECK(f.desk.outbox_ack(test::system_actor(), ids) == 0);
  expect_error(Errc::forbidden, [&] { f.desk.outbox_pending(test::admin()); });
  // Edits are internal: the customer is not notified.
  IssueEdit e;
  e.description = "Clarified.";
  f.desk.edit(test::office(), i.code, e);
  auto all = f.desk.outbox_pending(test::system_actor());
  CHECK(all.back().event == "issue_edited");
  CHECK(all.back().recipient == "fw-2");
}
