#include "report/dashboard.hpp"

#include <algorithm>

#include "holds/holds.hpp"

namespace complaints::report {

namespace {

std::int64_t ms(std::chrono::milliseconds d) { return d.count(); }

// The nearest-rank percentile: the ceil(n * part)-th smallest (1-based) of sorted values.
std::int64_t rank(const std::vector<std::int64_t> &sorted, std::int64_t numerator, std::int64_t denominator) {
  auto n = static_cast<std::int64_t>(sorted.size());
  std::int64_t k = (n * numerator + denominator - 1) / denominator;
  return sorted[static_cast<std::size_t>(std::max<std::int64_t>(k, 1) - 1)];
}

std::vector<DashboardCount> counts(const std::map<std::string, std::int64_t, std::less<>> &m) {
  std::vector<DashboardCount> out;
  for (const auto &[name, n] : m) out.push_back({name, n});
  return out;
}

std::vector<DashboardCount> top(const std::map<std::string, std::int64_t, std::less<>> &m, std::size_t keep) {
  std::vector<DashboardCount> out = counts(m);
  std::stable_sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.issues > b.issues; });
  if (out.size() > keep) out.resize(keep);
  return out;
}

// Where `stage` stands in its workflow's order; -1 for none.
int stage_index(const std::vector<std::string> &order, const std::string &stage) {
  auto it = std::find(order.begin(), order.end(), stage);
  return it == order.end() ? -1 : static_cast<int>(it - order.begin());
}

bool finished(StatusCategory c) { return c == StatusCategory::resolved || c == StatusCategory::closed; }

}  // namespace

DurationStats duration_stats(std::vector<std::int64_t> values) {
  DurationStats s;
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  s.count = static_cast<std::int64_t>(values.size());
  long double sum = 0;
  for (auto v : values) sum += static_cast<long double>(v);
  s.mean = std::chrono::milliseconds(static_cast<std::int64_t>(sum / static_cast<long double>(values.size())));
  s.median = std::chrono::milliseconds(rank(values, 1, 2));
  s.p90 = std::chrono::milliseconds(rank(values, 9, 10));
  return s;
}

DashboardBuilder::DashboardBuilder(const DashboardOptions &options, Timestamp now) : options_(options) {
  d_.from = options.from;
  d_.to = options.to;
  d_.as_of = now;
}

void DashboardBuilder::add_earlier(const Issue &issue) {
  by_record_[issue.record.to_string()].push_back({issue.created_at, issue.number, false});
}

void DashboardBuilder::add(const Issue &issue, const std::vector<StatusPeriod> &periods, const WorkflowDef &workflow) {
  ++d_.issues;
  const bool done = finished(issue.category);
  ++(done ? d_.resolved : d_.active);
  ++status_[issue.status];
  ++category_[static_cast<int>(issue.category)];
  ++type_[issue.type];
  ++stage_[issue.stage];
  ++record_[issue.record.to_string()];
  ++customer_[issue.customer_id];
  for (const auto &fw : issue.fieldworkers) ++fieldworker_[fw];
  by_record_[issue.record.to_string()].push_back({issue.created_at, issue.number, true});

  // Time in status, and the first resolution.
  bool resolved_once = false;
  for (const auto &p : periods) {
    if (p.until && *p.until <= d_.as_of) durations_[p.status].push_back(ms(*p.until - p.since));
    if (!resolved_once && finished(p.category)) {
      resolved_once = true;
      resolutions_.push_back(std::max<std::int64_t>(0, ms(p.since - issue.created_at)));
    }
  }

  // Stages: where the issue is, and each stage it left for a later one.
  auto &order = stage_order_[issue.workflow];
  if (order.empty())
    for (const auto &s : workflow.stages) order.push_back(s.name);
  for (const auto &name : order) stages_.try_emplace({issue.workflow, name}, StageFigures{issue.workflow, name, 0, 0, 0});
  if (!issue.stage.empty() && stage_index(order, issue.stage) >= 0) {
    auto &f = stages_[{issue.workflow, issue.stage}];
    ++(done ? f.resolved : f.active);
  }
  int first = -1, furthest = -1;
  std::vector<bool> left_for_later(order.size(), false);
  for (std::size_t k = 0; k < periods.size(); ++k) {
    int at = stage_index(order, periods[k].stage);
    if (at < 0) continue;
    if (first < 0) first = at;
    for (std::size_t later = k + 1; later < periods.size(); ++later)
      if (stage_index(order, periods[later].stage) > at) left_for_later[static_cast<std::size_t>(at)] = true;
    furthest = std::max(furthest, at);
  }
  if (first >= 0 && furthest > first) ++d_.escalated;
  for (std::size_t k = 0; k < order.size(); ++k)
    if (left_for_later[k]) ++stages_[{issue.workflow, order[k]}].escalated;

  // SLA clocks, as of now.
  for (const auto &c : issue.slas) {
    auto &f = slas_[c.name];
    f.policy = c.name;
    bool stopped = c.state == SlaState::stopped;
    bool breached = c.breached || (!stopped && c.used > c.budget);
    if (breached)
      ++f.breached;
    else if (stopped)
      ++f.met;
    else if (c.warned)
      ++f.at_risk;
    else
      ++f.running;
  }
}

