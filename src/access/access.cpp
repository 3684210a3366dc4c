#include "access/access.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "complaints/limits.hpp"
#include "complaints/errors.hpp"
#include "complaints/timeline.hpp"
#include "domain/check.hpp"

namespace complaints::access {

namespace {

// A fieldworker assigned to a record sees its issues when it is a booking
// (their own visit) or the office shares it with them (visibility "all").
bool shared_with_fieldworkers(const Record &record) noexcept {
  return record.ref.kind == RecordKind::booking || record.visibility == RecordVisibility::all;
}

}  // namespace

bool sees_record(const Actor &actor, const Record &record) noexcept {
  switch (actor.role) {
    case Role::admin:
    case Role::supervisor:
    case Role::office:
    case Role::system: return true;
    case Role::customer: return record.customer_id == actor.id;
    case Role::fieldworker:
      return shared_with_fieldworkers(record) &&
             std::find(record.fieldworkers.begin(), record.fieldworkers.end(), actor.id) != record.fieldworkers.end();
  }
  return false;
}

std::vector<std::string> readers(const Record &record) {
  if (!shared_with_fieldworkers(record)) return {};
  std::vector<std::string> out = record.fieldworkers;
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

ReadScope scope(const Actor &actor) {
  ReadScope s;
  if (actor.role == Role::customer) s.customer = actor.id;
  if (actor.role == Role::fieldworker) s.reader = actor.id;
  return s;
}

bool sees_issue(const Actor &actor, const Issue &issue, const Record &record) noexcept {
  // An issue's customer is always its record's customer (put_record and relink keep it so).
  (void)issue;
  return sees_record(actor, record);
}

bool sees_field(const Actor &reader, std::string_view field) noexcept {
  if (is_staff(reader.role)) return true;
  if (reader.role == Role::customer) return !is_internal_field(field);
  constexpr std::string_view payout = "payment:";
  return !field.starts_with(payout) || field.substr(payout.size()) == reader.id;
}

void require(const Actor &actor, Permission p, std::string_view what) {
  if (!actor.can(p))
    throw Forbidden(fmt::format("{} needs the {} permission, which {} '{}' lacks", what, to_string(p),
                                to_string(actor.role), check::excerpt(actor.id)),
                    "actor.permissions");
}

void require_staff(const Actor &actor, std::string_view what) {
  if (!is_staff(actor.role))
    throw Forbidden(fmt::format("{} is for staff (admin, supervisor, office, system), not {}", what,
                                to_string(actor.role)),
                    "actor.role");
}

void require_staff(const Actor &actor, Permission p, std::string_view what) {
  require_staff(actor, what);
  require(actor, p, what);
}

void check_report(const Actor &actor, const ReportRequest &req) {
  if (actor.role == Role::fieldworker)
    throw Forbidden("fieldworkers cannot report issues; office staff or the customer report them", "actor.role");
  if (actor.role != Role::customer) return;
  auto refuse = [](const char *field, const char *why) {
    throw Forbidden(fmt::format("a customer's report cannot set {}: {}", field, why), field);
  };
  if (req.fieldworkers) refuse("fieldworkers", "staff decide which fieldworkers are responsible");
  if (!req.hold_amounts.empty()) refuse("hold_amounts", "amounts withheld from a payout are staff business");
  if (req.to_follow) refuse("to_follow", "following a complaint up is staff business");
  if (req.deferred_date) refuse("deferred_date", "following a complaint up is staff business");
  if (req.follow_up_date) refuse("follow_up_date", "staff schedule follow-up visits");
}

void require_role(const Actor &actor, Role role, std::string_view what) {
  if (actor.role != role)
    throw Forbidden(fmt::format("{} is for the {} role, not {}", what, to_string(role), to_string(actor.role)),
                    "actor.role");
}

void check_actor(const Actor &actor) {
  check::id(actor.id, "actor.id", limits::id_bytes);
  if (!role_from_string(to_string(actor.role))) throw InvalidInput("is not a known role", "actor.role");
  if ((actor.permissions.bits() & ~Permissions::all().bits()) != 0)
    throw InvalidInput("holds unknown permission bits", "actor.permissions");
}

}  // namespace complaints::access
