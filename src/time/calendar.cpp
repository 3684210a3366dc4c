#include "time/calendar.hpp"

#include <algorithm>
#include <charconv>

#include <date/tz.h>
#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "complaints/limits.hpp"
#include "domain/check.hpp"

namespace complaints {

namespace {

constexpr const char *weekday_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
constexpr const char *weekday_long[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr const char *month_long[] = {"January", "February", "March",     "April",   "May",      "June",
                                      "July",    "August",   "September", "October", "November", "December"};

}  // namespace

const char *to_string(Weekday d) noexcept {
  auto i = static_cast<std::size_t>(d);
  return i < 7 ? weekday_names[i] : "?";
}

std::optional<Weekday> weekday_from_string(std::string_view name) noexcept {
  for (std::size_t i = 0; i < 7; ++i)
    if (name == weekday_names[i]) return static_cast<Weekday>(i);
  return std::nullopt;
}

std::string format_minute(std::uint16_t minute) { return fmt::format("{:02d}:{:02d}", minute / 60, minute % 60); }

std::uint16_t parse_minute(std::string_view text, std::string_view field, bool allow_end) {
  auto two = [&](std::size_t at) {
    char a = text[at], b = text[at + 1];
    return a >= '0' && a <= '9' && b >= '0' && b <= '9' ? (a - '0') * 10 + (b - '0') : -1;
  };
  int h = text.size() == 5 && text[2] == ':' ? two(0) : -1;
  int m = h >= 0 ? two(3) : -1;
  bool ok = h >= 0 && m >= 0 && m < 60 && (h < 24 || (allow_end && h == 24 && m == 0));
  if (!ok)
    throw InvalidInput(fmt::format("'{}' is not a time of day (HH:MM, 00:00 to {})", check::excerpt(text),
                                   allow_end ? "24:00" : "23:59"),
                       std::string(field));
  return static_cast<std::uint16_t>(h * 60 + m);
}

namespace timing {

namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;

// How far a count may run before the calendar is judged to have too little
// working time for it: a century of days.
constexpr std::int64_t max_days_scanned = 366 * 100;
constexpr std::int64_t day_ms = 86'400'000;

// Sunday = 0 for a day number counted from Thursday 1 January 1970.
std::size_t weekday_of(std::int64_t day) { return static_cast<std::size_t>(((day % 7) + 7 + 4) % 7); }

[[noreturn]] void too_little_time() {
  throw InvalidState(
      "the business calendar has too little working time to count this far (a hundred years would not do)",
      "calendar");
}

}  // namespace

std::chrono::milliseconds Span::length() const noexcept {
  std::int64_t unit_ms = unit == 'd' ? day_ms : unit == 'h' ? 3'600'000 : 60'000;
  return milliseconds(count * unit_ms);
}

std::string Span::to_string() const { return fmt::format("{}{}", count, unit); }

std::optional<Span> parse_span(std::string_view text) noexcept {
  if (text.size() < 2) return std::nullopt;
  char unit = text.back();
  std::string_view digits = text.substr(0, text.size() - 1);
  std::int64_t n = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || n <= 0) return std::nullopt;
  std::int64_t per_unit = unit == 'm' ? 1 : unit == 'h' ? 60 : unit == 'd' ? 1440 : 0;
  if (per_unit == 0 || n > limits::duration_days * 1440 / per_unit) return std::nullopt;
  return Span{n, unit};
}

Calendar Calendar::make(const BusinessCalendar &source) {
  Calendar c;
  c.source_ = source;
  const std::string &tz = source.time_zone;
  bool plausible = !tz.empty() && tz.size() <= 64 && std::all_of(tz.begin(), tz.end(), [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '/' ||
           ch == '_' || ch == '-' || ch == '+';
  });
  try {
    if (plausible) c.zone_ = date::locate_zone(tz);
  } catch (const std::exception &) {
    c.zone_ = nullptr;
  }
  if (!c.zone_)
    throw InvalidInput(fmt::format("'{}' is not a time zone of the IANA database (e.g. Europe/London)",
                                   check::excerpt(tz)),
                       "calendar.time_zone");
  int working = 0;
  for (std::size_t d = 0; d < 7; ++d) {
    const auto &list = source.hours[d];
    if (list.size() > limits::periods_per_day)
      throw InvalidInput(fmt::format("at most {} periods a day", limits::periods_per_day),
                         fmt::format("calendar.hours.{}", weekday_names[d]));
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string field = fmt::format("calendar.hours.{}[{}]", weekday_names[d], i);
      const WorkingPeriod &p = list[i];
      if (!(p.start < p.end && p.end <= 1440))
        throw InvalidInput(fmt::format("{}-{} is not a period of a day (start before end, end at most 24:00)",
                                       format_minute(p.start), format_minute(p.end)),
                           field);
      if (i > 0 && p.start < list[i - 1].end)
        throw InvalidInput("periods must be in order and must not overlap", field);
      working += p.end - p.start;
    }
  }
  if (working == 0) throw InvalidInput("has no working time in the week", "calendar.hours");
  if (source.holidays.size() > limits::holidays)
    throw InvalidInput(fmt::format("lists {} days; at most {} allowed", source.holidays.size(), limits::holidays),
                       "calendar.holidays");
  for (std::size_t i = 0; i < source.holidays.size(); ++i) {
    std::int64_t day = source.holidays[i].days().time_since_epoch().count();
    auto at = std::lower_bound(c.holidays_.begin(), c.holidays_.end(), day);
    if (at != c.holidays_.end() && *at == day)
      throw InvalidInput(fmt::format("{} is listed twice", source.holidays[i].to_string()),
                         fmt::format("calendar.holidays[{}]", i));
    c.holidays_.insert(at, day);
  }
  return c;
}

