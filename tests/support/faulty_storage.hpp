// A storage wrapper that fails the Nth write, for failure-injection tests:
// every write method and commit counts as one write; when the count reaches
// `fail_at`, that call throws StorageError before reaching the wrapped
// backend. Reads pass through. fail_at = 0 never fails (and just counts).
#pragma once

#include <memory>

#include <doctest/doctest.h>

#include "complaints/desk.hpp"
#include "complaints/errors.hpp"
#include "complaints/storage.hpp"

namespace test {

using namespace complaints;

class FaultyStorage final : public Storage {
 public:
  /// `transient`: the failure is a TransientStorageError (a conflict the Desk retries).
  FaultyStorage(Storage &inner, int fail_at, bool transient = false)
      : inner_(inner), fail_at_(fail_at), transient_(transient) {}

  std::unique_ptr<StorageTransaction> begin(TxnMode mode) override;
  std::string_view backend_name() const noexcept override { return inner_.backend_name(); }
  bool scrub() override {
    if (fail_scrub) throw StorageError("injected failure at scrub");
    return inner_.scrub();
  }
  /// Makes scrub() throw StorageError (a lock wait past its timeout, say).
  bool fail_scrub = false;

  /// Writes attempted so far (including the failed one).
  int writes() const { return writes_; }
  /// Called by transactions before each write.
  void count(const char *what) {
    ++writes_;
    if (fail_at_ > 0 && writes_ == fail_at_) {
      if (transient_) throw TransientStorageError(std::string("injected conflict at ") + what);
      throw StorageError(std::string("injected failure at ") + what);
    }
  }

 private:
  Storage &inner_;
  int fail_at_;
  bool transient_;
  int writes_ = 0;
};

class FaultyTransaction final : public StorageTransaction {
 public:
  FaultyTransaction(FaultyStorage &owner, std::unique_ptr<StorageTransaction> inner)
      : owner_(owner), inner_(std::move(inner)) {}

  void commit() override { owner_.count("commit");
    inner_->commit(); }

