// complaints/due.hpp - what Desk::process_due reports (SPEC R8.1).
//
// Due work is whatever falls due at a moment: a workflow timer (take an
// action later), an SLA clock's warning point or breach, a To Follow
// reminder, a scheduled run of the Open Complaints Reminder. docs/time.md
// explains how a host runs it.
//
// Thread-safety: plain values.
#pragma once

#include "complaints/export.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "complaints/clock.hpp"

namespace complaints {

enum class DueOutcome : std::uint8_t {
  ran,      ///< the item did what it was set to do
  dropped,  ///< it could not (the issue moved on); a timeline note says why, and it is gone for good
};

COMPLAINTS_API const char *to_string(DueOutcome o) noexcept;

/// What Desk::process_due did with one due item.
struct DueRun {
  std::string issue_code;  ///< "" for desk-wide work (the reminder schedule)
  std::string kind;        ///< "timer", "sla_warning", "sla_breach", "to_follow", "schedule", "task_sla_warning" or "task_sla_breach"
  std::string name;        ///< the timer's or SLA policy's name; the schedule's ("open_complaints_reminder"); "<task id>:<policy>"
  Timestamp due_at;
  DueOutcome outcome = DueOutcome::ran;
  std::string detail;  ///< what ran (an action's name, who was reminded), or why it was dropped
  friend bool operator==(const DueRun &, const DueRun &) = default;
};

}  // namespace complaints
