// The in-memory backend, for hosts' unit tests: plain containers under one
// mutex. A write transaction applies its writes at once and keeps an undo
// log; rollback replays it backwards, so an uncommitted transaction leaves
// the containers exactly as they were.
#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "storage/memory/memory_storage.hpp"

#include "complaints/errors.hpp"
#include "complaints/storage.hpp"
#include "search/match.hpp"
#include "search/tokenizer.hpp"
#include "storage/codec.hpp"

namespace complaints {

namespace {

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

class MemoryTransaction final : public StorageTransaction {
 public:
  MemoryTransaction(State &state, std::mutex &mutex, TxnMode mode)
      : state_(state), lock_(mutex), writable_(mode == TxnMode::write) {}

  ~MemoryTransaction() override {
    for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) (*it)();
  }

  void commit() override {
    undo_.clear();
    lock_.unlock();
  }

  std::optional<std::string> setting(std::string_view key) override {
    auto it = state_.settings.find(key);
    if (it == state_.settings.end()) return std::nullopt;
    return it->second;
  }

  void put_setting(std::string_view key, std::string_view value) override {
    write();
    remember(state_.settings, std::string(key));
    state_.settings[std::string(key)] = std::string(value);
  }

  std::optional<StoredWorkflow> workflow(std::string_view name) override {
    auto it = state_.workflows.find(name);
    if (it == state_.workflows.end()) return std::nullopt;
    return it->second;
  }

  std::vector<std::string> workflow_names() override {
    std::vector<std::string> out;
    for (const auto &[name, wf] : state_.workflows) out.push_back(name);
    return out;
  }

  void put_workflow(const StoredWorkflow &wf) override {
    write();
    remember(state_.workflows, wf.name);
    state_.workflows[wf.name] = wf;
  }

  std::vector<std::pair<std::string, std::int64_t>> status_counts(std::string_view workflow) override {
    std::map<std::string, std::int64_t> counts;
    for (const auto &[n, row] : state_.issues)
      if (row.issue.workflow == workflow) ++counts[row.issue.status];
    return {counts.begin(), counts.end()};
  }

  std::vector<IssueType> issue_types() override { return state_.issue_types; }

  void put_issue_type(const IssueType &type) override {
    write();
    auto saved = state_.issue_types;
    undo_.push_back([this, saved] { state_.issue_types = saved; });
    auto it = std::find_if(state_.issue_types.begin(), state_.issue_types.end(),
                           [&](const IssueType &t) { return t.name == type.name; });
    if (it != state_.issue_types.end())
      it->colour = type.colour;
    else
      state_.issue_types.push_back(type);
  }

  std::optional<Record> record(const RecordRef &ref) override {
    auto it = state_.records.find(ref);
    if (it == state_.records.end()) return std::nullopt;
    return it->second;
  }

  void put_record(const Record &r) override {
    write();
    remember(state_.records, r.ref);
    state_.records[r.ref] = r;
  }

  std::int64_t allocate_issue_number() override {
    write();
    return next_id(state_.last_issue_number);
  }

  std::optional<IssueRow> issue(std::int64_t number) override {
    auto it = state_.issues.find(number);
    if (it == state_.issues.end()) return std::nullopt;
    return it->second;
  }

  std::optional<std::pair<IssueRow, Record>> issue_with_record(std::int64_t number) override {
    auto it = state_.issues.find(number);
    if (it == state_.issues.end()) return std::nullopt;
    auto r = record(it->second.issue.record);
    if (!r)
      throw StorageError(fmt::format("issue {} names record {}, which is missing", it->second.issue.code,
                                     it->second.issue.record.to_string()));
    return std::pair{it->second, *std::move(r)};
  }

  void insert_issue(const IssueRow &row) override {
    write();
    if (state_.issues.count(row.issue.number))
      throw StorageError(fmt::format("insert issue: number {} exists", row.issue.number));
    remember(state_.issues, row.issue.number);
    state_.issues[row.issue.number] = row;
  }

  void put_readers(std::int64_t number, std::span<const std::string> readers) override {
    write();
    if (!state_.issues.count(number)) throw StorageError(fmt::format("put readers: no issue {}", number));
    set_readers(number, readers);
  }

