// complaints/record.hpp - the host's quotes, bookings and invoices, as the library sees them.
//
// The host owns its records; it tells the library who the customer is, which
// fieldworkers are assigned and whether fieldworkers may see a quote or invoice
// ("visibility all"). The library needs exactly this to decide who sees an
// issue, who is notified and whose payout is held.
#pragma once

#include "complaints/export.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace complaints {

enum class RecordKind : std::uint8_t { quote, booking, invoice };

COMPLAINTS_API const char *to_string(RecordKind kind) noexcept;
COMPLAINTS_API std::optional<RecordKind> record_kind_from_string(std::string_view name) noexcept;

/// Who besides office staff and the customer sees a quote's or invoice's issues.
/// Bookings ignore it: their assigned fieldworkers always see their issues.
enum class RecordVisibility : std::uint8_t {
  restricted,  ///< office and customer only
  all,         ///< assigned fieldworkers too
};

COMPLAINTS_API const char *to_string(RecordVisibility v) noexcept;
COMPLAINTS_API std::optional<RecordVisibility> record_visibility_from_string(std::string_view name) noexcept;

/// Names a record by kind and the host's own id ("booking", "B-1042").
struct COMPLAINTS_API RecordRef {
  RecordKind kind = RecordKind::booking;
  std::string id;

  /// "booking:B-1042".
  std::string to_string() const;
  friend bool operator==(const RecordRef &, const RecordRef &) = default;
  friend auto operator<=>(const RecordRef &, const RecordRef &) = default;
};

/// What the library knows of a record. Registered and updated with Desk::put_record.
struct Record {
  RecordRef ref;
  std::string customer_id;                ///< the host's id of the record's customer
  std::vector<std::string> fieldworkers;  ///< assigned fieldworkers (the host's user ids), in order
  RecordVisibility visibility = RecordVisibility::restricted;
  bool paid_out = false;  ///< fieldworkers were already paid for it (no payout left to withhold)
  std::string invoice_id{};  ///< for a booking: the host's id of the invoice that bills it ("" if none)

  friend bool operator==(const Record &, const Record &) = default;
};

}  // namespace complaints
