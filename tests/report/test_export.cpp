// The complaint register export (docs/reporting.md, "Export"): the exact
// CSV of a small seeded store, JSON lines that parse back, who may export,
// filters, paging that neither repeats nor skips an issue, and bad input.
#include <nlohmann/json.hpp>

#include "support/support.hpp"

using namespace complaints;
using nlohmann::json;
using test::expect_error;

namespace {

const Actor root{"root", Role::admin, Permissions::all()};

// A workflow with an elapsed-time SLA, case fields and a resolution input.
const char *register_workflow = R"({
  "name": "register",
  "initial": "Open",
  "slas": [{"name": "response", "within": "10d"}],
  "on_report": [{"type": "sla", "op": "start", "sla": "response"}],
  "statuses": [
    {"name": "Open", "category": "open"},
    {"name": "Closed", "category": "closed"},
    {"name": "Reopened", "category": "open"}
  ],
  "resolutions": ["Upheld", "Not upheld"],
  "fields": [
    {"name": "outcome", "type": "text"},
    {"name": "compensation", "type": "money", "currency": "GBP"}
  ],
  "actions": [
    {"name": "close", "from": ["Open", "Reopened"], "to": "Closed", "allow": ["office", "admin"],
     "inputs": [{"name": "resolution", "type": "resolution", "required": true}], "fields": ["outcome"]},
    {"name": "reopen", "from": ["Closed"], "to": "Reopened", "allow": ["office", "admin"]}
  ]
})";

template <typename B>
struct ExportFixture : test::DeskFixture<B> {
  ExportFixture() {
    this->desk.install_workflow(root, register_workflow);
    this->desk.put_record(test::office(), test::booking("B-1"));
    this->desk.put_record(test::office(), test::booking("B-2", "cust-2", {"fw-3"}));
  }
  Issue report(const std::string &record, const std::string &description, const std::string &workflow = "register") {
    ReportRequest r;
    r.record = {RecordKind::booking, record};
    r.type = "Late Service";
    r.description = description;
    r.workflow = workflow;
    return this->desk.report(test::office(), r);
  }
  Issue close(const Issue &i, const std::string &resolution, const std::string &outcome) {
    ActionRequest a{"close", {{"resolution", resolution}}};
    if (!outcome.empty()) a.fields = {{"outcome", outcome}};
    return this->desk.act(test::office(), i.code, a);
  }
  // The whole export as one text, and the chunks it came in.
  std::string run(const Actor &who, ExportOptions options, std::vector<std::string> *chunks = nullptr,
                  ExportSummary *summary = nullptr) {
    std::string all;
    auto s = this->desk.export_issues(who, options, [&](std::string_view chunk) {
      all += chunk;
      if (chunks) chunks->emplace_back(chunk);
    });
    if (summary) *summary = s;
    return all;
  }
  // The seeded store of the exact tests: a field-service issue whose
  // description holds a comma, quotes and a newline; a register issue closed
  // with a resolution and an outcome; one closed and reopened.
  void seed() {
    report("B-1", "Scratched the bench, \"badly\"\nand the oven door.", "field-service");
    this->clock->advance(std::chrono::hours(1));
    Issue two = report("B-2", "Late again");
    this->clock->advance(std::chrono::hours(1));
    close(two, "Upheld", "Apology, sent");
    Issue three = report("B-1", "No show");
    this->clock->advance(std::chrono::minutes(30));
    Issue closed = close(three, "Not upheld", "");
    this->desk.act(test::office(), closed.code, ActionRequest{"reopen"});
  }
};

std::vector<json> lines_of(const std::string &text) {
  std::vector<json> out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    REQUIRE(end != std::string::npos);
    out.push_back(json::parse(text.substr(at, end - at)));
    at = end + 1;
  }
  return out;
}

std::vector<std::int64_t> numbers_of(const std::string &json_lines) {
  std::vector<std::int64_t> out;
  for (const auto &line : lines_of(json_lines)) out.push_back(line["number"].get<std::int64_t>());
  return out;
}

}  // namespace

