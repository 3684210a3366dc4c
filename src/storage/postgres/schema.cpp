// The PostgreSQL backend's tables and their forward migrations.
//
// Text columns use the "C" collation, so every ORDER BY sorts bytes as the
// other backends do whatever the database's locale. Times are milliseconds
// since the epoch (bigint), as on SQLite; flags are smallint 0/1.
#include "storage/postgres/schema.hpp"

#include <fmt/format.h>

namespace complaints::postgres {

namespace {

// Step 1: the whole schema of version 1.
std::string step1() {
  return fmt::format(
      R"(CREATE TABLE settings (key {t} PRIMARY KEY, value {t});
CREATE TABLE workflows (name {t} PRIMARY KEY, json {t}, revision bigint NOT NULL);
CREATE TABLE issue_types (pos bigserial PRIMARY KEY, name {t} UNIQUE, colour {t});
CREATE TABLE records (kind {t}, host_id {t}, customer_id {t}, visibility {t}, paid_out smallint NOT NULL,
  invoice_id {t}, fieldworkers {t}, PRIMARY KEY (kind, host_id));
CREATE TABLE counters (name {t} PRIMARY KEY, value bigint NOT NULL);
INSERT INTO counters (name, value) VALUES ('issue_number', 0), ('task_id', 0);
CREATE TABLE issues (number bigint PRIMARY KEY, record_kind {t}, record_id {t}, customer_id {t}, type {t},
  description {t}, to_follow smallint NOT NULL, deferred_date {n}, follow_up_date {n}, workflow {t}, status {t},
  category {t}, stage {t}, reporter_id {t}, reporter_role {t}, channel {t}, created_at bigint NOT NULL,
  updated_at bigint NOT NULL, version bigint NOT NULL, timeline_seq bigint NOT NULL, timeline_hash {t},
  fieldworkers {t}, assignee {t}, timers {t}, slas {t}, reminder_at bigint, fields jsonb NOT NULL);
CREATE INDEX issues_by_record ON issues (record_kind, record_id);
CREATE INDEX issues_by_customer ON issues (customer_id, number);
CREATE INDEX issues_by_workflow ON issues (workflow, status);
CREATE TABLE issue_readers (reader {t}, number bigint NOT NULL REFERENCES issues ON DELETE CASCADE,
  PRIMARY KEY (reader, number));
CREATE INDEX issue_readers_by_number ON issue_readers (number);
CREATE TABLE timeline (number bigint NOT NULL, seq bigint NOT NULL, at bigint NOT NULL, actor_id {t},
  actor_role {t}, kind {t}, action {t}, changes {t}, note {t}, internal smallint NOT NULL, prev_hash {t}, hash {t},
  PRIMARY KEY (number, seq));
CREATE TABLE due (number bigint NOT NULL, kind {t}, name {t}, due_at bigint NOT NULL,
  PRIMARY KEY (number, kind, name));
CREATE INDEX due_by_time ON due (due_at, number, kind, name);
CREATE TABLE status_periods (number bigint NOT NULL, since bigint NOT NULL, seq bigserial, status {t},
  category {t}, stage {t}, until bigint, PRIMARY KEY (number, seq));
CREATE TABLE groups (id {t} PRIMARY KEY, name {t}, members {t});
CREATE TABLE tasks (id bigint PRIMARY KEY, number bigint NOT NULL REFERENCES issues, kind {t}, stage {t},
  group_id {t}, assignee {t}, state {t}, mandatory smallint NOT NULL, access {t}, instructions {t},
  created_by {t}, created_at bigint NOT NULL, updated_at bigint NOT NULL, done_at bigint, done_by {t},
  notes {t}, slas {t}, version bigint NOT NULL);
CREATE INDEX tasks_by_issue ON tasks (number, id);
CREATE INDEX tasks_open ON tasks (state, id);
CREATE TABLE outbox (id bigserial PRIMARY KEY, idempotency_key {t} UNIQUE, kind {t}, event {t}, issue_code {t},
  recipient {t}, channel {t}, subject {t}, body_text {t}, body_html {t}, created_at bigint NOT NULL);
CREATE INDEX outbox_by_issue ON outbox (issue_code);
CREATE TABLE holds (record_kind {t}, record_id {t}, fieldworker_id {t}, state {t}, amount_minor bigint,
  currency {n}, scope {t}, since bigint NOT NULL, released_at bigint,
  PRIMARY KEY (record_kind, record_id, fieldworker_id));
CREATE TABLE hold_issues (record_kind {t}, record_id {t}, fieldworker_id {t}, number bigint NOT NULL,
  blocking smallint NOT NULL, PRIMARY KEY (record_kind, record_id, fieldworker_id, number),
  FOREIGN KEY (record_kind, record_id, fieldworker_id) REFERENCES holds);
CREATE INDEX hold_issues_by_number ON hold_issues (number);
CREATE TABLE hold_ledger (id bigserial PRIMARY KEY, record_kind {t}, record_id {t}, fieldworker_id {t},
  action {t}, at bigint NOT NULL, actor_id {t}, actor_role {t}, reason {t}, issues {t}, amount_minor bigint,
  currency {n}, override smallint NOT NULL);
CREATE INDEX hold_ledger_by_time ON hold_ledger (at, id);
CREATE TABLE users (id {t} PRIMARY KEY, role {t}, name {t}, scope {t}, push smallint NOT NULL,
  sms smallint NOT NULL, email smallint NOT NULL);
CREATE TABLE comments (id bigserial PRIMARY KEY, number bigint NOT NULL, author_id {t}, author_role {t},
  internal smallint NOT NULL, reply_to bigint, mentions {t}, created_at bigint NOT NULL, body {t});
CREATE INDEX comments_by_issue ON comments (number, id);
CREATE TABLE attachments (id bigserial PRIMARY KEY, number bigint NOT NULL, comment_id bigint, name {t},
  media_type {t}, size bigint NOT NULL, sha256 {t}, storage_key {t}, internal smallint NOT NULL,
  uploaded_by {t}, created_at bigint NOT NULL, bytes bytea NOT NULL);
CREATE INDEX attachments_by_issue ON attachments (number, id);
CREATE TABLE watchers (number bigint NOT NULL, user_id {t}, PRIMARY KEY (number, user_id));
CREATE TABLE links (from_number bigint NOT NULL, to_number bigint NOT NULL, kind {t}, created_by {t},
  created_at bigint NOT NULL, PRIMARY KEY (from_number, to_number, kind));
CREATE INDEX links_to ON links (to_number);
CREATE TABLE templates (name {t} PRIMARY KEY, title {t}, single_brace smallint NOT NULL, subject {t},
  body_html {t}, body_text {t});
CREATE TABLE search_texts (number bigint NOT NULL, audience smallint NOT NULL, text {t}, words bigint NOT NULL,
  PRIMARY KEY (number, audience));
CREATE TABLE search_words (audience smallint NOT NULL, word {t}, number bigint NOT NULL,
  PRIMARY KEY (audience, word, number));
CREATE INDEX search_words_by_number ON search_words (number);
)",
      fmt::arg("t", "text COLLATE \"C\" NOT NULL"), fmt::arg("n", "text COLLATE \"C\""));
}

// Step 2: issue numbers and task ids from sequences, continuing where the
// counter rows of version 1 stopped: concurrent reporters no longer queue on
// (and abort each other over) one row. And issue_readers loses its foreign
// key: its check read the issues index's last page under SERIALIZABLE, where
// every concurrent report inserts its new issue, so concurrent reports
// aborted each other (put_readers checks the issue itself; erase_issue
// deletes the readers).
std::string step2() {
  return R"(CREATE SEQUENCE issue_numbers AS bigint MINVALUE 1;
ALTER TABLE issue_readers DROP CONSTRAINT issue_readers_number_fkey;
CREATE SEQUENCE task_ids AS bigint MINVALUE 1;
SELECT setval('issue_numbers', value) FROM counters WHERE name = 'issue_number' AND value > 0;
SELECT setval('task_ids', value) FROM counters WHERE name = 'task_id' AND value > 0;
DROP TABLE counters;
)";
}

