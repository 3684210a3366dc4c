#include "time/sla.hpp"

#include <algorithm>

namespace complaints::timing {

namespace {

using std::chrono::milliseconds;

// Due and warning times of a running clock, from what is left of its budget.
void schedule(SlaClock &c, const Calendar &calendar) {
  c.due_at = calendar.after(c.as_of, std::max(c.left(), milliseconds(0)), c.business);
  c.warn_at.reset();
  if (c.warn_percent > 0 && !c.warned) {
    milliseconds threshold = c.budget * c.warn_percent / 100;
    c.warn_at = calendar.after(c.as_of, std::max(threshold - c.used, milliseconds(0)), c.business);
  }
}

}  // namespace

SlaClock start_clock(const SlaPolicy &policy, Span within, Timestamp now, const Calendar &calendar) {
  SlaClock c;
  c.name = policy.name;
  c.state = SlaState::running;
  c.business = policy.business;
  c.started_at = now;
  c.as_of = now;
  c.warn_percent = policy.warn_percent;
  Timestamp due = calendar.add(now, within, policy.business);
  c.budget = calendar.between(now, due, policy.business);
  schedule(c, calendar);
  c.due_at = due;  // as a person counts it ("two working days from now"), not the first instant the budget is spent
  return c;
}

void bring_up_to_date(SlaClock &c, Timestamp now, const Calendar &calendar) {
  if (now <= c.as_of) return;
  if (c.state == SlaState::running) c.used += calendar.between(c.as_of, now, c.business);
  c.as_of = now;
}

void pause_clock(SlaClock &c, Timestamp now, const Calendar &calendar, bool by_status) {
  if (c.state != SlaState::running) return;
  bring_up_to_date(c, now, calendar);
  c.state = SlaState::paused;
  c.paused_by_status = by_status;
  c.due_at.reset();
  c.warn_at.reset();
}

void resume_clock(SlaClock &c, Timestamp now, const Calendar &calendar) {
  if (c.state != SlaState::paused) return;
  bring_up_to_date(c, now, calendar);
  c.state = SlaState::running;
  c.paused_by_status = false;
  schedule(c, calendar);
}

bool stop_clock(SlaClock &c, Timestamp now, const Calendar &calendar) {
  if (c.state == SlaState::stopped) return false;
  std::optional<Timestamp> due = c.due_at;
  bring_up_to_date(c, now, calendar);
  c.state = SlaState::stopped;
  c.paused_by_status = false;
  c.due_at.reset();
  c.warn_at.reset();
  if (c.breached || c.used < c.budget) return false;
  c.breached = true;
  c.breached_at = due && *due <= now ? *due : now;
  return true;
}

SlaClock *find_clock(std::vector<SlaClock> &clocks, std::string_view name) noexcept {
  auto it = std::find_if(clocks.begin(), clocks.end(), [&](const SlaClock &c) { return c.name == name; });
  return it == clocks.end() ? nullptr : &*it;
}

}  // namespace complaints::timing
