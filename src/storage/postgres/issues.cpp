// The PostgreSQL backend: settings, workflows, issue types, records and issues.
#include <algorithm>

#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "storage/codec.hpp"
#include "storage/postgres/rows.hpp"
#include "storage/postgres/transaction.hpp"
#include "storage/shared_sql.hpp"

namespace complaints::postgres {

namespace {

std::optional<Date> date_column(const pqxx::field &f) {
  if (f.is_null()) return std::nullopt;
  try {
    return Date::parse(text(f), "stored date");
  } catch (const InvalidInput &e) {
    throw StorageError(std::string("corrupt stored date: ") + e.what());
  }
}

Param date_param(const std::optional<Date> &d) { return d ? Param(d->to_string()) : Param(std::nullopt); }

Record read_record(const pqxx::row &r, const RecordRef &ref) {
  Record out;
  out.ref = ref;
  out.customer_id = text(r[0]);
  out.visibility = codec::decode_enum(record_visibility_from_string(view(r[1])), "records.visibility", view(r[1]));
  out.paid_out = integer(r[2]) != 0;
  out.invoice_id = text(r[3]);
  out.fieldworkers = split_lines(view(r[4]));
  return out;
}

// The issues columns in the order of issue_columns, for INSERT.
Params issue_params(const IssueRow &row) {
  const Issue &i = row.issue;
  return {i.number,
          to_string(i.record.kind),
          i.record.id,
          i.customer_id,
          i.type,
          i.description,
          i.to_follow ? 1 : 0,
          date_param(i.deferred_date),
          date_param(i.follow_up_date),
          i.workflow,
          i.status,
          to_string(i.category),
          i.stage,
          i.reporter_id,
          to_string(i.reporter_role),
          to_string(i.channel),
          to_millis(i.created_at),
          to_millis(i.updated_at),
          i.version,
          row.timeline_seq,
          row.timeline_hash,
          join_lines(i.fieldworkers),
          i.assignee,
          codec::encode_timers(i.timers),
          codec::encode_clocks(i.slas),
          i.reminder_at ? Param(to_millis(*i.reminder_at)) : Param(std::nullopt),
          codec::encode_fields(i.fields)};
}

// The WHERE clause of an issue query and its parameters ($1, $2, ...).
class IssueWhere {
 public:
  explicit IssueWhere(const IssueQuery &q) {
    const IssueFilter &f = q.filter;
    if (q.scope.reader)
      where("EXISTS (SELECT 1 FROM issue_readers x WHERE x.reader = " + p(*q.scope.reader) +
            " AND x.number = i.number)");
    if (q.scope.customer) where("i.customer_id = " + p(*q.scope.customer));
    if (f.record) where("i.record_kind = " + p(to_string(f.record->kind)) + " AND i.record_id = " + p(f.record->id));
    if (f.record_kind) where("i.record_kind = " + p(to_string(*f.record_kind)));
    if (f.workflow) where("i.workflow = " + p(*f.workflow));
    if (f.status) where("i.status = " + p(*f.status));
    if (!f.categories.empty()) {
      std::string in;
      for (auto c : f.categories) in += (in.empty() ? "" : ", ") + p(to_string(c));
      where("i.category IN (" + in + ")");
    }
    if (f.stage) where("i.stage = " + p(*f.stage));
    if (f.type) where("i.type = " + p(*f.type));
    if (f.fieldworker) where(p(*f.fieldworker) + " = ANY (string_to_array(i.fieldworkers, E'\\n'))");
    if (f.customer_id) where("i.customer_id = " + p(*f.customer_id));
    if (f.assignee) where("i.assignee = " + p(*f.assignee));
    if (f.owner) {
      std::string o = p(*f.owner);
      where("(i.reporter_id = " + o + " OR i.assignee = " + o + ")");
    }
    if (f.to_follow) where("i.to_follow = " + p(*f.to_follow ? 1 : 0));
    if (f.created_from) where("i.created_at >= " + p(to_millis(*f.created_from)));
    if (f.created_to) where("i.created_at < " + p(to_millis(*f.created_to)));
    for (const auto &[name, value] : f.fields)
      where("coalesce(i.fields ->> " + p(name) + ", '') = " + p(value));
  }

