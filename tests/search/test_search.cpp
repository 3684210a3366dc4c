// Full-text search (SPEC R11.1): words in any script, prefixes, phrases,
// AND/OR/NOT, ranking, snippets, visibility, typed query errors, and the
// same answers from both backends.
#include <algorithm>
#include <random>
#include <set>

#include "support/support.hpp"

using namespace complaints;

namespace {

template <typename B>
Issue report(test::DeskFixture<B> &f, const std::string &booking, const std::string &description,
             const std::string &customer = "cust-1", std::vector<std::string> fieldworkers = {"fw-1"}) {
  f.desk.put_record(test::office(), test::booking(booking, customer, std::move(fieldworkers)));
  ReportRequest r;
  r.record = {RecordKind::booking, booking};
  r.type = "Other";
  r.description = description;
  return f.desk.report(test::office(), r);
}

template <typename B>
std::vector<std::int64_t> numbers(test::DeskFixture<B> &f, const std::string &query,
                                  const Actor &who = test::office()) {
  std::vector<std::int64_t> out;
  for (const auto &i : f.desk.search(who, query)) out.push_back(i.number);
  return out;
}

template <typename B>
std::set<std::int64_t> found(test::DeskFixture<B> &f, const std::string &query, const Actor &who = test::office()) {
  auto n = numbers(f, query, who);
  return {n.begin(), n.end()};
}

std::size_t syntax_error_at(Desk &desk, const std::string &query) {
  try {
    desk.search(test::office(), SearchOptions{query});
  } catch (const QuerySyntaxError &e) {
    CHECK(e.code() == Errc::invalid_input);
    CHECK(e.where() == "query, byte " + std::to_string(e.position()));
    return e.position();
  }
  FAIL("'" << query << "' parsed");
  return 0;
}

}  // namespace

TEST_CASE_TEMPLATE("search folds case and diacritics, in any script", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  report(f, "B-1", "The Café owner complains about the noise");
  report(f, "B-2", "ÉCOLE roof: water everywhere");
  report(f, "B-3", "Офис в Москве: протечка");
  report(f, "B-4", "A naïve repair of the Übergang");
  CHECK(found(f, "cafe") == std::set<std::int64_t>{1});
  CHECK(found(f, "CAFÉ") == std::set<std::int64_t>{1});
  CHECK(found(f, "école") == std::set<std::int64_t>{2});
  CHECK(found(f, "ecole") == std::set<std::int64_t>{2});
  CHECK(found(f, "МОСКВЕ") == std::set<std::int64_t>{3});
  CHECK(found(f, "протеч*") == std::set<std::int64_t>{3});
  CHECK(found(f, "naive uebergang").empty());  // words are matched whole: no transliteration
  CHECK(found(f, "NAIVE ubergang") == std::set<std::int64_t>{4});
}

TEST_CASE_TEMPLATE("search finds prefixes, phrases and boolean combinations", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  report(f, "B-1", "Water leaking from the roof");
  report(f, "B-2", "Roof tiles broken, no leak");
  report(f, "B-3", "A leak under the sink");
  report(f, "B-4", "The fence is broken");
  using S = std::set<std::int64_t>;
  CHECK(found(f, "leak") == S{2, 3});  // whole words: "leaking" is another word
  CHECK(found(f, "leak*") == S{1, 2, 3});
  CHECK(found(f, "\"roof tiles\"") == S{2});
  CHECK(found(f, "\"tiles roof\"").empty());
  CHECK(found(f, "\"the roof\"") == S{1});
  CHECK(found(f, "\"from the ro\"*") == S{1});
  CHECK(found(f, "roof AND leak") == S{2});
  CHECK(found(f, "roof leak") == S{2});  // side by side means AND
  CHECK(found(f, "roof OR fence") == S{1, 2, 4});
  CHECK(found(f, "broken NOT roof") == S{4});
  CHECK(found(f, "(roof OR sink) NOT tiles") == S{1, 3});
  CHECK(found(f, "roof OR fence NOT broken") == S{1, 2});  // NOT binds tighter than OR
  CHECK(found(f, "leak* AND NOT*").empty());                // "NOT*" is the word "not" as a prefix
  CHECK(found(f, "and") .empty());                          // lower case: a word, not an operator
  CHECK(found(f, "is") == S{4});
}