// Step 3: ANALYZE never samples the text a host wrote. It copies sample
// values of each column into pg_statistic, where erasing an issue cannot
// reach them (only a superuser may rewrite that catalog); with a statistics
// target of 0 it skips the column. None of them is filtered by but the
// search words, whose lookups are by index anyway.
std::string step3() {
  static constexpr const char *columns[][2] = {
      {"issues", "description"}, {"issues", "fields"},      {"timeline", "changes"},  {"timeline", "note"},
      {"comments", "body"},      {"comments", "mentions"},  {"attachments", "name"},  {"attachments", "storage_key"},
      {"attachments", "bytes"},  {"tasks", "instructions"}, {"tasks", "notes"},       {"outbox", "subject"},
      {"outbox", "body_text"},   {"outbox", "body_html"},   {"search_texts", "text"}, {"search_words", "word"}};
  std::string sql;
  for (const auto &c : columns) sql += fmt::format("ALTER TABLE {} ALTER COLUMN {} SET STATISTICS 0;\n", c[0], c[1]);
  return sql;
}

}  // namespace

std::vector<std::string> migration_steps() { return {step1(), step2(), step3()}; }

const std::vector<const char *> &erased_tables() {
  static const std::vector<const char *> tables = {"issues",         "issue_readers", "timeline",    "due",
                                                   "status_periods", "tasks",         "outbox",      "hold_issues",
                                                   "hold_ledger",    "comments",      "attachments", "watchers",
                                                   "links",          "search_texts",  "search_words"};
  return tables;
}

}  // namespace complaints::postgres

namespace complaints {

int postgres_schema_version() noexcept { return 3; }

}  // namespace complaints
