// complaints/event.hpp - what a committed change looks like to the host (SPEC R6.4).
//
// An Event is a plain value describing one committed change; Desk fires it
// through the signals of complaints/events.hpp. This header has no Boost
// dependency, so code that only builds events need not pull in Signals2.
//
// Thread-safety: plain values; safe to copy across threads.
#pragma once

#include "complaints/export.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "complaints/actor.hpp"
#include "complaints/clock.hpp"
#include "complaints/issue.hpp"
#include "complaints/timeline.hpp"

namespace complaints {

enum class EventKind : std::uint8_t {
  issue_reported,
  status_changed,  ///< a workflow action was taken (the status may or may not have changed)
  issue_edited,
  issue_relinked,  ///< the issue moved to another record (quote became booking)
  settings_changed,  ///< a workflow, status or issue type was installed or added
  payment_withheld,  ///< a fieldworker's payout was withheld or reapplied (detail: "<record> <fieldworker>")
  payment_released,  ///< a fieldworker's payout was released
  comment_added,     ///< item_id: the comment; detail: "internal" or "public"
  user_mentioned,    ///< detail: the user mentioned; item_id: the comment
  attachment_added,  ///< item_id: the attachment (on the issue itself; a comment's come with comment_added)
  issue_linked,      ///< detail: "<kind> <other code>", once for each of the two issues
  watchers_changed,  ///< detail: "+<user>" or "-<user>"
  issue_deleted,     ///< keys: the host's storage keys of the erased attachments
  message_queued,    ///< a customer message went to the outbox (detail: "<template> to <recipient>"; item_id: outbox id)
  sla_warning,       ///< an SLA clock passed its warning point (detail: the policy's name)
  sla_breached,      ///< an SLA clock ran out (detail: the policy's name)
  reminder_due,      ///< a To Follow issue's deferred date came (detail: who was reminded)
  // Tasks (docs/tasks.md): item_id is the task's id, detail its kind.
  task_created,
  task_claimed,
  task_released,
  task_assigned,   ///< reassigned by staff
  task_completed,
  task_cancelled,
};

inline constexpr std::size_t event_kind_count = 23;

/// "issue_reported", ...
COMPLAINTS_API const char *to_string(EventKind k) noexcept;

/// The payload of every event. Fields not relevant to a kind are empty.
struct Event {
  EventKind kind = EventKind::issue_reported;
  Timestamp at;
  std::string actor_id;
  Role actor_role = Role::system;
  std::string issue_code;
  std::optional<Issue> issue;  ///< the issue as committed
  std::string action;          ///< workflow action, for status_changed
  std::vector<FieldChange> changes;
  std::string detail;  ///< kind-specific text (settings_changed: what changed)
  std::int64_t item_id = 0;        ///< kind-specific id (a comment, an attachment, a task)
  std::vector<std::string> keys;   ///< issue_deleted: storage keys the host should delete
};

}  // namespace complaints
