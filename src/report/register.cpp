// The export's columns: one table of the issue's own columns, written by a
// CSV and a JSON-lines writer, then the SLA and case-field columns of the plan.
#include "report/register.hpp"

#include <algorithm>
#include <array>
#include <chrono>

#include "domain/timestamp_text.hpp"
#include "json/json.hpp"

namespace complaints {

const char *to_string(ExportFormat f) noexcept {
  switch (f) {
    case ExportFormat::csv: return "csv";
    case ExportFormat::json_lines: return "json_lines";
  }
  return "?";
}

std::optional<ExportFormat> export_format_from_string(std::string_view name) noexcept {
  if (name == "csv") return ExportFormat::csv;
  if (name == "json_lines") return ExportFormat::json_lines;
  return std::nullopt;
}

}  // namespace complaints

namespace complaints::report {

namespace {

// One value of a row, typed so that JSON keeps numbers, booleans, nulls and lists.
struct Cell {
  enum class Kind : std::uint8_t { text, owned_text, integer, boolean, timestamp, none, list };
  Kind kind = Kind::none;
  std::string_view text{};
  std::string owned{};  // text made for this row (a date)
  std::int64_t integer = 0;
  bool boolean = false;
  Timestamp at{};
  const std::vector<std::string> *list = nullptr;
};

Cell text(std::string_view v) { return {Cell::Kind::text, v}; }
Cell integer(std::int64_t v) { Cell c{Cell::Kind::integer}; c.integer = v; return c; }
Cell boolean(bool v) { Cell c{Cell::Kind::boolean}; c.boolean = v; return c; }
Cell timestamp(Timestamp t) { Cell c{Cell::Kind::timestamp}; c.at = t; return c; }
Cell timestamp(const std::optional<Timestamp> &t) { return t ? timestamp(*t) : Cell{}; }
Cell date(const std::optional<Date> &d) {
  Cell c;
  if (d) { c.kind = Cell::Kind::owned_text; c.owned = d->to_string(); }
  return c;
}
Cell list(const std::vector<std::string> &v) { Cell c{Cell::Kind::list}; c.list = &v; return c; }

struct Column {
  const char *name;
  Cell (*get)(const RegisterRow &);
};

// The issue's own columns, in order (docs/reporting.md lists them).
const std::array<Column, 23> issue_columns{{
    {"code", [](const RegisterRow &r) { return text(r.issue.code); }},
    {"number", [](const RegisterRow &r) { return integer(r.issue.number); }},
    {"record_kind", [](const RegisterRow &r) { return text(to_string(r.issue.record.kind)); }},
    {"record_id", [](const RegisterRow &r) { return text(r.issue.record.id); }},
    {"customer_id", [](const RegisterRow &r) { return text(r.issue.customer_id); }},
    {"fieldworkers", [](const RegisterRow &r) { return list(r.issue.fieldworkers); }},
    {"type", [](const RegisterRow &r) { return text(r.issue.type); }},
    {"description", [](const RegisterRow &r) { return text(r.issue.description); }},
    {"to_follow", [](const RegisterRow &r) { return boolean(r.issue.to_follow); }},
    {"deferred_date", [](const RegisterRow &r) { return date(r.issue.deferred_date); }},
    {"follow_up_date", [](const RegisterRow &r) { return date(r.issue.follow_up_date); }},
    {"workflow", [](const RegisterRow &r) { return text(r.issue.workflow); }},
    {"status", [](const RegisterRow &r) { return text(r.issue.status); }},
    {"category", [](const RegisterRow &r) { return text(to_string(r.issue.category)); }},
    {"stage", [](const RegisterRow &r) { return text(r.issue.stage); }},
    {"assignee", [](const RegisterRow &r) { return text(r.issue.assignee); }},
    {"reporter_id", [](const RegisterRow &r) { return text(r.issue.reporter_id); }},
    {"reporter_role", [](const RegisterRow &r) { return text(to_string(r.issue.reporter_role)); }},
    {"channel", [](const RegisterRow &r) { return text(to_string(r.issue.channel)); }},
    {"created_at", [](const RegisterRow &r) { return timestamp(r.issue.created_at); }},
    {"updated_at", [](const RegisterRow &r) { return timestamp(r.issue.updated_at); }},
    {"version", [](const RegisterRow &r) { return integer(r.issue.version); }},
    {"resolution", [](const RegisterRow &r) { return r.resolution ? text(*r.resolution) : Cell{}; }},
}};

// Whether the clock ran out: recorded so, or running with no time left now.
bool breached(const SlaClock &c) {
  return c.breached || (c.state == SlaState::running && c.left() <= std::chrono::milliseconds{0});
}

const SlaClock *clock_named(const Issue &issue, std::string_view name) {
  for (const auto &c : issue.slas)
    if (c.name == name) return &c;
  return nullptr;
}

// The SLA columns of one policy, as cells (all empty when the issue has no such clock).
std::array<Cell, 3> sla_cells(const SlaClock *c) {
  if (!c) return {};
  return {text(to_string(c->state)), timestamp(c->due_at), boolean(breached(*c))};
}

void put_csv(std::string &out, const Cell &c) {
  char stamp[timestamp_text_size];
  switch (c.kind) {
    case Cell::Kind::text: csv_field(out, c.text); break;
    case Cell::Kind::owned_text: csv_field(out, c.owned); break;
    case Cell::Kind::integer: out += std::to_string(c.integer); break;
    case Cell::Kind::boolean: out += c.boolean ? "true" : "false"; break;
    case Cell::Kind::timestamp:
      format_timestamp_into(c.at, stamp);
      out.append(stamp, sizeof stamp);
      break;
    case Cell::Kind::none: break;
    case Cell::Kind::list: {
      // Ids hold no control characters, so a line feed separates them unambiguously.
      std::string joined;
      for (const auto &item : *c.list) joined += (joined.empty() ? "" : "\n") + item;
      csv_field(out, joined);
      break;
    }
  }
}

void put_json(json::Writer &w, const Cell &c) {
  char stamp[timestamp_text_size];
  switch (c.kind) {
    case Cell::Kind::text: w.value(c.text); break;
    case Cell::Kind::owned_text: w.value(c.owned); break;
    case Cell::Kind::integer: w.value(c.integer); break;
    case Cell::Kind::boolean: w.value(c.boolean); break;
    case Cell::Kind::timestamp:
      format_timestamp_into(c.at, stamp);
      w.value(std::string_view(stamp, sizeof stamp));
      break;
    case Cell::Kind::none: w.null(); break;
    case Cell::Kind::list:
      w.begin_array();
      for (const auto &item : *c.list) w.value(item);
      w.end_array();
      break;
  }
}

constexpr std::array<const char *, 3> sla_parts{"state", "due_at", "breached"};

}  // namespace

void RegisterPlan::add(const WorkflowDef &def) {
  for (const auto &p : def.slas) sla_names.push_back(p.name);
  for (const auto &f : def.fields) field_names.push_back(f.name);
  auto &mine = resolution_fields[def.name];
  for (const auto &a : def.actions)
    for (const auto &in : a.inputs)
      if (in.type == InputType::resolution) {
        mine.insert("input." + in.name);
        all_resolution_fields.push_back("input." + in.name);
      }
}

void RegisterPlan::finish() {
  for (auto *names : {&sla_names, &field_names, &all_resolution_fields}) {
    std::sort(names->begin(), names->end());
    names->erase(std::unique(names->begin(), names->end()), names->end());
  }
}

void csv_field(std::string &out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

RegisterWriter::RegisterWriter(ExportFormat format, const RegisterPlan &plan) : format_(format), plan_(plan) {
  for (const auto &c : issue_columns) columns_.emplace_back(c.name);
  for (const auto &name : plan.sla_names)
    for (const char *part : sla_parts) columns_.push_back("sla." + name + "." + part);
  for (const auto &name : plan.field_names) columns_.push_back("field." + name);
}

void RegisterWriter::header(std::string &out) const {
  if (format_ != ExportFormat::csv) return;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    if (i) out += ',';
    csv_field(out, columns_[i]);
  }
  out += "\r\n";
}

void RegisterWriter::row(std::string &out, const RegisterRow &row) const {
  if (format_ == ExportFormat::csv) {
    bool first = true;
    auto put = [&](const Cell &c) {
      if (!first) out += ',';
      first = false;
      put_csv(out, c);
    };
    for (const auto &c : issue_columns) put(c.get(row));
    for (const auto &name : plan_.sla_names)
      for (const auto &c : sla_cells(clock_named(row.issue, name))) put(c);
    for (const auto &name : plan_.field_names) {
      auto it = row.issue.fields.find(name);
      put(it == row.issue.fields.end() ? Cell{} : text(it->second));
    }
    out += "\r\n";
    return;
  }
  // JSON lines: the same columns as keys; every clock and case field of the
  // issue, in objects by name.
  json::Writer w(out);
  w.begin_object();
  for (const auto &c : issue_columns) {
    w.key(c.name);
    put_json(w, c.get(row));
  }
  w.key("slas").begin_object();
  for (const auto &clock : row.issue.slas) {
    w.key(clock.name).begin_object();
    auto cells = sla_cells(&clock);
    for (std::size_t i = 0; i < cells.size(); ++i) {
      w.key(sla_parts[i]);
      put_json(w, cells[i]);
    }
    w.end_object();
  }
  w.end_object();
  w.key("fields").begin_object();
  for (const auto &[name, value] : row.issue.fields) w.field(name, value);
  w.end_object();
  w.end_object();
  w.finish();
  out += '\n';
}

}  // namespace complaints::report
