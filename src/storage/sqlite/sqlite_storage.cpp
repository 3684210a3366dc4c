// The SQLite backend: one file, WAL, BEGIN IMMEDIATE per write transaction,
// prepared statements cached per connection; opened without the write lock
// unless a migration is due, or read-only.
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_map>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "complaints/storage.hpp"
#include "domain/check.hpp"
#include "storage/codec.hpp"
#include "storage/sqlite/schema.hpp"
#include "storage/sqlite/scrub.hpp"
#include "storage/sqlite/search.hpp"

namespace complaints {

namespace {

[[noreturn]] void rethrow(const char *what, const SQLite::Exception &e) {
  int code = e.getErrorCode();
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    throw StorageError(fmt::format("{}: the database is locked by another writer and the busy timeout "
                                   "expired ({})",
                                   what, e.what()));
  throw StorageError(fmt::format("{}: {}", what, e.what()));
}

// Runs `f`, turning SQLite's exceptions into StorageError naming the operation.
template <typename F>
auto guarded(const char *what, F &&f) -> decltype(f()) {
  try {
    return f();
  } catch (const SQLite::Exception &e) {
    rethrow(what, e);
  }
}

// Prepared statements, prepared once per connection. Keyed by the address of the
// SQL literal (fast) or, for generated SQL, by its text.
class StatementCache {
 public:
  explicit StatementCache(SQLite::Database &db) : db_(db) {}

  SQLite::Statement &get(const char *sql) {
    auto it = by_ptr_.find(sql);
    if (it != by_ptr_.end()) return *it->second;
    return *by_ptr_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first->second;
  }

  // The tables whose UPDATE statements are cached by the columns they write.
  enum class Table : std::uint64_t { issues, tasks };

  // An UPDATE of `table` known by the set of columns it writes (a bit per
  // column); `make_sql` gives its text the first time.
  template <typename F>
  SQLite::Statement &update(Table table, std::uint32_t columns, F &&make_sql) {
    std::uint64_t key = static_cast<std::uint64_t>(table) << 32 | columns;
    auto it = by_key_.find(key);
    if (it != by_key_.end()) return *it->second;
    return *by_key_.emplace(key, std::make_unique<SQLite::Statement>(db_, make_sql())).first->second;
  }

  SQLite::Statement &get(const std::string &sql) {
    auto it = by_text_.find(sql);
    if (it != by_text_.end()) return *it->second;
    if (by_text_.size() > 256) by_text_.clear();  // generated queries: bound the cache
    return *by_text_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first->second;
  }

 private:
  SQLite::Database &db_;
  std::unordered_map<const char *, std::unique_ptr<SQLite::Statement>> by_ptr_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> by_text_;
  std::unordered_map<std::uint64_t, std::unique_ptr<SQLite::Statement>> by_key_;
};

// Borrows a cached statement and resets it (bindings too) when done, so no
// statement keeps a read cursor open past its use.
class Use {
 public:
  explicit Use(SQLite::Statement &s) : s_(s) {}
  // Clearing matters twice over: a use may leave an optional parameter unbound
  // (NULL), and bindNoCopy leaves pointers into the caller's strings.
  ~Use() {
    s_.tryReset();
    try {
      s_.clearBindings();
    } catch (...) {
      // clear_bindings cannot fail on a valid statement; never throw from here.
    }
  }
  Use(const Use &) = delete;
  Use &operator=(const Use &) = delete;
  SQLite::Statement *operator->() { return &s_; }
  SQLite::Statement &operator*() { return s_; }

