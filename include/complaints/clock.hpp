// complaints/clock.hpp - time as the library sees it.
//
// All times the library records come from a Clock the host can replace, so
// tests and simulations run on a fixed or manually advanced time. Timestamps
// are UTC instants with millisecond precision; Dates are calendar days with no
// time zone (deferred dates, follow-up dates).
#pragma once

#include "complaints/export.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace complaints {

/// A UTC instant, milliseconds since the Unix epoch.
using Timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

/// Milliseconds since the epoch of a Timestamp, and back.
inline std::int64_t to_millis(Timestamp t) noexcept { return t.time_since_epoch().count(); }
inline Timestamp from_millis(std::int64_t ms) noexcept { return Timestamp(std::chrono::milliseconds(ms)); }

/// RFC 3339 text of an instant, e.g. "2026-11-23T09:15:02.125Z".
COMPLAINTS_API std::string format_timestamp(Timestamp t);

/// Parses RFC 3339 text in UTC ("...Z"); fractional seconds up to milliseconds.
/// Throws InvalidInput naming `field` when the text or the calendar date is impossible.
COMPLAINTS_API Timestamp parse_timestamp(std::string_view text, std::string_view field = "timestamp");

/// A calendar day between 1900-01-01 and 9999-12-31. Always valid: the only ways
/// to make one check the day exists.
class COMPLAINTS_API Date {
 public:
  /// Throws InvalidInput naming `field` for an impossible date (2026-02-30) or one out of range.
  static Date from_ymd(int year, unsigned month, unsigned day, std::string_view field = "date");
  /// Parses "YYYY-MM-DD" exactly. Throws InvalidInput naming `field`.
  static Date parse(std::string_view text, std::string_view field = "date");
  /// The UTC day of an instant.
  static Date of(Timestamp t);

  int year() const noexcept { return static_cast<int>(ymd_.year()); }
  unsigned month() const noexcept { return static_cast<unsigned>(ymd_.month()); }
  unsigned day() const noexcept { return static_cast<unsigned>(ymd_.day()); }
  std::chrono::sys_days days() const noexcept { return std::chrono::sys_days(ymd_); }
  /// Midnight UTC at the start of this day.
  Timestamp start() const noexcept { return Timestamp(days()); }

  /// "YYYY-MM-DD".
  std::string to_string() const;

  friend bool operator==(const Date &, const Date &) = default;
  friend auto operator<=>(const Date &a, const Date &b) { return a.days() <=> b.days(); }

 private:
  explicit Date(std::chrono::year_month_day ymd) : ymd_(ymd) {}
  std::chrono::year_month_day ymd_;
};

/// Where the library gets "now". Implementations must be thread-safe.
class COMPLAINTS_API Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

/// The system's real-time clock.
class COMPLAINTS_API SystemClock final : public Clock {
 public:
  Timestamp now() const override;
};

/// A clock that only moves when told to: for tests, simulations and replays.
/// Thread-safety: safe; set() and advance() may race with now().
class COMPLAINTS_API ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start) : ms_(to_millis(start)) {}
  Timestamp now() const override { return from_millis(ms_.load()); }
  void set(Timestamp t) { ms_.store(to_millis(t)); }
  void advance(std::chrono::milliseconds d) { ms_.fetch_add(d.count()); }

 private:
  std::atomic<std::int64_t> ms_;
};

}  // namespace complaints
