// SPEC R14: bad input from a host is a typed error naming the field, and the
// store is exactly as it was.
#include "support/support.hpp"

using namespace complaints;
using test::expect_error;

namespace {

const std::string oversized(limits::description_bytes + 1, 'a');
const std::string not_utf8 = "caf\xc3\x28 \xff\xfe";
const std::string overlong_slash = "\xc0\xaf";
const std::string surrogate = "\xed\xa0\x80";
const std::string control = std::string("bell\x07 and \x1b[31m escape");
const std::string nul = std::string("nul\0byte", 8);

}  // namespace

TEST_CASE_TEMPLATE("bad strings in a report are refused with the field named and nothing stored", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_record(test::office(), test::booking());
  std::string dump = f.desk.dump();
  ReportRequest good;
  good.record = {RecordKind::booking, "B-1"};
  good.type = "Damage Caused";
  good.description = "Fine text.";

  struct Case {
    std::string name;
    std::function<void(ReportRequest &)> spoil;
    std::string field;
  };
  std::vector<Case> cases = {
      {"empty description", [](ReportRequest &r) { r.description = ""; }, "description"},
      {"blank description", [](ReportRequest &r) { r.description = " \n\t "; }, "description"},
      {"oversized description", [](ReportRequest &r) { r.description = oversized; }, "description"},
      {"non-UTF-8 description", [](ReportRequest &r) { r.description = not_utf8; }, "description"},
      {"overlong UTF-8", [](ReportRequest &r) { r.description = overlong_slash; }, "description"},
      {"surrogate in UTF-8", [](ReportRequest &r) { r.description = surrogate; }, "description"},
      {"control characters", [](ReportRequest &r) { r.description = control; }, "description"},
      {"NUL byte", [](ReportRequest &r) { r.description = nul; }, "description"},
      {"empty type", [](ReportRequest &r) { r.type = ""; }, "type"},
      {"unknown type", [](ReportRequest &r) { r.type = "Haunting"; }, "type"},
      {"type with control chars", [](ReportRequest &r) { r.type = "Late\nService"; }, "type"},
      {"empty record id", [](ReportRequest &r) { r.record.id = ""; }, "record.id"},
      {"oversized record id", [](ReportRequest &r) { r.record.id = std::string(200, 'B'); }, "record.id"},
      {"record id with NUL", [](ReportRequest &r) { r.record.id = std::string("B\0-1", 4); }, "record.id"},
      {"record kind out of range", [](ReportRequest &r) { r.record.kind = static_cast<RecordKind>(42); }, "record.kind"},
      {"deferred date without To Follow", [](ReportRequest &r) { r.deferred_date = Date::parse("2026-03-01"); },
       "deferred_date"},
      {"unknown workflow name", [](ReportRequest &r) { r.workflow = "no-such-flow"; }, "workflow"},
      {"bad fieldworker id", [](ReportRequest &r) { r.fieldworkers = std::vector<std::string>{"fw-1", ""}; },
       "fieldworkers[1]"},
      {"duplicate fieldworker", [](ReportRequest &r) { r.fieldworkers = std::vector<std::string>{"fw-1", "fw-1"}; },
       "fieldworkers[1]"},
      {"channel out of range", [](ReportRequest &r) { r.channel = static_cast<Channel>(9); }, "channel"},
  };
  for (const auto &c : cases) {
    CAPTURE(c.name);
    ReportRequest r = good;
    c.spoil(r);
    Error e = expect_error(c.name == "unknown workflow name" ? Errc::not_found : Errc::invalid_input,
                           [&] { f.desk.report(test::office(), r); });
    CHECK(e.where() == c.field);
    // The message never echoes raw control bytes back.
    for (char ch : std::string(e.what())) CHECK((static_cast<unsigned char>(ch) >= 0x20 || ch == '\n'));
    CHECK(f.desk.dump() == dump);
  }
  CHECK(f.desk.report(test::office(), good).code == "CMP-00001");
}

