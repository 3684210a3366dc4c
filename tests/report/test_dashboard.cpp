// Dashboards (SPEC R11.2): every figure of a known history, worked out by
// hand below, on both backends; deleted issues never count; a fieldworker's
// dashboard holds only their issues and holds.
#include "support/support.hpp"

using namespace complaints;
using namespace std::chrono_literals;

namespace {

constexpr const char *dash_workflow = R"({
  "name": "dash", "initial": "New",
  "statuses": [{"name": "New", "category": "open"}, {"name": "Working", "category": "active"},
               {"name": "Waiting", "category": "pending"}, {"name": "Stage2", "category": "active"},
               {"name": "Resolved", "category": "resolved"}, {"name": "Closed", "category": "closed"}],
  "stages": [{"name": "First", "statuses": ["New", "Working", "Waiting", "Resolved"]},
             {"name": "Second", "statuses": ["Stage2"]}],
  "slas": [{"name": "respond", "within": "2d", "warn_percent": 50}],
  "on_report": [{"type": "sla", "op": "start", "sla": "respond"}],
  "actions": [
    {"name": "start", "from": ["New"], "to": "Working", "allow": ["office"]},
    {"name": "wait", "from": ["Working"], "to": "Waiting", "allow": ["office"]},
    {"name": "escalate", "from": ["Working", "Waiting"], "to": "Stage2", "allow": ["office"]},
    {"name": "resolve", "from": ["Working", "Stage2"], "to": "Resolved", "allow": ["office"]},
    {"name": "close", "from": ["Resolved"], "to": "Closed", "allow": ["office"]}
  ]
})";

// The history of the tests, hour by hour from t0 (the period starts at t0):
//   t0-10d  E on B-1 (before the period: it only makes A a repeat)
//   h0  A on B-1, Damage     h4 start, h10 resolve, h20 close        New 4h, Working 6h, Resolved 10h
//   h1  B on B-2, Other      h5 start, h8 escalate (to stage Second)   New 4h, Working 3h
//   h1  hold on B-2 for fw-2, GBP 50.00
//   h2  C on B-1, Other      h6 start, h7 wait                        New 4h, Working 1h
//   h3  D on B-3, Damage     (stays New)
//   h3  F on B-2, deleted forever at h4
//   h49 hold on B-3 for fw-1, no amount
//   h50.5 now: process_due has warned and breached the clocks due by then.
template <typename B>
struct History : test::DeskFixture<B> {
  Issue a, b, c, d;
  History() {
    auto &desk = this->desk;
    auto &clock = *this->clock;
    desk.install_workflow(test::admin(), std::string_view(dash_workflow));
    MessageSettings quiet;
    quiet.acknowledgement = AcknowledgementMode::off;
    desk.set_message_settings(test::admin(), quiet);
    desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
    desk.put_record(test::office(), test::booking("B-2", "cust-2", {"fw-2"}));
    desk.put_record(test::office(), test::booking("B-3", "cust-1", {"fw-1", "fw-2"}));
    const Timestamp t0 = test::t0();
    auto at = [&](std::chrono::minutes m) { clock.set(t0 + m); };
    auto report = [&](const char *booking, const char *type) {
      ReportRequest r;
      r.record = {RecordKind::booking, booking};
      r.type = type;
      r.description = "A complaint";
      r.workflow = "dash";
      return desk.report(test::office(), r);
    };
    auto act = [&](Issue &i, const char *action) { i = this->act(test::office(), i, action); };
    at(-10 * 24h);
    report("B-1", "Other");  // E
    at(0h);
    a = report("B-1", "Damage Caused");
    at(1h);
    b = report("B-2", "Other");
    desk.withhold_payment(test::office(), HoldRequest{{RecordKind::booking, "B-2"}, "fw-2",
                                                      Money::of(5000, "GBP"), HoldScope::portion, "disputed"});
    at(2h);
    c = report("B-1", "Other");
    at(3h);
    d = report("B-3", "Damage Caused");
    Issue f = report("B-2", "Damage Caused");
    at(4h);
    act(a, "start");
    desk.delete_forever(test::admin(), f.code);
    at(5h);
    act(b, "start");
    at(6h);
    act(c, "start");
    at(7h);
    act(c, "wait");
    at(8h);
    act(b, "escalate");
    at(10h);
    act(a, "resolve");
    at(20h);
    act(a, "close");
    at(49h);
    desk.withhold_payment(test::office(), HoldRequest{{RecordKind::booking, "B-3"}, "fw-1", std::nullopt,
                                                      HoldScope::portion, "checking"});
    at(50h + 30min);
    desk.process_due(test::system_actor(), 1000);
  }
  DashboardOptions period() const {
    DashboardOptions o;
    o.from = test::t0();
    o.to = test::t0() + 100h;
    o.stalled_after = 24h;
    return o;
  }
};

using C = std::vector<DashboardCount>;

}  // namespace

