// Dates, timestamps, issue codes and names: the value types hosts pass in.
#include <limits>

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
