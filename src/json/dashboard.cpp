// The dashboard as a JSON document, and its options read from one
// (complaints_dashboard; docs/reporting.md, "Dashboards").
#include <algorithm>

#include <fmt/format.h>

#include "complaints/limits.hpp"
#include "json/json.hpp"
#include "json/obj.hpp"

namespace complaints::json {

namespace {

void counts(Writer &w, std::string_view k, const std::vector<DashboardCount> &list) {
  w.key(k).begin_array();
  for (const auto &c : list) w.begin_object().field("name", c.name).field("issues", c.issues).end_object();
  w.end_array();
}

void stats(Writer &w, const DurationStats &s) {
  w.begin_object()
      .field("count", s.count)
      .field("mean_ms", static_cast<std::int64_t>(s.mean.count()))
      .field("median_ms", static_cast<std::int64_t>(s.median.count()))
      .field("p90_ms", static_cast<std::int64_t>(s.p90.count()))
      .end_object();
}

}  // namespace

void write(Writer &w, const Dashboard &v) {
  w.begin_object();
  time(w, "from", v.from);
  time(w, "to", v.to);
  time(w, "as_of", v.as_of);
  w.field("issues", v.issues).field("resolved", v.resolved).field("active", v.active).field("escalated", v.escalated);
  counts(w, "by_status", v.by_status);
  counts(w, "by_category", v.by_category);
  counts(w, "by_type", v.by_type);
  counts(w, "by_stage", v.by_stage);
  w.key("stages").begin_array();
  for (const auto &s : v.stages)
    w.begin_object()
        .field("workflow", s.workflow)
        .field("stage", s.stage)
        .field("active", s.active)
        .field("resolved", s.resolved)
        .field("escalated", s.escalated)
        .end_object();
  w.end_array();
  w.key("time_in_status").begin_object();
  for (const auto &[status, s] : v.time_in_status) {
    w.key(status);
    stats(w, s);
  }
  w.end_object();
  w.key("resolution");
  stats(w, v.resolution);
  w.key("resolution_buckets").begin_array();
  for (auto n : v.resolution_buckets) w.value(n);
  w.end_array();
  counts(w, "top_types", v.top_types);
  counts(w, "top_records", v.top_records);
  counts(w, "top_customers", v.top_customers);
  counts(w, "top_fieldworkers", v.top_fieldworkers);
  w.field("repeats", v.repeats);
  w.key("slas").begin_array();
  for (const auto &s : v.slas)
    w.begin_object()
        .field("policy", s.policy)
        .field("met", s.met)
        .field("breached", s.breached)
        .field("running", s.running)
        .field("at_risk", s.at_risk)
        .end_object();
  w.end_array();
  w.key("holds").begin_object().field("withheld", v.holds_withheld);
  totals(w, "amounts", v.withheld_amounts);
  w.field("without_amount", v.holds_without_amount).field("stalled", v.holds_stalled).end_object();
  w.end_object();
}

DashboardOptions read_dashboard_options(const nlohmann::json &j) {
  Obj o(j, "",
        {"from", "to", "workflow", "record_kind", "type", "fieldworker", "stage", "repeat_days", "top",
         "stalled_after_hours"});
  DashboardOptions d;
  auto from = o.opt_time("from"), to = o.opt_time("to");
  if (!from) throw InvalidInput("is required", "from");
  if (!to) throw InvalidInput("is required", "to");
  d.from = *from;
  d.to = *to;
  d.workflow = o.opt_str("workflow");
  d.record_kind = o.opt_enum("record_kind", &record_kind_from_string);
  d.type = o.opt_str("type");
  d.fieldworker = o.opt_str("fieldworker");
  d.stage = o.opt_str("stage");
  // Out of range reads as a value the Desk refuses, naming the field.
  if (auto n = o.opt_int("repeat_days")) d.repeat_days = static_cast<int>(std::clamp<std::int64_t>(*n, -1, 100000));
  if (auto n = o.opt_int("top")) d.top = *n < 0 ? 0 : static_cast<std::size_t>(std::min<std::int64_t>(*n, 1000000));
  if (auto n = o.opt_int("stalled_after_hours")) {
    const std::int64_t most = 24LL * limits::duration_days;
    if (*n < 0 || *n > most) throw InvalidInput(fmt::format("must be 0 to {} hours", most), "stalled_after_hours");
    d.stalled_after = std::chrono::hours(*n);
  }
  return d;
}

}  // namespace complaints::json
