// Full-text search (SPEC R11.1): the query language, options and results of
// Desk::search. docs/reporting.md ("Search") explains the syntax, ranking and
// snippets with examples.
#pragma once

#include <cstddef>
#include <string>

#include "complaints/errors.hpp"
#include "complaints/export.hpp"
#include "complaints/issue.hpp"

namespace complaints {

/// What to search for and how much to return.
struct SearchOptions {
  /// The query, 1 to limits::search_bytes (200) bytes of UTF-8: words
  /// (matched whole, case and diacritics aside), "quoted phrases", a `*` after
  /// a word or phrase for a prefix, AND (or nothing), OR, NOT and parentheses;
  /// at most limits::search_phrases (16) words and phrases.
  std::string query{};
  std::size_t limit = 50;    ///< hits to return, 1 to limits::page_items
  std::size_t offset = 0;    ///< hits to skip first, 0 to limits::page_items
  /// Words around the matches in a snippet, 1 to limits::snippet_words (64).
  std::size_t snippet_words = 16;
  /// Put before and after each matched word in the snippet, each at most
  /// limits::snippet_mark_bytes (16) bytes. The snippet is plain text: a
  /// host that shows it as HTML escapes it first, then swaps the marks.
  std::string mark_open = "[";
  std::string mark_close = "]";
};

/// One issue a search found.
struct SearchHit {
  Issue issue{};       ///< as Desk::get returns it to the searching actor
  double score = 0;    ///< relevance, higher first (BM25; comparable within one search only)
  /// Up to SearchOptions::snippet_words words of the text the actor may see
  /// around the best cluster of matches, matched words between the marks,
  /// "..." where text was cut, runs of white space as one space.
  std::string snippet{};
};

/// A query that does not parse: an InvalidInput whose where() is
/// "query, byte N" and position() is N (0-based byte offset into the query).
class COMPLAINTS_API QuerySyntaxError : public InvalidInput {
 public:
  QuerySyntaxError(const std::string &message, std::size_t position);
  std::size_t position() const noexcept { return position_; }

 private:
  std::size_t position_;
};

}  // namespace complaints
