// How the SQLite backend's rows map to the library's values: column readers,
// the column lists its statements select, and the binders its writes use.
#pragma once

#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include "complaints/errors.hpp"
#include "complaints/storage.hpp"

namespace complaints::sqlite_backend {

inline std::string text(const SQLite::Statement &s, int col) { return s.getColumn(col).getString(); }

// A column's text without copying it; valid until the statement steps or resets.
inline std::string_view view(const SQLite::Statement &s, int col) {
  SQLite::Column c = s.getColumn(col);
  return {c.getText(), static_cast<std::size_t>(c.getBytes())};
}

inline std::int64_t integer(const SQLite::Statement &s, int col) { return s.getColumn(col).getInt64(); }

inline bool is_null(const SQLite::Statement &s, int col) { return s.isColumnNull(col); }

// Lists of ids, stored as one text of lines.
std::string join_lines(const std::vector<std::string> &ids);
std::vector<std::string> split_lines(std::string_view joined);

std::optional<Date> date_column(const SQLite::Statement &s, int col);
void bind_date(SQLite::Statement &s, int index, const std::optional<Date> &d);

// --- issues
inline constexpr const char *issue_columns =
    "i.number, i.record_kind, i.record_id, i.customer_id, i.type, i.description, i.to_follow, "
    "i.deferred_date, i.follow_up_date, i.workflow, i.status, i.category, i.stage, i.reporter_id, "
    "i.reporter_role, i.channel, i.created_at, i.updated_at, i.version, i.timeline_seq, i.timeline_hash, "
    "i.fieldworkers, i.assignee, i.timers, i.slas, i.reminder_at, i.fields";

// The issues columns in the order of issue_columns (and of insert_issue's VALUES).
inline constexpr const char *issue_column_names[] = {
    "number",      "record_kind",  "record_id",  "customer_id",  "type",          "description",  "to_follow",
    "deferred_date", "follow_up_date", "workflow", "status",      "category",      "stage",        "reporter_id",
    "reporter_role", "channel",    "created_at", "updated_at",   "version",       "timeline_seq", "timeline_hash",
    "fieldworkers", "assignee",    "timers",     "slas",         "reminder_at",  "fields"};
inline constexpr int issue_column_count = static_cast<int>(std::size(issue_column_names));

// Reads issue_columns.
IssueRow read_issue(const SQLite::Statement &s);
// Binds issues column `column` (0-based, as issue_column_names) of `row` to parameter `index`.
void bind_issue_column(SQLite::Statement &s, int index, const IssueRow &row, int column);
// Whether issues column `column` differs between two rows.
bool issue_column_differs(const IssueRow &a, const IssueRow &b, int column);
// Binds every issues column in the order of issue_columns, from index 1.
void bind_issue(SQLite::Statement &s, const IssueRow &row);

// Reads a record from columns `first`.. (customer_id, visibility, paid_out,
// invoice_id, fieldworker_id) of the current row, then its fieldworkers from
// this and the following rows (the statement is left done).
Record read_record(SQLite::Statement &s, int first, const RecordRef &ref);

// --- tasks
inline constexpr const char *task_columns =
    "id, number, kind, stage, group_id, assignee, state, mandatory, access, instructions, created_by, created_at, "
    "updated_at, done_at, done_by, notes, slas, version";

// The tasks columns after its id, in the order of task_columns (and of insert_task's VALUES).
inline constexpr const char *task_column_names[] = {
    "number",     "kind",       "stage",   "group_id", "assignee", "state", "mandatory", "access",  "instructions",
    "created_by", "created_at", "updated_at", "done_at", "done_by", "notes", "slas",      "version"};
inline constexpr int task_column_count = static_cast<int>(std::size(task_column_names));
inline constexpr int task_version_column = 16;

// Reads task_columns.
Task read_task(const SQLite::Statement &s);
// Binds tasks column `column` (0-based, as task_column_names) of `t` to parameter `index`.
void bind_task_column(SQLite::Statement &s, int index, const Task &t, int column);
// Whether tasks column `column` differs between two tasks.
bool task_column_differs(const Task &a, const Task &b, int column);
// Binds a task's columns after its id, in the order of task_columns, from `first`.
void bind_task(SQLite::Statement &s, int first, const Task &t);

// --- holds and money
// An amount from columns `col` (minor units) and `col + 1` (currency); none when NULL.
std::optional<Money> money_columns(const SQLite::Statement &s, int col, const char *table);

// A hold's key columns, then hold_state_columns: its state, amount, scope,
// times, and the numbers of its linked issues and of the open ones among them
// (kept on the hold row by schema triggers, so one primary-key lookup answers
// may_pay).
#define COMPLAINTS_HOLD_STATE_COLUMNS \
  "h.state, h.amount_minor, h.currency, h.scope, h.since, h.released_at, h.issues, h.blocking"
inline constexpr const char *hold_columns =
    "h.record_kind, h.record_id, h.fieldworker_id, " COMPLAINTS_HOLD_STATE_COLUMNS;
inline constexpr const char *hold_state_columns = COMPLAINTS_HOLD_STATE_COLUMNS;
#undef COMPLAINTS_HOLD_STATE_COLUMNS

// Reads hold_state_columns from column `c` on into `h`.
void read_hold_state(const SQLite::Statement &s, int c, PaymentHold &h);
// Reads hold_columns.
PaymentHold read_hold(const SQLite::Statement &s);
std::vector<PaymentHold> read_holds(SQLite::Statement &s);

// --- discussion and users
// Reads id, number, author_id, author_role, internal, body, reply_to, mentions, created_at.
Comment read_comment(const SQLite::Statement &s);

inline constexpr const char *attachment_columns =
    "id, number, comment_id, name, media_type, size, sha256, storage_key, internal, uploaded_by, created_at";
// Reads attachment_columns.
Attachment read_attachment(const SQLite::Statement &s);

// Reads id, role, name, scope, push, sms, email.
User read_user(const SQLite::Statement &s);

}  // namespace complaints::sqlite_backend
