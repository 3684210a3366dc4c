// Payment holds (SPEC R4): the rules, in one place, for the workflow effects
// (withhold, release, reapply) and the Desk's manual operations. Everything
// here writes through the operation's transaction, queues its events and
// notifications on the Op, and reports what it did for the caller's timeline.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "complaints/issue.hpp"
#include "complaints/payment_hold.hpp"
#include "complaints/record.hpp"
#include "complaints/timeline.hpp"
#include "core/op.hpp"

namespace complaints::holds {

/// Amounts to hold, by fieldworker (ReportRequest::hold_amounts).
using Amounts = std::map<std::string, Money, std::less<>>;

/// An issue-driven change: the issue as it will be committed, and the lines
/// to add to the change's timeline entry.
struct IssueChange {
  Op &op;
  const Actor &actor;
  const Record &record;
  const Issue &issue;
  std::string cause;  ///< "reported", or the action's name: becomes the ledger reason
  std::vector<FieldChange> &log;
};

/// Withholds the payouts of `fieldworkers` (those assigned to the record) for
/// the issue's record and links the issue to each hold. `reapply` marks a
/// hold released earlier as reapplied. Quotes have no payout; a paid-out
/// record gets no hold, and the log says why. Throws InvalidInput when an
/// amount's currency differs from the hold's.
void withhold(IssueChange &c, const std::vector<std::string> &fieldworkers, bool reapply, const Amounts *amounts);

/// True when the issue keeps the holds it is linked to withheld: while it is
/// not closed. Storage keeps the answer on each link (link_hold, mark_blocking).
inline bool blocks(const Issue &issue) noexcept { return !issue.is_closed(); }

/// Releases each hold linked to the issue that no other open issue keeps,
/// where the actor has release_payment; otherwise logs why it stays.
void release(IssueChange &c);

/// A manual hold (billing dispute) or a new amount on a withheld one. The
/// caller has checked the actor and the request's fields. Returns the hold.
PaymentHold withhold_manual(Op &op, const Actor &actor, const Record &record, const HoldRequest &request);

/// A manual release. The caller has checked release_payment and the fields.
/// InvalidState when nothing is withheld, or issues are open and this is not
/// an admin's override. Returns the hold and the issues linked to it.
PaymentHold release_manual(Op &op, const Actor &actor, const ReleaseRequest &request);

/// The answer to may-I-pay for one (record, fieldworker).
PayDecision decide(const PayQuery &query, std::optional<PaymentHold> hold, Timestamp now);

/// The finance report over ledger lines; InvalidState if a currency's total
/// does not fit in 64 bits.
HoldReport report(std::vector<HoldLedgerEntry> entries, Timestamp from, Timestamp to);

/// Adds `amount` to its currency's total in `totals` (appended when new);
/// InvalidState naming `field` when the sum overflows 64 bits.
void add_total(std::vector<CurrencyTotal> &totals, const Money &amount, std::string_view field);

}  // namespace complaints::holds
