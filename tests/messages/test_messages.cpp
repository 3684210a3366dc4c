// SPEC R7: built-in emails on a branded layout, merge tags, customisation
// checked at save time, acknowledgement modes, sending, and no internal
// content in anything a customer receives.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "support/faulty_storage.hpp"
#include "support/support.hpp"

using namespace complaints;
using test::expect_error;

namespace {

const std::vector<std::string> customer_templates = {"acknowledgement", "complaint_details", "final_resolution"};

template <typename F>
Issue setup(F &f, const std::string &customer_name = "Casey Smith") {
  f.desk.put_user(test::admin(), User{"cust-1", Role::customer, customer_name, {}});
  f.desk.put_user(test::admin(), User{"office-1", Role::office, "Olivia Reyes", {}});
  f.desk.put_user(test::admin(), User{"fw-1", Role::fieldworker, "Tariq Aziz", {}});
  MessageSettings s;
  s.branding.company_name = "Sparkle Cleaning";
  s.branding.email = "care@sparkle.example";
  s.discussion_url = "https://portal.sparkle.example/c/{code}";
  f.desk.set_message_settings(test::admin(), s);
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Unsatisfactory Job";
  r.description = "Oven not cleaned.";
  return f.desk.report(test::office(), r);
}

std::vector<OutboxItem> messages_in(const std::vector<OutboxItem> &items) {
  std::vector<OutboxItem> out;
  for (const auto &i : items)
    if (i.kind == OutboxKind::message) out.push_back(i);
  return out;
}

}  // namespace

TEST_CASE_TEMPLATE("the acknowledgement is queued with the report and logged on the timeline", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = setup(f);
  auto sent = messages_in(f.desk.outbox_pending(test::system_actor()));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].recipient == "cust-1");
  CHECK(sent[0].channel == DeliveryChannel::email);
  CHECK(sent[0].event == "message:acknowledgement");
  CHECK(sent[0].idempotency_key == "msg/" + i.code + "/1/cust-1/acknowledgement");
  CHECK(sent[0].subject == "We've received your complaint " + i.code);
  CHECK(sent[0].body_text.find("Dear Casey,") != std::string::npos);
  CHECK(sent[0].body_text.find("Olivia Reyes") != std::string::npos);
  CHECK(sent[0].body_text.find("https://portal.sparkle.example/c/" + i.code) != std::string::npos);
  CHECK(sent[0].body_html.find("<strong>" + i.code + "</strong>") != std::string::npos);
  auto first = f.desk.timeline(test::admin(), i.code).front();
  CHECK(first.change("message")->after == "acknowledgement to cust-1");
  // The customer sees on their timeline that it was sent.
  CHECK(f.desk.timeline(test::customer(), i.code).front().change("message"));
}

TEST_CASE_TEMPLATE("with previews on, nothing is queued until the host sends it; any template can be resent", B,
                   TEST_BACKENDS) {
  test::DeskFixture<B> f;
  MessageSettings s;
  s.acknowledgement = AcknowledgementMode::preview;
  f.desk.set_message_settings(test::admin(), s);
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Late Service";
  r.description = "Two hours late.";
  Issue i = f.desk.report(test::office(), r);
  CHECK(messages_in(f.desk.outbox_pending(test::system_actor())).empty());
  std::string dump = f.desk.dump();
  auto preview = f.desk.preview_message(test::office(), i.code, "acknowledgement");
  REQUIRE(preview.size() == 1);
  CHECK(preview[0].outbox_id == 0);
  CHECK(preview[0].body_text.find("Dear customer,") != std::string::npos);  // an unregistered customer
  CHECK(f.desk.dump() == dump);  // a preview writes nothing

  auto sent = f.desk.send_message(test::office(), i.code, "acknowledgement");
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].outbox_id > 0);
  CHECK(sent[0].subject == preview[0].subject);
  f.clock->advance(std::chrono::hours(1));
  f.desk.send_message(test::office(), i.code, "complaint_details");
  f.desk.send_message(test::office(), i.code, "acknowledgement");  // resent later
  auto queued = messages_in(f.desk.outbox_pending(test::system_actor()));
  REQUIRE(queued.size() == 3);
  CHECK(queued[0].idempotency_key != queued[2].idempotency_key);
  auto tl = f.desk.timeline(test::admin(), i.code);
  CHECK(tl.back().kind == "message");
  CHECK(tl.back().note == sent[0].subject);
  CHECK(f.desk.verify_timeline(test::admin(), i.code).ok);
  // To the fieldworkers instead, and the reminder.
  auto to_team = f.desk.send_message(test::office(), i.code, "complaint_details", Audience::fieldworkers);
  REQUIRE(to_team.size() == 1);
  CHECK(to_team[0].recipient == "fw-1");
  RenderedMessage reminder = f.desk.send_reminder(test::office(), "fw-1");
  CHECK(reminder.body_text.find(i.code) != std::string::npos);
  CHECK(reminder.subject == "Reminder: open complaints need your attention (1)");
  expect_error(Errc::forbidden, [&] { f.desk.send_message(test::customer(), i.code, "acknowledgement"); });
  expect_error(Errc::not_found, [&] { f.desk.send_message(test::office(), i.code, "no_such_template"); });
  s.acknowledgement = AcknowledgementMode::off;
  f.desk.set_message_settings(test::admin(), s);
  f.desk.report(test::office(), r);
  CHECK(messages_in(f.desk.outbox_pending(test::system_actor(), 1000)).size() == 5);
}

