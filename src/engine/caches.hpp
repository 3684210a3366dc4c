// What every operation reads from a desk's settings - workflows, compiled
// message templates, message settings and the business calendar - parsed once
// and kept while the stored settings revision holds. Any settings change, by
// this desk or another (in any process), bumps the revision in its own
// transaction, so a cache is never used across a change it has not seen.
//
// Thread-safety: none; the Desk serializes operations.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "complaints/messages.hpp"
#include "complaints/workflow.hpp"
#include "core/op.hpp"
#include "core/users.hpp"
#include "messages/messages.hpp"
#include "time/calendar.hpp"

namespace complaints::engine {

class Caches {
 public:
  /// The workflow `name`, validated. NotFound when there is none; StorageError
  /// when the stored definition no longer validates.
  const Workflow &workflow(Op &op, std::string_view name);
  /// The desk's compiled message templates.
  messages::Library &library(Op &op);
  /// The message settings in force (defaults when none were saved).
  const MessageSettings &message_settings(Op &op);
  /// The business calendar in force (BusinessCalendar's defaults when none was saved).
  const timing::Calendar &calendar(Op &op);
  /// Whether `name` is a configured issue type.
  bool is_issue_type(Op &op, std::string_view name);

  /// The registered users (core/users.hpp), cleared with the rest.
  UserCache &users() noexcept { return users_; }

  /// Reads the stored revision once per operation; forgets everything when it
  /// moved. The desk calls it as each write operation begins.
  void sync(Op &op);

  /// Records a settings change in this operation (workflows, templates,
  /// message settings, the calendar, issue types, users): bumps the stored revision and
  /// forgets everything cached.
  void bump_revision(Op &op);
  /// Stores a validated workflow (revision + 1) and bumps the settings revision.
  void store_workflow(Op &op, const Workflow &wf);

 private:
  void forget() noexcept;

  std::uint64_t synced_op_ = 0;
  std::string revision_;
  std::map<std::string, Workflow, std::less<>> workflows_;
  std::optional<MessageSettings> message_settings_;
  std::optional<timing::Calendar> calendar_;
  std::optional<std::vector<IssueType>> issue_types_;
  messages::Library library_;
  UserCache users_;
};

/// The settings key of the business calendar (docs/c-api.md's calendar document).
inline constexpr std::string_view calendar_key = "time.calendar";

}  // namespace complaints::engine
