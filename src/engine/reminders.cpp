#include "engine/reminders.hpp"

#include <fmt/format.h>

#include "complaints/event.hpp"
#include "engine/caches.hpp"
#include "messages/messages.hpp"

namespace complaints::engine {

RenderedMessage render_reminder(Op &op, const Actor &actor, const std::string &fieldworker) {
  messages::Library &library = op.caches->library(op);
  const messages::Compiled &t = library.get(op.txn, templates::open_complaints_reminder);
  const messages::Compiled &layout = library.get(op.txn, templates::layout);
  auto context = messages::reminder_context(op, fieldworker, actor, op.caches->message_settings(op), op.now);
  return messages::render(t, layout, context, fieldworker);
}

void queue_reminder(Op &op, const Actor &actor, RenderedMessage &message, const std::string &key) {
  messages::queue(op, message, "", key);
  Event e;
  e.kind = EventKind::message_queued;
  e.at = op.now;
  e.actor_id = actor.id;
  e.actor_role = actor.role;
  e.detail = fmt::format("{} to {}", message.template_name, message.recipient);
  e.item_id = message.outbox_id;
  op.events.push_back(std::move(e));
}

std::size_t send_scheduled_reminders(Op &op, const Actor &actor, Timestamp due_at) {
  auto fieldworkers = op.txn.fieldworkers_of_issues(IssueFilter::open_issues().categories);
  for (const auto &fw : fieldworkers) {
    RenderedMessage m = render_reminder(op, actor, fw);
    queue_reminder(op, actor, m, fmt::format("msg/reminder/scheduled/{}/{}", to_millis(due_at), fw));
  }
  return fieldworkers.size();
}

}  // namespace complaints::engine
