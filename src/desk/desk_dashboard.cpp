// Desk::dashboard: the issues of a period, their status periods and the holds
// in scope, read in one transaction and counted by report::DashboardBuilder.
#include "desk/impl.hpp"
#include "engine/change.hpp"
#include "report/dashboard.hpp"

namespace complaints {

Dashboard Desk::dashboard(const Actor &actor, const DashboardOptions &options) {
  access::check_actor(actor);
  if (actor.role == Role::customer) throw Forbidden("dashboards are for staff and fieldworkers", "actor");
  if (options.to < options.from) throw InvalidInput("is before from", "to");
  if (options.repeat_days < 1 || options.repeat_days > limits::repeat_days)
    throw InvalidInput(fmt::format("must be 1 to {} days", limits::repeat_days), "repeat_days");
  check::count(options.top, "top", limits::dashboard_top);
  if (options.stalled_after.count() < 0 || options.stalled_after > std::chrono::hours(24) * limits::duration_days)
    throw InvalidInput(fmt::format("must be 0 to {} days", limits::duration_days), "stalled_after");
  IssueFilter filter;
  filter.workflow = options.workflow;
  filter.record_kind = options.record_kind;
  filter.type = options.type;
  filter.fieldworker = options.fieldworker;
  filter.stage = options.stage;
  filter.created_from = options.from - std::chrono::hours(24) * options.repeat_days;
  filter.created_to = options.to;
  filter.limit = limits::page_items;
  IssueQuery query = Impl::issue_query(actor, filter);

  return impl_->run(TxnMode::read, [&](Op &op) {
    report::DashboardBuilder builder(options, op.now);
    for (bool more = true; more;) {
      std::vector<Issue> issues = op.txn.find_issues(query);
      more = issues.size() == query.filter.limit;
      if (!issues.empty()) query.filter.after_number = issues.back().number;
      std::vector<std::int64_t> numbers;
      for (const auto &i : issues)
        if (i.created_at >= options.from) numbers.push_back(i.number);
      std::vector<StatusPeriod> periods = op.txn.status_periods(numbers);
      std::size_t p = 0;
      std::vector<StatusPeriod> mine;
      for (auto &issue : issues) {
        if (issue.created_at < options.from) {
          builder.add_earlier(issue);
          continue;
        }
        mine.clear();
        while (p < periods.size() && periods[p].number < issue.number) ++p;
        for (; p < periods.size() && periods[p].number == issue.number; ++p) mine.push_back(periods[p]);
        engine::as_of_now(op, issue);
        builder.add(issue, mine, op.caches->workflow(op, issue.workflow).definition());
      }
    }
    HoldFilter holds;
    holds.state = HoldState::withheld;
    holds.fieldworker = actor.role == Role::fieldworker ? std::optional(actor.id) : options.fieldworker;
    holds.limit = limits::hold_page_items;
    std::vector<PaymentHold> withheld = op.txn.find_holds(holds);
    if (actor.role == Role::fieldworker && options.fieldworker && *options.fieldworker != actor.id) withheld.clear();
    if (options.record_kind)
      std::erase_if(withheld, [&](const PaymentHold &h) { return h.record.kind != *options.record_kind; });
    builder.add_holds(withheld);
    return builder.finish();
  });
}

}  // namespace complaints
