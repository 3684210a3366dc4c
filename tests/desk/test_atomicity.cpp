// SPEC R3.7: an operation commits all its effects or none. A wrapper fails
// the Nth write (commit included); for every N the store is afterwards
// exactly what it was before the operation, and no event fires.
#include "support/faulty_storage.hpp"
#include "support/support.hpp"

using namespace complaints;

namespace {

std::string dump_of(Storage &s) { return s.begin(TxnMode::read)->dump(); }

// Runs `op` on a desk whose Nth write fails, for N = 1, 2, ... until it
// succeeds; returns how many writes the successful run made.
template <typename Op>
int fail_every_write(Storage &inner, const std::shared_ptr<ManualClock> &clock, Op op) {
  for (int n = 1; n < 200; ++n) {
    CAPTURE(n);
    std::string before = dump_of(inner);
    int events = 0;
    int writes = 0;
    try {
      auto faulty = std::make_unique<test::FaultyStorage>(inner, n);
      auto *counter = faulty.get();
      Desk desk(std::move(faulty), DeskOptions{clock});
      desk.events().any().connect([&](const Event &) { ++events; });
      op(desk);
      writes = counter->writes();
    } catch (const StorageError &e) {
      CHECK(std::string(e.what()).find("injected failure") != std::string::npos);
      CHECK(dump_of(inner) == before);
      CHECK(events == 0);
      continue;
    }
    CHECK(writes == n - 1);  // it succeeded because it needed fewer writes than n
    return n - 1;
  }
  FAIL("operation never succeeded");
  return 0;
}

}  // namespace

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
    int writes = fail_every_write(*inner, clock, [&](Desk &d) { d.report(test::office(), r); });
    CHECK(writes >= 5);  // number, issue, timeline, three notifications, commit
  }
  SUBCASE("act with an effect") {
    {
      Desk d(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
      issue = d.report(test::office(), r);
    }
    fail_every_write(*inner, clock, [&](Desk &d) {
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
    fail_every_write(*inner, clock, [&](Desk &d) { d.edit(test::office(), issue.code, e); });
  }
  SUBCASE("relink") {
    {
      Desk d(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
      ReportRequest q = r;
      q.record = {RecordKind::quote, "Q-1"};
      d.report(test::office(), q);
      d.report(test::office(), q);
    }
    fail_every_write(*inner, clock, [&](Desk &d) {
      d.relink_record(test::office(), {RecordKind::quote, "Q-1"}, {RecordKind::booking, "B-1"});
    });
  }
  SUBCASE("settings") {
    fail_every_write(*inner, clock, [&](Desk &d) {
      d.add_status(test::admin(), "field-service", {"On Hold", "#777777", StatusCategory::pending});
    });
    fail_every_write(*inner, clock, [&](Desk &d) { d.add_issue_type(test::admin(), {"Noise", "#777777"}); });
    fail_every_write(*inner, clock,
                     [&](Desk &d) { d.install_workflow(test::admin(), Workflow::builtin("staged-escalation")); });
    fail_every_write(*inner, clock, [&](Desk &d) { d.put_record(test::office(), test::booking("B-2")); });
  }
  SUBCASE("outbox acknowledgement") {
    {
      Desk d(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
      d.report(test::office(), r);
    }
    std::vector<std::int64_t> ids{1, 2, 3};
    fail_every_write(*inner, clock, [&](Desk &d) { d.outbox_ack(test::system_actor(), ids); });
  }
  SUBCASE("approve releasing a payout hold") {
    Actor finance{"fiona", Role::admin, Permissions::all()};
    {
      Desk d(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
      issue = d.report(test::office(), r);
      issue = d.act(test::fieldworker(), issue.code, ActionRequest{"resolve", {}, {}});
    }
    int writes = fail_every_write(*inner, clock, [&](Desk &d) {
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
    fail_every_write(*inner, clock, [&](Desk &d) { d.act(finance, issue.code, ActionRequest{"reopen", {}, {}}); });
  }
  SUBCASE("manual hold and release") {
    Actor finance{"fiona", Role::admin, Permissions::all()};
    {
      Desk d(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
      issue = d.report(test::office(), r);
      d.act(finance, issue.code, ActionRequest{"close", {}, {}});
    }
    fail_every_write(*inner, clock, [&](Desk &d) {
      d.withhold_payment(test::office(), {{RecordKind::booking, "B-1"}, "fw-2", Money::of(5000, "GBP"), {}, "dispute"});
    });
    // The hold is still linked to the closed issue: releasing it writes the
    // ledger and an entry on that issue's timeline.
    fail_every_write(*inner, clock, [&](Desk &d) {
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
    fail_every_write(*inner, clock, [&](Desk &d) {
      d.add_comment(test::office(), issue.code,
                    CommentRequest{"See photos, @fw-1", false, std::nullopt,
                                   {AttachmentRequest{"a.jpg", "image/jpeg", std::nullopt, std::string("AAA"), 0, "", true},
                                    AttachmentRequest{"b.pdf", "application/pdf", std::string("key"), std::nullopt, 5,
                                                      std::string(64, 'c'), true}}});
    });
    fail_every_write(*inner, clock, [&](Desk &d) {
      d.attach(test::customer(), issue.code, AttachmentRequest{"c.png", "image/png", std::nullopt, std::string("C"), 0, "", false});
    });
    fail_every_write(*inner, clock, [&](Desk &d) { d.watch(test::office(), issue.code, "office-2"); });
    fail_every_write(*inner, clock, [&](Desk &d) {
      d.link_issues(test::office(), other.code, issue.code, LinkKind::duplicate_of);
    });
  }
  SUBCASE("a brand-new store's initialisation") {
    B fresh;
    auto store = fresh.open();
    fail_every_write(*store, clock, [](Desk &) {});
  }
}
