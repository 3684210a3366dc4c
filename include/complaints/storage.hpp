// complaints/storage.hpp - the pluggable storage interface (SPEC R12).
//
// Like LevelDB's Env: an abstract interface with every method's contract
// written here, and implementations the library owns, each opened from a
// header of its own: SQLite, the embedded default (complaints/sqlite.hpp:
// SqliteOptions, open_sqlite), and in-memory, for hosts' unit tests
// (complaints/memory_storage.hpp: make_memory_storage). Domain code only ever
// talks to this interface, so a new backend touches no domain code. A
// conformance suite, installed with the library, runs the same cases on
// every backend, a host's own too (docs/storage.md).
//
// All work happens inside a StorageTransaction. A write transaction sees its
// own writes, is isolated from every other transaction (on SQLite, across
// processes too: BEGIN IMMEDIATE), and either commits all its writes or none.
// Destroying a transaction that was not committed rolls it back and never
// throws.
//
// Errors: every method throws StorageError when the backend fails (I/O, a
// lock held past the busy timeout, a constraint the caller should have
// prevented). After a StorageError the transaction must be discarded. No
// method validates domain rules; the Desk does that before calling.
//
// Read-only stores (SqliteOptions::read_only, complaints/sqlite.hpp):
// begin(TxnMode::write) and scrub() throw StorageError with where()
// "read_only"; reads work.
//
// Thread-safety: a Storage and its transactions are used by one thread at a
// time; at most one transaction per Storage object is open at once (the
// Desk serializes its callers). Separate Storage objects on one SQLite file,
// in one process or several, are safe.
#pragma once

#include "complaints/export.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "complaints/discussion.hpp"
#include "complaints/issue.hpp"
#include "complaints/messages.hpp"
#include "complaints/outbox.hpp"
#include "complaints/payment_hold.hpp"
#include "complaints/record.hpp"
#include "complaints/task.hpp"
#include "complaints/timeline.hpp"
#include "complaints/users.hpp"

