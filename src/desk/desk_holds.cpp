// The Desk's payment-hold operations (SPEC R4); the rules are in holds/holds.cpp.
#include "desk/impl.hpp"
#include "holds/holds.hpp"

namespace complaints {

namespace {

void check_hold_target(const RecordRef &record, const std::string &fieldworker, const std::string &reason) {
  check_record_ref(record, "record");
  check::id(fieldworker, "fieldworker", limits::id_bytes);
  check::text(reason, "reason", limits::note_bytes, true);
}

}  // namespace

PaymentHold Desk::withhold_payment(const Actor &actor, const HoldRequest &req) {
  access::check_actor(actor);
  if (!is_staff(actor.role) || actor.role == Role::system)
    throw Forbidden(fmt::format("withholding a payout is for admin, supervisor and office staff, not {}",
                                to_string(actor.role)),
                    "actor.role");
  check_hold_target(req.record, req.fieldworker, req.reason);
  if (req.amount) Money::of(req.amount->minor(), req.amount->currency(), "amount");
  if (!hold_scope_from_string(to_string(req.scope))) throw InvalidInput("is not a known scope", "scope");
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto record = op.txn.record(req.record);
    if (!record) throw NotFound(fmt::format("no record {}", check::excerpt(req.record.to_string())), "record");
    return holds::withhold_manual(op, actor, *record, req);
  });
}

PaymentHold Desk::release_payment(const Actor &actor, const ReleaseRequest &req) {
  access::check_actor(actor);
  access::require_staff(actor, Permission::release_payment, "releasing a payout");
  check_hold_target(req.record, req.fieldworker, req.reason);
  return impl_->run(TxnMode::write, [&](Op &op) {
    PaymentHold h = holds::release_manual(op, actor, req);
    // Each linked issue's timeline records the release, with its reason.
    for (const auto &code : h.issues) {
      IssueRow before = *op.txn.issue(parse_issue_code(code));
      TimelineEntry entry;
      entry.kind = entry_kind::payment;
      entry.changes.push_back({"payment:" + req.fieldworker, "withheld", req.override ? "released (override)" : "released"});
      entry.note = req.reason;
      entry.internal = true;
      engine::write(op, actor, before, before.issue, entry, false);
    }
    return h;
  });
}

PayDecision Desk::may_pay(const Actor &actor, const RecordRef &record, std::string_view fieldworker) {
  PayQuery q{record, std::string(fieldworker)};
  return may_pay(actor, std::span<const PayQuery>(&q, 1)).front();
}

std::vector<PayDecision> Desk::may_pay(const Actor &actor, std::span<const PayQuery> queries) {
  access::check_actor(actor);
  access::require_staff(actor, "asking whether a payout may be made");
  if (queries.size() > limits::hold_page_items)
    throw InvalidInput(fmt::format("at most {} queries at once", limits::hold_page_items), "queries");
  for (std::size_t i = 0; i < queries.size(); ++i) {
    try {
      check_record_ref(queries[i].record, "record");
      check::id(queries[i].fieldworker, "fieldworker", limits::id_bytes);
    } catch (const InvalidInput &e) {  // the path is built only for the query at fault
      throw InvalidInput(e.message(), fmt::format("queries[{}].{}", i, e.where()));
    }
  }
  return impl_->run(TxnMode::read, [&](Op &op) {
    std::vector<PayDecision> out;
    out.reserve(queries.size());
    for (const auto &q : queries) out.push_back(holds::decide(q, op.txn.hold(q.record, q.fieldworker), op.now));
    return out;
  });
}

std::vector<PaymentHold> Desk::holds(const Actor &actor, const HoldFilter &filter) {
  access::check_actor(actor);
  if (actor.role == Role::customer) throw Forbidden("customers do not see payment holds", "actor.role");
  check::count(filter.limit, "limit", limits::hold_page_items);
  if (filter.record) check_record_ref(*filter.record, "record");
  if (filter.invoice) check::id(*filter.invoice, "invoice", limits::id_bytes);
  if (filter.fieldworker) check::id(*filter.fieldworker, "fieldworker", limits::id_bytes);
  HoldFilter scoped = filter;
  if (actor.role == Role::fieldworker) {
    // A fieldworker sees their own holds only (their booking summary).
    if (filter.fieldworker && *filter.fieldworker != actor.id) return {};
    scoped.fieldworker = actor.id;
  }
  return impl_->run(TxnMode::read, [&](Op &op) { return op.txn.find_holds(scoped); });
}

std::vector<PaymentHold> Desk::stalled_holds(const Actor &actor, std::chrono::milliseconds age) {
  access::check_actor(actor);
  access::require_staff(actor, "listing stalled holds");
  if (age.count() < 0) throw InvalidInput("must not be negative", "age");
  HoldFilter f;
  f.withheld_before = impl_->clock->now() - age;
  f.limit = limits::hold_page_items;
  return impl_->run(TxnMode::read, [&](Op &op) { return op.txn.find_holds(f); });
}

HoldReport Desk::hold_report(const Actor &actor, Timestamp from, Timestamp to) {
  access::check_actor(actor);
  access::require_staff(actor, "the holds report");
  if (to < from) throw InvalidInput("is before from", "to");
  return impl_->run(TxnMode::read, [&](Op &op) { return holds::report(op.txn.ledger(from, to), from, to); });
}

}  // namespace complaints
