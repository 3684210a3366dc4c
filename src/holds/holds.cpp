#include "holds/holds.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "domain/check.hpp"
#include "notify/notify.hpp"

namespace complaints::holds {

namespace {

std::string field_of(const std::string &fieldworker) { return "payment:" + fieldworker; }

// Appends a ledger line and queues the event and the fieldworker's notification.
HoldLedgerEntry record_change(Op &op, const Actor &actor, const PaymentHold &hold, LedgerAction action,
                              std::string reason, std::vector<std::string> issues, bool override_release,
                              const std::string &issue_code) {
  HoldLedgerEntry e;
  e.record = hold.record;
  e.fieldworker = hold.fieldworker;
  e.action = action;
  e.at = op.now;
  e.actor_id = actor.id;
  e.actor_role = actor.role;
  e.reason = std::move(reason);
  e.issues = std::move(issues);
  e.amount = hold.amount;
  e.override_release = override_release;
  e.id = op.txn.append_ledger(e);
  if (action == LedgerAction::amount) return e;

  Event ev;
  ev.kind = action == LedgerAction::released ? EventKind::payment_released : EventKind::payment_withheld;
  ev.at = op.now;
  ev.actor_id = actor.id;
  ev.actor_role = actor.role;
  ev.issue_code = issue_code;
  ev.detail = fmt::format("{} {}", hold.record.to_string(), hold.fieldworker);
  ev.changes.push_back({field_of(hold.fieldworker), action == LedgerAction::released ? "withheld" : "",
                        to_string(hold.state)});
  notify::queue_hold(op, ev, hold, e);
  op.events.push_back(std::move(ev));
  return e;
}

void check_currency(const PaymentHold &hold, const Money &amount, const std::string &field) {
  if (hold.amount && hold.amount->currency() != amount.currency())
    throw InvalidInput(fmt::format("the hold of {} on {} is in {}, not {}", check::excerpt(hold.fieldworker),
                                   check::excerpt(hold.record.to_string()), hold.amount->currency(), amount.currency()),
                       field);
}

bool contains(const std::vector<std::string> &v, const std::string &x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

void withhold(IssueChange &c, const std::vector<std::string> &fieldworkers, bool reapply, const Amounts *amounts) {
  if (c.record.ref.kind == RecordKind::quote) return;  // quotes have no payout
  if (c.record.paid_out) {
    c.log.push_back({"payment", "", fmt::format("not withheld: {} was already paid out", c.record.ref.to_string())});
    return;
  }
  for (const auto &fw : fieldworkers) {
    if (!contains(c.record.fieldworkers, fw)) continue;
    const Money *amount = nullptr;
    if (amounts)
      if (auto it = amounts->find(fw); it != amounts->end()) amount = &it->second;
    auto existing = c.op.txn.hold(c.record.ref, fw);
    if (existing && amount) check_currency(*existing, *amount, "hold_amounts." + fw);
    if (existing && existing->state == HoldState::withheld) {
      bool linked = contains(existing->issues, c.issue.code);
      if (!linked) c.op.txn.link_hold(c.record.ref, fw, c.issue.number, blocks(c.issue));
      if (amount && existing->amount != *amount) {
        existing->amount = *amount;
        c.op.txn.put_hold(*existing);
        record_change(c.op, c.actor, *existing, LedgerAction::amount, c.cause, {c.issue.code},
                      false, c.issue.code);
      }
      if (!linked) c.log.push_back({field_of(fw), "withheld", "withheld"});
      continue;
    }
    PaymentHold h = existing.value_or(PaymentHold{c.record.ref, fw, HoldState::withheld, std::nullopt,
                                                  HoldScope::portion, c.op.now, std::nullopt, {}, {}});
    std::string before = existing ? to_string(existing->state) : "";
    h.state = HoldState::withheld;
    h.since = c.op.now;
    h.released_at.reset();
    if (amount) h.amount = *amount;
    c.op.txn.put_hold(h);
    c.op.txn.link_hold(c.record.ref, fw, c.issue.number, blocks(c.issue));
    LedgerAction action = existing && reapply ? LedgerAction::reapplied : LedgerAction::withheld;
    record_change(c.op, c.actor, h, action, c.cause, {c.issue.code}, false, c.issue.code);
    c.log.push_back({field_of(fw), before, "withheld"});
  }
}

void release(IssueChange &c) {
  for (PaymentHold h : c.op.txn.holds_of_issue(c.issue.number)) {
    if (h.state == HoldState::released) continue;
    // Storage still has this issue as it was; the change being made decides whether it blocks.
    std::erase(h.blocking, c.issue.code);
    if (blocks(c.issue)) h.blocking.push_back(c.issue.code);
    if (!h.blocking.empty()) {
      c.log.push_back({field_of(h.fieldworker), "withheld",
                       fmt::format("withheld: {} still open", fmt::join(h.blocking, ", "))});
      continue;
    }
    // As for a release by hand (docs/permissions.md): the permission counts on a staff role only.
    if (!is_staff(c.actor.role) || !c.actor.can(Permission::release_payment)) {
      c.log.push_back({field_of(h.fieldworker), "withheld",
                       "withheld: releasing needs staff with the release_payment permission"});
      continue;
    }
    h.state = HoldState::released;
    h.released_at = c.op.now;
    c.op.txn.put_hold(h);
    record_change(c.op, c.actor, h, LedgerAction::released, c.cause, h.issues, false,
                  c.issue.code);
    c.log.push_back({field_of(h.fieldworker), "withheld", "released"});
  }
}

PaymentHold withhold_manual(Op &op, const Actor &actor, const Record &record, const HoldRequest &req) {
  if (record.ref.kind == RecordKind::quote) throw InvalidInput("a quote has no payout to withhold", "record");
  if (!contains(record.fieldworkers, req.fieldworker))
    throw InvalidInput(fmt::format("'{}' is not assigned to {}", check::excerpt(req.fieldworker),
                                   check::excerpt(record.ref.to_string())),
                       "fieldworker");
  if (record.paid_out)
    throw InvalidState(
        fmt::format("{} was already paid out; there is nothing to withhold", check::excerpt(record.ref.to_string())),
        "record");
  auto existing = op.txn.hold(record.ref, req.fieldworker);
  if (existing && req.amount) check_currency(*existing, *req.amount, "amount.currency");
  if (existing && existing->state == HoldState::withheld) {
    if (!req.amount || (existing->amount == req.amount && existing->scope == req.scope))
      throw InvalidState(fmt::format("the payout of {} on {} is already withheld", check::excerpt(req.fieldworker),
                                     check::excerpt(record.ref.to_string())),
                         "fieldworker");
    existing->amount = req.amount;
    existing->scope = req.scope;
    op.txn.put_hold(*existing);
    record_change(op, actor, *existing, LedgerAction::amount, req.reason, {}, false, "");
    return *existing;
  }
  PaymentHold h = existing.value_or(PaymentHold{});
  h.record = record.ref;
  h.fieldworker = req.fieldworker;
  h.state = HoldState::withheld;
  h.amount = req.amount ? req.amount : h.amount;
  h.scope = req.scope;
  h.since = op.now;
  h.released_at.reset();
  op.txn.put_hold(h);
  record_change(op, actor, h, LedgerAction::withheld, req.reason, {}, false, "");
  return h;
}

PaymentHold release_manual(Op &op, const Actor &actor, const ReleaseRequest &req) {
  auto h = op.txn.hold(req.record, req.fieldworker);
  if (!h || h->state != HoldState::withheld)
    throw InvalidState(fmt::format("the payout of {} on {} is not withheld", check::excerpt(req.fieldworker),
                                   check::excerpt(req.record.to_string())),
                       "fieldworker");
  bool override_release = false;
  if (!h->blocking.empty()) {
    if (!req.override)
      throw InvalidState(fmt::format("{} still open; close them first, or have an admin override with a reason",
                                     fmt::join(h->blocking, ", ")),
                         "fieldworker");
    if (actor.role != Role::admin)
      throw Forbidden("only an admin may release a payout while its issues are open", "override");
    override_release = true;
  }
  h->state = HoldState::released;
  h->released_at = op.now;
  op.txn.put_hold(*h);
  record_change(op, actor, *h, LedgerAction::released, req.reason, h->issues, override_release, "");
  return *h;
}

PayDecision decide(const PayQuery &q, std::optional<PaymentHold> hold, Timestamp now) {
  PayDecision d;
  d.record = q.record;
  d.fieldworker = q.fieldworker;
  if (hold && hold->state == HoldState::withheld) {
    d.may_pay = false;
    d.blocking = hold->blocking;
    d.age = std::max(now - hold->since, std::chrono::milliseconds(0));
    if (d.blocking.empty()) {
      d.reason = "withheld until someone with the release_payment permission releases it";
    } else {
      // Built by hand into one allocation: a payroll run asks this for every
      // line, and fmt (or growing the string) here was measurable.
      constexpr std::string_view head = "withheld while ", one = " is open", many = " are open";
      std::size_t size = head.size() + many.size();
      for (const auto &code : d.blocking) size += code.size() + 2;
      d.reason.reserve(size);
      d.reason = head;
      for (std::size_t i = 0; i < d.blocking.size(); ++i) d.reason.append(i ? ", " : "").append(d.blocking[i]);
      d.reason += d.blocking.size() == 1 ? one : many;
    }
  }
  d.hold = std::move(hold);
  return d;
}

void add_total(std::vector<CurrencyTotal> &totals, const Money &amount, std::string_view field) {
  auto it =
      std::find_if(totals.begin(), totals.end(), [&](const auto &t) { return t.currency == amount.currency(); });
  if (it == totals.end()) it = totals.insert(totals.end(), CurrencyTotal{amount.currency(), 0, 0});
  if (__builtin_add_overflow(it->minor, amount.minor(), &it->minor))
    throw InvalidState(fmt::format("the {} total does not fit in 64 bits; ask for a shorter period", amount.currency()),
                       std::string(field));
  ++it->count;
}

HoldReport report(std::vector<HoldLedgerEntry> entries, Timestamp from, Timestamp to) {
  HoldReport r;
  r.from = from;
  r.to = to;
  auto add = [](std::vector<CurrencyTotal> &totals, const Money &m) { add_total(totals, m, "to"); };
  for (const auto &e : entries) {
    if (e.action == LedgerAction::withheld || e.action == LedgerAction::reapplied) {
      ++r.withheld_count;
      if (e.amount) add(r.withheld, *e.amount);
    } else if (e.action == LedgerAction::released) {
      ++r.released_count;
      if (e.amount) add(r.released, *e.amount);
    }
  }
  auto by_currency = [](const CurrencyTotal &a, const CurrencyTotal &b) { return a.currency < b.currency; };
  std::sort(r.withheld.begin(), r.withheld.end(), by_currency);
  std::sort(r.released.begin(), r.released.end(), by_currency);
  r.entries = std::move(entries);
  return r;
}

}  // namespace complaints::holds
