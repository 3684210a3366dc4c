// complaints/payment_hold.hpp - fieldworker payouts withheld while complaints are open (SPEC R4).
//
// One hold exists per (record, fieldworker). It is withheld when a complaint
// naming that fieldworker is logged on a booking or invoice (or by hand, for a
// billing dispute), stays withheld while any open issue linked to it remains,
// and is released only by an actor with the release_payment permission once
// those issues are closed, or earlier by an admin's explicit override with a
// reason. Every withhold and release is written to a ledger, with its time,
// actor and reason, and to the timeline of each linked issue.
//
// The host asks Desk::may_pay before paying a fieldworker for a record.
//
// Thread-safety: the types here are plain values.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "complaints/actor.hpp"
#include "complaints/clock.hpp"
#include "complaints/export.hpp"
#include "complaints/record.hpp"

namespace complaints {

/// An amount of money in integer minor units (cents, pence; yen have none).
/// Always valid: make one with Money::of, which checks the currency is an
/// ISO 4217 code and the amount is within 0..max_minor.
class COMPLAINTS_API Money {
 public:
  /// Largest amount accepted, in minor units (10^15: ten trillion dollars in cents).
  static constexpr std::int64_t max_minor = 1'000'000'000'000'000;

  /// Throws InvalidInput naming `field` ("amount.minor", "amount.currency")
  /// for a negative or too large amount, or a code that is not an active ISO 4217 currency.
  static Money of(std::int64_t minor, std::string_view currency, std::string_view field = "amount");

  std::int64_t minor() const noexcept { return minor_; }
  const std::string &currency() const noexcept { return currency_; }
  /// "AUD 125.50", with the currency's own number of decimals.
  std::string to_string() const;

  friend bool operator==(const Money &, const Money &) = default;

 private:
  Money(std::int64_t minor, std::string currency) : minor_(minor), currency_(std::move(currency)) {}
  std::int64_t minor_ = 0;
  std::string currency_;
};

/// Number of decimals of an ISO 4217 currency ("JPY" 0, "AUD" 2, "KWD" 3), or -1 when unknown.
COMPLAINTS_API int currency_decimals(std::string_view code) noexcept;

enum class HoldState : std::uint8_t { withheld, released };
COMPLAINTS_API const char *to_string(HoldState s) noexcept;
COMPLAINTS_API std::optional<HoldState> hold_state_from_string(std::string_view name) noexcept;

/// What an amount covers.
enum class HoldScope : std::uint8_t {
  portion,  ///< the fieldworker's portion of the payout (default)
  whole,    ///< the record's whole payout
};
COMPLAINTS_API const char *to_string(HoldScope s) noexcept;
COMPLAINTS_API std::optional<HoldScope> hold_scope_from_string(std::string_view name) noexcept;

/// One hold: a fieldworker's payout for one record.
struct PaymentHold {
  RecordRef record;
  std::string fieldworker;
  HoldState state = HoldState::withheld;
  std::optional<Money> amount{};  ///< what is held, when the host said
  HoldScope scope = HoldScope::portion;
  Timestamp since;                      ///< when it was (last) withheld
  std::optional<Timestamp> released_at{};
  std::vector<std::string> issues{};    ///< codes of every issue ever linked to it
  std::vector<std::string> blocking{};  ///< codes of the linked issues still open

  friend bool operator==(const PaymentHold &, const PaymentHold &) = default;
};

/// What a ledger line records.
enum class LedgerAction : std::uint8_t {
  withheld,   ///< a payout was withheld (from nothing, or after a release)
  released,   ///< a payout was released
  reapplied,  ///< a released payout was withheld again because an issue reopened
  amount,     ///< the held amount changed
};
COMPLAINTS_API const char *to_string(LedgerAction a) noexcept;
COMPLAINTS_API std::optional<LedgerAction> ledger_action_from_string(std::string_view name) noexcept;

/// One line of the holds ledger: append-only, like the timeline.
struct HoldLedgerEntry {
  std::int64_t id = 0;
  RecordRef record;
  std::string fieldworker;
  LedgerAction action = LedgerAction::withheld;
  Timestamp at;
  std::string actor_id;
  Role actor_role = Role::system;
  std::string reason;  ///< the person's reason; for the workflow's own lines, "reported" or the action's name
  std::vector<std::string> issues{};  ///< the issues behind it (codes); empty for manual holds and deleted issues
  std::optional<Money> amount{};
  bool override_release = false;  ///< released by an admin while issues were still open

  friend bool operator==(const HoldLedgerEntry &, const HoldLedgerEntry &) = default;
};

/// Answer to "may I pay fieldworker F for record R?".
struct PayDecision {
  bool may_pay = true;
  RecordRef record;
  std::string fieldworker;
  std::optional<PaymentHold> hold{};  ///< the hold, withheld or released, if there ever was one
  std::vector<std::string> blocking{};  ///< open issues keeping it withheld
  std::chrono::milliseconds age{0};     ///< how long it has been withheld (0 when payable)
  std::string reason;                   ///< why not, in words ("" when payable)
};

struct PayQuery {
  RecordRef record;
  std::string fieldworker;
};

/// Selects holds; every set criterion must hold.
struct HoldFilter {
  std::optional<RecordRef> record{};
  /// Holds on this invoice and on the bookings it bills (Record::invoice_id).
  std::optional<std::string> invoice{};
  std::optional<std::string> fieldworker{};
  std::optional<HoldState> state{};
  /// Only holds withheld at or before this instant (stalled holds).
  std::optional<Timestamp> withheld_before{};
  std::size_t limit = 1000;  ///< at most 100,000
};

/// Input of Desk::withhold_payment (a hold with no issue: a billing dispute),
/// or of an amount on an existing hold.
struct HoldRequest {
  RecordRef record;
  std::string fieldworker;
  std::optional<Money> amount{};
  HoldScope scope = HoldScope::portion;
  std::string reason;  ///< required
};

/// Input of Desk::release_payment.
struct ReleaseRequest {
  RecordRef record;
  std::string fieldworker;
  std::string reason;     ///< required
  bool override = false;  ///< admin only: release although issues are still open
};

/// Sum of amounts in one currency.
struct CurrencyTotal {
  std::string currency;
  std::int64_t minor = 0;
  std::int64_t count = 0;  ///< ledger lines summed
  friend bool operator==(const CurrencyTotal &, const CurrencyTotal &) = default;
};

/// The finance report: every ledger line in [from, to), and totals per currency.
struct HoldReport {
  Timestamp from;
  Timestamp to;
  std::vector<HoldLedgerEntry> entries;
  std::vector<CurrencyTotal> withheld;  ///< withheld and reapplied lines with an amount
  std::vector<CurrencyTotal> released;
  std::int64_t withheld_count = 0;      ///< withheld and reapplied lines, with or without amount
  std::int64_t released_count = 0;
};

}  // namespace complaints
