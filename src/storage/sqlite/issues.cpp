// The SQLite backend's records, issues (read, written, listed and counted)
// and their histories: timelines and status periods.
#include <algorithm>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "storage/codec.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/transaction.hpp"
#include "storage/shared_sql.hpp"

namespace complaints::sqlite_backend {

namespace {

// Builds "SELECT issue columns FROM ... WHERE ... ORDER BY number" for the
// reader's scope and a host's criteria, and runs it. A page must cost the same
// however long the history (docs/reporting.md, "Lists and paging"): its rows
// come in number order from an index that holds only the issues in question,
// so LIMIT stops after the page and nothing is sorted. SQLite keeps no
// statistics to know which index holds few issues, so the query names it,
// the first that applies: a record's (issues_by_record), a fieldworker's
// (fieldworker_issues, or only its open issues), a customer's
// (issues_by_customer), a responsible fieldworker's (issue_fieldworkers, or
// its open issues). Other lists are left to SQLite, whose indexes on the
// other criteria all keep number order.
class IssueSql : public Conditions {
 public:
  /// `filter`: its record, customer and responsible fieldworker criteria,
  /// which may choose the index, and whether its categories leave out
  /// closed; the caller adds every other criterion (categories too).
  IssueSql(const ReadScope &scope, const IssueFilter &filter = {}) {
    const std::optional<std::string> &fieldworker = scope.reader;
    const std::optional<std::string> &customer = scope.customer;
    enum class By : std::uint8_t { record, fieldworker, customer, responsible, any };
    By by = filter.record                    ? By::record
            : fieldworker                    ? By::fieldworker
            : customer || filter.customer_id ? By::customer
            : filter.fieldworker             ? By::responsible
                                             : By::any;
    sql_ = fmt::format("SELECT {} FROM ", issue_columns);
    // Only issues not closed: the fieldworker tables' "open" rows have an index of their own.
    bool open = !filter.categories.empty() && std::find(filter.categories.begin(), filter.categories.end(),
                                                        StatusCategory::closed) == filter.categories.end();
    switch (by) {
      case By::record: sql_ += "issues i INDEXED BY issues_by_record"; break;
      case By::customer: sql_ += "issues i INDEXED BY issues_by_customer"; break;
      case By::fieldworker:
        sql_ += open ? "fieldworker_issues s INDEXED BY fieldworker_issues_open" : "fieldworker_issues s";
        break;
      case By::responsible:
        sql_ += open ? "issue_fieldworkers s INDEXED BY issue_fieldworkers_open" : "issue_fieldworkers s";
        break;
      case By::any: sql_ += "issues i"; break;
    }
    if (by == By::fieldworker || by == By::responsible) {
      sql_ += " JOIN issues i ON i.number = s.number";
      number_ = "s.number";  // ordered by s's key: "i.number" would be sorted again
      if (open) where("s.open = 1");
    }
    // Implied by the categories, but SQLite needs it spelled so to read issues_not_closed.
    if (open) where("i.category <> 'closed'");
    if (filter.record) {
      where("i.record_kind = " + text(to_string(filter.record->kind)));
      where("i.record_id = " + text(filter.record->id));
    }
    if (fieldworker) among(by == By::fieldworker, "fieldworker_issues", *fieldworker);
    if (customer) where("i.customer_id = " + text(*customer));
    if (filter.customer_id) where("i.customer_id = " + text(*filter.customer_id));
    if (filter.fieldworker) among(by == By::responsible, "issue_fieldworkers", *filter.fieldworker);
  }

  /// The issue number column of the driving index, for keyset conditions.
  const std::string &number() const { return number_; }

  std::int64_t count(StatementCache &stmts) {
    std::string sql = "SELECT count(*) FROM (" + sql_ + clause() + ")";
    Use s(stmts.get(sql));
    bind(*s);
    return s->executeStep() ? s->getColumn(0).getInt64() : 0;
  }

  std::vector<Issue> run(StatementCache &stmts, std::int64_t limit) {
    std::string sql = sql_ + clause();
    sql += " ORDER BY " + number_ + " LIMIT " + integer(limit);
    Use s(stmts.get(sql));
    bind(*s);
    std::vector<Issue> out;
    while (s->executeStep()) out.push_back(read_issue(*s).issue);
    return out;
  }

