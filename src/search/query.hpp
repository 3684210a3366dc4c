// The full-text query language (docs/reporting.md, "Search"): parsed once by
// the Desk into the phrases and tree of a SearchQuery, and spelled in FTS5's
// syntax for the SQLite backend.
#pragma once

#include <string_view>

#include "complaints/storage.hpp"

namespace complaints::search {

/// Parses `text` into query.phrases, query.expr and query.fts5 (the rest of
/// `query` is left alone). Throws QuerySyntaxError naming the byte where the
/// query goes wrong; InvalidInput past limits::search_phrases phrases.
void parse(std::string_view text, SearchQuery &query);

}  // namespace complaints::search
