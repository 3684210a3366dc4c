// The SQLite schema and its forward migrations (SPEC R12.2).
#pragma once

#include <span>

namespace complaints::sqlite_schema {

/// "CMP1": marks a file as a complaints database (PRAGMA application_id).
inline constexpr int application_id = 0x434D5031;

/// migrations()[i] takes a database from schema version i to i + 1.
/// Append new steps; never edit a released one.
std::span<const char *const> migrations() noexcept;

}  // namespace complaints::sqlite_schema
