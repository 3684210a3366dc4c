// Input checks shared by every operation (SPEC R14): each throws InvalidInput
// naming the field, and never echoes raw bytes back.
#pragma once

#include <string>
#include <string_view>

namespace complaints::check {

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool is_utf8(std::string_view text) noexcept;

/// An identifier from the host (user id, record id): 1..max bytes of UTF-8,
/// no control characters, no leading/trailing space.
void id(std::string_view value, std::string_view field, std::size_t max_bytes);

/// A name (status, action, type, stage): like id().
void name(std::string_view value, std::string_view field, std::size_t max_bytes);

/// Free text: UTF-8, at most max bytes, no control characters but tab and newlines.
/// `required` refuses empty (or all-whitespace) text.
void text(std::string_view value, std::string_view field, std::size_t max_bytes, bool required);

/// "#RRGGBB".
void colour(std::string_view value, std::string_view field);

/// A printable excerpt of untrusted text for error messages.
std::string excerpt(std::string_view value);

}  // namespace complaints::check