namespace complaints {

/// An issue as stored: the snapshot plus the head of its timeline chain.
struct IssueRow {
  Issue issue;
  std::int64_t timeline_seq = 0;  ///< seq of the newest timeline entry
  std::string timeline_hash;      ///< hash of the newest timeline entry
  friend bool operator==(const IssueRow &, const IssueRow &) = default;
};

/// A stored workflow definition.
struct StoredWorkflow {
  std::string name;
  std::string json;
  std::int64_t revision = 0;  ///< bumped by the Desk on every change
  friend bool operator==(const StoredWorkflow &, const StoredWorkflow &) = default;
};

/// Whose issues a read may return. The Desk computes it once from the reader
/// (access::scope): staff read every issue, a customer their own, a
/// fieldworker the issues whose readers (put_readers) include them. A backend
/// only filters by it; it never decides who sees what.
struct ReadScope {
  /// Only issues whose customer_id is this.
  std::optional<std::string> customer{};
  /// Only issues whose readers, as last written by put_readers, include this id.
  std::optional<std::string> reader{};
  friend bool operator==(const ReadScope &, const ReadScope &) = default;
};

/// What Desk::list asks of storage: the host's filter plus the reader's scope.
struct IssueQuery {
  IssueFilter filter;
  ReadScope scope{};
};

/// One phrase of a full-text query: words as the index keeps them (see
/// docs/reporting.md, "Search"), to be found one after another; with
/// `prefix` the last word is a prefix ("leak*" finds "leaking").
struct SearchPhrase {
  std::vector<std::string> words{};
  bool prefix = false;
  /// false for a phrase under NOT: it excludes issues and adds nothing to the rank.
  bool scored = true;
  friend bool operator==(const SearchPhrase &, const SearchPhrase &) = default;
};

/// A full-text query as a tree: a phrase (by index into SearchQuery::phrases),
/// or all / any of its children, or its first child except issues matching the second.
struct SearchExpr {
  enum class Kind : std::uint8_t { phrase, all, any, except };
  Kind kind = Kind::phrase;
  std::size_t phrase = 0;
  std::vector<SearchExpr> children{};
  friend bool operator==(const SearchExpr &, const SearchExpr &) = default;
};

/// Which text of an issue a search reads: a customer's (the description,
/// public comments and the names of public attachments) or everyone else's
/// (all of them). The Desk writes both with put_search_text.
enum class SearchAudience : std::uint8_t { customer, staff };

/// What Desk::search asks of storage. The Desk parses the host's query once
/// into `phrases` and `expr`, and also spells it in SQLite FTS5's syntax
/// (`fts5`) for backends built on FTS5; a backend uses one or the other.
struct SearchQuery {
  std::vector<SearchPhrase> phrases{};
  SearchExpr expr{};
  std::string fts5{};
  SearchAudience audience = SearchAudience::staff;
  ReadScope scope{};  ///< as in IssueQuery
  std::size_t limit = 100;
  std::size_t offset = 0;
};

/// The two texts of an issue a search reads (see SearchAudience): parts
/// joined by newlines, in the order description, comments by id, attachment
/// names by id.
struct SearchText {
  std::string customer{};
  std::string staff{};
  friend bool operator==(const SearchText &, const SearchText &) = default;
};

/// What search_score needs of a whole audience's texts (every issue's).
struct SearchStats {
  std::int64_t texts = 0;  ///< issues with a text
  std::int64_t words = 0;  ///< words in all of them
  /// Per phrase of the query: texts in which the phrase occurs at least once.
  std::vector<std::int64_t> texts_with_phrase{};
};

/// The relevance of one text to a query: Okapi BM25 (k1 = 1.2, b = 0.75)
/// summed over the scored phrases. `frequency[i]` counts the occurrences of
/// phrase i in the text, counted only where the phrase's branch of the query
/// holds for the text (a phrase of an "any" child that does not hold, or of
/// the second child of an "except", counts 0); `words` is the text's length in
/// words. idf = ln((texts - n + 0.5) / (n + 0.5)), at least 1e-6. Every backend
/// ranks with this function. Throws InvalidInput when the sizes disagree.
COMPLAINTS_API double search_score(const SearchQuery &query, const SearchStats &stats,
                                   std::span<const std::int64_t> frequency, std::int64_t words);

/// One issue found by StorageTransaction::search.
struct SearchMatch {
  Issue issue{};
  double score = 0;  ///< search::score over the audience's texts; higher is more relevant
  std::string text;  ///< the audience's text of the issue, for the snippet
};

/// A stretch of time an issue spent in one status (dashboards: docs/reporting.md).
/// The Desk opens one when an issue is reported and another at each change of
/// status, in the same transaction as the change.
struct StatusPeriod {
  std::int64_t number = 0;
  std::string status;
  StatusCategory category = StatusCategory::open;
  std::string stage;                  ///< "" where the workflow has no stages
  Timestamp since;
  std::optional<Timestamp> until{};   ///< empty while the issue is still in it
  friend bool operator==(const StatusPeriod &, const StatusPeriod &) = default;
};

/// One change found on a timeline by StorageTransaction::timeline_changes.
struct NumberedChange {
  std::int64_t number = 0;  ///< the issue
  std::int64_t seq = 0;     ///< the timeline entry
  FieldChange change;
  friend bool operator==(const NumberedChange &, const NumberedChange &) = default;
};

/// One piece of work that falls due at a moment (SPEC R8.1): a workflow
/// timer, an SLA's warning or breach, a To Follow reminder, a scheduled
/// reminder run. The engine decides what is due and when, and hands the
/// backend these rows to keep; Desk::process_due finds them by due_at.
struct DueItem {
  std::int64_t number = 0;  ///< the issue it concerns, or 0 for desk-wide work
  std::string kind;         ///< what to do: "timer", "sla_warning", "sla_breach", "to_follow", "schedule", ...
  std::string name;         ///< tells items of one kind on one issue apart (a timer's or a policy's name)
  Timestamp due_at;
  friend bool operator==(const DueItem &, const DueItem &) = default;
};

/// A link between two issues as stored (from -> to).
struct StoredLink {
  std::int64_t from = 0;
  std::int64_t to = 0;
  LinkKind kind = LinkKind::related;
  std::string created_by;
  Timestamp created_at;
  friend bool operator==(const StoredLink &, const StoredLink &) = default;
};

/// What StorageTransaction::erase_issue removed.
struct ErasedCounts {
  std::int64_t comments = 0;
  std::int64_t attachments = 0;
  std::int64_t timeline_entries = 0;
  std::int64_t outbox_items = 0;
  std::int64_t tasks = 0;
};

enum class TxnMode : std::uint8_t { read, write };

class COMPLAINTS_API StorageTransaction {
 public:
  StorageTransaction() = default;
  StorageTransaction(const StorageTransaction &) = delete;
  StorageTransaction &operator=(const StorageTransaction &) = delete;
  /// Rolls back unless committed. Never throws.
  virtual ~StorageTransaction() = default;