TEST_CASE_TEMPLATE("closing or approving sends the Final Complaint Resolution", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = setup(f);
  f.desk.outbox_ack(test::system_actor(), std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8});
  i = f.act(test::admin(), i, "close");
  auto sent = messages_in(f.desk.outbox_pending(test::system_actor()));
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].event == "message:final_resolution");
  CHECK(sent[0].subject == "Your complaint " + i.code + " is resolved");
  CHECK(f.desk.timeline(test::admin(), i.code).back().change("message")->after == "final_resolution to cust-1");
}

TEST_CASE_TEMPLATE("every built-in email extends the branded layout; customising the layout changes them all", B,
                   TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = setup(f);
  for (const auto &name : customer_templates) {
    CAPTURE(name);
    auto m = f.desk.preview_message(test::office(), i.code, name).front();
    CHECK(m.body_html.starts_with("<!DOCTYPE html>"));
    CHECK(m.body_html.find("Sparkle Cleaning</span>") != std::string::npos);
    CHECK(m.body_html.find("Please quote " + i.code) != std::string::npos);
    CHECK(m.body_text.find("\n--\nSparkle Cleaning") != std::string::npos);
    CHECK(f.desk.message_template(test::office(), name).builtin);
  }
  MessageTemplate layout = f.desk.message_template(test::admin(), "layout");
  layout.body_html = "<div class=\"brand\">{{company_name}}</div>{{$content}}{{/content}}<footer>{{$footer}}{{/footer}}</footer>";
  layout.body_text = "SPARKLE\n{{$content}}{{/content}}";
  f.desk.save_template(test::admin(), layout);
  for (const auto &name : customer_templates) {
    auto m = f.desk.preview_message(test::office(), i.code, name).front();
    CHECK(m.body_html.starts_with("<div class=\"brand\">Sparkle Cleaning</div>"));
    CHECK(m.body_text.starts_with("SPARKLE\n"));
  }
  f.desk.reset_template(test::admin(), "layout");
  CHECK(f.desk.preview_message(test::office(), i.code, "acknowledgement").front().body_html.starts_with("<!DOCTYPE"));
  CHECK(f.desk.template_names(test::office()) ==
        std::vector<std::string>{"acknowledgement", "complaint_details", "final_resolution", "layout",
                                 "open_complaints_reminder"});
}