  std::string p(Param v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  }
  void where(const std::string &condition) { clause += (clause.empty() ? " WHERE " : " AND ") + condition; }

  std::string clause;
  Params params;
};

}  // namespace

IssueRow read_issue(const pqxx::row &r, int first) {
  IssueRow row;
  Issue &i = row.issue;
  auto c = [&](int k) { return r[first + k]; };
  i.number = integer(c(0));
  i.code = format_issue_code(i.number);
  i.record.kind = codec::decode_enum(record_kind_from_string(view(c(1))), "issues.record_kind", view(c(1)));
  i.record.id = text(c(2));
  i.customer_id = text(c(3));
  i.type = text(c(4));
  i.description = text(c(5));
  i.to_follow = integer(c(6)) != 0;
  i.deferred_date = date_column(c(7));
  i.follow_up_date = date_column(c(8));
  i.workflow = text(c(9));
  i.status = text(c(10));
  i.category = codec::decode_enum(status_category_from_string(view(c(11))), "issues.category", view(c(11)));
  i.stage = text(c(12));
  i.reporter_id = text(c(13));
  i.reporter_role = codec::decode_enum(role_from_string(view(c(14))), "issues.reporter_role", view(c(14)));
  i.channel = codec::decode_enum(channel_from_string(view(c(15))), "issues.channel", view(c(15)));
  i.created_at = from_millis(integer(c(16)));
  i.updated_at = from_millis(integer(c(17)));
  i.version = integer(c(18));
  row.timeline_seq = integer(c(19));
  row.timeline_hash = text(c(20));
  i.fieldworkers = split_lines(view(c(21)));
  i.assignee = text(c(22));
  i.timers = codec::decode_timers(view(c(23)));
  i.slas = codec::decode_clocks(view(c(24)));
  if (!c(25).is_null()) i.reminder_at = from_millis(integer(c(25)));
  i.fields = codec::decode_fields(view(c(26)));
  return row;
}

std::optional<std::string> PgTransaction::setting(std::string_view key) {
  auto r = exec("read setting", shared_sql::setting, {key});
  if (r.empty()) return std::nullopt;
  return text(r[0][0]);
}

void PgTransaction::put_setting(std::string_view key, std::string_view value) {
  write();
  exec("write setting",
       shared_sql::put_setting,
       {key, value});
}

std::optional<StoredWorkflow> PgTransaction::workflow(std::string_view name) {
  auto r = exec("read workflow", "SELECT name, json, revision FROM workflows WHERE name = $1", {name});
  if (r.empty()) return std::nullopt;
  return StoredWorkflow{text(r[0][0]), text(r[0][1]), integer(r[0][2])};
}

std::vector<std::string> PgTransaction::workflow_names() {
  std::vector<std::string> out;
  for (const auto &row : exec("list workflows", shared_sql::workflow_names)) out.push_back(text(row[0]));
  return out;
}

void PgTransaction::put_workflow(const StoredWorkflow &wf) {
  write();
  exec("write workflow",
       "INSERT INTO workflows (name, json, revision) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET "
       "json = excluded.json, revision = excluded.revision",
       {wf.name, wf.json, wf.revision});
}

std::vector<std::pair<std::string, std::int64_t>> PgTransaction::status_counts(std::string_view workflow) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto &row : exec("count statuses",
                              shared_sql::status_counts,
                              {workflow}))
    out.emplace_back(text(row[0]), integer(row[1]));
  return out;
}

std::vector<IssueType> PgTransaction::issue_types() {
  std::vector<IssueType> out;
  for (const auto &row : exec("list issue types", "SELECT name, colour FROM issue_types ORDER BY pos"))
    out.push_back(IssueType{text(row[0]), text(row[1])});
  return out;
}