TEST_CASE_TEMPLATE("the CSV export of a seeded store is exactly the register, quoted by RFC 4180", B, TEST_BACKENDS) {
  ExportFixture<B> f;
  f.seed();
  ExportSummary summary;
  std::string csv = f.run(test::office(), {}, nullptr, &summary);
  const std::string header =
      "code,number,record_kind,record_id,customer_id,fieldworkers,type,description,to_follow,deferred_date,"
      "follow_up_date,workflow,status,category,stage,assignee,reporter_id,reporter_role,channel,created_at,"
      "updated_at,version,resolution,sla.acknowledgement.state,sla.acknowledgement.due_at,"
      "sla.acknowledgement.breached,sla.response.state,sla.response.due_at,sla.response.breached,"
      "field.compensation,field.outcome\r\n";
  const std::string expected =
      header +
      "CMP-00001,1,booking,B-1,cust-1,\"fw-1\nfw-2\",Late Service,\"Scratched the bench, \"\"badly\"\"\nand the "
      "oven door.\",false,,,field-service,New,open,,,office-1,office,office,2026-01-05T09:00:00.000Z,"
      "2026-01-05T09:00:00.000Z,1,,running,2026-01-07T09:00:00.000Z,false,,,,,\r\n"
      "CMP-00002,2,booking,B-2,cust-2,fw-3,Late Service,Late again,false,,,register,Closed,closed,,,office-1,"
      "office,office,2026-01-05T10:00:00.000Z,2026-01-05T11:00:00.000Z,2,Upheld,,,,stopped,,false,,"
      "\"Apology, sent\"\r\n"
      "CMP-00003,3,booking,B-1,cust-1,\"fw-1\nfw-2\",Late Service,No show,false,,,register,Reopened,open,,,"
      "office-1,office,office,2026-01-05T11:00:00.000Z,2026-01-05T11:30:00.000Z,3,Not upheld,,,,stopped,,"
      "false,,\r\n";
  CHECK(csv == expected);
  CHECK(summary.rows == 3);
  CHECK(summary.last_number == 3);
  CHECK(summary.columns.size() == 31);
  CHECK(summary.columns.back() == "field.outcome");
}

TEST_CASE_TEMPLATE("the JSON lines export parses back to the issues with their clocks, fields and resolution", B,
                   TEST_BACKENDS) {
  ExportFixture<B> f;
  f.seed();
  // Eleven days on, the field-service issue's acknowledgement clock has run
  // out though process_due never ran: the export says so as of now.
  f.clock->advance(std::chrono::hours(24 * 11));
  ExportOptions o;
  o.format = ExportFormat::json_lines;
  ExportSummary summary;
  std::vector<json> lines = lines_of(f.run(test::supervisor(), o, nullptr, &summary));
  REQUIRE(lines.size() == 3);
  CHECK(summary.rows == 3);
  for (const auto &line : lines) {
    Issue issue = f.desk.get(test::office(), line["code"].get<std::string>());
    CHECK(line["number"] == issue.number);
    CHECK(line["description"] == issue.description);
    CHECK(line["status"] == issue.status);
    CHECK(line["version"] == issue.version);
    CHECK(line["fieldworkers"] == json(issue.fieldworkers));
    CHECK(line["to_follow"] == false);
    CHECK(line["deferred_date"].is_null());
    CHECK(line["created_at"] == format_timestamp(issue.created_at));
    CHECK(line["fields"] == json(issue.fields));
    CHECK(line["slas"].size() == issue.slas.size());
  }
  CHECK(lines[0]["resolution"].is_null());
  CHECK(lines[0]["slas"]["acknowledgement"] ==
        json{{"state", "running"}, {"due_at", "2026-01-07T09:00:00.000Z"}, {"breached", true}});
  CHECK(lines[1]["resolution"] == "Upheld");
  CHECK(lines[1]["fields"] == json{{"outcome", "Apology, sent"}});
  CHECK(lines[1]["slas"]["response"] == json{{"state", "stopped"}, {"due_at", nullptr}, {"breached", false}});
  // Reopened after a close: the resolution last picked stays in the register.
  CHECK(lines[2]["resolution"] == "Not upheld");
}

TEST_CASE_TEMPLATE("only staff export the register, and they see every issue", B, TEST_BACKENDS) {
  ExportFixture<B> f;
  f.seed();
  Record quote{{RecordKind::quote, "Q-1"}, "cust-3", {"fw-1"}, RecordVisibility::restricted, false};
  f.desk.put_record(test::office(), quote);
  ReportRequest r;
  r.record = quote.ref;
  r.type = "Other";
  r.description = "Quote too high";
  f.desk.report(test::office(), r);
  ExportOptions o;
  o.format = ExportFormat::json_lines;
  for (const Actor &who : {test::admin(), test::supervisor(), test::office(), test::system_actor(),
                           Actor{"office-2", Role::office, {}}}) {
    CAPTURE(to_string(who.role));
    CHECK(numbers_of(f.run(who, o)) == std::vector<std::int64_t>{1, 2, 3, 4});
  }
  std::string before = f.desk.dump();
  for (const Actor &who : {test::fieldworker(), test::customer(), Actor{"fw-1", Role::fieldworker, Permissions::all()},
                           Actor{"cust-1", Role::customer, Permissions::all()}}) {
    CAPTURE(to_string(who.role));
    int calls = 0;
    auto e = expect_error(Errc::forbidden, [&] { f.desk.export_issues(who, o, [&](std::string_view) { ++calls; }); });
    CHECK(e.where() == "actor.role");
    CHECK(calls == 0);
  }
  CHECK(f.desk.dump() == before);
}

