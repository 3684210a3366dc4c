// Business calendars and SLA clock arithmetic (SPEC R8.3): the due times a
// person would compute, across weekends, holidays and daylight-saving changes.
#include <doctest/doctest.h>

#include "support/support.hpp"
#include "time/calendar.hpp"
#include "time/sla.hpp"

using namespace complaints;
using namespace std::chrono_literals;
using timing::Calendar;
using timing::Span;

namespace {

Timestamp at(const char *text) { return parse_timestamp(text); }

Calendar office_hours(const std::string &zone = "UTC", std::vector<Date> holidays = {}) {
  BusinessCalendar c;
  c.time_zone = zone;
  c.holidays = std::move(holidays);
  return Calendar::make(c);
}

Calendar all_week(const std::string &zone) {
  BusinessCalendar c;
  c.time_zone = zone;
  for (auto &day : c.hours) day = {{0, 1440}};
  return Calendar::make(c);
}

Span days(std::int64_t n) { return {n, 'd'}; }
Span hours(std::int64_t n) { return {n, 'h'}; }

}  // namespace

TEST_CASE("working days keep the time of day and skip weekends and holidays") {
  Calendar cal = office_hours();
  // Monday 5 January 2026.
  CHECK(cal.add(at("2026-01-05T10:00:00Z"), days(2), true) == at("2026-01-07T10:00:00Z"));
  // Friday 15:00 plus one working day is Monday 15:00.
  CHECK(cal.add(at("2026-01-09T15:00:00Z"), days(1), true) == at("2026-01-12T15:00:00Z"));
  // Reported on Saturday: the count starts at Monday's opening.
  CHECK(cal.add(at("2026-01-10T12:00:00Z"), days(1), true) == at("2026-01-13T09:00:00Z"));
  // After closing: from the next opening.
  CHECK(cal.add(at("2026-01-05T18:30:00Z"), days(1), true) == at("2026-01-07T09:00:00Z"));
  // A bank holiday on Monday 12 January pushes Friday's one day to Tuesday.
  Calendar holiday = office_hours("UTC", {Date::from_ymd(2026, 1, 12)});
  CHECK(holiday.add(at("2026-01-09T15:00:00Z"), days(1), true) == at("2026-01-13T15:00:00Z"));
  // Without `business` a day is 24 hours, weekends or not.
  CHECK(cal.add(at("2026-01-09T15:00:00Z"), days(1), false) == at("2026-01-10T15:00:00Z"));
}

TEST_CASE("working hours count only the time inside the working periods") {
  Calendar cal = office_hours();
  // Monday 10:00 + 16 working hours: 7 on Monday, 8 on Tuesday, 1 on Wednesday.
  CHECK(cal.add(at("2026-01-05T10:00:00Z"), hours(16), true) == at("2026-01-07T10:00:00Z"));
  // Friday 15:00 to Monday 10:00 is three working hours.
  CHECK(cal.between(at("2026-01-09T15:00:00Z"), at("2026-01-12T10:00:00Z"), true) == 3h);
  CHECK(cal.between(at("2026-01-09T15:00:00Z"), at("2026-01-12T10:00:00Z"), false) == 67h);
  // Split days: a lunch break does not count.
  BusinessCalendar split;
  split.hours[static_cast<std::size_t>(Weekday::monday)] = {{9 * 60, 12 * 60}, {13 * 60, 17 * 60}};
  Calendar lunch = Calendar::make(split);
  CHECK(lunch.add(at("2026-01-05T11:00:00Z"), hours(2), true) == at("2026-01-05T14:00:00Z"));
  CHECK(lunch.between(at("2026-01-05T09:00:00Z"), at("2026-01-05T17:00:00Z"), true) == 7h);
}

TEST_CASE("an SLA across the Europe/London change to summer time is due when a person would say") {
  Calendar cal = office_hours("Europe/London");
  // Friday 27 March 2026, 10:00 GMT; clocks go forward on Sunday 29 March.
  // Two working days on: Tuesday 31 March, 10:00 BST (09:00 UTC).
  CHECK(cal.add(at("2026-03-27T10:00:00Z"), days(2), true) == at("2026-03-31T09:00:00Z"));
  // Sixteen working hours: 7 on Friday, 8 on Monday, 1 on Tuesday: 10:00 BST again.
  CHECK(cal.add(at("2026-03-27T10:00:00Z"), hours(16), true) == at("2026-03-31T09:00:00Z"));
  // Round the clock, the Sunday of the change has 23 hours.
  Calendar always = all_week("Europe/London");
  CHECK(always.between(at("2026-03-29T00:00:00Z"), at("2026-03-30T00:00:00Z") - 1h, true) == 23h);
  CHECK(always.add(at("2026-03-28T12:00:00Z"), days(1), true) == at("2026-03-29T11:00:00Z"));
}

TEST_CASE("an SLA across the Europe/London change back to winter time is due when a person would say") {
  Calendar cal = office_hours("Europe/London");
  // Friday 23 October 2026, 10:00 BST (09:00 UTC); clocks go back on Sunday 25 October.
  CHECK(cal.add(at("2026-10-23T09:00:00Z"), days(2), true) == at("2026-10-27T10:00:00Z"));
  CHECK(cal.add(at("2026-10-23T09:00:00Z"), hours(16), true) == at("2026-10-27T10:00:00Z"));
  Calendar always = all_week("Europe/London");
  // That Sunday has 25 hours; a day on from Saturday noon is Sunday noon, 25 hours later.
  CHECK(always.add(at("2026-10-24T11:00:00Z"), days(1), true) == at("2026-10-25T12:00:00Z"));
  CHECK(always.between(at("2026-10-24T23:00:00Z"), at("2026-10-26T00:00:00Z"), true) == 25h);
}