void PgTransaction::put_issue_type(const IssueType &type) {
  write();
  exec("write issue type",
       shared_sql::put_issue_type,
       {type.name, type.colour});
}

std::optional<Record> PgTransaction::record(const RecordRef &ref) {
  auto r = exec("read record",
                "SELECT customer_id, visibility, paid_out, invoice_id, fieldworkers FROM records WHERE kind = $1 AND "
                "host_id = $2",
                {to_string(ref.kind), ref.id});
  if (r.empty()) return std::nullopt;
  return read_record(r[0], ref);
}

void PgTransaction::put_record(const Record &r) {
  write();
  exec("write record",
       "INSERT INTO records (kind, host_id, customer_id, visibility, paid_out, invoice_id, fieldworkers) VALUES ($1, "
       "$2, $3, $4, $5, $6, $7) ON CONFLICT (kind, host_id) DO UPDATE SET customer_id = excluded.customer_id, "
       "visibility = excluded.visibility, paid_out = excluded.paid_out, invoice_id = excluded.invoice_id, "
       "fieldworkers = excluded.fieldworkers",
       {to_string(r.ref.kind), r.ref.id, r.customer_id, to_string(r.visibility), r.paid_out ? 1 : 0, r.invoice_id,
        join_lines(r.fieldworkers)});
}

void PgTransaction::put_readers(std::int64_t number, std::span<const std::string> readers) {
  write();
  if (first_write(number, readers_written)) {
    // The issue is this transaction's own: no rows to clear, no need to look it up.
    if (!readers.empty())
      exec("write issue readers",
           "INSERT INTO issue_readers (reader, number) SELECT DISTINCT f, $1::bigint FROM "
           "unnest(string_to_array($2, E'\\n')) f ON CONFLICT DO NOTHING",
           {number, join_lines({readers.begin(), readers.end()})});
    return;
  }
  exec("write issue readers", "DELETE FROM issue_readers WHERE number = $1", {number});
  if (readers.empty()) return;
  auto r = exec("write issue readers",
                "INSERT INTO issue_readers (reader, number) SELECT DISTINCT f, i.number FROM issues i, "
                "unnest(string_to_array($2, E'\\n')) f WHERE i.number = $1 ON CONFLICT DO NOTHING RETURNING 1",
                {number, join_lines({readers.begin(), readers.end()})});
  if (r.empty() && !issue(number)) throw StorageError(fmt::format("put readers: no issue {}", number));
}

bool PgTransaction::first_write(std::int64_t number, Fresh part) {
  auto it = fresh_.find(number);
  if (it == fresh_.end() || (it->second & part) != 0) return false;
  it->second |= part;
  return true;
}

std::int64_t PgTransaction::allocate_issue_number() {
  return next_in_sequence("allocate an issue number", "issue_numbers");
}

std::optional<IssueRow> PgTransaction::issue(std::int64_t number) {
  static const std::string sql = fmt::format("SELECT {} FROM issues i WHERE i.number = $1", issue_columns);
  auto r = exec("read issue", sql, {number});
  if (r.empty()) return std::nullopt;
  return read_issue(r[0], 0);
}

std::optional<std::pair<IssueRow, Record>> PgTransaction::issue_with_record(std::int64_t number) {
  static const std::string sql = fmt::format(
      "SELECT {}, r.customer_id, r.visibility, r.paid_out, r.invoice_id, r.fieldworkers, r.kind FROM issues i "
      "LEFT JOIN records r ON r.kind = i.record_kind AND r.host_id = i.record_id WHERE i.number = $1",
      issue_columns);
  auto r = exec("read issue", sql, {number});
  if (r.empty()) return std::nullopt;
  IssueRow row = read_issue(r[0], 0);
  if (r[0][32].is_null())
    throw StorageError(fmt::format("issue {} names record {}, which is missing", row.issue.code,
                                   row.issue.record.to_string()));
  pqxx::row rest = r[0];
  Record rec;
  rec.ref = row.issue.record;
  rec.customer_id = text(rest[27]);
  rec.visibility =
      codec::decode_enum(record_visibility_from_string(view(rest[28])), "records.visibility", view(rest[28]));
  rec.paid_out = integer(rest[29]) != 0;
  rec.invoice_id = text(rest[30]);
  rec.fieldworkers = split_lines(view(rest[31]));
  return std::pair{std::move(row), std::move(rec)};
}

