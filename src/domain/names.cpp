// Text names of the library's enums, and issue codes.
#include <array>
#include <charconv>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "complaints/actor.hpp"
#include "complaints/errors.hpp"
#include "complaints/event.hpp"
#include "complaints/issue.hpp"
#include "complaints/discussion.hpp"
#include "complaints/due.hpp"
#include "complaints/outbox.hpp"
#include "complaints/users.hpp"
#include "complaints/payment_hold.hpp"
#include "complaints/record.hpp"
#include "complaints/task.hpp"
#include "complaints/version.hpp"
#include "complaints/workflow.hpp"
#include "domain/check.hpp"

namespace complaints {

namespace {

// One table per enum serves both directions, so a name cannot drift between them.
template <typename E, std::size_t N>
const char *name_of(const std::array<std::pair<E, const char *>, N> &table, E value) noexcept {
  for (const auto &[e, n] : table)
    if (e == value) return n;
  return "?";
}

template <typename E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, const char *>, N> &table,
                          std::string_view name) noexcept {
  for (const auto &[e, n] : table)
    if (name == n) return e;
  return std::nullopt;
}

constexpr std::array<std::pair<Role, const char *>, 6> roles{{
    {Role::admin, "admin"},
    {Role::supervisor, "supervisor"},
    {Role::office, "office"},
    {Role::fieldworker, "fieldworker"},
    {Role::customer, "customer"},
    {Role::system, "system"},
}};

constexpr std::array<std::pair<Permission, const char *>, 4> permissions{{
    {Permission::delete_issues, "delete_issues"},
    {Permission::release_payment, "release_payment"},
    {Permission::edit_issues, "edit_issues"},
    {Permission::manage_settings, "manage_settings"},
}};

constexpr std::array<std::pair<RecordKind, const char *>, 3> record_kinds{{
    {RecordKind::quote, "quote"},
    {RecordKind::booking, "booking"},
    {RecordKind::invoice, "invoice"},
}};

constexpr std::array<std::pair<RecordVisibility, const char *>, 2> visibilities{{
    {RecordVisibility::restricted, "restricted"},
    {RecordVisibility::all, "all"},
}};

constexpr std::array<std::pair<Channel, const char *>, 4> channels{{
    {Channel::office, "office"},
    {Channel::customer_portal, "customer_portal"},
    {Channel::calendar, "calendar"},
    {Channel::import, "import"},
}};

constexpr std::array<std::pair<StatusCategory, const char *>, 5> categories{{
    {StatusCategory::open, "open"},
    {StatusCategory::active, "active"},
    {StatusCategory::pending, "pending"},
    {StatusCategory::resolved, "resolved"},
    {StatusCategory::closed, "closed"},
}};

constexpr std::array<std::pair<OutboxKind, const char *>, 2> outbox_kinds{{
    {OutboxKind::notification, "notification"},
    {OutboxKind::message, "message"},
}};

constexpr std::array<std::pair<DeliveryChannel, const char *>, 3> delivery_channels{{
    {DeliveryChannel::push, "push"},
    {DeliveryChannel::sms, "sms"},
    {DeliveryChannel::email, "email"},
}};

constexpr std::array<std::pair<EventKind, const char *>, event_kind_count> event_kinds{{
    {EventKind::issue_reported, "issue_reported"},
    {EventKind::status_changed, "status_changed"},
    {EventKind::issue_edited, "issue_edited"},
    {EventKind::issue_relinked, "issue_relinked"},
    {EventKind::settings_changed, "settings_changed"},
    {EventKind::payment_withheld, "payment_withheld"},
    {EventKind::payment_released, "payment_released"},
    {EventKind::comment_added, "comment_added"},
    {EventKind::user_mentioned, "user_mentioned"},
    {EventKind::attachment_added, "attachment_added"},
    {EventKind::issue_linked, "issue_linked"},
    {EventKind::watchers_changed, "watchers_changed"},
    {EventKind::issue_deleted, "issue_deleted"},
    {EventKind::message_queued, "message_queued"},
    {EventKind::sla_warning, "sla_warning"},
    {EventKind::sla_breached, "sla_breached"},
    {EventKind::reminder_due, "reminder_due"},
    {EventKind::task_created, "task_created"},
    {EventKind::task_claimed, "task_claimed"},
    {EventKind::task_released, "task_released"},
    {EventKind::task_assigned, "task_assigned"},
    {EventKind::task_completed, "task_completed"},
    {EventKind::task_cancelled, "task_cancelled"},
}};

constexpr std::array<std::pair<SlaState, const char *>, 3> sla_states{{
    {SlaState::running, "running"},
    {SlaState::paused, "paused"},
    {SlaState::stopped, "stopped"},
}};

constexpr std::array<std::pair<TaskState, const char *>, 3> task_states{{
    {TaskState::open, "open"},
    {TaskState::completed, "completed"},
    {TaskState::cancelled, "cancelled"},
}};

constexpr std::array<std::pair<FieldType, const char *>, 7> field_types{{
    {FieldType::text, "text"},
    {FieldType::number, "number"},
    {FieldType::money, "money"},
    {FieldType::date, "date"},
    {FieldType::choice, "choice"},
    {FieldType::multi_choice, "multi_choice"},
    {FieldType::yes_no, "yes_no"},
}};

constexpr std::array<std::pair<TaskAccess, const char *>, 4> task_accesses{{
    {TaskAccess::summary, "summary"},
    {TaskAccess::contact, "contact"},
    {TaskAccess::attachments, "attachments"},
    {TaskAccess::everything, "everything"},
}};

constexpr std::array<std::pair<DueOutcome, const char *>, 2> due_outcomes{{
    {DueOutcome::ran, "ran"},
    {DueOutcome::dropped, "dropped"},
}};

constexpr std::array<std::pair<InputType, const char *>, 6> input_types{{
    {InputType::text, "text"},
    {InputType::date, "date"},
    {InputType::resolution, "resolution"},
    {InputType::status, "status"},
    {InputType::stage, "stage"},
    {InputType::user, "user"},
}};

constexpr std::array<std::pair<HoldState, const char *>, 2> hold_states{{
    {HoldState::withheld, "withheld"},
    {HoldState::released, "released"},
}};

constexpr std::array<std::pair<HoldScope, const char *>, 2> hold_scopes{{
    {HoldScope::portion, "portion"},
    {HoldScope::whole, "whole"},
}};

constexpr std::array<std::pair<LedgerAction, const char *>, 4> ledger_actions{{
    {LedgerAction::withheld, "withheld"},
    {LedgerAction::released, "released"},
    {LedgerAction::reapplied, "reapplied"},
    {LedgerAction::amount, "amount"},
}};

constexpr std::array<std::pair<LinkKind, const char *>, 2> link_kinds{{
    {LinkKind::related, "related"},
    {LinkKind::duplicate_of, "duplicate_of"},
}};

constexpr std::array<std::pair<NotifyScope, const char *>, 3> notify_scopes{{
    {NotifyScope::all, "all"},
    {NotifyScope::mine, "mine"},
    {NotifyScope::replies, "replies"},
}};

}  // namespace

