#include "storage/sqlite/search.hpp"

#include <memory>
#include <new>
#include <vector>

#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "search/match.hpp"
#include "search/tokenizer.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/transaction.hpp"

namespace complaints::sqlite_search {

namespace {

// Whether FTS5's xInst reports, for every row the query matches, exactly the
// occurrences search_score counts: true when no OR stands under an AND or a
// NOT (FTS5 leaves out instances of phrases in such an OR), which covers
// words, phrases, their ANDs and ORs, and NOTs of those.
bool instances_count(const SearchExpr &e, bool under_and) {
  switch (e.kind) {
    case SearchExpr::Kind::phrase: return true;
    case SearchExpr::Kind::any:
      if (under_and) return false;
      for (const auto &c : e.children)
        if (!instances_count(c, false)) return false;
      return true;
    default:
      for (const auto &c : e.children)
        if (!instances_count(c, true)) return false;
      return true;
  }
}

// Per statement run, what the score needs of the whole table.
SearchStats *table_stats(const Fts5ExtensionApi *api, Fts5Context *fts, std::size_t phrases) {
  if (auto *found = static_cast<SearchStats *>(api->xGetAuxdata(fts, 0))) return found;
  auto stats = std::make_unique<SearchStats>();
  sqlite3_int64 rows = 0, words = 0;
  if (api->xRowCount(fts, &rows) != SQLITE_OK) return nullptr;
  if (api->xColumnTotalSize(fts, -1, &words) != SQLITE_OK) return nullptr;
  stats->texts = rows;
  stats->words = words;
  stats->texts_with_phrase.assign(phrases, 0);
  for (std::size_t i = 0; i < phrases; ++i) {
    auto count = [](const Fts5ExtensionApi *, Fts5Context *, void *hits) -> int {
      ++*static_cast<std::int64_t *>(hits);
      return SQLITE_OK;
    };
    if (api->xQueryPhrase(fts, static_cast<int>(i), &stats->texts_with_phrase[i], count) != SQLITE_OK) return nullptr;
  }
  SearchStats *kept = stats.get();
  if (api->xSetAuxdata(fts, stats.release(), [](void *p) { delete static_cast<SearchStats *>(p); }) != SQLITE_OK)
    return nullptr;  // xSetAuxdata has freed it
  return kept;
}

void score(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *out, int argc, sqlite3_value ** /*argv*/) {
  try {
    const SearchQuery *query = static_cast<QuerySlot *>(api->xUserData(fts))->query;
    if (!query || argc != 0) return sqlite3_result_error(out, "complaints_score(table) runs within a search", -1);
    std::size_t phrases = query->phrases.size();
    if (api->xPhraseCount(fts) != static_cast<int>(phrases))
      return sqlite3_result_error(out, "complaints_score: the query's phrases and FTS5's differ", -1);
    SearchStats *stats = table_stats(api, fts, phrases);
    if (!stats) return sqlite3_result_error_nomem(out);
    std::vector<std::int64_t> frequency(phrases, 0);
    if (instances_count(query->expr, false)) {
      int instances = 0, words = 0;
      if (api->xInstCount(fts, &instances) != SQLITE_OK) return sqlite3_result_error_nomem(out);
      for (int k = 0; k < instances; ++k) {
        int phrase = 0, column = 0, offset = 0;
        if (api->xInst(fts, k, &phrase, &column, &offset) != SQLITE_OK) return sqlite3_result_error_nomem(out);
        if (phrase >= 0 && static_cast<std::size_t>(phrase) < phrases) ++frequency[static_cast<std::size_t>(phrase)];
      }
      if (api->xColumnSize(fts, -1, &words) != SQLITE_OK) return sqlite3_result_error_nomem(out);
      return sqlite3_result_double(out, search_score(*query, *stats, frequency, words));
    }
    // Otherwise the frequencies come from the row's own words, counted by the
    // code the in-memory backend runs.
    const char *text = nullptr;
    int bytes = 0;
    if (api->xColumnText(fts, 0, &text, &bytes) != SQLITE_OK) return sqlite3_result_error_nomem(out);
    std::vector<std::string> words = search::words(std::string_view(text ? text : "", static_cast<std::size_t>(bytes)));
    search::evaluate(*query, search::occurrences(*query, words), frequency);
    sqlite3_result_double(out, search_score(*query, *stats, frequency, static_cast<std::int64_t>(words.size())));
  } catch (const std::bad_alloc &) {
    sqlite3_result_error_nomem(out);
  } catch (const std::exception &e) {
    sqlite3_result_error(out, e.what(), -1);
  }
}

}  // namespace

QuerySlot &add_functions(sqlite3 *db) {
  fts5_api *api = nullptr;
  sqlite3_stmt *s = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(s, 1, static_cast<void *>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(s);
  }
  sqlite3_finalize(s);
  if (!api) throw StorageError("this SQLite has no FTS5: full-text search needs it (SQLITE_ENABLE_FTS5)");
  auto slot = std::make_unique<QuerySlot>();
  // On failure FTS5 has called the destructor already.
  if (api->xCreateFunction(api, "complaints_score", slot.get(), score,
                           [](void *p) { delete static_cast<QuerySlot *>(p); }) != SQLITE_OK) {
    slot.release();
    throw StorageError("cannot add the full-text search ranking function (out of memory)");
  }
  return *slot.release();
}

}  // namespace complaints::sqlite_search