void DashboardBuilder::add_holds(const std::vector<PaymentHold> &withheld) {
  const Timestamp stalled_before = d_.as_of - options_.stalled_after;
  for (const auto &h : withheld) {
    ++d_.holds_withheld;
    if (h.amount)
      holds::add_total(d_.withheld_amounts, *h.amount, "holds");
    else
      ++d_.holds_without_amount;
    if (h.since <= stalled_before) ++d_.holds_stalled;
  }
  std::sort(d_.withheld_amounts.begin(), d_.withheld_amounts.end(),
            [](const auto &a, const auto &b) { return a.currency < b.currency; });
}

Dashboard DashboardBuilder::finish() {
  d_.by_status = counts(status_);
  for (int c = 0; c < 5; ++c) d_.by_category.push_back({to_string(static_cast<StatusCategory>(c)), category_[c]});
  d_.by_type = counts(type_);
  d_.by_stage = counts(stage_);
  // Stages in each workflow's order, workflows by name.
  for (const auto &[workflow, order] : stage_order_)
    for (const auto &name : order) d_.stages.push_back(stages_.at({workflow, name}));
  for (auto &[status, values] : durations_) d_.time_in_status.emplace(status, duration_stats(std::move(values)));
  d_.resolution = duration_stats(resolutions_);
  constexpr std::int64_t day = 24 * 3600 * 1000LL;
  const std::int64_t bounds[] = {day, 3 * day, 7 * day, 14 * day, 30 * day};
  d_.resolution_buckets.assign(6, 0);
  for (auto v : resolutions_) {
    std::size_t b = 0;
    while (b < 5 && v >= bounds[b]) ++b;
    ++d_.resolution_buckets[b];
  }
  d_.top_types = top(type_, options_.top);
  d_.top_records = top(record_, options_.top);
  d_.top_customers = top(customer_, options_.top);
  d_.top_fieldworkers = top(fieldworker_, options_.top);
  // A repeat: the issue before it on its record (by time, then number) came at most repeat_days earlier.
  const auto window = std::chrono::hours(24) * options_.repeat_days;
  for (auto &[record, list] : by_record_) {
    std::sort(list.begin(), list.end(), [](const auto &a, const auto &b) {
      return a.created_at != b.created_at ? a.created_at < b.created_at : a.number < b.number;
    });
    for (std::size_t k = 1; k < list.size(); ++k)
      if (list[k].counted && list[k].created_at - list[k - 1].created_at <= window) ++d_.repeats;
  }
  for (auto &[name, f] : slas_) d_.slas.push_back(f);
  return std::move(d_);
}

}  // namespace complaints::report
