// src/storage/shared_sql.hpp - the statements SQLite and PostgreSQL run
// alike, one text each (issue 15: "where the dialects agree, one statement
// text serves both").
//
// Parameters are written $1, $2, ... as PostgreSQL numbers them. SQLite reads
// "$1" as a named parameter and numbers named parameters in the order they
// first appear, so each text here names its parameters in ascending order of
// first appearance: then binding by position means the same in both
// (tests/storage/test_shared_sql.cpp checks it). A statement whose dialects
// differ (SQLite's FTS5, PostgreSQL's SKIP LOCKED, RETURNING, generated
// UPDATEs) stays in its backend.
//
// Each is an inline array, one address in the whole program: the SQLite
// backend's statement cache knows its literals by address.
#pragma once

namespace complaints::shared_sql {

inline constexpr char setting[] =
    "SELECT value FROM settings WHERE key = $1";
inline constexpr char put_setting[] =
    "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = "
    "excluded.value";
inline constexpr char workflow_names[] =
    "SELECT name FROM workflows ORDER BY name";
inline constexpr char status_counts[] =
    "SELECT status, count(*) FROM issues WHERE workflow = $1 GROUP BY status ORDER BY status";
inline constexpr char put_issue_type[] =
    "INSERT INTO issue_types (name, colour) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET "
    "colour = excluded.colour";
inline constexpr char issues_of_record[] =
    "SELECT number FROM issues WHERE record_kind = $1 AND record_id = $2 ORDER BY number";
inline constexpr char timeline[] =
    "SELECT seq, at, actor_id, actor_role, kind, action, changes, note, internal, prev_hash, hash "
    "FROM timeline WHERE number = $1 ORDER BY seq";
inline constexpr char append_timeline[] =
    "INSERT INTO timeline (number, seq, at, actor_id, actor_role, kind, action, changes, note, "
    "internal, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
inline constexpr char put_due[] =
    "INSERT INTO due (number, kind, name, due_at) VALUES ($1, $2, $3, $4) ON CONFLICT (number, "
    "kind, name) DO UPDATE SET due_at = excluded.due_at";
inline constexpr char remove_due[] =
    "DELETE FROM due WHERE number = $1 AND kind = $2 AND name = $3";
inline constexpr char next_due[] =
    "SELECT min(due_at) FROM due";
inline constexpr char watchers[] =
    "SELECT user_id FROM watchers WHERE number = $1 ORDER BY user_id";
inline constexpr char remove_watcher[] =
    "DELETE FROM watchers WHERE number = $1 AND user_id = $2";
inline constexpr char user[] =
    "SELECT id, role, name, scope, push, sms, email FROM users WHERE id = $1";
inline constexpr char put_user[] =
    "INSERT INTO users (id, role, name, scope, push, sms, email) VALUES ($1, $2, $3, $4, $5, $6, "
    "$7) ON CONFLICT (id) DO UPDATE SET role = excluded.role, name = excluded.name, scope = "
    "excluded.scope, push = excluded.push, sms = excluded.sms, email = excluded.email";
inline constexpr char users_with_role[] =
    "SELECT id, role, name, scope, push, sms, email FROM users WHERE role = $1 ORDER BY id";
inline constexpr char outbox_page[] =
    "SELECT id, idempotency_key, kind, event, issue_code, recipient, channel, subject, body_text, "
    "body_html, created_at FROM outbox WHERE id > $1 ORDER BY id LIMIT $2";
inline constexpr char put_hold[] =
    "INSERT INTO holds (record_kind, record_id, fieldworker_id, state, amount_minor, currency, "
    "scope, since, released_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT "
    "(record_kind, record_id, fieldworker_id) DO UPDATE SET state = excluded.state, amount_minor "
    "= excluded.amount_minor, currency = excluded.currency, scope = excluded.scope, since = "
    "excluded.since, released_at = excluded.released_at";
inline constexpr char ledger_between[] =
    "SELECT id, record_kind, record_id, fieldworker_id, action, at, actor_id, actor_role, reason, "
    "issues, amount_minor, currency, override FROM hold_ledger WHERE at >= $1 AND at < $2 ORDER "
    "BY id";
inline constexpr char erase_outbox[] =
    "DELETE FROM outbox WHERE issue_code = $1";
inline constexpr char erase_due[] =
    "DELETE FROM due WHERE number = $1";
inline constexpr char erase_issue[] =
    "DELETE FROM issues WHERE number = $1";

/// Every statement above, for the test that checks their parameters.
inline constexpr const char *all[] = {setting, put_setting, workflow_names, status_counts, put_issue_type, issues_of_record, timeline, append_timeline, put_due, remove_due, next_due, watchers, remove_watcher, user, put_user, users_with_role, outbox_page, put_hold, ledger_between, erase_outbox, erase_due, erase_issue};

}  // namespace complaints::shared_sql
