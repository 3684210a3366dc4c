// Who may see and do what (SPEC R1.3, R1.4). Every read and write of the Desk
// goes through these, so the rules live in one place.
#pragma once

#include <string_view>
#include <vector>

#include "complaints/actor.hpp"
#include "complaints/issue.hpp"
#include "complaints/record.hpp"
#include "complaints/storage.hpp"

namespace complaints::access {

/// True when the actor may see the record's issues.
bool sees_record(const Actor &actor, const Record &record) noexcept;

/// The fieldworkers who may see the record's issues: those assigned to it,
/// when it is a booking or its visibility is "all"; ascending, each once.
/// Storage keeps them per issue (StorageTransaction::put_readers) so that a
/// list can filter by them: the rule is decided here only.
std::vector<std::string> readers(const Record &record);

/// Whose issues the actor's reads return (storage filters by it): staff
/// everyone's, a customer their own, a fieldworker those it reads (readers()).
ReadScope scope(const Actor &actor);

/// True when the actor needs the record to decide whether they see an issue
/// (staff see everything; others depend on the record).
constexpr bool needs_record(const Actor &actor) noexcept { return !is_staff(actor.role); }

/// True when the actor may see the issue on `record`.
bool sees_issue(const Actor &actor, const Issue &issue, const Record &record) noexcept;

/// True when the reader may see a timeline or notification field: staff all;
/// customers none of the business's internal fields (is_internal_field); a
/// fieldworker their own payout ("payment:<their id>") but not a colleague's,
/// as Desk::holds shows them their own holds only.
bool sees_field(const Actor &reader, std::string_view field) noexcept;

/// Throws Forbidden unless the actor holds `p`; `what` names the operation.
void require(const Actor &actor, Permission p, std::string_view what);

/// Throws Forbidden unless the actor's role is a staff role.
void require_staff(const Actor &actor, std::string_view what);

/// Throws Forbidden unless the actor has a staff role and holds `p`: a
/// permission counts only on a role the call allows (docs/permissions.md).
void require_staff(const Actor &actor, Permission p, std::string_view what);

/// Throws Forbidden unless the actor may report this request: fieldworkers
/// report nothing, and a customer's report names the record, type,
/// description and workflow only (who is responsible, the hold amounts and
/// the follow-up dates are staff business).
void check_report(const Actor &actor, const ReportRequest &request);

/// Throws Forbidden unless the actor's role is `role`.
void require_role(const Actor &actor, Role role, std::string_view what);

/// Checks an actor's id (InvalidInput on a bad one).
void check_actor(const Actor &actor);

}  // namespace complaints::access