TEST_CASE_TEMPLATE("bad actors, codes and ids are typed errors", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = f.report_on_booking();
  std::string dump = f.desk.dump();
  CHECK(expect_error(Errc::invalid_input, [&] { f.desk.get(Actor{"", Role::admin, {}}, i.code); }).where() ==
        "actor.id");
  CHECK(expect_error(Errc::invalid_input, [&] { f.desk.get(Actor{not_utf8, Role::admin, {}}, i.code); }).where() ==
        "actor.id");
  CHECK(expect_error(Errc::invalid_input, [&] {
          f.desk.get(Actor{"a", static_cast<Role>(77), {}}, i.code);
        }).where() == "actor.role");
  CHECK(expect_error(Errc::invalid_input, [&] {
          f.desk.get(Actor{"a", Role::admin, Permissions::from_bits(0x100)}, i.code);
        }).where() == "actor.permissions");
  for (const char *code : {"", "CMP-1", "12345", "CMP-00001 ", "CMP-\xff\xff\xff\xff\xff"})
    CHECK(expect_error(Errc::invalid_input, [&] { f.desk.get(test::admin(), code); }).where() == "code");
  CHECK(expect_error(Errc::not_found, [&] { f.desk.get(test::admin(), "CMP-99999"); }).where() == "code");
  expect_error(Errc::not_found, [&] { f.desk.act(test::admin(), "CMP-99999", ActionRequest{"close", {}, {}}); });
  expect_error(Errc::not_found, [&] { f.desk.record(test::admin(), {RecordKind::invoice, "nope"}); });
  expect_error(Errc::not_found, [&] { f.desk.workflow(test::admin(), "nope"); });
  CHECK(expect_error(Errc::invalid_input, [&] {
          f.desk.act(test::admin(), i.code, ActionRequest{"close", {{"note", control}}, {}});
        }).where() == "inputs.note");
  CHECK(expect_error(Errc::invalid_input, [&] {
          f.desk.act(test::admin(), i.code, ActionRequest{"close", {{std::string("no\0te", 5), "x"}}, {}});
        }).where() == "inputs");
  CHECK(expect_error(Errc::invalid_input, [&] {
          f.desk.put_record(test::office(), Record{{RecordKind::booking, "B-2"}, "", {}, RecordVisibility::all, false});
        }).where() == "record.customer_id");
  CHECK(expect_error(Errc::invalid_input, [&] {
          std::vector<std::string> many(limits::fieldworkers_per_record + 1);
          for (std::size_t k = 0; k < many.size(); ++k) many[k] = "fw-" + std::to_string(k);
          f.desk.put_record(test::office(), Record{{RecordKind::booking, "B-2"}, "c", many, RecordVisibility::all, false});
        }).where() == "record.fieldworkers");
  CHECK(expect_error(Errc::invalid_input, [&] {
          f.desk.put_record(test::office(), Record{{RecordKind::booking, " B-2"}, "c", {}, RecordVisibility::all, false});
        }).where() == "record.ref.id");
  CHECK(f.desk.dump() == dump);
}

TEST_CASE_TEMPLATE("a record's invoice id is checked like every id, and may be left empty", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  std::string dump = f.desk.dump();
  for (const std::string &bad : {std::string(limits::id_bytes + 1, 'I'), not_utf8, control, nul, std::string(" INV-1")}) {
    Record r = test::booking("B-9");
    r.invoice_id = bad;
    CHECK(expect_error(Errc::invalid_input, [&] { f.desk.put_record(test::office(), r); }).where() ==
          "record.invoice_id");
    CHECK(f.desk.dump() == dump);
  }
  Record r = test::booking("B-9");
  r.invoice_id = std::string(limits::id_bytes, 'I');
  f.desk.put_record(test::office(), r);
  r.invoice_id = "";
  f.desk.put_record(test::office(), r);
  CHECK(f.desk.record(test::office(), r.ref).invoice_id == "");
}

TEST_CASE_TEMPLATE("a bad name in an issue filter is refused at its own key", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.report_on_booking();
  const std::string too_long(limits::name_bytes + 1, 's');
  using Member = std::optional<std::string> IssueFilter::*;
  for (auto [member, key] : {std::pair<Member, const char *>{&IssueFilter::workflow, "workflow"},
                             {&IssueFilter::status, "status"},
                             {&IssueFilter::stage, "stage"},
                             {&IssueFilter::type, "type"}}) {
    CAPTURE(key);
    for (const std::string &bad : {too_long, std::string("In\nProgress"), std::string()}) {
      IssueFilter filter;
      filter.*member = bad;
      CHECK(expect_error(Errc::invalid_input, [&] { f.desk.list(test::admin(), filter); }).where() == key);
    }
  }
}

TEST_CASE_TEMPLATE("impossible or malformed dates in inputs are refused", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = f.report_on_booking();
  std::string dump = f.desk.dump();
  for (const char *d : {"2026-02-29", "2026-04-31", "31/12/2026", "2026-12-01T10:00:00Z", "tomorrow", ""}) {
    CAPTURE(d);
    CHECK(expect_error(Errc::invalid_input, [&] {
            f.desk.act(test::office(), i.code, ActionRequest{"schedule_follow_up", {{"date", d}}, {}});
          }).where() == "inputs.date");
  }
  CHECK(f.desk.dump() == dump);
}

TEST_CASE_TEMPLATE("bad workflow JSON is refused with its path and nothing stored", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  std::string dump = f.desk.dump();
  for (const std::string &text : {std::string("{"), std::string("null"), not_utf8, std::string(R"({"name": 5})")}) {
    CHECK_THROWS_AS(f.desk.install_workflow(test::admin(), Workflow::from_json(text)), InvalidWorkflow);
  }
  CHECK(f.desk.dump() == dump);
}
