// Text encodings shared by the backends that store rows as columns.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "complaints/issue.hpp"
#include "complaints/timeline.hpp"

namespace complaints::codec {

/// FieldChanges as a JSON array of [field, before, after] triples.
std::string encode_changes(const std::vector<FieldChange> &changes);
/// Inverse of encode_changes. Throws StorageError on text it did not write.
std::vector<FieldChange> decode_changes(std::string_view text);

/// An issue's timers and SLA clocks as JSON text; "" for none.
std::string encode_timers(const std::vector<IssueTimer> &timers);
std::string encode_clocks(const std::vector<SlaClock> &clocks);
/// Inverses; StorageError on text they did not write.
std::vector<IssueTimer> decode_timers(std::string_view text);
std::vector<SlaClock> decode_clocks(std::string_view text);

/// An issue's case fields as a JSON object of strings ("{}" for none), so
/// SQL can filter on them (json_extract); and its inverse.
std::string encode_fields(const std::map<std::string, std::string, std::less<>> &fields);
std::map<std::string, std::string, std::less<>> decode_fields(std::string_view text);

/// Enum from its stored name; throws StorageError naming the column when unknown
/// (a row written by a newer library or edited by hand).
template <typename E>
E decode_enum(std::optional<E> parsed, std::string_view column, std::string_view value);

}  // namespace complaints::codec

#include "complaints/errors.hpp"

namespace complaints::codec {

template <typename E>
E decode_enum(std::optional<E> parsed, std::string_view column, std::string_view value) {
  if (!parsed)
    throw StorageError("unknown value '" + std::string(value.substr(0, 40)) + "' in stored column " +
                       std::string(column));
  return *parsed;
}

}  // namespace complaints::codec
