// Matching, ranking and snippets over words already cut by search::tokenize:
// the in-memory backend's whole search, and the snippets of every backend.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "complaints/storage.hpp"

namespace complaints::search {

/// Where each phrase of `query` occurs in `words` (positions of its first word).
std::vector<std::vector<std::size_t>> occurrences(const SearchQuery &query, const std::vector<std::string> &words);

/// Whether query.expr holds for a text whose phrases occur at `found`; when
/// it does, `frequency` receives, per phrase, its occurrences counted as
/// search_score() requires (0 for phrases of branches that do not hold).
bool evaluate(const SearchQuery &query, const std::vector<std::vector<std::size_t>> &found,
              std::vector<std::int64_t> &frequency);

/// The snippet of `text` for a hit (SearchHit::snippet).
std::string snippet(const SearchQuery &query, std::string_view text, std::size_t size, std::string_view open,
                    std::string_view close);

}  // namespace complaints::search