std::int64_t Calendar::local_day_of(Timestamp t) const {
  auto local = zone_->to_local(t);
  return date::floor<date::days>(local).time_since_epoch().count();
}

bool Calendar::working_day(std::int64_t day) const {
  return !source_.hours[weekday_of(day)].empty() && !std::binary_search(holidays_.begin(), holidays_.end(), day);
}

Timestamp Calendar::at(Date day, std::uint16_t minute) const {
  date::local_time<milliseconds> local{milliseconds(day.days().time_since_epoch().count() * day_ms + minute * 60'000LL)};
  return std::chrono::time_point_cast<milliseconds>(zone_->to_sys(local, date::choose::earliest));
}

void Calendar::periods(std::int64_t day, std::vector<std::pair<Timestamp, Timestamp>> &out) const {
  out.clear();
  if (!working_day(day)) return;
  for (const WorkingPeriod &p : source_.hours[weekday_of(day)]) {
    auto instant = [&](std::uint16_t minute) {
      date::local_time<milliseconds> local{milliseconds(day * day_ms + minute * 60'000LL)};
      return std::chrono::time_point_cast<milliseconds>(zone_->to_sys(local, date::choose::earliest));
    };
    Timestamp start = instant(p.start), end = instant(p.end);
    if (end > start) out.emplace_back(start, end);  // a period inside a skipped hour has no time
  }
}

std::chrono::milliseconds Calendar::between(Timestamp a, Timestamp b, bool business) const {
  if (b <= a) return milliseconds(0);
  if (!business) return b - a;
  milliseconds total(0);
  std::vector<std::pair<Timestamp, Timestamp>> list;
  for (std::int64_t day = local_day_of(a), last = local_day_of(b); day <= last; ++day) {
    periods(day, list);
    for (const auto &[start, end] : list) {
      Timestamp from = std::max(start, a), to = std::min(end, b);
      if (to > from) total += to - from;
    }
  }
  return total;
}

Timestamp Calendar::after(Timestamp start, std::chrono::milliseconds amount, bool business) const {
  if (!business) return start + amount;
  milliseconds left = std::max(amount, milliseconds(0));
  std::vector<std::pair<Timestamp, Timestamp>> list;
  std::int64_t first = local_day_of(start);
  for (std::int64_t day = first; day - first < max_days_scanned; ++day) {
    periods(day, list);
    for (const auto &[open, close] : list) {
      Timestamp from = std::max(open, start);
      if (close <= from) continue;
      if (left <= close - from) return from + left;
      left -= close - from;
    }
  }
  too_little_time();
}

Timestamp Calendar::add(Timestamp start, Span span, bool business) const {
  if (!business) return start + span.length();
  if (span.unit != 'd') return after(start, span.length(), true);
  // Whole working days: the same local time of day, `count` working days on.
  Timestamp from = after(start, milliseconds(0), true);
  auto local = zone_->to_local(from);
  std::int64_t day = date::floor<date::days>(local).time_since_epoch().count();
  milliseconds time_of_day = std::chrono::duration_cast<milliseconds>(local - date::floor<date::days>(local));
  std::int64_t steps = 0;
  for (std::int64_t n = span.count; n > 0; --steps) {
    if (steps < -max_days_scanned) too_little_time();
    ++day;
    if (working_day(day)) --n;
  }
  date::local_time<milliseconds> target{milliseconds(day * day_ms) + time_of_day};
  Timestamp due = std::chrono::time_point_cast<milliseconds>(zone_->to_sys(target, date::choose::earliest));
  // Clamp into the day's working hours: a shorter day ends the count at its close.
  std::vector<std::pair<Timestamp, Timestamp>> list;
  periods(day, list);
  if (list.empty()) return due;  // cannot happen: the day is a working day
  Timestamp clamped = list.front().first;
  for (const auto &[open, close] : list) {
    if (due < open) break;
    clamped = std::min(due, close);
  }
  return clamped;
}

Date Calendar::local_date(Timestamp t) const {
  date::year_month_day ymd{date::local_days{date::days{local_day_of(t)}}};
  return Date::from_ymd(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                        static_cast<unsigned>(ymd.day()));
}

Timestamp Calendar::reminder_time(Date day) const {
  std::vector<std::pair<Timestamp, Timestamp>> list;
  periods(day.days().time_since_epoch().count(), list);
  return list.empty() ? at(day, 9 * 60) : list.front().first;
}

Timestamp Calendar::next(const WeeklySchedule &schedule, Timestamp after_time) const {
  std::int64_t first = local_day_of(after_time);
  for (std::int64_t day = first; day <= first + 8; ++day) {
    if (!schedule.days[weekday_of(day)]) continue;
    date::local_time<milliseconds> local{milliseconds(day * day_ms + schedule.minute * 60'000LL)};
    Timestamp t = std::chrono::time_point_cast<milliseconds>(zone_->to_sys(local, date::choose::earliest));
    if (t > after_time) return t;
  }
  throw InvalidInput("names no day of the week", "schedule.days");
}

std::string Calendar::format_day(Timestamp t) const {
  std::int64_t day = local_day_of(t);
  date::year_month_day ymd{date::local_days{date::days{day}}};
  return fmt::format("{} {} {} {}", weekday_long[weekday_of(day)], static_cast<unsigned>(ymd.day()),
                     month_long[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()));
}

}  // namespace timing

}  // namespace complaints