namespace complaints::sqlite_backend {

// A search on the FTS5 tables, ranked by complaints_score (above).
std::vector<SearchMatch> SqliteTransaction::search(const SearchQuery &q) {
  return guarded("search", [&] {
    // Driven from the index (CROSS JOIN keeps that order): a first page
    // costs what the matches of the words cost, whatever the history.
    const char *table = q.audience == SearchAudience::customer ? "search_customer" : "search_staff";
    Conditions c;
    std::string sql = fmt::format(
        "SELECT {0}, {1}.text, complaints_score({1}) AS score FROM {1} CROSS JOIN issues i ON i.number = "
        "{1}.rowid WHERE {1} MATCH ?1",
        issue_columns, table);
    c.skip(1);
    if (q.scope.customer) sql += " AND i.customer_id = " + c.text(*q.scope.customer);
    if (q.scope.reader)  // the issues the reader may see, as lists read them
      sql += " AND EXISTS (SELECT 1 FROM fieldworker_issues s WHERE s.fieldworker_id = " +
             c.text(*q.scope.reader) + " AND s.number = i.number)";
    sql += " ORDER BY score DESC, i.number LIMIT " + c.integer(static_cast<std::int64_t>(q.limit)) + " OFFSET " +
           c.integer(static_cast<std::int64_t>(q.offset));
    Use s(stmts_.get(sql));
    sqlite_search::UseQuery ranking(search_, q);
    s->bindNoCopy(1, q.fts5);
    c.bind(*s);
    std::vector<SearchMatch> out;
    const int text_column = s->getColumnCount() - 2;
    while (s->executeStep())
      out.push_back({read_issue(*s).issue, s->getColumn(text_column + 1).getDouble(), text(*s, text_column)});
    return out;
  });
}

void SqliteTransaction::put_search_text(std::int64_t number, const SearchText &t) {
  guarded("index an issue for search", [&] {
    for (auto [sql, text] :
         {std::pair{"INSERT OR REPLACE INTO search_customer (rowid, text) VALUES (?, ?)", &t.customer},
          {"INSERT OR REPLACE INTO search_staff (rowid, text) VALUES (?, ?)", &t.staff}}) {
      Use s(stmts_.get(sql));
      s->bind(1, number);
      s->bindNoCopy(2, *text);
      s->exec();
    }
  });
}

}  // namespace complaints::sqlite_backend
