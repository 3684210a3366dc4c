// Desk::Impl and the helpers every Desk operation shares; the operations
// themselves are in desk.cpp (issues, settings, records, outbox),
// desk_holds.cpp and desk_discussion.cpp.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

#include <fmt/format.h>

#include "complaints/desk.hpp"
#include "desk/access.hpp"
#include "desk/notify.hpp"
#include "desk/op.hpp"
#include "domain/check.hpp"
#include "messages/messages.hpp"
#include "timeline/chain.hpp"

namespace complaints {

inline constexpr std::string_view settings_revision_key = messages::revision_key;
inline constexpr std::string_view initialized_key = "desk.initialized";

inline void check_record_ref(const RecordRef &ref, std::string_view field) {
  if (!record_kind_from_string(to_string(ref.kind)))
    throw InvalidInput("is not a known record kind", std::string(field) + ".kind");
  try {
    check::id(ref.id, "id", limits::id_bytes);
  } catch (const InvalidInput &e) {  // the path is built only for a bad id: payroll runs check one per line
    throw InvalidInput(e.message(), std::string(field) + "." + e.where());
  }
}

inline std::string date_text(const std::optional<Date> &d) { return d ? d->to_string() : ""; }

/// The event that describes a committed change to one issue.
inline Event issue_event(EventKind kind, const Actor &actor, Timestamp at, const Issue &issue, std::string action,
                         std::vector<FieldChange> changes) {
  Event e;
  e.kind = kind;
  e.at = at;
  e.actor_id = actor.id;
  e.actor_role = actor.role;
  e.issue_code = issue.code;
  e.issue = issue;
  e.action = std::move(action);
  e.changes = std::move(changes);
  return e;
}

/// What a notification needs beyond the event itself.
struct NoticeExtras {
  bool internal = false;
  std::string text{};
  std::vector<std::string> mentioned{};
  std::optional<std::string> reply_to_author{};
};

struct Desk::Impl {
  std::unique_ptr<Storage> storage;
  std::shared_ptr<const Clock> clock;
  Events events;
  std::mutex mutex;

  // Parsed workflows, valid while the stored settings revision is unchanged
  // (another Desk, even in another process, bumps it on any settings change).
  std::string cached_revision;
  std::map<std::string, Workflow, std::less<>> workflows;
  messages::Library library;  // compiled message templates, cached the same way

  // Template names a workflow may name: the built-in ones and those saved here.
  static ValidationContext validation_context(StorageTransaction &txn) {
    return ValidationContext{txn.message_template_names()};
  }

  // Runs `body` in a transaction under the desk lock; commits writes, then fires
  // the events the body collected, after the lock is released.
  template <typename F>
  auto run(TxnMode mode, F &&body) {
    std::vector<Event> fired;
    auto result = [&] {
      std::lock_guard lock(mutex);
      auto txn = storage->begin(mode);
      Op op{*txn, clock->now(), {}};
      auto value = body(op);
      txn->commit();
      fired = std::move(op.events);
      return value;
    }();
    for (const auto &e : fired) events.emit(e);
    return result;
  }

  const Workflow &workflow(StorageTransaction &txn, std::string_view name) {
    std::string revision = txn.setting(settings_revision_key).value_or("0");
    if (revision != cached_revision) {
      workflows.clear();
      cached_revision = revision;
    }
    if (auto it = workflows.find(name); it != workflows.end()) return it->second;
    auto stored = txn.workflow(name);
    if (!stored) throw NotFound(fmt::format("no workflow named '{}'", check::excerpt(name)), "workflow");
    try {
      return workflows.emplace(std::string(name), Workflow::from_json(stored->json, validation_context(txn)))
          .first->second;
    } catch (const InvalidWorkflow &e) {
      throw StorageError(fmt::format("stored workflow '{}' no longer validates: {}", check::excerpt(name), e.what()));
    }
  }

  void bump_revision(Op &op) {
    std::int64_t next = std::stoll(op.txn.setting(settings_revision_key).value_or("0")) + 1;
    op.txn.put_setting(settings_revision_key, std::to_string(next));
  }

  void store_workflow(Op &op, const Workflow &wf) {
    auto existing = op.txn.workflow(wf.name());
    op.txn.put_workflow({wf.name(), wf.to_json(), existing ? existing->revision + 1 : 1});
    bump_revision(op);
  }

