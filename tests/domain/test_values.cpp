// Dates, timestamps, issue codes and names: the value types hosts pass in.
#include <limits>

#include "domain/check.hpp"
#include "support/support.hpp"

using namespace complaints;
using test::expect_error;

TEST_CASE("dates parse strictly and impossible dates are invalid input naming the field") {
  CHECK(Date::parse("2026-02-28").to_string() == "2026-02-28");
  CHECK(Date::parse("2028-02-29").day() == 29);
  for (const char *bad : {"2026-02-30", "2026-13-01", "2026-00-10", "2026-04-31", "2027-02-29", "26-01-01",
                          "2026-1-01", "2026/01/01", "", "2026-01-01T00:00:00Z", "1899-12-31", "abcd-ef-gh",
                          "2026-01-0\x01"}) {
    CAPTURE(bad);
    auto e = expect_error(Errc::invalid_input, [&] { Date::parse(bad, "deferred_date"); });
    CHECK(e.where() == "deferred_date");
  }
  expect_error(Errc::invalid_input, [] { Date::from_ymd(2026, 2, 30); });
}

TEST_CASE("timestamps round-trip through RFC 3339 text") {
  Timestamp t = parse_timestamp("2026-11-23T09:15:02.125Z");
  CHECK(format_timestamp(t) == "2026-11-23T09:15:02.125Z");
  CHECK(format_timestamp(parse_timestamp("2026-11-23T09:15:02Z")) == "2026-11-23T09:15:02.000Z");
  CHECK(Date::of(t).to_string() == "2026-11-23");
  for (const char *bad : {"2026-11-23T25:00:00Z", "2026-11-23 09:15:02Z", "2026-02-30T00:00:00Z",
                          "2026-11-23T09:15:02", "2026-11-23T09:15:02.1234Z"})
    expect_error(Errc::invalid_input, [&] { parse_timestamp(bad); });
}

TEST_CASE("issue codes are CMP- and at least five digits, and only the canonical spelling parses") {
  CHECK(format_issue_code(1) == "CMP-00001");
  CHECK(format_issue_code(123456) == "CMP-123456");
  CHECK(format_issue_code(12345) == "CMP-12345");
  CHECK(format_issue_code(std::numeric_limits<std::int64_t>::max()) == "CMP-9223372036854775807");
  CHECK(parse_issue_code("CMP-00042") == 42);
  CHECK(parse_issue_code("CMP-123456") == 123456);
  for (const char *bad : {"CMP-0042", "CMP-000042", "cmp-00042", "CMP-00000", "CMP--0001", "CMP-0004a", "",
                          "CMP-99999999999999999999", "XYZ-00001"}) {
    CAPTURE(bad);
    CHECK(expect_error(Errc::invalid_input, [&] { parse_issue_code(bad); }).where() == "code");
  }
}

TEST_CASE("enum names round-trip") {
  for (auto r : {Role::admin, Role::supervisor, Role::office, Role::fieldworker, Role::customer, Role::system})
    CHECK(role_from_string(to_string(r)) == r);
  for (auto c : {StatusCategory::open, StatusCategory::active, StatusCategory::pending, StatusCategory::resolved,
                 StatusCategory::closed})
    CHECK(status_category_from_string(to_string(c)) == c);
  for (auto k : {RecordKind::quote, RecordKind::booking, RecordKind::invoice})
    CHECK(record_kind_from_string(to_string(k)) == k);
  CHECK_FALSE(role_from_string("root"));
  CHECK(std::string(to_string(Errc::conflict)) == "conflict");
}

TEST_CASE("errors carry a stable code, the location and a message") {
  InvalidInput e("must not be empty", "description");
  CHECK(e.code() == Errc::invalid_input);
  CHECK(static_cast<int>(e.code()) == 3);
  CHECK(e.where() == "description");
  CHECK(std::string(e.what()) == "description: must not be empty");
  InvalidWorkflow w(std::vector<WorkflowProblem>{{"$.a", "x"}, {"$.b", "y"}});
  CHECK(w.where() == "$.a");
  CHECK(w.problems().size() == 2);
  CHECK(std::string(w.what()).find("$.b: y") != std::string::npos);
}

TEST_CASE("an excerpt of host text is printable UTF-8: controls, separators, bidi and bad bytes escaped, cut at 40") {
  CHECK(check::excerpt("plain text") == "plain text");
  // UTF-8 passes as it is.
  CHECK(check::excerpt("caf\xc3\xa9 \xe6\x97\xa5\xf0\x9f\x98\x80") == "caf\xc3\xa9 \xe6\x97\xa5\xf0\x9f\x98\x80");
  CHECK(check::excerpt("CMP-\x1b[31m\xff") == "CMP-\\x1b[31m\\xff");
  CHECK(check::excerpt("\t\n\r\x7f") == "\\x09\\x0a\\x0d\\x7f");
  CHECK(check::excerpt("\xc2\x85\xc2\x9f\xe2\x80\xa8\xe2\x80\xa9") == "\\u0085\\u009f\\u2028\\u2029");
  CHECK(check::excerpt("a\xe2\x80\xae"
                       "b\xe2\x81\xa6"
                       "c\xe2\x80\x8f\xd8\x9c") == "a\\u202eb\\u2066c\\u200f\\u061c");
  CHECK(check::excerpt("\xc0\xaf\xed\xa0\x80\xe2\x82") == "\\xc0\\xaf\\xed\\xa0\\x80\\xe2\\x82");
  CHECK(check::excerpt(std::string(40, 'x')) == std::string(40, 'x'));
  CHECK(check::excerpt(std::string(41, 'x')) == std::string(40, 'x') + "...");
  // Characters, not bytes: a cut never splits one.
  CHECK(check::excerpt(std::string(39, 'x') + "\xc3\xa9z") == std::string(39, 'x') + "\xc3\xa9...");
  CHECK(check::excerpt(std::string(100, 'y'), 60) == std::string(60, 'y') + "...");
  CHECK(check::printable("a\nb", true) == "a\nb");
  CHECK(check::printable("a\nb") == "a\\x0ab");
}

TEST_CASE("an error's message and place are printable whatever they were given") {
  InvalidInput e("'CMP-\x1b[31m\xff' is bad", "inputs.\xe2\x80\xae");
  CHECK(e.message() == "'CMP-\\x1b[31m\\xff' is bad");
  CHECK(e.where() == "inputs.\\u202e");
  CHECK(std::string(e.what()) == "inputs.\\u202e: 'CMP-\\x1b[31m\\xff' is bad");
  InvalidWorkflow w(std::vector<WorkflowProblem>{{"$.a\n", "x\x1b"}, {"$.b", "y\xff"}});
  CHECK(w.where() == "$.a\\x0a");
  CHECK(w.problems()[0] == WorkflowProblem{"$.a\\x0a", "x\\x1b"});
  CHECK(w.problems()[1] == WorkflowProblem{"$.b", "y\\xff"});
  // Newlines only before each problem.
  CHECK(std::string(w.what()) == "invalid workflow (2 problems)\n  $.a\\x0a: x\\x1b\n  $.b: y\\xff");
  CHECK(w.message() == w.what());
}
