// libFuzzer target for the value parsers a host's text reaches: the first
// byte picks the parser, the rest is its text.
//
//   0 Date::parse                 5 timing::parse_span
//   1 parse_timestamp             6 parse_minute (as a start and as an end)
//   2 Money::of ("<minor> <ISO>") 7 a business calendar (JSON, as set_calendar
//   3 the JSON money reader          takes it): Calendar::make, then additions
//     (a hold request's amount)   8 a weekly schedule (message settings JSON):
//   4 parse_issue_code               its next runs in several time zones
//
// Besides "no crash, only complaints::Error": every value read is written
// back and read again to the same value, and the calendar arithmetic keeps
// its promises (a sum is never before its start, working hours added are
// counted back exactly, a schedule's next run is after the instant asked).
// Anything else is a finding (invariants.hpp).
//
//   scripts/fuzz.sh values 10
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "complaints/complaints.hpp"
#include "invariants.hpp"
#include "json/json.hpp"
#include "time/calendar.hpp"

namespace {

using namespace complaints;
using fuzz::finding;

// Runs a parser: a complaints::Error is a refusal (checked), anything else a finding.
template <typename F>
void refusable(std::string_view what, F &&f) {
  try {
    f();
  } catch (const Error &e) {
    fuzz::check_error(e);
  } catch (const std::exception &e) {
    finding(std::string(what) + ": an exception that is not a complaints::Error escaped", e.what());
  }
}

void a_date(std::string_view text) {
  refusable("Date::parse", [&] {
    Date d = Date::parse(text);
    if (d.to_string() != text) finding("Date::parse accepted a text it does not write back", d.to_string());
  });
}

void timestamp(std::string_view text) {
  refusable("parse_timestamp", [&] {
    Timestamp t = parse_timestamp(text);
    std::string written = format_timestamp(t);
    if (parse_timestamp(written) != t) finding("a timestamp does not read back", written);
  });
}

void money(std::string_view text) {
  std::size_t space = text.find(' ');
  std::string_view number = text.substr(0, space);
  std::string_view currency = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
  std::int64_t minor = 0;
  std::from_chars(number.data(), number.data() + number.size(), minor);
  refusable("Money::of", [&] {
    Money m = Money::of(minor, currency);
    if (m.minor() < 0 || m.minor() > Money::max_minor) finding("Money::of accepted an amount out of range");
    if (currency_decimals(m.currency()) < 0) finding("Money::of accepted an unknown currency", m.currency());
    if (m.to_string().find(m.currency()) != 0) finding("Money::to_string does not start with the currency");
  });
}

void money_json(std::string_view text) {
  std::string doc = R"({"record":{"kind":"booking","id":"B-1"},"fieldworker":"fw-1","reason":"r","amount":)";
  doc.append(text).append("}");
  refusable("the JSON money reader", [&] {
    HoldRequest r = json::read_hold_request(json::parse(doc, "request_json"));
    if (!r.amount) return;
    Money back = Money::of(r.amount->minor(), r.amount->currency());
    if (!(back == *r.amount)) finding("a money amount read from JSON does not make the same Money");
  });
}

void issue_code(std::string_view text) {
  refusable("parse_issue_code", [&] {
    std::int64_t n = parse_issue_code(text);
    if (format_issue_code(n) != text) finding("parse_issue_code accepted a code that is not canonical");
  });
}

void span(std::string_view text) {
  auto s = timing::parse_span(text);
  if (!s) return;
  if (s->length().count() <= 0) finding("a span of no length was accepted");
  auto again = timing::parse_span(s->to_string());
  if (!again || !(*again == *s)) finding("a span does not read back", s->to_string());
}

void minute(std::string_view text) {
  for (bool end : {false, true}) {
    refusable("parse_minute", [&] {
      std::uint16_t m = parse_minute(text, "at", end);
      if (m > (end ? 1440 : 1439)) finding("parse_minute accepted a minute past the day");
      if (parse_minute(format_minute(m), "at", end) != m) finding("a time of day does not read back");
    });
  }
}

// Instants around the year's daylight-saving changes, north and south, at
// and off the hour.
constexpr std::array<std::string_view, 8> starts = {
    "2026-01-05T09:00:00Z", "2026-03-08T06:30:00Z", "2026-03-29T00:59:59.999Z", "2026-04-04T15:45:00Z",
    "2026-10-03T16:00:00Z", "2026-10-25T01:30:00Z", "2026-11-01T05:59:00Z",     "2026-12-24T23:00:00Z"};
constexpr std::array<std::string_view, 7> spans = {"1m", "45m", "8h", "37h", "1d", "5d", "20d"};

// The arithmetic an SLA clock and a reminder do on a calendar, with the promises it keeps.
void additions(const timing::Calendar &c) {
  for (std::string_view start_text : starts) {
    Timestamp start = parse_timestamp(start_text);
    (void)c.local_date(start);
    (void)c.format_day(start);
    (void)c.reminder_time(c.local_date(start));
    for (std::string_view span_text : spans) {
      timing::Span s = *timing::parse_span(span_text);
      for (bool business : {false, true}) {
        refusable("Calendar::add", [&] {
          Timestamp due = c.add(start, s, business);
          if (due < start) finding("a span added to an instant ends before it", std::string(start_text));
          if (s.unit != 'd' || !business) {
            auto counted = c.between(start, due, business);
            if (counted != s.length())
              finding("time added is not counted back the same",
                      std::string(start_text) + " + " + std::string(span_text) + (business ? " (business)" : "") +
                          " counts " + std::to_string(counted.count()) + " ms");
          }
        });
      }
    }
  }
}

void calendar(std::string_view text) {
  refusable("a business calendar", [&] {
    BusinessCalendar source = json::read_calendar(json::parse(text, "calendar_json"));
    timing::Calendar c = timing::Calendar::make(source);
    // What complaints_calendar_get gives reads back as the same calendar.
    BusinessCalendar back = json::read_calendar(json::parse(json::to_json(source), "calendar_json"));
    if (!(back == source)) finding("a calendar does not read back", json::to_json(source));
    additions(c);
  });
}

void schedule(std::string_view text) {
  refusable("a weekly schedule", [&] {
    MessageSettings s = json::read_message_settings(json::parse(text, "settings_json"));
    MessageSettings back = json::read_message_settings(json::parse(json::to_json(s), "settings_json"));
    if (!(back.reminder_schedule == s.reminder_schedule)) finding("a weekly schedule does not read back");
    if (!s.reminder_schedule) return;
    for (std::string_view zone : {"UTC", "Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Tehran"}) {
      BusinessCalendar b;
      b.time_zone = zone;
      timing::Calendar c = timing::Calendar::make(b);
      for (std::string_view start_text : starts) {
        Timestamp start = parse_timestamp(start_text);
        Timestamp next = c.next(*s.reminder_schedule, start);  // InvalidInput when no day is set
        if (next <= start || next > start + std::chrono::days(8))
          finding("a schedule's next run is not within the week after the instant", std::string(start_text));
      }
    }
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char *>(data) + 1, size - 1);
  switch (data[0] % 9) {
    case 0:
      a_date(text);
      break;
    case 1:
      timestamp(text);
      break;
    case 2:
      money(text);
      break;
    case 3:
      money_json(text);
      break;
    case 4:
      issue_code(text);
      break;
    case 5:
      span(text);
      break;
    case 6:
      minute(text);
      break;
    case 7:
      calendar(text);
      break;
    case 8:
      schedule(text);
      break;
  }
  return 0;
}
