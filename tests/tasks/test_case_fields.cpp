// Case fields (seed 003's "Additional" tab): typed values a workflow
// declares, set by actions that may require them and by edits, checked by
// type (an error names the field and leaves the store as it was), shown on
// the snapshot and the timeline with before and after, filterable in lists,
// hidden from customers, and available as merge tags.
#include <nlohmann/json.hpp>

#include "support/support.hpp"

using namespace complaints;
using nlohmann::json;
using test::expect_error;

namespace {

const Actor root{"root", Role::admin, Permissions::all()};

json fields_workflow() {
  return json::parse(R"({
    "name": "outcomes",
    "initial": "Open",
    "statuses": [
      {"name": "Open", "category": "open"},
      {"name": "Responded", "category": "resolved"},
      {"name": "Closed", "category": "closed"}
    ],
    "fields": [
      {"name": "outcome", "label": "Outcome", "type": "choice", "choices": ["Upheld", "Partly upheld", "Not upheld"]},
      {"name": "learning", "type": "text", "max_length": 40},
      {"name": "remedy", "type": "multi_choice", "choices": ["Apology", "Explanation", "Refund"]},
      {"name": "compensation", "type": "money", "currency": "GBP", "min": 0, "max": 500},
      {"name": "visits", "type": "number", "min": 0},
      {"name": "responded_on", "type": "date"},
      {"name": "vulnerable", "type": "yes_no"}
    ],
    "actions": [
      {"name": "record_outcome", "from": ["Open"], "to": "Responded", "allow": ["office", "admin"],
       "fields": ["outcome", "learning", "remedy", "compensation"], "required_fields": ["outcome"]},
      {"name": "close", "from": ["Responded"], "to": "Closed", "allow": ["office", "admin"]}
    ]
  })");
}

template <typename B>
struct FieldsFixture : test::DeskFixture<B> {
  FieldsFixture() {
    this->desk.install_workflow(root, fields_workflow().dump());
    this->desk.put_record(test::office(), test::booking("B-1"));
  }
  Issue report() {
    ReportRequest r;
    r.record = {RecordKind::booking, "B-1"};
    r.type = "Damage Caused";
    r.description = "The fence was left open.";
    r.workflow = "outcomes";
    return this->desk.report(test::office(), r);
  }
  ActionRequest outcome(std::map<std::string, std::string, std::less<>> fields) {
    ActionRequest a{"record_outcome"};
    a.fields = std::move(fields);
    return a;
  }
};

}  // namespace

TEST_CASE_TEMPLATE("an action sets its case fields, requires some, and refuses bad values naming the field", B,
                   TEST_BACKENDS) {
  FieldsFixture<B> f;
  Issue issue = f.report();
  std::string before = f.desk.dump();
  auto refused = [&](std::map<std::string, std::string, std::less<>> fields, const std::string &where,
                     const std::string &text) {
    CAPTURE(where);
    auto e = expect_error(Errc::invalid_input, [&] { f.desk.act(test::office(), issue.code, f.outcome(fields)); });
    CHECK(e.where() == where);
    CHECK_MESSAGE(std::string(e.what()).find(text) != std::string::npos, e.what());
    CHECK(f.desk.dump() == before);
  };
  refused({}, "fields.outcome", "requires case field 'outcome'");
  refused({{"outcome", "Maybe"}}, "fields.outcome", "not one of the field's choices");
  refused({{"outcome", "Upheld"}, {"compensation", "12.505"}}, "fields.compensation", "at most two decimals");
  refused({{"outcome", "Upheld"}, {"compensation", "600"}}, "fields.compensation", "outside");
  refused({{"outcome", "Upheld"}, {"compensation", "-1"}}, "fields.compensation", "outside");
  refused({{"outcome", "Upheld"}, {"remedy", "Apology;Hugs"}}, "fields.remedy", "'Hugs'");
  refused({{"outcome", "Upheld"}, {"remedy", "Apology;Apology"}}, "fields.remedy", "twice");
  refused({{"outcome", "Upheld"}, {"learning", std::string(41, 'x')}}, "fields.learning", "");
  refused({{"outcome", "Upheld"}, {"visits", "3"}}, "fields.visits", "does not set field 'visits'");
  refused({{"outcome", "Upheld"}, {"colour", "red"}}, "fields.colour", "no case field 'colour'");

  Issue done = f.desk.act(test::office(), issue.code,
                          f.outcome({{"outcome", "Partly upheld"},
                                     {"remedy", "Refund;Apology"},
                                     {"compensation", "25.5"},
                                     {"learning", "Close gates."}}));
  CHECK(done.status == "Responded");
  CHECK(done.fields.at("outcome") == "Partly upheld");
  CHECK(done.fields.at("remedy") == "Apology;Refund");  // the declared order
  CHECK(done.fields.at("compensation") == "25.50");
  CHECK(f.desk.get(root, issue.code).fields == done.fields);
  auto entry = f.desk.timeline(root, issue.code).back();
  REQUIRE(entry.change("field.outcome") != nullptr);
  CHECK(entry.change("field.outcome")->before == "");
  CHECK(entry.change("field.outcome")->after == "Partly upheld");
  CHECK(entry.change("field.compensation")->after == "25.50");
}