 private:
  // Only issues with a row for fieldworker `id` in `table`: the driving
  // table's key, or a lookup in it.
  void among(bool drives, const char *table, const std::string &id) {
    if (drives)
      where("s.fieldworker_id = " + text(id));
    else
      where(fmt::format("EXISTS (SELECT 1 FROM {} f WHERE f.fieldworker_id = {} AND f.number = i.number)", table,
                        text(id)));
  }

  std::string sql_;
  std::string number_ = "i.number";
};

// The host's criteria and the reader's scope of an issue query, without paging.
IssueSql issue_sql(const IssueQuery &q) {
  const IssueFilter &f = q.filter;
  IssueSql sql(q.scope, f);
  if (f.record_kind) sql.where("i.record_kind = " + sql.text(to_string(*f.record_kind)));
  if (f.workflow) sql.where("i.workflow = " + sql.text(*f.workflow));
  if (f.status) sql.where("i.status = " + sql.text(*f.status));
  if (!f.categories.empty()) {
    std::string in;
    for (auto c : f.categories) in += (in.empty() ? "" : ", ") + sql.text(to_string(c));
    sql.where("i.category IN (" + in + ")");
  }
  if (f.stage) sql.where("i.stage = " + sql.text(*f.stage));
  if (f.type) sql.where("i.type = " + sql.text(*f.type));
  if (f.assignee) {
    sql.where("i.assignee = " + sql.text(*f.assignee));
    sql.where("i.assignee <> ''");  // implied (an id is never empty); SQLite needs it to read issues_by_assignee
  }
  if (f.owner) {
    std::string who = sql.text(*f.owner);
    sql.where("(i.reporter_id = " + who + " OR i.assignee = " + who + ")");
  }
  if (f.to_follow) sql.where("i.to_follow = " + sql.integer(*f.to_follow ? 1 : 0));
  if (f.created_from) sql.where("i.created_at >= " + sql.integer(to_millis(*f.created_from)));
  if (f.created_to) sql.where("i.created_at < " + sql.integer(to_millis(*f.created_to)));
  // Case field names are lower-case letters, digits and '_' (the Desk checks): a plain JSON path.
  for (const auto &[name, value] : f.fields)
    sql.where("coalesce(json_extract(i.fields, " + sql.text("$." + name) + "), '') = " + sql.text(value));
  return sql;
}

}  // namespace

std::optional<Record> SqliteTransaction::record(const RecordRef &ref) {
  return guarded("read record", [&]() -> std::optional<Record> {
    // One statement: the record, then its fieldworkers in order (none: one row with NULL).
    Use s(stmts_.get("SELECT r.customer_id, r.visibility, r.paid_out, r.invoice_id, f.fieldworker_id FROM records r "
                     "LEFT JOIN record_fieldworkers f ON f.kind = r.kind AND f.host_id = r.host_id "
                     "WHERE r.kind = ?1 AND r.host_id = ?2 ORDER BY f.position"));
    s->bindNoCopy(1, to_string(ref.kind));
    s->bindNoCopy(2, ref.id);
    if (!s->executeStep()) return std::nullopt;
    return read_record(*s, 0, ref);
  });
}

std::optional<std::pair<IssueRow, Record>> SqliteTransaction::issue_with_record(std::int64_t number) {
  return guarded("read issue", [&]() -> std::optional<std::pair<IssueRow, Record>> {
    // One statement: the issue and its record on each row, then the
    // record's fieldworkers in order (none: one row with NULL).
    static const std::string sql = fmt::format(
        "SELECT {}, r.customer_id, r.visibility, r.paid_out, r.invoice_id, f.fieldworker_id, r.kind FROM issues i "
        "LEFT JOIN records r ON r.kind = i.record_kind AND r.host_id = i.record_id "
        "LEFT JOIN record_fieldworkers f ON f.kind = r.kind AND f.host_id = r.host_id "
        "WHERE i.number = ? ORDER BY f.position",
        issue_columns);
    Use s(stmts_.get(sql.c_str()));
    s->bind(1, number);
    if (!s->executeStep()) return std::nullopt;
    IssueRow row = read_issue(*s);
    if (is_null(*s, issue_column_count + 5))
      throw StorageError(fmt::format("issue {} names record {}, which is missing", row.issue.code,
                                     row.issue.record.to_string()));
    Record record = read_record(*s, issue_column_count, row.issue.record);
    return std::pair{std::move(row), std::move(record)};
  });
}

void SqliteTransaction::put_record(const Record &r) {
  guarded("write record", [&] {
    {
      Use s(stmts_.get("INSERT INTO records (kind, host_id, customer_id, visibility, paid_out, invoice_id) "
                       "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, host_id) DO UPDATE SET "
                       "customer_id = excluded.customer_id, visibility = excluded.visibility, "
                       "paid_out = excluded.paid_out, invoice_id = excluded.invoice_id"));
      s->bind(1, to_string(r.ref.kind));
      s->bind(2, r.ref.id);
      s->bind(3, r.customer_id);
      s->bind(4, to_string(r.visibility));
      s->bind(5, r.paid_out ? 1 : 0);
      s->bind(6, r.invoice_id);
      s->exec();
    }
    {
      Use s(stmts_.get("DELETE FROM record_fieldworkers WHERE kind = ? AND host_id = ?"));
      s->bind(1, to_string(r.ref.kind));
      s->bind(2, r.ref.id);
      s->exec();
    }
    for (std::size_t i = 0; i < r.fieldworkers.size(); ++i) {
      Use s(stmts_.get("INSERT INTO record_fieldworkers (kind, host_id, position, fieldworker_id) "
                       "VALUES (?, ?, ?, ?)"));
      s->bind(1, to_string(r.ref.kind));
      s->bind(2, r.ref.id);
      s->bind(3, static_cast<std::int64_t>(i));
      s->bind(4, r.fieldworkers[i]);
      s->exec();
    }
  });
}

std::int64_t SqliteTransaction::allocate_issue_number() {
  return guarded("allocate issue number", [&] {
    Use s(stmts_.get("INSERT INTO counters (name, value) VALUES ('issue_number', 1) "
                     "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value"));
    if (!s->executeStep()) throw StorageError("allocate issue number: no value returned");
    return integer(*s, 0);
  });
}

std::optional<IssueRow> SqliteTransaction::issue(std::int64_t number) {
  return guarded("read issue", [&]() -> std::optional<IssueRow> {
    static const std::string sql = fmt::format("SELECT {} FROM issues i WHERE i.number = ?", issue_columns);
    Use s(stmts_.get(sql.c_str()));
    s->bind(1, number);
    if (!s->executeStep()) return std::nullopt;
    return read_issue(*s);
  });
}

void SqliteTransaction::insert_issue(const IssueRow &row) {
  guarded("insert issue", [&] {
    {
      Use s(stmts_.get("INSERT INTO issues (number, record_kind, record_id, customer_id, type, description, "
                       "to_follow, deferred_date, follow_up_date, workflow, status, category, stage, "
                       "reporter_id, reporter_role, channel, created_at, updated_at, version, timeline_seq, "
                       "timeline_hash, fieldworkers, assignee, timers, slas, reminder_at, fields) VALUES (?, ?, "
                       "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
      bind_issue(*s, row);
      s->exec();
    }
    index_fieldworkers(row.issue);
  });
}

void SqliteTransaction::put_readers(std::int64_t number, std::span<const std::string> readers) {
  guarded("put readers", [&] {
    {
      Use s(stmts_.get("DELETE FROM fieldworker_issues WHERE number = ?"));
      s->bind(1, number);
      s->exec();
    }
    for (const auto &id : readers) {
      // `open` mirrors the issue's category for the lists' partial index (as issue_fieldworkers' does).
      Use s(stmts_.get("INSERT OR IGNORE INTO fieldworker_issues (fieldworker_id, number, open) "
                       "SELECT ?, number, category <> 'closed' FROM issues WHERE number = ?"));
      s->bind(1, id);
      s->bind(2, number);
      if (s->exec() == 0 && !issue(number)) throw StorageError(fmt::format("put readers: no issue {}", number));
    }
  });
}

bool SqliteTransaction::update_issue(const IssueRow &before, const IssueRow &after) {
  return guarded("update issue", [&] {
    {
      // Only the columns that changed are written, so indexes on the others
      // (record, customer, workflow and status, assignee) are left alone.
      std::uint32_t changed = 0;
      for (int c = 1; c < issue_column_count; ++c)
        if (issue_column_differs(before, after, c)) changed |= 1u << c;
      changed |= 1u << 18;  // the version is always written: it is the condition of the update
      Use s(stmts_.update(StatementCache::Table::issues, changed, [&] {
        std::string sql = "UPDATE issues SET ";
        for (int c = 1; c < issue_column_count; ++c)
          if (changed & (1u << c)) sql += std::string(sql.back() == ' ' ? "" : ", ") + issue_column_names[c] + " = ?";
        return sql + " WHERE number = ? AND version = ?";
      }));
      int index = 1;
      for (int c = 1; c < issue_column_count; ++c)
        if (changed & (1u << c)) bind_issue_column(*s, index++, after, c);
      s->bind(index++, after.issue.number);
      s->bind(index, before.issue.version);
      if (s->exec() != 1) return false;
    }
    if (before.issue.fieldworkers != after.issue.fieldworkers) {
      Use s(stmts_.get("DELETE FROM issue_fieldworkers WHERE number = ?"));
      s->bind(1, after.issue.number);
      s->exec();
      index_fieldworkers(after.issue);
    }
    return true;
  });
}

std::vector<Issue> SqliteTransaction::find_issues(const IssueQuery &q) {
  return guarded("find issues", [&] {
    IssueSql sql = issue_sql(q);
    if (q.filter.after_number > 0) sql.where(sql.number() + " > " + sql.integer(q.filter.after_number));
    return sql.run(stmts_, static_cast<std::int64_t>(q.filter.limit));
  });
}

std::int64_t SqliteTransaction::count_issues(const IssueQuery &q) {
  return guarded("count issues", [&] { return issue_sql(q).count(stmts_); });
}

std::vector<std::string> SqliteTransaction::fieldworkers_of_issues(std::span<const StatusCategory> categories) {
  return guarded("list fieldworkers of issues", [&] {
    Conditions c;
    std::string in;
    for (auto cat : categories) in += (in.empty() ? "" : ", ") + c.text(to_string(cat));
    std::string sql = "SELECT DISTINCT f.fieldworker_id FROM issue_fieldworkers f JOIN issues i ON i.number = "
                      "f.number WHERE i.category IN (" + (in.empty() ? std::string("NULL") : in) +
                      ") ORDER BY f.fieldworker_id";
    Use s(stmts_.get(sql));
    c.bind(*s);
    std::vector<std::string> out;
    while (s->executeStep()) out.push_back(text(*s, 0));
    return out;
  });
}

std::vector<std::int64_t> SqliteTransaction::issues_of_record(const RecordRef &ref) {
  return guarded("list issues of record", [&] {
    std::vector<std::int64_t> out;
    Use s(stmts_.get(shared_sql::issues_of_record));
    s->bind(1, to_string(ref.kind));
    s->bind(2, ref.id);
    while (s->executeStep()) out.push_back(integer(*s, 0));
    return out;
  });
}

void SqliteTransaction::append_timeline(const TimelineEntry &e) {
  guarded("append timeline entry", [&] {
    Use s(stmts_.get(shared_sql::append_timeline));
    s->bind(1, parse_issue_code(e.issue_code));
    s->bind(2, e.seq);
    s->bind(3, to_millis(e.at));
    s->bindNoCopy(4, e.actor_id);
    s->bindNoCopy(5, to_string(e.actor_role));
    s->bindNoCopy(6, e.kind);
    s->bindNoCopy(7, e.action);
    std::string changes = codec::encode_changes(e.changes);
    s->bindNoCopy(8, changes);
    s->bindNoCopy(9, e.note);
    s->bind(10, e.internal ? 1 : 0);
    s->bindNoCopy(11, e.prev_hash);
    s->bindNoCopy(12, e.hash);
    s->exec();
  });
}

std::vector<TimelineEntry> SqliteTransaction::timeline(std::int64_t number) {
  return guarded("read timeline", [&] {
    std::vector<TimelineEntry> out;
    Use s(stmts_.get(shared_sql::timeline));
    s->bind(1, number);
    std::string code = format_issue_code(number);
    while (s->executeStep()) {
      TimelineEntry e;
      e.issue_code = code;
      e.seq = integer(*s, 0);
      e.at = from_millis(integer(*s, 1));
      e.actor_id = text(*s, 2);
      std::string role = text(*s, 3);
      e.actor_role = codec::decode_enum(role_from_string(role), "timeline.actor_role", role);
      e.kind = text(*s, 4);
      e.action = text(*s, 5);
      e.changes = codec::decode_changes(text(*s, 6));
      e.note = text(*s, 7);
      e.internal = integer(*s, 8) != 0;
      e.prev_hash = text(*s, 9);
      e.hash = text(*s, 10);
      out.push_back(std::move(e));
    }
    return out;
  });
}

std::vector<NumberedChange> SqliteTransaction::timeline_changes(std::span<const std::int64_t> numbers,
                                                                std::span<const std::string> fields) {
  return guarded("read timeline changes", [&] {
    std::vector<NumberedChange> out;
    if (numbers.empty() || fields.empty()) return out;
    // The page's numbers as one JSON array (one statement whatever their
    // count); the text test skips entries that cannot hold such a change,
    // the decoding below keeps the exact names.
    std::string list = "[";
    for (auto n : numbers) list += (list.size() > 1 ? "," : "") + std::to_string(n);
    list += "]";
    std::string sql = "SELECT number, seq, changes FROM timeline WHERE number IN (SELECT value FROM json_each(?1)) AND (";
    for (std::size_t i = 0; i < fields.size(); ++i)
      sql += fmt::format("{}instr(changes, ?{}) > 0", i ? " OR " : "", i + 2);
    sql += ") ORDER BY number, seq";
    Use s(stmts_.get(sql));
    s->bind(1, list);
    std::vector<std::string> needles;
    for (const auto &f : fields) {  // '["<field as encoded>"': how a change to it starts
      std::string encoded = codec::encode_changes({{f, "", ""}});
      needles.push_back(encoded.substr(1, encoded.size() - 1 - std::string_view(R"(,"",""]])").size()));
    }
    for (std::size_t i = 0; i < fields.size(); ++i) s->bindNoCopy(static_cast<int>(i + 2), needles[i]);
    while (s->executeStep()) {
      std::int64_t number = integer(*s, 0), seq = integer(*s, 1);
      for (auto &c : codec::decode_changes(text(*s, 2)))
        if (std::find(fields.begin(), fields.end(), c.field) != fields.end())
          out.push_back({number, seq, std::move(c)});
    }
    return out;
  });
}

void SqliteTransaction::begin_status_period(const StatusPeriod &p) {
  guarded("record a status period", [&] {
    {
      Use s(stmts_.get("UPDATE status_periods SET until = ?2 WHERE number = ?1 AND until IS NULL"));
      s->bind(1, p.number);
      s->bind(2, to_millis(p.since));
      s->exec();
    }
    Use s(stmts_.get("INSERT INTO status_periods (number, seq, status, category, stage, since) SELECT ?1, "
                     "coalesce(max(seq), 0) + 1, ?2, ?3, ?4, ?5 FROM status_periods WHERE number = ?1"));
    s->bind(1, p.number);
    s->bindNoCopy(2, p.status);
    s->bind(3, to_string(p.category));
    s->bindNoCopy(4, p.stage);
    s->bind(5, to_millis(p.since));
    s->exec();
  });
}

std::vector<StatusPeriod> SqliteTransaction::status_periods(std::span<const std::int64_t> numbers) {
  return guarded("read status periods", [&] {
    std::string list = "[";
    for (auto n : numbers) list += (list.size() > 1 ? "," : "") + std::to_string(n);
    list += "]";
    Use s(stmts_.get("SELECT number, status, category, stage, since, until FROM status_periods WHERE number IN "
                     "(SELECT value FROM json_each(?1)) ORDER BY number, seq"));
    s->bind(1, list);
    std::vector<StatusPeriod> out;
    while (s->executeStep()) {
      StatusPeriod p;
      p.number = integer(*s, 0);
      p.status = text(*s, 1);
      p.category = codec::decode_enum(status_category_from_string(view(*s, 2)), "status_periods.category",
                                      view(*s, 2));
      p.stage = text(*s, 3);
      p.since = from_millis(integer(*s, 4));
      if (!is_null(*s, 5)) p.until = from_millis(integer(*s, 5));
      out.push_back(std::move(p));
    }
    return out;
  });
}

void SqliteTransaction::index_fieldworkers(const Issue &issue) {
  for (const auto &id : issue.fieldworkers) {
    Use s(stmts_.get("INSERT OR IGNORE INTO issue_fieldworkers (fieldworker_id, number, open) VALUES (?, ?, ?)"));
    s->bind(1, id);
    s->bind(2, issue.number);
    s->bind(3, issue.is_closed() ? 0 : 1);
    s->exec();
  }
}

}  // namespace complaints::sqlite_backend
