// SPEC R4: payment holds, scenario by scenario, on every backend.
#include "support/support.hpp"

#include <nlohmann/json.hpp>

using namespace complaints;
using test::expect_error;

namespace {

const Actor finance{"fiona", Role::admin, Permissions::all()};  // admin with release_payment
const Actor lead{"sam", Role::supervisor, {Permission::edit_issues}};  // no release_payment
const Actor payroll{"payroll", Role::system, {}};

const RecordRef B1{RecordKind::booking, "B-1"};

template <typename F>
Issue report(F &f, const RecordRef &ref, std::optional<std::vector<std::string>> fws = std::nullopt,
             std::map<std::string, Money, std::less<>> amounts = {}) {
  ReportRequest r;
  r.record = ref;
  r.type = "Unsatisfactory Job";
  r.description = "Compressor still rattles after the warranty repair.";
  r.fieldworkers = std::move(fws);
  r.hold_amounts = std::move(amounts);
  return f.desk.report(test::office(), r);
}

template <typename F>
PayDecision may_pay(F &f, const std::string &fw, const RecordRef &ref = B1) {
  return f.desk.may_pay(payroll, ref, fw);
}

bool has_change(const TimelineEntry &e, const std::string &field, const std::string &after) {
  const FieldChange *c = e.change(field);
  return c && c->after == after;
}

}  // namespace

TEST_CASE_TEMPLATE("HVAC warranty: withheld on report, kept while awaiting approval, released on approval", B,
                   TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
  CHECK(may_pay(f, "fw-1").may_pay);
  Issue i = report(f, B1, std::nullopt, {{"fw-1", Money::of(18000, "AUD")}});

  PayDecision d = may_pay(f, "fw-1");
  CHECK_FALSE(d.may_pay);
  CHECK(d.blocking == std::vector<std::string>{i.code});
  REQUIRE(d.hold);
  CHECK(d.hold->state == HoldState::withheld);
  CHECK(d.hold->amount == Money::of(18000, "AUD"));
  CHECK(d.hold->since == test::t0());
  CHECK(d.reason.find(i.code) != std::string::npos);
  CHECK(has_change(f.desk.timeline(test::admin(), i.code).front(), "payment:fw-1", "withheld"));

  f.clock->advance(std::chrono::hours(26));
  i = f.act(test::fieldworker("fw-1"), i, "resolve");
  CHECK(i.status == "Awaiting Approval");
  d = may_pay(f, "fw-1");
  CHECK_FALSE(d.may_pay);
  CHECK(d.age == std::chrono::hours(26));

  f.clock->advance(std::chrono::hours(2));
  i = f.act(finance, i, "approve");
  CHECK(i.status == "Closed");
  d = may_pay(f, "fw-1");
  CHECK(d.may_pay);
  CHECK(d.hold->state == HoldState::released);
  CHECK(d.hold->released_at == test::t0() + std::chrono::hours(28));
  auto tl = f.desk.timeline(test::admin(), i.code);
  CHECK(has_change(tl.back(), "payment:fw-1", "released"));

  auto report = f.desk.hold_report(finance, test::t0(), test::t0() + std::chrono::days(2));
  REQUIRE(report.entries.size() == 2);
  CHECK(report.entries[0].action == LedgerAction::withheld);
  CHECK(report.entries[0].actor_id == "office-1");
  CHECK(report.entries[0].issues == std::vector<std::string>{i.code});
  CHECK(report.entries[0].reason == "reported");
  CHECK(report.entries[0].issues == std::vector<std::string>{i.code});
  CHECK(report.entries[1].action == LedgerAction::released);
  CHECK(report.entries[1].actor_id == "fiona");
  CHECK(report.entries[1].at == test::t0() + std::chrono::hours(28));
  CHECK(report.withheld == std::vector<CurrencyTotal>{{"AUD", 18000, 1}});
  CHECK(report.released == std::vector<CurrencyTotal>{{"AUD", 18000, 1}});
}

