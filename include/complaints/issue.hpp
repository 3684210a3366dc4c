// complaints/issue.hpp - the complaint itself, and the requests that create and change it.
//
// Issue is a value: a snapshot of one complaint as stored at one version. Copy
// it, compare it, keep it; it never changes under you. Changes go through
// Desk (report, act, edit), which returns the new snapshot.
#pragma once

#include "complaints/export.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "complaints/clock.hpp"
#include "complaints/actor.hpp"
#include "complaints/payment_hold.hpp"
#include "complaints/record.hpp"

namespace complaints {

/// How a complaint reached the business.
enum class Channel : std::uint8_t { office, customer_portal, calendar, import };

COMPLAINTS_API const char *to_string(Channel c) noexcept;
COMPLAINTS_API std::optional<Channel> channel_from_string(std::string_view name) noexcept;

/// Where a status sits in a complaint's life. Drives lists ("open issues"),
/// holds (a hold lasts while an issue is not closed) and reports.
enum class StatusCategory : std::uint8_t { open, active, pending, resolved, closed };

COMPLAINTS_API const char *to_string(StatusCategory c) noexcept;
COMPLAINTS_API std::optional<StatusCategory> status_category_from_string(std::string_view name) noexcept;

/// A configurable kind of complaint ("Damage Caused", "Late Service", ...).
struct IssueType {
  std::string name;
  std::string colour;  ///< "#RRGGBB"
  friend bool operator==(const IssueType &, const IssueType &) = default;
};

/// Formats an issue number as its human code: 42 -> "CMP-00042".
COMPLAINTS_API std::string format_issue_code(std::int64_t number);
/// Parses "CMP-00042" -> 42. Throws InvalidInput (field "code") for anything else.
COMPLAINTS_API std::int64_t parse_issue_code(std::string_view code);

/// A timer set by a workflow's set_timer effect: at `due_at`, Desk::process_due
/// takes `action` on the issue as the system (SPEC R8.1).
struct IssueTimer {
  std::string name;
  std::string action;
  Timestamp due_at;
  friend bool operator==(const IssueTimer &, const IssueTimer &) = default;
};

/// Where an SLA clock stands.
enum class SlaState : std::uint8_t {
  running,  ///< time counts toward the budget
  paused,   ///< time does not count (by an effect, or while the status's category pauses the policy)
  stopped,  ///< finished: by an effect, by a category that stops the policy, or by closing the issue
};

COMPLAINTS_API const char *to_string(SlaState s) noexcept;
COMPLAINTS_API std::optional<SlaState> sla_state_from_string(std::string_view name) noexcept;

/// One SLA clock on an issue (SPEC R8.3), started from a policy of its
/// workflow. Its budget is working time on the desk's business calendar when
/// the policy is `business`, else elapsed time. Like the rest of the
/// snapshot, `used` and left() are as of the issue's last change (`as_of`);
/// Desk::sla_clocks gives them as of now.
struct SlaClock {
  std::string name;  ///< the policy's name
  SlaState state = SlaState::running;
  bool business = false;  ///< counts working time on the desk's calendar
  Timestamp started_at;
  std::chrono::milliseconds budget{0};  ///< the time allowed
  std::chrono::milliseconds used{0};    ///< the time counted so far, as of `as_of`
  Timestamp as_of;
  std::optional<Timestamp> due_at;   ///< when the budget runs out; set while running
  std::optional<Timestamp> warn_at;  ///< the warning point; set while running and not yet warned
  int warn_percent = 0;              ///< warn when this share of the budget is used (0: never)
  bool paused_by_status = false;     ///< paused because the status's category pauses the policy
  bool warned = false;
  bool breached = false;
  std::optional<Timestamp> breached_at;

  /// Budget not yet used, as of `as_of` (negative once breached).
  std::chrono::milliseconds left() const noexcept { return budget - used; }
  friend bool operator==(const SlaClock &, const SlaClock &) = default;
};

/// A snapshot of one complaint.
struct Issue {
  std::string code;    ///< "CMP-00042": unique per database, never reused; numbers ascend (gaps possible on PostgreSQL)
  std::int64_t number = 0;
  RecordRef record;
  std::string customer_id;
  std::vector<std::string> fieldworkers;  ///< the fieldworkers responsible (default: all assigned)
  std::string type;
  std::string description;
  bool to_follow = false;
  std::optional<Date> deferred_date;   ///< when a To Follow issue is due again
  std::optional<Date> follow_up_date;  ///< scheduled follow-up appointment
  std::string workflow;
  std::string status;
  StatusCategory category = StatusCategory::open;
  std::string stage;     ///< "" where the workflow has no stages
  std::string assignee;  ///< the user who owns the case ("" when unassigned); set by assign effects
  std::string reporter_id;
  Role reporter_role = Role::office;
  Channel channel = Channel::office;
  Timestamp created_at;
  Timestamp updated_at;
  std::int64_t version = 0;  ///< 1 when reported; +1 on every change
  std::vector<IssueTimer> timers{};        ///< pending timers, by name
  std::vector<SlaClock> slas{};            ///< SLA clocks, by name (stopped ones stay, for reports)
  std::optional<Timestamp> reminder_at{};  ///< when the To Follow reminder goes out (SPEC R8.2)
  /// Case fields with a value, by name, in their text form (FieldDef). Empty
  /// in what customers read.
  std::map<std::string, std::string, std::less<>> fields{};

