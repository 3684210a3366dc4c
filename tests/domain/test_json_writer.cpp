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
  return out;
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
