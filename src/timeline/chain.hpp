// The timeline's hash chain (SPEC R10.2).
#pragma once

#include <string>
#include <vector>

#include "complaints/timeline.hpp"

namespace complaints::chain {

/// Hex SHA-256 over `entry.prev_hash` and a length-prefixed encoding of every
/// other field of the entry (its own hash excluded). Any change to any field,
/// including a field boundary shifting, changes the result.
std::string hash_entry(const TimelineEntry &entry);

/// Sets entry.seq, prev_hash and hash to follow a chain whose newest entry
/// has `head_seq` and `head_hash` (0 and "" for an empty timeline).
void link(TimelineEntry &entry, std::int64_t head_seq, const std::string &head_hash);

/// Checks a whole timeline against the head the issue recorded.
ChainCheck verify(const std::vector<TimelineEntry> &entries, std::int64_t head_seq, const std::string &head_hash);

}  // namespace complaints::chain
