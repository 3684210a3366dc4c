// complaints/outbox.hpp - what the host must deliver (SPEC R6.3).
//
// The library never sends anything. Notifications and customer messages are
// written to a durable outbox in the same transaction as the change that
// caused them; the host fetches pending items, delivers them, and acknowledges
// them by id. Delivery is at-least-once: an item stays pending until
// acknowledged, across crashes and restarts, so the host should use the
// idempotency key to drop duplicates on its side.
#pragma once

#include "complaints/export.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "complaints/clock.hpp"

namespace complaints {

enum class OutboxKind : std::uint8_t {
  notification,  ///< an alert to a user of the host (push, SMS or email)
  message,       ///< a customer email rendered from a template
};

enum class DeliveryChannel : std::uint8_t { push, sms, email };

COMPLAINTS_API const char *to_string(OutboxKind k) noexcept;
COMPLAINTS_API const char *to_string(DeliveryChannel c) noexcept;
COMPLAINTS_API std::optional<DeliveryChannel> delivery_channel_from_string(std::string_view name) noexcept;

struct OutboxItem {
  std::int64_t id = 0;          ///< assigned when queued; pass it to Desk::outbox_ack
  std::string idempotency_key;  ///< stable across redeliveries; unique per item
  OutboxKind kind = OutboxKind::notification;
  std::string event;       ///< the event that caused it, e.g. "status_changed"
  std::string issue_code;  ///< "" when not about one issue
  std::string recipient;   ///< the host's user id
  DeliveryChannel channel = DeliveryChannel::push;
  std::string subject;
  std::string body_text;
  std::string body_html;  ///< "" for notifications
  Timestamp created_at;

  friend bool operator==(const OutboxItem &, const OutboxItem &) = default;
};

}  // namespace complaints
