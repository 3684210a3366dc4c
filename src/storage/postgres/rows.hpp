// Column lists and row readers the PostgreSQL backend's area files share.
#pragma once

#include <pqxx/pqxx>

#include "complaints/storage.hpp"

namespace complaints::postgres {

/// The issues columns, in the order read_issue reads them, qualified by "i.".
inline constexpr const char *issue_columns =
    "i.number, i.record_kind, i.record_id, i.customer_id, i.type, i.description, i.to_follow, "
    "i.deferred_date, i.follow_up_date, i.workflow, i.status, i.category, i.stage, i.reporter_id, "
    "i.reporter_role, i.channel, i.created_at, i.updated_at, i.version, i.timeline_seq, i.timeline_hash, "
    "i.fieldworkers, i.assignee, i.timers, i.slas, i.reminder_at, i.fields";
/// The same, unqualified (INSERT and UPDATE).
inline constexpr const char *issue_column_names =
    "number, record_kind, record_id, customer_id, type, description, to_follow, deferred_date, follow_up_date, "
    "workflow, status, category, stage, reporter_id, reporter_role, channel, created_at, updated_at, version, "
    "timeline_seq, timeline_hash, fieldworkers, assignee, timers, slas, reminder_at, fields";

/// An issue from the 27 columns of issue_columns starting at `first`.
IssueRow read_issue(const pqxx::row &row, int first);

}  // namespace complaints::postgres
