// Input checks shared by every operation (SPEC R14): each throws InvalidInput
// naming the field, and never echoes raw bytes back: a value in a message is
// an excerpt().
#pragma once

#include <string>
#include <string_view>

namespace complaints::check {

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool is_utf8(std::string_view text) noexcept;

/// The length of the longest prefix of `text` that is well-formed UTF-8.
std::size_t utf8_prefix(std::string_view text) noexcept;

/// An identifier from the host (user id, record id): 1..max bytes of UTF-8,
/// no control characters, no leading/trailing space.
void id(std::string_view value, std::string_view field, std::size_t max_bytes);

/// A name (status, action, type, stage): like id().
void name(std::string_view value, std::string_view field, std::size_t max_bytes);

/// Free text: UTF-8, at most max bytes, no control characters but tab and newlines.
/// `required` refuses empty (or all-whitespace) text.
void text(std::string_view value, std::string_view field, std::size_t max_bytes, bool required);

/// How many items a host asks one call for (a page's `limit`): 1 to max.
void count(std::size_t value, std::string_view field, std::size_t max);

/// The size of a file the library is to keep: at most limits::attachment_bytes
/// (a larger one is kept by the host, under a storage key).
void kept_file(std::size_t bytes, std::string_view field);

/// "#RRGGBB".
void colour(std::string_view value, std::string_view field);

/// Appends `text` to `out` made safe to print: UTF-8 passes except control
/// characters (C0 and DEL, written \x1b; C1, written \u0085), the line and
/// paragraph separators and bidirectional controls (\u2028, \u202e: they
/// reorder or break what a terminal or log shows), and bytes that are not
/// UTF-8 (\xff). With `newlines`, '\n' passes too. Takes at most
/// `max_chars` characters of `text` (an escape counting one) and returns
/// whether it took them all.
bool append_printable(std::string &out, std::string_view text, std::size_t max_chars, bool newlines = false);

/// `text` made safe to print, whole (see append_printable).
std::string printable(std::string_view text, bool newlines = false);

/// A printable excerpt of untrusted text for error messages: its first
/// `max_chars` characters made safe to print, and "..." when there were more.
std::string excerpt(std::string_view value, std::size_t max_chars = 40);

}  // namespace complaints::check