  std::optional<std::string> setting(std::string_view k) override { return inner_->setting(k); }
  void put_setting(std::string_view k, std::string_view v) override {
    owner_.count("put_setting");
    inner_->put_setting(k, v);
  }
  std::optional<StoredWorkflow> workflow(std::string_view n) override { return inner_->workflow(n); }
  std::vector<std::string> workflow_names() override { return inner_->workflow_names(); }
  void put_workflow(const StoredWorkflow &w) override { owner_.count("put_workflow");
    inner_->put_workflow(w); }
  std::vector<std::pair<std::string, std::int64_t>> status_counts(std::string_view w) override {
    return inner_->status_counts(w);
  }
  std::vector<IssueType> issue_types() override { return inner_->issue_types(); }
  void put_issue_type(const IssueType &t) override { owner_.count("put_issue_type");
    inner_->put_issue_type(t); }
  std::optional<Record> record(const RecordRef &r) override { return inner_->record(r); }
  void put_record(const Record &r) override { owner_.count("put_record");
    inner_->put_record(r); }
  std::int64_t allocate_issue_number() override {
    owner_.count("allocate_issue_number");
    return inner_->allocate_issue_number();
  }
  std::optional<IssueRow> issue(std::int64_t n) override { return inner_->issue(n); }
  std::optional<std::pair<IssueRow, Record>> issue_with_record(std::int64_t n) override {
    return inner_->issue_with_record(n);
  }
  void insert_issue(const IssueRow &r) override { owner_.count("insert_issue");
    inner_->insert_issue(r); }
  void put_readers(std::int64_t n, std::span<const std::string> readers) override {
    owner_.count("put_readers");
    inner_->put_readers(n, readers);
  }
  bool update_issue(const IssueRow &b, const IssueRow &a) override {
    owner_.count("update_issue");
    return inner_->update_issue(b, a);
  }
  std::vector<Issue> find_issues(const IssueQuery &q) override { return inner_->find_issues(q); }
  std::vector<std::int64_t> issues_of_record(const RecordRef &r) override { return inner_->issues_of_record(r); }
  std::int64_t count_issues(const IssueQuery &q) override { return inner_->count_issues(q); }
  std::vector<std::string> fieldworkers_of_issues(std::span<const StatusCategory> c) override {
    return inner_->fieldworkers_of_issues(c);
  }
  void put_due(const DueItem &d) override {
    owner_.count("put_due");
    inner_->put_due(d);
  }
  bool remove_due(std::int64_t n, std::string_view k, std::string_view name) override {
    owner_.count("remove_due");
    return inner_->remove_due(n, k, name);
  }
  std::optional<DueItem> due_item(std::int64_t n, std::string_view k, std::string_view name) override {
    return inner_->due_item(n, k, name);
  }
  std::vector<DueItem> due_items(Timestamp now, std::size_t limit) override { return inner_->due_items(now, limit); }
  std::optional<Timestamp> next_due() override { return inner_->next_due(); }
  std::vector<NumberedChange> timeline_changes(std::span<const std::int64_t> n,
                                               std::span<const std::string> f) override {
    return inner_->timeline_changes(n, f);
  }
  void append_timeline(const TimelineEntry &e) override {
    owner_.count("append_timeline");
    inner_->append_timeline(e);
  }
  std::vector<TimelineEntry> timeline(std::int64_t n) override { return inner_->timeline(n); }
  void put_group(const Group &g) override {
    owner_.count("put_group");
    inner_->put_group(g);
  }
  std::optional<Group> group(std::string_view id) override { return inner_->group(id); }
  std::vector<Group> groups() override { return inner_->groups(); }
  std::vector<std::string> groups_of_user(std::string_view u) override { return inner_->groups_of_user(u); }
  std::int64_t allocate_task_id() override {
    owner_.count("allocate_task_id");
    return inner_->allocate_task_id();
  }
  void insert_task(const Task &t) override {
    owner_.count("insert_task");
    inner_->insert_task(t);
  }
  std::optional<Task> task(std::int64_t id) override { return inner_->task(id); }
  bool update_task(const Task &b, const Task &a) override {
    owner_.count("update_task");
    return inner_->update_task(b, a);
  }
  std::vector<Task> tasks_of_issue(std::int64_t n) override { return inner_->tasks_of_issue(n); }
  std::vector<Task> open_tasks(std::span<const std::string> g, std::string_view a, std::int64_t after,
                               std::size_t limit) override {
    return inner_->open_tasks(g, a, after, limit);
  }
  std::int64_t enqueue(const OutboxItem &i) override {
    owner_.count("enqueue");
    return inner_->enqueue(i);
  }
  std::vector<OutboxItem> pending_outbox(std::size_t l, std::int64_t a) override {
    return inner_->pending_outbox(l, a);
  }
  std::size_t ack_outbox(std::span<const std::int64_t> ids) override {
    owner_.count("ack_outbox");
    return inner_->ack_outbox(ids);
  }
  std::optional<PaymentHold> hold(const RecordRef &r, std::string_view fw) override { return inner_->hold(r, fw); }
  void put_hold(const PaymentHold &h) override {
    owner_.count("put_hold");
    inner_->put_hold(h);
  }
  void link_hold(const RecordRef &r, std::string_view fw, std::int64_t n, bool blocking) override {
    owner_.count("link_hold");
    inner_->link_hold(r, fw, n, blocking);
  }
  void mark_blocking(std::int64_t n, bool blocking) override {
    owner_.count("mark_blocking");
    inner_->mark_blocking(n, blocking);
  }
  std::vector<PaymentHold> holds_of_issue(std::int64_t n) override { return inner_->holds_of_issue(n); }
  std::vector<PaymentHold> find_holds(const HoldFilter &f) override { return inner_->find_holds(f); }
  std::int64_t append_ledger(const HoldLedgerEntry &e) override {
    owner_.count("append_ledger");
    return inner_->append_ledger(e);
  }
  std::vector<HoldLedgerEntry> ledger(Timestamp from, Timestamp to) override { return inner_->ledger(from, to); }
  std::int64_t drop_from_ledger(std::string_view code) override {
    owner_.count("drop_from_ledger");
    return inner_->drop_from_ledger(code);
  }
  std::optional<User> user(std::string_view id) override { return inner_->user(id); }
  void put_user(const User &u) override {
    owner_.count("put_user");
    inner_->put_user(u);
  }
  std::vector<User> users_with_role(Role r) override { return inner_->users_with_role(r); }
  std::int64_t add_comment(std::int64_t n, const Comment &c) override {
    owner_.count("add_comment");
    return inner_->add_comment(n, c);
  }
  std::vector<Comment> comments(std::int64_t n) override { return inner_->comments(n); }
  std::int64_t add_attachment(std::int64_t n, const Attachment &a) override {
    owner_.count("add_attachment");
    return inner_->add_attachment(n, a);
  }
  std::vector<Attachment> attachments(std::int64_t n) override { return inner_->attachments(n); }
  std::optional<Attachment> attachment(std::int64_t id) override { return inner_->attachment(id); }
  std::vector<std::string> watchers(std::int64_t n) override { return inner_->watchers(n); }
  bool add_watcher(std::int64_t n, std::string_view u) override {
    owner_.count("add_watcher");
    return inner_->add_watcher(n, u);
  }
  bool remove_watcher(std::int64_t n, std::string_view u) override {
    owner_.count("remove_watcher");
    return inner_->remove_watcher(n, u);
  }
  bool add_link(const StoredLink &l) override {
    owner_.count("add_link");
    return inner_->add_link(l);
  }
  bool remove_link(std::int64_t f, std::int64_t t, LinkKind k) override {
    owner_.count("remove_link");
    return inner_->remove_link(f, t, k);
  }
  std::vector<StoredLink> links(std::int64_t n) override { return inner_->links(n); }
  std::vector<SearchMatch> search(const SearchQuery &q) override { return inner_->search(q); }
  void begin_status_period(const StatusPeriod &p) override {
    owner_.count("begin_status_period");
    inner_->begin_status_period(p);
  }
  std::vector<StatusPeriod> status_periods(std::span<const std::int64_t> n) override {
    return inner_->status_periods(n);
  }
  void put_search_text(std::int64_t n, const SearchText &t) override {
    owner_.count("put_search_text");
    inner_->put_search_text(n, t);
  }
  std::optional<MessageTemplate> message_template(std::string_view n) override { return inner_->message_template(n); }
  void put_message_template(const MessageTemplate &t) override {
    owner_.count("put_message_template");
    inner_->put_message_template(t);
  }
  bool delete_message_template(std::string_view n) override {
    owner_.count("delete_message_template");
    return inner_->delete_message_template(n);
  }
  std::vector<std::string> message_template_names() override { return inner_->message_template_names(); }
  ErasedCounts erase_issue(std::int64_t n) override {
    owner_.count("erase_issue");
    return inner_->erase_issue(n);
  }
  std::string dump() override { return inner_->dump(); }