const char *to_string(LinkKind k) noexcept { return name_of(link_kinds, k); }
std::optional<LinkKind> link_kind_from_string(std::string_view n) noexcept { return value_of(link_kinds, n); }
const char *to_string(NotifyScope s) noexcept { return name_of(notify_scopes, s); }
std::optional<NotifyScope> notify_scope_from_string(std::string_view n) noexcept { return value_of(notify_scopes, n); }

const char *to_string(HoldState s) noexcept { return name_of(hold_states, s); }
std::optional<HoldState> hold_state_from_string(std::string_view n) noexcept { return value_of(hold_states, n); }
const char *to_string(HoldScope s) noexcept { return name_of(hold_scopes, s); }
std::optional<HoldScope> hold_scope_from_string(std::string_view n) noexcept { return value_of(hold_scopes, n); }
const char *to_string(LedgerAction a) noexcept { return name_of(ledger_actions, a); }
std::optional<LedgerAction> ledger_action_from_string(std::string_view n) noexcept {
  return value_of(ledger_actions, n);
}

const char *to_string(Role r) noexcept { return name_of(roles, r); }
std::optional<Role> role_from_string(std::string_view n) noexcept { return value_of(roles, n); }
const char *to_string(Permission p) noexcept { return name_of(permissions, p); }
std::optional<Permission> permission_from_string(std::string_view n) noexcept {
  return value_of(permissions, n);
}
const char *to_string(RecordKind k) noexcept { return name_of(record_kinds, k); }
std::optional<RecordKind> record_kind_from_string(std::string_view n) noexcept {
  return value_of(record_kinds, n);
}
const char *to_string(RecordVisibility v) noexcept { return name_of(visibilities, v); }
std::optional<RecordVisibility> record_visibility_from_string(std::string_view n) noexcept {
  return value_of(visibilities, n);
}
const char *to_string(Channel c) noexcept { return name_of(channels, c); }
std::optional<Channel> channel_from_string(std::string_view n) noexcept { return value_of(channels, n); }
const char *to_string(StatusCategory c) noexcept { return name_of(categories, c); }
std::optional<StatusCategory> status_category_from_string(std::string_view n) noexcept {
  return value_of(categories, n);
}
const char *to_string(OutboxKind k) noexcept { return name_of(outbox_kinds, k); }
const char *to_string(DeliveryChannel c) noexcept { return name_of(delivery_channels, c); }
std::optional<DeliveryChannel> delivery_channel_from_string(std::string_view n) noexcept {
  return value_of(delivery_channels, n);
}
const char *to_string(EventKind k) noexcept { return name_of(event_kinds, k); }
const char *to_string(InputType t) noexcept { return name_of(input_types, t); }
const char *to_string(SlaState s) noexcept { return name_of(sla_states, s); }
std::optional<SlaState> sla_state_from_string(std::string_view n) noexcept { return value_of(sla_states, n); }
const char *to_string(DueOutcome o) noexcept { return name_of(due_outcomes, o); }
const char *to_string(TaskState s) noexcept { return name_of(task_states, s); }
std::optional<TaskState> task_state_from_string(std::string_view n) noexcept { return value_of(task_states, n); }
const char *to_string(TaskAccess a) noexcept { return name_of(task_accesses, a); }
const char *to_string(FieldType t) noexcept { return name_of(field_types, t); }
std::optional<FieldType> field_type_from_string(std::string_view n) noexcept { return value_of(field_types, n); }
std::optional<TaskAccess> task_access_from_string(std::string_view n) noexcept { return value_of(task_accesses, n); }

