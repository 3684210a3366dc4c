// The Desk's time (SPEC R8): due work, the business calendar, the To Follow
// counter. The work itself is in engine/due.cpp.
#include "desk/impl.hpp"
#include "engine/due.hpp"
#include "json/json.hpp"
#include "time/calendar.hpp"

namespace complaints {

std::vector<DueRun> Desk::process_due(const Actor &actor, std::size_t limit) {
  access::check_actor(actor);
  access::require_role(actor, Role::system, "running due work");
  check::count(limit, "limit", limits::page_items);
  Timestamp now = impl_->clock->now();
  auto items = impl_->run(TxnMode::read, [&](Op &op) { return op.txn.due_items(now, limit); });
  std::vector<DueRun> done;
  for (const auto &item : items) {
    // Taken inside its own write transaction: another desk may have run (or
    // moved) it since it was listed, and then it is no longer there as listed.
    auto still_due = [&](Op &op) {
      auto current = op.txn.due_item(item.number, item.kind, item.name);
      return current && current->due_at == item.due_at;
    };
    std::string reason;
    try {
      auto ran = impl_->run(TxnMode::write, [&](Op &op) -> std::optional<DueRun> {
        if (!still_due(op)) return std::nullopt;
        return engine::run_due(op, actor, item);
      });
      if (ran) done.push_back(std::move(*ran));
      continue;
    } catch (const StorageError &) {
      throw;  // stays due
    } catch (const Conflict &) {
      throw;  // cannot happen in a write transaction; leave it due rather than drop it
    } catch (const Error &e) {
      reason = e.message();  // rolled back; drop it for good below
    }
    auto dropped = impl_->run(TxnMode::write, [&](Op &op) -> std::optional<DueRun> {
      if (!still_due(op)) return std::nullopt;
      return engine::drop_due(op, actor, item, reason);
    });
    if (dropped) done.push_back(std::move(*dropped));
  }
  return done;
}

std::optional<Timestamp> Desk::next_due(const Actor &actor) {
  access::check_actor(actor);
  access::require_staff(actor, "reading when work falls due");
  return impl_->run(TxnMode::read, [](Op &op) { return op.txn.next_due(); });
}

void Desk::set_calendar(const Actor &actor, const BusinessCalendar &calendar) {
  access::check_actor(actor);
  access::require_staff(actor, Permission::manage_settings, "setting the business calendar");
  timing::Calendar::make(calendar);  // checks it: InvalidInput naming the field
  impl_->run(TxnMode::write, [&](Op &op) {
    op.txn.put_setting(engine::calendar_key, json::to_json(calendar));
    op.caches->bump_revision(op);
    engine::schedule_reminders(op);
    Event e;
    e.kind = EventKind::settings_changed;
    e.at = op.now;
    e.actor_id = actor.id;
    e.actor_role = actor.role;
    e.detail = "business calendar set";
    op.events.push_back(std::move(e));
    return 0;
  });
}

std::vector<SlaClock> Desk::sla_clocks(const Actor &actor, std::string_view code) {
  access::check_actor(actor);
  access::require_staff(actor, "reading SLA clocks");
  parse_issue_code(code);
  return impl_->run(TxnMode::read, [&](Op &op) {
    Issue issue = impl_->visible_row(op.txn, actor, code).issue;
    engine::as_of_now(op, issue);
    return issue.slas;
  });
}

BusinessCalendar Desk::calendar(const Actor &actor) {
  access::check_actor(actor);
  return impl_->run(TxnMode::read, [&](Op &op) { return op.caches->calendar(op).source(); });
}

std::int64_t Desk::to_follow_count(const Actor &actor, std::string_view user_id) {
  access::check_actor(actor);
  check::id(user_id, "user_id", limits::id_bytes);
  if (!is_staff(actor.role) && actor.id != user_id)
    throw Forbidden("only staff may count another user's To Follow issues", "user_id");
  IssueQuery q;
  q.filter = IssueFilter::open_issues();
  q.filter.to_follow = true;
  q.filter.owner = std::string(user_id);
  return impl_->run(TxnMode::read, [&](Op &op) { return op.txn.count_issues(q); });
}

}  // namespace complaints
