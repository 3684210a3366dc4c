// Timestamps as text without allocating: for writers that emit many of them.
#ifndef COMPLAINTS_DOMAIN_TIMESTAMP_TEXT_HPP
#define COMPLAINTS_DOMAIN_TIMESTAMP_TEXT_HPP

#include <cstddef>

#include "complaints/clock.hpp"

namespace complaints {

inline constexpr std::size_t timestamp_text_size = 24;

/// Writes t as "YYYY-MM-DDTHH:MM:SS.mmmZ" (timestamp_text_size bytes, no
/// NUL) into out; format_timestamp's text.
void format_timestamp_into(Timestamp t, char *out) noexcept;

}  // namespace complaints

#endif
