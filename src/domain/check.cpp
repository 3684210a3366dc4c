#include "domain/check.hpp"

#include <cctype>
#include <cstdint>

#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "complaints/limits.hpp"

namespace complaints::check {

namespace {

// Decodes the UTF-8 sequence at `p` (before `end`): its code point, and
// `len` its length; -1 (len 1) for a byte that does not start a well-formed
// sequence (no overlongs, surrogates or values past U+10FFFF).
std::int32_t decode(const unsigned char *p, const unsigned char *end, std::size_t &len) noexcept {
  unsigned char c = *p;
  len = 1;
  if (c < 0x80) return c;
  std::size_t n;
  std::uint32_t cp;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return -1;
  }
  if (static_cast<std::size_t>(end - p) < n) return -1;
  for (std::size_t i = 1; i < n; ++i) {
    if ((p[i] & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return -1;
  len = n;
  return static_cast<std::int32_t>(cp);
}

// Code points that must not reach a terminal or log as they are: C1
// controls, the line and paragraph separators, and bidirectional controls
// (marks, embeddings, overrides, isolates), which reorder what is shown.
bool unprintable(std::int32_t cp) noexcept {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F || cp == 0x2028 || cp == 0x2029 ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::size_t utf8_prefix(std::string_view s) noexcept {
  const auto *begin = reinterpret_cast<const unsigned char *>(s.data());
  const auto *p = begin, *end = begin + s.size();
  std::size_t len;
  while (p < end) {
    if (*p < 0x80) {  // the usual case: ASCII
      ++p;
      continue;
    }
    if (decode(p, end, len) < 0) break;
    p += len;
  }
  return static_cast<std::size_t>(p - begin);
}

bool is_utf8(std::string_view s) noexcept { return utf8_prefix(s) == s.size(); }

bool append_printable(std::string &out, std::string_view text, std::size_t max_chars, bool newlines) {
  const auto *p = reinterpret_cast<const unsigned char *>(text.data());
  const auto *end = p + text.size();
  std::size_t taken = 0;
  while (p < end) {
    // Printable ASCII, the usual case, is copied in runs.
    const auto *run = p;
    while (p < end && taken < max_chars && *p >= 0x20 && *p < 0x7F) {
      ++p;
      ++taken;
    }
    out.append(reinterpret_cast<const char *>(run), static_cast<std::size_t>(p - run));
    if (p == end) break;
    if (taken == max_chars) return false;
    std::size_t len;
    std::int32_t cp = decode(p, end, len);
    if (cp < 0 || (cp < 0x20 && !(newlines && cp == '\n')) || cp == 0x7F)
      out += fmt::format("\\x{:02x}", *p);
    else if (unprintable(cp))
      out += fmt::format("\\u{:04x}", cp);
    else
      out.append(reinterpret_cast<const char *>(p), len);
    p += len;
    ++taken;
  }
  return true;
}

std::string printable(std::string_view text, bool newlines) {
  std::string out;
  out.reserve(text.size());
  append_printable(out, text, std::string_view::npos, newlines);
  return out;
}

std::string excerpt(std::string_view value, std::size_t max_chars) {
  std::string out;
  if (!append_printable(out, value, max_chars)) out += "...";
  return out;
}

namespace {

void common(std::string_view value, std::string_view field, std::size_t max_bytes) {
  if (value.size() > max_bytes)
    throw InvalidInput(fmt::format("is {} bytes long; at most {} allowed", value.size(), max_bytes),
                       std::string(field));
  if (!is_utf8(value)) throw InvalidInput("is not valid UTF-8", std::string(field));
}

void identifier(std::string_view value, std::string_view field, std::size_t max_bytes) {
  if (value.empty()) throw InvalidInput("must not be empty", std::string(field));
  common(value, field, max_bytes);
  for (unsigned char c : value)
    if (c < 0x20 || c == 0x7f)
      throw InvalidInput("must not contain control characters", std::string(field));
  if (value.front() == ' ' || value.back() == ' ')
    throw InvalidInput(fmt::format("'{}' has leading or trailing spaces", excerpt(value)),
                       std::string(field));
}

}  // namespace

void id(std::string_view value, std::string_view field, std::size_t max_bytes) {
  identifier(value, field, max_bytes);
}

void name(std::string_view value, std::string_view field, std::size_t max_bytes) {
  identifier(value, field, max_bytes);
}

void text(std::string_view value, std::string_view field, std::size_t max_bytes, bool required) {
  common(value, field, max_bytes);
  bool blank = true;
  for (unsigned char c : value) {
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
      throw InvalidInput("must not contain control characters", std::string(field));
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') blank = false;
  }
  if (required && blank) throw InvalidInput("must not be empty", std::string(field));
}

void count(std::size_t value, std::string_view field, std::size_t max) {
  if (value == 0 || value > max) throw InvalidInput(fmt::format("must be from 1 to {}", max), std::string(field));
}

void kept_file(std::size_t bytes, std::string_view field) {
  if (bytes > limits::attachment_bytes)
    throw InvalidInput(fmt::format("is {} bytes; at most {} may be kept by the library (give a storage key for "
                                   "larger files)",
                                   bytes, limits::attachment_bytes),
                       std::string(field));
}

void colour(std::string_view value, std::string_view field) {
  bool ok = value.size() == 7 && value[0] == '#';
  for (std::size_t i = 1; ok && i < value.size(); ++i)
    ok = std::isxdigit(static_cast<unsigned char>(value[i])) != 0;
  if (!ok)
    throw InvalidInput(fmt::format("'{}' is not a colour (expected #RRGGBB)", excerpt(value)),
                       std::string(field));
}

}  // namespace complaints::check
