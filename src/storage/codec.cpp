#include "storage/codec.hpp"

#include <nlohmann/json.hpp>

namespace complaints::codec {

std::string encode_changes(const std::vector<FieldChange> &changes) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto &c : changes) j.push_back({c.field, c.before, c.after});
  return j.dump();
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

namespace {

nlohmann::json opt_ms(const std::optional<Timestamp> &t) { return t ? nlohmann::json(to_millis(*t)) : nlohmann::json(); }

std::optional<Timestamp> read_opt_ms(const nlohmann::json &j, const char *key) {
  const auto &v = j.at(key);
  if (v.is_null()) return std::nullopt;
  return from_millis(v.get<std::int64_t>());
}

template <typename F>
auto decoded(std::string_view text, const char *what, F &&read) -> decltype(read(nlohmann::json())) {
  if (text.empty()) return {};
  try {
    return read(nlohmann::json::parse(text));
  } catch (const nlohmann::json::exception &e) {
    throw StorageError(std::string("stored ") + what + " are corrupt: " + e.what());
  }
}

}  // namespace

std::string encode_timers(const std::vector<IssueTimer> &timers) {
  if (timers.empty()) return {};
  nlohmann::json j = nlohmann::json::array();
  for (const auto &t : timers) j.push_back({t.name, t.action, to_millis(t.due_at)});
  return j.dump();
}

std::vector<IssueTimer> decode_timers(std::string_view text) {
  return decoded(text, "timers", [](const nlohmann::json &j) {
    std::vector<IssueTimer> out;
    for (const auto &t : j)
      out.push_back({t.at(0).get<std::string>(), t.at(1).get<std::string>(), from_millis(t.at(2).get<std::int64_t>())});
    return out;
  });
}

std::string encode_clocks(const std::vector<SlaClock> &clocks) {
  if (clocks.empty()) return {};
  nlohmann::json j = nlohmann::json::array();
  for (const auto &c : clocks)
    j.push_back({{"name", c.name},
                 {"state", to_string(c.state)},
                 {"business", c.business},
                 {"started_at", to_millis(c.started_at)},
                 {"budget", c.budget.count()},
                 {"used", c.used.count()},
                 {"as_of", to_millis(c.as_of)},
                 {"due_at", opt_ms(c.due_at)},
                 {"warn_at", opt_ms(c.warn_at)},
                 {"warn_percent", c.warn_percent},
                 {"paused_by_status", c.paused_by_status},
                 {"warned", c.warned},
                 {"breached", c.breached},
                 {"breached_at", opt_ms(c.breached_at)}});
  return j.dump();
}

std::vector<SlaClock> decode_clocks(std::string_view text) {
  return decoded(text, "SLA clocks", [](const nlohmann::json &j) {
    std::vector<SlaClock> out;
    for (const auto &v : j) {
      SlaClock c;
      c.name = v.at("name").get<std::string>();
      std::string state = v.at("state").get<std::string>();
      c.state = decode_enum(sla_state_from_string(state), "issues.slas", state);
      c.business = v.at("business").get<bool>();
      c.started_at = from_millis(v.at("started_at").get<std::int64_t>());
      c.budget = std::chrono::milliseconds(v.at("budget").get<std::int64_t>());
      c.used = std::chrono::milliseconds(v.at("used").get<std::int64_t>());
      c.as_of = from_millis(v.at("as_of").get<std::int64_t>());
      c.due_at = read_opt_ms(v, "due_at");
      c.warn_at = read_opt_ms(v, "warn_at");
      c.warn_percent = v.at("warn_percent").get<int>();
      c.paused_by_status = v.at("paused_by_status").get<bool>();
      c.warned = v.at("warned").get<bool>();
      c.breached = v.at("breached").get<bool>();
      c.breached_at = read_opt_ms(v, "breached_at");
      out.push_back(std::move(c));
    }
    return out;
  });
}

}  // namespace complaints::codec
