// Desk::export_issues: the complaint register, a page of issues per read
// transaction, each page handed to the host's sink outside the desk's lock.
#include <optional>

#include "desk/impl.hpp"
#include "engine/change.hpp"
#include "report/register.hpp"

namespace complaints {

namespace {

// The resolution last picked on each issue of a page: the newest change to
// one of its workflow's resolution inputs. `changes` are by number, then seq.
std::vector<const std::string *> resolutions(const std::vector<Issue> &issues,
                                             const std::vector<NumberedChange> &changes,
                                             const report::RegisterPlan &plan) {
  std::vector<const std::string *> out(issues.size(), nullptr);
  std::size_t c = 0;
  for (std::size_t i = 0; i < issues.size(); ++i) {
    const Issue &issue = issues[i];
    while (c < changes.size() && changes[c].number < issue.number) ++c;
    auto fields = plan.resolution_fields.find(issue.workflow);
    for (; c < changes.size() && changes[c].number == issue.number; ++c)
      if (fields != plan.resolution_fields.end() && fields->second.contains(changes[c].change.field))
        out[i] = &changes[c].change.after;
  }
  return out;
}

}  // namespace

ExportSummary Desk::export_issues(const Actor &actor, const ExportOptions &options, const ExportSink &sink) {
  access::check_actor(actor);
  access::require_staff(actor, "exporting the complaint register");
  if (!export_format_from_string(to_string(options.format)))
    throw InvalidInput("is not a known export format (csv, json_lines)", "format");
  check::count(options.page_issues, "page_issues", limits::page_items);
  if (!sink) throw InvalidInput("must be given", "sink");
  IssueQuery query = Impl::issue_query(actor, options.filter);
  query.filter.limit = options.page_issues;

  report::RegisterPlan plan;
  std::optional<report::RegisterWriter> writer;
  ExportSummary summary;
  std::string chunk;
  for (bool more = true; more;) {
    chunk.clear();
    more = impl_->run(TxnMode::read, [&](Op &op) {
      if (!writer) {  // the columns, fixed by the workflows installed now
        for (const auto &name : op.txn.workflow_names()) plan.add(op.caches->workflow(op, name).definition());
        plan.finish();
        writer.emplace(options.format, plan);
        writer->header(chunk);
        summary.columns = writer->columns();
      }
      std::vector<Issue> issues = op.txn.find_issues(query);
      std::vector<std::int64_t> numbers;
      numbers.reserve(issues.size());
      for (const auto &i : issues) numbers.push_back(i.number);
      auto changes = op.txn.timeline_changes(numbers, plan.all_resolution_fields);
      auto picked = resolutions(issues, changes, plan);
      for (std::size_t i = 0; i < issues.size(); ++i) {
        engine::as_of_now(op, issues[i]);
        writer->row(chunk, {issues[i], picked[i]});
      }
      summary.rows += static_cast<std::int64_t>(issues.size());
      if (!issues.empty()) summary.last_number = query.filter.after_number = issues.back().number;
      return issues.size() == options.page_issues;
    });
    if (!chunk.empty()) sink(chunk);
  }
  return summary;
}

}  // namespace complaints
