// The one parser of JSON documents from hosts (SPEC R14): the C API's request
// documents and open options, and workflow definitions. It refuses what
// nlohmann's own parser lets through or reports as a library failure, and
// names the place of every refusal. (In namespace complaints, not
// complaints::json: workflow code names nlohmann::json `json`.)
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace complaints {

/// How a document names its places in errors. Paths inside it start from
/// `prefix`: "" gives "inputs.note", "$" gives "$.actions[2].name", "queries"
/// gives "queries[3].record". `root` names the document as a whole: its
/// syntax errors and a problem with its top-level value ("request_json", "$").
struct JsonNaming {
  std::string_view root;
  std::string_view prefix;
  /// A workflow definition: a refusal is InvalidWorkflow (one problem) and
  /// positions are lines and columns. Otherwise InvalidInput, positions bytes.
  bool workflow = false;
};

/// Parses one JSON document (RFC 8259, nothing after it, no comments). Refuses:
///  - a syntax error, at the root, with its position;
///  - bytes that are not UTF-8, and control characters a JSON string must
///    escape, at the string (a key's: at its object);
///  - a duplicate key, at the second one;
///  - a number beyond a double (1e400) or an integer beyond a signed 64-bit
///    one (9223372036854775808), at the number: every integer read fits int64;
///  - objects and arrays nested deeper than limits::json_depth, at the one
///    that goes too deep.
/// Keys and values are kept as written (escapes decoded). Throws InvalidInput,
/// or InvalidWorkflow for a workflow; std::bad_alloc. Thread-safe.
nlohmann::json parse_json(std::string_view text, const JsonNaming &naming);

}  // namespace complaints
