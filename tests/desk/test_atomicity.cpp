// SPEC R3.7: an operation commits all its effects or none. A wrapper fails
// the Nth write (commit included); for every N the store is afterwards
// exactly what it was before the operation, and no event fires.
#include "support/faulty_storage.hpp"
#include "support/support.hpp"

using namespace complaints;


TEST_CASE_TEMPLATE("every operation is all-or-nothing for every failing write", B, TEST_BACKENDS) {
  B backend;
  auto inner = backend.open();
  auto clock = std::make_shared<ManualClock>(test::t0());
  Issue issue;
  {
    Desk setup(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
    setup.put_record(test::office(), test::booking("B-1"));
    setup.put_record(test::office(), Record{{RecordKind::quote, "Q-1"}, "cust-1", {}, RecordVisibility::all, false});
  }
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Damage Caused";
  r.description = "Water damage under the sink.";
  r.to_follow = true;
  r.deferred_date = Date::parse("2026-02-02");

  SUBCASE("report") {
    int writes = test::fail_every_write(*inner, clock, [&](Desk &d) { d.report(test::office(), r); });
    CHECK(writes >= 5);  // number, issue, timeline, three notifications, commit
  }
  SUBCASE("act with an effect") {
    {
      Desk d(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
      issue = d.report(test::office(), r);
    }
    test::fail_every_write(*inner, clock, [&](Desk &d) {
      d.act(test::office(), issue.code, ActionRequest{"schedule_follow_up", {{"date", "2026-01-09"}}, {}});
    });
  }
  SUBCASE("edit") {
    {
      Desk d(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
      issue = d.report(test::office(), r);
    }
    IssueEdit e;
    e.description = "Water damage under the sink and behind the dishwasher.";
    e.to_follow = false;
    test::fail_every_write(*inner, clock, [&](Desk &d) { d.edit(test::office(), issue.code, e); });
  }
  SUBCASE("relink") {
    {
      Desk d(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
      ReportRequest q = r;
      q.record = {RecordKind::quote, "Q-1"};
      d.report(test::office(), q);
      d.report(test::office(), q);
    }
    test::fail_every_write(*inner, clock, [&](Desk &d) {
      d.relink_record(test::office(), {RecordKind::quote, "Q-1"}, {RecordKind::booking, "B-1"});
    });
  }
  SUBCASE("settings") {
    test::fail_every_write(*inner, clock, [&](Desk &d) {
      d.add_status(test::admin(), "field-service", {"On Hold", "#777777", StatusCategory::pending});
    });
    test::fail_every_write(*inner, clock, [&](Desk &d) { d.add_issue_type(test::admin(), {"Noise", "#777777"}); });
    test::fail_every_write(*inner, clock,
                     [&](Desk &d) { d.install_workflow(test::admin(), Workflow::builtin("staged-escalation")); });
    test::fail_every_write(*inner, clock, [&](Desk &d) { d.put_record(test::office(), test::booking("B-2")); });
  }
  SUBCASE("outbox acknowledgement") {
    {
      Desk d(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
      d.report(test::office(), r);
    }
    std::vector<std::int64_t> ids{1, 2, 3};
    test::fail_every_write(*inner, clock, [&](Desk &d) { d.outbox_ack(test::system_actor(), ids); });
  }
  SUBCASE("approve releasing a payout hold") {
    Actor finance{"fiona", Role::admin, Permissions::all()};
    {
      Desk d(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
      issue = d.report(test::office(), r);
      issue = d.act(test::fieldworker(), issue.code, ActionRequest{"resolve", {}, {}});
    }
    int writes = test::fail_every_write(*inner, clock, [&](Desk &d) {
      d.act(finance, issue.code, ActionRequest{"approve", {}, {}});
    });
    CHECK(writes >= 8);  // issue, timeline, two releases with their ledger lines, notifications, commit
    Desk d(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
    CHECK(d.may_pay(finance, {RecordKind::booking, "B-1"}, "fw-1").may_pay);
  }
  SUBCASE("reopen reapplying holds") {
    Actor finance{"fiona", Role::admin, Permissions::all()};
    {
      Desk d(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
      issue = d.report(test::office(), r);
      issue = d.act(finance, issue.code, ActionRequest{"close", {}, {}});
    }
    test::fail_every_write(*inner, clock, [&](Desk &d) { d.act(finance, issue.code, ActionRequest{"reopen", {}, {}}); });
  }
  SUBCASE("manual hold and release") {
    Actor finance{"fiona", Role::admin, Permissions::all()};
    {
      Desk d(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
      issue = d.report(test::office(), r);
      d.act(finance, issue.code, ActionRequest{"close", {}, {}});
    }
    test::fail_every_write(*inner, clock, [&](Desk &d) {
      d.withhold_payment(test::office(), {{RecordKind::booking, "B-1"}, "fw-2", Money::of(5000, "GBP"), {}, "dispute"});
    });
    // The hold is still linked to the closed issue: releasing it writes the
    // ledger and an entry on that issue's timeline.
    test::fail_every_write(*inner, clock, [&](Desk &d) {
      d.release_payment(finance, {{RecordKind::booking, "B-1"}, "fw-2", "settled"});
    });
  }
  SUBCASE("discussion: comment with attachments and a mention, attachment, watcher, link") {
    Issue other;
    {
      Desk d(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
      d.put_user(test::admin(), User{"fw-1", Role::fieldworker, "Fay", {}});
      d.put_user(test::admin(), User{"office-2", Role::office, "Otto", {}});
      issue = d.report(test::office(), r);
      other = d.report(test::office(), r);
    }
    test::fail_every_write(*inner, clock, [&](Desk &d) {
      d.add_comment(test::office(), issue.code,
                    CommentRequest{"See photos, @fw-1", false, std::nullopt,
                                   {AttachmentRequest{"a.jpg", "image/jpeg", std::nullopt, std::string("AAA"), 0, "", true},
                                    AttachmentRequest{"b.pdf", "application/pdf", std::string("key"), std::nullopt, 5,
                                                      std::string(64, 'c'), true}}});
    });
    test::fail_every_write(*inner, clock, [&](Desk &d) {
      d.attach(test::customer(), issue.code, AttachmentRequest{"c.png", "image/png", std::nullopt, std::string("C"), 0, "", false});
    });
    test::fail_every_write(*inner, clock, [&](Desk &d) { d.watch(test::office(), issue.code, "office-2"); });
    test::fail_every_write(*inner, clock, [&](Desk &d) {
      d.link_issues(test::office(), other.code, issue.code, LinkKind::duplicate_of);
    });
  }
  SUBCASE("a brand-new store's initialisation") {
    B fresh;
    auto store = fresh.open();
    test::fail_every_write(*store, clock, [](Desk &) {});
  }
}