  /// Makes every write of this transaction durable and visible, atomically.
  /// Afterwards the transaction may not be used. Throws StorageError (nothing committed).
  /// SQLite: after a write transaction commits, a scrub owed by an erasure
  /// (see erase_issue) is attempted, without waiting for other connections;
  /// whether it succeeds does not change the outcome of commit().
  virtual void commit() = 0;

  // --- settings: small key/value pairs (values are opaque text) -------------
  // Keys beginning "sqlite." belong to the SQLite backend's own bookkeeping.
  virtual std::optional<std::string> setting(std::string_view key) = 0;
  /// Inserts or replaces. Write.
  virtual void put_setting(std::string_view key, std::string_view value) = 0;

  // --- workflows -------------------------------------------------------------
  virtual std::optional<StoredWorkflow> workflow(std::string_view name) = 0;
  /// Names in ascending order.
  virtual std::vector<std::string> workflow_names() = 0;
  /// Inserts or replaces by name. Write.
  virtual void put_workflow(const StoredWorkflow &wf) = 0;
  /// Number of issues of a workflow in each status, by status name ascending.
  virtual std::vector<std::pair<std::string, std::int64_t>> status_counts(std::string_view workflow) = 0;

  // --- issue types -----------------------------------------------------------
  /// In the order they were added.
  virtual std::vector<IssueType> issue_types() = 0;
  /// Inserts, or replaces the colour of an existing name. Write.
  virtual void put_issue_type(const IssueType &type) = 0;

  // --- records ---------------------------------------------------------------
  virtual std::optional<Record> record(const RecordRef &ref) = 0;
  /// Inserts or replaces the record and its fieldworker list. Write.
  virtual void put_record(const Record &record) = 0;

  // --- issues ----------------------------------------------------------------
  /// Returns a new issue number and consumes it. What every backend
  /// guarantees: numbers are at least 1 (the first on a new store is 1),
  /// never returned twice by a database, even once their issue is erased,
  /// and each is greater than every number returned before it. A number
  /// taken by a transaction that rolls back names no issue; whether it is
  /// returned again is the backend's to say: SQLite and the in-memory backend
  /// return it again (their numbers run 1, 2, 3, ... without gaps), the
  /// PostgreSQL backend does not (a gap; complaints/postgres.hpp). Write.
  virtual std::int64_t allocate_issue_number() = 0;
  virtual std::optional<IssueRow> issue(std::int64_t number) = 0;
  /// The issue `number` and its record, read together (one query where the
  /// backend can: most operations on an issue need both). nullopt when there
  /// is no such issue; StorageError when its record is missing.
  virtual std::optional<std::pair<IssueRow, Record>> issue_with_record(std::int64_t number) = 0;
  /// Inserts a new issue (its number from allocate_issue_number). Write.
  virtual void insert_issue(const IssueRow &row) = 0;
  /// Replaces the readers of issue `number`: the ids, besides staff and the
  /// issue's customer, whose ReadScope::reader finds it (the Desk computes them
  /// with access::readers when an issue is reported or moves record, and when
  /// its record changes). The issue exists in this transaction. Write.
  virtual void put_readers(std::int64_t number, std::span<const std::string> readers) = 0;
  /// Replaces the stored issue `before` (as read in this transaction) with
  /// `after`, if the stored version is still before.issue.version; returns
  /// false (and writes nothing) otherwise. Knowing `before` lets a backend
  /// maintain its indexes only where values changed. Write.
  virtual bool update_issue(const IssueRow &before, const IssueRow &after) = 0;
  /// Issues matching the query, by number ascending, at most filter.limit.
  virtual std::vector<Issue> find_issues(const IssueQuery &query) = 0;
  /// Numbers of every issue on a record, ascending.
  virtual std::vector<std::int64_t> issues_of_record(const RecordRef &ref) = 0;
  /// How many issues match the query (its after_number and limit are ignored).
  virtual std::int64_t count_issues(const IssueQuery &query) = 0;
  /// The responsible fieldworkers of the issues whose category is one of
  /// `categories`, each once, ascending.
  virtual std::vector<std::string> fieldworkers_of_issues(std::span<const StatusCategory> categories) = 0;

