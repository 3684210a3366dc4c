#include "storage/codec.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "json/json.hpp"

namespace complaints::codec {

std::string encode_changes(const std::vector<FieldChange> &changes) {
  // Written by the library's JSON writer (every entry is encoded: it is on
  // the path of every change), read back by nlohmann.
  std::string out;
  json::Writer w(out);
  w.begin_array();
  for (const auto &c : changes) w.begin_array().value(c.field).value(c.before).value(c.after).end_array();
  w.end_array();
  w.finish();
  return out;
}

std::vector<FieldChange> decode_changes(std::string_view text) {
  std::vector<FieldChange> out;
  try {
    auto j = nlohmann::json::parse(text);
    for (const auto &c : j) out.push_back({c.at(0).get<std::string>(), c.at(1).get<std::string>(), c.at(2).get<std::string>()});
  } catch (const nlohmann::json::exception &e) {
    throw StorageError(std::string("stored timeline changes are corrupt: ") + e.what());
  }
  return out;
}

std::string encode_fields(const std::map<std::string, std::string, std::less<>> &fields) {
  if (fields.empty()) return "{}";
  std::string out;
  json::Writer w(out);
  w.begin_object();
  for (const auto &[name, value] : fields) w.key(name).value(value);
  w.end_object();
  w.finish();
  return out;
}

std::map<std::string, std::string, std::less<>> decode_fields(std::string_view text) {
  std::map<std::string, std::string, std::less<>> out;
  if (text.empty() || text == "{}") return out;
  try {
    auto j = nlohmann::json::parse(text);
    for (const auto &[name, value] : j.items()) out.emplace(name, value.get<std::string>());
  } catch (const nlohmann::json::exception &e) {
    throw StorageError(std::string("stored case fields are corrupt: ") + e.what());
  }
  return out;
}

namespace {

// Timers and SLA clocks are stored as text a line per item, fields apart by
// the unit separator (0x1F): names never hold control characters, and this
// reads back several times faster than JSON (every issue read decodes it).
constexpr char unit = '\x1f';

[[noreturn]] void corrupt(const char *what) { throw StorageError(std::string("stored ") + what + " are corrupt"); }

// Splits `text` at `sep` into `out` (cleared first).
void split(std::string_view text, char sep, std::vector<std::string_view> &out) {
  out.clear();
  for (std::size_t start = 0;;) {
    std::size_t end = text.find(sep, start);
    out.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return;
    start = end + 1;
  }
}

std::int64_t number(std::string_view field, const char *what) {
  std::int64_t n = 0;
  auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), n);
  if (ec != std::errc() || ptr != field.data() + field.size() || field.empty()) corrupt(what);
  return n;
}

std::optional<Timestamp> instant(std::string_view field, const char *what) {
  if (field.empty()) return std::nullopt;
  return from_millis(number(field, what));
}

void put_number(std::string &out, std::int64_t n) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

void put_instant(std::string &out, const std::optional<Timestamp> &t) {
  if (t) put_number(out, to_millis(*t));
}

}  // namespace

std::string encode_timers(const std::vector<IssueTimer> &timers) {
  std::string out;
  for (const auto &t : timers) {
    if (!out.empty()) out += '\n';
    out += t.name;
    out += unit;
    out += t.action;
    out += unit;
    put_number(out, to_millis(t.due_at));
  }
  return out;
}

std::vector<IssueTimer> decode_timers(std::string_view text) {
  std::vector<IssueTimer> out;
  if (text.empty()) return out;
  std::vector<std::string_view> lines, f;
  split(text, '\n', lines);
  for (auto line : lines) {
    split(line, unit, f);
    if (f.size() != 3) corrupt("timers");
    out.push_back({std::string(f[0]), std::string(f[1]), from_millis(number(f[2], "timers"))});
  }
  return out;
}

std::string encode_clocks(const std::vector<SlaClock> &clocks) {
  std::string out;
  for (const auto &c : clocks) {
    if (!out.empty()) out += '\n';
    out += c.name;
    out += unit;
    out += to_string(c.state);
    out += unit;
    out += c.business ? '1' : '0';
    out += c.paused_by_status ? '1' : '0';
    out += c.warned ? '1' : '0';
    out += c.breached ? '1' : '0';
    for (std::int64_t n : {to_millis(c.started_at), std::int64_t(c.budget.count()), std::int64_t(c.used.count()),
                           to_millis(c.as_of), std::int64_t(c.warn_percent)}) {
      out += unit;
      put_number(out, n);
    }
    for (const auto *t : {&c.due_at, &c.warn_at, &c.breached_at}) {
      out += unit;
      put_instant(out, *t);
    }
  }
  return out;
}

std::vector<SlaClock> decode_clocks(std::string_view text) {
  std::vector<SlaClock> out;
  if (text.empty()) return out;
  const char *what = "SLA clocks";
  std::vector<std::string_view> lines, f;
  split(text, '\n', lines);
  for (auto line : lines) {
    split(line, unit, f);
    if (f.size() != 11 || f[2].size() != 4) corrupt(what);
    SlaClock c;
    c.name = std::string(f[0]);
    c.state = decode_enum(sla_state_from_string(f[1]), "issues.slas", f[1]);
    auto flag = [&](std::size_t i) {
      if (f[2][i] != '0' && f[2][i] != '1') corrupt(what);
      return f[2][i] == '1';
    };
    c.business = flag(0);
    c.paused_by_status = flag(1);
    c.warned = flag(2);
    c.breached = flag(3);
    c.started_at = from_millis(number(f[3], what));
    c.budget = std::chrono::milliseconds(number(f[4], what));
    c.used = std::chrono::milliseconds(number(f[5], what));
    c.as_of = from_millis(number(f[6], what));
    c.warn_percent = static_cast<int>(number(f[7], what));
    c.due_at = instant(f[8], what);
    c.warn_at = instant(f[9], what);
    c.breached_at = instant(f[10], what);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace complaints::codec
