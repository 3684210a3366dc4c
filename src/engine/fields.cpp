#include "engine/fields.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "domain/check.hpp"

namespace complaints::engine {

namespace {

std::string number_text(const FieldDef &def, std::string_view value, const std::string &where) {
  double d = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), d, std::chars_format::fixed);
  if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(d))
    throw InvalidInput(fmt::format("'{}' is not a number (digits, an optional '-' and '.')", check::excerpt(value)),
                       where);
  if ((def.min && d < *def.min) || (def.max && d > *def.max))
    throw InvalidInput(fmt::format("{} is outside {} to {}", check::excerpt(value),
                                   def.min ? fmt::format("{}", *def.min) : std::string("any"),
                                   def.max ? fmt::format("{}", *def.max) : std::string("any")),
                       where);
  return fmt::format("{}", d);
}

// An amount in the field's currency: digits with at most two decimals.
std::string money_text(const FieldDef &def, std::string_view value, const std::string &where) {
  auto bad = [&] {
    return InvalidInput(
        fmt::format("'{}' is not an amount (e.g. 125 or 125.50, at most two decimals)", check::excerpt(value)), where);
  };
  std::string_view digits = value;
  bool negative = !digits.empty() && digits.front() == '-';
  if (negative) digits.remove_prefix(1);
  std::size_t dot = digits.find('.');
  std::string_view whole = digits.substr(0, dot);
  std::string_view cents = dot == std::string_view::npos ? std::string_view() : digits.substr(dot + 1);
  auto all_digits = [](std::string_view s) { return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }); };
  if (whole.empty() || whole.size() > 15 || !all_digits(whole) || (dot != std::string_view::npos && cents.empty()) ||
      cents.size() > 2 || !all_digits(cents))
    throw bad();
  std::int64_t minor = 0;
  for (char c : whole) minor = minor * 10 + (c - '0');
  minor = minor * 100 + (cents.size() > 0 ? (cents[0] - '0') * 10 : 0) + (cents.size() > 1 ? cents[1] - '0' : 0);
  if (negative) minor = -minor;
  double amount = static_cast<double>(minor) / 100.0;
  if ((def.min && amount < *def.min) || (def.max && amount > *def.max))
    throw InvalidInput(fmt::format("{} {} is outside {} to {}", def.currency, check::excerpt(value),
                                   def.min ? fmt::format("{}", *def.min) : std::string("any"),
                                   def.max ? fmt::format("{}", *def.max) : std::string("any")),
                       where);
  std::int64_t abs = minor < 0 ? -minor : minor;
  return fmt::format("{}{}.{:02}", minor < 0 ? "-" : "", abs / 100, abs % 100);
}

bool is_choice(const FieldDef &def, std::string_view v) {
  return std::find(def.choices.begin(), def.choices.end(), v) != def.choices.end();
}

// Options separated by ';', each one of the choices, once; written in the declared order.
std::string multi_text(const FieldDef &def, std::string_view value, const std::string &where) {
  std::vector<bool> chosen(def.choices.size(), false);
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t cut = value.find(';', start);
    std::string_view option = value.substr(start, cut == std::string_view::npos ? std::string_view::npos : cut - start);
    auto it = std::find(def.choices.begin(), def.choices.end(), option);
    if (it == def.choices.end())
      throw InvalidInput(fmt::format("'{}' is not one of the field's choices", check::excerpt(option)), where);
    std::size_t i = static_cast<std::size_t>(it - def.choices.begin());
    if (chosen[i]) throw InvalidInput(fmt::format("'{}' is chosen twice", check::excerpt(option)), where);
    chosen[i] = true;
    if (cut == std::string_view::npos) break;
    start = cut + 1;
  }
  std::string out;
  for (std::size_t i = 0; i < chosen.size(); ++i)
    if (chosen[i]) out += (out.empty() ? "" : ";") + def.choices[i];
  return out;
}

}  // namespace

std::string field_value(const FieldDef &def, std::string_view value, const std::string &where) {
  if (value.empty()) return {};
  switch (def.type) {
    case FieldType::text: check::text(value, where, def.max_length, false); return std::string(value);
    case FieldType::number: return number_text(def, value, where);
    case FieldType::money: return money_text(def, value, where);
    case FieldType::date: return Date::parse(value, where).to_string();
    case FieldType::choice:
      if (!is_choice(def, value))
        throw InvalidInput(fmt::format("'{}' is not one of the field's choices", check::excerpt(value)), where);
      return std::string(value);
    case FieldType::multi_choice: return multi_text(def, value, where);
    case FieldType::yes_no:
      if (value != "yes" && value != "no") throw InvalidInput("must be yes or no", where);
      return std::string(value);
  }
  return std::string(value);
}

void set_fields(const Workflow &wf, Issue &issue, const FieldValues &values, TimelineEntry &entry,
                const std::vector<std::string> *allowed) {
  // Every value is checked before any is set: a bad one leaves the issue as it was.
  std::vector<std::pair<const FieldDef *, std::string>> checked;
  for (const auto &[name, value] : values) {
    std::string where = "fields." + check::excerpt(name);
    const FieldDef *def = wf.field(name);
    if (!def)
      throw InvalidInput(fmt::format("workflow '{}' has no case field '{}'", wf.name(), check::excerpt(name)), where);
    if (allowed && std::find(allowed->begin(), allowed->end(), name) == allowed->end())
      throw InvalidInput(fmt::format("this action does not set field '{}'", check::excerpt(name)), where);
    checked.emplace_back(def, field_value(*def, value, where));
  }
  for (auto &[def, text] : checked) {
    auto it = issue.fields.find(def->name);
    std::string before = it == issue.fields.end() ? std::string() : it->second;
    if (before == text) continue;
    entry.changes.push_back({"field." + def->name, before, text});
    if (text.empty())
      issue.fields.erase(it);
    else
      issue.fields[def->name] = std::move(text);
  }
}

void require_fields(const ActionDef &action, const Issue &issue) {
  for (const auto &name : action.required_fields)
    if (!issue.fields.count(name))
      throw InvalidInput(fmt::format("action '{}' requires case field '{}'", action.name, name), "fields." + name);
}

}  // namespace complaints::engine