 private:
  FaultyStorage &owner_;
  std::unique_ptr<StorageTransaction> inner_;
};

inline std::unique_ptr<StorageTransaction> FaultyStorage::begin(TxnMode mode) {
  return std::make_unique<FaultyTransaction>(*this, inner_.begin(mode));
}

/// Every stored row of a store, for before/after comparisons.
inline std::string dump_of(Storage &s) { return s.begin(TxnMode::read)->dump(); }

/// Runs `op` on a desk whose Nth write fails, for N = 1, 2, ... until it
/// succeeds: each failing run must leave the store exactly as it was and fire
/// no event. Returns how many writes the successful run made.
template <typename Op>
int fail_every_write(Storage &inner, const std::shared_ptr<ManualClock> &clock, Op op) {
  for (int n = 1; n < 200; ++n) {
    CAPTURE(n);
    std::string before = dump_of(inner);
    int events = 0;
    int writes = 0;
    try {
      auto faulty = std::make_unique<FaultyStorage>(inner, n);
      auto *counter = faulty.get();
      Desk desk(std::move(faulty), DeskOptions{clock});
      desk.events().any().connect([&](const Event &) { ++events; });
      op(desk);
      writes = counter->writes();
    } catch (const StorageError &e) {
      CHECK(std::string(e.what()).find("injected failure") != std::string::npos);
      CHECK(dump_of(inner) == before);
      CHECK(events == 0);
      continue;
    }
    CHECK(writes == n - 1);  // it succeeded because it needed fewer writes than n
    return n - 1;
  }
  FAIL("operation never succeeded");
  return 0;
}

}  // namespace test
