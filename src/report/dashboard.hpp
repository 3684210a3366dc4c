// The figures of a dashboard (docs/reporting.md, "Dashboards"), computed from
// the issues of the period, their status periods and the holds: one piece of
// code for every backend. The Desk reads; this counts.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "complaints/dashboard.hpp"
#include "complaints/payment_hold.hpp"
#include "complaints/storage.hpp"
#include "complaints/workflow.hpp"

namespace complaints::report {

class DashboardBuilder {
 public:
  DashboardBuilder(const DashboardOptions &options, Timestamp now);

  /// An issue reported before the period, within repeat_days of its start: it
  /// only makes later ones repeats.
  void add_earlier(const Issue &issue);
  /// An issue of the period (its SLA clocks as of now), its status periods
  /// oldest first, and its workflow (for the order of stages).
  void add(const Issue &issue, const std::vector<StatusPeriod> &periods, const WorkflowDef &workflow);
  /// The withheld holds in scope.
  void add_holds(const std::vector<PaymentHold> &withheld);
  /// The figures; call once, after the last add.
  Dashboard finish();

 private:
  struct RecordIssue {
    Timestamp created_at;
    std::int64_t number;
    bool counted;
  };
  const DashboardOptions &options_;
  Dashboard d_;
  std::map<std::string, std::int64_t, std::less<>> status_, type_, stage_, record_, customer_, fieldworker_;
  std::int64_t category_[5] = {0, 0, 0, 0, 0};
  std::map<std::string, std::vector<std::int64_t>, std::less<>> durations_;  // ms, per status
  std::vector<std::int64_t> resolutions_;                                      // ms
  std::map<std::string, std::vector<RecordIssue>, std::less<>> by_record_;
  std::map<std::pair<std::string, std::string>, StageFigures> stages_;  // (workflow, stage)
  std::map<std::string, std::vector<std::string>, std::less<>> stage_order_;
  std::map<std::string, SlaFigures, std::less<>> slas_;
};

/// count, mean, median and 90th percentile of `values` (ms), as documented on DurationStats.
DurationStats duration_stats(std::vector<std::int64_t> values);

}  // namespace complaints::report
