// The in-memory backend's private parts, shared by its files: the state
// every transaction works on and the transaction class (its search in
// memory_search.cpp, its dump in memory_dump.cpp, the rest in
// memory_storage.cpp).
#pragma once

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "complaints/errors.hpp"
#include "complaints/storage.hpp"

namespace complaints::memory_backend {

// A search text and the words the index would keep of it.
struct IndexedText {
  std::string text;
  std::vector<std::string> words;
};

struct State {
  std::map<std::string, std::string, std::less<>> settings;
  std::int64_t last_issue_number = 0;
  std::map<std::string, StoredWorkflow, std::less<>> workflows;
  std::vector<IssueType> issue_types;
  std::map<RecordRef, Record> records;
  std::map<std::int64_t, IssueRow> issues;
  std::map<std::int64_t, std::set<std::string, std::less<>>> readers;  // put_readers, by issue
  std::map<std::int64_t, std::vector<TimelineEntry>> timeline;
  std::map<std::int64_t, OutboxItem> outbox;
  std::map<std::string, std::int64_t, std::less<>> outbox_keys;  // idempotency key -> id, of the items in outbox
  std::int64_t last_outbox_id = 0;
  // Holds are stored without their links; links live beside them.
  std::map<std::pair<RecordRef, std::string>, PaymentHold> holds;
  // Each hold's linked issues, by number, with whether the link blocks.
  std::map<std::pair<RecordRef, std::string>, std::map<std::int64_t, bool>> hold_links;
  std::map<std::int64_t, HoldLedgerEntry> ledger;
  std::int64_t last_ledger_id = 0;
  std::map<std::string, User, std::less<>> users;
  std::map<std::int64_t, Comment> comments;        // by id; Comment::attachments left empty
  std::map<std::int64_t, Attachment> attachments;  // by id, with bytes
  std::int64_t last_comment_id = 0;
  std::int64_t last_attachment_id = 0;
  std::map<std::int64_t, std::set<std::string, std::less<>>> watchers;
  std::map<std::tuple<std::int64_t, std::int64_t, LinkKind>, StoredLink> links;
  std::map<std::string, MessageTemplate, std::less<>> templates;
  // Due items by key (number, kind, name).
  std::map<std::tuple<std::int64_t, std::string, std::string>, Timestamp, std::less<>> due;
  std::map<std::string, Group, std::less<>> groups;  // members ascending, unique
  std::map<std::int64_t, Task> tasks;
  std::int64_t last_task_id = 0;
  // Search texts by issue number, each with its words, customer's first
  // (indexed by SearchAudience).
  std::map<std::int64_t, std::array<IndexedText, 2>> search;
  std::map<std::int64_t, std::vector<StatusPeriod>> periods;  // by issue, oldest first
};

// A transaction on a store's state; see complaints/storage.hpp for each
// method's contract. It holds the store's mutex from begin to commit or
// destruction.
class MemoryTransaction final : public StorageTransaction {
 public:
  MemoryTransaction(State &state, std::mutex &mutex, TxnMode mode);
  ~MemoryTransaction() override;

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
  void put_record(const Record &r) override;
  std::int64_t allocate_issue_number() override;
  std::optional<IssueRow> issue(std::int64_t number) override;
  std::optional<std::pair<IssueRow, Record>> issue_with_record(std::int64_t number) override;
  void insert_issue(const IssueRow &row) override;
  void put_readers(std::int64_t number, std::span<const std::string> readers) override;
  bool update_issue(const IssueRow &before, const IssueRow &after) override;
  std::vector<Issue> find_issues(const IssueQuery &q) override;
  std::int64_t count_issues(const IssueQuery &q) override;
  std::vector<std::string> fieldworkers_of_issues(std::span<const StatusCategory> categories) override;
  void put_due(const DueItem &item) override;
  bool remove_due(std::int64_t number, std::string_view kind, std::string_view name) override;
  std::optional<DueItem> due_item(std::int64_t number, std::string_view kind, std::string_view name) override;
  std::vector<DueItem> due_items(Timestamp now, std::size_t limit) override;
  std::optional<Timestamp> next_due() override;
  std::vector<std::int64_t> issues_of_record(const RecordRef &ref) override;
  void append_timeline(const TimelineEntry &e) override;
  std::vector<TimelineEntry> timeline(std::int64_t number) override;
  std::vector<NumberedChange> timeline_changes(std::span<const std::int64_t> numbers,
                                               std::span<const std::string> fields) override;
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
  std::optional<PaymentHold> hold(const RecordRef &record, std::string_view fieldworker) override;
  void put_hold(const PaymentHold &h) override;
  void link_hold(const RecordRef &record, std::string_view fieldworker, std::int64_t number, bool blocking) override;
  void mark_blocking(std::int64_t number, bool blocking) override;
  std::vector<PaymentHold> holds_of_issue(std::int64_t number) override;
  std::vector<PaymentHold> find_holds(const HoldFilter &f) override;
  std::int64_t append_ledger(const HoldLedgerEntry &e) override;
  std::vector<HoldLedgerEntry> ledger(Timestamp from, Timestamp to) override;
  std::int64_t drop_from_ledger(std::string_view code) override;
  std::optional<User> user(std::string_view id) override;
  void put_user(const User &u) override;
  std::vector<User> users_with_role(Role role) override;
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
  std::vector<SearchMatch> search(const SearchQuery &q) override;
  void begin_status_period(const StatusPeriod &p) override;
  std::vector<StatusPeriod> status_periods(std::span<const std::int64_t> numbers) override;
  void put_search_text(std::int64_t number, const SearchText &text) override;
  ErasedCounts erase_issue(std::int64_t number) override;
  std::string dump() override;

