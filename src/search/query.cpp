#include "search/query.hpp"

#include <fmt/format.h>

#include "complaints/limits.hpp"
#include "complaints/search.hpp"
#include "domain/check.hpp"
#include "search/tokenizer.hpp"

namespace complaints {

QuerySyntaxError::QuerySyntaxError(const std::string &message, std::size_t position)
    : InvalidInput(message, fmt::format("query, byte {}", position)), position_(position) {}

namespace search {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// A recursive-descent parser over the query's bytes. Precedence, tightest
// first: NOT, AND (or two terms side by side), OR; as in FTS5.
class Parser {
 public:
  Parser(std::string_view text, SearchQuery &q) : text_(text), q_(q) {}

  void run() {
    skip();
    if (at_ == text_.size()) throw QuerySyntaxError("the query has no words to search for", at_);
    q_.expr = any();
    if (at_ < text_.size()) {
      // Only a ')' without its '(' stops the top level before the end.
      throw QuerySyntaxError("')' without a '(' before it", at_);
    }
    q_.fts5 = spell(q_.expr);
  }

 private:
  enum class Word { none, and_, or_, not_ };

  void skip() {
    while (at_ < text_.size() && is_space(text_[at_])) ++at_;
  }

  // The operator keyword at the cursor, if one stands there as a whole word.
  Word keyword() const {
    for (auto [name, kind] : {std::pair{std::string_view("AND"), Word::and_}, {"OR", Word::or_}, {"NOT", Word::not_}}) {
      if (text_.substr(at_, name.size()) != name) continue;
      std::size_t end = at_ + name.size();
      if (end == text_.size() || is_space(text_[end]) || text_[end] == '(' || text_[end] == ')' || text_[end] == '"')
        return kind;
    }
    return Word::none;
  }

  void take_keyword(Word w) {
    at_ += w == Word::or_ ? 2 : 3;
    skip();
  }

  bool term_follows() const {
    return at_ < text_.size() && text_[at_] != ')' && keyword() == Word::none;
  }

  void need_term(std::string_view after, std::size_t where) const {
    if (at_ == text_.size() || text_[at_] == ')' || keyword() != Word::none)
      throw QuerySyntaxError(fmt::format("{} needs a word or phrase after it", after), where);
  }

  SearchExpr any() {
    SearchExpr left = all();
    while (keyword() == Word::or_) {
      std::size_t where = at_;
      take_keyword(Word::or_);
      need_term("OR", where);
      SearchExpr right = all();
      left = join(SearchExpr::Kind::any, std::move(left), std::move(right));
    }
    return left;
  }

  SearchExpr all() {
    SearchExpr left = except();
    for (;;) {
      if (keyword() == Word::and_) {
        std::size_t where = at_;
        take_keyword(Word::and_);
        need_term("AND", where);
      } else if (!term_follows()) {
        return left;
      }
      SearchExpr right = except();
      left = join(SearchExpr::Kind::all, std::move(left), std::move(right));
    }
  }

  SearchExpr except() {
    SearchExpr left = primary();
    while (keyword() == Word::not_) {
      std::size_t where = at_;
      take_keyword(Word::not_);
      need_term("NOT", where);
      ++negated_;
      SearchExpr right = primary();
      --negated_;
      left = join(SearchExpr::Kind::except, std::move(left), std::move(right));
    }
    return left;
  }

  SearchExpr primary() {
    if (at_ < text_.size() && keyword() != Word::none) {
      std::string_view name = keyword() == Word::not_ ? "NOT" : keyword() == Word::and_ ? "AND" : "OR";
      throw QuerySyntaxError(fmt::format("{} needs a word or phrase before it", name), at_);
    }
    if (text_[at_] == '(') {
      std::size_t open = at_++;
      skip();
      if (at_ == text_.size() || text_[at_] == ')')
        throw QuerySyntaxError("'(' needs a word or phrase after it", open);
      SearchExpr inner = any();
      if (at_ == text_.size()) throw QuerySyntaxError("'(' without a ')' after it", open);
      ++at_;  // the ')'
      skip();
      return inner;
    }
    std::size_t begin = at_;
    std::string_view body;
    if (text_[at_] == '"') {
      std::size_t close = text_.find('"', at_ + 1);
      if (close == std::string_view::npos) throw QuerySyntaxError("'\"' without a closing '\"'", begin);
      body = text_.substr(at_ + 1, close - at_ - 1);
      at_ = close + 1;
    } else {
      std::size_t end = at_;
      while (end < text_.size() && !is_space(text_[end]) && text_[end] != '(' && text_[end] != ')' &&
             text_[end] != '"')
        ++end;
      body = text_.substr(at_, end - at_);
      at_ = end;
      if (body.ends_with('*')) {
        body.remove_suffix(1);
        --at_;
      }
      if (auto star = body.find('*'); star != std::string_view::npos)
        throw QuerySyntaxError("'*' may only end a word or a phrase", begin + star);
    }
    bool prefix = at_ < text_.size() && text_[at_] == '*';
    if (prefix) ++at_;
    if (at_ < text_.size() && !is_space(text_[at_]) && text_[at_] != ')' && text_[at_] != '(')
      throw QuerySyntaxError("a phrase must be followed by a space, ')' or the end", at_);
    skip();
    SearchPhrase phrase{words(body), prefix, negated_ == 0};
    if (phrase.words.empty())
      throw QuerySyntaxError(fmt::format("'{}' has no letters or digits to search for",
                                         check::excerpt(text_.substr(begin, at_ - begin), 40)),
                             begin);
    if (q_.phrases.size() == limits::search_phrases)
      throw QuerySyntaxError(fmt::format("more than {} words and phrases", limits::search_phrases), begin);
    q_.phrases.push_back(std::move(phrase));
    SearchExpr e;
    e.kind = SearchExpr::Kind::phrase;
    e.phrase = q_.phrases.size() - 1;
    return e;
  }

  static SearchExpr join(SearchExpr::Kind kind, SearchExpr left, SearchExpr right) {
    SearchExpr e;
    e.kind = kind;
    e.children.push_back(std::move(left));
    e.children.push_back(std::move(right));
    return e;
  }

  // FTS5's spelling: each phrase a string of its folded words, every
  // operator parenthesized, so FTS5 reads the same tree.
  std::string spell(const SearchExpr &e) const {
    if (e.kind == SearchExpr::Kind::phrase) {
      const SearchPhrase &p = q_.phrases[e.phrase];
      std::string out = "\"";
      for (std::size_t i = 0; i < p.words.size(); ++i) out += (i ? " " : "") + p.words[i];
      return out + (p.prefix ? "\"*" : "\"");
    }
    const char *op = e.kind == SearchExpr::Kind::all ? " AND " : e.kind == SearchExpr::Kind::any ? " OR " : " NOT ";
    return "(" + spell(e.children[0]) + op + spell(e.children[1]) + ")";
  }

  std::string_view text_;
  SearchQuery &q_;
  std::size_t at_ = 0;
  int negated_ = 0;
};

}  // namespace

void parse(std::string_view text, SearchQuery &query) {
  query.phrases.clear();
  Parser(text, query).run();
}

}  // namespace search
}  // namespace complaints