TEST_CASE_TEMPLATE("comments, attachments and edits are found as soon as they are written", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = report(f, "B-1", "Boiler makes a noise");
  CHECK(found(f, "gasket").empty());
  f.desk.add_comment(test::office(), i.code, CommentRequest{"The gasket is worn", false, std::nullopt, {}});
  CHECK(found(f, "gasket") == std::set<std::int64_t>{1});
  f.desk.attach(test::office(), i.code,
                AttachmentRequest{"meter-reading.pdf", "application/pdf", "bucket/1", std::nullopt, 10,
                                  std::string(64, 'c'), false});
  CHECK(found(f, "\"meter reading\"") == std::set<std::int64_t>{1});
  IssueEdit e;
  e.description = "Radiator is cold";
  f.desk.edit(test::office(), i.code, e);
  CHECK(found(f, "boiler").empty());
  CHECK(found(f, "radiator gasket") == std::set<std::int64_t>{1});
}

TEST_CASE_TEMPLATE("hits come by relevance, then by number", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  report(f, "B-1", "Filler words about a visit and one leak somewhere in a long account of the day");
  report(f, "B-2", "Leak, leak and another leak");
  report(f, "B-3", "Nothing to see");
  report(f, "B-4", "Leak, leak and another leak");
  auto hits = f.desk.search(test::office(), SearchOptions{"leak"});
  REQUIRE(hits.size() == 3);
  CHECK(hits[0].issue.number == 2);  // more often, in a shorter text
  CHECK(hits[1].issue.number == 4);  // the same score: the lower number first
  CHECK(hits[2].issue.number == 1);
  CHECK(hits[0].score == hits[1].score);
  CHECK(hits[1].score > hits[2].score);
  CHECK(hits[2].score > 0);
  // A rarer word weighs more: "visit" is in one issue, "leak" in three.
  hits = f.desk.search(test::office(), SearchOptions{"visit OR leak"});
  REQUIRE(hits.size() == 3);
  CHECK(hits[0].issue.number == 1);
  // Paging by offset continues the same order.
  SearchOptions page{"leak"};
  page.limit = 2;
  page.offset = 2;
  hits = f.desk.search(test::office(), page);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].issue.number == 1);
}

TEST_CASE_TEMPLATE("a snippet shows the best cluster of matches between the marks", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  report(f, "B-1",
         "Arrived at nine. Checked the meter, the tank and the flue.\n"
         "Found the PUMP running dry because the inlet valve was shut; opened the valve and bled the pump.\n"
         "Customer happy, left at noon after a cup of tea and a long chat about the garden.");
  SearchOptions o{"pump valve"};
  o.snippet_words = 8;
  o.mark_open = "<b>";
  o.mark_close = "</b>";
  auto hits = f.desk.search(test::office(), o);
  REQUIRE(hits.size() == 1);
  // The window with both words wins over the one with "valve" twice.
  CHECK(hits[0].snippet == "... opened the <b>valve</b> and bled the <b>pump</b>. Customer ...");
  o.snippet_words = 64;
  o.mark_open = "[";
  o.mark_close = "]";
  hits = f.desk.search(test::office(), o);
  REQUIRE(hits.size() == 1);
  const std::string &s = hits[0].snippet;
  CHECK(s.starts_with("Arrived at nine."));  // the whole text fits: nothing cut, no "..."
  CHECK(s.find("Found the [PUMP] running dry") != std::string::npos);  // the text as written, newlines as spaces
  CHECK(s.find('\n') == std::string::npos);
  CHECK(s.ends_with("about the garden."));
}

TEST_CASE_TEMPLATE("a customer's search never matches, ranks by or shows an internal word", B, TEST_BACKENDS) {
  // The same public history twice; the second desk also holds internal
  // comments and files full of the searched words.
  test::DeskFixture<B> plain, busy;
  for (auto *f : {&plain, &busy}) {
    Issue a = report(*f, "B-1", "Boiler noise at night");
    Issue b = report(*f, "B-2", "Boiler leaks", "cust-1");
    report(*f, "B-3", "Boiler of another customer", "cust-2");
    f->desk.add_comment(test::office(), a.code, CommentRequest{"We will send someone", false, std::nullopt, {}});
    if (f == &busy) {
      f->desk.add_comment(test::office(), a.code,
                          CommentRequest{"secretword boiler boiler boiler night", true, std::nullopt, {}});
      f->desk.add_comment(test::office(), b.code,
                          CommentRequest{"internal boiler boiler", true, std::nullopt,
                                         {AttachmentRequest{"boiler-secretfile.pdf", "application/pdf", "k/1",
                                                            std::nullopt, 1, std::string(64, 'a'), true}}});
      f->desk.attach(test::office(), b.code,
                     AttachmentRequest{"secretattachment.png", "image/png", "k/2", std::nullopt, 1, std::string(64, 'b'),
                                       std::nullopt});
    }
  }
  const Actor customer = test::customer("cust-1");
  for (const char *secret : {"secretword", "secretfile", "secretattachment", "internal"}) {
    CHECK(busy.desk.search(customer, secret).empty());
    CHECK(busy.desk.search(test::office(), secret).size() == 1);
  }
  for (const char *query : {"boiler", "boiler night", "boiler OR someone", "night* OR leaks"}) {
    CAPTURE(query);
    auto seen = busy.desk.search(customer, SearchOptions{query});
    auto base = plain.desk.search(customer, SearchOptions{query});
    REQUIRE(seen.size() == base.size());
    for (std::size_t k = 0; k < seen.size(); ++k) {
      CHECK(seen[k].issue.number == base[k].issue.number);
      CHECK(seen[k].score == base[k].score);  // exactly: nothing internal weighs in
      CHECK(seen[k].snippet == base[k].snippet);
      CHECK(seen[k].snippet.find("secret") == std::string::npos);
      CHECK(seen[k].issue.customer_id == "cust-1");
    }
  }
  // Staff rank by everything they see: the internal words count for them.
  CHECK(busy.desk.search(test::office(), SearchOptions{"boiler"})[0].score !=
        plain.desk.search(test::office(), SearchOptions{"boiler"})[0].score);
}

