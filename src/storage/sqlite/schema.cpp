#include "storage/sqlite/schema.hpp"

namespace complaints::sqlite_schema {

namespace {

// Version 1: issues, records, workflows, timeline, outbox.
constexpr const char *v1 = R"sql(
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Monotonic counters; the issue number counter never goes back, so codes are never reused.
CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE workflows (
  name       TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  revision   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE issue_types (
  position INTEGER PRIMARY KEY,
  name     TEXT NOT NULL UNIQUE,
  colour   TEXT NOT NULL
);

CREATE TABLE records (
  kind        TEXT NOT NULL,
  host_id     TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  visibility  TEXT NOT NULL,
  paid_out    INTEGER NOT NULL,
  PRIMARY KEY (kind, host_id)
) WITHOUT ROWID;

CREATE TABLE record_fieldworkers (
  kind          TEXT NOT NULL,
  host_id       TEXT NOT NULL,
  position      INTEGER NOT NULL,
  fieldworker_id TEXT NOT NULL,
  PRIMARY KEY (kind, host_id, position),
  FOREIGN KEY (kind, host_id) REFERENCES records (kind, host_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX record_fieldworkers_by_fieldworker ON record_fieldworkers (fieldworker_id);

CREATE TABLE issues (
  number         INTEGER PRIMARY KEY,
  record_kind    TEXT NOT NULL,
  record_id      TEXT NOT NULL,
  customer_id    TEXT NOT NULL,
  type           TEXT NOT NULL,
  description    TEXT NOT NULL,
  to_follow      INTEGER NOT NULL,
  deferred_date  TEXT,
  follow_up_date TEXT,
  workflow       TEXT NOT NULL,
  status         TEXT NOT NULL,
  category       TEXT NOT NULL,
  stage          TEXT NOT NULL,
  assignee       TEXT NOT NULL,
  reporter_id    TEXT NOT NULL,
  reporter_role  TEXT NOT NULL,
  channel        TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  version        INTEGER NOT NULL,
  timeline_seq   INTEGER NOT NULL,
  timeline_hash  TEXT NOT NULL,
  fieldworkers   TEXT NOT NULL, -- responsible fieldworkers, newline-separated, in order
  FOREIGN KEY (record_kind, record_id) REFERENCES records (kind, host_id)
);
CREATE INDEX issues_by_record ON issues (record_kind, record_id);
CREATE INDEX issues_by_customer ON issues (customer_id);
CREATE INDEX issues_by_workflow_status ON issues (workflow, status);
CREATE INDEX issues_by_assignee ON issues (assignee) WHERE assignee <> '';

-- Index of issues.fieldworkers, for "issues of fieldworker F".
CREATE TABLE issue_fieldworkers (
  fieldworker_id TEXT NOT NULL,
  number         INTEGER NOT NULL REFERENCES issues (number) ON DELETE CASCADE,
  PRIMARY KEY (fieldworker_id, number)
) WITHOUT ROWID;
CREATE INDEX issue_fieldworkers_by_number ON issue_fieldworkers (number);

CREATE TABLE timeline (
  number     INTEGER NOT NULL REFERENCES issues (number) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  at         INTEGER NOT NULL,
  actor_id   TEXT NOT NULL,
  actor_role TEXT NOT NULL,
  kind       TEXT NOT NULL,
  action     TEXT NOT NULL,
  changes    TEXT NOT NULL,
  note       TEXT NOT NULL,
  internal   INTEGER NOT NULL,
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL,
  PRIMARY KEY (number, seq)
) WITHOUT ROWID;

-- AUTOINCREMENT: an acknowledged (deleted) item's id is never handed out again.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  idempotency_key TEXT NOT NULL UNIQUE,
  kind            TEXT NOT NULL,
  event           TEXT NOT NULL,
  issue_code      TEXT NOT NULL,
  recipient       TEXT NOT NULL,
  channel         TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body_text       TEXT NOT NULL,
  body_html       TEXT NOT NULL,
  created_at      INTEGER NOT NULL
);
)sql";

// Version 2: payment holds, their links to issues, the holds ledger, and the
// invoice that bills a booking.
constexpr const char *v2 = R"sql(
ALTER TABLE records ADD COLUMN invoice_id TEXT NOT NULL DEFAULT '';
CREATE INDEX records_by_invoice ON records (invoice_id) WHERE invoice_id <> '';

CREATE TABLE holds (
  record_kind    TEXT NOT NULL,
  record_id      TEXT NOT NULL,
  fieldworker_id TEXT NOT NULL,
  state          TEXT NOT NULL,
  amount_minor   INTEGER,
  currency       TEXT,
  scope          TEXT NOT NULL,
  since          INTEGER NOT NULL,
  released_at    INTEGER,
  PRIMARY KEY (record_kind, record_id, fieldworker_id)
) WITHOUT ROWID;
CREATE INDEX holds_by_fieldworker ON holds (fieldworker_id);
CREATE INDEX holds_withheld_since ON holds (since) WHERE state = 'withheld';

CREATE TABLE hold_issues (
  record_kind    TEXT NOT NULL,
  record_id      TEXT NOT NULL,
  fieldworker_id TEXT NOT NULL,
  -- Checked at commit: reporting links the hold before the new issue's row is written.
  number         INTEGER NOT NULL REFERENCES issues (number) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  -- Mirrors "the issue is not closed" (kept by insert_issue and update_issue),
  -- so asking whether a payout may be made reads no issue rows.
  open           INTEGER NOT NULL,
  PRIMARY KEY (record_kind, record_id, fieldworker_id, number),
  FOREIGN KEY (record_kind, record_id, fieldworker_id) REFERENCES holds (record_kind, record_id, fieldworker_id)
    ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX hold_issues_by_issue ON hold_issues (number);

-- Append-only, like the timeline. AUTOINCREMENT: ids are never reused.
CREATE TABLE hold_ledger (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  record_kind     TEXT NOT NULL,
  record_id       TEXT NOT NULL,
  fieldworker_id  TEXT NOT NULL,
  action          TEXT NOT NULL,
  at              INTEGER NOT NULL,
  actor_id        TEXT NOT NULL,
  actor_role      TEXT NOT NULL,
  reason          TEXT NOT NULL,
  issues          TEXT NOT NULL, -- codes, newline-separated
  amount_minor    INTEGER,
  currency        TEXT,
  override        INTEGER NOT NULL
);
CREATE INDEX hold_ledger_by_time ON hold_ledger (at);
)sql";

// Version 3: users and their notification settings, the discussion
// (comments and attachments), watchers and links between issues.
constexpr const char *v3 = R"sql(
CREATE TABLE users (
  id     TEXT PRIMARY KEY,
  role   TEXT NOT NULL,
  name   TEXT NOT NULL,
  scope  TEXT NOT NULL,
  push   INTEGER NOT NULL,
  sms    INTEGER NOT NULL,
  email  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX users_by_role ON users (role);

CREATE TABLE comments (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  number      INTEGER NOT NULL REFERENCES issues (number) ON DELETE CASCADE,
  author_id   TEXT NOT NULL,
  author_role TEXT NOT NULL,
  internal    INTEGER NOT NULL,
  body        TEXT NOT NULL,
  reply_to    INTEGER REFERENCES comments (id) ON DELETE CASCADE,
  mentions    TEXT NOT NULL, -- user ids, newline-separated
  created_at  INTEGER NOT NULL
);
CREATE INDEX comments_by_issue ON comments (number);

CREATE TABLE attachments (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  number      INTEGER NOT NULL REFERENCES issues (number) ON DELETE CASCADE,
  comment_id  INTEGER REFERENCES comments (id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  media_type  TEXT NOT NULL,
  size        INTEGER NOT NULL,
  sha256      TEXT NOT NULL,
  storage_key TEXT NOT NULL,
  bytes       BLOB,
  internal    INTEGER NOT NULL,
  uploaded_by TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX attachments_by_issue ON attachments (number);
CREATE INDEX attachments_by_comment ON attachments (comment_id) WHERE comment_id IS NOT NULL;

CREATE TABLE watchers (
  number  INTEGER NOT NULL REFERENCES issues (number) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  PRIMARY KEY (number, user_id)
) WITHOUT ROWID;

CREATE TABLE issue_links (
  from_number INTEGER NOT NULL REFERENCES issues (number) ON DELETE CASCADE,
  to_number   INTEGER NOT NULL REFERENCES issues (number) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (from_number, to_number, kind)
) WITHOUT ROWID;
CREATE INDEX issue_links_to ON issue_links (to_number);

-- Delete forever drops an issue's undelivered outbox items.
CREATE INDEX outbox_by_issue ON outbox (issue_code) WHERE issue_code <> '';
)sql";

// Version 4: message templates customised per database.
constexpr const char *v4 = R"sql(
CREATE TABLE message_templates (
  name         TEXT PRIMARY KEY,
  title        TEXT NOT NULL,
  subject      TEXT NOT NULL,
  body_html    TEXT NOT NULL,
  body_text    TEXT NOT NULL,
  single_brace INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Version 5: each hold carries the numbers of its linked issues and of the
// open ones among them, so asking whether a payout may be made is one
// primary-key lookup (a payroll run asks it for every line). hold_issues stays
// the record of the links and the index from an issue to its holds; triggers
// on it keep the two lists, including when an issue's deletion cascades.
//
// COMPLAINTS_HOLD_LISTS rebuilds the lists of the holds its WHERE clause
// selects: ascending numbers (the scan follows hold_issues' primary key),
// newline-separated, '' for none.
#define COMPLAINTS_HOLD_LISTS                                                                          \
  "UPDATE holds SET (issues, blocking) = (SELECT coalesce(group_concat(l.number, char(10)), ''), "    \
  "coalesce(group_concat(CASE WHEN l.open THEN l.number END, char(10)), '') FROM hold_issues l "      \
  "WHERE l.record_kind = holds.record_kind AND l.record_id = holds.record_id AND l.fieldworker_id = " \
  "holds.fieldworker_id) "
#define COMPLAINTS_HOLD_OF(row) \
  "WHERE record_kind = " row ".record_kind AND record_id = " row ".record_id AND fieldworker_id = " row ".fieldworker_id"

constexpr const char *v5 =
    "ALTER TABLE holds ADD COLUMN issues TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE holds ADD COLUMN blocking TEXT NOT NULL DEFAULT '';\n"
    COMPLAINTS_HOLD_LISTS ";\n"
    "CREATE TRIGGER hold_issues_added AFTER INSERT ON hold_issues BEGIN\n  "
    COMPLAINTS_HOLD_LISTS COMPLAINTS_HOLD_OF("NEW") ";\nEND;\n"
    "CREATE TRIGGER hold_issues_removed AFTER DELETE ON hold_issues BEGIN\n  "
    COMPLAINTS_HOLD_LISTS COMPLAINTS_HOLD_OF("OLD") ";\nEND;\n"
    "CREATE TRIGGER hold_issues_reopened_or_closed AFTER UPDATE OF open ON hold_issues "
    "WHEN OLD.open IS NOT NEW.open BEGIN\n  "
    COMPLAINTS_HOLD_LISTS COMPLAINTS_HOLD_OF("NEW") ";\nEND;\n";

#undef COMPLAINTS_HOLD_OF
#undef COMPLAINTS_HOLD_LISTS

// Version 6: time (SPEC R8). Each issue carries its timers, SLA clocks and
// To Follow reminder; the due table lists every moment something falls due,
// by time, for Desk::process_due and next_due. Number 0 is desk-wide work.
// Its rows are kept by the engine beside the issue's own columns.
constexpr const char *v6 = R"sql(
ALTER TABLE issues ADD COLUMN timers TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN slas TEXT NOT NULL DEFAULT '';
ALTER TABLE issues ADD COLUMN reminder_at INTEGER;
CREATE INDEX issues_to_follow_by_reporter ON issues (reporter_id) WHERE to_follow = 1;

CREATE TABLE due (
  number INTEGER NOT NULL,
  kind   TEXT NOT NULL,
  name   TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  PRIMARY KEY (number, kind, name)
) WITHOUT ROWID;
CREATE INDEX due_by_time ON due (due_at);
)sql";

// Version 7: tasks (SPEC R8.4). Groups and their members are the host's;
// a task belongs to one issue and goes with it. The two partial indexes are
// the queues: a group's claimable tasks, and the tasks a person works. A
// task's SLA due items live in the due table under its issue's number.
constexpr const char *v7 = R"sql(
CREATE TABLE task_groups (
  id   TEXT PRIMARY KEY,
  name TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE task_group_members (
  group_id TEXT NOT NULL REFERENCES task_groups (id) ON DELETE CASCADE,
  user_id  TEXT NOT NULL,
  PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX task_group_members_by_user ON task_group_members (user_id);

CREATE TABLE tasks (
  id           INTEGER PRIMARY KEY,
  number       INTEGER NOT NULL REFERENCES issues (number) ON DELETE CASCADE,
  kind         TEXT NOT NULL,
  stage        TEXT NOT NULL,
  group_id     TEXT NOT NULL,
  assignee     TEXT NOT NULL,
  state        TEXT NOT NULL,
  mandatory    INTEGER NOT NULL,
  access       TEXT NOT NULL,
  instructions TEXT NOT NULL,
  created_by   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  done_at      INTEGER,
  done_by      TEXT NOT NULL,
  notes        TEXT NOT NULL,
  slas         TEXT NOT NULL,
  version      INTEGER NOT NULL
);
CREATE INDEX tasks_by_issue ON tasks (number);
CREATE INDEX tasks_claimable ON tasks (group_id, id) WHERE state = 'open' AND assignee = '';
CREATE INDEX tasks_by_assignee ON tasks (assignee, id) WHERE state = 'open' AND assignee <> '';
)sql";

// Version 8: case fields (docs/tasks.md), a JSON object of strings per issue.
constexpr const char *v8 = R"sql(
ALTER TABLE issues ADD COLUMN fields TEXT NOT NULL DEFAULT '{}';
)sql";

// Version 9: full-text search (docs/reporting.md, "Search"). Two FTS5 tables
// of the texts search reads: a customer's and everyone else's, so that no
// customer's match, rank or snippet depends on an internal word. Each row's
// rowid is its issue's number; the text is built as search::texts builds it.
constexpr const char *v9 = R"sql(
CREATE VIRTUAL TABLE search_customer USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE search_staff USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO search_staff (rowid, text)
SELECT i.number, i.description
  || coalesce((SELECT group_concat(char(10) || body, '') FROM
               (SELECT body FROM comments c WHERE c.number = i.number ORDER BY c.id)), '')
  || coalesce((SELECT group_concat(char(10) || name, '') FROM
               (SELECT name FROM attachments a WHERE a.number = i.number ORDER BY a.id)), '')
FROM issues i;
INSERT INTO search_customer (rowid, text)
SELECT i.number, i.description
  || coalesce((SELECT group_concat(char(10) || body, '') FROM
               (SELECT body FROM comments c WHERE c.number = i.number AND c.internal = 0 ORDER BY c.id)), '')
  || coalesce((SELECT group_concat(char(10) || name, '') FROM
               (SELECT name FROM attachments a WHERE a.number = i.number AND a.internal = 0 ORDER BY a.id)), '')
FROM issues i;
)sql";

// Version 10: first pages that cost the same whatever the history (docs/reporting.md,
// "Lists and paging"). A list reads issues by number and stops after its page,
// so each reader's scope and each common filter gets an index in number order
// (a secondary index ends with the rowid, the number): a workflow, a status, a
// record kind, the issues not closed. fieldworker_issues holds the issues each
// fieldworker may see (IssueQuery::visible_to_fieldworker: on a record
// assigned to them that is a booking or has visibility "all"); the triggers
// keep it as issues are reported or move record, and as records change their
// fieldworkers or visibility, and it goes with an issue's erasure. It and
// issue_fieldworkers (the responsible fieldworkers) mirror "the issue is not
// closed" in `open`, so a fieldworker's open issues have their own index too.
//
// COMPLAINTS_FIELDWORKER_ISSUES adds the rows of the issues its condition selects.
#define COMPLAINTS_FIELDWORKER_ISSUES(condition)                                        \
  "INSERT OR IGNORE INTO fieldworker_issues (fieldworker_id, number, open) "            \
  "SELECT rf.fieldworker_id, i.number, i.category <> 'closed' "                         \
  "FROM issues i JOIN records r ON r.kind = i.record_kind AND r.host_id = i.record_id " \
  "JOIN record_fieldworkers rf ON rf.kind = r.kind AND rf.host_id = r.host_id "         \
  "WHERE (r.kind = 'booking' OR r.visibility = 'all') AND " condition
#define COMPLAINTS_ISSUES_OF(row) \
  "SELECT number FROM issues WHERE record_kind = " row ".kind AND record_id = " row ".host_id"

constexpr const char *v10 =
    "CREATE TABLE fieldworker_issues (\n"
    "  fieldworker_id TEXT NOT NULL,\n"
    "  number         INTEGER NOT NULL REFERENCES issues (number) ON DELETE CASCADE,\n"
    "  open           INTEGER NOT NULL,\n"
    "  PRIMARY KEY (fieldworker_id, number)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX fieldworker_issues_by_number ON fieldworker_issues (number);\n"
    "CREATE INDEX fieldworker_issues_open ON fieldworker_issues (fieldworker_id, number) WHERE open = 1;\n"
    COMPLAINTS_FIELDWORKER_ISSUES("1") ";\n"
    "CREATE TRIGGER fieldworker_issues_reported AFTER INSERT ON issues BEGIN\n  "
    COMPLAINTS_FIELDWORKER_ISSUES("i.number = NEW.number") ";\nEND;\n"
    "CREATE TRIGGER fieldworker_issues_relinked AFTER UPDATE OF record_kind, record_id ON issues "
    "WHEN OLD.record_kind IS NOT NEW.record_kind OR OLD.record_id IS NOT NEW.record_id BEGIN\n"
    "  DELETE FROM fieldworker_issues WHERE number = NEW.number;\n  "
    COMPLAINTS_FIELDWORKER_ISSUES("i.number = NEW.number") ";\nEND;\n"
    "CREATE TRIGGER fieldworker_issues_assigned AFTER INSERT ON record_fieldworkers BEGIN\n  "
    COMPLAINTS_FIELDWORKER_ISSUES("r.kind = NEW.kind AND r.host_id = NEW.host_id AND rf.fieldworker_id = "
                                  "NEW.fieldworker_id") ";\nEND;\n"
    "CREATE TRIGGER fieldworker_issues_unassigned AFTER DELETE ON record_fieldworkers "
    "WHEN NOT EXISTS (SELECT 1 FROM record_fieldworkers WHERE kind = OLD.kind AND host_id = OLD.host_id AND "
    "fieldworker_id = OLD.fieldworker_id) BEGIN\n"
    "  DELETE FROM fieldworker_issues WHERE fieldworker_id = OLD.fieldworker_id AND number IN ("
    COMPLAINTS_ISSUES_OF("OLD") ");\nEND;\n"
    "CREATE TRIGGER fieldworker_issues_visibility AFTER UPDATE OF visibility ON records "
    "WHEN OLD.visibility IS NOT NEW.visibility BEGIN\n"
    "  DELETE FROM fieldworker_issues WHERE number IN (" COMPLAINTS_ISSUES_OF("NEW") ");\n  "
    COMPLAINTS_FIELDWORKER_ISSUES("r.kind = NEW.kind AND r.host_id = NEW.host_id") ";\nEND;\n"
    "ALTER TABLE issue_fieldworkers ADD COLUMN open INTEGER NOT NULL DEFAULT 1;\n"
    "UPDATE issue_fieldworkers SET open = 0 WHERE number IN (SELECT number FROM issues WHERE category = 'closed');\n"
    "CREATE INDEX issue_fieldworkers_open ON issue_fieldworkers (fieldworker_id, number) WHERE open = 1;\n"
    "CREATE TRIGGER fieldworker_issues_closed_or_reopened AFTER UPDATE OF category ON issues "
    "WHEN (OLD.category = 'closed') IS NOT (NEW.category = 'closed') BEGIN\n"
    "  UPDATE fieldworker_issues SET open = NEW.category <> 'closed' WHERE number = NEW.number;\n"
    "  UPDATE issue_fieldworkers SET open = NEW.category <> 'closed' WHERE number = NEW.number;\nEND;\n"
    "CREATE INDEX issues_by_workflow ON issues (workflow);\n"
    "CREATE INDEX issues_by_status ON issues (status);\n"
    "CREATE INDEX issues_by_record_kind ON issues (record_kind);\n"
    "CREATE INDEX issues_not_closed ON issues (number) WHERE category <> 'closed';\n";

#undef COMPLAINTS_ISSUES_OF
#undef COMPLAINTS_FIELDWORKER_ISSUES

// Version 11: status periods and issues by creation (dashboards,
// docs/reporting.md). Issues older than this version get one open period:
// their current status since their last change.
constexpr const char *v11 = R"sql(
CREATE TABLE status_periods (
  number    INTEGER NOT NULL REFERENCES issues (number) ON DELETE CASCADE,
  seq       INTEGER NOT NULL,
  status    TEXT NOT NULL,
  category  TEXT NOT NULL,
  stage     TEXT NOT NULL,
  since     INTEGER NOT NULL,
  until     INTEGER,
  PRIMARY KEY (number, seq)
) WITHOUT ROWID;
INSERT INTO status_periods (number, seq, status, category, stage, since, until)
SELECT number, 1, status, category, stage, updated_at, NULL FROM issues;
CREATE INDEX issues_by_created ON issues (created_at);
)sql";

// Version 12: who reads an issue is decided above storage (the access module)
// and written with put_readers; the triggers that worked it out from records
// (bookings, visibility "all") go. The rows they kept stay as they are. The
// trigger that mirrors "not closed" in `open` stays: it is the lists' index.
constexpr const char *v12 = R"sql(
DROP TRIGGER fieldworker_issues_reported;
DROP TRIGGER fieldworker_issues_relinked;
DROP TRIGGER fieldworker_issues_assigned;
DROP TRIGGER fieldworker_issues_unassigned;
DROP TRIGGER fieldworker_issues_visibility;
)sql";

constexpr const char *all[] = {v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12};

}  // namespace

std::span<const char *const> migrations() noexcept { return all; }

}  // namespace complaints::sqlite_schema