 private:
  PaymentHold with_links(const std::pair<RecordRef, std::string> &key, const PaymentHold &stored) const {
    PaymentHold h = stored;
    auto links = state_.hold_links.find(key);
    if (links == state_.hold_links.end()) return h;
    for (auto [number, blocking] : links->second) {
      auto issue = state_.issues.find(number);
      if (issue == state_.issues.end()) continue;
      h.issues.push_back(issue->second.issue.code);
      if (blocking) h.blocking.push_back(issue->second.issue.code);
    }
    return h;
  }

  void write() const {
    if (!writable_) throw StorageError("write in a read transaction");
  }

  // Records how to restore `map[key]` (or its absence) on rollback.
  template <typename Map, typename Key>
  void remember(Map &map, const Key &key) {
    auto it = map.find(key);
    if (it == map.end()) {
      undo_.push_back([&map, key] { map.erase(key); });
    } else {
      undo_.push_back([&map, key, saved = it->second] { map.insert_or_assign(key, saved); });
    }
  }

  // Frees an outbox item's idempotency key (undoably), as its item goes.
  void forget_key(const std::string &key) {
    remember(state_.outbox_keys, key);
    state_.outbox_keys.erase(key);
  }

  // The next value of an id counter, restored on rollback.
  std::int64_t next_id(std::int64_t &counter) {
    undo_.push_back([&counter, previous = counter] { counter = previous; });
    return ++counter;
  }

  // Erases (undoably) the entries of `map` whose value satisfies `pred`; returns how many.
  template <typename Map, typename Pred>
  std::int64_t erase_where(Map &map, Pred pred) {
    std::int64_t n = 0;
    for (auto it = map.begin(); it != map.end();) {
      if (pred(it->second)) {
        remember(map, it->first);
        it = map.erase(it);
        ++n;
      } else {
        ++it;
      }
    }
    return n;
  }

  bool matches(const IssueQuery &q, const Issue &i) const {
    const IssueFilter &f = q.filter;
    if (!in_scope(q.scope, i)) return false;
    if (f.record && i.record != *f.record) return false;
    if (f.record_kind && i.record.kind != *f.record_kind) return false;
    if (f.workflow && i.workflow != *f.workflow) return false;
    if (f.status && i.status != *f.status) return false;
    if (!f.categories.empty() && std::find(f.categories.begin(), f.categories.end(), i.category) == f.categories.end())
      return false;
    if (f.stage && i.stage != *f.stage) return false;
    if (f.type && i.type != *f.type) return false;
    if (f.fieldworker && std::find(i.fieldworkers.begin(), i.fieldworkers.end(), *f.fieldworker) == i.fieldworkers.end())
      return false;
    if (f.customer_id && i.customer_id != *f.customer_id) return false;
    if (f.assignee && i.assignee != *f.assignee) return false;
    if (f.owner && i.reporter_id != *f.owner && i.assignee != *f.owner) return false;
    if (f.to_follow && i.to_follow != *f.to_follow) return false;
    if (f.created_from && i.created_at < *f.created_from) return false;
    if (f.created_to && i.created_at >= *f.created_to) return false;
    for (const auto &[name, value] : f.fields) {
      auto it = i.fields.find(name);
      if ((it == i.fields.end() ? std::string_view() : std::string_view(it->second)) != value) return false;
    }
    return true;
  }

  bool in_scope(const ReadScope &scope, const Issue &i) const {
    if (scope.customer && i.customer_id != *scope.customer) return false;
    if (scope.reader) {
      auto it = state_.readers.find(i.number);
      if (it == state_.readers.end() || !it->second.count(*scope.reader)) return false;
    }
    return true;
  }

  // Replaces an issue's readers (undoably); none erases its entry.
  void set_readers(std::int64_t number, std::span<const std::string> readers) {
    remember(state_.readers, number);
    if (readers.empty())
      state_.readers.erase(number);
    else
      state_.readers[number] = {readers.begin(), readers.end()};
  }

  State &state_;
  std::unique_lock<std::mutex> lock_;
  bool writable_;
  std::vector<std::function<void()>> undo_;
};

}  // namespace complaints::memory_backend