TEST_CASE_TEMPLATE("a fieldworker searches only the issues they may see", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  report(f, "B-1", "Broken gate", "cust-1", {"fw-1"});
  report(f, "B-2", "Broken gate latch", "cust-2", {"fw-2"});
  report(f, "B-3", "Gate squeaks", "cust-3", {"fw-1", "fw-2"});
  CHECK(found(f, "gate", test::fieldworker("fw-1")) == std::set<std::int64_t>{1, 3});
  CHECK(found(f, "gate", test::fieldworker("fw-2")) == std::set<std::int64_t>{2, 3});
  CHECK(found(f, "gate", test::fieldworker("fw-3")).empty());
  CHECK(found(f, "gate", test::customer("cust-2")) == std::set<std::int64_t>{2});
}

TEST_CASE_TEMPLATE("a query that does not parse is a typed error naming the byte", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  report(f, "B-1", "Anything");
  CHECK(syntax_error_at(f.desk, "\"roof leak") == 0);
  CHECK(syntax_error_at(f.desk, "roof AND") == 5);
  CHECK(syntax_error_at(f.desk, "OR roof") == 0);
  CHECK(syntax_error_at(f.desk, "roof NOT") == 5);
  CHECK(syntax_error_at(f.desk, "roof NOT NOT leak") == 5);
  CHECK(syntax_error_at(f.desk, "(roof leak") == 0);
  CHECK(syntax_error_at(f.desk, "roof )") == 5);
  CHECK(syntax_error_at(f.desk, "roof ()") == 5);
  CHECK(syntax_error_at(f.desk, "le*ak") == 2);
  CHECK(syntax_error_at(f.desk, "roof - leak") == 5);
  CHECK(syntax_error_at(f.desk, "roof \"\"") == 5);
  CHECK(syntax_error_at(f.desk, "\"roof\"leak") == 6);
  std::string many;
  for (int k = 0; k < 17; ++k) many += "w" + std::to_string(k) + " ";
  CHECK(syntax_error_at(f.desk, many) == many.find("w16"));
  // The options are checked too, each naming its field.
  auto field_of = [&](SearchOptions o) {
    return test::expect_error(Errc::invalid_input, [&] { f.desk.search(test::office(), o); }).where();
  };
  CHECK(field_of(SearchOptions{""}) == "query");
  CHECK(field_of(SearchOptions{"  "}) == "query");
  CHECK(field_of(SearchOptions{std::string(201, 'a')}) == "query");
  SearchOptions o{"roof"};
  o.limit = 0;
  CHECK(field_of(o) == "limit");
  o = SearchOptions{"roof"};
  o.offset = 10001;
  CHECK(field_of(o) == "offset");
  o = SearchOptions{"roof"};
  o.snippet_words = 65;
  CHECK(field_of(o) == "snippet_words");
  o = SearchOptions{"roof"};
  o.mark_open = std::string(17, '*');
  CHECK(field_of(o) == "mark_open");
  o = SearchOptions{"roof"};
  o.mark_close = "\x01";
  CHECK(field_of(o) == "mark_close");
}