TEST_CASE_TEMPLATE("the export takes the filter of list", B, TEST_BACKENDS) {
  ExportFixture<B> f;
  f.seed();
  ExportOptions o;
  o.format = ExportFormat::json_lines;
  o.filter.workflow = "register";
  CHECK(numbers_of(f.run(test::office(), o)) == std::vector<std::int64_t>{2, 3});
  o.filter.categories = {StatusCategory::open};
  CHECK(numbers_of(f.run(test::office(), o)) == std::vector<std::int64_t>{3});
  o.filter = {};
  o.filter.fields = {{"outcome", "Apology, sent"}};
  CHECK(numbers_of(f.run(test::office(), o)) == std::vector<std::int64_t>{2});
  o.filter = {};
  o.filter.record = RecordRef{RecordKind::booking, "B-1"};
  o.filter.after_number = 1;  // resumes after issue 1
  o.filter.limit = 1;         // not used by the export
  CHECK(numbers_of(f.run(test::office(), o)) == std::vector<std::int64_t>{3});
  o.filter = {};
  o.filter.status = "Nowhere";
  ExportSummary summary;
  o.format = ExportFormat::csv;
  std::string csv = f.run(test::office(), o, nullptr, &summary);
  CHECK(summary.rows == 0);
  CHECK(summary.last_number == 0);
  CHECK(csv.starts_with("code,number,"));
  CHECK(csv.find("\r\n") == csv.size() - 2);  // the header alone
}

TEST_CASE_TEMPLATE("paging neither repeats nor skips an issue, even as issues come and go", B, TEST_BACKENDS) {
  ExportFixture<B> f;
  for (int i = 0; i < 9; ++i) f.report(i % 2 ? "B-1" : "B-2", "Issue " + std::to_string(i + 1));
  f.desk.delete_forever(root, "CMP-00004");
  ExportOptions o;
  o.format = ExportFormat::json_lines;
  o.page_issues = 2;
  std::vector<std::string> chunks;
  std::string all;
  int page = 0;
  // The sink runs outside the desk's lock: it may call the desk. An issue
  // reported during the export comes once, at the end; one erased before its
  // page is read does not come at all.
  ExportSummary summary = f.desk.export_issues(test::office(), o, [&](std::string_view chunk) {
    chunks.emplace_back(chunk);
    all += chunk;
    if (++page == 1) {
      f.report("B-1", "Reported during the export");
      f.desk.delete_forever(root, "CMP-00007");
    }
  });
  CHECK(numbers_of(all) == std::vector<std::int64_t>{1, 2, 3, 5, 6, 8, 9, 10});
  CHECK(summary.rows == 8);
  CHECK(summary.last_number == 10);
  REQUIRE(chunks.size() == 4);
  for (const auto &c : chunks) CHECK(lines_of(c).size() == 2);
  // CSV: the header comes once, with the first page.
  o.format = ExportFormat::csv;
  std::string csv = f.run(test::office(), o, &chunks);
  CHECK(csv.find("code,number") == 0);
  CHECK(csv.find("code,number", 1) == std::string::npos);
}

TEST_CASE_TEMPLATE("bad export input is a typed error naming the field, before the sink hears anything", B,
                   TEST_BACKENDS) {
  ExportFixture<B> f;
  f.seed();
  std::string before = f.desk.dump();
  int calls = 0;
  ExportSink counting = [&](std::string_view) { ++calls; };
  auto refused = [&](ExportOptions o, const std::string &where, const ExportSink &sink, Errc code = Errc::invalid_input) {
    CAPTURE(where);
    auto e = expect_error(code, [&] { f.desk.export_issues(test::office(), o, sink); });
    CHECK(e.where() == where);
    CHECK(calls == 0);
    CHECK(f.desk.dump() == before);
  };
  ExportOptions o;
  o.page_issues = 0;
  refused(o, "page_issues", counting);
  o.page_issues = limits::page_items + 1;
  refused(o, "page_issues", counting);
  o = {};
  o.format = static_cast<ExportFormat>(7);
  refused(o, "format", counting);
  refused({}, "sink", ExportSink{});
  o = {};
  o.filter.status = "";
  refused(o, "status", counting);
  o = {};
  o.filter.after_number = -1;
  refused(o, "after_number", counting);
  o = {};
  o.filter.customer_id = std::string("bad\x01id");
  refused(o, "customer_id", counting);
  o = {};
  o.filter.fields = {{"Not A Name", "x"}};
  refused(o, "fields", counting);
  expect_error(Errc::invalid_input, [&] { f.desk.export_issues(Actor{"", Role::office, {}}, {}, counting); });
  CHECK(calls == 0);
}

TEST_CASE_TEMPLATE("a sink that throws stops the export and its exception comes back", B, TEST_BACKENDS) {
  ExportFixture<B> f;
  f.seed();
  ExportOptions o;
  o.page_issues = 1;
  int calls = 0;
  CHECK_THROWS_AS(f.desk.export_issues(test::office(), o,
                                       [&](std::string_view) {
                                         if (++calls == 2) throw std::runtime_error("disk full");
                                       }),
                  std::runtime_error);
  CHECK(calls == 2);
  // The desk is not left locked.
  CHECK(f.desk.get(test::office(), "CMP-00001").number == 1);
}
