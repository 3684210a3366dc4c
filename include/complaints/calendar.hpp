// complaints/calendar.hpp - business calendars and weekly schedules (SPEC R8.3).
//
// A desk has one BusinessCalendar: its time zone (an IANA name such as
// "Europe/London", read from the system's time zone database, so daylight
// saving is handled as the law says), its working hours per weekday and its
// holidays. SLA clocks whose policy is `business` count only working time on
// it; reminders and schedules are set in its time zone. docs/time.md explains
// how durations are counted.
//
// Thread-safety: plain values.
#pragma once

#include "complaints/export.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "complaints/clock.hpp"

namespace complaints {

/// One stretch of working time in a day, in minutes after local midnight:
/// 0 <= start < end <= 1440 (1440 is the end of the day).
struct WorkingPeriod {
  std::uint16_t start = 9 * 60;
  std::uint16_t end = 17 * 60;
  friend bool operator==(const WorkingPeriod &, const WorkingPeriod &) = default;
};

/// Days of the week as the C library numbers them: Sunday = 0 ... Saturday = 6.
enum class Weekday : std::uint8_t { sunday, monday, tuesday, wednesday, thursday, friday, saturday };

/// "sun", "mon", ... "sat".
COMPLAINTS_API const char *to_string(Weekday d) noexcept;
/// Inverse of to_string; nullopt for anything else.
COMPLAINTS_API std::optional<Weekday> weekday_from_string(std::string_view name) noexcept;

struct BusinessCalendar {
  /// IANA time zone name ("UTC", "Europe/London", "Australia/Sydney").
  std::string time_zone = "UTC";
  /// Working periods of each weekday, indexed by Weekday, ascending and not
  /// overlapping, at most limits::periods_per_day a day. Default: Monday to
  /// Friday, 09:00 to 17:00.
  std::array<std::vector<WorkingPeriod>, 7> hours = {
      std::vector<WorkingPeriod>{}, {{9 * 60, 17 * 60}}, {{9 * 60, 17 * 60}}, {{9 * 60, 17 * 60}},
      {{9 * 60, 17 * 60}},          {{9 * 60, 17 * 60}}, {}};
  /// Local days without working time (bank holidays, closures). At most
  /// limits::holidays, no duplicates.
  std::vector<Date> holidays{};
  friend bool operator==(const BusinessCalendar &, const BusinessCalendar &) = default;
};

/// A weekly schedule in the desk's time zone: every listed weekday at a local
/// time (e.g. Mondays at 08:00). A local time that a daylight-saving change
/// skips runs at the end of the gap; one it repeats runs at its first occurrence.
struct WeeklySchedule {
  std::array<bool, 7> days{};     ///< indexed by Weekday; at least one must be set
  std::uint16_t minute = 8 * 60;  ///< minutes after local midnight, < 1440
  friend bool operator==(const WeeklySchedule &, const WeeklySchedule &) = default;
};

/// "HH:MM" of minutes after midnight (0..1440), and back. parse_minute throws
/// InvalidInput naming `field` for anything but two-digit hours 00-24 and minutes
/// 00-59 (24:00 only as an end).
COMPLAINTS_API std::string format_minute(std::uint16_t minute);
COMPLAINTS_API std::uint16_t parse_minute(std::string_view text, std::string_view field, bool allow_end = false);

}  // namespace complaints