TEST_CASE_TEMPLATE("a supervisor without release_payment approves: closed, but the hold stays until released", B,
                   TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
  Issue i = report(f, B1);
  i = f.act(test::fieldworker("fw-1"), i, "resolve");
  i = f.act(lead, i, "approve");
  CHECK(i.status == "Closed");
  PayDecision d = may_pay(f, "fw-1");
  CHECK_FALSE(d.may_pay);
  CHECK(d.blocking.empty());
  CHECK(d.reason.find("release_payment") != std::string::npos);
  CHECK(f.desk.timeline(test::admin(), i.code).back().change("payment:fw-1")->after.find("release_payment") !=
        std::string::npos);

  // The supervisor cannot release by hand either; someone with the permission can.
  expect_error(Errc::forbidden, [&] { f.desk.release_payment(lead, {B1, "fw-1", "fixed"}); });
  expect_error(Errc::invalid_input, [&] { f.desk.release_payment(finance, {B1, "fw-1", "  "}); });
  f.clock->advance(std::chrono::hours(1));
  PaymentHold h = f.desk.release_payment(finance, {B1, "fw-1", "Approved by the supervisor; photos checked"});
  CHECK(h.state == HoldState::released);
  CHECK(may_pay(f, "fw-1").may_pay);
  // The release is on the linked issue's timeline with its reason, and internal.
  auto last = f.desk.timeline(test::admin(), i.code).back();
  CHECK(last.kind == "payment");
  CHECK(last.actor_id == "fiona");
  CHECK(last.note == "Approved by the supervisor; photos checked");
  CHECK(last.internal);
  CHECK(f.desk.verify_timeline(test::admin(), i.code).ok);
  expect_error(Errc::invalid_state, [&] { f.desk.release_payment(finance, {B1, "fw-1", "again"}); });
}

TEST_CASE_TEMPLATE("two issues on one booking: release is refused until both are closed", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
  Issue a = report(f, B1);
  Issue b = report(f, B1);
  PayDecision d = may_pay(f, "fw-1");
  CHECK(d.blocking == std::vector<std::string>{a.code, b.code});
  CHECK(d.hold->issues == std::vector<std::string>{a.code, b.code});
  // One hold per (record, fieldworker), shared.
  CHECK(f.desk.holds(finance, {}).size() == 1);

  a = f.act(finance, a, "close");
  CHECK(a.is_closed());
  d = may_pay(f, "fw-1");
  CHECK_FALSE(d.may_pay);
  CHECK(d.blocking == std::vector<std::string>{b.code});
  CHECK(f.desk.timeline(test::admin(), a.code).back().change("payment:fw-1")->after ==
        "withheld: " + b.code + " still open");

  std::string dump = f.desk.dump();
  auto e = expect_error(Errc::invalid_state, [&] { f.desk.release_payment(finance, {B1, "fw-1", "pay him"}); });
  CHECK(std::string(e.what()).find(b.code) != std::string::npos);
  CHECK(f.desk.dump() == dump);

  b = f.act(finance, b, "close");
  CHECK(may_pay(f, "fw-1").may_pay);
}

TEST_CASE_TEMPLATE("reopening reapplies the hold; sending back keeps it", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
  Issue i = report(f, B1);
  i = f.act(test::fieldworker("fw-1"), i, "resolve");
  i = f.act(finance, i, "send_back");
  CHECK_FALSE(may_pay(f, "fw-1").may_pay);
  i = f.act(test::fieldworker("fw-1"), i, "resolve");
  i = f.act(finance, i, "approve");
  CHECK(may_pay(f, "fw-1").may_pay);

  f.clock->advance(std::chrono::days(3));
  i = f.act(finance, i, "reopen");
  PayDecision d = may_pay(f, "fw-1");
  CHECK_FALSE(d.may_pay);
  CHECK(d.hold->since == f.clock->now());
  CHECK(d.blocking == std::vector<std::string>{i.code});
  auto entries = f.desk.hold_report(finance, test::t0(), f.clock->now() + std::chrono::hours(1)).entries;
  REQUIRE(entries.size() == 3);
  CHECK(entries[2].action == LedgerAction::reapplied);
  CHECK(entries[2].reason == "reopen");
  CHECK(has_change(f.desk.timeline(test::admin(), i.code).back(), "payment:fw-1", "withheld"));
}

