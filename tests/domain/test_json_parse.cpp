// The strict parser every JSON document from a host goes through
// (src/json/parse.hpp): what it refuses, and the place each refusal names.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "json/parse.hpp"
#include "support/support.hpp"

using namespace complaints;
using test::expect_error;

namespace {

const JsonNaming request{"request_json", ""};
const JsonNaming queries{"queries_json", "queries"};
const JsonNaming workflow{"$", "$", true};

// The refusal of `text`, or a code of "ok" when it parsed.
struct Refusal {
  std::string code, where, message;
};

Refusal refusal(const std::string &text, const JsonNaming &naming = request) {
  try {
    parse_json(text, naming);
  } catch (const Error &e) {
    return {to_string(e.code()), e.where(), e.message()};
  }
  return {"ok", "", ""};
}

bool mentions(const Refusal &r, const std::string &fragment) { return r.message.find(fragment) != std::string::npos; }

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

}  // namespace

TEST_CASE("a document parses to the value written, each integer kept as a 64-bit one") {
  const std::string text =
      R"({"a":[1,-2,1.5,"x\u00e9\n",true,null,{}],"b":{"max":9223372036854775807,"min":-9223372036854775808},)"
      R"("c":"caf\u00e9 \ud83d\ude00","d":[[[]]],"e":1e308,"f":1e-400,"g":-0})";
  auto j = parse_json(text, request);
  CHECK(j == nlohmann::json::parse(text));
  CHECK(j["a"][0].is_number_unsigned());
  CHECK(j["a"][1].get<std::int64_t>() == -2);
  CHECK(j["a"][3] == "x\xc3\xa9\n");
  CHECK(j["b"]["max"].get<std::int64_t>() == INT64_MAX);
  CHECK(j["b"]["min"].get<std::int64_t>() == INT64_MIN);
  CHECK(j["e"].is_number_float());
  CHECK(j["f"].get<double>() == 0.0);  // too small for a double reads as zero: nothing overflows
  CHECK(parse_json("42", request) == 42);
  CHECK(parse_json(R"("s")", request) == "s");
  CHECK(parse_json(" [ ] ", request).empty());
}

