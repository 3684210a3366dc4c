// The JSON writer behind the C API: every byte that must be escaped is,
// wherever it stands in a string, and plain text takes the one-copy path.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "json/json.hpp"

using complaints::json::Writer;

namespace {

std::string written(const std::string &text) {
  std::string out;
  Writer w(out);
  w.begin_object().field("k", text).field("n", std::int64_t{-42}).end_object();
  return w.finish();
}

}  // namespace

TEST_CASE("the JSON writer escapes every control byte, quote and backslash at every position") {
  std::string specials = "\"\\";
  for (int c = 0; c < 0x20; ++c) specials += static_cast<char>(c);
  for (std::size_t len = 1; len <= 20; ++len) {
    for (std::size_t at = 0; at < len; ++at) {
      for (char special : specials) {
        std::string text(len, 'a');
        text[at] = special;
        std::string doc = written(text);
        CAPTURE(doc);
        auto parsed = nlohmann::json::parse(doc);  // throws on an unescaped byte
        REQUIRE(parsed["k"].get<std::string>() == text);
      }
    }
  }
  // Plain text, UTF-8 and bytes at the lanes' edges (0x1f, 0x20, 0x7f, 0x80) pass as they are.
  for (std::string text : {std::string(), std::string("plain"), std::string(37, 'x'), std::string("caf\xc3\xa9 \xe2\x82\xac"),
                           std::string("\x20\x7f\x21\x5b\x5d\x23\x80\xff", 8)}) {
    std::string doc = written(text);
    CHECK(doc == "{\"k\":\"" + text + "\",\"n\":-42}");
  }
}

TEST_CASE("the JSON writer stages small pieces and passes large ones through, in order") {
  std::string out = "prefix:";
  Writer w(out);
  w.begin_array();
  nlohmann::json expected = nlohmann::json::array();
  for (int i = 0; i < 400; ++i) {  // many small pieces, past the stage's size several times
    std::string text = std::string(static_cast<std::size_t>(i % 40), 'a' + static_cast<char>(i % 26)) + "\"\n";
    if (i % 97 == 0) text += std::string(3000, 'z');  // now and then one larger than the stage
    w.value(text).value(std::int64_t{i});
    expected.push_back(text);
    expected.push_back(i);
  }
  w.end_array();
  CHECK(w.finish().starts_with("prefix:"));
  CHECK(nlohmann::json::parse(out.substr(7)) == expected);
}