TEST_CASE_TEMPLATE("an edit sets and clears case fields with before and after; lists filter on them", B,
                   TEST_BACKENDS) {
  FieldsFixture<B> f;
  Issue a = f.report();
  Issue b = f.report();
  IssueEdit edit;
  edit.fields = {{"visits", "2"}, {"responded_on", "2026-01-09"}, {"vulnerable", "yes"}};
  Issue edited = f.desk.edit(test::office(), a.code, edit);
  CHECK(edited.fields.at("visits") == "2");
  CHECK(edited.fields.at("responded_on") == "2026-01-09");
  edit.fields = {{"visits", "2.5"}, {"vulnerable", ""}};
  edited = f.desk.edit(test::office(), a.code, edit);
  CHECK(edited.fields.at("visits") == "2.5");
  CHECK_FALSE(edited.fields.count("vulnerable"));
  auto entry = f.desk.timeline(root, a.code).back();
  CHECK(entry.change("field.visits")->before == "2");
  CHECK(entry.change("field.visits")->after == "2.5");
  CHECK(entry.change("field.vulnerable")->before == "yes");
  CHECK(entry.change("field.vulnerable")->after == "");

  std::string before = f.desk.dump();
  for (auto [name, value, where] : {std::tuple{"visits", "many", "fields.visits"},
                                    std::tuple{"visits", "-1", "fields.visits"},
                                    std::tuple{"responded_on", "2026-02-30", "fields.responded_on"},
                                    std::tuple{"vulnerable", "true", "fields.vulnerable"}}) {
    IssueEdit bad;
    bad.fields = {{name, value}};
    CHECK(expect_error(Errc::invalid_input, [&] { f.desk.edit(test::office(), a.code, bad); }).where() == where);
  }
  CHECK(f.desk.dump() == before);

  IssueFilter filter;
  filter.fields = {{"visits", "2.5"}};
  auto found = f.desk.list(root, filter);
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == a.code);
  filter.fields = {{"visits", ""}};  // without a value
  found = f.desk.list(root, filter);
  REQUIRE(found.size() == 1);
  CHECK(found[0].code == b.code);
  filter.fields = {{"Visits", "1"}};
  CHECK(expect_error(Errc::invalid_input, [&] { f.desk.list(root, filter); }).where() == "fields");
  filter.fields = {{"visits", "2.5"}};
  CHECK(expect_error(Errc::forbidden, [&] { f.desk.list(test::customer(), filter); }).where() == "fields");
}

