// complaints/limits.hpp - the limits on what a host may send.
//
// Every value a host passes is checked against these before anything is
// written; a longer or larger one is refused with InvalidInput naming the
// field (InvalidWorkflow at its JSON path in a workflow definition). They are
// part of the contract: docs/c-api.md lists each one in its "Limits and
// defaults" table with what exceeding it gives, and a test holds that table
// to these values. (A workflow's own limits are in complaints/workflow.hpp.)
#pragma once

#include <cstddef>
#include <cstdint>

namespace complaints {

/// Limits on host input; longer values are refused with InvalidInput.
namespace limits {
inline constexpr std::size_t id_bytes = 128;            ///< user, record and other ids
inline constexpr std::size_t name_bytes = 100;          ///< status, type, action names
inline constexpr std::size_t description_bytes = 20000;
inline constexpr std::size_t note_bytes = 10000;        ///< an action input's text, a hold's reason
inline constexpr std::size_t fieldworkers_per_record = 100;
inline constexpr std::size_t workflow_json_bytes = 1 << 20;
inline constexpr std::size_t comment_bytes = 20000;
inline constexpr std::size_t attachment_bytes = 10 << 20;  ///< bytes the library keeps per attachment
/// The size a host may declare for a file it keeps itself (storage_key).
inline constexpr std::int64_t host_file_bytes = std::int64_t{1} << 40;
inline constexpr std::size_t attachment_name_bytes = 255;
inline constexpr std::size_t media_type_bytes = 127;
inline constexpr std::size_t storage_key_bytes = 1024;
inline constexpr std::size_t attachments_per_comment = 20;
inline constexpr std::size_t search_bytes = 200;  ///< a search query (SearchOptions::query)
/// Days before an issue in which another on its record makes it a repeat
/// (DashboardOptions::repeat_days, from 1).
inline constexpr int repeat_days = 366;
/// Entries of each "most complaints" list of a dashboard (DashboardOptions::top, from 1).
inline constexpr std::size_t dashboard_top = 100;
/// Words and quoted phrases in one search query.
inline constexpr std::size_t search_phrases = 16;
/// Words in a search hit's snippet (SearchOptions::snippet_words, from 1).
inline constexpr std::size_t snippet_words = 64;
/// Each of a snippet's marks (SearchOptions::mark_open, mark_close).
inline constexpr std::size_t snippet_mark_bytes = 16;
inline constexpr std::size_t template_name_bytes = 64;       ///< a message template's name: a-z, 0-9, _
inline constexpr std::size_t template_part_bytes = 64 << 10;  ///< its subject, HTML body, text body, each
inline constexpr std::size_t url_bytes = 2048;               ///< logo, website and discussion URLs
inline constexpr std::size_t sla_promise_bytes = 1000;       ///< MessageSettings::sla_promise
inline constexpr std::size_t holidays = 1000;          ///< days in a business calendar's holiday list
inline constexpr std::size_t periods_per_day = 24;     ///< working periods of one day in a business calendar
/// A duration in a workflow ("after", "within"): at most this many days
/// (ten years), in any unit.
inline constexpr std::int64_t duration_days = 3660;
/// Items one call returns or takes: Desk::list, search, process_due,
/// outbox_pending (their `limit`, from 1) and the ids of one outbox_ack.
inline constexpr std::size_t page_items = 10000;
/// The same for payment holds: holds (HoldFilter::limit, from 1), the most
/// stalled_holds returns, and the queries of one may_pay batch.
inline constexpr std::size_t hold_page_items = 100000;
/// Objects and arrays nested in any JSON document from a host (C API requests,
/// open options, workflow definitions); deeper is refused, naming the place.
inline constexpr std::size_t json_depth = 32;
}  // namespace limits

}  // namespace complaints
