// docs/holds.md: payouts withheld by a complaint, a billing dispute, and the
// finance view.
#include <complaints/complaints.hpp>

#include <cassert>
#include <cstdio>
#include <filesystem>
#include <string>

using namespace complaints;

int main(int argc, char **argv) {
  std::string path = argc > 1 ? argv[1] : "holds.db";
  for (const char *suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto clock = std::make_shared<ManualClock>(parse_timestamp("2026-11-02T08:00:00Z"));
  Desk desk(open_sqlite(path), DeskOptions{clock});
  Actor office{"olivia", Role::office, {}};
  Actor finance{"fiona", Role::admin, Permissions::all()};
  Actor payroll{"payroll", Role::system, {}};

  RecordRef booking{RecordKind::booking, "B-7"}, invoice{RecordKind::invoice, "INV-7"};
  Record b{booking, "casey", {"tariq", "uma"}};
  b.invoice_id = "INV-7";
  desk.put_record(office, b);
  desk.put_record(office, Record{invoice, "casey", {"tariq", "uma"}});

  // A complaint about Tariq's work holds his payout (and only his).
  ReportRequest r;
  r.record = booking;
  r.type = "Damage Caused";
  r.description = "Scratched the floor moving the dryer.";
  r.fieldworkers = std::vector<std::string>{"tariq"};
  r.hold_amounts = {{"tariq", Money::of(18000, "AUD")}};
  Issue issue = desk.report(office, r);
  PayDecision d = desk.may_pay(payroll, booking, "tariq");
  std::printf("pay tariq? %s (%s)\n", d.may_pay ? "yes" : "no", d.reason.c_str());
  assert(!d.may_pay && desk.may_pay(payroll, booking, "uma").may_pay);

  // A billing dispute holds Uma's payout on the invoice, by hand.
  desk.withhold_payment(office, {invoice, "uma", Money::of(9500, "AUD"), HoldScope::portion, "Call-out fee disputed"});

  clock->advance(std::chrono::days(9));
  auto stalled = desk.stalled_holds(finance, std::chrono::days(7));
  std::printf("stalled for a week or more: %zu\n", stalled.size());
  assert(stalled.size() == 2);

  // Closing the complaint releases Tariq's payout (finance holds release_payment).
  desk.act(finance, issue.code, ActionRequest{"close", {{"note", "Floor repaired at our cost."}}, {}});
  desk.release_payment(finance, {invoice, "uma", "Customer accepted the fee"});
  assert(desk.may_pay(payroll, booking, "tariq").may_pay);

  HoldFilter of_invoice;
  of_invoice.invoice = "INV-7";
  std::printf("holds on INV-7 and its booking: %zu\n", desk.holds(finance, of_invoice).size());
  HoldReport month = desk.hold_report(finance, parse_timestamp("2026-11-01T00:00:00Z"),
                                      parse_timestamp("2026-12-01T00:00:00Z"));
  for (const HoldLedgerEntry &e : month.entries) {
    std::string why;  // the issues behind the line, then the reason
    for (const std::string &code : e.issues) why += code + ", ";
    why += e.reason;
    std::printf("%s %-8s %s %-5s %s (%s)\n", format_timestamp(e.at).c_str(), to_string(e.action),
                e.record.to_string().c_str(), e.fieldworker.c_str(), e.amount ? e.amount->to_string().c_str() : "-",
                why.c_str());
  }
  for (const CurrencyTotal &t : month.withheld)
    std::printf("withheld in %s: %lld minor units over %lld holds\n", t.currency.c_str(),
                static_cast<long long>(t.minor), static_cast<long long>(t.count));
  return month.entries.size() == 4 ? 0 : 1;
}
