// Full-text search on SQLite: FTS5 tables (schema v9) ranked by the
// library's own scoring function, so that SQLite ranks exactly as every
// other backend does (search_score in complaints/storage.hpp).
#pragma once

#include <sqlite3.h>

#include "complaints/storage.hpp"

namespace complaints::sqlite_search {

/// The query complaints_score ranks by, set by the connection's user for the
/// time a search statement runs (one thread uses a connection at a time).
struct QuerySlot {
  const SearchQuery *query = nullptr;
};

/// Sets the slot for a scope, then clears it.
class UseQuery {
 public:
  UseQuery(QuerySlot &slot, const SearchQuery &q) : slot_(slot) { slot_.query = &q; }
  ~UseQuery() { slot_.query = nullptr; }
  UseQuery(const UseQuery &) = delete;
  UseQuery &operator=(const UseQuery &) = delete;

 private:
  QuerySlot &slot_;
};

/// Adds the FTS5 function complaints_score(table) to the connection:
/// search_score of the current row for the query in the returned slot, which
/// lives as long as the connection. Throws StorageError when FTS5 is missing.
QuerySlot &add_functions(sqlite3 *db);

}  // namespace complaints::sqlite_search