TEST_CASE_TEMPLATE("a multi-fieldworker booking pauses only the fieldworker responsible", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1", "fw-2", "fw-3"}));
  Issue i = report(f, B1, std::vector<std::string>{"fw-2"});
  CHECK(may_pay(f, "fw-1").may_pay);
  CHECK_FALSE(may_pay(f, "fw-2").may_pay);
  CHECK(may_pay(f, "fw-3").may_pay);
  CHECK_FALSE(may_pay(f, "fw-1").hold);
  std::vector<PayQuery> run{{B1, "fw-1"}, {B1, "fw-2"}, {B1, "fw-3"}, {{RecordKind::booking, "B-404"}, "fw-1"}};
  auto decisions = f.desk.may_pay(payroll, run);
  REQUIRE(decisions.size() == 4);
  CHECK(decisions[0].may_pay);
  CHECK_FALSE(decisions[1].may_pay);
  CHECK(decisions[1].blocking == std::vector<std::string>{i.code});
  CHECK(decisions[2].may_pay);
  CHECK(decisions[3].may_pay);
}

TEST_CASE_TEMPLATE("an already paid-out booking gets no hold, and the timeline says why", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Record paid = test::booking("B-1", "cust-1", {"fw-1"});
  paid.paid_out = true;
  f.desk.put_record(test::office(), paid);
  Issue i = report(f, B1);
  CHECK(may_pay(f, "fw-1").may_pay);
  CHECK(f.desk.holds(finance, {}).empty());
  auto timeline = f.desk.timeline(test::admin(), i.code);
  const FieldChange *why = timeline.front().change("payment");
  REQUIRE(why);
  CHECK(why->after == "not withheld: booking:B-1 was already paid out");
  expect_error(Errc::invalid_state, [&] { f.desk.withhold_payment(test::office(), {B1, "fw-1", {}, {}, "dispute"}); });
}

TEST_CASE_TEMPLATE("a billing dispute holds and releases an invoice by hand", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  RecordRef inv{RecordKind::invoice, "INV-9"};
  f.desk.put_record(test::office(), Record{inv, "cust-1", {"fw-1", "fw-2"}, RecordVisibility::restricted, false});
  Record b = test::booking("B-1", "cust-1", {"fw-1"});
  b.invoice_id = "INV-9";
  f.desk.put_record(test::office(), b);

  PaymentHold h = f.desk.withhold_payment(
      test::office(), {inv, "fw-2", Money::of(125050, "AUD"), HoldScope::whole, "Customer disputes the call-out fee"});
  CHECK(h.state == HoldState::withheld);
  CHECK(h.issues.empty());
  PayDecision d = may_pay(f, "fw-2", inv);
  CHECK_FALSE(d.may_pay);
  CHECK(d.blocking.empty());
  CHECK(may_pay(f, "fw-1", inv).may_pay);
  // Holds of the invoice include those of the booking it bills.
  report(f, B1);
  HoldFilter of_invoice;
  of_invoice.invoice = "INV-9";
  auto holds = f.desk.holds(finance, of_invoice);
  REQUIRE(holds.size() == 2);
  CHECK(holds[0].record == B1);
  CHECK(holds[1].record == inv);
  HoldFilter of_fw;
  of_fw.fieldworker = "fw-2";
  CHECK(f.desk.holds(finance, of_fw).size() == 1);
  HoldFilter of_record;
  of_record.record = B1;
  CHECK(f.desk.holds(finance, of_record).front().fieldworker == "fw-1");

  // Changing the amount is logged; the same amount again is refused as a no-op.
  f.desk.withhold_payment(test::office(), {inv, "fw-2", Money::of(99000, "AUD"), HoldScope::whole, "Partial credit"});
  expect_error(Errc::invalid_state, [&] {
    f.desk.withhold_payment(test::office(), {inv, "fw-2", Money::of(99000, "AUD"), HoldScope::whole, "again"});
  });
  f.clock->advance(std::chrono::days(1));
  h = f.desk.release_payment(finance, {inv, "fw-2", "Dispute settled"});
  CHECK(h.state == HoldState::released);
  CHECK(may_pay(f, "fw-2", inv).may_pay);
  auto r = f.desk.hold_report(finance, test::t0(), f.clock->now() + std::chrono::seconds(1));
  std::vector<std::string> lines;
  for (const auto &e : r.entries) lines.push_back(e.record.to_string() + " " + e.fieldworker + " " + to_string(e.action));
  CHECK(lines == std::vector<std::string>{"invoice:INV-9 fw-2 withheld", "booking:B-1 fw-1 withheld",
                                          "invoice:INV-9 fw-2 amount", "invoice:INV-9 fw-2 released"});
  CHECK(r.entries.back().reason == "Dispute settled");
  CHECK(r.released == std::vector<CurrencyTotal>{{"AUD", 99000, 1}});
  // Quotes have no payout.
  f.desk.put_record(test::office(), Record{{RecordKind::quote, "Q-1"}, "cust-1", {"fw-1"}, RecordVisibility::all, false});
  CHECK(expect_error(Errc::invalid_input, [&] {
          f.desk.withhold_payment(test::office(), {{RecordKind::quote, "Q-1"}, "fw-1", {}, {}, "x"});
        }).where() == "record");
}