TEST_CASE_TEMPLATE("a dashboard's figures for a known history, each worked out by hand", B, TEST_BACKENDS) {
  History<B> h;
  Dashboard d = h.desk.dashboard(test::office(), h.period());
  CHECK(d.as_of == test::t0() + 50h + 30min);
  CHECK(d.issues == 4);  // A, B, C, D: not E (before), not F (deleted)
  CHECK(d.resolved == 1);
  CHECK(d.active == 3);
  CHECK(d.escalated == 1);  // B
  CHECK(d.by_status == C{{"Closed", 1}, {"New", 1}, {"Stage2", 1}, {"Waiting", 1}});
  CHECK(d.by_category == C{{"open", 1}, {"active", 1}, {"pending", 1}, {"resolved", 0}, {"closed", 1}});
  CHECK(d.by_type == C{{"Damage Caused", 2}, {"Other", 2}});
  CHECK(d.by_stage == C{{"First", 3}, {"Second", 1}});  // Closed keeps A in First
  REQUIRE(d.stages.size() == 2);
  CHECK(d.stages[0] == StageFigures{"dash", "First", 2, 1, 1});
  CHECK(d.stages[1] == StageFigures{"dash", "Second", 1, 0, 0});
  // Ended periods only: New 4h (A, B, C); Working 6h, 3h, 1h; Resolved 10h.
  REQUIRE(d.time_in_status.size() == 3);
  CHECK(d.time_in_status.at("New") == DurationStats{3, 4h, 4h, 4h});
  CHECK(d.time_in_status.at("Working") == DurationStats{3, 200min, 3h, 6h});
  CHECK(d.time_in_status.at("Resolved") == DurationStats{1, 10h, 10h, 10h});
  CHECK(d.resolution == DurationStats{1, 10h, 10h, 10h});
  CHECK(d.resolution_buckets == std::vector<std::int64_t>{1, 0, 0, 0, 0, 0});
  CHECK(d.top_types == C{{"Damage Caused", 2}, {"Other", 2}});
  CHECK(d.top_records == C{{"booking:B-1", 2}, {"booking:B-2", 1}, {"booking:B-3", 1}});
  CHECK(d.top_customers == C{{"cust-1", 3}, {"cust-2", 1}});
  CHECK(d.top_fieldworkers == C{{"fw-1", 3}, {"fw-2", 2}});
  CHECK(d.repeats == 2);  // A (E ten days before it), C (A two hours before it)
  // A stopped in time; B and C due at h49 and h50, breached; D (due h51) warned at h27.
  REQUIRE(d.slas.size() == 1);
  CHECK(d.slas[0] == SlaFigures{"respond", 1, 2, 0, 1});
  CHECK(d.holds_withheld == 2);
  REQUIRE(d.withheld_amounts.size() == 1);
  CHECK(d.withheld_amounts[0] == CurrencyTotal{"GBP", 5000, 1});
  CHECK(d.holds_without_amount == 1);
  CHECK(d.holds_stalled == 1);  // the GBP hold, withheld 49.5 hours
}

TEST_CASE_TEMPLATE("a dashboard's filters, top and repeat window narrow what it counts", B, TEST_BACKENDS) {
  History<B> h;
  DashboardOptions o = h.period();
  o.type = "Other";
  Dashboard d = h.desk.dashboard(test::office(), o);
  CHECK(d.issues == 2);  // B, C
  CHECK(d.repeats == 1);  // C: A is not "Other", but E (Other, on B-1) came 10 days and 2 hours before it
  o = h.period();
  o.repeat_days = 1;
  CHECK(h.desk.dashboard(test::office(), o).repeats == 1);  // C only
  o = h.period();
  o.top = 1;
  d = h.desk.dashboard(test::office(), o);
  CHECK(d.top_records == C{{"booking:B-1", 2}});
  o = h.period();
  o.stage = "Second";
  CHECK(h.desk.dashboard(test::office(), o).issues == 1);
  o = h.period();
  o.from = test::t0() + 90min;  // C and D
  d = h.desk.dashboard(test::office(), o);
  CHECK(d.issues == 2);
  CHECK(d.top_customers == C{{"cust-1", 2}});
  o = h.period();
  o.to = o.from;
  CHECK(h.desk.dashboard(test::office(), o).issues == 0);
}

TEST_CASE_TEMPLATE("a fieldworker's dashboard holds only their issues and holds", B, TEST_BACKENDS) {
  History<B> h;
  Dashboard d = h.desk.dashboard(test::fieldworker("fw-2"), h.period());
  CHECK(d.issues == 2);  // B (B-2) and D (B-3)
  CHECK(d.top_fieldworkers == C{{"fw-2", 2}, {"fw-1", 1}});
  CHECK(d.holds_withheld == 1);
  CHECK(d.holds_stalled == 1);
  DashboardOptions o = h.period();
  o.fieldworker = "fw-1";  // someone else's: nothing of theirs to show
  d = h.desk.dashboard(test::fieldworker("fw-2"), o);
  CHECK(d.issues == 1);  // D names both
  CHECK(d.holds_withheld == 0);
  test::expect_error(Errc::forbidden, [&] { h.desk.dashboard(test::customer("cust-1"), h.period()); });
}

TEST_CASE_TEMPLATE("a dashboard refuses options out of range, naming them", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  auto where = [&](DashboardOptions o) {
    return test::expect_error(Errc::invalid_input, [&] { f.desk.dashboard(test::office(), o); }).where();
  };
  DashboardOptions o;
  o.from = test::t0();
  o.to = test::t0() - 1ms;
  CHECK(where(o) == "to");
  o.to = test::t0();
  o.repeat_days = 0;
  CHECK(where(o) == "repeat_days");
  o.repeat_days = 367;
  CHECK(where(o) == "repeat_days");
  o.repeat_days = 30;
  o.top = 0;
  CHECK(where(o) == "top");
  o.top = 101;
  CHECK(where(o) == "top");
  o.top = 10;
  o.stalled_after = -1h;
  CHECK(where(o) == "stalled_after");
  o.stalled_after = 24h;
  o.type = "";
  CHECK(where(o) == "type");
}