std::string RecordRef::to_string() const { return fmt::format("{}:{}", complaints::to_string(kind), id); }

std::string format_issue_code(std::int64_t number) {
  // Built in place and copied once: payroll runs and lists format many codes.
  char code[32] = "CMP-00000";
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, number);
  (void)ec;  // 24 bytes hold any int64
  auto n = static_cast<std::size_t>(end - digits);
  std::size_t start = n < 5 ? 4 + 5 - n : 4;
  std::memcpy(code + start, digits, n);
  return std::string(code, start + n);
}

std::int64_t parse_issue_code(std::string_view code) {
  constexpr std::string_view prefix = "CMP-";
  auto bad = [&] {
    return InvalidInput(fmt::format("'{}' is not an issue code (expected CMP-00001 or similar)", check::excerpt(code)),
                        "code");
  };
  if (code.size() < prefix.size() + 5 || code.size() > prefix.size() + 18 || !code.starts_with(prefix))
    throw bad();
  std::string_view digits = code.substr(prefix.size());
  for (char c : digits)
    if (c < '0' || c > '9') throw bad();
  std::int64_t n = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || n <= 0) throw bad();
  // Only the canonical spelling names an issue: CMP-000042 is not CMP-00042.
  if (digits.size() > 5 && digits.front() == '0') throw bad();
  return n;
}

int version_number() noexcept { return COMPLAINTS_VERSION_NUMBER; }
const char *version_string() noexcept { return COMPLAINTS_VERSION; }

}  // namespace complaints