TEST_CASE_TEMPLATE("an admin may override with a reason while issues are open; nobody else may", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
  Issue i = report(f, B1);
  Actor rich_lead{"rl", Role::supervisor, {Permission::release_payment}};
  expect_error(Errc::invalid_state, [&] { f.desk.release_payment(finance, {B1, "fw-1", "urgent"}); });
  expect_error(Errc::forbidden, [&] { f.desk.release_payment(rich_lead, {B1, "fw-1", "urgent", true}); });
  PaymentHold h = f.desk.release_payment(finance, {B1, "fw-1", "Hardship: paid while the complaint continues", true});
  CHECK(h.state == HoldState::released);
  CHECK(h.blocking == std::vector<std::string>{i.code});
  auto entries = f.desk.hold_report(finance, test::t0(), test::t0() + std::chrono::hours(1)).entries;
  CHECK(entries.back().override_release);
  CHECK(f.desk.timeline(test::admin(), i.code).back().change("payment:fw-1")->after == "released (override)");
  CHECK(may_pay(f, "fw-1").may_pay);
}

TEST_CASE_TEMPLATE("the finance report and stalled holds over a fixed clock", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  for (int n = 1; n <= 3; ++n)
    f.desk.put_record(test::office(), test::booking("B-" + std::to_string(n), "cust-1", {"fw-" + std::to_string(n)}));
  report(f, {RecordKind::booking, "B-1"}, std::nullopt, {{"fw-1", Money::of(10000, "AUD")}});  // day 0
  f.clock->advance(std::chrono::days(5));
  Issue two = report(f, {RecordKind::booking, "B-2"}, std::nullopt, {{"fw-2", Money::of(2500, "NZD")}});  // day 5
  f.clock->advance(std::chrono::days(5));
  report(f, {RecordKind::booking, "B-3"}, std::nullopt, {{"fw-3", Money::of(7000, "AUD")}});  // day 10
  f.act(finance, two, "close");  // day 10: released

  auto stalled = f.desk.stalled_holds(finance, std::chrono::days(7));
  REQUIRE(stalled.size() == 1);
  CHECK(stalled[0].fieldworker == "fw-1");
  CHECK(f.desk.stalled_holds(finance, std::chrono::days(0)).size() == 2);
  CHECK(f.desk.stalled_holds(finance, std::chrono::days(11)).empty());
  expect_error(Errc::forbidden, [&] { f.desk.stalled_holds(test::fieldworker(), std::chrono::days(1)); });

  auto all = f.desk.hold_report(finance, test::t0(), test::t0() + std::chrono::days(11));
  CHECK(all.entries.size() == 4);
  CHECK(all.withheld_count == 3);
  CHECK(all.released_count == 1);
  CHECK(all.withheld == std::vector<CurrencyTotal>{{"AUD", 17000, 2}, {"NZD", 2500, 1}});
  CHECK(all.released == std::vector<CurrencyTotal>{{"NZD", 2500, 1}});
  auto middle = f.desk.hold_report(finance, test::t0() + std::chrono::days(1), test::t0() + std::chrono::days(6));
  CHECK(middle.entries.size() == 1);
  CHECK(middle.entries[0].fieldworker == "fw-2");
  expect_error(Errc::invalid_input, [&] { f.desk.hold_report(finance, test::t0(), test::t0() - std::chrono::days(1)); });
  expect_error(Errc::forbidden, [&] { f.desk.hold_report(test::customer(), test::t0(), test::t0()); });
}