// A sequence, not a counter row: concurrent allocators neither wait for
// each other nor conflict (a counter row updated by every report made
// concurrent reports queue on its lock and abort each other under
// SERIALIZABLE). nextval is outside every transaction, so a number taken by a
// transaction that rolls back is not handed out again: a gap (storage.hpp
// allows it).
std::int64_t PgTransaction::next_in_sequence(const char *what, const char *sequence) {
  write();
  return integer(exec(what, fmt::format("SELECT nextval('{}')", sequence))[0][0]);
}

void PgTransaction::insert_issue(const IssueRow &row) {
  write();
  // ON CONFLICT: a duplicate is reported without aborting the transaction.
  static const std::string sql = fmt::format(
      "INSERT INTO issues ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
      "$18, $19, $20, $21, $22, $23, $24, $25, $26, $27) ON CONFLICT DO NOTHING",
      issue_column_names);
  if (exec("insert issue", sql, issue_params(row)).affected_rows() == 0)
    throw StorageError(fmt::format("insert issue: number {} exists", row.issue.number));
  fresh_.emplace(row.issue.number, 0u);
}

bool PgTransaction::update_issue(const IssueRow &before, const IssueRow &after) {
  write();
  if (after.issue.number != before.issue.number) throw StorageError("update issue: the number cannot change");
  static const std::string sql = fmt::format(
      "UPDATE issues SET ({}) = ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
      "$19, $20, $21, $22, $23, $24, $25, $26, $27) WHERE number = $1 AND version = $28",
      issue_column_names);
  Params params = issue_params(after);
  params.emplace_back(before.issue.version);
  return exec("update issue", sql, params).affected_rows() != 0;
}

std::vector<Issue> PgTransaction::find_issues(const IssueQuery &q) {
  IssueWhere w(q);
  if (q.filter.after_number > 0) w.where("i.number > " + w.p(q.filter.after_number));
  std::string sql = fmt::format("SELECT {} FROM issues i{} ORDER BY i.number LIMIT {}", issue_columns, w.clause,
                                w.p(q.filter.limit));
  std::vector<Issue> out;
  for (const auto &row : exec("find issues", sql, w.params)) out.push_back(read_issue(row, 0).issue);
  return out;
}

std::vector<std::int64_t> PgTransaction::issues_of_record(const RecordRef &ref) {
  std::vector<std::int64_t> out;
  for (const auto &row : exec("list issues of record",
                              shared_sql::issues_of_record,
                              {to_string(ref.kind), ref.id}))
    out.push_back(integer(row[0]));
  return out;
}

std::int64_t PgTransaction::count_issues(const IssueQuery &q) {
  IssueWhere w(q);
  return integer(exec("count issues", "SELECT count(*) FROM issues i" + w.clause, w.params)[0][0]);
}

std::vector<std::string> PgTransaction::fieldworkers_of_issues(std::span<const StatusCategory> categories) {
  if (categories.empty()) return {};
  Params params;
  std::string in;
  for (auto c : categories) {
    params.emplace_back(to_string(c));
    in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
  }
  std::vector<std::string> out;
  for (const auto &row : exec("list fieldworkers of issues",
                              "SELECT DISTINCT f FROM issues i, unnest(string_to_array(i.fieldworkers, E'\\n')) f "
                              "WHERE i.category IN (" + in + ") ORDER BY f",
                              params))
    out.push_back(text(row[0]));
  return out;
}

}  // namespace complaints::postgres