  bool is_closed() const noexcept { return category == StatusCategory::closed; }
  friend bool operator==(const Issue &, const Issue &) = default;
};

/// Input of Desk::report.
struct ReportRequest {
  RecordRef record{};  ///< must be known (Desk::put_record)
  std::string type{};  ///< one of the configured issue types
  std::string description{};
  bool to_follow = false;
  std::optional<Date> deferred_date{};  ///< only with to_follow
  std::optional<Date> follow_up_date{};
  std::optional<Channel> channel{};  ///< default: customer_portal for customers, import for system, else office
  /// The fieldworkers responsible; each must be assigned to the record. Default: all assigned.
  std::optional<std::vector<std::string>> fieldworkers{};
  /// Amounts to hold, by responsible fieldworker, where the workflow withholds payouts.
  std::map<std::string, Money, std::less<>> hold_amounts{};
  std::string workflow = "field-service";
};

/// Input of Desk::act: the action's name and its inputs, as text. Each input is
/// checked against the action's declaration in the workflow (a date must parse,
/// a resolution must be in the configured list, ...).
struct ActionRequest {
  std::string action{};
  std::map<std::string, std::string, std::less<>> inputs{};
  /// When set, the action is refused with Conflict unless the issue is still at this version.
  std::optional<std::int64_t> expected_version{};
  /// Case field values the action sets (each listed in the action's `fields`;
  /// "" clears a value); checked as IssueEdit::fields are.
  std::map<std::string, std::string, std::less<>> fields{};
};

/// Input of Desk::edit: fields left empty stay as they are. For the two dates,
/// an engaged optional holding nullopt clears the date.
struct IssueEdit {
  std::optional<std::string> type{};
  std::optional<std::string> description{};
  std::optional<bool> to_follow{};
  std::optional<std::optional<Date>> deferred_date{};
  std::optional<std::optional<Date>> follow_up_date{};
  std::optional<std::int64_t> expected_version{};
  /// Case field values to set (any field the issue's workflow declares; ""
  /// clears one), checked by their types: InvalidInput at "fields.<name>".
  std::map<std::string, std::string, std::less<>> fields{};

  bool empty() const noexcept {
    return !type && !description && !to_follow && !deferred_date && !follow_up_date && fields.empty();
  }
};

/// Filter for Desk::list. Every set criterion must hold. Results come ordered
/// by issue number, ascending; page with `after_number` and `limit`.
struct IssueFilter {
  std::optional<RecordRef> record{};
  std::optional<RecordKind> record_kind{};
  std::optional<std::string> workflow{};
  std::optional<std::string> status{};
  std::vector<StatusCategory> categories{};  ///< any of these; empty = all
  std::optional<std::string> stage{};
  std::optional<std::string> type{};
  std::optional<std::string> fieldworker{};  ///< responsible fieldworker
  std::optional<std::string> assignee{};     ///< the case's owner
  std::optional<std::string> owner{};        ///< reported by, or assigned to, this user
  std::optional<std::string> customer_id{};
  std::optional<bool> to_follow{};
  std::optional<Timestamp> created_from{};  ///< inclusive
  std::optional<Timestamp> created_to{};    ///< exclusive
  /// Case fields that must have exactly these values (their text form; a
  /// multi_choice value in its text form, e.g. "Staff;Process"); a value ""
  /// matches issues without one. Not for customers (Forbidden at "fields").
  std::map<std::string, std::string, std::less<>> fields{};
  std::int64_t after_number = 0;
  std::size_t limit = 100;  ///< at most 10,000

  /// Open means any category but closed.
  static IssueFilter open_issues() {
    IssueFilter f;
    f.categories = {StatusCategory::open, StatusCategory::active, StatusCategory::pending,
                    StatusCategory::resolved};
    return f;
  }
};

}  // namespace complaints
