// The PostgreSQL backend: full-text search, erasure and the dump.
//
// Search keeps each issue's two texts and, per audience, the distinct words
// of each (search_words, indexed by word; of a long word, its first bytes).
// A query finds its candidates in that index (issues holding every word of some phrase), then reads only
// their texts and matches, counts and ranks them with the code the
// in-memory backend uses (search/match.hpp), so both rank alike.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "complaints/limits.hpp"
#include "domain/check.hpp"
#include "search/match.hpp"
#include "search/tokenizer.hpp"
#include "storage/postgres/transaction.hpp"
#include "storage/shared_sql.hpp"

namespace complaints::postgres {

namespace {

// search_words keeps at most this many bytes of a word: a B-tree entry must
// fit in a third of a page (2,704 bytes), and a comment may be one word of
// 20,000. Cut at a UTF-8 boundary, a word keeps more bytes than any query
// word can have, so `word = q` and the prefix ranges below still find
// exactly the words they would whole; the matcher reads the full texts.
constexpr std::size_t kept_word_bytes = 256;
static_assert(kept_word_bytes - 3 >= limits::search_bytes, "a query word must fit in a kept word");

std::string kept_word(const std::string &word) {
  if (word.size() <= kept_word_bytes) return word;
  return word.substr(0, check::utf8_prefix(std::string_view(word).substr(0, kept_word_bytes)));
}

// Every word w with `prefix` as its prefix has prefix <= w < prefix + U+10FFFF
// in byte order (the words' "C" collation): the tokenizer keeps letters and
// digits only, never that code point.
std::string prefix_end(const std::string &prefix) { return prefix + "\xF4\x8F\xBF\xBF"; }

// SQL giving the numbers of the issues whose audience text holds every word
// of `phrase` (the last one as a prefix when the phrase says so).
std::string phrase_candidates(const SearchPhrase &phrase, Params &params) {
  auto p = [&](Param v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  std::string sql;
  for (std::size_t k = 0; k < phrase.words.size(); ++k) {
    const std::string &w = phrase.words[k];
    std::string cond = phrase.prefix && k + 1 == phrase.words.size()
                           ? "word >= " + p(w) + " AND word < " + p(prefix_end(w))
                           : "word = " + p(w);
    sql += (sql.empty() ? "" : " INTERSECT ") + std::string("SELECT number FROM search_words WHERE audience = $1 AND ") +
           cond;
  }
  return sql.empty() ? "SELECT NULL::bigint WHERE false" : "(" + sql + ")";
}

}  // namespace

void PgTransaction::put_search_text(std::int64_t number, const SearchText &text) {
  write();
  if (!first_write(number, search_written))
    exec("write search text", "DELETE FROM search_words WHERE number = $1", {number});
  const std::string *texts[] = {&text.customer, &text.staff};
  for (int audience = 0; audience < 2; ++audience) {
    auto words = search::words(*texts[audience]);
    exec("write search text",
         "INSERT INTO search_texts (number, audience, text, words) VALUES ($1, $2, $3, $4) ON CONFLICT (number, "
         "audience) DO UPDATE SET text = excluded.text, words = excluded.words",
         {number, audience, *texts[audience], words.size()});
    std::set<std::string> distinct;
    for (const auto &w : words) distinct.insert(kept_word(w));
    if (distinct.empty()) continue;
    exec("write search words",
         "INSERT INTO search_words (audience, word, number) SELECT $1, w, $2 FROM unnest(string_to_array($3, "
         "E'\\n')) w",
         {audience, number, join_lines(std::vector<std::string>(distinct.begin(), distinct.end()))});
  }
}

std::vector<SearchMatch> PgTransaction::search(const SearchQuery &q) {
  const int audience = static_cast<int>(q.audience);
  SearchStats stats;
  stats.texts_with_phrase.assign(q.phrases.size(), 0);
  {
    auto r = exec("search", "SELECT count(*), coalesce(sum(words), 0) FROM search_texts WHERE audience = $1",
                  {audience});
    stats.texts = integer(r[0][0]);
    stats.words = integer(r[0][1]);
  }
  // Candidates: every text holding some phrase's words, so that the stats
  // count every text in which a phrase occurs, in scope or not.
  Params params{audience};
  std::string union_sql;
  for (const auto &phrase : q.phrases)
    union_sql += (union_sql.empty() ? "" : " UNION ") + phrase_candidates(phrase, params);
  if (union_sql.empty()) return {};
  std::string scope = "true";
  if (q.scope.reader) {
    params.emplace_back(*q.scope.reader);
    scope += " AND EXISTS (SELECT 1 FROM issue_readers x WHERE x.reader = $" + std::to_string(params.size()) +
             " AND x.number = t.number)";
  }
  if (q.scope.customer) {
    params.emplace_back(*q.scope.customer);
    scope += " AND i.customer_id = $" + std::to_string(params.size());
  }
  std::string sql = "SELECT t.number, t.text, t.words, " + scope +
                    " FROM search_texts t JOIN issues i ON i.number = t.number WHERE t.audience = $1 AND t.number IN (" +
                    union_sql + ") ORDER BY t.number";
  struct Found {
    std::int64_t number;
    double score;
    std::string text;
  };
  struct Candidate {
    std::int64_t number;
    std::vector<std::int64_t> frequency;
    std::int64_t words;
    std::string text;
  };
  std::vector<Candidate> candidates;
  std::vector<std::int64_t> frequency;
  for (const auto &r : exec("search", sql, params)) {
    auto words = search::words(view(r[1]));
    auto places = search::occurrences(q, words);
    for (std::size_t p = 0; p < places.size(); ++p)
      if (!places[p].empty()) ++stats.texts_with_phrase[p];
    if (!search::evaluate(q, places, frequency)) continue;
    if (view(r[3]) != "t") continue;  // out of the reader's scope
    candidates.push_back({integer(r[0]), frequency, integer(r[2]), text(r[1])});
  }
  std::vector<Found> found;
  for (auto &c : candidates)
    found.push_back({c.number, search_score(q, stats, c.frequency, c.words), std::move(c.text)});
  std::sort(found.begin(), found.end(),
            [](const Found &a, const Found &b) { return a.score != b.score ? a.score > b.score : a.number < b.number; });
  std::vector<SearchMatch> out;
  for (std::size_t k = q.offset; k < found.size() && out.size() < q.limit; ++k) {
    auto row = issue(found[k].number);
    if (!row) continue;
    out.push_back({std::move(row->issue), found[k].score, std::move(found[k].text)});
  }
  return out;
}

ErasedCounts PgTransaction::erase_issue(std::int64_t number) {
  write();
  ErasedCounts n;
  std::string code = format_issue_code(number);
  auto count = [&](const char *what, const char *sql) {
    return static_cast<std::int64_t>(exec(what, sql, {number}).affected_rows());
  };
  n.comments = count("erase comments", "DELETE FROM comments WHERE number = $1");
  n.attachments = count("erase attachments", "DELETE FROM attachments WHERE number = $1");
  n.timeline_entries = count("erase timeline", "DELETE FROM timeline WHERE number = $1");
  n.tasks = count("erase tasks", "DELETE FROM tasks WHERE number = $1");
  n.outbox_items = static_cast<std::int64_t>(
      exec("erase outbox items", shared_sql::erase_outbox, {code}).affected_rows());
  count("erase due items", shared_sql::erase_due);
  count("erase watchers", "DELETE FROM watchers WHERE number = $1");
  count("erase links", "DELETE FROM links WHERE from_number = $1 OR to_number = $1");
  count("erase hold links", "DELETE FROM hold_issues WHERE number = $1");
  count("erase search words", "DELETE FROM search_words WHERE number = $1");
  count("erase search texts", "DELETE FROM search_texts WHERE number = $1");
  count("erase status periods", "DELETE FROM status_periods WHERE number = $1");
  count("erase issue readers", "DELETE FROM issue_readers WHERE number = $1");
  count("erase issue", shared_sql::erase_issue);
  return n;
}

std::string PgTransaction::dump() {
  // Every table of the schema, its rows rendered and sorted as the SQLite
  // backend does. Sequences are left out: their values are not transactional
  // (a rolled-back allocation still consumes a number).
  std::string out;
  auto tables = exec("dump",
                     "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND "
                     "table_type = 'BASE TABLE' ORDER BY table_name COLLATE \"C\"");
  for (const auto &t : tables) {
    std::string name = text(t[0]);
    out += fmt::format("table {}\n", name);
    std::vector<std::string> rows;
    for (const auto &r : exec("dump", "SELECT * FROM " + tx_->quote_name(name))) {
      std::string row;
      for (const auto &f : r) row += f.is_null() ? std::string("|NULL") : fmt::format("|'{}'", view(f));
      rows.push_back(std::move(row));
    }
    std::sort(rows.begin(), rows.end());
    for (const auto &r : rows) out += fmt::format("{} {}\n", name, r);
  }
  return out;
}

}  // namespace complaints::postgres