TEST_CASE_TEMPLATE("bad amounts and currencies are typed errors and change nothing", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1", "fw-2"}));
  CHECK(expect_error(Errc::invalid_input, [] { Money::of(-1, "AUD"); }).where() == "amount.minor");
  CHECK(expect_error(Errc::invalid_input, [] { Money::of(Money::max_minor + 1, "AUD"); }).where() == "amount.minor");
  CHECK(expect_error(Errc::invalid_input, [] { Money::of(INT64_MAX, "USD"); }).where() == "amount.minor");
  for (const char *code : {"XYZ", "aud", "AU", "", "AUDD", "XAU", "\xff\xfe\xfd"})
    CHECK(expect_error(Errc::invalid_input, [&] { Money::of(100, code); }).where() == "amount.currency");
  CHECK(Money::of(Money::max_minor, "JPY").to_string() == "JPY 1000000000000000");
  CHECK(Money::of(123456, "KWD").to_string() == "KWD 123.456");
  CHECK(Money::of(5, "AUD").to_string() == "AUD 0.05");

  Issue i = report(f, B1, std::nullopt, {{"fw-1", Money::of(5000, "AUD")}});
  std::string dump = f.desk.dump();
  // Another currency on the same hold, through a report or by hand.
  CHECK(expect_error(Errc::invalid_input, [&] { report(f, B1, std::nullopt, {{"fw-1", Money::of(5000, "USD")}}); })
            .where() == "hold_amounts.fw-1");
  CHECK(expect_error(Errc::invalid_input, [&] {
          f.desk.withhold_payment(test::office(), {B1, "fw-1", Money::of(10, "EUR"), {}, "dispute"});
        }).where() == "amount.currency");
  // An amount for someone not responsible.
  CHECK(expect_error(Errc::invalid_input, [&] {
          report(f, B1, std::vector<std::string>{"fw-2"}, {{"fw-1", Money::of(10, "AUD")}});
        }).where() == "hold_amounts.fw-1");
  CHECK(expect_error(Errc::invalid_input, [&] {
          f.desk.withhold_payment(test::office(), {B1, "fw-9", {}, {}, "dispute"});
        }).where() == "fieldworker");
  CHECK(expect_error(Errc::invalid_input, [&] {
          f.desk.withhold_payment(test::office(), {B1, "fw-2", {}, static_cast<HoldScope>(7), "dispute"});
        }).where() == "scope");
  CHECK(expect_error(Errc::invalid_input, [&] {
          f.desk.withhold_payment(test::office(), {B1, "fw-2", {}, {}, ""});
        }).where() == "reason");
  expect_error(Errc::forbidden, [&] { f.desk.withhold_payment(test::fieldworker("fw-1"), {B1, "fw-2", {}, {}, "x"}); });
  expect_error(Errc::not_found, [&] {
    f.desk.withhold_payment(test::office(), {{RecordKind::invoice, "nope"}, "fw-2", {}, {}, "x"});
  });
  // A bad pair in a payroll run is named by its place in the run.
  std::vector<PayQuery> run{{B1, "fw-1"}, {B1, ""}, {{RecordKind::booking, std::string(300, 'x')}, "fw-1"}};
  auto bad = expect_error(Errc::invalid_input, [&] { f.desk.may_pay(payroll, run); });
  CHECK(bad.where() == "queries[1].fieldworker");
  CHECK(std::string(bad.what()).starts_with("queries[1].fieldworker: "));
  run.erase(run.begin() + 1);
  CHECK(expect_error(Errc::invalid_input, [&] { f.desk.may_pay(payroll, run); }).where() == "queries[1].record.id");
  CHECK(f.desk.dump() == dump);
  CHECK_FALSE(may_pay(f, "fw-1").may_pay);
  CHECK(may_pay(f, "fw-1").hold->amount == Money::of(5000, "AUD"));
  (void)i;
}

TEST_CASE_TEMPLATE("totals that would overflow 64 bits are refused, not wrapped", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
  // 9,300 withheld lines of the largest amount exceed 2^63 minor units.
  for (int n = 0; n < 9300; ++n) {
    f.desk.withhold_payment(test::office(), {B1, "fw-1", Money::of(Money::max_minor, "AUD"), {}, "dispute"});
    f.desk.release_payment(finance, {B1, "fw-1", "settled"});
  }
  auto e = expect_error(Errc::invalid_state, [&] { f.desk.hold_report(finance, test::t0(), test::t0() + std::chrono::hours(1)); });
  CHECK(std::string(e.what()).find("AUD") != std::string::npos);
}