  // --- timeline --------------------------------------------------------------
  /// Appends an entry (its issue_code, seq and hashes already set). Write.
  virtual void append_timeline(const TimelineEntry &entry) = 0;
  /// An issue's entries by seq ascending.
  virtual std::vector<TimelineEntry> timeline(std::int64_t number) = 0;
  /// The changes to any of `fields` (exact names) on the timelines of the
  /// issues `numbers` (ascending, each once), by number, then seq ascending;
  /// none when `fields` is empty. One read for a page of issues (the export
  /// finds their resolutions this way), at most limits::page_items numbers.
  virtual std::vector<NumberedChange> timeline_changes(std::span<const std::int64_t> numbers,
                                                       std::span<const std::string> fields) = 0;

  // --- due work ----------------------------------------------------------------
  /// Inserts an item, or moves the one with its key (number, kind, name) to
  /// the new due_at. Write.
  virtual void put_due(const DueItem &item) = 0;
  /// Removes the item with this key; false (and no write) when there is none. Write.
  virtual bool remove_due(std::int64_t number, std::string_view kind, std::string_view name) = 0;
  /// The item with this key.
  virtual std::optional<DueItem> due_item(std::int64_t number, std::string_view kind, std::string_view name) = 0;
  /// Items with due_at <= now, ordered by due_at, then number, kind and name; at most `limit`.
  virtual std::vector<DueItem> due_items(Timestamp now, std::size_t limit) = 0;
  /// The earliest due_at of all items; nullopt when there are none.
  virtual std::optional<Timestamp> next_due() = 0;

  // --- groups and tasks (SPEC R8.4) --------------------------------------------
  /// Inserts or replaces a group and its member list. Write.
  virtual void put_group(const Group &group) = 0;
  virtual std::optional<Group> group(std::string_view id) = 0;
  /// Every group, by id ascending.
  virtual std::vector<Group> groups() = 0;
  /// The ids of the groups `user` is a member of, ascending.
  virtual std::vector<std::string> groups_of_user(std::string_view user) = 0;
  /// Returns a new task id and consumes it, with allocate_issue_number's
  /// guarantees (at least 1, never returned twice, greater than every id
  /// before it; gaps after a rollback where the backend says so). Write.
  virtual std::int64_t allocate_task_id() = 0;
  /// Inserts a new task (its id from allocate_task_id, its issue stored). Write.
  virtual void insert_task(const Task &task) = 0;
  virtual std::optional<Task> task(std::int64_t id) = 0;
  /// Replaces the stored task `before` (as read in this transaction) with
  /// `after`, if the stored version is still before.version; returns false
  /// (and writes nothing) otherwise. A claim is this compare-and-set inside a
  /// write transaction, so of two claimers exactly one sees true. Write.
  virtual bool update_task(const Task &before, const Task &after) = 0;
  /// The tasks of one issue, by id ascending.
  virtual std::vector<Task> tasks_of_issue(std::int64_t number) = 0;
  /// Open tasks by id ascending, id > after_id, at most `limit`: with
  /// `assignee` empty, the claimable ones (nobody working them) of the
  /// groups in `groups`; else the ones `assignee` works.
  virtual std::vector<Task> open_tasks(std::span<const std::string> groups, std::string_view assignee,
                                       std::int64_t after_id, std::size_t limit) = 0;

  // --- outbox ----------------------------------------------------------------
  /// Queues an item; returns its id (ids ascend in queueing order). Write.
  virtual std::int64_t enqueue(const OutboxItem &item) = 0;
  /// Unacknowledged items, oldest first, at most `limit`, with id > after_id.
  virtual std::vector<OutboxItem> pending_outbox(std::size_t limit, std::int64_t after_id) = 0;
  /// Removes delivered items; returns how many of `ids` were pending. Write.
  virtual std::size_t ack_outbox(std::span<const std::int64_t> ids) = 0;

