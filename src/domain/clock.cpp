// Dates and timestamps: strict parsing, canonical formatting.
#include "complaints/clock.hpp"

#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "domain/check.hpp"
#include "domain/timestamp_text.hpp"

namespace complaints {

namespace {

using namespace std::chrono;

// Reads exactly `width` ASCII digits at text[pos]; -1 when they are not all digits.
int digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

using check::excerpt;

}  // namespace

Date Date::from_ymd(int y, unsigned m, unsigned d, std::string_view field) {
  if (y < 1900 || y > 9999)
    throw InvalidInput(fmt::format("year {} is out of range (1900-9999)", y), std::string(field));
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!ymd.ok())
    throw InvalidInput(fmt::format("{:04d}-{:02d}-{:02d} is not a calendar date", y, m, d),
                       std::string(field));
  return Date(ymd);
}

Date Date::parse(std::string_view text, std::string_view field) {
  int y = digits(text, 0, 4), m = digits(text, 5, 2), d = digits(text, 8, 2);
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || y < 0 || m < 0 || d < 0)
    throw InvalidInput(fmt::format("'{}' is not a date (expected YYYY-MM-DD)", excerpt(text)),
                       std::string(field));
  return from_ymd(y, static_cast<unsigned>(m), static_cast<unsigned>(d), field);
}

Date Date::of(Timestamp t) {
  return Date(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(t)));
}

std::string Date::to_string() const { return fmt::format("{:04d}-{:02d}-{:02d}", year(), month(), day()); }

void format_timestamp_into(Timestamp t, char *buf) noexcept {
  auto day_point = floor<days>(t);
  year_month_day ymd(day_point);
  hh_mm_ss<milliseconds> tod(t - day_point);
  // By hand: every issue, entry and event written as JSON carries timestamps.
  std::memcpy(buf, "0000-00-00T00:00:00.000Z", timestamp_text_size);
  auto put = [&](int at, long long value, int width) {
    for (int i = at + width - 1; i >= at; --i, value /= 10) buf[i] = static_cast<char>('0' + value % 10);
  };
  put(0, static_cast<int>(ymd.year()), 4);
  put(5, static_cast<unsigned>(ymd.month()), 2);
  put(8, static_cast<unsigned>(ymd.day()), 2);
  put(11, tod.hours().count(), 2);
  put(14, tod.minutes().count(), 2);
  put(17, tod.seconds().count(), 2);
  put(20, tod.subseconds().count(), 3);
}

std::string format_timestamp(Timestamp t) {
  char buf[timestamp_text_size];
  format_timestamp_into(t, buf);
  return std::string(buf, timestamp_text_size);
}

Timestamp parse_timestamp(std::string_view text, std::string_view field) {
  auto bad = [&] {
    return InvalidInput(
        fmt::format("'{}' is not a UTC timestamp (expected YYYY-MM-DDTHH:MM:SS[.mmm]Z)", excerpt(text)),
        std::string(field));
  };
  if (text.size() < 20 || text.back() != 'Z' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
    throw bad();
  Date date = Date::parse(text.substr(0, 10), field);
  int h = digits(text, 11, 2), mi = digits(text, 14, 2), s = digits(text, 17, 2);
  if (h < 0 || mi < 0 || s < 0 || h > 23 || mi > 59 || s > 59) throw bad();
  int ms = 0;
  std::string_view rest = text.substr(19, text.size() - 20);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2 || rest.size() > 4) throw bad();
    int frac = digits(rest, 1, rest.size() - 1);
    if (frac < 0) throw bad();
    ms = frac * (rest.size() == 2 ? 100 : rest.size() == 3 ? 10 : 1);
  }
  return date.start() + hours(h) + minutes(mi) + seconds(s) + milliseconds(ms);
}

Timestamp SystemClock::now() const { return time_point_cast<milliseconds>(system_clock::now()); }

}  // namespace complaints