 private:
  SQLite::Statement &s_;
};

std::string text(const SQLite::Statement &s, int col) { return s.getColumn(col).getString(); }

// A column's text without copying it; valid until the statement steps or resets.
std::string_view view(const SQLite::Statement &s, int col) {
  SQLite::Column c = s.getColumn(col);
  return {c.getText(), static_cast<std::size_t>(c.getBytes())};
}

std::int64_t integer(const SQLite::Statement &s, int col) { return s.getColumn(col).getInt64(); }

bool is_null(const SQLite::Statement &s, int col) { return s.isColumnNull(col); }

std::string join_lines(const std::vector<std::string> &ids) {
  std::string out;
  for (const auto &id : ids) {
    if (!out.empty()) out += '\n';
    out += id;
  }
  return out;
}

std::vector<std::string> split_lines(std::string_view joined) {
  std::vector<std::string> out;
  if (joined.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    std::size_t end = joined.find('\n', start);
    out.emplace_back(joined.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::optional<Date> date_column(const SQLite::Statement &s, int col) {
  if (is_null(s, col)) return std::nullopt;
  try {
    return Date::parse(text(s, col), "stored date");
  } catch (const InvalidInput &e) {
    throw StorageError(std::string("corrupt stored date: ") + e.what());
  }
}

void bind_date(SQLite::Statement &s, int index, const std::optional<Date> &d) {
  if (d)
    s.bind(index, d->to_string());
  else
    s.bind(index);
}

constexpr const char *issue_columns =
    "i.number, i.record_kind, i.record_id, i.customer_id, i.type, i.description, i.to_follow, "
    "i.deferred_date, i.follow_up_date, i.workflow, i.status, i.category, i.stage, i.reporter_id, "
    "i.reporter_role, i.channel, i.created_at, i.updated_at, i.version, i.timeline_seq, i.timeline_hash, "
    "i.fieldworkers, i.assignee, i.timers, i.slas, i.reminder_at, i.fields";

IssueRow read_issue(const SQLite::Statement &s) {
  IssueRow row;
  Issue &i = row.issue;
  i.number = integer(s, 0);
  i.code = format_issue_code(i.number);
  i.record.kind = codec::decode_enum(record_kind_from_string(view(s, 1)), "issues.record_kind", view(s, 1));
  i.record.id = text(s, 2);
  i.customer_id = text(s, 3);
  i.type = text(s, 4);
  i.description = text(s, 5);
  i.to_follow = integer(s, 6) != 0;
  i.deferred_date = date_column(s, 7);
  i.follow_up_date = date_column(s, 8);
  i.workflow = text(s, 9);
  i.status = text(s, 10);
  i.category = codec::decode_enum(status_category_from_string(view(s, 11)), "issues.category", view(s, 11));
  i.stage = text(s, 12);
  i.reporter_id = text(s, 13);
  i.reporter_role = codec::decode_enum(role_from_string(view(s, 14)), "issues.reporter_role", view(s, 14));
  i.channel = codec::decode_enum(channel_from_string(view(s, 15)), "issues.channel", view(s, 15));
  i.created_at = from_millis(integer(s, 16));
  i.updated_at = from_millis(integer(s, 17));
  i.version = integer(s, 18);
  row.timeline_seq = integer(s, 19);
  row.timeline_hash = text(s, 20);
  i.fieldworkers = split_lines(view(s, 21));
  i.assignee = text(s, 22);
  i.timers = codec::decode_timers(view(s, 23));
  i.slas = codec::decode_clocks(view(s, 24));
  if (!is_null(s, 25)) i.reminder_at = from_millis(integer(s, 25));
  i.fields = codec::decode_fields(view(s, 26));
  return row;
}

// Reads a record from columns `first`.. (customer_id, visibility, paid_out,
// invoice_id, fieldworker_id) of the current row, then its fieldworkers from
// this and the following rows (the statement is left done).
Record read_record(SQLite::Statement &s, int first, const RecordRef &ref) {
  Record r;
  r.ref = ref;
  r.customer_id = text(s, first);
  r.visibility = codec::decode_enum(record_visibility_from_string(view(s, first + 1)), "records.visibility",
                                    view(s, first + 1));
  r.paid_out = integer(s, first + 2) != 0;
  r.invoice_id = text(s, first + 3);
  do {
    if (!is_null(s, first + 4)) r.fieldworkers.push_back(text(s, first + 4));
  } while (s.executeStep());
  return r;
}

constexpr const char *task_columns =
    "id, number, kind, stage, group_id, assignee, state, mandatory, access, instructions, created_by, created_at, "
    "updated_at, done_at, done_by, notes, slas, version";

Task read_task(const SQLite::Statement &s) {
  Task t;
  t.id = integer(s, 0);
  t.number = integer(s, 1);
  t.issue_code = format_issue_code(t.number);
  t.kind = text(s, 2);
  t.stage = text(s, 3);
  t.group = text(s, 4);
  t.assignee = text(s, 5);
  t.state = codec::decode_enum(task_state_from_string(view(s, 6)), "tasks.state", view(s, 6));
  t.mandatory = integer(s, 7) != 0;
  t.access = codec::decode_enum(task_access_from_string(view(s, 8)), "tasks.access", view(s, 8));
  t.instructions = text(s, 9);
  t.created_by = text(s, 10);
  t.created_at = from_millis(integer(s, 11));
  t.updated_at = from_millis(integer(s, 12));
  if (!is_null(s, 13)) t.done_at = from_millis(integer(s, 13));
  t.done_by = text(s, 14);
  t.notes = text(s, 15);
  t.slas = codec::decode_clocks(view(s, 16));
  t.version = integer(s, 17);
  return t;
}

// The tasks columns after its id, in the order of task_columns (and of insert_task's VALUES).
constexpr const char *task_column_names[] = {
    "number",     "kind",       "stage",   "group_id", "assignee", "state", "mandatory", "access",  "instructions",
    "created_by", "created_at", "updated_at", "done_at", "done_by", "notes", "slas",      "version"};
constexpr int task_column_count = static_cast<int>(std::size(task_column_names));
constexpr int task_version_column = 16;

// Binds tasks column `column` (0-based, as task_column_names) of `t` to parameter `index`.
void bind_task_column(SQLite::Statement &s, int index, const Task &t, int column) {
  switch (column) {
    case 0: s.bind(index, t.number); return;
    case 1: s.bind(index, t.kind); return;
    case 2: s.bind(index, t.stage); return;
    case 3: s.bind(index, t.group); return;
    case 4: s.bind(index, t.assignee); return;
    case 5: s.bind(index, to_string(t.state)); return;
    case 6: s.bind(index, t.mandatory ? 1 : 0); return;
    case 7: s.bind(index, to_string(t.access)); return;
    case 8: s.bind(index, t.instructions); return;
    case 9: s.bind(index, t.created_by); return;
    case 10: s.bind(index, to_millis(t.created_at)); return;
    case 11: s.bind(index, to_millis(t.updated_at)); return;
    case 12:
      if (t.done_at)
        s.bind(index, to_millis(*t.done_at));
      else
        s.bind(index);
      return;
    case 13: s.bind(index, t.done_by); return;
    case 14: s.bind(index, t.notes); return;
    case 15: s.bind(index, codec::encode_clocks(t.slas)); return;
    case 16: s.bind(index, t.version); return;
  }
}

// Whether tasks column `column` differs between two tasks.
bool task_column_differs(const Task &a, const Task &b, int column) {
  switch (column) {
    case 0: return a.number != b.number;
    case 1: return a.kind != b.kind;
    case 2: return a.stage != b.stage;
    case 3: return a.group != b.group;
    case 4: return a.assignee != b.assignee;
    case 5: return a.state != b.state;
    case 6: return a.mandatory != b.mandatory;
    case 7: return a.access != b.access;
    case 8: return a.instructions != b.instructions;
    case 9: return a.created_by != b.created_by;
    case 10: return a.created_at != b.created_at;
    case 11: return a.updated_at != b.updated_at;
    case 12: return a.done_at != b.done_at;
    case 13: return a.done_by != b.done_by;
    case 14: return a.notes != b.notes;
    case 15: return a.slas != b.slas;
    case 16: return a.version != b.version;
  }
  return true;
}

// Binds a task's columns after its id, in the order of task_columns, from `first`.
void bind_task(SQLite::Statement &s, int first, const Task &t) {
  for (int c = 0; c < task_column_count; ++c) bind_task_column(s, first + c, t, c);
}

// The issues columns in the order of issue_columns (and of insert_issue's VALUES).
constexpr const char *issue_column_names[] = {
    "number",      "record_kind",  "record_id",  "customer_id",  "type",          "description",  "to_follow",
    "deferred_date", "follow_up_date", "workflow", "status",      "category",      "stage",        "reporter_id",
    "reporter_role", "channel",    "created_at", "updated_at",   "version",       "timeline_seq", "timeline_hash",
    "fieldworkers", "assignee",    "timers",     "slas",         "reminder_at",  "fields"};
constexpr int issue_column_count = static_cast<int>(std::size(issue_column_names));

// Binds issues column `column` (0-based, as issue_column_names) of `row` to parameter `index`.
void bind_issue_column(SQLite::Statement &s, int index, const IssueRow &row, int column) {
  const Issue &i = row.issue;
  switch (column) {
    case 0: s.bind(index, i.number); break;
    case 1: s.bindNoCopy(index, to_string(i.record.kind)); break;
    case 2: s.bindNoCopy(index, i.record.id); break;
    case 3: s.bindNoCopy(index, i.customer_id); break;
    case 4: s.bindNoCopy(index, i.type); break;
    case 5: s.bindNoCopy(index, i.description); break;
    case 6: s.bind(index, i.to_follow ? 1 : 0); break;
    case 7: bind_date(s, index, i.deferred_date); break;
    case 8: bind_date(s, index, i.follow_up_date); break;
    case 9: s.bindNoCopy(index, i.workflow); break;
    case 10: s.bindNoCopy(index, i.status); break;
    case 11: s.bindNoCopy(index, to_string(i.category)); break;
    case 12: s.bindNoCopy(index, i.stage); break;
    case 13: s.bindNoCopy(index, i.reporter_id); break;
    case 14: s.bindNoCopy(index, to_string(i.reporter_role)); break;
    case 15: s.bindNoCopy(index, to_string(i.channel)); break;
    case 16: s.bind(index, to_millis(i.created_at)); break;
    case 17: s.bind(index, to_millis(i.updated_at)); break;
    case 18: s.bind(index, i.version); break;
    case 19: s.bind(index, row.timeline_seq); break;
    case 20: s.bindNoCopy(index, row.timeline_hash); break;
    case 21: s.bind(index, join_lines(i.fieldworkers)); break;
    case 22: s.bindNoCopy(index, i.assignee); break;
    case 23: s.bind(index, codec::encode_timers(i.timers)); break;
    case 24: s.bind(index, codec::encode_clocks(i.slas)); break;
    case 25:
      if (i.reminder_at)
        s.bind(index, to_millis(*i.reminder_at));
      else
        s.bind(index);
      break;
    case 26: s.bind(index, codec::encode_fields(i.fields)); break;
  }
}

// Whether issues column `column` differs between two rows.
bool issue_column_differs(const IssueRow &a, const IssueRow &b, int column) {
  const Issue &x = a.issue, &y = b.issue;
  switch (column) {
    case 0: return x.number != y.number;
    case 1: return x.record.kind != y.record.kind;
    case 2: return x.record.id != y.record.id;
    case 3: return x.customer_id != y.customer_id;
    case 4: return x.type != y.type;
    case 5: return x.description != y.description;
    case 6: return x.to_follow != y.to_follow;
    case 7: return x.deferred_date != y.deferred_date;
    case 8: return x.follow_up_date != y.follow_up_date;
    case 9: return x.workflow != y.workflow;
    case 10: return x.status != y.status;
    case 11: return x.category != y.category;
    case 12: return x.stage != y.stage;
    case 13: return x.reporter_id != y.reporter_id;
    case 14: return x.reporter_role != y.reporter_role;
    case 15: return x.channel != y.channel;
    case 16: return x.created_at != y.created_at;
    case 17: return x.updated_at != y.updated_at;
    case 18: return x.version != y.version;
    case 19: return a.timeline_seq != b.timeline_seq;
    case 20: return a.timeline_hash != b.timeline_hash;
    case 21: return x.fieldworkers != y.fieldworkers;
    case 22: return x.assignee != y.assignee;
    case 23: return x.timers != y.timers;
    case 24: return x.slas != y.slas;
    case 25: return x.reminder_at != y.reminder_at;
    case 26: return x.fields != y.fields;
  }
  return true;
}

// Binds every issues column in the order of issue_columns, from index 1.
void bind_issue(SQLite::Statement &s, const IssueRow &row) {
  for (int c = 0; c < issue_column_count; ++c) bind_issue_column(s, c + 1, row, c);
}

std::optional<Money> money_columns(const SQLite::Statement &s, int col, const char *table) {
  if (is_null(s, col)) return std::nullopt;
  try {
    return Money::of(integer(s, col), view(s, col + 1));
  } catch (const InvalidInput &e) {
    throw StorageError(fmt::format("corrupt amount in {}: {}", table, e.what()));
  }
}

// A hold's key columns, then hold_state_columns: its state, amount, scope,
// times, and the numbers of its linked issues and of the open ones among them
// (kept on the hold row by schema triggers, so one primary-key lookup answers
// may_pay).
#define COMPLAINTS_HOLD_STATE_COLUMNS \
  "h.state, h.amount_minor, h.currency, h.scope, h.since, h.released_at, h.issues, h.blocking"
constexpr const char *hold_columns = "h.record_kind, h.record_id, h.fieldworker_id, " COMPLAINTS_HOLD_STATE_COLUMNS;
constexpr const char *hold_state_columns = COMPLAINTS_HOLD_STATE_COLUMNS;
#undef COMPLAINTS_HOLD_STATE_COLUMNS

// A newline-separated list of issue numbers, as issue codes in ascending order.
std::vector<std::string> issue_codes(std::string_view numbers, const char *column) {
  std::vector<std::string> out;
  if (!numbers.empty()) out.reserve(1 + static_cast<std::size_t>(std::count(numbers.begin(), numbers.end(), '\n')));
  bool ascending = true;
  std::int64_t previous = 0;
  for (std::size_t start = 0; !numbers.empty();) {
    std::size_t end = std::min(numbers.find('\n', start), numbers.size());
    std::int64_t n = 0;
    auto [stop, ec] = std::from_chars(numbers.data() + start, numbers.data() + end, n);
    if (ec != std::errc() || stop != numbers.data() + end || n <= 0)
      throw StorageError(fmt::format("corrupt issue list in {}", column));
    ascending = ascending && n > previous;
    previous = n;
    out.push_back(format_issue_code(n));
    if (end == numbers.size()) break;
    start = end + 1;
  }
  // The triggers' scan follows hold_issues' key, so this is for safety only.
  if (!ascending)
    std::sort(out.begin(), out.end(),
              [](const std::string &a, const std::string &b) { return parse_issue_code(a) < parse_issue_code(b); });
  return out;
}

// Reads hold_state_columns from column `c` on into `h`.
void read_hold_state(const SQLite::Statement &s, int c, PaymentHold &h) {
  h.state = codec::decode_enum(hold_state_from_string(view(s, c)), "holds.state", view(s, c));
  h.amount = money_columns(s, c + 1, "holds");
  h.scope = codec::decode_enum(hold_scope_from_string(view(s, c + 3)), "holds.scope", view(s, c + 3));
  h.since = from_millis(integer(s, c + 4));
  if (!is_null(s, c + 5)) h.released_at = from_millis(integer(s, c + 5));
  std::string_view issues = view(s, c + 6), blocking = view(s, c + 7);
  h.issues = issue_codes(issues, "holds.issues");
  // Usually every linked issue of a withheld hold is open.
  h.blocking = blocking == issues ? h.issues : issue_codes(blocking, "holds.blocking");
}

// Reads hold_columns.
PaymentHold read_hold(const SQLite::Statement &s) {
  PaymentHold h;
  h.record.kind = codec::decode_enum(record_kind_from_string(view(s, 0)), "holds.record_kind", view(s, 0));
  h.record.id = text(s, 1);
  h.fieldworker = text(s, 2);
  read_hold_state(s, 3, h);
  return h;
}

std::vector<PaymentHold> read_holds(SQLite::Statement &s) {
  std::vector<PaymentHold> out;
  while (s.executeStep()) out.push_back(read_hold(s));
  return out;
}

// The WHERE conditions of a query built from a filter, with their numbered
// parameters.
class Conditions {
 public:
  std::string text(std::string v) {
    texts_.emplace_back(++n_, std::move(v));
    return "?" + std::to_string(n_);
  }
  std::string integer(std::int64_t v) {
    ints_.emplace_back(++n_, v);
    return "?" + std::to_string(n_);
  }
  void where(std::string condition) { where_.push_back(std::move(condition)); }
  // Leaves the first `count` parameters (after those taken so far) to the caller.
  void skip(int count) { n_ += count; }

  // " WHERE a AND b", or "" without conditions.
  std::string clause() const {
    std::string sql;
    for (std::size_t k = 0; k < where_.size(); ++k) sql += (k == 0 ? " WHERE " : " AND ") + where_[k];
    return sql;
  }

  void bind(SQLite::Statement &s) const {
    for (const auto &[i, v] : texts_) s.bind(i, v);
    for (const auto &[i, v] : ints_) s.bind(i, v);
  }

 private:
  std::vector<std::string> where_;
  std::vector<std::pair<int, std::string>> texts_;
  std::vector<std::pair<int, std::int64_t>> ints_;
  int n_ = 0;
};

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

Comment read_comment(const SQLite::Statement &s) {
  Comment c;
  c.id = integer(s, 0);
  c.issue_code = format_issue_code(integer(s, 1));
  c.author_id = text(s, 2);
  c.author_role = codec::decode_enum(role_from_string(view(s, 3)), "comments.author_role", view(s, 3));
  c.internal = integer(s, 4) != 0;
  c.body = text(s, 5);
  if (!is_null(s, 6)) c.reply_to = integer(s, 6);
  c.mentions = split_lines(view(s, 7));
  c.created_at = from_millis(integer(s, 8));
  return c;
}

constexpr const char *attachment_columns =
    "id, number, comment_id, name, media_type, size, sha256, storage_key, internal, uploaded_by, created_at";

User read_user(const SQLite::Statement &s) {
  User u;
  u.id = text(s, 0);
  u.role = codec::decode_enum(role_from_string(view(s, 1)), "users.role", view(s, 1));
  u.name = text(s, 2);
  u.settings.scope = codec::decode_enum(notify_scope_from_string(view(s, 3)), "users.scope", view(s, 3));
  u.settings.push = integer(s, 4) != 0;
  u.settings.sms = integer(s, 5) != 0;
  u.settings.email = integer(s, 6) != 0;
  return u;
}

Attachment read_attachment(const SQLite::Statement &s) {
  Attachment a;
  a.id = integer(s, 0);
  a.issue_code = format_issue_code(integer(s, 1));
  if (!is_null(s, 2)) a.comment_id = integer(s, 2);
  a.name = text(s, 3);
  a.media_type = text(s, 4);
  a.size = integer(s, 5);
  a.sha256 = text(s, 6);
  a.storage_key = text(s, 7);
  a.internal = integer(s, 8) != 0;
  a.uploaded_by = text(s, 9);
  a.created_at = from_millis(integer(s, 10));
  return a;
}

class SqliteTransaction final : public StorageTransaction {
 public:
  SqliteTransaction(SQLite::Database &db, StatementCache &stmts, sqlite_scrub::Debt &debt,
                    sqlite_search::QuerySlot &search, TxnMode mode)
      : db_(db), stmts_(stmts), debt_(debt), search_(search), mode_(mode) {
    guarded("begin transaction", [&] {
      Use begin(stmts_.get(mode == TxnMode::write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"));
      begin->exec();
    });
    open_ = true;
  }

  ~SqliteTransaction() override {
    if (!open_) return;
    try {
      Use rollback(stmts_.get("ROLLBACK"));
      rollback->exec();
    } catch (...) {
      // Destructors never throw; SQLite rolls back on its own if the connection closes.
    }
  }

  void commit() override {
    // Whether an erasure (this one's or another connection's, even one that
    // crashed) left a scrub owed: one primary-key lookup per write, before
    // the commit so that it reads this transaction's own snapshot.
    std::optional<std::string> owed;
    if (mode_ == TxnMode::write) owed = guarded("commit", [&] { return debt_.owed(); });
    guarded("commit", [&] {
      Use commit(stmts_.get("COMMIT"));
      commit->exec();
    });
    open_ = false;
    if (owed) debt_.try_settle(owed);  // committed: this may fail, not the commit
  }

  std::optional<std::string> setting(std::string_view key) override {
    return guarded("read setting", [&]() -> std::optional<std::string> {
      Use s(stmts_.get("SELECT value FROM settings WHERE key = ?"));
      s->bind(1, std::string(key));
      if (!s->executeStep()) return std::nullopt;
      return text(*s, 0);
    });
  }

  void put_setting(std::string_view key, std::string_view value) override {
    guarded("write setting", [&] {
      Use s(stmts_.get("INSERT INTO settings (key, value) VALUES (?, ?) "
                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
      s->bind(1, std::string(key));
      s->bind(2, std::string(value));
      s->exec();
    });
  }

  std::optional<StoredWorkflow> workflow(std::string_view name) override {
    return guarded("read workflow", [&]() -> std::optional<StoredWorkflow> {
      Use s(stmts_.get("SELECT definition, revision FROM workflows WHERE name = ?"));
      s->bind(1, std::string(name));
      if (!s->executeStep()) return std::nullopt;
      return StoredWorkflow{std::string(name), text(*s, 0), integer(*s, 1)};
    });
  }

  std::vector<std::string> workflow_names() override {
    return guarded("list workflows", [&] {
      std::vector<std::string> out;
      Use s(stmts_.get("SELECT name FROM workflows ORDER BY name"));
      while (s->executeStep()) out.push_back(text(*s, 0));
      return out;
    });
  }

  void put_workflow(const StoredWorkflow &wf) override {
    guarded("write workflow", [&] {
      Use s(stmts_.get("INSERT INTO workflows (name, definition, revision) VALUES (?, ?, ?) "
                       "ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, "
                       "revision = excluded.revision"));
      s->bind(1, wf.name);
      s->bind(2, wf.json);
      s->bind(3, wf.revision);
      s->exec();
    });
  }

  std::vector<std::pair<std::string, std::int64_t>> status_counts(std::string_view workflow) override {
    return guarded("count statuses", [&] {
      std::vector<std::pair<std::string, std::int64_t>> out;
      Use s(stmts_.get("SELECT status, count(*) FROM issues WHERE workflow = ? GROUP BY status ORDER BY status"));
      s->bind(1, std::string(workflow));
      while (s->executeStep()) out.emplace_back(text(*s, 0), integer(*s, 1));
      return out;
    });
  }

  std::vector<IssueType> issue_types() override {
    return guarded("list issue types", [&] {
      std::vector<IssueType> out;
      Use s(stmts_.get("SELECT name, colour FROM issue_types ORDER BY position"));
      while (s->executeStep()) out.push_back({text(*s, 0), text(*s, 1)});
      return out;
    });
  }

  void put_issue_type(const IssueType &type) override {
    guarded("write issue type", [&] {
      Use s(stmts_.get("INSERT INTO issue_types (name, colour) VALUES (?, ?) "
                       "ON CONFLICT (name) DO UPDATE SET colour = excluded.colour"));
      s->bind(1, type.name);
      s->bind(2, type.colour);
      s->exec();
    });
  }

  std::optional<Record> record(const RecordRef &ref) override {
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

  std::optional<std::pair<IssueRow, Record>> issue_with_record(std::int64_t number) override {
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

  void put_record(const Record &r) override {
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

  std::int64_t allocate_issue_number() override {
    return guarded("allocate issue number", [&] {
      Use s(stmts_.get("INSERT INTO counters (name, value) VALUES ('issue_number', 1) "
                       "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value"));
      if (!s->executeStep()) throw StorageError("allocate issue number: no value returned");
      return integer(*s, 0);
    });
  }

  std::optional<IssueRow> issue(std::int64_t number) override {
    return guarded("read issue", [&]() -> std::optional<IssueRow> {
      static const std::string sql = fmt::format("SELECT {} FROM issues i WHERE i.number = ?", issue_columns);
      Use s(stmts_.get(sql.c_str()));
      s->bind(1, number);
      if (!s->executeStep()) return std::nullopt;
      return read_issue(*s);
    });
  }

  void insert_issue(const IssueRow &row) override {
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

  void put_readers(std::int64_t number, std::span<const std::string> readers) override {
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

  bool update_issue(const IssueRow &before, const IssueRow &after) override {
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

  std::vector<Issue> find_issues(const IssueQuery &q) override {
    return guarded("find issues", [&] {
      IssueSql sql = issue_sql(q);
      if (q.filter.after_number > 0) sql.where(sql.number() + " > " + sql.integer(q.filter.after_number));
      return sql.run(stmts_, static_cast<std::int64_t>(q.filter.limit));
    });
  }

  std::int64_t count_issues(const IssueQuery &q) override {
    return guarded("count issues", [&] { return issue_sql(q).count(stmts_); });
  }

  std::vector<std::string> fieldworkers_of_issues(std::span<const StatusCategory> categories) override {
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

  std::vector<std::int64_t> issues_of_record(const RecordRef &ref) override {
    return guarded("list issues of record", [&] {
      std::vector<std::int64_t> out;
      Use s(stmts_.get("SELECT number FROM issues WHERE record_kind = ? AND record_id = ? ORDER BY number"));
      s->bind(1, to_string(ref.kind));
      s->bind(2, ref.id);
      while (s->executeStep()) out.push_back(integer(*s, 0));
      return out;
    });
  }

  void append_timeline(const TimelineEntry &e) override {
    guarded("append timeline entry", [&] {
      Use s(stmts_.get("INSERT INTO timeline (number, seq, at, actor_id, actor_role, kind, action, changes, "
                       "note, internal, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
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

  std::vector<TimelineEntry> timeline(std::int64_t number) override {
    return guarded("read timeline", [&] {
      std::vector<TimelineEntry> out;
      Use s(stmts_.get("SELECT seq, at, actor_id, actor_role, kind, action, changes, note, internal, prev_hash, "
                       "hash FROM timeline WHERE number = ? ORDER BY seq"));
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

  std::vector<NumberedChange> timeline_changes(std::span<const std::int64_t> numbers,
                                               std::span<const std::string> fields) override {
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

  void put_due(const DueItem &item) override {
    guarded("write due item", [&] {
      Use s(stmts_.get("INSERT INTO due (number, kind, name, due_at) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT (number, kind, name) DO UPDATE SET due_at = excluded.due_at"));
      s->bind(1, item.number);
      s->bindNoCopy(2, item.kind);
      s->bindNoCopy(3, item.name);
      s->bind(4, to_millis(item.due_at));
      s->exec();
    });
  }

  bool remove_due(std::int64_t number, std::string_view kind, std::string_view name) override {
    return guarded("remove due item", [&] {
      Use s(stmts_.get("DELETE FROM due WHERE number = ? AND kind = ? AND name = ?"));
      s->bind(1, number);
      s->bind(2, std::string(kind));
      s->bind(3, std::string(name));
      return s->exec() == 1;
    });
  }

  std::optional<DueItem> due_item(std::int64_t number, std::string_view kind, std::string_view name) override {
    return guarded("read due item", [&]() -> std::optional<DueItem> {
      Use s(stmts_.get("SELECT due_at FROM due WHERE number = ? AND kind = ? AND name = ?"));
      s->bind(1, number);
      s->bind(2, std::string(kind));
      s->bind(3, std::string(name));
      if (!s->executeStep()) return std::nullopt;
      return DueItem{number, std::string(kind), std::string(name), from_millis(integer(*s, 0))};
    });
  }

  std::vector<DueItem> due_items(Timestamp now, std::size_t limit) override {
    return guarded("read due items", [&] {
      Use s(stmts_.get("SELECT number, kind, name, due_at FROM due WHERE due_at <= ? "
                       "ORDER BY due_at, number, kind, name LIMIT ?"));
      s->bind(1, to_millis(now));
      s->bind(2, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
      std::vector<DueItem> out;
      while (s->executeStep()) out.push_back({integer(*s, 0), text(*s, 1), text(*s, 2), from_millis(integer(*s, 3))});
      return out;
    });
  }

  std::optional<Timestamp> next_due() override {
    return guarded("read next due time", [&]() -> std::optional<Timestamp> {
      Use s(stmts_.get("SELECT min(due_at) FROM due"));
      if (!s->executeStep() || is_null(*s, 0)) return std::nullopt;
      return from_millis(integer(*s, 0));
    });
  }

  void put_group(const Group &group) override {
    guarded("write group", [&] {
      {
        Use s(stmts_.get("INSERT INTO task_groups (id, name) VALUES (?, ?) "
                         "ON CONFLICT (id) DO UPDATE SET name = excluded.name"));
        s->bind(1, group.id);
        s->bind(2, group.name);
        s->exec();
      }
      {
        Use s(stmts_.get("DELETE FROM task_group_members WHERE group_id = ?"));
        s->bind(1, group.id);
        s->exec();
      }
      for (const auto &member : group.members) {
        Use s(stmts_.get("INSERT OR IGNORE INTO task_group_members (group_id, user_id) VALUES (?, ?)"));
        s->bind(1, group.id);
        s->bind(2, member);
        s->exec();
      }
    });
  }

  std::optional<Group> group(std::string_view id) override {
    return guarded("read group", [&]() -> std::optional<Group> {
      Use s(stmts_.get("SELECT g.name, m.user_id FROM task_groups g LEFT JOIN task_group_members m "
                       "ON m.group_id = g.id WHERE g.id = ? ORDER BY m.user_id"));
      s->bind(1, std::string(id));
      if (!s->executeStep()) return std::nullopt;
      Group g{std::string(id), text(*s, 0), {}};
      do {
        if (!is_null(*s, 1)) g.members.push_back(text(*s, 1));
      } while (s->executeStep());
      return g;
    });
  }

  std::vector<Group> groups() override {
    return guarded("list groups", [&] {
      std::vector<Group> out;
      Use s(stmts_.get("SELECT g.id, g.name, m.user_id FROM task_groups g LEFT JOIN task_group_members m "
                       "ON m.group_id = g.id ORDER BY g.id, m.user_id"));
      while (s->executeStep()) {
        std::string id = text(*s, 0);
        if (out.empty() || out.back().id != id) out.push_back({id, text(*s, 1), {}});
        if (!is_null(*s, 2)) out.back().members.push_back(text(*s, 2));
      }
      return out;
    });
  }

  std::vector<std::string> groups_of_user(std::string_view user) override {
    return guarded("read a user's groups", [&] {
      std::vector<std::string> out;
      Use s(stmts_.get("SELECT group_id FROM task_group_members WHERE user_id = ? ORDER BY group_id"));
      s->bind(1, std::string(user));
      while (s->executeStep()) out.push_back(text(*s, 0));
      return out;
    });
  }

  std::int64_t allocate_task_id() override {
    return guarded("allocate task id", [&] {
      Use s(stmts_.get("INSERT INTO counters (name, value) VALUES ('task_id', 1) "
                       "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value"));
      if (!s->executeStep()) throw StorageError("allocate task id: no value returned");
      return integer(*s, 0);
    });
  }

  void insert_task(const Task &task) override {
    guarded("insert task", [&] {
      static const std::string sql =
          fmt::format("INSERT INTO tasks ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", task_columns);
      Use s(stmts_.get(sql.c_str()));
      s->bind(1, task.id);
      bind_task(*s, 2, task);
      s->exec();
    });
  }

  std::optional<Task> task(std::int64_t id) override {
    return guarded("read task", [&]() -> std::optional<Task> {
      static const std::string sql = fmt::format("SELECT {} FROM tasks WHERE id = ?", task_columns);
      Use s(stmts_.get(sql.c_str()));
      s->bind(1, id);
      if (!s->executeStep()) return std::nullopt;
      return read_task(*s);
    });
  }

  bool update_task(const Task &before, const Task &after) override {
    return guarded("update task", [&] {
      if (after.id != before.id) throw StorageError("update task: the id cannot change");
      // Only the columns that changed are written (a claim: assignee,
      // updated_at, version), so the index on the issue is left alone.
      std::uint32_t changed = 1u << task_version_column;  // always written: it is the condition of the update
      for (int c = 0; c < task_column_count; ++c)
        if (task_column_differs(before, after, c)) changed |= 1u << c;
      Use s(stmts_.update(StatementCache::Table::tasks, changed, [&] {
        std::string sql = "UPDATE tasks SET ";
        for (int c = 0; c < task_column_count; ++c)
          if (changed & (1u << c)) sql += std::string(sql.back() == ' ' ? "" : ", ") + task_column_names[c] + " = ?";
        return sql + " WHERE id = ? AND version = ?";
      }));
      int index = 1;
      for (int c = 0; c < task_column_count; ++c)
        if (changed & (1u << c)) bind_task_column(*s, index++, after, c);
      s->bind(index++, before.id);
      s->bind(index, before.version);
      return s->exec() == 1;
    });
  }

  std::vector<Task> tasks_of_issue(std::int64_t number) override {
    return guarded("read an issue's tasks", [&] {
      static const std::string sql = fmt::format("SELECT {} FROM tasks WHERE number = ? ORDER BY id", task_columns);
      Use s(stmts_.get(sql.c_str()));
      s->bind(1, number);
      std::vector<Task> out;
      while (s->executeStep()) out.push_back(read_task(*s));
      return out;
    });
  }

  std::vector<Task> open_tasks(std::span<const std::string> groups, std::string_view assignee, std::int64_t after_id,
                               std::size_t limit) override {
    return guarded("list open tasks", [&] {
      std::vector<Task> out;
      if (!assignee.empty()) {
        static const std::string sql = fmt::format(
            "SELECT {} FROM tasks WHERE state = 'open' AND assignee <> '' AND assignee = ? AND id > ? "
            "ORDER BY id LIMIT ?",
            task_columns);
        Use s(stmts_.get(sql.c_str()));
        s->bind(1, std::string(assignee));
        s->bind(2, after_id);
        s->bind(3, static_cast<std::int64_t>(limit));
        while (s->executeStep()) out.push_back(read_task(*s));
        return out;
      }
      // A merge of each group's queue (each an index range), by id.
      static const std::string sql = fmt::format(
          "SELECT {} FROM tasks WHERE state = 'open' AND assignee = '' AND group_id = ? AND id > ? "
          "ORDER BY id LIMIT ?",
          task_columns);
      for (const auto &g : groups) {
        if (g.empty()) continue;
        Use s(stmts_.get(sql.c_str()));
        s->bind(1, g);
        s->bind(2, after_id);
        s->bind(3, static_cast<std::int64_t>(limit));
        while (s->executeStep()) out.push_back(read_task(*s));
      }
      std::sort(out.begin(), out.end(), [](const Task &a, const Task &b) { return a.id < b.id; });
      out.erase(std::unique(out.begin(), out.end(), [](const Task &a, const Task &b) { return a.id == b.id; }),
                out.end());
      if (out.size() > limit) out.resize(limit);
      return out;
    });
  }

  std::int64_t enqueue(const OutboxItem &item) override {
    return guarded("queue outbox item", [&] {
      Use s(stmts_.get("INSERT INTO outbox (idempotency_key, kind, event, issue_code, recipient, channel, subject, "
                       "body_text, body_html, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
      s->bindNoCopy(1, item.idempotency_key);
      s->bindNoCopy(2, to_string(item.kind));
      s->bindNoCopy(3, item.event);
      s->bindNoCopy(4, item.issue_code);
      s->bindNoCopy(5, item.recipient);
      s->bindNoCopy(6, to_string(item.channel));
      s->bindNoCopy(7, item.subject);
      s->bindNoCopy(8, item.body_text);
      s->bindNoCopy(9, item.body_html);
      s->bind(10, to_millis(item.created_at));
      s->exec();
      return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_.getHandle()));
    });
  }

  std::vector<OutboxItem> pending_outbox(std::size_t limit, std::int64_t after_id) override {
    return guarded("read outbox", [&] {
      std::vector<OutboxItem> out;
      Use s(stmts_.get("SELECT id, idempotency_key, kind, event, issue_code, recipient, channel, subject, body_text, "
                       "body_html, created_at FROM outbox WHERE id > ? ORDER BY id LIMIT ?"));
      s->bind(1, after_id);
      s->bind(2, static_cast<std::int64_t>(limit));
      while (s->executeStep()) {
        OutboxItem item;
        item.id = integer(*s, 0);
        item.idempotency_key = text(*s, 1);
        std::string kind = text(*s, 2);
        item.kind = kind == "message" ? OutboxKind::message : OutboxKind::notification;
        item.event = text(*s, 3);
        item.issue_code = text(*s, 4);
        item.recipient = text(*s, 5);
        std::string channel = text(*s, 6);
        item.channel = codec::decode_enum(delivery_channel_from_string(channel), "outbox.channel", channel);
        item.subject = text(*s, 7);
        item.body_text = text(*s, 8);
        item.body_html = text(*s, 9);
        item.created_at = from_millis(integer(*s, 10));
        out.push_back(std::move(item));
      }
      return out;
    });
  }

  std::size_t ack_outbox(std::span<const std::int64_t> ids) override {
    return guarded("acknowledge outbox items", [&] {
      std::size_t n = 0;
      for (auto id : ids) {
        Use s(stmts_.get("DELETE FROM outbox WHERE id = ?"));
        s->bind(1, id);
        n += static_cast<std::size_t>(s->exec());
      }
      return n;
    });
  }

  std::optional<PaymentHold> hold(const RecordRef &record, std::string_view fieldworker) override {
    return guarded("read hold", [&]() -> std::optional<PaymentHold> {
      static const std::string sql = fmt::format(
          "SELECT {} FROM holds h WHERE h.record_kind = ? AND h.record_id = ? AND h.fieldworker_id = ?",
          hold_state_columns);
      // Asked once per pair of a payroll run: bound without SQLite copying
      // the texts (they outlive the statement's use).
      std::string fw(fieldworker);
      Use s(stmts_.get(sql.c_str()));
      s->bindNoCopy(1, to_string(record.kind));
      s->bindNoCopy(2, record.id);
      s->bindNoCopy(3, fw);
      if (!s->executeStep()) return std::nullopt;
      PaymentHold h;
      h.record = record;
      h.fieldworker = fw;
      read_hold_state(*s, 0, h);
      return h;
    });
  }

  void put_hold(const PaymentHold &h) override {
    guarded("write hold", [&] {
      Use s(stmts_.get("INSERT INTO holds (record_kind, record_id, fieldworker_id, state, amount_minor, currency, "
                       "scope, since, released_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (record_kind, "
                       "record_id, fieldworker_id) DO UPDATE SET state = excluded.state, amount_minor = "
                       "excluded.amount_minor, currency = excluded.currency, scope = excluded.scope, since = "
                       "excluded.since, released_at = excluded.released_at"));
      s->bind(1, to_string(h.record.kind));
      s->bind(2, h.record.id);
      s->bind(3, h.fieldworker);
      s->bind(4, to_string(h.state));
      if (h.amount) {
        s->bind(5, h.amount->minor());
        s->bind(6, h.amount->currency());
      }
      s->bind(7, to_string(h.scope));
      s->bind(8, to_millis(h.since));
      if (h.released_at) s->bind(9, to_millis(*h.released_at));
      s->exec();
    });
  }

  void link_hold(const RecordRef &record, std::string_view fieldworker, std::int64_t number, bool blocking) override {
    guarded("link hold", [&] {
      Use s(stmts_.get("INSERT OR IGNORE INTO hold_issues (record_kind, record_id, fieldworker_id, number, open) "
                       "VALUES (?, ?, ?, ?, ?)"));
      s->bindNoCopy(1, to_string(record.kind));
      s->bindNoCopy(2, record.id);
      s->bind(3, std::string(fieldworker));
      s->bind(4, number);
      s->bind(5, blocking ? 1 : 0);
      s->exec();
    });
  }

  void mark_blocking(std::int64_t number, bool blocking) override {
    guarded("mark hold links", [&] {
      // Schema triggers carry the change to each linked hold's list of blocking issues.
      Use s(stmts_.get("UPDATE hold_issues SET open = ? WHERE number = ?"));
      s->bind(1, blocking ? 1 : 0);
      s->bind(2, number);
      s->exec();
    });
  }

  std::vector<PaymentHold> holds_of_issue(std::int64_t number) override {
    return guarded("read holds of issue", [&] {
      static const std::string sql = fmt::format(
          "SELECT {} FROM hold_issues x JOIN holds h ON h.record_kind = x.record_kind AND h.record_id = x.record_id "
          "AND h.fieldworker_id = x.fieldworker_id WHERE x.number = ? ORDER BY h.fieldworker_id, h.record_kind, "
          "h.record_id",
          hold_columns);
      Use s(stmts_.get(sql.c_str()));
      s->bind(1, number);
      return read_holds(*s);
    });
  }

  std::vector<PaymentHold> find_holds(const HoldFilter &f) override {
    return guarded("find holds", [&] {
      Conditions c;
      if (f.record) {
        c.where("h.record_kind = " + c.text(to_string(f.record->kind)));
        c.where("h.record_id = " + c.text(f.record->id));
      }
      if (f.invoice) {
        std::string p = c.text(*f.invoice);
        c.where("((h.record_kind = 'invoice' AND h.record_id = " + p +
                ") OR EXISTS (SELECT 1 FROM records r WHERE r.kind = h.record_kind AND r.host_id = "
                "h.record_id AND r.invoice_id = " + p + "))");
      }
      if (f.fieldworker) c.where("h.fieldworker_id = " + c.text(*f.fieldworker));
      if (f.state) c.where("h.state = " + c.text(to_string(*f.state)));
      if (f.withheld_before)
        c.where("h.state = 'withheld' AND h.since <= " + c.integer(to_millis(*f.withheld_before)));
      std::string sql = fmt::format("SELECT {} FROM holds h{} ORDER BY h.record_kind, h.record_id, "
                                    "h.fieldworker_id LIMIT {}",
                                    hold_columns, c.clause(), c.integer(static_cast<std::int64_t>(f.limit)));
      Use s(stmts_.get(sql));
      c.bind(*s);
      return read_holds(*s);
    });
  }

  std::int64_t append_ledger(const HoldLedgerEntry &e) override {
    return guarded("append ledger line", [&] {
      Use s(stmts_.get("INSERT INTO hold_ledger (record_kind, record_id, fieldworker_id, action, at, actor_id, "
                       "actor_role, reason, issues, amount_minor, currency, override) VALUES (?, ?, ?, ?, ?, ?, ?, "
                       "?, ?, ?, ?, ?)"));
      s->bind(1, to_string(e.record.kind));
      s->bind(2, e.record.id);
      s->bind(3, e.fieldworker);
      s->bind(4, to_string(e.action));
      s->bind(5, to_millis(e.at));
      s->bind(6, e.actor_id);
      s->bind(7, to_string(e.actor_role));
      s->bind(8, e.reason);
      s->bind(9, join_lines(e.issues));
      if (e.amount) {
        s->bind(10, e.amount->minor());
        s->bind(11, e.amount->currency());
      }
      s->bind(12, e.override_release ? 1 : 0);
      s->exec();
      return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_.getHandle()));
    });
  }

  std::int64_t drop_from_ledger(std::string_view code) override {
    return guarded("drop an issue from the ledger", [&] {
      // Deletion is rare, so the ledger is scanned.
      Use s(stmts_.get("UPDATE hold_ledger SET issues = trim(replace(char(10) || issues || char(10), char(10) || "
                       "?1 || char(10), char(10)), char(10)) WHERE instr(char(10) || issues || char(10), "
                       "char(10) || ?1 || char(10)) > 0"));
      s->bind(1, std::string(code));
      return static_cast<std::int64_t>(s->exec());
    });
  }

  std::vector<HoldLedgerEntry> ledger(Timestamp from, Timestamp to) override {
    return guarded("read ledger", [&] {
      Use s(stmts_.get("SELECT id, record_kind, record_id, fieldworker_id, action, at, actor_id, actor_role, reason, "
                       "issues, amount_minor, currency, override FROM hold_ledger WHERE at >= ? AND at < ? ORDER BY id"));
      s->bind(1, to_millis(from));
      s->bind(2, to_millis(to));
      std::vector<HoldLedgerEntry> out;
      while (s->executeStep()) {
        HoldLedgerEntry e;
        e.id = integer(*s, 0);
        e.record.kind = codec::decode_enum(record_kind_from_string(view(*s, 1)), "hold_ledger.record_kind", view(*s, 1));
        e.record.id = text(*s, 2);
        e.fieldworker = text(*s, 3);
        e.action = codec::decode_enum(ledger_action_from_string(view(*s, 4)), "hold_ledger.action", view(*s, 4));
        e.at = from_millis(integer(*s, 5));
        e.actor_id = text(*s, 6);
        e.actor_role = codec::decode_enum(role_from_string(view(*s, 7)), "hold_ledger.actor_role", view(*s, 7));
        e.reason = text(*s, 8);
        e.issues = split_lines(view(*s, 9));
        e.amount = money_columns(*s, 10, "hold_ledger");
        e.override_release = integer(*s, 12) != 0;
        out.push_back(std::move(e));
      }
      return out;
    });
  }

  std::optional<User> user(std::string_view id) override {
    return guarded("read user", [&]() -> std::optional<User> {
      Use s(stmts_.get("SELECT id, role, name, scope, push, sms, email FROM users WHERE id = ?"));
      s->bind(1, std::string(id));
      if (!s->executeStep()) return std::nullopt;
      return read_user(*s);
    });
  }

  void put_user(const User &u) override {
    guarded("write user", [&] {
      Use s(stmts_.get("INSERT INTO users (id, role, name, scope, push, sms, email) VALUES (?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (id) DO UPDATE SET role = excluded.role, name = excluded.name, scope = "
                       "excluded.scope, push = excluded.push, sms = excluded.sms, email = excluded.email"));
      s->bind(1, u.id);
      s->bind(2, to_string(u.role));
      s->bind(3, u.name);
      s->bind(4, to_string(u.settings.scope));
      s->bind(5, u.settings.push ? 1 : 0);
      s->bind(6, u.settings.sms ? 1 : 0);
      s->bind(7, u.settings.email ? 1 : 0);
      s->exec();
    });
  }

  std::vector<User> users_with_role(Role role) override {
    return guarded("read users", [&] {
      Use s(stmts_.get("SELECT id, role, name, scope, push, sms, email FROM users WHERE role = ? ORDER BY id"));
      s->bind(1, to_string(role));
      std::vector<User> out;
      while (s->executeStep()) out.push_back(read_user(*s));
      return out;
    });
  }

  std::int64_t add_comment(std::int64_t number, const Comment &c) override {
    return guarded("add comment", [&] {
      Use s(stmts_.get("INSERT INTO comments (number, author_id, author_role, internal, body, reply_to, mentions, "
                       "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
      s->bind(1, number);
      s->bind(2, c.author_id);
      s->bind(3, to_string(c.author_role));
      s->bind(4, c.internal ? 1 : 0);
      s->bind(5, c.body);
      if (c.reply_to) s->bind(6, *c.reply_to);
      s->bind(7, join_lines(c.mentions));
      s->bind(8, to_millis(c.created_at));
      s->exec();
      return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_.getHandle()));
    });
  }

  std::vector<Comment> comments(std::int64_t number) override {
    return guarded("read comments", [&] {
      std::vector<Comment> out;
      {
        Use s(stmts_.get("SELECT id, number, author_id, author_role, internal, body, reply_to, mentions, created_at "
                         "FROM comments WHERE number = ? ORDER BY id"));
        s->bind(1, number);
        while (s->executeStep()) out.push_back(read_comment(*s));
      }
      for (auto &a : attachments(number))
        if (a.comment_id)
          for (auto &c : out)
            if (c.id == *a.comment_id) c.attachments.push_back(a);
      return out;
    });
  }

  std::int64_t add_attachment(std::int64_t number, const Attachment &a) override {
    return guarded("add attachment", [&] {
      Use s(stmts_.get("INSERT INTO attachments (number, comment_id, name, media_type, size, sha256, storage_key, "
                       "bytes, internal, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
      s->bind(1, number);
      if (a.comment_id) s->bind(2, *a.comment_id);
      s->bind(3, a.name);
      s->bind(4, a.media_type);
      s->bind(5, a.size);
      s->bind(6, a.sha256);
      s->bind(7, a.storage_key);
      if (a.storage_key.empty()) s->bind(8, a.bytes.data(), static_cast<int>(a.bytes.size()));
      s->bind(9, a.internal ? 1 : 0);
      s->bind(10, a.uploaded_by);
      s->bind(11, to_millis(a.created_at));
      s->exec();
      return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_.getHandle()));
    });
  }

  std::vector<Attachment> attachments(std::int64_t number) override {
    return guarded("read attachments", [&] {
      static const std::string sql =
          fmt::format("SELECT {} FROM attachments WHERE number = ? ORDER BY id", attachment_columns);
      Use s(stmts_.get(sql.c_str()));
      s->bind(1, number);
      std::vector<Attachment> out;
      while (s->executeStep()) out.push_back(read_attachment(*s));
      return out;
    });
  }

  std::optional<Attachment> attachment(std::int64_t id) override {
    return guarded("read attachment", [&]() -> std::optional<Attachment> {
      static const std::string sql = fmt::format("SELECT {}, bytes FROM attachments WHERE id = ?", attachment_columns);
      Use s(stmts_.get(sql.c_str()));
      s->bind(1, id);
      if (!s->executeStep()) return std::nullopt;
      Attachment a = read_attachment(*s);
      if (!is_null(*s, 11)) a.bytes = text(*s, 11);
      return a;
    });
  }

  std::vector<std::string> watchers(std::int64_t number) override {
    return guarded("read watchers", [&] {
      Use s(stmts_.get("SELECT user_id FROM watchers WHERE number = ? ORDER BY user_id"));
      s->bind(1, number);
      std::vector<std::string> out;
      while (s->executeStep()) out.push_back(text(*s, 0));
      return out;
    });
  }

  bool add_watcher(std::int64_t number, std::string_view user) override {
    return guarded("add watcher", [&] {
      Use s(stmts_.get("INSERT OR IGNORE INTO watchers (number, user_id) VALUES (?, ?)"));
      s->bind(1, number);
      s->bind(2, std::string(user));
      return s->exec() == 1;
    });
  }

  bool remove_watcher(std::int64_t number, std::string_view user) override {
    return guarded("remove watcher", [&] {
      Use s(stmts_.get("DELETE FROM watchers WHERE number = ? AND user_id = ?"));
      s->bind(1, number);
      s->bind(2, std::string(user));
      return s->exec() == 1;
    });
  }

  bool add_link(const StoredLink &l) override {
    return guarded("add link", [&] {
      Use s(stmts_.get("INSERT OR IGNORE INTO issue_links (from_number, to_number, kind, created_by, created_at) "
                       "VALUES (?, ?, ?, ?, ?)"));
      s->bind(1, l.from);
      s->bind(2, l.to);
      s->bind(3, to_string(l.kind));
      s->bind(4, l.created_by);
      s->bind(5, to_millis(l.created_at));
      return s->exec() == 1;
    });
  }

  bool remove_link(std::int64_t from, std::int64_t to, LinkKind kind) override {
    return guarded("remove link", [&] {
      Use s(stmts_.get("DELETE FROM issue_links WHERE from_number = ? AND to_number = ? AND kind = ?"));
      s->bind(1, from);
      s->bind(2, to);
      s->bind(3, to_string(kind));
      return s->exec() == 1;
    });
  }

  std::vector<StoredLink> links(std::int64_t number) override {
    return guarded("read links", [&] {
      Use s(stmts_.get("SELECT from_number, to_number, kind, created_by, created_at FROM issue_links WHERE "
                       "from_number = ?1 OR to_number = ?1 ORDER BY CASE WHEN from_number = ?1 THEN to_number ELSE "
                       "from_number END, kind"));
      s->bind(1, number);
      std::vector<StoredLink> out;
      while (s->executeStep()) {
        StoredLink l;
        l.from = integer(*s, 0);
        l.to = integer(*s, 1);
        l.kind = codec::decode_enum(link_kind_from_string(view(*s, 2)), "issue_links.kind", view(*s, 2));
        l.created_by = text(*s, 3);
        l.created_at = from_millis(integer(*s, 4));
        out.push_back(std::move(l));
      }
      return out;
    });
  }

  std::optional<MessageTemplate> message_template(std::string_view name) override {
    return guarded("read message template", [&]() -> std::optional<MessageTemplate> {
      Use s(stmts_.get("SELECT name, title, subject, body_html, body_text, single_brace FROM message_templates WHERE "
                       "name = ?"));
      s->bind(1, std::string(name));
      if (!s->executeStep()) return std::nullopt;
      return MessageTemplate{text(*s, 0), text(*s, 1), text(*s, 2), text(*s, 3), text(*s, 4), integer(*s, 5) != 0,
                             false};
    });
  }

  void put_message_template(const MessageTemplate &t) override {
    guarded("write message template", [&] {
      Use s(stmts_.get("INSERT INTO message_templates (name, title, subject, body_html, body_text, single_brace) "
                       "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET title = excluded.title, subject = "
                       "excluded.subject, body_html = excluded.body_html, body_text = excluded.body_text, "
                       "single_brace = excluded.single_brace"));
      s->bind(1, t.name);
      s->bind(2, t.title);
      s->bind(3, t.subject);
      s->bind(4, t.body_html);
      s->bind(5, t.body_text);
      s->bind(6, t.single_brace ? 1 : 0);
      s->exec();
    });
  }

  bool delete_message_template(std::string_view name) override {
    return guarded("delete message template", [&] {
      Use s(stmts_.get("DELETE FROM message_templates WHERE name = ?"));
      s->bind(1, std::string(name));
      return s->exec() == 1;
    });
  }

  std::vector<std::string> message_template_names() override {
    return guarded("list message templates", [&] {
      Use s(stmts_.get("SELECT name FROM message_templates ORDER BY name"));
      std::vector<std::string> out;
      while (s->executeStep()) out.push_back(text(*s, 0));
      return out;
    });
  }

  void begin_status_period(const StatusPeriod &p) override {
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

  std::vector<StatusPeriod> status_periods(std::span<const std::int64_t> numbers) override {
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

  std::vector<SearchMatch> search(const SearchQuery &q) override {
    return guarded("search", [&] {
      // Driven from the index (CROSS JOIN keeps that order): a first page
      // costs what the matches of the words cost, whatever the history.
      const char *table = q.audience == SearchAudience::customer ? "search_customer" : "search_staff";
      Conditions c;
      std::string sql = fmt::format(
          "SELECT {0}, {1}.text, complaints_score({1}) AS score FROM {1} CROSS JOIN issues i ON i.number = "
          "{1}.rowid WHERE {1} MATCH ?1",
          issue_columns, table);
      c.skip(1);
      if (q.scope.customer) sql += " AND i.customer_id = " + c.text(*q.scope.customer);
      if (q.scope.reader)  // the issues the reader may see, as lists read them
        sql += " AND EXISTS (SELECT 1 FROM fieldworker_issues s WHERE s.fieldworker_id = " +
               c.text(*q.scope.reader) + " AND s.number = i.number)";
      sql += " ORDER BY score DESC, i.number LIMIT " + c.integer(static_cast<std::int64_t>(q.limit)) + " OFFSET " +
             c.integer(static_cast<std::int64_t>(q.offset));
      Use s(stmts_.get(sql));
      sqlite_search::UseQuery ranking(search_, q);
      s->bindNoCopy(1, q.fts5);
      c.bind(*s);
      std::vector<SearchMatch> out;
      const int text_column = s->getColumnCount() - 2;
      while (s->executeStep())
        out.push_back({read_issue(*s).issue, s->getColumn(text_column + 1).getDouble(), text(*s, text_column)});
      return out;
    });
  }

  void put_search_text(std::int64_t number, const SearchText &t) override {
    guarded("index an issue for search", [&] {
      for (auto [sql, text] :
           {std::pair{"INSERT OR REPLACE INTO search_customer (rowid, text) VALUES (?, ?)", &t.customer},
            {"INSERT OR REPLACE INTO search_staff (rowid, text) VALUES (?, ?)", &t.staff}}) {
        Use s(stmts_.get(sql));
        s->bind(1, number);
        s->bindNoCopy(2, *text);
        s->exec();
      }
    });
  }

  ErasedCounts erase_issue(std::int64_t number) override {
    return guarded("erase issue", [&] {
      ErasedCounts n;
      auto count = [&](const char *sql) {
        Use s(stmts_.get(sql));
        s->bind(1, number);
        return s->executeStep() ? s->getColumn(0).getInt64() : 0;
      };
      n.comments = count("SELECT count(*) FROM comments WHERE number = ?");
      n.attachments = count("SELECT count(*) FROM attachments WHERE number = ?");
      n.timeline_entries = count("SELECT count(*) FROM timeline WHERE number = ?");
      n.tasks = count("SELECT count(*) FROM tasks WHERE number = ?");
      {
        Use s(stmts_.get("DELETE FROM outbox WHERE issue_code = ?"));
        s->bind(1, format_issue_code(number));
        n.outbox_items = s->exec();
      }
      {
        Use s(stmts_.get("DELETE FROM due WHERE number = ?"));
        s->bind(1, number);
        s->exec();
      }
      for (const char *sql : {"DELETE FROM search_customer WHERE rowid = ?", "DELETE FROM search_staff WHERE rowid = ?"}) {
        Use s(stmts_.get(sql));
        s->bind(1, number);
        s->exec();
      }
      // FTS5 only marks a row's words deleted; its index keeps them until the
      // segments holding them are merged. Merging everything now leaves no
      // erased word in the index (secure_delete zeroes the freed pages). Its
      // cost grows with the index: delete forever is rare.
      for (const char *sql : {"INSERT INTO search_customer (search_customer) VALUES ('optimize')",
                              "INSERT INTO search_staff (search_staff) VALUES ('optimize')"}) {
        Use s(stmts_.get(sql));
        s->exec();
      }
      {
        // Everything else hangs off the issue row and goes with it (ON DELETE CASCADE).
        Use s(stmts_.get("DELETE FROM issues WHERE number = ?"));
        s->bind(1, number);
        s->exec();
      }
      // Older images of the erased pages stay in the write-ahead log until a
      // scrub: it is owed from this commit on, whatever happens next.
      debt_.record();
      return n;
    });
  }

  std::string dump() override {
    return guarded("dump", [&] {
      std::string out;
      {
        Use s(stmts_.get("PRAGMA user_version"));
        if (s->executeStep()) out += fmt::format("user_version {}\n", integer(*s, 0));
      }
      std::vector<std::string> tables;
      {
        Use s(stmts_.get("SELECT name, sql FROM sqlite_schema WHERE type IN ('table', 'index', 'trigger') "
                         "ORDER BY name"));
        while (s->executeStep()) {
          out += fmt::format("schema {}: {}\n", text(*s, 0), text(*s, 1));
          std::string name = text(*s, 0);
          if (!name.starts_with("sqlite_autoindex")) tables.push_back(name);
        }
      }
      for (const auto &t : tables) {
        SQLite::Statement probe(db_, "SELECT type FROM sqlite_schema WHERE name = ?");
        probe.bind(1, t);
        if (!probe.executeStep() || text(probe, 0) != "table") continue;
        SQLite::Statement s(db_, fmt::format("SELECT * FROM \"{}\"", t));
        std::vector<std::string> rows;
        while (s.executeStep()) {
          std::string row;
          for (int c = 0; c < s.getColumnCount(); ++c) {
            if (is_null(s, c))
              row += "|NULL";
            else if (s.getColumn(c).isInteger())
              row += fmt::format("|{}", integer(s, c));
            else
              row += fmt::format("|'{}'", text(s, c));
          }
          rows.push_back(std::move(row));
        }
        std::sort(rows.begin(), rows.end());
        for (const auto &r : rows) out += fmt::format("{} {}\n", t, r);
      }
      return out;
    });
  }

 private:
  // The host's criteria and the reader's scope of an issue query, without paging.
  static IssueSql issue_sql(const IssueQuery &q) {
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

  void index_fieldworkers(const Issue &issue) {
    for (const auto &id : issue.fieldworkers) {
      Use s(stmts_.get("INSERT OR IGNORE INTO issue_fieldworkers (fieldworker_id, number, open) VALUES (?, ?, ?)"));
      s->bind(1, id);
      s->bind(2, issue.number);
      s->bind(3, issue.is_closed() ? 0 : 1);
      s->exec();
    }
  }

  SQLite::Database &db_;
  StatementCache &stmts_;
  sqlite_scrub::Debt &debt_;
  sqlite_search::QuerySlot &search_;
  TxnMode mode_;
  bool open_ = false;
};

// A "file:" URI naming `path`, for SQLite's URI parameters: the characters a
// URI gives a meaning to are escaped.
std::string file_uri(const std::string &path) {
  std::string uri = path.starts_with('/') ? "file://" : "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#')
      uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    else
      uri += c;
  }
  return uri;
}

class SqliteStorage final : public Storage {
 public:
  SqliteStorage(const std::string &path, const SqliteOptions &options)
      : path_(check::excerpt(path, 200)),
        file_(path),
        options_(options),
        read_only_(options.read_only || options.immutable),
        db_(open(path, options)),
        stmts_(db_),
        debt_(db_, options.busy_timeout_ms) {
    guarded("configure database", [&] {
      db_.setBusyTimeout(options.busy_timeout_ms);
      if (!read_only_) {
        // On a file already in WAL mode this only reads its header: it writes nothing.
        SQLite::Statement mode(db_, "PRAGMA journal_mode = WAL");
        if (!mode.executeStep() || text(mode, 0) != "wal")
          throw StorageError(fmt::format("{}: cannot switch to WAL mode", path));
      }
      // These configure the connection; none writes the file.
      db_.exec(options.sync == SqliteOptions::Sync::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
      db_.exec("PRAGMA foreign_keys = ON");
      db_.exec(fmt::format("PRAGMA cache_size = -{}", std::max(options.cache_kib, 64)));
      // Deleted content is overwritten with zeros, not just unlinked: delete
      // forever must leave nothing to recover (SPEC R9), and neither should the
      // old text an edit replaced.
      db_.exec("PRAGMA secure_delete = ON");
      search_ = &sqlite_search::add_functions(db_.getHandle());
    });
    open_schema();
    // A scrub an erasure left owed (its process may have died right after the commit).
    if (!read_only_) debt_.settle_if_owed();
  }

  // The last chance this connection gets to pay a scrub still owed.
  ~SqliteStorage() override {
    if (!read_only_) debt_.settle_if_owed();
  }

  std::unique_ptr<StorageTransaction> begin(TxnMode mode) override {
    if (mode == TxnMode::write) refuse_if_read_only("nothing can be changed");
    return std::make_unique<SqliteTransaction>(db_, stmts_, debt_, *search_, mode);
  }

  std::unique_ptr<Storage> open_reader() override {
    // A private in-memory or temporary database is this connection's alone.
    if (file_.empty() || file_ == ":memory:") return nullptr;
    SqliteOptions o = options_;
    o.read_only = true;
    o.create = false;
    return std::make_unique<SqliteStorage>(file_, o);
  }

  std::string_view backend_name() const noexcept override { return "sqlite"; }

  bool scrub() override {
    refuse_if_read_only("its files cannot be scrubbed");
    return guarded("scrub", [&] { return debt_.settle(debt_.owed(), true); });
  }

 private:
  static SQLite::Database open(const std::string &path, const SqliteOptions &options) {
    try {
      // NOMUTEX: a connection is only ever used by one thread at a time (the
      // Storage contract; the Desk serializes), so SQLite's own per-call lock
      // is pure overhead.
      const int flags = SQLite::OPEN_NOMUTEX;
      if (options.immutable)
        return SQLite::Database(file_uri(path) + "?immutable=1", flags | SQLite::OPEN_READONLY | SQLite::OPEN_URI);
      if (options.read_only) return SQLite::Database(path, flags | SQLite::OPEN_READONLY);
      return SQLite::Database(path, flags | SQLite::OPEN_READWRITE | (options.create ? SQLite::OPEN_CREATE : 0));
    } catch (const SQLite::Exception &e) {
      throw StorageError(fmt::format("cannot open {}: {}", check::excerpt(path, 200), e.what()));
    }
  }

  void refuse_if_read_only(const char *what) const {
    if (read_only_) throw StorageError(fmt::format("{} was opened read-only: {}", path_, what), "read_only");
  }

  // Reads the schema version in a read transaction: a current store opens
  // without the write lock and without writing (SPEC R12.3). Only a migration
  // takes the lock, reading the version again under it (another connection
  // may have migrated meanwhile), and applies every missing step at once.
  void open_schema() {
    auto steps = sqlite_schema::migrations();
    const auto current = static_cast<int>(steps.size());
    guarded("open schema", [&] {
      int version = in_transaction("BEGIN DEFERRED", [&] { return checked_version(current); });
      if (version == current) return;
      if (read_only_ && version == 0)
        throw StorageError(fmt::format("{} holds no complaints schema yet, and was opened read-only", path_),
                           "read_only");
      if (read_only_)
        throw StorageError(fmt::format("{} has schema version {}, older than this library's {}, and was opened "
                                       "read-only: open it read-write once to migrate it",
                                       path_, version, current),
                           "read_only");
      in_transaction("BEGIN IMMEDIATE", [&] {
        int from = checked_version(current);
        if (from == current) return from;
        for (int v = from; v < current; ++v) db_.exec(steps[static_cast<std::size_t>(v)]);
        db_.exec(fmt::format("PRAGMA application_id = {}", sqlite_schema::application_id));
        db_.exec(fmt::format("PRAGMA user_version = {}", current));
        return current;
      });
    });
  }

  // The schema version, once the file is known to be a complaints database
  // (or empty) of no newer version than `current`. In a transaction.
  int checked_version(int current) {
    int app = db_.execAndGet("PRAGMA application_id").getInt();
    int version = db_.execAndGet("PRAGMA user_version").getInt();
    int tables = db_.execAndGet("SELECT count(*) FROM sqlite_schema").getInt();
    if (app != sqlite_schema::application_id && (app != 0 || version != 0 || tables != 0))
      throw StorageError(fmt::format("{} is not a complaints database", path_));
    if (version > current)
      throw StorageError(fmt::format("{} has schema version {}, newer than this library's {}; upgrade the library",
                                     path_, version, current));
    return version;
  }

  // Runs `body` between `begin` and COMMIT, rolling back if it throws.
  template <typename F>
  int in_transaction(const char *begin, F &&body) {
    db_.exec(begin);
    try {
      int result = body();
      db_.exec("COMMIT");
      return result;
    } catch (...) {
      db_.tryExec("ROLLBACK");
      throw;
    }
  }

  std::string path_;  // for messages
  std::string file_;
  SqliteOptions options_;
  bool read_only_;
  SQLite::Database db_;
  StatementCache stmts_;
  sqlite_scrub::Debt debt_;  // after db_: its statements are finalized before the connection closes
  sqlite_search::QuerySlot *search_ = nullptr;  // owned by the connection (its ranking function)
};

}  // namespace

std::unique_ptr<Storage> open_sqlite(const std::string &path, const SqliteOptions &options) {
  return std::make_unique<SqliteStorage>(path, options);
}

int sqlite_schema_version() noexcept { return static_cast<int>(sqlite_schema::migrations().size()); }

}  // namespace complaints