TEST_CASE("a duplicate key is refused at its path; the same key in other objects is none") {
  CHECK(refusal(R"({"a":1,"b":2,"a":1})").where == "a");
  CHECK(mentions(refusal(R"({"a":1,"a":1})"), "duplicate key"));
  CHECK(refusal(R"({"inputs":{"note":"x","note":"y"}})").where == "inputs.note");
  CHECK(refusal(R"({"list":[{"k":1},{"k":1,"k":2}]})").where == "list[1].k");
  CHECK(refusal(R"([{"record":{"kind":"a","id":"1"}},{"record":{"kind":"a","kind":"b"}}])", queries).where ==
        "queries[1].record.kind");
  auto wf = refusal(R"({"name":"x","actions":[{},{"name":"a"},{"name":"a","name":"b"}]})", workflow);
  CHECK(wf.code == "invalid_workflow");
  CHECK(wf.where == "$.actions[2].name");
  CHECK(refusal(R"({"a":{"k":1},"b":{"k":1},"k":[{"k":1},{"k":2}]})").code == "ok");
  // The key in the path is an excerpt: escaped and cut.
  CHECK(refusal(R"({"a\u001b[31m":1,"a\u001b[31m":2})").where == "a\\x1b[31m");
  std::string long_key(100, 'k');
  CHECK(refusal("{\"" + long_key + "\":1,\"" + long_key + "\":2}").where == std::string(40, 'k') + "...");
}

TEST_CASE("a number beyond a double or a signed 64-bit integer is refused at its path") {
  for (const char *n : {"1e400", "-1e400", "1e309", "123.0e999"}) {
    CAPTURE(n);
    auto r = refusal(std::string(R"({"a":{"b":[0,)") + n + "]}}");
    CHECK(r.code == "invalid_input");
    CHECK(r.where == "a.b[1]");
    CHECK(mentions(r, "beyond the range of a double"));
    CHECK(refusal(n).where == "request_json");
  }
  for (const char *n : {"9223372036854775808", "18446744073709551615", "18446744073709551616", "-9223372036854775809",
                        "100000000000000000000000000000"}) {
    CAPTURE(n);
    auto r = refusal(std::string(R"({"a":{"b":[0,)") + n + "]}}");
    CHECK(r.where == "a.b[1]");
    CHECK(mentions(r, "64-bit integer"));
  }
  auto wf = refusal(R"({"actions":[{"inputs":[{"max_length":1e400}]}]})", workflow);
  CHECK(wf.code == "invalid_workflow");
  CHECK(wf.where == "$.actions[0].inputs[0].max_length");
  CHECK(mentions(wf, "line 1, column"));
}

TEST_CASE("nesting deeper than limits::json_depth is refused where it goes too deep") {
  CHECK(refusal(nested_arrays(limits::json_depth)).code == "ok");
  auto r = refusal(nested_arrays(limits::json_depth + 1));
  CHECK(r.code == "invalid_input");
  std::string path;
  for (std::size_t i = 0; i < limits::json_depth; ++i) path += "[0]";
  CHECK(r.where == path);
  CHECK(mentions(r, std::to_string(limits::json_depth)));
  CHECK(refusal(R"({"a":{"b":)" + nested_arrays(limits::json_depth) + "}}").where.starts_with("a.b[0]"));
  // Far deeper: refused just the same, without exhausting the stack.
  CHECK(refusal(nested_arrays(1'000'000)).code == "invalid_input");
  CHECK(refusal(std::string(1'000'000, '[')).code == "invalid_input");
  CHECK(refusal("{\"a\":" + nested_arrays(100) + "}", workflow).where.starts_with("$.a[0]"));
}

TEST_CASE("bytes that are not UTF-8 and unescaped control characters are refused at their string") {
  for (const char *bytes : {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"}) {
    CAPTURE(bytes);
    auto r = refusal(std::string(R"({"a":{"b":"ok)") + bytes + "\"}}");
    CHECK(r.code == "invalid_input");
    CHECK(r.where == "a.b");
    CHECK(mentions(r, "not valid UTF-8 (at byte"));
    auto key = refusal(std::string(R"({"a":{"ok":1,")") + bytes + "\":1}}");
    CHECK(key.where == "a");
    CHECK(mentions(key, "a key that is not valid UTF-8"));
  }
  CHECK(refusal("\xff\xfe").where == "request_json");
  CHECK(refusal("{\"a\":1,\xff}").where == "request_json");
  auto control = refusal("{\"a\":[\"x\x1b[31m\"]}");
  CHECK(control.where == "a[0]");
  CHECK(mentions(control, "unescaped control character"));
  CHECK(refusal("{\"a\":{\"k\x01\":1}}").where == "a");
  auto wf = refusal("{\n  \"name\": \"\xff\"\n}", workflow);
  CHECK(wf.where == "$.name");
  CHECK(mentions(wf, "line 2, column"));
  // Escaped, a control character is JSON: the reader of the field decides.
  CHECK(refusal(R"({"a":"\u001b\u0000"})").code == "ok");
}

TEST_CASE("a syntax error names the document and its position") {
  auto r = refusal(R"({"a":1,})");
  CHECK(r.where == "request_json");
  CHECK(r.message == "is not JSON (at byte 8)");
  for (const char *bad : {"", "{", R"({"a":1} x)", R"({"a":1 /* comment */})", "[1,]", "{'a':1}", "nul",
                          R"({"a":"\ud800"})", R"({"a":"\x41"})"}) {
    CAPTURE(bad);
    CHECK(refusal(bad).where == "request_json");
    CHECK(refusal(bad, queries).where == "queries_json");
    CHECK(refusal(bad, workflow).where == "$");
  }
  auto wf = refusal("{\n  \"name\": \"x\",\n  \"initial\" \"Open\"\n}", workflow);
  CHECK(mentions(wf, "$: malformed JSON at line 3, column 18"));  // the token where a colon should be
}
