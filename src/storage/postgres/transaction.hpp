// The PostgreSQL backend's private parts: the connection a Storage owns
// (Session) and the transaction class, whose methods are defined by area in
// the other files of this directory.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <pqxx/pqxx>

#include "complaints/postgres.hpp"
#include "complaints/storage.hpp"

namespace complaints::postgres {

/// One statement parameter as text, or NULL. Text holding a NUL byte cannot
/// travel to PostgreSQL, so it is refused (StorageError) instead of being cut.
struct Param {
  std::optional<std::string> value;
  Param(std::nullopt_t) {}  // NOLINT: NULL
  Param(std::string_view v);  // NOLINT
  Param(const std::string &v) : Param(std::string_view(v)) {}  // NOLINT
  Param(const char *v) : Param(std::string_view(v)) {}          // NOLINT
  Param(std::int64_t v) : value(std::to_string(v)) {}          // NOLINT
  Param(int v) : value(std::to_string(v)) {}                   // NOLINT
  Param(std::size_t v) : value(std::to_string(v)) {}           // NOLINT
};
using Params = std::vector<Param>;

}  // namespace complaints::postgres

// How libpqxx passes a Param (pqxx::prepare::make_dynamic_params).
template <>
struct pqxx::string_traits<complaints::postgres::Param> {
  using Param = complaints::postgres::Param;
  static constexpr const char *name() noexcept { return "complaints::postgres::Param"; }
  static constexpr bool has_null() noexcept { return true; }
  static bool is_null(const Param &p) { return !p.value; }
  static Param null() { return Param(std::nullopt); }
  static void from_string(const char str[], Param &p) { p = Param(std::string_view(str)); }
  static std::string to_string(const Param &p) { return p.value ? *p.value : std::string(); }
};

namespace complaints::postgres {

/// The connection of one Storage: opened on demand, its prepared statements
/// remembered, and dropped when it breaks so that the next begin() reconnects.
class Session {
 public:
  Session(std::string conninfo, PostgresOptions options);
  /// The open connection, connecting (and setting the search path and
  /// timeouts) when there is none.
  pqxx::connection &connection();
  /// Forgets a connection that broke (the next connection() reconnects).
  void drop() noexcept;
  /// The name of `sql` prepared on the current connection, preparing it the first time.
  const std::string &prepared(const std::string &sql);
  const PostgresOptions &options() const { return options_; }
  /// The schema's name quoted as an identifier.
  std::string quoted_schema();

 private:
  std::string conninfo_;
  PostgresOptions options_;
  std::unique_ptr<pqxx::connection> conn_;
  bool broken_ = false;
  std::unordered_map<std::string, std::string> prepared_;
};

/// Throws the StorageError for a libpqxx or libpq failure during `what`:
/// TransientStorageError for a serialization failure or deadlock; drops the
/// session's connection when it broke.
[[noreturn]] void rethrow(Session &session, const char *what);

// Text helpers shared by the area files.
std::string join_lines(const std::vector<std::string> &items);
std::vector<std::string> split_lines(std::string_view joined);
std::string text(const pqxx::field &f);
std::string_view view(const pqxx::field &f);
std::int64_t integer(const pqxx::field &f);

class PgTransaction final : public StorageTransaction {
 public:
  PgTransaction(Session &session, TxnMode mode);
  ~PgTransaction() override;

  void commit() override;

  std::optional<std::string> setting(std::string_view key) override;
  void put_setting(std::string_view key, std::string_view value) override;
  std::optional<StoredWorkflow> workflow(std::string_view name) override;
  std::vector<std::string> workflow_names() override;
  void put_workflow(const StoredWorkflow &wf) override;
  std::vector<std::pair<std::string, std::int64_t>> status_counts(std::string_view workflow) override;
  std::vector<IssueType> issue_types() override;
  void put_issue_type(const IssueType &type) override;
  std::optional<Record> record(const RecordRef &ref) override;
  void put_record(const Record &record) override;

  std::int64_t allocate_issue_number() override;
  std::optional<IssueRow> issue(std::int64_t number) override;
  std::optional<std::pair<IssueRow, Record>> issue_with_record(std::int64_t number) override;
  void insert_issue(const IssueRow &row) override;
  void put_readers(std::int64_t number, std::span<const std::string> readers) override;
  bool update_issue(const IssueRow &before, const IssueRow &after) override;
  std::vector<Issue> find_issues(const IssueQuery &query) override;
  std::vector<std::int64_t> issues_of_record(const RecordRef &ref) override;
  std::int64_t count_issues(const IssueQuery &query) override;
  std::vector<std::string> fieldworkers_of_issues(std::span<const StatusCategory> categories) override;