  // --- payment holds ---------------------------------------------------------
  /// The hold of (record, fieldworker) with `issues` (every linked issue) and
  /// `blocking` (those whose link is marked blocking: see link_hold), both ascending.
  virtual std::optional<PaymentHold> hold(const RecordRef &record, std::string_view fieldworker) = 0;
  /// Inserts or replaces a hold's state, amount, scope and times; its links
  /// (issues, blocking) are ignored: see link_hold. Write.
  virtual void put_hold(const PaymentHold &hold) = 0;
  /// Links an issue to an existing hold, marked `blocking` or not (the Desk
  /// decides: holds::blocks); linking again changes nothing, not even the mark.
  /// The issue may be inserted later in the same transaction. Write.
  virtual void link_hold(const RecordRef &record, std::string_view fieldworker, std::int64_t number,
                         bool blocking) = 0;
  /// Marks every hold link of issue `number` blocking or not (the Desk calls it
  /// when holds::blocks of the issue changes). Write.
  virtual void mark_blocking(std::int64_t number, bool blocking) = 0;
  /// Every hold an issue is linked to, ordered by fieldworker.
  virtual std::vector<PaymentHold> holds_of_issue(std::int64_t number) = 0;
  /// Holds matching the filter, ordered by record kind, record id and
  /// fieldworker, at most filter.limit.
  virtual std::vector<PaymentHold> find_holds(const HoldFilter &filter) = 0;
  /// Appends a line to the holds ledger; returns its id (ascending). Write.
  virtual std::int64_t append_ledger(const HoldLedgerEntry &entry) = 0;
  /// Ledger lines with from <= at < to, by id.
  virtual std::vector<HoldLedgerEntry> ledger(Timestamp from, Timestamp to) = 0;
  /// Removes the issue code `code` from the issues of every ledger line that
  /// names it; the lines stay (the Desk calls it when it erases an issue).
  /// Returns how many lines changed. Write.
  virtual std::int64_t drop_from_ledger(std::string_view code) = 0;

  // --- users -----------------------------------------------------------------
  virtual std::optional<User> user(std::string_view id) = 0;
  /// Inserts or replaces. Write.
  virtual void put_user(const User &user) = 0;
  /// Registered users with a role, by id.
  virtual std::vector<User> users_with_role(Role role) = 0;

  // --- discussion ------------------------------------------------------------
  /// Stores a comment on an issue (its id and attachments are ignored: see
  /// add_attachment); returns the new id (ascending). Write.
  virtual std::int64_t add_comment(std::int64_t number, const Comment &comment) = 0;
  /// An issue's comments by id, each with its attachments (without bytes).
  virtual std::vector<Comment> comments(std::int64_t number) = 0;
  /// Stores an attachment of an issue, or of one of its comments; returns the new id. Write.
  virtual std::int64_t add_attachment(std::int64_t number, const Attachment &attachment) = 0;
  /// An issue's attachments (its own and its comments'), by id, without bytes.
  virtual std::vector<Attachment> attachments(std::int64_t number) = 0;
  /// One attachment, with its bytes when stored.
  virtual std::optional<Attachment> attachment(std::int64_t id) = 0;

  // --- watchers and links --------------------------------------------------------
  /// Watchers of an issue, by id.
  virtual std::vector<std::string> watchers(std::int64_t number) = 0;
  /// Adds a watcher; false (and no write) when already watching. Write.
  virtual bool add_watcher(std::int64_t number, std::string_view user) = 0;
  /// Removes a watcher; false when not watching. Write.
  virtual bool remove_watcher(std::int64_t number, std::string_view user) = 0;
  /// Adds a link; false (and no write) when the same link exists. Write.
  virtual bool add_link(const StoredLink &link) = 0;
  /// Removes a link; false when there was none. Write.
  virtual bool remove_link(std::int64_t from, std::int64_t to, LinkKind kind) = 0;
  /// Links from or to an issue, by the other issue's number.
  virtual std::vector<StoredLink> links(std::int64_t number) = 0;

  // --- message templates -------------------------------------------------------
  /// A template saved in this database (built-in ones live in the library).
  virtual std::optional<MessageTemplate> message_template(std::string_view name) = 0;
  /// Inserts or replaces by name. Write.
  virtual void put_message_template(const MessageTemplate &t) = 0;
  /// Removes a saved template; false when there was none. Write.
  virtual bool delete_message_template(std::string_view name) = 0;
  /// Names of the saved templates, ascending.
  virtual std::vector<std::string> message_template_names() = 0;

