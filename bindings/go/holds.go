package complaints

/*
#include <complaints.h>
*/
import "C"

import "time"

// Payment holds (docs/holds.md).

// MayPay answers whether the host may pay a fieldworker for a record now.
// Staff and system actors.
//
// Errors: ErrForbidden for other roles; ErrInvalidInput for a bad record or id.
func (d *Desk) MayPay(a *Actor, record RecordRef, fieldworker string) (PayDecision, error) {
	var cs cstrings
	defer cs.free()
	kind, id, fw := cs.str("record.kind", string(record.Kind)), cs.str("record.id", record.ID), cs.str("fieldworker", fieldworker)
	return fetchJSON[PayDecision](d, a, &cs, "pay decision", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_hold_may_pay(dp, out, ap, kind, id, fw)
	})
}

// MayPayMany answers MayPay for many (record, fieldworker) pairs in one read
// (a payroll run), in the order asked. At most 100,000 queries.
//
// Errors: as MayPay.
func (d *Desk) MayPayMany(a *Actor, queries []PayQuery) ([]PayDecision, error) {
	if queries == nil {
		queries = []PayQuery{}
	}
	var cs cstrings
	defer cs.free()
	doc := cs.json("queries", queries)
	return fetchJSON[[]PayDecision](d, a, &cs, "pay decisions", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_hold_may_pay_many(dp, out, ap, doc)
	})
}

// Withhold withholds a fieldworker's payout for a booking or invoice by hand
// (a billing dispute), or changes the amount withheld. Staff only; a reason
// is required.
//
// Errors: ErrInvalidInput for a quote, a fieldworker not assigned, a bad
// amount or another currency than the hold's; ErrInvalidState when the
// record was paid out or the payout is already withheld with that amount.
func (d *Desk) Withhold(a *Actor, req HoldRequest) (PaymentHold, error) {
	var cs cstrings
	defer cs.free()
	doc := cs.json("request", req)
	return fetchJSON[PaymentHold](d, a, &cs, "hold", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_hold_withhold(dp, out, ap, doc)
	})
}

// Release releases a withheld payout. Needs a staff role with
// PermReleasePayment and every linked issue closed, or an admin's Override;
// a reason is required.
//
// Errors: ErrForbidden; ErrInvalidState while linked issues are open;
// ErrNotFound when there is no hold.
func (d *Desk) Release(a *Actor, req ReleaseRequest) (PaymentHold, error) {
	var cs cstrings
	defer cs.free()
	doc := cs.json("request", req)
	return fetchJSON[PaymentHold](d, a, &cs, "hold", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_hold_release(dp, out, ap, doc)
	})
}

// Holds returns the holds matching the filter. Staff see every hold, a
// fieldworker only their own.
//
// Errors: ErrInvalidInput for a bad criterion or limit.
func (d *Desk) Holds(a *Actor, f HoldFilter) ([]PaymentHold, error) {
	var cs cstrings
	defer cs.free()
	doc := cs.json("filter", f)
	return fetchJSON[[]PaymentHold](d, a, &cs, "holds", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_hold_list(dp, out, ap, doc)
	})
}

// StalledHolds returns the holds withheld for at least days days, by the
// desk's clock, at most 100,000. Staff only.
//
// Errors: ErrForbidden; ErrInvalidInput for a negative count.
func (d *Desk) StalledHolds(a *Actor, days int) ([]PaymentHold, error) {
	var cs cstrings
	return fetchJSON[[]PaymentHold](d, a, &cs, "holds", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_hold_stalled(dp, out, ap, cDays(days))
	})
}

// HoldReport is the finance report of [from, to): every withhold and release
// with totals per currency. Staff only.
//
// Errors: ErrForbidden; ErrInvalidInput when to is before from.
func (d *Desk) HoldReport(a *Actor, from, to time.Time) (HoldReport, error) {
	var cs cstrings
	defer cs.free()
	cfrom, cto := cs.str("from", formatInstant(from)), cs.str("to", formatInstant(to))
	return fetchJSON[HoldReport](d, a, &cs, "hold report", func(dp *C.complaints_desk, ap *C.complaints_actor, out **C.char) C.int {
		return C.complaints_hold_report(dp, out, ap, cfrom, cto)
	})
}