TEST_CASE_TEMPLATE("who sees holds: staff all, a fieldworker their own, a customer none and nothing of them", B,
                   TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1", "fw-2"}));
  Issue i = report(f, B1);
  CHECK(f.desk.holds(test::office(), {}).size() == 2);
  auto mine = f.desk.holds(test::fieldworker("fw-1"), {});
  REQUIRE(mine.size() == 1);
  CHECK(mine[0].fieldworker == "fw-1");
  HoldFilter theirs;
  theirs.fieldworker = "fw-2";
  CHECK(f.desk.holds(test::fieldworker("fw-1"), theirs).empty());
  expect_error(Errc::forbidden, [&] { f.desk.holds(test::customer(), {}); });
  expect_error(Errc::forbidden, [&] { f.desk.may_pay(test::customer(), B1, "fw-1"); });
  expect_error(Errc::forbidden, [&] { f.desk.may_pay(test::fieldworker(), B1, "fw-1"); });
  // The customer's timeline and notifications say nothing about payouts.
  for (const auto &e : f.desk.timeline(test::customer(), i.code))
    for (const auto &c : e.changes) CHECK_FALSE(is_internal_field(c.field));
  for (const auto &item : f.desk.outbox_pending(test::system_actor()))
    if (item.recipient == "cust-1") {
      CHECK(item.body_text.find("payment") == std::string::npos);
      CHECK(item.event != "payment_withheld");
    }
}

TEST_CASE_TEMPLATE("a fieldworker sees their own payout on a shared booking's timeline and notices, not a colleague's", B,
                   TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1", "fw-2"}));
  Issue i = report(f, B1);
  i = f.act(lead, i, "close");  // without release_payment: both stay withheld
  f.desk.release_payment(finance, {B1, "fw-2", "Checked"});
  auto fields_seen_by = [&](const std::string &fw) {
    std::string all;
    for (const auto &e : f.desk.timeline(test::fieldworker(fw), i.code))
      for (const auto &c : e.changes) all += c.field + "\n";
    return all;
  };
  std::string fw1 = fields_seen_by("fw-1");
  CHECK(fw1.find("payment:fw-1") != std::string::npos);
  CHECK(fw1.find("payment:fw-2") == std::string::npos);
  CHECK(fields_seen_by("fw-2").find("payment:fw-1") == std::string::npos);
  std::string staff;
  for (const auto &e : f.desk.timeline(test::office(), i.code))
    for (const auto &c : e.changes) staff += c.field + "\n";
  CHECK(staff.find("payment:fw-2") != std::string::npos);
  int told = 0;
  for (const auto &item : f.desk.outbox_pending(test::system_actor(), 1000))
    if (item.recipient == "fw-1") {
      ++told;
      CHECK(item.body_text.find("payment:fw-2") == std::string::npos);
      CHECK(item.subject.find("fw-2") == std::string::npos);
    }
  CHECK(told > 0);
}

TEST_CASE_TEMPLATE("a quote that becomes a booking holds the payouts of its open issues", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  RecordRef quote{RecordKind::quote, "Q-1"};
  f.desk.put_record(test::office(), Record{quote, "cust-1", {}, RecordVisibility::restricted, false});
  Issue open = report(f, quote);
  Issue closed = report(f, quote);
  f.act(finance, closed, "close");
  CHECK(f.desk.holds(finance, {}).empty());
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
  f.desk.relink_record(test::office(), quote, B1);
  PayDecision d = may_pay(f, "fw-1");
  CHECK_FALSE(d.may_pay);
  CHECK(d.blocking == std::vector<std::string>{open.code});
  CHECK(has_change(f.desk.timeline(test::admin(), open.code).back(), "payment:fw-1", "withheld"));
}

