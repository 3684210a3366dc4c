// Writing one change to an issue: the issue row, its hash-chained timeline
// entry, its due work (timers, SLA points, the To Follow reminder), the
// notifications it causes and its event. Every path that changes an issue -
// report, actions, edits, the discussion, holds, due work - writes through
// here, inside the operation's transaction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "complaints/event.hpp"
#include "complaints/issue.hpp"
#include "complaints/record.hpp"
#include "complaints/storage.hpp"
#include "complaints/timeline.hpp"
#include "core/op.hpp"

namespace complaints::engine {

/// The record an issue sits on. StorageError when it is missing (the store is damaged).
Record record_of(StorageTransaction &txn, const Issue &issue);

/// Brings the issue's running SLA clocks up to op.now (their `used` and
/// `as_of`), as every snapshot handed to the host shows them.
void as_of_now(Op &op, Issue &issue);
/// The same for any clocks (a task's).
void as_of_now(Op &op, std::vector<SlaClock> &clocks);

/// The event that describes a committed change to one issue.
Event issue_event(EventKind kind, const Actor &actor, Timestamp at, const Issue &issue, std::string action,
                  std::vector<FieldChange> changes);

/// What a notification needs beyond the event itself.
struct NoticeExtras {
  bool internal = false;
  std::string text{};
  std::vector<std::string> mentioned{};
  std::optional<std::string> reply_to_author{};
};

/// Writes a change to an existing issue: the issue row and the chained
/// timeline entry, and keeps its due work in step. A change to the issue's
/// own fields (`bump`) takes version + 1 and updated_at; the discussion,
/// watchers and links only move the timeline head, so they never conflict
/// with an action. Moves the To Follow reminder when the flag, the deferred
/// date or the issue's being closed changed, and marks the issue's hold links
/// when whether it blocks them (holds::blocks) changed. Returns the issue as written;
/// `entry` gets its seq and hashes. Conflict when the stored version moved.
Issue write(Op &op, const Actor &actor, const IssueRow &before, Issue after, TimelineEntry &entry, bool bump);

/// Writes a new issue (its number allocated) on `record` with its first
/// timeline entry, its readers (access::readers) and its due work.
void write_new(Op &op, const Actor &actor, const Record &record, Issue &issue, TimelineEntry &entry);

/// Queues a change's notifications and its event, placed before the events
/// its effects queued since `mark`.
void announce(Op &op, Event event, const Issue &issue, const Record &record, std::int64_t seq, std::size_t mark,
              NoticeExtras extras = {});

/// A change to the issue's fields, written and announced as `kind`.
Issue commit_change(Op &op, const Actor &actor, const IssueRow &before, Issue after, const Record &record,
                    TimelineEntry entry, EventKind kind, std::size_t mark = SIZE_MAX);

}  // namespace complaints::engine