  bool update_issue(const IssueRow &before, const IssueRow &after) override {
    write();
    auto it = state_.issues.find(before.issue.number);
    if (it == state_.issues.end() || it->second.issue.version != before.issue.version) return false;
    remember(state_.issues, before.issue.number);
    it->second = after;
    return true;
  }

  std::vector<Issue> find_issues(const IssueQuery &q) override {
    std::vector<Issue> out;
    for (auto it = state_.issues.upper_bound(q.filter.after_number);
         it != state_.issues.end() && out.size() < q.filter.limit; ++it)
      if (matches(q, it->second.issue)) out.push_back(it->second.issue);
    return out;
  }

  std::int64_t count_issues(const IssueQuery &q) override {
    std::int64_t n = 0;
    for (const auto &[number, row] : state_.issues) n += matches(q, row.issue) ? 1 : 0;
    return n;
  }

  std::vector<std::string> fieldworkers_of_issues(std::span<const StatusCategory> categories) override {
    std::set<std::string> out;
    for (const auto &[number, row] : state_.issues)
      if (std::find(categories.begin(), categories.end(), row.issue.category) != categories.end())
        out.insert(row.issue.fieldworkers.begin(), row.issue.fieldworkers.end());
    return {out.begin(), out.end()};
  }

  void put_due(const DueItem &item) override {
    write();
    auto key = std::make_tuple(item.number, item.kind, item.name);
    remember(state_.due, key);
    state_.due[key] = item.due_at;
  }

  bool remove_due(std::int64_t number, std::string_view kind, std::string_view name) override {
    write();
    auto key = std::make_tuple(number, std::string(kind), std::string(name));
    if (!state_.due.count(key)) return false;
    remember(state_.due, key);
    state_.due.erase(key);
    return true;
  }

  std::optional<DueItem> due_item(std::int64_t number, std::string_view kind, std::string_view name) override {
    auto it = state_.due.find(std::make_tuple(number, std::string(kind), std::string(name)));
    if (it == state_.due.end()) return std::nullopt;
    return DueItem{number, std::string(kind), std::string(name), it->second};
  }

