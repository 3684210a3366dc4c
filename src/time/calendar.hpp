// Time arithmetic on a desk's business calendar: durations as workflows write
// them, working time, local days and weekly schedules (SPEC R8.3). The time
// zone rules come from the system's IANA database through Howard Hinnant's
// date library, so daylight-saving changes are the law's, not ours.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "complaints/calendar.hpp"
#include "complaints/clock.hpp"

namespace date {
class time_zone;
}

namespace complaints::timing {

/// A duration as a workflow writes it: "30m", "48h", "10d". Whole days count
/// working days on a business calendar; hours and minutes count working time.
struct Span {
  std::int64_t count = 0;
  char unit = 'm';  ///< 'm', 'h' or 'd'
  std::chrono::milliseconds length() const noexcept;
  std::string to_string() const;
  friend bool operator==(const Span &, const Span &) = default;
};

/// Parses "<n>m", "<n>h" or "<n>d" with 0 < n and at most limits::duration_days
/// (ten years); nullopt otherwise.
std::optional<Span> parse_span(std::string_view text) noexcept;

/// A BusinessCalendar checked and made ready for arithmetic. Cheap to copy.
/// Thread-safety: immutable once made; safe to share.
class Calendar {
 public:
  /// Checks a calendar from a host: a known time zone, periods inside a day,
  /// ascending and not overlapping, some working time in the week, holidays
  /// unique and at most limits::holidays. Throws InvalidInput naming the
  /// field ("calendar.hours.mon[1]").
  static Calendar make(const BusinessCalendar &source);

  const BusinessCalendar &source() const noexcept { return source_; }

  /// The instant `span` after `start`. Without `business`, plain elapsed time
  /// (a day is 24 hours). With it: "Nd" is the same local time of day N
  /// working days later (a start outside working hours first moves to the next
  /// opening; a time of day the last day does not reach is clamped into its
  /// hours); "Nh"/"Nm" is that much working time.
  Timestamp add(Timestamp start, Span span, bool business) const;
  /// Time between a <= b: elapsed, or working time with `business`.
  std::chrono::milliseconds between(Timestamp a, Timestamp b, bool business) const;
  /// The instant when `amount` (elapsed, or working time) has passed after `start`.
  Timestamp after(Timestamp start, std::chrono::milliseconds amount, bool business) const;

  /// The local day an instant falls on.
  Date local_date(Timestamp t) const;
  /// The instant of a local time of day on a local day (gap: its end; overlap: the first).
  Timestamp at(Date day, std::uint16_t minute) const;
  /// When a reminder for a local day goes out: the day's first opening, or 09:00.
  Timestamp reminder_time(Date day) const;
  /// The first run of a schedule strictly after `after`.
  Timestamp next(const WeeklySchedule &schedule, Timestamp after) const;
  /// "Tuesday 6 January 2026", the local day of `t`.
  std::string format_day(Timestamp t) const;

 private:
  Calendar() = default;
  // Working periods of a local day (number of days since 1970-01-01), as instants.
  void periods(std::int64_t local_day, std::vector<std::pair<Timestamp, Timestamp>> &out) const;
  bool working_day(std::int64_t local_day) const;
  std::int64_t local_day_of(Timestamp t) const;

  BusinessCalendar source_;
  const date::time_zone *zone_ = nullptr;
  std::vector<std::int64_t> holidays_;  // local day numbers, ascending
};

}  // namespace complaints::timing