  void append_timeline(const TimelineEntry &entry) override;
  std::vector<TimelineEntry> timeline(std::int64_t number) override;
  std::vector<NumberedChange> timeline_changes(std::span<const std::int64_t> numbers,
                                               std::span<const std::string> fields) override;
  void put_due(const DueItem &item) override;
  bool remove_due(std::int64_t number, std::string_view kind, std::string_view name) override;
  std::optional<DueItem> due_item(std::int64_t number, std::string_view kind, std::string_view name) override;
  std::vector<DueItem> due_items(Timestamp now, std::size_t limit) override;
  std::optional<Timestamp> next_due() override;
  void begin_status_period(const StatusPeriod &p) override;
  std::vector<StatusPeriod> status_periods(std::span<const std::int64_t> numbers) override;

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
  void put_user(const User &user) override;
  std::vector<User> users_with_role(Role role) override;

  std::optional<PaymentHold> hold(const RecordRef &record, std::string_view fieldworker) override;
  void put_hold(const PaymentHold &hold) override;
  void link_hold(const RecordRef &record, std::string_view fieldworker, std::int64_t number, bool blocking) override;
  void mark_blocking(std::int64_t number, bool blocking) override;
  std::int64_t drop_from_ledger(std::string_view code) override;
  std::vector<PaymentHold> holds_of_issue(std::int64_t number) override;
  std::vector<PaymentHold> find_holds(const HoldFilter &filter) override;
  std::int64_t append_ledger(const HoldLedgerEntry &entry) override;
  std::vector<HoldLedgerEntry> ledger(Timestamp from, Timestamp to) override;

  std::int64_t add_comment(std::int64_t number, const Comment &comment) override;
  std::vector<Comment> comments(std::int64_t number) override;
  std::int64_t add_attachment(std::int64_t number, const Attachment &attachment) override;
  std::vector<Attachment> attachments(std::int64_t number) override;
  std::optional<Attachment> attachment(std::int64_t id) override;
  std::vector<std::string> watchers(std::int64_t number) override;
  bool add_watcher(std::int64_t number, std::string_view user) override;
  bool remove_watcher(std::int64_t number, std::string_view user) override;
  bool add_link(const StoredLink &link) override;
  bool remove_link(std::int64_t from, std::int64_t to, LinkKind kind) override;
  std::vector<StoredLink> links(std::int64_t number) override;
  std::optional<MessageTemplate> message_template(std::string_view name) override;
  void put_message_template(const MessageTemplate &t) override;
  bool delete_message_template(std::string_view name) override;
  std::vector<std::string> message_template_names() override;

  std::vector<SearchMatch> search(const SearchQuery &query) override;
  void put_search_text(std::int64_t number, const SearchText &text) override;
  ErasedCounts erase_issue(std::int64_t number) override;
  std::string dump() override;

  /// Runs `sql` (prepared once per connection) with `params`; StorageError naming `what` on failure.
  pqxx::result exec(const char *what, const std::string &sql, const Params &params = {});
  /// Throws StorageError unless this is a write transaction.
  void write() const;

 private:
  // Ends the transaction after the exception being handled (rolling back what
  // the server has not) and throws it as a StorageError naming `what`.
  [[noreturn]] void fail(const char *what);

  // The next value of one of the schema's sequences (issue numbers, task ids).
  std::int64_t next_in_sequence(const char *what, const char *sequence);

  // Rows of an issue this transaction inserted: numbers are never handed out
  // twice, so its readers, search words and status periods are the ones this
  // transaction wrote, none before the first write. The first put_readers,
  // put_search_text and begin_status_period of such an issue therefore skip
  // the statement that would clear or close earlier rows. That is not only a
  // round trip saved: the skipped statement reads the index page where every
  // concurrent report inserts its own new number, and under SERIALIZABLE
  // those reads made concurrent reports abort each other.
  enum Fresh : unsigned { readers_written = 1, search_written = 2, period_written = 4 };
  // True when `number` was inserted by this transaction and `part` was not
  // written for it yet; marks `part` written.
  bool first_write(std::int64_t number, Fresh part);
  std::unordered_map<std::int64_t, unsigned> fresh_;

  std::vector<PaymentHold> read_holds(const pqxx::result &r);
  std::vector<Attachment> read_attachments(const pqxx::result &r, bool with_bytes);

  Session &session_;
  std::optional<pqxx::nontransaction> tx_;
  bool writable_;
  bool open_ = true;  // BEGIN ran and neither COMMIT nor ROLLBACK yet
};

}  // namespace complaints::postgres