  std::vector<DueItem> due_items(Timestamp now, std::size_t limit) override {
    std::vector<DueItem> out;
    for (const auto &[key, at] : state_.due)
      if (at <= now) out.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), at});
    std::sort(out.begin(), out.end(), [](const DueItem &a, const DueItem &b) {
      return std::tie(a.due_at, a.number, a.kind, a.name) < std::tie(b.due_at, b.number, b.kind, b.name);
    });
    if (out.size() > limit) out.resize(limit);
    return out;
  }

  std::optional<Timestamp> next_due() override {
    std::optional<Timestamp> out;
    for (const auto &[key, at] : state_.due)
      if (!out || at < *out) out = at;
    return out;
  }

  std::vector<std::int64_t> issues_of_record(const RecordRef &ref) override {
    std::vector<std::int64_t> out;
    for (const auto &[n, row] : state_.issues)
      if (row.issue.record == ref) out.push_back(n);
    return out;
  }

  void append_timeline(const TimelineEntry &e) override {
    write();
    std::int64_t number = parse_issue_code(e.issue_code);
    remember(state_.timeline, number);
    state_.timeline[number].push_back(e);
  }

  std::vector<TimelineEntry> timeline(std::int64_t number) override {
    auto it = state_.timeline.find(number);
    if (it == state_.timeline.end()) return {};
    return it->second;
  }

  std::vector<NumberedChange> timeline_changes(std::span<const std::int64_t> numbers,
                                               std::span<const std::string> fields) override {
    std::vector<NumberedChange> out;
    for (auto n : numbers) {
      auto it = state_.timeline.find(n);
      if (it == state_.timeline.end()) continue;
      for (const auto &e : it->second)
        for (const auto &c : e.changes)
          if (std::find(fields.begin(), fields.end(), c.field) != fields.end()) out.push_back({n, e.seq, c});
    }
    return out;
  }

  void put_group(const Group &group) override {
    write();
    Group stored = group;
    std::sort(stored.members.begin(), stored.members.end());
    stored.members.erase(std::unique(stored.members.begin(), stored.members.end()), stored.members.end());
    remember(state_.groups, group.id);
    state_.groups.insert_or_assign(group.id, std::move(stored));
  }

  std::optional<Group> group(std::string_view id) override {
    auto it = state_.groups.find(id);
    if (it == state_.groups.end()) return std::nullopt;
    return it->second;
  }

  std::vector<Group> groups() override {
    std::vector<Group> out;
    for (const auto &[id, g] : state_.groups) out.push_back(g);
    return out;
  }

  std::vector<std::string> groups_of_user(std::string_view user) override {
    std::vector<std::string> out;
    for (const auto &[id, g] : state_.groups)
      if (std::binary_search(g.members.begin(), g.members.end(), user, std::less<>())) out.push_back(id);
    return out;
  }

  std::int64_t allocate_task_id() override {
    write();
    return next_id(state_.last_task_id);
  }

  void insert_task(const Task &task) override {
    write();
    if (state_.tasks.count(task.id)) throw StorageError(fmt::format("insert task: id {} exists", task.id));
    if (!state_.issues.count(task.number))
      throw StorageError(fmt::format("insert task: issue {} is missing", task.number));
    remember(state_.tasks, task.id);
    Task stored = task;
    stored.issue_code = format_issue_code(task.number);
    state_.tasks[task.id] = std::move(stored);
  }

  std::optional<Task> task(std::int64_t id) override {
    auto it = state_.tasks.find(id);
    if (it == state_.tasks.end()) return std::nullopt;
    return it->second;
  }

  bool update_task(const Task &before, const Task &after) override {
    write();
    if (after.id != before.id) throw StorageError("update task: the id cannot change");
    auto it = state_.tasks.find(before.id);
    if (it == state_.tasks.end() || it->second.version != before.version) return false;
    remember(state_.tasks, before.id);
    it->second = after;
    it->second.issue_code = format_issue_code(after.number);
    return true;
  }

  std::vector<Task> tasks_of_issue(std::int64_t number) override {
    std::vector<Task> out;
    for (const auto &[id, t] : state_.tasks)
      if (t.number == number) out.push_back(t);
    return out;
  }

  std::vector<Task> open_tasks(std::span<const std::string> groups, std::string_view assignee, std::int64_t after_id,
                               std::size_t limit) override {
    std::vector<Task> out;
    for (auto it = state_.tasks.upper_bound(after_id); it != state_.tasks.end() && out.size() < limit; ++it) {
      const Task &t = it->second;
      if (t.state != TaskState::open) continue;
      bool wanted = assignee.empty()
                        ? t.assignee.empty() && !t.group.empty() &&
                              std::find(groups.begin(), groups.end(), t.group) != groups.end()
                        : t.assignee == assignee;
      if (wanted) out.push_back(t);
    }
    return out;
  }

  std::int64_t enqueue(const OutboxItem &item) override {
    write();
    if (state_.outbox_keys.count(item.idempotency_key))
      throw StorageError(fmt::format("queue outbox item: idempotency key '{}' exists", item.idempotency_key));
    OutboxItem stored = item;
    stored.id = next_id(state_.last_outbox_id);
    remember(state_.outbox, stored.id);
    state_.outbox[stored.id] = stored;
    remember(state_.outbox_keys, stored.idempotency_key);
    state_.outbox_keys[stored.idempotency_key] = stored.id;
    return stored.id;
  }

  std::vector<OutboxItem> pending_outbox(std::size_t limit, std::int64_t after_id) override {
    std::vector<OutboxItem> out;
    for (auto it = state_.outbox.upper_bound(after_id); it != state_.outbox.end() && out.size() < limit; ++it)
      out.push_back(it->second);
    return out;
  }

  std::size_t ack_outbox(std::span<const std::int64_t> ids) override {
    write();
    std::size_t n = 0;
    for (auto id : ids) {
      auto it = state_.outbox.find(id);
      if (it == state_.outbox.end()) continue;
      forget_key(it->second.idempotency_key);
      remember(state_.outbox, id);
      state_.outbox.erase(id);
      ++n;
    }
    return n;
  }

  std::optional<PaymentHold> hold(const RecordRef &record, std::string_view fieldworker) override {
    auto it = state_.holds.find({record, std::string(fieldworker)});
    if (it == state_.holds.end()) return std::nullopt;
    return with_links(it->first, it->second);
  }

  void put_hold(const PaymentHold &h) override {
    write();
    std::pair<RecordRef, std::string> key{h.record, h.fieldworker};
    remember(state_.holds, key);
    PaymentHold stored = h;
    stored.issues.clear();
    stored.blocking.clear();
    state_.holds[key] = std::move(stored);
  }

  void link_hold(const RecordRef &record, std::string_view fieldworker, std::int64_t number, bool blocking) override {
    write();
    std::pair<RecordRef, std::string> key{record, std::string(fieldworker)};
    if (!state_.holds.count(key)) throw StorageError("link hold: no such hold");
    remember(state_.hold_links, key);
    state_.hold_links[key].emplace(number, blocking);
  }

  void mark_blocking(std::int64_t number, bool blocking) override {
    write();
    for (auto &[key, links] : state_.hold_links)
      if (auto it = links.find(number); it != links.end() && it->second != blocking) {
        remember(state_.hold_links, key);
        links[number] = blocking;
      }
  }

  std::vector<PaymentHold> holds_of_issue(std::int64_t number) override {
    std::vector<PaymentHold> out;
    for (const auto &[key, links] : state_.hold_links)
      if (links.count(number)) out.push_back(with_links(key, state_.holds.at(key)));
    // As SQLite orders them: fieldworker, then record kind by name, then record id.
    auto key = [](const PaymentHold &h) {
      return std::make_tuple(std::string_view(h.fieldworker), std::string_view(to_string(h.record.kind)),
                             std::string_view(h.record.id));
    };
    std::sort(out.begin(), out.end(), [&](const auto &a, const auto &b) { return key(a) < key(b); });
    return out;
  }

  std::vector<PaymentHold> find_holds(const HoldFilter &f) override {
    std::vector<PaymentHold> out;
    for (const auto &[key, h] : state_.holds) {
      if (out.size() >= f.limit) break;
      if (f.record && h.record != *f.record) continue;
      if (f.invoice && !(h.record == RecordRef{RecordKind::invoice, *f.invoice})) {
        auto r = state_.records.find(h.record);
        if (r == state_.records.end() || r->second.invoice_id != *f.invoice) continue;
      }
      if (f.fieldworker && h.fieldworker != *f.fieldworker) continue;
      if (f.state && h.state != *f.state) continue;
      if (f.withheld_before && (h.state != HoldState::withheld || h.since > *f.withheld_before)) continue;
      out.push_back(with_links(key, h));
    }
    return out;
  }

  std::int64_t append_ledger(const HoldLedgerEntry &e) override {
    write();
    HoldLedgerEntry stored = e;
    stored.id = next_id(state_.last_ledger_id);
    remember(state_.ledger, stored.id);
    state_.ledger[stored.id] = stored;
    return stored.id;
  }

  std::vector<HoldLedgerEntry> ledger(Timestamp from, Timestamp to) override {
    std::vector<HoldLedgerEntry> out;
    for (const auto &[id, e] : state_.ledger)
      if (e.at >= from && e.at < to) out.push_back(e);
    return out;
  }

  std::int64_t drop_from_ledger(std::string_view code) override {
    write();
    std::int64_t n = 0;
    for (auto &[id, line] : state_.ledger)
      if (std::find(line.issues.begin(), line.issues.end(), code) != line.issues.end()) {
        remember(state_.ledger, id);
        std::erase(line.issues, code);
        ++n;
      }
    return n;
  }

  std::optional<User> user(std::string_view id) override {
    auto it = state_.users.find(id);
    if (it == state_.users.end()) return std::nullopt;
    return it->second;
  }

  void put_user(const User &u) override {
    write();
    remember(state_.users, u.id);
    state_.users[u.id] = u;
  }

  std::vector<User> users_with_role(Role role) override {
    std::vector<User> out;
    for (const auto &[id, u] : state_.users)
      if (u.role == role) out.push_back(u);
    return out;
  }

  std::int64_t add_comment(std::int64_t number, const Comment &c) override {
    write();
    Comment stored = c;
    stored.id = next_id(state_.last_comment_id);
    stored.issue_code = format_issue_code(number);
    stored.attachments.clear();
    remember(state_.comments, stored.id);
    state_.comments[stored.id] = stored;
    return stored.id;
  }

  std::vector<Comment> comments(std::int64_t number) override {
    std::string code = format_issue_code(number);
    std::vector<Comment> out;
    for (const auto &[id, c] : state_.comments)
      if (c.issue_code == code) out.push_back(c);
    for (const auto &a : attachments(number))
      if (a.comment_id)
        for (auto &c : out)
          if (c.id == *a.comment_id) c.attachments.push_back(a);
    return out;
  }

  std::int64_t add_attachment(std::int64_t number, const Attachment &a) override {
    write();
    Attachment stored = a;
    stored.id = next_id(state_.last_attachment_id);
    stored.issue_code = format_issue_code(number);
    if (!stored.storage_key.empty()) stored.bytes.clear();
    remember(state_.attachments, stored.id);
    state_.attachments[stored.id] = stored;
    return stored.id;
  }

  std::vector<Attachment> attachments(std::int64_t number) override {
    std::string code = format_issue_code(number);
    std::vector<Attachment> out;
    for (const auto &[id, a] : state_.attachments)
      if (a.issue_code == code) {
        out.push_back(a);
        out.back().bytes.clear();
      }
    return out;
  }

  std::optional<Attachment> attachment(std::int64_t id) override {
    auto it = state_.attachments.find(id);
    if (it == state_.attachments.end()) return std::nullopt;
    return it->second;
  }

  std::vector<std::string> watchers(std::int64_t number) override {
    auto it = state_.watchers.find(number);
    if (it == state_.watchers.end()) return {};
    return {it->second.begin(), it->second.end()};
  }

  bool add_watcher(std::int64_t number, std::string_view user) override {
    write();
    auto it = state_.watchers.find(number);
    if (it != state_.watchers.end() && it->second.count(user)) return false;
    remember(state_.watchers, number);
    state_.watchers[number].insert(std::string(user));
    return true;
  }

  bool remove_watcher(std::int64_t number, std::string_view user) override {
    write();
    auto it = state_.watchers.find(number);
    if (it == state_.watchers.end() || !it->second.count(user)) return false;
    remember(state_.watchers, number);
    state_.watchers[number].erase(std::string(user));
    return true;
  }

  bool add_link(const StoredLink &l) override {
    write();
    auto key = std::make_tuple(l.from, l.to, l.kind);
    if (state_.links.count(key)) return false;
    remember(state_.links, key);
    state_.links[key] = l;
    return true;
  }

  bool remove_link(std::int64_t from, std::int64_t to, LinkKind kind) override {
    write();
    auto key = std::make_tuple(from, to, kind);
    if (!state_.links.count(key)) return false;
    remember(state_.links, key);
    state_.links.erase(key);
    return true;
  }

  std::vector<StoredLink> links(std::int64_t number) override {
    std::vector<StoredLink> out;
    for (const auto &[key, l] : state_.links)
      if (l.from == number || l.to == number) out.push_back(l);
    auto other = [&](const StoredLink &l) { return l.from == number ? l.to : l.from; };
    std::sort(out.begin(), out.end(), [&](const StoredLink &a, const StoredLink &b) {
      return std::make_pair(other(a), std::string_view(to_string(a.kind))) <
             std::make_pair(other(b), std::string_view(to_string(b.kind)));
    });
    return out;
  }

  std::optional<MessageTemplate> message_template(std::string_view name) override {
    auto it = state_.templates.find(name);
    if (it == state_.templates.end()) return std::nullopt;
    return it->second;
  }

  void put_message_template(const MessageTemplate &t) override {
    write();
    remember(state_.templates, t.name);
    state_.templates[t.name] = t;
    state_.templates[t.name].builtin = false;
  }

  bool delete_message_template(std::string_view name) override {
    write();
    auto it = state_.templates.find(name);
    if (it == state_.templates.end()) return false;
    remember(state_.templates, it->first);
    state_.templates.erase(it);
    return true;
  }

  std::vector<std::string> message_template_names() override {
    std::vector<std::string> out;
    for (const auto &[name, t] : state_.templates) out.push_back(name);
    return out;
  }

  std::vector<SearchMatch> search(const SearchQuery &q) override {
    // Every text is read: the in-memory backend is for tests and small desks.
    const auto audience = static_cast<std::size_t>(q.audience);
    SearchStats stats;
    stats.texts_with_phrase.assign(q.phrases.size(), 0);
    struct Found {
      std::int64_t number;
      std::vector<std::int64_t> frequency;
      std::int64_t words;
      double score = 0;
    };
    std::vector<Found> found;
    std::vector<std::int64_t> frequency;
    for (const auto &[n, texts] : state_.search) {
      const IndexedText &t = texts[audience];
      ++stats.texts;
      stats.words += static_cast<std::int64_t>(t.words.size());
      auto places = search::occurrences(q, t.words);
      for (std::size_t p = 0; p < places.size(); ++p)
        if (!places[p].empty()) ++stats.texts_with_phrase[p];
      if (!search::evaluate(q, places, frequency)) continue;
      const Issue &i = state_.issues.at(n).issue;
      if (!in_scope(q.scope, i)) continue;
      found.push_back({n, frequency, static_cast<std::int64_t>(t.words.size())});
    }
    for (auto &f : found) f.score = search_score(q, stats, f.frequency, f.words);
    std::sort(found.begin(), found.end(),
              [](const Found &a, const Found &b) { return a.score != b.score ? a.score > b.score : a.number < b.number; });
    std::vector<SearchMatch> out;
    for (std::size_t k = q.offset; k < found.size() && out.size() < q.limit; ++k)
      out.push_back({state_.issues.at(found[k].number).issue, found[k].score,
                     state_.search.at(found[k].number)[audience].text});
    return out;
  }

  void begin_status_period(const StatusPeriod &p) override {
    write();
    remember(state_.periods, p.number);
    auto &list = state_.periods[p.number];
    if (!list.empty() && !list.back().until) list.back().until = p.since;
    list.push_back(p);
    list.back().until.reset();
  }

  std::vector<StatusPeriod> status_periods(std::span<const std::int64_t> numbers) override {
    std::vector<StatusPeriod> out;
    for (auto n : numbers)
      if (auto it = state_.periods.find(n); it != state_.periods.end())
        out.insert(out.end(), it->second.begin(), it->second.end());
    return out;
  }

  void put_search_text(std::int64_t number, const SearchText &text) override {
    write();
    remember(state_.search, number);
    state_.search[number] = {IndexedText{text.customer, search::words(text.customer)},
                             IndexedText{text.staff, search::words(text.staff)}};
  }

  ErasedCounts erase_issue(std::int64_t number) override {
    write();
    ErasedCounts n;
    std::string code = format_issue_code(number);
    auto of_issue = [&](const auto &item) { return item.issue_code == code; };
    n.comments = erase_where(state_.comments, of_issue);
    n.attachments = erase_where(state_.attachments, of_issue);
    for (const auto &[id, item] : state_.outbox)
      if (of_issue(item)) forget_key(item.idempotency_key);
    n.outbox_items = erase_where(state_.outbox, of_issue);
    erase_where(state_.links, [&](const StoredLink &l) { return l.from == number || l.to == number; });
    for (auto &[key, links] : state_.hold_links)
      if (links.count(number)) {
        remember(state_.hold_links, key);
        links.erase(number);
      }
    set_readers(number, {});
    if (state_.watchers.count(number)) {
      remember(state_.watchers, number);
      state_.watchers.erase(number);
    }
    for (auto it = state_.due.lower_bound(std::make_tuple(number, std::string(), std::string()));
         it != state_.due.end() && std::get<0>(it->first) == number;) {
      remember(state_.due, it->first);
      it = state_.due.erase(it);
    }
    n.tasks = erase_where(state_.tasks, [&](const Task &t) { return t.number == number; });
    if (auto it = state_.timeline.find(number); it != state_.timeline.end()) {
      n.timeline_entries = static_cast<std::int64_t>(it->second.size());
      remember(state_.timeline, number);
      state_.timeline.erase(it);
    }
    remember(state_.search, number);
    state_.search.erase(number);
    remember(state_.periods, number);
    state_.periods.erase(number);
    remember(state_.issues, number);
    state_.issues.erase(number);
    return n;
  }

  std::string dump() override {
    std::string out;
    for (const auto &[k, v] : state_.settings) out += fmt::format("setting {}={}\n", k, v);
    out += fmt::format("counter issue_number={}\ncounter outbox_id={}\n", state_.last_issue_number,
                       state_.last_outbox_id);
    for (const auto &[name, wf] : state_.workflows)
      out += fmt::format("workflow {} rev {}: {}\n", name, wf.revision, wf.json);
    for (const auto &t : state_.issue_types) out += fmt::format("type {} {}\n", t.name, t.colour);
    for (const auto &[ref, r] : state_.records)
      out += fmt::format("record {} customer={} visibility={} paid_out={} invoice={} fieldworkers={}\n",
                         ref.to_string(), r.customer_id, to_string(r.visibility), r.paid_out, r.invoice_id,
                         fmt::join(r.fieldworkers, ","));
    for (const auto &[n, row] : state_.issues) {
      const Issue &i = row.issue;
      out += fmt::format(
          "issue {} record={} customer={} fieldworkers={} type={} description={} to_follow={} deferred={} "
          "follow_up={} workflow={} status={} category={} stage={} assignee={} reporter={}/{} channel={} "
          "created={} updated={} version={} head={}/{} timers={} slas={} reminder={}\n",
          i.code, i.record.to_string(), i.customer_id, fmt::join(i.fieldworkers, ","), i.type, i.description,
          i.to_follow, i.deferred_date ? i.deferred_date->to_string() : "-",
          i.follow_up_date ? i.follow_up_date->to_string() : "-", i.workflow, i.status, to_string(i.category),
          i.stage, i.assignee, i.reporter_id, to_string(i.reporter_role), to_string(i.channel), to_millis(i.created_at),
          to_millis(i.updated_at), i.version, row.timeline_seq, row.timeline_hash, codec::encode_timers(i.timers),
          codec::encode_clocks(i.slas), i.reminder_at ? to_millis(*i.reminder_at) : 0);
    }
    for (const auto &[n, list] : state_.periods)
      for (const auto &p : list)
        out += fmt::format("period {} {} {} {} {} {}\n", n, p.status, to_string(p.category), p.stage,
                           to_millis(p.since), p.until ? to_millis(*p.until) : -1);
    for (const auto &[n, t] : state_.search)
      out += fmt::format("search {} customer={} staff={}\n", n, t[0].text, t[1].text);
    for (const auto &[n, entries] : state_.timeline)
      for (const auto &e : entries)
        out += fmt::format("timeline {} #{} at={} actor={}/{} kind={} action={} changes={} note={} internal={} "
                           "hash={}<-{}\n",
                           e.issue_code, e.seq, to_millis(e.at), e.actor_id, to_string(e.actor_role), e.kind,
                           e.action, codec::encode_changes(e.changes), e.note, e.internal, e.hash, e.prev_hash);
    for (const auto &[id, item] : state_.outbox)
      out += fmt::format("outbox {} key={} kind={} event={} issue={} to={} via={} subject={} text={} html={} at={}\n",
                         id, item.idempotency_key, to_string(item.kind), item.event, item.issue_code, item.recipient,
                         to_string(item.channel), item.subject, item.body_text, item.body_html,
                         to_millis(item.created_at));
    for (const auto &[key, h] : state_.holds) {
      PaymentHold full = with_links(key, h);
      out += fmt::format("hold {} {} state={} amount={} scope={} since={} released={} issues={}\n",
                         h.record.to_string(), h.fieldworker, to_string(h.state),
                         h.amount ? h.amount->to_string() : "-", to_string(h.scope), to_millis(h.since),
                         h.released_at ? to_millis(*h.released_at) : 0, fmt::join(full.issues, ","));
      out += fmt::format("hold {} {} blocking={}\n", h.record.to_string(), h.fieldworker, fmt::join(full.blocking, ","));
    }
    for (const auto &[n, set] : state_.readers) out += fmt::format("readers {} {}\n", n, fmt::join(set, ","));
    for (const auto &[id, e] : state_.ledger)
      out += fmt::format("ledger {} {} {} {} at={} actor={}/{} reason={} issues={} amount={} override={}\n", id,
                         e.record.to_string(), e.fieldworker, to_string(e.action), to_millis(e.at), e.actor_id,
                         to_string(e.actor_role), e.reason, fmt::join(e.issues, ","),
                         e.amount ? e.amount->to_string() : "-", e.override_release);
    out += fmt::format("counter ledger_id={}\n", state_.last_ledger_id);
    for (const auto &[id, g] : state_.groups)
      out += fmt::format("group {} name={} members={}\n", id, g.name, fmt::join(g.members, ","));
    out += fmt::format("counter task_id={}\n", state_.last_task_id);
    for (const auto &[id, t] : state_.tasks)
      out += fmt::format("task {} {} kind={} stage={} group={} assignee={} state={} mandatory={} access={} "
                         "instructions={} by={} created={} updated={} done={} done_by={} notes={} slas={} version={}\n",
                         id, t.issue_code, t.kind, t.stage, t.group, t.assignee, to_string(t.state), t.mandatory,
                         to_string(t.access), t.instructions, t.created_by, to_millis(t.created_at),
                         to_millis(t.updated_at), t.done_at ? to_millis(*t.done_at) : 0, t.done_by, t.notes,
                         codec::encode_clocks(t.slas), t.version);
    for (const auto &[id, u] : state_.users)
      out += fmt::format("user {} {} {} scope={} push={} sms={} email={}\n", id, to_string(u.role), u.name,
                         to_string(u.settings.scope), u.settings.push, u.settings.sms, u.settings.email);
    for (const auto &[id, c] : state_.comments)
      out += fmt::format("comment {} {} by={}/{} internal={} reply_to={} mentions={} at={} body={}\n", id, c.issue_code,
                         c.author_id, to_string(c.author_role), c.internal, c.reply_to.value_or(0),
                         fmt::join(c.mentions, ","), to_millis(c.created_at), c.body);
    for (const auto &[id, a] : state_.attachments)
      out += fmt::format("attachment {} {} comment={} name={} type={} size={} sha={} key={} internal={} by={} at={} "
                         "bytes={}\n",
                         id, a.issue_code, a.comment_id.value_or(0), a.name, a.media_type, a.size, a.sha256,
                         a.storage_key, a.internal, a.uploaded_by, to_millis(a.created_at), a.bytes);
    out += fmt::format("counter comment_id={} attachment_id={}\n", state_.last_comment_id, state_.last_attachment_id);
    for (const auto &[n, set] : state_.watchers) out += fmt::format("watchers {} {}\n", n, fmt::join(set, ","));
    for (const auto &[key, l] : state_.links)
      out += fmt::format("link {} -> {} {} by={} at={}\n", l.from, l.to, to_string(l.kind), l.created_by,
                         to_millis(l.created_at));
    for (const auto &[name, t] : state_.templates)
      out += fmt::format("template {} title={} single_brace={}\nsubject={}\nhtml={}\ntext={}\n", name, t.title,
                         t.single_brace, t.subject, t.body_html, t.body_text);
    for (const auto &[key, at] : state_.due)
      out += fmt::format("due {} {} {} at={}\n", std::get<0>(key), std::get<1>(key), std::get<2>(key), to_millis(at));
    return out;
  }

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

class MemoryStorage final : public Storage {
 public:
  MemoryStorage() = default;
  explicit MemoryStorage(MemoryStorage &source) {
    std::lock_guard lock(source.mutex_);
    state_ = source.state_;
  }
  std::unique_ptr<StorageTransaction> begin(TxnMode mode) override {
    return std::make_unique<MemoryTransaction>(state_, mutex_, mode);
  }
  std::string_view backend_name() const noexcept override { return "memory"; }
  bool scrub() override { return true; }  // nothing outlives an erase in memory

 private:
  State state_;
  std::mutex mutex_;
};

}  // namespace

std::unique_ptr<Storage> make_memory_storage() { return std::make_unique<MemoryStorage>(); }

std::unique_ptr<Storage> copy_memory_storage(Storage &source) {
  auto *memory = dynamic_cast<MemoryStorage *>(&source);
  if (!memory) throw StorageError("only an in-memory store can be copied", "storage");
  return std::make_unique<MemoryStorage>(*memory);
}

}  // namespace complaints