  static Record record_of(StorageTransaction &txn, const Issue &issue) {
    auto r = txn.record(issue.record);
    if (!r)
      throw StorageError(fmt::format("issue {} names record {}, which is missing", issue.code, issue.record.to_string()));
    return *std::move(r);
  }

  // The issue and its record, or NotFound when it does not exist or the actor may not see it.
  static std::pair<IssueRow, Record> visible_issue(StorageTransaction &txn, const Actor &actor, std::string_view code) {
    std::int64_t number = parse_issue_code(code);
    auto row = txn.issue(number);
    auto not_found = [&] { return NotFound(fmt::format("no issue {}", format_issue_code(number)), "code"); };
    if (!row) throw not_found();
    Record record = record_of(txn, row->issue);
    if (!access::sees_issue(actor, row->issue, record)) throw not_found();
    return {*std::move(row), std::move(record)};
  }

  // The issue alone, for reads that need no record: staff see every issue, so
  // only other readers pay for loading the record.
  static IssueRow visible_row(StorageTransaction &txn, const Actor &actor, std::string_view code) {
    if (access::needs_record(actor)) return visible_issue(txn, actor, code).first;
    std::int64_t number = parse_issue_code(code);
    auto row = txn.issue(number);
    if (!row) throw NotFound(fmt::format("no issue {}", format_issue_code(number)), "code");
    return *std::move(row);
  }

  // Writes a change: the issue row and the chained timeline entry. A change to
  // the issue's own fields (`bump`) takes version + 1 and updated_at; the
  // discussion, watchers and links only move the timeline head, so they never
  // conflict with an action. Returns the issue as written; `entry` gets its seq and hashes.
  static Issue write(Op &op, const Actor &actor, const IssueRow &before, Issue after, TimelineEntry &entry, bool bump) {
    if (bump) {
      after.version = before.issue.version + 1;
      after.updated_at = op.now;
    }
    entry.issue_code = after.code;
    entry.at = op.now;
    entry.actor_id = actor.id;
    entry.actor_role = actor.role;
    chain::link(entry, before.timeline_seq, before.timeline_hash);
    if (!op.txn.update_issue(before, IssueRow{after, entry.seq, entry.hash}))
      throw Conflict(fmt::format("issue {} changed while this operation ran", after.code), "version");
    op.txn.append_timeline(entry);
    return after;
  }

  // Queues a change's notifications and its event, placed before the events
  // its effects queued since `mark`.
  static void announce(Op &op, Event event, const Issue &issue, const Record &record, std::int64_t seq,
                       std::size_t mark, NoticeExtras extras = {}) {
    notify::queue(op, notify::IssueNotice{event, issue, record, seq, extras.internal, std::move(extras.text),
                                          std::move(extras.mentioned), std::move(extras.reply_to_author)});
    op.events.insert(op.events.begin() + static_cast<std::ptrdiff_t>(std::min(mark, op.events.size())),
                     std::move(event));
  }

  // A change to the issue's fields, announced as `kind`.
  static Issue commit_change(Op &op, const Actor &actor, const IssueRow &before, Issue after, const Record &record,
                             TimelineEntry entry, EventKind kind, std::size_t mark = SIZE_MAX) {
    after = write(op, actor, before, std::move(after), entry, true);
    announce(op, issue_event(kind, actor, op.now, after, entry.action, entry.changes), after, record, entry.seq, mark,
             NoticeExtras{entry.internal});
    return after;
  }

  // desk_messages.cpp: the Open Complaints Reminder for a fieldworker, rendered.
  RenderedMessage reminder(Op &op, const Actor &actor, std::string_view fieldworker);

  // desk_discussion.cpp: adding and removing watchers and links.
  std::vector<std::string> change_watchers(const Actor &actor, std::string_view code, std::string_view user_id,
                                           bool add);
  void change_link(const Actor &actor, std::string_view code, std::string_view other, LinkKind kind, bool add);

  static void check_version(const Issue &issue, const std::optional<std::int64_t> &expected) {
    if (expected && *expected != issue.version)
      throw Conflict(fmt::format("issue {} is at version {}, not {}", issue.code, issue.version, *expected),
                     "expected_version");
  }
};

}  // namespace complaints
