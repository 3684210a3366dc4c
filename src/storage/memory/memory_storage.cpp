// The in-memory backend, for hosts' unit tests: plain containers under one
// mutex. A write transaction applies its writes at once and keeps an undo
// log; rollback replays it backwards, so an uncommitted transaction leaves
// the containers exactly as they were.
#include <algorithm>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "complaints/memory_storage.hpp"
#include "storage/codec.hpp"
#include "storage/memory/memory.hpp"
#include "storage/memory/memory_storage.hpp"

namespace complaints::memory_backend {

MemoryTransaction::MemoryTransaction(State &state, std::mutex &mutex, TxnMode mode)
    : state_(state), lock_(mutex), writable_(mode == TxnMode::write) {}

MemoryTransaction::~MemoryTransaction() {
  for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) (*it)();
}

void MemoryTransaction::commit() {
  undo_.clear();
  lock_.unlock();
}

std::optional<std::string> MemoryTransaction::setting(std::string_view key) {
  auto it = state_.settings.find(key);
  if (it == state_.settings.end()) return std::nullopt;
  return it->second;
}

void MemoryTransaction::put_setting(std::string_view key, std::string_view value) {
  write();
  remember(state_.settings, std::string(key));
  state_.settings[std::string(key)] = std::string(value);
}