  // --- dashboards ----------------------------------------------------------------
  /// Ends the issue's open status period (if any) at p.since and opens `p`
  /// (its `until` ignored). Write.
  virtual void begin_status_period(const StatusPeriod &p) = 0;
  /// The status periods of these issues (numbers ascending, at most
  /// limits::page_items), by number then since. Issues without periods give none.
  virtual std::vector<StatusPeriod> status_periods(std::span<const std::int64_t> numbers) = 0;

  // --- search and erasure ------------------------------------------------------
  /// Issues within the query's scope whose audience text matches
  /// query.expr: every issue for which the expression holds, where a phrase
  /// holds when its words occur in a row of the text. Ordered by score
  /// (descending), then number; `offset` of them skipped, at most `limit`.
  /// The score is search_score() over the audience's texts of every issue
  /// (not only those in scope), so that all backends rank alike.
  virtual std::vector<SearchMatch> search(const SearchQuery &query) = 0;
  /// Replaces the texts a search reads of an issue. Write.
  virtual void put_search_text(std::int64_t number, const SearchText &text) = 0;
  /// Erases an issue and everything about it: its row, its readers,
  /// due items, tasks, timeline, comments, attachments, watchers, links (both ways), hold links,
  /// its search texts (gone from the index's files too once the scrub is done),
  /// its status periods,
  /// and the undelivered outbox items naming it. The holds ledger is not
  /// touched (see drop_from_ledger). Erased bytes must not remain in the
  /// store's files once its scrub is done (see Storage::scrub). SQLite records
  /// in this same transaction that a scrub is owed, so that if it cannot
  /// happen at the commit (another connection reads an older snapshot, the
  /// process dies) the next write transaction, open, close or scrub() of any
  /// connection to the file finishes it. Write.
  virtual ErasedCounts erase_issue(std::int64_t number) = 0;

  // --- diagnostics -----------------------------------------------------------
  /// Every stored row, rendered deterministically: two stores with the same
  /// content give the same text. For tests and support; not fast.
  virtual std::string dump() = 0;
};

class COMPLAINTS_API Storage {
 public:
  Storage() = default;
  Storage(const Storage &) = delete;
  Storage &operator=(const Storage &) = delete;
  virtual ~Storage() = default;

  /// Starts a transaction. A write transaction takes the write lock at once
  /// (waiting up to the backend's busy timeout, then StorageError); on a
  /// read-only store it is refused (StorageError, where() "read_only").
  virtual std::unique_ptr<StorageTransaction> begin(TxnMode mode) = 0;
  /// "sqlite", "memory", ...
  virtual std::string_view backend_name() const noexcept = 0;
  /// Opens another connection to the same store, for reads that run beside
  /// this one's transactions: the Desk keeps a few (DeskOptions::read_connections)
  /// so that reads on other threads need not wait for a write. The new Storage
  /// refuses writes and scrub() (StorageError, where() "read_only"), sees what
  /// was committed before each of its transactions began, and is used by one
  /// thread at a time. May be called while another thread uses this Storage.
  /// Returns nullptr when the backend cannot serve reads apart (the default;
  /// the in-memory backend; SQLite on "" or ":memory:"). Throws
  /// StorageError when the connection cannot be opened.
  virtual std::unique_ptr<Storage> open_reader() { return nullptr; }
  /// Makes sure content erased by any connection is gone from the backend's
  /// files, not just unreachable, and settles the scrub an erasure left owed.
  /// SQLite: checkpoints the write-ahead log and truncates it to zero bytes
  /// (deleted rows and pages are already zeroed: secure_delete), waiting up
  /// to the busy timeout for other connections' reads and writer. Call with
  /// no transaction open. Returns false when another connection's open read
  /// prevented it: the scrub stays owed, and the next write, open or close of
  /// any connection (or a later scrub()) finishes it. PostgreSQL: rewrites
  /// the tables an erasure touches (VACUUM FULL, an exclusive lock on each
  /// in turn, as long as copying them takes); false when another session's
  /// snapshot kept the erased rows, and then only a later scrub() finishes
  /// it (complaints/postgres.hpp). The in-memory backend keeps nothing
  /// erased: true. Throws StorageError (I/O, a lock wait past the backend's
  /// timeout; a read-only store).
  virtual bool scrub() = 0;
};

}  // namespace complaints
