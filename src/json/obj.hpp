// Internal to src/json: reading one JSON object of a request document, shared
// by the readers of json.cpp and tasks.cpp.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "complaints/clock.hpp"
#include "complaints/errors.hpp"
#include "complaints/issue.hpp"
#include "domain/check.hpp"

namespace complaints::json {

// One JSON object being read: checks its keys and the type of each value,
// naming the field ("record.kind") in every error.
class Obj {
 public:
  Obj(const nlohmann::json &j, std::string path, std::initializer_list<std::string_view> keys)
      : j_(j), path_(std::move(path)) {
    if (!j.is_object()) throw InvalidInput(fmt::format("must be an object, not {}", j.type_name()), where());
    for (auto it = j.begin(); it != j.end(); ++it)
      if (std::find(keys.begin(), keys.end(), it.key()) == keys.end())
        throw InvalidInput("is not a known key", field(check::excerpt(it.key())));
  }

  std::string field(std::string_view k) const { return path_.empty() ? std::string(k) : path_ + "." + std::string(k); }
  std::string where() const { return path_.empty() ? "request" : path_; }

  const nlohmann::json *get(std::string_view k) const {
    auto it = j_.find(k);
    return it == j_.end() || it->is_null() ? nullptr : &*it;
  }

  std::optional<std::string> opt_str(std::string_view k) const {
    const auto *v = get(k);
    if (!v) return std::nullopt;
    if (!v->is_string()) throw InvalidInput(fmt::format("must be a string, not {}", v->type_name()), field(k));
    return v->get<std::string>();
  }

  std::string str(std::string_view k) const {
    auto v = opt_str(k);
    if (!v) throw InvalidInput("is required", field(k));
    return *v;
  }

  std::string str_or(std::string_view k, std::string fallback) const { return opt_str(k).value_or(std::move(fallback)); }

  std::optional<bool> opt_bool(std::string_view k) const {
    const auto *v = get(k);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) throw InvalidInput(fmt::format("must be true or false, not {}", v->type_name()), field(k));
    return v->get<bool>();
  }

  bool flag(std::string_view k, bool fallback) const { return opt_bool(k).value_or(fallback); }

  std::optional<std::int64_t> opt_int(std::string_view k) const {
    const auto *v = get(k);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) throw InvalidInput(fmt::format("must be an integer, not {}", v->type_name()), field(k));
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
      throw InvalidInput("is too large", field(k));
    return v->get<std::int64_t>();
  }

  std::optional<Date> opt_date(std::string_view k) const {
    auto s = opt_str(k);
    if (!s) return std::nullopt;
    return Date::parse(*s, field(k));
  }

  std::optional<Timestamp> opt_time(std::string_view k) const {
    auto s = opt_str(k);
    if (!s) return std::nullopt;
    return parse_timestamp(*s, field(k));
  }

  std::vector<std::string> strs(std::string_view k) const {
    std::vector<std::string> out;
    const auto *v = get(k);
    if (!v) return out;
    if (!v->is_array()) throw InvalidInput(fmt::format("must be an array, not {}", v->type_name()), field(k));
    for (std::size_t i = 0; i < v->size(); ++i) {
      if (!(*v)[i].is_string()) throw InvalidInput("must be a string", fmt::format("{}[{}]", field(k), i));
      out.push_back((*v)[i].get<std::string>());
    }
    return out;
  }

  template <typename E>
  std::optional<E> opt_enum(std::string_view k, std::optional<E> (*from)(std::string_view) noexcept) const {
    auto s = opt_str(k);
    if (!s) return std::nullopt;
    auto e = from(*s);
    if (!e) throw InvalidInput(fmt::format("'{}' is not a known value", check::excerpt(*s)), field(k));
    return e;
  }

  template <typename E>
  E req_enum(std::string_view k, std::optional<E> (*from)(std::string_view) noexcept) const {
    auto e = opt_enum(k, from);
    if (!e) throw InvalidInput("is required", field(k));
    return *e;
  }

 private:
  const nlohmann::json &j_;
  std::string path_;
};

}  // namespace complaints::json
