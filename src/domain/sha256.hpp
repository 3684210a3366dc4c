// SHA-256, from OpenSSL's libcrypto: for the timeline chain and attachment checksums.
#pragma once

#include <string>
#include <string_view>

namespace complaints::crypto {

/// Lower-case hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

/// True for 64 lower-case hex digits.
bool is_sha256_hex(std::string_view text) noexcept;

}  // namespace complaints::crypto
