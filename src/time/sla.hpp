// SLA clocks (SPEC R8.3): starting, pausing, resuming, stopping and
// resetting a clock on an issue, and where its warning and breach fall. Pure
// functions of the clock, the policy and the desk's calendar; the engine
// decides when to call them and records what they did.
#pragma once

#include <vector>

#include "complaints/issue.hpp"
#include "time/calendar.hpp"

namespace complaints::timing {

/// A workflow's SLA policy, as the engine applies it.
struct SlaPolicy {
  std::string name;
  Span within;
  bool business = false;
  int warn_percent = 0;                     ///< 0: no warning
  std::vector<StatusCategory> pause_in{};  ///< statuses of these categories pause the clock
  std::vector<StatusCategory> stop_in{};   ///< ...and of these stop it
};

/// A fresh running clock at `now`, with `within` (the policy's, or an
/// effect's override). Its due time follows Calendar::add.
SlaClock start_clock(const SlaPolicy &policy, Span within, Timestamp now, const Calendar &calendar);

/// Counts the time since `as_of` (when running) and moves `as_of` to `now`.
void bring_up_to_date(SlaClock &clock, Timestamp now, const Calendar &calendar);

/// Running -> paused. No-op otherwise (a paused clock stays paused, and keeps
/// the reason it was paused for).
void pause_clock(SlaClock &clock, Timestamp now, const Calendar &calendar, bool by_status);
/// Paused -> running, with due and warning times recomputed from the budget left.
void resume_clock(SlaClock &clock, Timestamp now, const Calendar &calendar);
/// Running or paused -> stopped. A clock stopped after its budget ran out is
/// marked breached (at the moment it ran out) if process_due had not yet done so.
/// Returns true when this marked the breach.
bool stop_clock(SlaClock &clock, Timestamp now, const Calendar &calendar);

/// The clock of `name` in `clocks`, or nullptr.
SlaClock *find_clock(std::vector<SlaClock> &clocks, std::string_view name) noexcept;

}  // namespace complaints::timing
