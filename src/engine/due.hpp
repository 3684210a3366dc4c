// Due work (SPEC R8.1): what an issue has falling due, kept as rows the
// backend can find by time, and what Desk::process_due does with each when
// its moment comes. Each item runs in its own transaction.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "complaints/due.hpp"
#include "complaints/issue.hpp"
#include "complaints/storage.hpp"
#include "core/op.hpp"

namespace complaints::engine {

/// The kinds of due item.
namespace due_kind {
inline constexpr std::string_view timer = "timer";              ///< name: the timer's
inline constexpr std::string_view sla_warning = "sla_warning";  ///< name: the SLA policy's
inline constexpr std::string_view sla_breach = "sla_breach";    ///< name: the SLA policy's
inline constexpr std::string_view to_follow = "to_follow";      ///< name: ""
inline constexpr std::string_view schedule = "schedule";        ///< desk-wide; name: the schedule's
inline constexpr std::string_view task_sla_warning = "task_sla_warning";  ///< name: "<task id>:<policy>"
inline constexpr std::string_view task_sla_breach = "task_sla_breach";    ///< name: "<task id>:<policy>"
}  // namespace due_kind

/// The desk-wide schedule of the Open Complaints Reminder.
inline constexpr std::string_view reminder_schedule = "open_complaints_reminder";

/// What an issue has falling due, from its timers, SLA clocks and To Follow reminder.
std::vector<DueItem> due_of(const Issue &issue);

/// Brings the stored due items of issue `number` from `before` to `after`
/// (both from due_of), writing only what differs.
void sync_due(StorageTransaction &txn, std::int64_t number, const std::vector<DueItem> &before,
              const std::vector<DueItem> &after);

/// Runs one due item as `actor` (the system) at op.now: fires a timer's
/// action through the one action path, marks an SLA warned or breached,
/// sends a To Follow reminder, or sends the scheduled reminders. Returns what
/// it did. A domain error (the timer's action cannot be taken any more) is
/// thrown for the caller to roll back and drop_due() the item in a new
/// transaction; StorageError leaves it due.
DueRun run_due(Op &op, const Actor &actor, const DueItem &item);

/// Drops an item that cannot run, for good, with a timeline note saying why
/// (`reason`). Returns what it did.
DueRun drop_due(Op &op, const Actor &actor, const DueItem &item, const std::string &reason);

/// Puts (or moves, or removes when the settings have no schedule) the
/// desk-wide Open Complaints Reminder's next run after op.now.
void schedule_reminders(Op &op);

}  // namespace complaints::engine
