// complaints/messages.hpp - templated customer emails (SPEC R7).
//
// Messages are Mustache templates (complaints/template_renderer.hpp) with a
// subject, an HTML body and a plain-text body, rendered against merge tags
// built from an issue for one recipient. Four are built in (Complaint
// Acknowledgement, Send Complaint Details, Final Complaint Resolution, Open
// Complaints Reminder) and extend a branded base layout; each may be
// customised per database, and hosts may add their own. A template is
// validated when saved: a parse error, a merge tag outside the catalogue, or
// one that some issue's data would leave unset where it stands is refused
// with its line and column, and the template in force stays.
//
// The library never sends mail: a sent message is an outbox item (kind
// message) written in the same transaction as its timeline entry.
//
// Thread-safety: the types here are plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "complaints/calendar.hpp"
#include "complaints/export.hpp"

namespace complaints {

/// A message template. All three parts are Mustache, each at most
/// limits::template_part_bytes; the subject and the text body are not
/// HTML-escaped, the HTML body is.
struct MessageTemplate {
  /// 1 to limits::template_name_bytes of [a-z0-9_], e.g. "acknowledgement";
  /// "layout" is the base layout, the one template others may include (as a
  /// partial or a parent, in their bodies): docs/messages.md says why no other.
  std::string name;
  std::string title{};     ///< for people: "Complaint Acknowledgement" (at most limits::name_bytes)
  std::string subject{};
  std::string body_html{};  ///< may extend the layout: {{<layout}}{{$content}}...{{/content}}{{/layout}}
  std::string body_text{};
  /// Written with single-brace tags ({customer_first_name}), for templates
  /// brought from other systems.
  bool single_brace = false;
  bool builtin = false;  ///< set on reading: this is (still) the library's own version
  friend bool operator==(const MessageTemplate &, const MessageTemplate &) = default;
};

/// Names of the built-in templates.
namespace templates {
inline constexpr std::string_view acknowledgement = "acknowledgement";
inline constexpr std::string_view complaint_details = "complaint_details";
inline constexpr std::string_view final_resolution = "final_resolution";
inline constexpr std::string_view open_complaints_reminder = "open_complaints_reminder";
inline constexpr std::string_view layout = "layout";
}  // namespace templates

/// The merge tags a template may use. Lists (sections) and their item fields
/// are included: fieldworkers {name}, public_comments {author, date, body},
/// open_complaints {complaint_number, complaint_type, complaint_status,
/// record_kind, record_number, days_open}. An item field not also a
/// top-level tag (name, author, date, body, days_open) is set only inside a
/// section over its list.
COMPLAINTS_API std::span<const std::string_view> merge_tags() noexcept;

/// What happens when an issue is logged.
enum class AcknowledgementMode : std::uint8_t {
  automatic,  ///< the acknowledgement is queued with the report (the default)
  preview,    ///< nothing is queued; the host previews it and sends it, or not
  off,
};
COMPLAINTS_API const char *to_string(AcknowledgementMode m) noexcept;

/// The business's details, for the layout and signatures.
struct Branding {
  std::string company_name = "Our team";
  std::string logo_url{};   ///< https:// or http://
  std::string phone{};
  std::string email{};
  std::string website{};    ///< https:// or http://
  std::string colour = "#1F4E79";  ///< "#RRGGBB", the header's background
  std::string signature = "Customer Care";  ///< the line under the agent's name
  friend bool operator==(const Branding &, const Branding &) = default;
};

struct MessageSettings {
  AcknowledgementMode acknowledgement = AcknowledgementMode::automatic;
  Branding branding{};
  /// The promise made in acknowledgements (the sla_promise merge tag). "{due}"
  /// is replaced by the due date of the acknowledgement SLA (the
  /// workflow's policy named "acknowledgement": the clock's own when it
  /// runs, else the one sending the acknowledgement now would set), as
  /// "Tuesday 6 January 2026" in the desk's time zone; by "as soon as we can"
  /// when the workflow has no such policy.
  std::string sla_promise = "We will be in touch by {due}.";  ///< at most limits::sla_promise_bytes
  /// Where a customer follows their complaint; "{code}" is replaced by its
  /// code. Empty: no link. http(s), at most limits::url_bytes (as the logo
  /// and website URLs).
  std::string discussion_url{};
  /// When Desk::process_due sends the Open Complaints Reminder to every
  /// fieldworker with an open complaint (local time of the desk's business
  /// calendar). Unset: never by itself.
  std::optional<WeeklySchedule> reminder_schedule{};
  friend bool operator==(const MessageSettings &, const MessageSettings &) = default;
};

/// Who a message is for.
enum class Audience : std::uint8_t {
  customer,      ///< the issue's customer
  fieldworkers,  ///< each fieldworker responsible for the issue
};

/// A message as rendered for one recipient.
struct RenderedMessage {
  std::string template_name;
  std::string recipient;
  std::string subject;
  std::string body_html;
  std::string body_text;
  std::int64_t outbox_id = 0;  ///< set when queued
  friend bool operator==(const RenderedMessage &, const RenderedMessage &) = default;
};

}  // namespace complaints
