// complaints/limits.hpp - the limits on what a host may send.
//
// Every value a host passes is checked against these before anything is
// written; a longer or larger one is refused with InvalidInput naming the
// field. They are part of the contract (docs/c-api.md lists them too).
#pragma once

#include <cstddef>

namespace complaints {

/// Limits on host input; longer values are refused with InvalidInput.
namespace limits {
inline constexpr std::size_t id_bytes = 128;            ///< user, record and other ids
inline constexpr std::size_t name_bytes = 100;          ///< status, type, action names
inline constexpr std::size_t description_bytes = 20000;
inline constexpr std::size_t note_bytes = 10000;
inline constexpr std::size_t fieldworkers_per_record = 100;
inline constexpr std::size_t workflow_json_bytes = 1 << 20;
inline constexpr std::size_t comment_bytes = 20000;
inline constexpr std::size_t attachment_bytes = 10 << 20;  ///< bytes the library keeps per attachment
inline constexpr std::size_t attachment_name_bytes = 255;
inline constexpr std::size_t media_type_bytes = 127;
inline constexpr std::size_t storage_key_bytes = 1024;
inline constexpr std::size_t attachments_per_comment = 20;
inline constexpr std::size_t search_bytes = 200;
inline constexpr std::size_t holidays = 1000;          ///< days in a business calendar's holiday list
/// Objects and arrays nested in any JSON document from a host (C API requests,
/// open options, workflow definitions); deeper is refused, naming the place.
inline constexpr std::size_t json_depth = 32;
}  // namespace limits

}  // namespace complaints
