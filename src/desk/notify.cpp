#include "desk/notify.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "desk/access.hpp"

namespace complaints::notify {

namespace {

bool is_public(EventKind kind) {
  return kind == EventKind::issue_reported || kind == EventKind::status_changed;
}

std::string subject(const Event &e, const Issue &issue) {
  switch (e.kind) {
    case EventKind::issue_reported: return fmt::format("{} logged: {}", issue.code, issue.type);
    case EventKind::status_changed: return fmt::format("{} is now {}", issue.code, issue.status);
    case EventKind::issue_edited: return fmt::format("{} was edited", issue.code);
    case EventKind::issue_relinked: return fmt::format("{} moved to {}", issue.code, issue.record.to_string());
    case EventKind::settings_changed:
    case EventKind::payment_withheld:
    case EventKind::payment_released: break;
  }
  return issue.code;
}

std::string body(const Event &e, const Issue &issue, bool for_customer) {
  std::string text = fmt::format("{} on {} ({}): {}", issue.code, issue.record.to_string(), issue.type, issue.status);
  for (const auto &c : e.changes)
    if (!for_customer || !is_internal_field(c.field))
      text += fmt::format("\n{}: {} -> {}", c.field, c.before.empty() ? "-" : c.before, c.after.empty() ? "-" : c.after);
  return text;
}

}  // namespace

void queue(Op &op, const Event &event, const Issue &issue, const Record &record, std::int64_t seq) {
  struct Recipient {
    std::string id;
    DeliveryChannel channel;
  };
  std::vector<Recipient> recipients;
  auto add = [&](const std::string &id, DeliveryChannel channel) {
    if (id == event.actor_id) return;
    if (std::any_of(recipients.begin(), recipients.end(), [&](const Recipient &r) { return r.id == id; })) return;
    recipients.push_back({id, channel});
  };
  for (const auto &fw : record.fieldworkers)
    if (access::sees_issue(Actor{fw, Role::fieldworker, {}}, issue, record)) add(fw, DeliveryChannel::push);
  if (is_public(event.kind) && !issue.customer_id.empty()) add(issue.customer_id, DeliveryChannel::email);

  for (const auto &r : recipients) {
    OutboxItem item;
    item.idempotency_key = fmt::format("{}/{}/{}/{}", issue.code, seq, r.id, to_string(r.channel));
    item.kind = OutboxKind::notification;
    item.event = to_string(event.kind);
    item.issue_code = issue.code;
    item.recipient = r.id;
    item.channel = r.channel;
    item.subject = subject(event, issue);
    item.body_text = body(event, issue, r.id == issue.customer_id);
    item.created_at = op.now;
    op.txn.enqueue(item);
  }
}

void queue_hold(Op &op, const Event &event, const PaymentHold &hold, const HoldLedgerEntry &line) {
  if (hold.fieldworker == event.actor_id) return;
  bool released = event.kind == EventKind::payment_released;
  OutboxItem item;
  item.idempotency_key = fmt::format("hold/{}/{}/push", line.id, hold.fieldworker);
  item.kind = OutboxKind::notification;
  item.event = to_string(event.kind);
  item.issue_code = event.issue_code;
  item.recipient = hold.fieldworker;
  item.channel = DeliveryChannel::push;
  item.subject = fmt::format("Your payment for {} is {}", hold.record.to_string(), released ? "released" : "on hold");
  item.body_text = released ? fmt::format("Your payment for {} was released.", hold.record.to_string())
                            : fmt::format("Your payment for {} is withheld while {} is resolved. Reason: {}",
                                          hold.record.to_string(),
                                          line.issues.empty() ? std::string("a billing dispute")
                                                              : fmt::format("{}", fmt::join(line.issues, ", ")),
                                          line.reason);
  item.created_at = op.now;
  op.txn.enqueue(item);
}

}  // namespace complaints::notify