std::optional<StoredWorkflow> MemoryTransaction::workflow(std::string_view name) {
  auto it = state_.workflows.find(name);
  if (it == state_.workflows.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> MemoryTransaction::workflow_names() {
  std::vector<std::string> out;
  for (const auto &[name, wf] : state_.workflows) out.push_back(name);
  return out;
}

void MemoryTransaction::put_workflow(const StoredWorkflow &wf) {
  write();
  remember(state_.workflows, wf.name);
  state_.workflows[wf.name] = wf;
}

std::vector<std::pair<std::string, std::int64_t>> MemoryTransaction::status_counts(std::string_view workflow) {
  std::map<std::string, std::int64_t> counts;
  for (const auto &[n, row] : state_.issues)
    if (row.issue.workflow == workflow) ++counts[row.issue.status];
  return {counts.begin(), counts.end()};
}

std::vector<IssueType> MemoryTransaction::issue_types() { return state_.issue_types; }

void MemoryTransaction::put_issue_type(const IssueType &type) {
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

std::optional<Record> MemoryTransaction::record(const RecordRef &ref) {
  auto it = state_.records.find(ref);
  if (it == state_.records.end()) return std::nullopt;
  return it->second;
}

void MemoryTransaction::put_record(const Record &r) {
  write();
  remember(state_.records, r.ref);
  state_.records[r.ref] = r;
}

std::int64_t MemoryTransaction::allocate_issue_number() {
  write();
  return next_id(state_.last_issue_number);
}

std::optional<IssueRow> MemoryTransaction::issue(std::int64_t number) {
  auto it = state_.issues.find(number);
  if (it == state_.issues.end()) return std::nullopt;
  return it->second;
}

std::optional<std::pair<IssueRow, Record>> MemoryTransaction::issue_with_record(std::int64_t number) {
  auto it = state_.issues.find(number);
  if (it == state_.issues.end()) return std::nullopt;
  auto r = record(it->second.issue.record);
  if (!r)
    throw StorageError(fmt::format("issue {} names record {}, which is missing", it->second.issue.code,
                                   it->second.issue.record.to_string()));
  return std::pair{it->second, *std::move(r)};
}

void MemoryTransaction::insert_issue(const IssueRow &row) {
  write();
  if (state_.issues.count(row.issue.number))
    throw StorageError(fmt::format("insert issue: number {} exists", row.issue.number));
  remember(state_.issues, row.issue.number);
  state_.issues[row.issue.number] = row;
}

void MemoryTransaction::put_readers(std::int64_t number, std::span<const std::string> readers) {
  write();
  if (!state_.issues.count(number)) throw StorageError(fmt::format("put readers: no issue {}", number));
  set_readers(number, readers);
}

bool MemoryTransaction::update_issue(const IssueRow &before, const IssueRow &after) {
  write();
  auto it = state_.issues.find(before.issue.number);
  if (it == state_.issues.end() || it->second.issue.version != before.issue.version) return false;
  remember(state_.issues, before.issue.number);
  it->second = after;
  return true;
}

std::vector<Issue> MemoryTransaction::find_issues(const IssueQuery &q) {
  std::vector<Issue> out;
  for (auto it = state_.issues.upper_bound(q.filter.after_number);
       it != state_.issues.end() && out.size() < q.filter.limit; ++it)
    if (matches(q, it->second.issue)) out.push_back(it->second.issue);
  return out;
}

std::int64_t MemoryTransaction::count_issues(const IssueQuery &q) {
  std::int64_t n = 0;
  for (const auto &[number, row] : state_.issues) n += matches(q, row.issue) ? 1 : 0;
  return n;
}

std::vector<std::string> MemoryTransaction::fieldworkers_of_issues(std::span<const StatusCategory> categories) {
  std::set<std::string> out;
  for (const auto &[number, row] : state_.issues)
    if (std::find(categories.begin(), categories.end(), row.issue.category) != categories.end())
      out.insert(row.issue.fieldworkers.begin(), row.issue.fieldworkers.end());
  return {out.begin(), out.end()};
}

void MemoryTransaction::put_due(const DueItem &item) {
  write();
  auto key = std::make_tuple(item.number, item.kind, item.name);
  remember(state_.due, key);
  state_.due[key] = item.due_at;
}

bool MemoryTransaction::remove_due(std::int64_t number, std::string_view kind, std::string_view name) {
  write();
  auto key = std::make_tuple(number, std::string(kind), std::string(name));
  if (!state_.due.count(key)) return false;
  remember(state_.due, key);
  state_.due.erase(key);
  return true;
}

std::optional<DueItem> MemoryTransaction::due_item(std::int64_t number, std::string_view kind, std::string_view name) {
  auto it = state_.due.find(std::make_tuple(number, std::string(kind), std::string(name)));
  if (it == state_.due.end()) return std::nullopt;
  return DueItem{number, std::string(kind), std::string(name), it->second};
}

std::vector<DueItem> MemoryTransaction::due_items(Timestamp now, std::size_t limit) {
  std::vector<DueItem> out;
  for (const auto &[key, at] : state_.due)
    if (at <= now) out.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), at});
  std::sort(out.begin(), out.end(), [](const DueItem &a, const DueItem &b) {
    return std::tie(a.due_at, a.number, a.kind, a.name) < std::tie(b.due_at, b.number, b.kind, b.name);
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::optional<Timestamp> MemoryTransaction::next_due() {
  std::optional<Timestamp> out;
  for (const auto &[key, at] : state_.due)
    if (!out || at < *out) out = at;
  return out;
}

std::vector<std::int64_t> MemoryTransaction::issues_of_record(const RecordRef &ref) {
  std::vector<std::int64_t> out;
  for (const auto &[n, row] : state_.issues)
    if (row.issue.record == ref) out.push_back(n);
  return out;
}

void MemoryTransaction::append_timeline(const TimelineEntry &e) {
  write();
  std::int64_t number = parse_issue_code(e.issue_code);
  remember(state_.timeline, number);
  state_.timeline[number].push_back(e);
}

std::vector<TimelineEntry> MemoryTransaction::timeline(std::int64_t number) {
  auto it = state_.timeline.find(number);
  if (it == state_.timeline.end()) return {};
  return it->second;
}

std::vector<NumberedChange> MemoryTransaction::timeline_changes(std::span<const std::int64_t> numbers,
                                                                std::span<const std::string> fields) {
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

void MemoryTransaction::put_group(const Group &group) {
  write();
  Group stored = group;
  std::sort(stored.members.begin(), stored.members.end());
  stored.members.erase(std::unique(stored.members.begin(), stored.members.end()), stored.members.end());
  remember(state_.groups, group.id);
  state_.groups.insert_or_assign(group.id, std::move(stored));
}

std::optional<Group> MemoryTransaction::group(std::string_view id) {
  auto it = state_.groups.find(id);
  if (it == state_.groups.end()) return std::nullopt;
  return it->second;
}

std::vector<Group> MemoryTransaction::groups() {
  std::vector<Group> out;
  for (const auto &[id, g] : state_.groups) out.push_back(g);
  return out;
}

std::vector<std::string> MemoryTransaction::groups_of_user(std::string_view user) {
  std::vector<std::string> out;
  for (const auto &[id, g] : state_.groups)
    if (std::binary_search(g.members.begin(), g.members.end(), user, std::less<>())) out.push_back(id);
  return out;
}

std::int64_t MemoryTransaction::allocate_task_id() {
  write();
  return next_id(state_.last_task_id);
}

void MemoryTransaction::insert_task(const Task &task) {
  write();
  if (state_.tasks.count(task.id)) throw StorageError(fmt::format("insert task: id {} exists", task.id));
  if (!state_.issues.count(task.number))
    throw StorageError(fmt::format("insert task: issue {} is missing", task.number));
  remember(state_.tasks, task.id);
  Task stored = task;
  stored.issue_code = format_issue_code(task.number);
  state_.tasks[task.id] = std::move(stored);
}

std::optional<Task> MemoryTransaction::task(std::int64_t id) {
  auto it = state_.tasks.find(id);
  if (it == state_.tasks.end()) return std::nullopt;
  return it->second;
}

bool MemoryTransaction::update_task(const Task &before, const Task &after) {
  write();
  if (after.id != before.id) throw StorageError("update task: the id cannot change");
  auto it = state_.tasks.find(before.id);
  if (it == state_.tasks.end() || it->second.version != before.version) return false;
  remember(state_.tasks, before.id);
  it->second = after;
  it->second.issue_code = format_issue_code(after.number);
  return true;
}

std::vector<Task> MemoryTransaction::tasks_of_issue(std::int64_t number) {
  std::vector<Task> out;
  for (const auto &[id, t] : state_.tasks)
    if (t.number == number) out.push_back(t);
  return out;
}

std::vector<Task> MemoryTransaction::open_tasks(std::span<const std::string> groups, std::string_view assignee,
                                               std::int64_t after_id, std::size_t limit) {
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

std::int64_t MemoryTransaction::enqueue(const OutboxItem &item) {
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

std::vector<OutboxItem> MemoryTransaction::pending_outbox(std::size_t limit, std::int64_t after_id) {
  std::vector<OutboxItem> out;
  for (auto it = state_.outbox.upper_bound(after_id); it != state_.outbox.end() && out.size() < limit; ++it)
    out.push_back(it->second);
  return out;
}

std::size_t MemoryTransaction::ack_outbox(std::span<const std::int64_t> ids) {
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

std::optional<PaymentHold> MemoryTransaction::hold(const RecordRef &record, std::string_view fieldworker) {
  auto it = state_.holds.find({record, std::string(fieldworker)});
  if (it == state_.holds.end()) return std::nullopt;
  return with_links(it->first, it->second);
}

void MemoryTransaction::put_hold(const PaymentHold &h) {
  write();
  std::pair<RecordRef, std::string> key{h.record, h.fieldworker};
  remember(state_.holds, key);
  PaymentHold stored = h;
  stored.issues.clear();
  stored.blocking.clear();
  state_.holds[key] = std::move(stored);
}

void MemoryTransaction::link_hold(const RecordRef &record, std::string_view fieldworker, std::int64_t number,
                                  bool blocking) {
  write();
  std::pair<RecordRef, std::string> key{record, std::string(fieldworker)};
  if (!state_.holds.count(key)) throw StorageError("link hold: no such hold");
  remember(state_.hold_links, key);
  state_.hold_links[key].emplace(number, blocking);
}

void MemoryTransaction::mark_blocking(std::int64_t number, bool blocking) {
  write();
  for (auto &[key, links] : state_.hold_links)
    if (auto it = links.find(number); it != links.end() && it->second != blocking) {
      remember(state_.hold_links, key);
      links[number] = blocking;
    }
}

std::vector<PaymentHold> MemoryTransaction::holds_of_issue(std::int64_t number) {
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

std::vector<PaymentHold> MemoryTransaction::find_holds(const HoldFilter &f) {
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

std::int64_t MemoryTransaction::append_ledger(const HoldLedgerEntry &e) {
  write();
  HoldLedgerEntry stored = e;
  stored.id = next_id(state_.last_ledger_id);
  remember(state_.ledger, stored.id);
  state_.ledger[stored.id] = stored;
  return stored.id;
}

std::int64_t MemoryTransaction::drop_from_ledger(std::string_view code) {
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

std::vector<HoldLedgerEntry> MemoryTransaction::ledger(Timestamp from, Timestamp to) {
  std::vector<HoldLedgerEntry> out;
  for (const auto &[id, e] : state_.ledger)
    if (e.at >= from && e.at < to) out.push_back(e);
  return out;
}

std::optional<User> MemoryTransaction::user(std::string_view id) {
  auto it = state_.users.find(id);
  if (it == state_.users.end()) return std::nullopt;
  return it->second;
}

void MemoryTransaction::put_user(const User &u) {
  write();
  remember(state_.users, u.id);
  state_.users[u.id] = u;
}

std::vector<User> MemoryTransaction::users_with_role(Role role) {
  std::vector<User> out;
  for (const auto &[id, u] : state_.users)
    if (u.role == role) out.push_back(u);
  return out;
}

std::int64_t MemoryTransaction::add_comment(std::int64_t number, const Comment &c) {
  write();
  Comment stored = c;
  stored.id = next_id(state_.last_comment_id);
  stored.issue_code = format_issue_code(number);
  stored.attachments.clear();
  remember(state_.comments, stored.id);
  state_.comments[stored.id] = stored;
  return stored.id;
}

std::vector<Comment> MemoryTransaction::comments(std::int64_t number) {
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

std::int64_t MemoryTransaction::add_attachment(std::int64_t number, const Attachment &a) {
  write();
  Attachment stored = a;
  stored.id = next_id(state_.last_attachment_id);
  stored.issue_code = format_issue_code(number);
  if (!stored.storage_key.empty()) stored.bytes.clear();
  remember(state_.attachments, stored.id);
  state_.attachments[stored.id] = stored;
  return stored.id;
}

std::vector<Attachment> MemoryTransaction::attachments(std::int64_t number) {
  std::string code = format_issue_code(number);
  std::vector<Attachment> out;
  for (const auto &[id, a] : state_.attachments)
    if (a.issue_code == code) {
      out.push_back(a);
      out.back().bytes.clear();
    }
  return out;
}

std::optional<Attachment> MemoryTransaction::attachment(std::int64_t id) {
  auto it = state_.attachments.find(id);
  if (it == state_.attachments.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> MemoryTransaction::watchers(std::int64_t number) {
  auto it = state_.watchers.find(number);
  if (it == state_.watchers.end()) return {};
  return {it->second.begin(), it->second.end()};
}

bool MemoryTransaction::add_watcher(std::int64_t number, std::string_view user) {
  write();
  auto it = state_.watchers.find(number);
  if (it != state_.watchers.end() && it->second.count(user)) return false;
  remember(state_.watchers, number);
  state_.watchers[number].insert(std::string(user));
  return true;
}

bool MemoryTransaction::remove_watcher(std::int64_t number, std::string_view user) {
  write();
  auto it = state_.watchers.find(number);
  if (it == state_.watchers.end() || !it->second.count(user)) return false;
  remember(state_.watchers, number);
  state_.watchers[number].erase(std::string(user));
  return true;
}

bool MemoryTransaction::add_link(const StoredLink &l) {
  write();
  auto key = std::make_tuple(l.from, l.to, l.kind);
  if (state_.links.count(key)) return false;
  remember(state_.links, key);
  state_.links[key] = l;
  return true;
}

bool MemoryTransaction::remove_link(std::int64_t from, std::int64_t to, LinkKind kind) {
  write();
  auto key = std::make_tuple(from, to, kind);
  if (!state_.links.count(key)) return false;
  remember(state_.links, key);
  state_.links.erase(key);
  return true;
}

std::vector<StoredLink> MemoryTransaction::links(std::int64_t number) {
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

std::optional<MessageTemplate> MemoryTransaction::message_template(std::string_view name) {
  auto it = state_.templates.find(name);
  if (it == state_.templates.end()) return std::nullopt;
  return it->second;
}

void MemoryTransaction::put_message_template(const MessageTemplate &t) {
  write();
  remember(state_.templates, t.name);
  state_.templates[t.name] = t;
  state_.templates[t.name].builtin = false;
}

bool MemoryTransaction::delete_message_template(std::string_view name) {
  write();
  auto it = state_.templates.find(name);
  if (it == state_.templates.end()) return false;
  remember(state_.templates, it->first);
  state_.templates.erase(it);
  return true;
}

std::vector<std::string> MemoryTransaction::message_template_names() {
  std::vector<std::string> out;
  for (const auto &[name, t] : state_.templates) out.push_back(name);
  return out;
}

void MemoryTransaction::begin_status_period(const StatusPeriod &p) {
  write();
  remember(state_.periods, p.number);
  auto &list = state_.periods[p.number];
  if (!list.empty() && !list.back().until) list.back().until = p.since;
  list.push_back(p);
  list.back().until.reset();
}

std::vector<StatusPeriod> MemoryTransaction::status_periods(std::span<const std::int64_t> numbers) {
  std::vector<StatusPeriod> out;
  for (auto n : numbers)
    if (auto it = state_.periods.find(n); it != state_.periods.end())
      out.insert(out.end(), it->second.begin(), it->second.end());
  return out;
}

ErasedCounts MemoryTransaction::erase_issue(std::int64_t number) {
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

namespace {

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

}  // namespace complaints::memory_backend

namespace complaints {

using memory_backend::MemoryStorage;

std::unique_ptr<Storage> make_memory_storage() { return std::make_unique<MemoryStorage>(); }

std::unique_ptr<Storage> copy_memory_storage(Storage &source) {
  auto *memory = dynamic_cast<MemoryStorage *>(&source);
  if (!memory) throw StorageError("only an in-memory store can be copied", "storage");
  return std::make_unique<MemoryStorage>(*memory);
}

}  // namespace complaints
