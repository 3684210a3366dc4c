// The SQLite backend's private parts, shared by its files: the transaction
// class (its methods are defined by area: storage.cpp begins and commits,
// work.cpp, issues.cpp, holds.cpp, discussion.cpp, search.cpp and erase.cpp
// the rest), the statement cache, and the helpers every method uses.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include "complaints/errors.hpp"
#include "complaints/storage.hpp"
#include "storage/sqlite/scrub.hpp"
#include "storage/sqlite/search.hpp"

namespace complaints::sqlite_backend {

// Throws StorageError naming the operation `what` for SQLite's exception `e`
// (a lock held past the busy timeout says so).
[[noreturn]] void rethrow(const char *what, const SQLite::Exception &e);

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

// A transaction on one connection; see complaints/storage.hpp for each
// method's contract. Not thread-safe (as the connection).
class SqliteTransaction final : public StorageTransaction {
 public:
  SqliteTransaction(SQLite::Database &db, StatementCache &stmts, sqlite_scrub::Debt &debt,
                    sqlite_search::QuerySlot &search, TxnMode mode);
  ~SqliteTransaction() override;

  // --- storage.cpp
  void commit() override;

  // --- work.cpp: settings, workflows, issue types, due items, groups, tasks, outbox, users
  std::optional<std::string> setting(std::string_view key) override;
  void put_setting(std::string_view key, std::string_view value) override;
  std::optional<StoredWorkflow> workflow(std::string_view name) override;
  std::vector<std::string> workflow_names() override;
  void put_workflow(const StoredWorkflow &wf) override;
  std::vector<std::pair<std::string, std::int64_t>> status_counts(std::string_view workflow) override;
  std::vector<IssueType> issue_types() override;
  void put_issue_type(const IssueType &type) override;
  void put_due(const DueItem &item) override;
  bool remove_due(std::int64_t number, std::string_view kind, std::string_view name) override;
  std::optional<DueItem> due_item(std::int64_t number, std::string_view kind, std::string_view name) override;
  std::vector<DueItem> due_items(Timestamp now, std::size_t limit) override;
  std::optional<Timestamp> next_due() override;
  void put_group(const Group &group) override;
  std::optional<Group> group(std::string_view id) override;
  std::vector<Group> groups() override;
  std::vector<std::string> groups_of_user(std::string_view user) override;
  std::int64_t allocate_task_id() override;
  void insert_task(const Task &task) override;
  std::optional<Task> task(std::int64_t id) override;
  bool update_task(const Task &before, const Task &after) override;
  std::vector<Task> tasks_of_issue(std::int64_t number) override;
  std::vector<Task> open_tasks(std::span<const std::string> groups, std::string_view assignee, std::int64_t after_id,
                               std::size_t limit) override;
  std::int64_t enqueue(const OutboxItem &item) override;
  std::vector<OutboxItem> pending_outbox(std::size_t limit, std::int64_t after_id) override;
  std::size_t ack_outbox(std::span<const std::int64_t> ids) override;
  std::optional<User> user(std::string_view id) override;
  void put_user(const User &u) override;
  std::vector<User> users_with_role(Role role) override;

  // --- issues.cpp: records, issues, timelines, status periods
  std::optional<Record> record(const RecordRef &ref) override;
  std::optional<std::pair<IssueRow, Record>> issue_with_record(std::int64_t number) override;
  void put_record(const Record &r) override;
  std::int64_t allocate_issue_number() override;
  std::optional<IssueRow> issue(std::int64_t number) override;
  void insert_issue(const IssueRow &row) override;
  void put_readers(std::int64_t number, std::span<const std::string> readers) override;
  bool update_issue(const IssueRow &before, const IssueRow &after) override;
  std::vector<Issue> find_issues(const IssueQuery &q) override;
  std::int64_t count_issues(const IssueQuery &q) override;
  std::vector<std::string> fieldworkers_of_issues(std::span<const StatusCategory> categories) override;
  std::vector<std::int64_t> issues_of_record(const RecordRef &ref) override;
  void append_timeline(const TimelineEntry &e) override;
  std::vector<TimelineEntry> timeline(std::int64_t number) override;
  std::vector<NumberedChange> timeline_changes(std::span<const std::int64_t> numbers,
                                               std::span<const std::string> fields) override;
  void begin_status_period(const StatusPeriod &p) override;
  std::vector<StatusPeriod> status_periods(std::span<const std::int64_t> numbers) override;

  // --- holds.cpp
  std::optional<PaymentHold> hold(const RecordRef &record, std::string_view fieldworker) override;
  void put_hold(const PaymentHold &h) override;
  void link_hold(const RecordRef &record, std::string_view fieldworker, std::int64_t number, bool blocking) override;
  void mark_blocking(std::int64_t number, bool blocking) override;
  std::vector<PaymentHold> holds_of_issue(std::int64_t number) override;
  std::vector<PaymentHold> find_holds(const HoldFilter &f) override;
  std::int64_t append_ledger(const HoldLedgerEntry &e) override;
  std::vector<HoldLedgerEntry> ledger(Timestamp from, Timestamp to) override;
  std::int64_t drop_from_ledger(std::string_view code) override;

  // --- discussion.cpp: comments, attachments, watchers, links, message templates
  std::int64_t add_comment(std::int64_t number, const Comment &c) override;
  std::vector<Comment> comments(std::int64_t number) override;
  std::int64_t add_attachment(std::int64_t number, const Attachment &a) override;
  std::vector<Attachment> attachments(std::int64_t number) override;
  std::optional<Attachment> attachment(std::int64_t id) override;
  std::vector<std::string> watchers(std::int64_t number) override;
  bool add_watcher(std::int64_t number, std::string_view user) override;
  bool remove_watcher(std::int64_t number, std::string_view user) override;
  bool add_link(const StoredLink &l) override;
  bool remove_link(std::int64_t from, std::int64_t to, LinkKind kind) override;
  std::vector<StoredLink> links(std::int64_t number) override;
  std::optional<MessageTemplate> message_template(std::string_view name) override;
  void put_message_template(const MessageTemplate &t) override;
  bool delete_message_template(std::string_view name) override;
  std::vector<std::string> message_template_names() override;

  // --- search.cpp
  std::vector<SearchMatch> search(const SearchQuery &q) override;
  void put_search_text(std::int64_t number, const SearchText &t) override;

  // --- erase.cpp: delete forever, dump
  ErasedCounts erase_issue(std::int64_t number) override;
  std::string dump() override;

 private:
  // issues.cpp
  void index_fieldworkers(const Issue &issue);

  SQLite::Database &db_;
  StatementCache &stmts_;
  sqlite_scrub::Debt &debt_;
  sqlite_search::QuerySlot &search_;
  TxnMode mode_;
  bool open_ = false;
};

}  // namespace complaints::sqlite_backend
