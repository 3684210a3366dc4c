#include "search/match.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "search/tokenizer.hpp"

namespace complaints {

double search_score(const SearchQuery &query, const SearchStats &stats, std::span<const std::int64_t> frequency,
                    std::int64_t words) {
  const std::size_t n = query.phrases.size();
  if (frequency.size() != n || stats.texts_with_phrase.size() != n)
    throw InvalidInput(fmt::format("{} phrases, {} frequencies and {} phrase counts", n, frequency.size(),
                                   stats.texts_with_phrase.size()),
                       "search_score");
  constexpr double k1 = 1.2;
  constexpr double b = 0.75;
  const double texts = static_cast<double>(stats.texts);
  const double average = stats.texts > 0 ? static_cast<double>(stats.words) / texts : 1.0;
  const double length = average > 0 ? static_cast<double>(words) / average : 0.0;
  double score = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!query.phrases[i].scored || frequency[i] == 0) continue;
    const double hits = static_cast<double>(stats.texts_with_phrase[i]);
    double idf = std::log((texts - hits + 0.5) / (hits + 0.5));
    if (idf < 1e-6) idf = 1e-6;
    const double f = static_cast<double>(frequency[i]);
    score += idf * (f * (k1 + 1.0)) / (f + k1 * (1.0 - b + b * length));
  }
  return score;
}

namespace search {

namespace {

bool word_matches(const SearchPhrase &p, std::size_t k, const std::string &word) {
  const std::string &want = p.words[k];
  if (p.prefix && k + 1 == p.words.size()) return word.starts_with(want);
  return word == want;
}

bool holds(const SearchQuery &q, const SearchExpr &e, const std::vector<std::vector<std::size_t>> &found,
           std::vector<std::int64_t> &frequency) {
  switch (e.kind) {
    case SearchExpr::Kind::phrase: {
      auto count = static_cast<std::int64_t>(found[e.phrase].size());
      frequency[e.phrase] = count;
      return count > 0;
    }
    case SearchExpr::Kind::all: {
      std::vector<std::int64_t> mine(frequency.size(), 0);
      for (const auto &c : e.children)
        if (!holds(q, c, found, mine)) return false;
      for (std::size_t i = 0; i < mine.size(); ++i) frequency[i] += mine[i];
      return true;
    }
    case SearchExpr::Kind::any: {
      bool any = false;
      for (const auto &c : e.children) {
        std::vector<std::int64_t> mine(frequency.size(), 0);
        if (!holds(q, c, found, mine)) continue;
        any = true;
        for (std::size_t i = 0; i < mine.size(); ++i) frequency[i] += mine[i];
      }
      return any;
    }
    case SearchExpr::Kind::except: {
      std::vector<std::int64_t> mine(frequency.size(), 0);
      std::vector<std::int64_t> ignored(frequency.size(), 0);
      if (!holds(q, e.children[0], found, mine) || holds(q, e.children[1], found, ignored)) return false;
      for (std::size_t i = 0; i < mine.size(); ++i) frequency[i] += mine[i];
      return true;
    }
  }
  return false;
}

// Whether byte `c` is white space or a control character (collapsed in snippets).
bool blank(char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; }

void append_collapsed(std::string &out, std::string_view text) {
  for (char c : text) {
    if (blank(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
}

}  // namespace

std::vector<std::vector<std::size_t>> occurrences(const SearchQuery &query, const std::vector<std::string> &words) {
  std::vector<std::vector<std::size_t>> out(query.phrases.size());
  for (std::size_t p = 0; p < query.phrases.size(); ++p) {
    const SearchPhrase &phrase = query.phrases[p];
    const std::size_t size = phrase.words.size();
    if (size == 0 || size > words.size()) continue;
    for (std::size_t at = 0; at + size <= words.size(); ++at) {
      std::size_t k = 0;
      while (k < size && word_matches(phrase, k, words[at + k])) ++k;
      if (k == size) out[p].push_back(at);
    }
  }
  return out;
}

bool evaluate(const SearchQuery &query, const std::vector<std::vector<std::size_t>> &found,
              std::vector<std::int64_t> &frequency) {
  frequency.assign(query.phrases.size(), 0);
  return holds(query, query.expr, found, frequency);
}

std::string snippet(const SearchQuery &query, std::string_view text, std::size_t size, std::string_view open,
                    std::string_view close) {
  std::vector<Token> tokens = tokenize(text);
  if (tokens.empty() || size == 0) return {};
  std::vector<std::string> words;
  words.reserve(tokens.size());
  for (const auto &t : tokens) words.push_back(t.text);
  // Which words to mark: every occurrence of a scored phrase.
  std::vector<int> phrase_at(words.size(), -1);
  std::vector<std::size_t> starts;
  auto found = occurrences(query, words);
  for (std::size_t p = 0; p < found.size(); ++p) {
    if (!query.phrases[p].scored) continue;
    for (std::size_t at : found[p]) {
      starts.push_back(at);
      for (std::size_t k = 0; k < query.phrases[p].words.size(); ++k) phrase_at[at + k] = static_cast<int>(p);
    }
  }
  // The window of `size` words with the most distinct phrases, then the
  // most marked words, earliest first; each candidate begins a quarter of a
  // window before a match, for context.
  std::sort(starts.begin(), starts.end());
  std::size_t best = 0;
  std::pair<std::size_t, std::size_t> best_value{0, 0};
  for (std::size_t at : starts) {
    std::size_t begin = at > size / 4 ? at - size / 4 : 0;
    begin = std::min(begin, words.size() > size ? words.size() - size : 0);
    std::vector<bool> seen(query.phrases.size(), false);
    std::pair<std::size_t, std::size_t> value{0, 0};
    for (std::size_t i = begin; i < std::min(words.size(), begin + size); ++i) {
      if (phrase_at[i] < 0) continue;
      ++value.second;
      if (!seen[static_cast<std::size_t>(phrase_at[i])]) {
        seen[static_cast<std::size_t>(phrase_at[i])] = true;
        ++value.first;
      }
    }
    if (value > best_value) {
      best_value = value;
      best = begin;
    }
  }
  const std::size_t end = std::min(words.size(), best + size);
  std::string out;
  if (best > 0) out += "... ";
  // Text before the first word and after the last is kept when nothing is cut there.
  std::size_t copied = best == 0 ? 0 : tokens[best].begin;
  for (std::size_t i = best; i < end; ++i) {
    append_collapsed(out, text.substr(copied, tokens[i].begin - copied));
    std::string_view word = text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin);
    if (phrase_at[i] >= 0) {
      out += open;
      out += word;
      out += close;
    } else {
      out += word;
    }
    copied = tokens[i].end;
  }
  if (end == words.size()) {
    append_collapsed(out, text.substr(copied));
    if (!out.empty() && out.back() == ' ') out.pop_back();
  } else {
    if (!out.empty() && out.back() != ' ') out += ' ';
    out += "...";
  }
  if (!out.empty() && out.front() == ' ') out.erase(0, 1);
  return out;
}

}  // namespace search
}  // namespace complaints
