// complaints/timeline.hpp - the audit trail (SPEC R10).
//
// Every change to an issue appends one entry: who, when, what kind of change,
// and each field's value before and after. Entries are never edited; only
// delete-forever removes them. Each entry carries the SHA-256 of its content
// chained to the hash of the entry before it, and the issue keeps the hash of
// its newest entry, so editing, removing, reordering or truncating entries is
// detected by Desk::verify_timeline.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "complaints/actor.hpp"
#include "complaints/clock.hpp"

namespace complaints {

/// The kinds of timeline entry the library writes.
namespace entry_kind {
inline constexpr std::string_view reported = "reported";
inline constexpr std::string_view action = "action";
inline constexpr std::string_view edited = "edited";
inline constexpr std::string_view relinked = "relinked";
inline constexpr std::string_view payment = "payment";  ///< a payout released by hand
inline constexpr std::string_view comment = "comment";  ///< note: the comment's text
inline constexpr std::string_view attachment = "attachment";
inline constexpr std::string_view watchers = "watchers";
inline constexpr std::string_view link = "link";
inline constexpr std::string_view message = "message";  ///< a customer message was sent; note: its subject
inline constexpr std::string_view sla = "sla";          ///< an SLA clock reached its warning point or ran out
inline constexpr std::string_view reminder = "reminder";  ///< a To Follow reminder went out
inline constexpr std::string_view due_dropped = "due_dropped";  ///< due work that could not run was dropped; note: why
inline constexpr std::string_view task = "task";  ///< a task was created, claimed, released, assigned, completed or cancelled
}  // namespace entry_kind

/// True for fields that are internal to the business: payment holds
/// ("payment", "payment:<fieldworker>"), an internal attachment on a public
/// comment ("internal_attachment"), SLA clocks ("sla:<policy>"), timers
/// ("timer:<name>"), reminders ("reminder"), tasks ("task:<id>") and case
/// fields ("field.<name>"). Never shown or sent to customers.
inline bool is_internal_field(std::string_view field) noexcept {
  return field.starts_with("payment") || field == "internal_attachment" || field.starts_with("sla:") ||
         field.starts_with("timer:") || field == "reminder" || field.starts_with("task:") ||
         field.starts_with("field.");
}

/// One field's value before and after a change ("" when it had none).
struct FieldChange {
  std::string field;
  std::string before;
  std::string after;
  friend bool operator==(const FieldChange &, const FieldChange &) = default;
};

struct TimelineEntry {
  std::string issue_code;
  std::int64_t seq = 0;  ///< 1, 2, 3... per issue
  Timestamp at;
  std::string actor_id;
  Role actor_role = Role::system;
  std::string kind;    ///< one of entry_kind
  std::string action;  ///< the workflow action's name, for kind "action"
  std::vector<FieldChange> changes;
  std::string note;
  bool internal = false;  ///< never shown to customers
  std::string prev_hash;  ///< hex SHA-256 of the previous entry ("" for the first)
  std::string hash;       ///< hex SHA-256 of prev_hash and this entry's content

  /// The change of `field`, if this entry has one.
  const FieldChange *change(std::string_view field) const noexcept {
    for (const auto &c : changes)
      if (c.field == field) return &c;
    return nullptr;
  }
  friend bool operator==(const TimelineEntry &, const TimelineEntry &) = default;
};

/// Result of Desk::verify_timeline.
struct ChainCheck {
  bool ok = true;
  std::int64_t entries = 0;                ///< entries examined
  std::optional<std::int64_t> broken_seq;  ///< seq of the first entry that fails, when !ok
  std::string reason;                      ///< why it fails
};

}  // namespace complaints
