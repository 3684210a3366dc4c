#include "domain/check.hpp"

#include <cctype>
#include <cstdint>

#include <fmt/format.h>

#include "complaints/errors.hpp"

namespace complaints::check {

bool is_utf8(std::string_view s) noexcept {
  const auto *p = reinterpret_cast<const unsigned char *>(s.data());
  const auto *end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) < len) return false;
    for (std::size_t i = 1; i < len; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    p += len;
  }
  return true;
}

std::string excerpt(std::string_view value) {
  std::string out;
  for (char c : value.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (value.size() > 40) out += "...";
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

void colour(std::string_view value, std::string_view field) {
  bool ok = value.size() == 7 && value[0] == '#';
  for (std::size_t i = 1; ok && i < value.size(); ++i)
    ok = std::isxdigit(static_cast<unsigned char>(value[i])) != 0;
  if (!ok)
    throw InvalidInput(fmt::format("'{}' is not a colour (expected #RRGGBB)", excerpt(value)),
                       std::string(field));
}

}  // namespace complaints::check
