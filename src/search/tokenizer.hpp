// Words for full-text search: SQLite FTS5's "unicode61" tokenizer with
// remove_diacritics 2, the one the SQLite backend's index uses, so that the
// query parser, the in-memory backend and the snippets cut text exactly as
// the index does (Unicode letters and digits make words; case is folded and
// diacritics dropped: "Café" and "CAFE" are both "cafe"). The SQLite
// schema (v9 in storage/sqlite/schema.cpp) names the same options.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace complaints::search {

/// One word of a text: its folded form and where it stands in the text.
struct Token {
  std::string text;         ///< folded: lower case, no diacritics
  std::size_t begin = 0;    ///< byte offset of the word in the text
  std::size_t end = 0;      ///< byte offset just past it
};

/// The words of `text`, in order. Thread-safe. Throws StorageError only if
/// SQLite's tokenizer cannot be set up (out of memory).
std::vector<Token> tokenize(std::string_view text);

/// The folded words only (what the index keeps).
std::vector<std::string> words(std::string_view text);

}  // namespace complaints::search