TEST_CASE_TEMPLATE("relinking withholds as the workflow's on_report does, with its parameters", B, TEST_BACKENDS) {
  // A workflow whose withhold pauses every assigned fieldworker, not only the
  // responsible ones.
  test::DeskFixture<B> f;
  WorkflowDef def = Workflow::builtin("field-service").definition();
  def.name = "whole-crew";
  for (auto &e : def.on_report)
    if (e.type == "withhold") e.params["fieldworkers"] = "all";
  f.desk.install_workflow(test::admin(), Workflow::from_definition(def));
  RecordRef quote{RecordKind::quote, "Q-1"};
  f.desk.put_record(test::office(), Record{quote, "cust-1", {"fw-1"}, RecordVisibility::restricted, false});
  auto report_on = [&](const RecordRef &ref, const std::string &workflow) {
    ReportRequest r;
    r.record = ref;
    r.type = "Unsatisfactory Job";
    r.description = "The quote's crew left a mess.";
    r.workflow = workflow;
    r.fieldworkers = std::vector<std::string>{"fw-1"};
    return f.desk.report(test::office(), r);
  };
  Issue crew = report_on(quote, "whole-crew");
  Issue responsible = report_on(quote, "field-service");
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1", "fw-2"}));
  auto moved = f.desk.relink_record(test::office(), quote, B1);
  REQUIRE(moved.size() == 2);
  CHECK(moved[0].fieldworkers == std::vector<std::string>{"fw-1"});
  PayDecision one = may_pay(f, "fw-1"), two = may_pay(f, "fw-2");
  CHECK(one.blocking == std::vector<std::string>{crew.code, responsible.code});
  CHECK(two.blocking == std::vector<std::string>{crew.code});  // "all" reaches fw-2; the built-in does not
  auto entry = f.desk.timeline(test::admin(), crew.code).back();
  CHECK(entry.kind == entry_kind::relinked);
  CHECK(has_change(entry, "payment:fw-2", "withheld"));
  CHECK_FALSE(f.desk.timeline(test::admin(), responsible.code).back().change("payment:fw-2"));
  // Reporting on the booking with that workflow does the same.
  Issue direct = report_on(B1, "whole-crew");
  CHECK(may_pay(f, "fw-2").blocking == std::vector<std::string>{crew.code, direct.code});
}

TEST_CASE_TEMPLATE("hold events and the fieldworker's notifications", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
  std::vector<Event> events;
  f.desk.events().on(EventKind::payment_withheld).connect([&](const Event &e) { events.push_back(e); });
  f.desk.events().on(EventKind::payment_released).connect([&](const Event &e) { events.push_back(e); });
  Issue i = report(f, B1);
  i = f.act(finance, i, "close");
  REQUIRE(events.size() == 2);
  CHECK(events[0].kind == EventKind::payment_withheld);
  CHECK(events[0].issue_code == i.code);
  CHECK(events[0].detail == "booking:B-1 fw-1");
  CHECK(events[1].kind == EventKind::payment_released);
  CHECK(events[1].actor_id == "fiona");
  std::vector<std::string> told;
  for (const auto &item : f.desk.outbox_pending(test::system_actor()))
    if (item.recipient == "fw-1" && item.event.starts_with("payment")) told.push_back(item.subject);
  CHECK(told == std::vector<std::string>{"Your payment for booking:B-1 is on hold",
                                         "Your payment for booking:B-1 is released"});
  std::vector<std::string> bodies;
  for (const auto &item : f.desk.outbox_pending(test::system_actor()))
    if (item.recipient == "fw-1" && item.event.starts_with("payment")) bodies.push_back(item.body_text);
  CHECK(bodies == std::vector<std::string>{
                      "The payment of fw-1 for booking:B-1 is withheld while " + i.code + " is resolved. Reason: reported",
                      "The payment of fw-1 for booking:B-1 was released (" + i.code + "). Reason: close"});
}

TEST_CASE_TEMPLATE("a fieldworker holding release_payment still cannot release a payout, by hand or by an action", B,
                   TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
  // A workflow whose fieldworker action closes the issue and releases its holds.
  auto doc = nlohmann::json::parse(Workflow::builtin("field-service").to_json());
  doc["name"] = "self-release";
  for (auto &a : doc["actions"])
    if (a["name"] == "resolve") {
      a["to"] = "Closed";
      a["effects"] = nlohmann::json::array({{{"type", "release"}}});
    }
  f.desk.install_workflow(test::admin(), doc.dump());
  ReportRequest r;
  r.record = B1;
  r.type = "Unsatisfactory Job";
  r.description = "Compressor still rattles.";
  r.workflow = "self-release";
  Issue i = f.desk.report(test::office(), r);

  const Actor fw{"fw-1", Role::fieldworker, Permissions::all()};
  CHECK(expect_error(Errc::forbidden, [&] { f.desk.release_payment(fw, {B1, "fw-1", "I fixed it", true}); }).where() ==
        "actor.role");
  i = f.act(fw, i, "resolve");
  CHECK(i.is_closed());
  CHECK_FALSE(may_pay(f, "fw-1").may_pay);  // closed, but only staff with release_payment release
  auto tl = f.desk.timeline(test::admin(), i.code);
  CHECK(tl.back().change("payment:fw-1")->after.find("withheld") == 0);
  f.desk.release_payment(finance, {B1, "fw-1", "Checked the photos"});
  CHECK(may_pay(f, "fw-1").may_pay);
}
