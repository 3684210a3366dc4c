#include "engine/change.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "access/access.hpp"
#include "complaints/errors.hpp"
#include "engine/caches.hpp"
#include "engine/due.hpp"
#include "holds/holds.hpp"
#include "notify/notify.hpp"
#include "search/texts.hpp"
#include "time/sla.hpp"
#include "timeline/chain.hpp"

namespace complaints::engine {

namespace {

// SPEC R8.2: a To Follow issue with a deferred date is reminded of on that
// day, once. The reminder moves when the date (or the flag) changes, and goes
// when the flag is cleared or the issue closes; otherwise it stays as the
// caller left it (cleared once sent).
void keep_reminder(Op &op, const Issue *before, Issue &after) {
  if (!after.to_follow || !after.deferred_date || after.is_closed()) {
    after.reminder_at.reset();
    return;
  }
  bool unchanged = before && before->to_follow && before->deferred_date == after.deferred_date && !before->is_closed();
  if (!unchanged) after.reminder_at = op.caches->calendar(op).reminder_time(*after.deferred_date);
}

}  // namespace

Record record_of(StorageTransaction &txn, const Issue &issue) {
  auto r = txn.record(issue.record);
  if (!r)
    throw StorageError(fmt::format("issue {} names record {}, which is missing", issue.code, issue.record.to_string()));
  return *std::move(r);
}

void as_of_now(Op &op, Issue &issue) { as_of_now(op, issue.slas); }

void as_of_now(Op &op, std::vector<SlaClock> &clocks) {
  const timing::Calendar *calendar = nullptr;
  for (SlaClock &clock : clocks) {
    if (clock.state != SlaState::running || clock.as_of >= op.now) continue;
    if (!calendar) calendar = &op.caches->calendar(op);
    timing::bring_up_to_date(clock, op.now, *calendar);
  }
}

Event issue_event(EventKind kind, const Actor &actor, Timestamp at, const Issue &issue, std::string action,
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

Issue write(Op &op, const Actor &actor, const IssueRow &before, Issue after, TimelineEntry &entry, bool bump) {
  if (bump) {
    after.version = before.issue.version + 1;
    after.updated_at = op.now;
    keep_reminder(op, &before.issue, after);
    as_of_now(op, after);
  }
  entry.issue_code = after.code;
  entry.at = op.now;
  entry.actor_id = actor.id;
  entry.actor_role = actor.role;
  chain::link(entry, before.timeline_seq, before.timeline_hash);
  if (!op.txn.update_issue(before, IssueRow{after, entry.seq, entry.hash}))
    throw Conflict(fmt::format("issue {} changed while this operation ran", after.code), "version");
  op.txn.append_timeline(entry);
  if (holds::blocks(before.issue) != holds::blocks(after)) op.txn.mark_blocking(after.number, holds::blocks(after));
  if (before.issue.status != after.status)
    op.txn.begin_status_period({after.number, after.status, after.category, after.stage, op.now, std::nullopt});
  if (bump) sync_due(op.txn, after.number, due_of(before.issue), due_of(after));
  return after;
}

void write_new(Op &op, const Actor &actor, const Record &record, Issue &issue, TimelineEntry &entry) {
  keep_reminder(op, nullptr, issue);
  entry.issue_code = issue.code;
  entry.at = op.now;
  entry.actor_id = actor.id;
  entry.actor_role = actor.role;
  chain::link(entry, 0, "");
  op.txn.insert_issue({issue, entry.seq, entry.hash});
  op.txn.put_readers(issue.number, access::readers(record));
  op.txn.append_timeline(entry);
  op.txn.put_search_text(issue.number, search::texts(issue, {}, {}));
  op.txn.begin_status_period({issue.number, issue.status, issue.category, issue.stage, op.now, std::nullopt});
  sync_due(op.txn, issue.number, {}, due_of(issue));
}

void announce(Op &op, Event event, const Issue &issue, const Record &record, std::int64_t seq, std::size_t mark,
              NoticeExtras extras) {
  notify::queue(op, notify::IssueNotice{event, issue, record, seq, extras.internal, std::move(extras.text),
                                        std::move(extras.mentioned), std::move(extras.reply_to_author)});
  op.events.insert(op.events.begin() + static_cast<std::ptrdiff_t>(std::min(mark, op.events.size())),
                   std::move(event));
}

Issue commit_change(Op &op, const Actor &actor, const IssueRow &before, Issue after, const Record &record,
                    TimelineEntry entry, EventKind kind, std::size_t mark) {
  after = write(op, actor, before, std::move(after), entry, true);
  announce(op, issue_event(kind, actor, op.now, after, entry.action, entry.changes), after, record, entry.seq, mark,
           NoticeExtras{entry.internal});
  return after;
}

}  // namespace complaints::engine