TEST_CASE_TEMPLATE("hostile values are HTML-escaped in the HTML body", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = setup(f, "<script>alert(\"x\")</script> O'Brien");
  IssueEdit e;
  e.description = "Broke my \"best\" <b>vase</b> & the 'lamp'";
  f.desk.edit(test::office(), i.code, e);
  auto m = f.desk.preview_message(test::office(), i.code, "complaint_details").front();
  CHECK(m.body_html.find("<script>") == std::string::npos);
  CHECK(m.body_html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") != std::string::npos);
  CHECK(m.body_html.find("Broke my &quot;best&quot; &lt;b&gt;vase&lt;/b&gt; &amp; the &#39;lamp&#39;") !=
        std::string::npos);
  CHECK(m.body_text.find("Broke my \"best\" <b>vase</b> & the 'lamp'") != std::string::npos);  // plain text stays plain
  CHECK(m.subject.find('\n') == std::string::npos);
  // Branding cannot carry markup or script URLs either.
  MessageSettings s;
  s.branding.colour = "red;background:url(x)";
  CHECK(expect_error(Errc::invalid_input, [&] { f.desk.set_message_settings(test::admin(), s); }).where() ==
        "branding.colour");
  s = {};
  s.branding.website = "javascript:alert(1)";
  CHECK(expect_error(Errc::invalid_input, [&] { f.desk.set_message_settings(test::admin(), s); }).where() ==
        "branding.website");
  s = {};
  s.discussion_url = "ftp://x/{code}";
  CHECK(expect_error(Errc::invalid_input, [&] { f.desk.set_message_settings(test::admin(), s); }).where() ==
        "discussion_url");
}

TEST_CASE_TEMPLATE("no internal comment reaches any customer-facing message", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = setup(f);
  const std::string secret = "INTERNAL-7c1e: the tech was rude";
  f.desk.add_comment(test::office(), i.code, CommentRequest{"Public update: new parts ordered.", false, {}, {}});
  f.desk.add_comment(test::office(), i.code, CommentRequest{secret, true, {}, {}});
  f.desk.add_comment(test::fieldworker("fw-1"), i.code, CommentRequest{"Also " + secret, true, {}, {}});
  for (const auto &name : customer_templates) {
    CAPTURE(name);
    for (Audience a : {Audience::customer, Audience::fieldworkers})
      for (const auto &m : f.desk.preview_message(test::office(), i.code, name, a)) {
        CHECK(m.subject.find("INTERNAL-7c1e") == std::string::npos);
        CHECK(m.body_html.find("INTERNAL-7c1e") == std::string::npos);
        CHECK(m.body_text.find("INTERNAL-7c1e") == std::string::npos);
      }
    f.desk.send_message(test::office(), i.code, name);
  }
  auto details = f.desk.preview_message(test::office(), i.code, "complaint_details").front();
  CHECK(details.body_text.find("Public update: new parts ordered.") != std::string::npos);
  CHECK(f.desk.preview_reminder(test::office(), "fw-1").body_text.find("INTERNAL") == std::string::npos);
  i = f.act(test::admin(), i, "close");
  for (const auto &item : f.desk.outbox_pending(test::system_actor(), 10000))
    if (item.recipient == "cust-1") {
      CHECK(item.body_text.find("INTERNAL-7c1e") == std::string::npos);
      CHECK(item.body_html.find("INTERNAL-7c1e") == std::string::npos);
    }
}

TEST_CASE_TEMPLATE("a template with a parse error or an unknown tag is refused with its position; the old one stays",
                   B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = setup(f);
  MessageTemplate ack = f.desk.message_template(test::admin(), "acknowledgement");
  std::string before = f.desk.preview_message(test::office(), i.code, "acknowledgement").front().body_text;
  std::string dump = f.desk.dump();

  MessageTemplate broken = ack;
  broken.body_text = "Dear {{customer_first_name}},\n\nYour {{#complaint_number}}complaint\n";
  auto e = expect_error(Errc::invalid_input, [&] { f.desk.save_template(test::admin(), broken); });
  CHECK(std::string(e.what()).find("acknowledgement.body_text") != std::string::npos);
  CHECK(std::string(e.what()).find("line 3") != std::string::npos);

  MessageTemplate unknown = ack;
  unknown.subject = "Hello {{customer_firstname}}";
  try {
    f.desk.save_template(test::admin(), unknown);
    FAIL("saved a template with an unknown tag");
  } catch (const TemplateError &err) {
    CHECK(err.tag() == "customer_firstname");
    CHECK(err.line() == 1);
    CHECK(err.column() == 7);
    CHECK(err.template_name() == "acknowledgement.subject");
    CHECK(std::string(err.what()).find("unknown merge tag") != std::string::npos);
  }
  MessageTemplate missing_partial = ack;
  missing_partial.body_html = "{{>signature}}";
  expect_error(Errc::invalid_input, [&] { f.desk.save_template(test::admin(), missing_partial); });
  MessageTemplate bad_name = ack;
  bad_name.name = "Acknowledgement!";
  CHECK(expect_error(Errc::invalid_input, [&] { f.desk.save_template(test::admin(), bad_name); }).where() == "name");
  expect_error(Errc::forbidden, [&] { f.desk.save_template(test::office(), ack); });

  CHECK(f.desk.dump() == dump);
  CHECK(f.desk.preview_message(test::office(), i.code, "acknowledgement").front().body_text == before);
}

TEST_CASE_TEMPLATE("customised and custom templates, single-brace ones included, are used at once", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = setup(f);
  MessageTemplate ack = f.desk.message_template(test::admin(), "acknowledgement");
  ack.subject = "Thanks {{customer_first_name}} - we're on it ({{complaint_number}})";
  CHECK_FALSE(f.desk.save_template(test::admin(), ack).builtin);
  CHECK(f.desk.preview_message(test::office(), i.code, "acknowledgement").front().subject ==
        "Thanks Casey - we're on it (" + i.code + ")");
  // A template brought from another system, in single braces.
  MessageTemplate imported{"survey", "Satisfaction survey", "How did we do, {customer_first_name}?",
                           "<p>Hi {customer_first_name}, rate us: {{discussion_link}}</p>",
                           "Hi {customer_first_name}, rate us: {discussion_link}", true, false};
  f.desk.save_template(test::admin(), imported);
  auto m = f.desk.preview_message(test::office(), i.code, "survey").front();
  CHECK(m.subject == "How did we do, Casey?");
  CHECK(m.body_text == "Hi Casey, rate us: https://portal.sparkle.example/c/" + i.code);
  CHECK(m.body_html == "<p>Hi Casey, rate us: https://portal.sparkle.example/c/" + i.code + "</p>");
  // A workflow may send it; it then cannot be removed from under the workflow.
  WorkflowDef def = Workflow::builtin("field-service").definition();
  def.name = "survey-after-close";
  for (auto &a : def.actions)
    if (a.name == "close") a.effects.push_back({"send_template", {{"template", "survey"}}});
  CHECK_THROWS_AS(Workflow::from_definition(def), InvalidWorkflow);  // unknown without the database's templates
  f.desk.install_workflow(test::admin(), Workflow::from_definition(def, ValidationContext{{"survey"}}));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Other";
  r.description = "Another one.";
  r.workflow = "survey-after-close";
  Issue s = f.desk.report(test::office(), r);
  f.act(test::admin(), s, "close");
  auto sent = messages_in(f.desk.outbox_pending(test::system_actor(), 1000));
  CHECK(sent.back().event == "message:survey");
  expect_error(Errc::invalid_state, [&] { f.desk.reset_template(test::admin(), "survey"); });
  f.desk.reset_template(test::admin(), "acknowledgement");
  CHECK(f.desk.message_template(test::office(), "acknowledgement").builtin);
  expect_error(Errc::not_found, [&] { f.desk.reset_template(test::admin(), "acknowledgement"); });
}

TEST_CASE_TEMPLATE("sending and saving are all-or-nothing for every failing write", B, TEST_BACKENDS) {
  B backend;
  auto inner = backend.open();
  auto clock = std::make_shared<ManualClock>(test::t0());
  std::string code;
  {
    Desk d(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
    d.put_record(test::office(), test::booking("B-1"));
    ReportRequest r;
    r.record = {RecordKind::booking, "B-1"};
    r.type = "Other";
    r.description = "x";
    code = d.report(test::office(), r).code;
  }
  auto each_failure = [&](const std::function<void(Desk &)> &op) {
    for (int n = 1;; ++n) {
      std::string before = inner->begin(TxnMode::read)->dump();
      try {
        Desk d(std::make_unique<test::FaultyStorage>(*inner, n), DeskOptions{clock});
        op(d);
      } catch (const StorageError &) {
        CHECK(inner->begin(TxnMode::read)->dump() == before);
        continue;
      }
      break;
    }
  };
  each_failure([&](Desk &d) { d.send_message(test::office(), code, "complaint_details"); });
  each_failure([&](Desk &d) {
    MessageTemplate t = d.message_template(test::admin(), "final_resolution");
    t.subject = "Closed: {{complaint_number}}";
    d.save_template(test::admin(), t);
  });
  each_failure([&](Desk &d) { d.send_reminder(test::office(), "fw-1"); });
}

namespace {

// The TemplateError saving `t` throws; fails the test when it saves.
template <typename F>
TemplateError refused(F &f, const MessageTemplate &t) {
  try {
    f.desk.save_template(test::admin(), t);
  } catch (const TemplateError &e) {
    return e;
  }
  FAIL("saved a template that can fail when sent: " << t.subject << " | " << t.body_html << " | " << t.body_text);
  return TemplateError("", 0, 0);
}

MessageTemplate custom(std::string body_text, std::string body_html = "<p>{{complaint_number}}</p>") {
  return MessageTemplate{"notice", "Notice", "About {{complaint_number}}", std::move(body_html), std::move(body_text),
                         false, false};
}

}  // namespace

TEST_CASE_TEMPLATE("a template that would miss a tag on some issue is refused at save time with its position", B,
                   TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = setup(f);
  std::string dump = f.desk.dump();
  // Behind a section over an optional value: "name" is a field of fieldworkers' items, not of the issue.
  TemplateError e = refused(f, custom("Hello\n  {{#deferred_date}}{{name}}{{/deferred_date}}"));
  CHECK(e.tag() == "name");
  CHECK(e.template_name() == "notice.body_text");
  CHECK(e.line() == 2);
  CHECK(e.column() == 21);
  CHECK(std::string(e.what()).find("fieldworkers") != std::string::npos);
  // Behind the branding fields, in the HTML body.
  e = refused(f, custom("x", "{{#company_logo_url}}<img alt=\"{{author}}\">{{/company_logo_url}}"));
  CHECK(e.tag() == "author");
  CHECK(e.template_name() == "notice.body_html");
  CHECK(e.column() == 32);
  // Behind an inverted section: no item is in scope where the list is empty.
  e = refused(f, custom("{{^public_comments}}{{body}}{{/public_comments}}"));
  CHECK(e.tag() == "body");
  // Inside a block that overrides the layout's content.
  MessageTemplate ack = f.desk.message_template(test::admin(), "acknowledgement");
  ack.body_text = "{{<layout}}\n{{$content}}\nDear {{customer_first_name}},\n{{#deferred_date}}On {{date}}.{{/deferred_date}}\n"
                  "{{/content}}\n{{/layout}}\n";
  e = refused(f, ack);
  CHECK(e.tag() == "date");
  CHECK(e.template_name() == "acknowledgement.body_text");
  CHECK(e.line() == 4);
  // A partial that only some issues reach: the subject has none, and no part has "signature".
  MessageTemplate subject = custom("x");
  subject.subject = "{{#deferred_date}}{{>layout}}{{/deferred_date}}Your complaint";
  e = refused(f, subject);
  CHECK(e.tag() == "layout");
  CHECK(e.template_name() == "notice.subject");
  e = refused(f, custom("{{#discussion_link}}{{>signature}}{{/discussion_link}}"));
  CHECK(e.tag() == "signature");
  // A layout that would include itself on some issues.
  MessageTemplate layout = f.desk.message_template(test::admin(), "layout");
  layout.body_text = "{{$content}}{{/content}}\n{{#deferred_date}}{{>layout}}{{/deferred_date}}";
  e = refused(f, layout);
  CHECK(e.template_name() == "layout.body_text");
  CHECK(e.line() == 2);
  // Single braces and changed delimiters are checked the same way.
  MessageTemplate brace = custom("Hi {customer_first_name}\n{#company_phone}{days_open}{/company_phone}");
  brace.single_brace = true;
  brace.body_html = "<p>{complaint_number}</p>";
  brace.subject = "About {complaint_number}";
  e = refused(f, brace);
  CHECK(e.tag() == "days_open");
  CHECK(e.line() == 2);
  e = refused(f, custom("{{=<% %>=}}<%#company_email%>\n<%complaint_number%> <%author%><%/company_email%>"));
  CHECK(e.tag() == "author");
  CHECK(e.line() == 2);
  CHECK(e.column() == 22);

  CHECK(f.desk.dump() == dump);
  CHECK(f.desk.preview_message(test::office(), i.code, "acknowledgement").front().body_text.find("Dear Casey") !=
        std::string::npos);
}

TEST_CASE_TEMPLATE("tags that every issue provides where they stand are accepted, and every built-in passes", B,
                   TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = setup(f);
  MessageTemplate ok = custom(
      "{{#fieldworkers}}{{name}} ({{complaint_number}}){{#public_comments}} {{name}}/{{author}}{{/public_comments}}"
      "{{/fieldworkers}}\n{{^fieldworkers}}nobody{{/fieldworkers}}{{#deferred_date}}{{.}} {{deferred_date}}"
      "{{/deferred_date}}\n{{#open_complaints}}{{complaint_number}}: {{days_open}} days{{/open_complaints}}\n"
      "{{#public_comments}}{{#body}}{{body}}{{/body}}{{/public_comments}}{{! {{name}} in a comment }}",
      "{{<layout}}{{$content}}{{#public_comments}}<p>{{author}}</p>{{/public_comments}}{{/content}}{{/layout}}");
  f.desk.save_template(test::admin(), ok);
  auto m = f.desk.preview_message(test::office(), i.code, "notice").front();
  CHECK(m.body_text.find("Tariq Aziz (" + i.code + ")") != std::string::npos);
  // Every built-in template, saved back as it is.
  for (const auto &name : f.desk.template_names(test::admin())) {
    CAPTURE(name);
    CHECK_NOTHROW(f.desk.save_template(test::admin(), f.desk.message_template(test::admin(), name)));
  }
}

TEST_CASE_TEMPLATE("a new layout is checked with every template in force, saved ones included", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  setup(f);
  // Its "extra" argument is unused by the built-in layout, so it is never expanded...
  MessageTemplate survey = custom("{{<layout}}{{$content}}Rate us.{{/content}}{{$extra}}{{$extra}}{{/extra}}{{/extra}}"
                                  "{{/layout}}");
  f.desk.save_template(test::admin(), survey);
  // ...until a layout has a block of that name: the override would then expand into itself.
  MessageTemplate layout = f.desk.message_template(test::admin(), "layout");
  layout.body_text = "{{$content}}{{/content}}\n{{$extra}}{{/extra}}";
  std::string dump = f.desk.dump();
  TemplateError e = refused(f, layout);
  CHECK(e.template_name() == "notice.body_text");
  CHECK(e.tag() == "extra");
  CHECK(f.desk.dump() == dump);
  layout.body_text = "{{$content}}{{/content}}\n-- {{company_name}}";
  CHECK_NOTHROW(f.desk.save_template(test::admin(), layout));
}

TEST_CASE_TEMPLATE("a template stored before the save-time check grew stricter still sends where it can", B,
                   TEST_BACKENDS) {
  B backend;
  auto storage = backend.open();
  {
    auto txn = storage->begin(TxnMode::write);
    txn->put_message_template(custom("Hello{{#deferred_date}} {{name}}{{/deferred_date}}"));
    txn->commit();
  }
  Desk desk(std::move(storage), DeskOptions{std::make_shared<ManualClock>(test::t0())});
  desk.put_record(test::office(), test::booking("B-1"));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Other";
  r.description = "x";
  Issue i = desk.report(test::office(), r);
  CHECK(desk.preview_message(test::office(), i.code, "notice").front().body_text == "Hello");
  // Saved again, it is checked like any other.
  expect_error(Errc::invalid_input,
               [&] { desk.save_template(test::admin(), desk.message_template(test::admin(), "notice")); });
}

TEST_CASE_TEMPLATE("an on_report acknowledgement while acknowledgements are automatic sends one message", B,
                   TEST_BACKENDS) {
  // Issue 11, item 5: both would queue msg/<code>/1/cust-1/acknowledgement,
  // and the outbox's unique key failed every report with a storage error.
  test::DeskFixture<B> f;
  REQUIRE(MessageSettings{}.acknowledgement == AcknowledgementMode::automatic);
  auto doc = nlohmann::json::parse(Workflow::builtin("field-service").to_json());
  doc["name"] = "acknowledging";
  doc["on_report"] = nlohmann::json::array(
      {{{"type", "send_template"}, {"template", "acknowledgement"}},
       {{"type", "send_template"}, {"template", "acknowledgement"}, {"to", "fieldworkers"}}});
  f.desk.install_workflow(test::admin(), doc.dump());
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1"}));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Late Service";
  r.description = "Two hours late.";
  r.workflow = "acknowledging";
  Issue i = f.desk.report(test::office(), r);
  std::vector<std::string> keys;
  for (const auto &m : messages_in(f.desk.outbox_pending(test::system_actor()))) keys.push_back(m.idempotency_key);
  std::sort(keys.begin(), keys.end());
  CHECK(keys == std::vector<std::string>{"msg/" + i.code + "/1/cust-1/acknowledgement",
                                         "msg/" + i.code + "/1/fw-1/acknowledgement"});
  // The second report on the same workflow goes through as well.
  CHECK_NOTHROW(f.desk.report(test::office(), r));
}
