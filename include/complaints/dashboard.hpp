// Complaint dashboards (SPEC R11.2): the figures of Desk::dashboard for a
// period. docs/reporting.md ("Dashboards") says how each is computed.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "complaints/export.hpp"
#include "complaints/issue.hpp"
#include "complaints/payment_hold.hpp"
#include "complaints/record.hpp"

namespace complaints {

/// Which issues a dashboard counts: those reported in [from, to) that match
/// every filter set, within what the actor may see.
struct DashboardOptions {
  Timestamp from{};
  Timestamp to{};
  std::optional<std::string> workflow{};
  std::optional<RecordKind> record_kind{};
  std::optional<std::string> type{};
  std::optional<std::string> fieldworker{};  ///< a responsible fieldworker
  std::optional<std::string> stage{};        ///< the issue's current stage
  /// An issue is a repeat when another issue on the same record was reported
  /// at most this many days before it (1 to 366).
  int repeat_days = 30;
  /// How many entries each "most complaints" list keeps (1 to 100).
  std::size_t top = 10;
  /// A hold withheld at least this long counts as stalled (0 to 3,660 days).
  std::chrono::hours stalled_after{24 * 14};
};

/// A name and how many issues have it.
struct DashboardCount {
  std::string name;
  std::int64_t issues = 0;
  friend bool operator==(const DashboardCount &, const DashboardCount &) = default;
};

/// Durations of a set of periods, in whole milliseconds.
struct DurationStats {
  std::int64_t count = 0;
  std::chrono::milliseconds mean{0};    ///< rounded down
  std::chrono::milliseconds median{0};  ///< nearest rank: the ceil(count / 2)-th smallest
  std::chrono::milliseconds p90{0};     ///< nearest rank: the ceil(count * 0.9)-th smallest
  friend bool operator==(const DurationStats &, const DurationStats &) = default;
};

/// Per stage of the workflows in scope (in each workflow's order).
struct StageFigures {
  std::string workflow;
  std::string stage;
  std::int64_t active = 0;     ///< now in this stage, not resolved or closed
  std::int64_t resolved = 0;   ///< now in this stage, resolved or closed
  std::int64_t escalated = 0;  ///< were in this stage and later reached a later stage of the workflow
  friend bool operator==(const StageFigures &, const StageFigures &) = default;
};

/// One SLA policy's clocks on the issues counted, as of now.
struct SlaFigures {
  std::string policy;
  std::int64_t met = 0;       ///< stopped within the budget
  std::int64_t breached = 0;  ///< breached, stopped or not
  std::int64_t running = 0;   ///< running or paused, not warned, within the budget
  std::int64_t at_risk = 0;   ///< running or paused, warned, not yet breached
  friend bool operator==(const SlaFigures &, const SlaFigures &) = default;
};

/// The figures of one dashboard.
struct Dashboard {
  Timestamp from{};
  Timestamp to{};
  Timestamp as_of{};           ///< the desk's clock when it was computed
  std::int64_t issues = 0;     ///< reported in the period, matching the filters
  std::int64_t resolved = 0;   ///< of those, now in a resolved or closed status
  std::int64_t active = 0;     ///< of those, now in any other status
  std::int64_t escalated = 0;  ///< of those, that reached a later stage than their first
  std::vector<DashboardCount> by_status{};    ///< each by name ascending
  std::vector<DashboardCount> by_category{};  ///< open, active, pending, resolved, closed order; all five
  std::vector<DashboardCount> by_type{};
  std::vector<DashboardCount> by_stage{};     ///< "" for issues outside every stage
  std::vector<StageFigures> stages{};
  /// Time spent in each status by the issues counted: every period that has
  /// ended (as of now), by status name ascending.
  std::map<std::string, DurationStats, std::less<>> time_in_status{};
  /// From report to the first resolved or closed status, for the issues that got there.
  DurationStats resolution{};
  /// How many resolution times fall in each bucket: under 1 day, 1 to 3, 3 to
  /// 7, 7 to 14, 14 to 30 days, 30 days and more (a bound belongs to the bucket above it).
  std::vector<std::int64_t> resolution_buckets{};
  /// The most complaints (at most DashboardOptions::top each; more issues
  /// first, then by name).
  std::vector<DashboardCount> top_types{};
  std::vector<DashboardCount> top_records{};       ///< "booking:BK-1"
  std::vector<DashboardCount> top_customers{};
  std::vector<DashboardCount> top_fieldworkers{};  ///< each issue counts once per responsible fieldworker
  std::int64_t repeats = 0;                        ///< issues counted that are repeats (DashboardOptions::repeat_days)
  std::vector<SlaFigures> slas{};                  ///< by policy name ascending
  /// Payment holds now (not limited to the period; a fieldworker filter or a
  /// fieldworker actor keeps their own, a record_kind filter that kind).
  std::int64_t holds_withheld = 0;
  /// Their amounts summed by currency (`count`: holds summed), by currency ascending.
  std::vector<CurrencyTotal> withheld_amounts{};
  std::int64_t holds_without_amount = 0;  ///< withheld holds with no amount given
  std::int64_t holds_stalled = 0;         ///< withheld at least DashboardOptions::stalled_after
};

}  // namespace complaints
