// Notifications (SPEC R6.1): who is told about a change, written to the
// outbox in the change's own transaction.
#pragma once

#include "complaints/events.hpp"
#include "complaints/issue.hpp"
#include "complaints/record.hpp"
#include "complaints/payment_hold.hpp"
#include "desk/op.hpp"

namespace complaints::notify {

/// Queues one notification per recipient for an event about `issue`:
/// the fieldworkers who can see it and, for public events (reported, status
/// changed), the customer; never the actor who caused it. `seq` is the
/// timeline entry recording the change: with the recipient and channel it
/// makes the idempotency key.
void queue(Op &op, const Event &event, const Issue &issue, const Record &record, std::int64_t seq);

/// Queues the notification of a withheld or released payout to its
/// fieldworker (unless they caused it). The ledger line's id makes the key.
void queue_hold(Op &op, const Event &event, const PaymentHold &hold, const HoldLedgerEntry &line);

}  // namespace complaints::notify
