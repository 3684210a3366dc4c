// The in-memory backend's full-text search: every text is read and scored
// with search_score, as SQLite ranks.
#include <algorithm>

#include "search/match.hpp"
#include "search/tokenizer.hpp"
#include "storage/memory/memory.hpp"

namespace complaints::memory_backend {

std::vector<SearchMatch> MemoryTransaction::search(const SearchQuery &q) {
  // Every text is read: the in-memory backend is for tests and small desks.
  const auto audience = static_cast<std::size_t>(q.audience);
  SearchStats stats;
  stats.texts_with_phrase.assign(q.phrases.size(), 0);
  struct Found {
    std::int64_t number;
    std::vector<std::int64_t> frequency;
    std::int64_t words;
    double score = 0;
  };
  std::vector<Found> found;
  std::vector<std::int64_t> frequency;
  for (const auto &[n, texts] : state_.search) {
    const IndexedText &t = texts[audience];
    ++stats.texts;
    stats.words += static_cast<std::int64_t>(t.words.size());
    auto places = search::occurrences(q, t.words);
    for (std::size_t p = 0; p < places.size(); ++p)
      if (!places[p].empty()) ++stats.texts_with_phrase[p];
    if (!search::evaluate(q, places, frequency)) continue;
    const Issue &i = state_.issues.at(n).issue;
    if (!in_scope(q.scope, i)) continue;
    found.push_back({n, frequency, static_cast<std::int64_t>(t.words.size())});
  }
  for (auto &f : found) f.score = search_score(q, stats, f.frequency, f.words);
  std::sort(found.begin(), found.end(),
            [](const Found &a, const Found &b) { return a.score != b.score ? a.score > b.score : a.number < b.number; });
  std::vector<SearchMatch> out;
  for (std::size_t k = q.offset; k < found.size() && out.size() < q.limit; ++k)
    out.push_back({state_.issues.at(found[k].number).issue, found[k].score,
                   state_.search.at(found[k].number)[audience].text});
  return out;
}

void MemoryTransaction::put_search_text(std::int64_t number, const SearchText &text) {
  write();
  remember(state_.search, number);
  state_.search[number] = {IndexedText{text.customer, search::words(text.customer)},
                           IndexedText{text.staff, search::words(text.staff)}};
}

}  // namespace complaints::memory_backend
