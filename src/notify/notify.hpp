// Notifications (SPEC R6.1, R6.2): who is told about a change, filtered by
// each user's settings, written to the outbox in the change's own
// transaction: one item per (recipient, channel).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "complaints/event.hpp"
#include "complaints/issue.hpp"
#include "complaints/payment_hold.hpp"
#include "complaints/record.hpp"
#include "core/op.hpp"

namespace complaints::notify {

/// A change to one issue, to be told to whoever should hear of it.
struct IssueNotice {
  const Event &event;
  const Issue &issue;
  const Record &record;
  std::int64_t seq = 0;   ///< the timeline entry recording it: part of each idempotency key
  bool internal = false;  ///< internal content: never told to the customer
  std::string text{};     ///< what to say beyond the summary (a comment's text)
  std::vector<std::string> mentioned{};        ///< users mentioned (registered, able to see it)
  std::optional<std::string> reply_to_author{};  ///< author of the comment answered
};

/// Queues the notifications of an issue's change. Recipients: registered
/// admins, the record's fieldworkers who can see the issue, the issue's
/// watchers, and for public changes (reported, status changed, public
/// comments and attachments) the customer; plus mentioned users and the
/// author of a comment replied to. Never the actor. Each recipient's settings
/// (registered, or the defaults of their role) choose the scope and channels.
void queue(Op &op, const IssueNotice &notice);

/// Queues the notification of a withheld or released payout: to its
/// fieldworker and the registered admins. The ledger line's id makes the key.
void queue_hold(Op &op, const Event &event, const PaymentHold &hold, const HoldLedgerEntry &line);

/// Queues an internal notice about an issue (an SLA's warning or breach, a
/// To Follow reminder) to named users, each by their settings (scope "mine"
/// hears of issues they are involved in; "replies" hears nothing of these).
/// Customers and the actor are never told. Keys: "<code>/<seq>/<event>:<detail>/<user>/<channel>".
void queue_direct(Op &op, const Event &event, const Issue &issue, const Record &record, std::int64_t seq,
                  const std::vector<std::string> &recipients, const std::string &subject, const std::string &body);

/// Queues "issue CMP-xxxxx was deleted" (the code only) to `recipients`.
void queue_deleted(Op &op, const Event &event, const std::vector<Actor> &recipients);

}  // namespace complaints::notify