TEST_CASE("a paused clock stops counting, and pause and resume add up") {
  Calendar cal = office_hours();
  timing::SlaPolicy policy{"respond", days(2), true, 50, {}, {}};
  // Monday 09:00: two working days, a budget of 16 working hours, due Wednesday 09:00.
  SlaClock c = timing::start_clock(policy, policy.within, at("2026-01-05T09:00:00Z"), cal);
  CHECK(c.budget == 16h);
  CHECK(c.due_at == at("2026-01-07T09:00:00Z"));
  CHECK(c.warn_at == at("2026-01-05T17:00:00Z"));  // half the budget
  // Paused at 13:00 Monday (4 hours used) until Tuesday 09:00.
  timing::pause_clock(c, at("2026-01-05T13:00:00Z"), cal, false);
  CHECK(c.state == SlaState::paused);
  CHECK(c.used == 4h);
  CHECK_FALSE(c.due_at);
  timing::bring_up_to_date(c, at("2026-01-06T09:00:00Z"), cal);
  CHECK(c.used == 4h);  // no time counts while paused
  timing::resume_clock(c, at("2026-01-06T09:00:00Z"), cal);
  // 12 hours left from Tuesday 09:00: 8 on Tuesday, 4 on Wednesday.
  CHECK(c.due_at == at("2026-01-07T13:00:00Z"));
  CHECK(c.warn_at == at("2026-01-06T13:00:00Z"));  // 8 hours in: 4 before the pause, 4 after
  // Paused again for an hour on Tuesday afternoon: the hour moves the due time.
  timing::pause_clock(c, at("2026-01-06T14:00:00Z"), cal, true);
  CHECK(c.used == 9h);
  timing::resume_clock(c, at("2026-01-06T15:00:00Z"), cal);
  CHECK(c.due_at == at("2026-01-07T14:00:00Z"));
  // Stopped before it ran out: not breached.
  CHECK_FALSE(timing::stop_clock(c, at("2026-01-07T10:00:00Z"), cal));
  CHECK(c.state == SlaState::stopped);
  CHECK(c.used == 12h);
  CHECK_FALSE(c.breached);
}

TEST_CASE("a clock stopped after it ran out is breached at the moment it ran out") {
  Calendar cal = office_hours();
  timing::SlaPolicy policy{"respond", hours(2), true, 0, {}, {}};
  SlaClock c = timing::start_clock(policy, policy.within, at("2026-01-05T16:00:00Z"), cal);
  CHECK(c.due_at == at("2026-01-06T10:00:00Z"));
  CHECK_FALSE(c.warn_at);
  CHECK(timing::stop_clock(c, at("2026-01-06T12:00:00Z"), cal));
  CHECK(c.breached);
  CHECK(c.breached_at == at("2026-01-06T10:00:00Z"));
  CHECK_FALSE(timing::stop_clock(c, at("2026-01-06T13:00:00Z"), cal));  // once
}

TEST_CASE("weekly schedules and reminder times follow the desk's time zone") {
  Calendar cal = office_hours("Europe/London");
  WeeklySchedule mondays;
  mondays.days[static_cast<std::size_t>(Weekday::monday)] = true;
  mondays.minute = 8 * 60;
  // Before the change to summer time: 08:00 GMT; after it: 08:00 BST.
  CHECK(cal.next(mondays, at("2026-03-20T12:00:00Z")) == at("2026-03-23T08:00:00Z"));
  CHECK(cal.next(mondays, at("2026-03-23T08:00:00Z")) == at("2026-03-30T07:00:00Z"));
  // A reminder for a day goes out at its opening, or 09:00 on a day without hours.
  CHECK(cal.reminder_time(Date::from_ymd(2026, 7, 1)) == at("2026-07-01T08:00:00Z"));
  CHECK(cal.reminder_time(Date::from_ymd(2026, 7, 4)) == at("2026-07-04T08:00:00Z"));
  CHECK(cal.format_day(at("2026-01-06T09:00:00Z")) == "Tuesday 6 January 2026");
}

TEST_CASE("a bad calendar is refused naming the field") {
  BusinessCalendar c;
  c.time_zone = "Mars/Olympus_Mons";
  auto e = test::expect_error(Errc::invalid_input, [&] { Calendar::make(c); });
  CHECK(e.where() == "calendar.time_zone");
  c = {};
  c.hours[static_cast<std::size_t>(Weekday::tuesday)] = {{9 * 60, 12 * 60}, {11 * 60, 17 * 60}};
  CHECK(test::expect_error(Errc::invalid_input, [&] { Calendar::make(c); }).where() == "calendar.hours.tue[1]");
  c = {};
  for (auto &d : c.hours) d.clear();
  CHECK(test::expect_error(Errc::invalid_input, [&] { Calendar::make(c); }).where() == "calendar.hours");
  c = {};
  c.holidays = {Date::from_ymd(2026, 12, 25), Date::from_ymd(2026, 12, 25)};
  CHECK(test::expect_error(Errc::invalid_input, [&] { Calendar::make(c); }).where() == "calendar.holidays[1]");
  // A holiday-only year is fine; a calendar whose every working day is a holiday for a century is not.
  CHECK(parse_minute("24:00", "end", true) == 1440);
  CHECK(test::expect_error(Errc::invalid_input, [&] { parse_minute("24:00", "start"); }).where() == "start");
}