TEST_CASE_TEMPLATE("customers see no case fields; messages use them as merge tags", B, TEST_BACKENDS) {
  FieldsFixture<B> f;
  Issue issue = f.report();
  f.desk.act(test::office(), issue.code, f.outcome({{"outcome", "Upheld"}, {"compensation", "40"}}));
  CHECK(f.desk.get(test::customer(), issue.code).fields.empty());
  for (const auto &listed : f.desk.list(test::customer(), IssueFilter{})) CHECK(listed.fields.empty());
  for (const auto &e : f.desk.timeline(test::customer(), issue.code))
    for (const auto &c : e.changes) CHECK(c.field.rfind("field.", 0) == std::string::npos);

  f.desk.save_template(root, MessageTemplate{"outcome_letter", "Outcome", "Your complaint {{complaint_number}}",
                                             "<p>Outcome: {{fields.outcome}}; we will pay £{{fields.compensation}}."
                                             "{{#fields.learning}} {{fields.learning}}{{/fields.learning}}</p>",
                                             "Outcome: {{fields.outcome}}; we will pay £{{fields.compensation}}."});
  auto preview = f.desk.preview_message(test::office(), issue.code, "outcome_letter");
  REQUIRE(preview.size() == 1);
  CHECK(preview[0].body_text.find("Outcome: Upheld; we will pay £40.00.") != std::string::npos);
}

TEST_CASE("bad case fields are refused at their paths, every problem at once") {
  json wf = fields_workflow();
  wf["fields"] = json::parse(R"([
    {"name": "Outcome", "type": "text"},
    {"name": "outcome", "type": "choice"},
    {"name": "outcome", "type": "text", "choices": ["a"]},
    {"name": "amount", "type": "money"},
    {"name": "count", "type": "number", "min": 5, "max": 1, "currency": "GBP"},
    {"name": "flag", "type": "boolean"},
    {"name": "picks", "type": "multi_choice", "choices": ["a;b", "c", "c"]},
    {"name": "note", "type": "date", "max_length": 5}
  ])");
  wf["actions"][0]["fields"] = json::array({"outcome", "missing", "outcome"});
  wf["actions"][0]["required_fields"] = json::array({"nowhere"});
  std::vector<WorkflowProblem> problems;
  try {
    Workflow::from_json(wf.dump());
    FAIL("the fields were accepted");
  } catch (const InvalidWorkflow &e) {
    problems = e.problems();
  }
  std::string all;
  for (const auto &p : problems) all += p.path + ": " + p.message + "\n";
  auto has = [&](const std::string &path, const std::string &text) {
    for (const auto &p : problems)
      if (p.path == path && p.message.find(text) != std::string::npos) return true;
    return false;
  };
  CHECK_MESSAGE(has("$.fields[0].name", "lower-case letters"), all);
  CHECK_MESSAGE(has("$.fields[1].choices", "needs its choices"), all);
  CHECK_MESSAGE(has("$.fields[2].name", "duplicate case field 'outcome'"), all);
  CHECK_MESSAGE(has("$.fields[2].choices", "only a choice or multi_choice"), all);
  CHECK_MESSAGE(has("$.fields[3].currency", "needs its currency"), all);
  CHECK_MESSAGE(has("$.fields[4].max", "is below min"), all);
  CHECK_MESSAGE(has("$.fields[4].currency", "only a money field"), all);
  CHECK_MESSAGE(has("$.fields[5].type", "unknown field type 'boolean'"), all);
  CHECK_MESSAGE(has("$.fields[6].choices[0]", "';'"), all);
  CHECK_MESSAGE(has("$.fields[6].choices[2]", "listed twice"), all);
  CHECK_MESSAGE(has("$.fields[7].max_length", "only a text field"), all);
  CHECK_MESSAGE(has("$.actions[0].fields[1]", "unknown case field 'missing'"), all);
  CHECK_MESSAGE(has("$.actions[0].fields[2]", "listed twice"), all);
  CHECK_MESSAGE(has("$.actions[0].required_fields[0]", "unknown case field 'nowhere'"), all);
  // A good one reads back as written.
  Workflow good = Workflow::from_json(fields_workflow().dump());
  CHECK(Workflow::from_json(good.to_json()) == good);
  CHECK(good.field("compensation")->currency == "GBP");
  CHECK(good.field("nothing") == nullptr);
}
