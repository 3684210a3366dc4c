// complaints/task.hpp - tasks on a case and the groups that claim them
// (SPEC R8.4, seed 003).
//
// A task is a piece of work on one issue: acknowledge the complainant,
// investigate, send the response. It is assigned to a group (a department or
// service: its open, unclaimed tasks are that group's claimable queue) or to
// a user directly. Claiming is exclusive: of several people claiming one task
// at once, in any number of threads or processes, exactly one wins. Values
// only: the Desk's calls that create, claim and complete tasks check who may
// do what.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "complaints/export.hpp"
#include "complaints/discussion.hpp"
#include "complaints/issue.hpp"
#include "complaints/timeline.hpp"

namespace complaints {

/// A department or service whose members work its tasks. Registered by the
/// host; `id` is the host's (at most limits::id_bytes of UTF-8, no control
/// characters), `members` are user ids, ascending and unique.
struct Group {
  std::string id;
  std::string name;
  std::vector<std::string> members;
  friend bool operator==(const Group &, const Group &) = default;
};

/// Where a task stands. Only an open task can be claimed, released,
/// reassigned, completed or cancelled.
enum class TaskState : std::uint8_t {
  open,
  completed,
  cancelled,
};

COMPLAINTS_API const char *to_string(TaskState s) noexcept;
COMPLAINTS_API std::optional<TaskState> task_state_from_string(std::string_view name) noexcept;

/// How much of its case a task's assignee sees (seed 003), each level adding
/// to the one before: the summary (code, type, status, stage, description),
/// the complainant's contact details, the attachments, everything (comments
/// and the timeline as staff see them).
enum class TaskAccess : std::uint8_t {
  summary,
  contact,
  attachments,
  everything,
};

COMPLAINTS_API const char *to_string(TaskAccess a) noexcept;
COMPLAINTS_API std::optional<TaskAccess> task_access_from_string(std::string_view name) noexcept;

/// A snapshot of one task.
struct Task {
  std::int64_t id = 0;         ///< ascending per database, never reused (gaps possible on PostgreSQL)
  std::int64_t number = 0;     ///< the issue's number
  std::string issue_code;      ///< the issue's code ("CMP-00042")
  std::string kind;            ///< a task kind the issue's workflow declares
  std::string stage;           ///< the issue's stage when the task was created ("" without stages)
  std::string group;           ///< the group it is assigned to; "" when assigned to a user only
  std::string assignee;        ///< who works it: the claimer, or the user assigned; "" while claimable
  TaskState state = TaskState::open;
  bool mandatory = false;      ///< must be completed before the issue may close
  TaskAccess access = TaskAccess::summary;
  std::string instructions;    ///< standing notes for the assignee
  std::string created_by;      ///< a user id, or the system actor's when a workflow effect created it
  Timestamp created_at;
  Timestamp updated_at;
  std::optional<Timestamp> done_at;  ///< when it was completed or cancelled
  std::string done_by;               ///< who completed or cancelled it
  std::string notes;                 ///< what it was completed (or cancelled) with
  std::vector<SlaClock> slas;        ///< its own SLA clock when its kind names a policy, as of the read
  std::int64_t version = 1;          ///< 1 when created; +1 on every change

  /// Open and claimable: in a group's queue, nobody working it.
  bool claimable() const noexcept { return state == TaskState::open && !group.empty() && assignee.empty(); }
  friend bool operator==(const Task &, const Task &) = default;
};

/// The complainant's contact details, as a task of access `contact` or more shows them.
struct TaskContact {
  std::string customer_id;  ///< the host's id of the record's customer
  std::string name;         ///< their display name when registered as a user (put_user); "" otherwise
  friend bool operator==(const TaskContact &, const TaskContact &) = default;
};

/// What a task's worker sees of its case (Desk::task_case): as much as the
/// task's access level gives, and nothing else.
struct TaskCase {
  Task task;
  TaskAccess access = TaskAccess::summary;  ///< the level this read was given
  /// summary: code, number, type, description, workflow, status, category,
  /// stage, created_at, updated_at, version. Every other field is left empty
  /// (record, customer, fieldworkers, assignee, reporter, dates, timers, SLA clocks).
  Issue issue;
  std::optional<TaskContact> contact{};       ///< contact and above
  std::vector<Attachment> attachments{};      ///< attachments and above: the issue's and its comments', without bytes
  std::vector<Comment> comments{};            ///< everything: the thread as staff see it
  std::vector<TimelineEntry> timeline{};      ///< everything: as Desk::timeline gives it to the worker's role
  friend bool operator==(const TaskCase &, const TaskCase &) = default;
};

/// What Desk::create_task takes. `group`, `assignee` or both; the options
/// left unset come from the task's kind.
struct TaskRequest {
  std::string kind;
  std::string group{};
  std::string assignee{};
  std::optional<bool> mandatory{};
  std::optional<TaskAccess> access{};
  std::optional<std::string> instructions{};
};

}  // namespace complaints