// The conformance proof that the in-memory backend answers as SQLite does:
// the same history on both, then many queries, built at random from the
// history's words, compared hit by hit, score and snippet included.
TEST_CASE("both backends find, rank and cut snippets alike") {
  test::DeskFixture<test::MemoryBackend> memory;
  test::DeskFixture<test::SqliteBackend> sqlite;
  const std::vector<std::string> vocabulary = {"leak", "roof", "boiler", "gate", "noise", "café",
                                               "ÉCOLE", "tile", "tiles", "pump", "valve", "night"};
  std::mt19937 rng(20261130);
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  for (int k = 0; k < 40; ++k) {
    std::string text;
    std::size_t words = 3 + pick(30);
    for (std::size_t w = 0; w < words; ++w) text += vocabulary[pick(vocabulary.size())] + (pick(5) ? " " : ". ");
    std::string booking = "B-" + std::to_string(k);
    std::string customer = "cust-" + std::to_string(k % 3);
    Issue a = report(memory, booking, text, customer, {"fw-" + std::to_string(k % 4)});
    Issue b = report(sqlite, booking, text, customer, {"fw-" + std::to_string(k % 4)});
    REQUIRE(a.number == b.number);
    if (pick(2)) {
      std::string comment = vocabulary[pick(vocabulary.size())] + " and " + vocabulary[pick(vocabulary.size())];
      bool internal = pick(2) == 0;
      memory.desk.add_comment(test::office(), a.code, CommentRequest{comment, internal, std::nullopt, {}});
      sqlite.desk.add_comment(test::office(), b.code, CommentRequest{comment, internal, std::nullopt, {}});
    }
  }
  auto term = [&] {
    std::string w = vocabulary[pick(vocabulary.size())];
    switch (pick(4)) {
      case 0:  // a prefix of an ASCII word (cut where a character ends)
        if (std::all_of(w.begin(), w.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
          return w.substr(0, 1 + pick(w.size())) + "*";
        return w + "*";
      case 1: return "\"" + w + " " + vocabulary[pick(vocabulary.size())] + "\"";
      default: return w;
    }
  };
  const char *ops[] = {" ", " AND ", " OR ", " NOT "};
  const Actor readers[] = {test::office(), test::customer("cust-1"), test::fieldworker("fw-2")};
  int compared = 0;
  for (int k = 0; k < 600; ++k) {
    std::string q = term();
    for (std::size_t n = pick(4); n > 0; --n) q += ops[pick(4)] + (pick(4) ? term() : "(" + term() + " OR " + term() + ")");
    CAPTURE(q);
    for (const Actor &who : readers) {
      SearchOptions o{q};
      o.limit = 100;
      o.snippet_words = 6;
      auto m = memory.desk.search(who, o);
      auto s = sqlite.desk.search(who, o);
      REQUIRE(m.size() == s.size());
      for (std::size_t h = 0; h < m.size(); ++h) {
        CHECK(m[h].issue.number == s[h].issue.number);
        CHECK(m[h].score == s[h].score);
        CHECK(m[h].snippet == s[h].snippet);
      }
      compared += static_cast<int>(m.size());
    }
  }
  CHECK(compared > 1000);  // the queries found something to compare
}

TEST_CASE_TEMPLATE("a word as long as a comment may hold is stored, and found by its prefix and by no shorter word", B,
                   TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue a = report(f, "B-1", "Long words below");
  Issue b = report(f, "B-2", "More long words below");
  // Far longer than any index entry of a backend may be (and random: an index
  // may compress a key); the two share their first 5,000 bytes.
  std::minstd_rand random(15);
  std::uniform_int_distribution<int> letter('a', 'z');
  std::string stem = "q";
  while (stem.size() < 5000) stem += static_cast<char>(letter(random));
  std::string zs = "z";
  while (zs.size() < limits::comment_bytes - 3) zs += static_cast<char>(letter(random));
  f.desk.add_comment(test::office(), a.code, CommentRequest{stem + "alpha", false, std::nullopt, {}});
  f.desk.add_comment(test::office(), b.code, CommentRequest{stem + "beta", false, std::nullopt, {}});
  f.desk.add_comment(test::office(), a.code,
                     CommentRequest{zs + "end", false, std::nullopt, {}});
  using S = std::set<std::int64_t>;
  std::string longest_prefix = stem.substr(0, limits::search_bytes - 1);
  CHECK(found(f, "q*") == S{a.number, b.number});
  CHECK(found(f, longest_prefix + "*") == S{a.number, b.number});
  CHECK(found(f, longest_prefix).empty());  // a prefix, not the word
  CHECK(found(f, zs.substr(0, limits::search_bytes - 1) + "*") == S{a.number});
  CHECK(found(f, "alpha").empty());
  CHECK(found(f, "long q*") == S{a.number, b.number});
}
