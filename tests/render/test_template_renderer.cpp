// The Mustache template engine beyond the spec: strict mode, single-brace
// delimiters, escaping of hostile values, layouts through inheritance, error
// positions, limits, tag listing and the value type.
#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "complaints/template_renderer.hpp"

using complaints::Errc;
using complaints::Partials;
using complaints::TagReference;
using complaints::Template;
using complaints::TemplateError;
using complaints::TemplateOptions;
using complaints::TemplateValue;

namespace {

std::string render(std::string_view source, const TemplateValue &context,
                   const TemplateOptions &options = {}, const Partials *partials = nullptr) {
  return Template::compile(source, options).render(context, partials);
}

// The error compiling `source` throws; fails the test when it compiles.
TemplateError compile_error(std::string_view source, const TemplateOptions &options = {}) {
  try {
    Template::compile(source, options);
  } catch (const TemplateError &e) {
    return e;
  }
  FAIL("template compiled: " << source);
  return TemplateError("", 0, 0);
}

TemplateOptions strict() {
  TemplateOptions o;
  o.strict = true;
  return o;
}

TemplateOptions single_brace() {
  TemplateOptions o;
  o.open_delimiter = "{";
  o.close_delimiter = "}";
  return o;
}

TemplateValue customer() {
  return TemplateValue::object({
      {"customer", TemplateValue::object({{"first_name", "Ann"}, {"last_name", "Lee"}})},
      {"reference", "C-1042"},
      {"items", TemplateValue::list({TemplateValue::object({{"name", "Kettle"}, {"qty", 1}}),
                                     TemplateValue::object({{"name", "Mug"}, {"qty", 4}})})},
      {"refund", 12.5},
      {"escalated", false},
      {"note", nullptr},
  });
}

}  // namespace

TEST_CASE("a compiled template renders many times against different contexts") {
  Template t = Template::compile("Dear {{customer.first_name}}, case {{reference}}.");
  CHECK(t.render(customer()) == "Dear Ann, case C-1042.");
  CHECK(t.render(TemplateValue::object({{"reference", "X"}})) == "Dear , case X.");
  CHECK(t.render(customer()) == "Dear Ann, case C-1042.");
}

TEST_CASE("sections iterate lists, test truthiness and invert") {
  const char *src =
      "{{#items}}- {{qty}} x {{name}}\n{{/items}}"
      "{{^escalated}}not escalated{{/escalated}}|{{#refund}}refund {{refund}}{{/refund}}"
      "|{{#note}}never{{/note}}{{^missing}}!{{/missing}}";
  CHECK(render(src, customer()) == "- 1 x Kettle\n- 4 x Mug\nnot escalated|refund 12.5|!");
}

TEST_CASE("empty strings, zero and empty lists are falsy; empty objects are truthy") {
  auto ctx = TemplateValue::object({{"s", ""},
                                    {"zero", 0},
                                    {"zero_d", 0.0},
                                    {"list", TemplateValue::list({})},
                                    {"obj", TemplateValue::object({})}});
  CHECK(render("{{#s}}s{{/s}}{{#zero}}z{{/zero}}{{#zero_d}}d{{/zero_d}}{{#list}}l{{/list}}"
               "{{#obj}}o{{/obj}}",
               ctx) == "o");
}

TEST_CASE("hostile values are HTML-escaped unless the tag is raw") {
  auto ctx = TemplateValue::object({{"x", "<script>alert(\"x\")</script> & 'q'"}});
  CHECK(render("{{x}}", ctx) ==
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;");
  CHECK(render("{{{x}}}", ctx) == "<script>alert(\"x\")</script> & 'q'");
  CHECK(render("{{&x}}", ctx) == "<script>alert(\"x\")</script> & 'q'");
  // Inside an attribute the quotes cannot break out.
  CHECK(render("<a title=\"{{x}}\" data-x='{{x}}'>", ctx).find_first_of("\"'", 10) ==
        render("<a title=\"{{x}}\" data-x='{{x}}'>", ctx).find("\" data-x="));

  TemplateOptions plain;
  plain.escape_html = false;
  CHECK(render("{{x}}", ctx, plain) == "<script>alert(\"x\")</script> & 'q'");
}

TEST_CASE("values in a list and from a partial are escaped too") {
  Partials partials;
  partials.add("item", "<li>{{.}}</li>");
  auto ctx = TemplateValue::object({{"items", TemplateValue::list({"<b>", "a&b"})}});
  CHECK(render("{{#items}}{{>item}}{{/items}}", ctx, {}, &partials) ==
        "<li>&lt;b&gt;</li><li>a&amp;b</li>");
}

TEST_CASE("numbers and booleans interpolate plainly") {
  auto ctx = TemplateValue::object({{"i", -42},
                                    {"big", std::uint64_t(18446744073709551615ull)},
                                    {"d", 0.1},
                                    {"whole", 3.0},
                                    {"t", true},
                                    {"f", false}});
  CHECK(render("{{i}} {{d}} {{whole}} {{t}} {{f}}", ctx) == "-42 0.1 3 true false");
  CHECK(render("{{big}}", ctx) == "18446744073709551616");  // as a double
}

TEST_CASE("single-brace delimiters work for tags written for other systems") {
  TemplateOptions o = single_brace();
  CHECK(render("Hi {customer.first_name}, ref {reference}", customer(), o) == "Hi Ann, ref C-1042");
  CHECK(render("{#items}[{name}]{/items}{^escalated} calm{/escalated}", customer(), o) ==
        "[Kettle][Mug] calm");
  auto ctx = TemplateValue::object({{"x", "<i>"}});
  CHECK(render("{x}{{x}}{&x}", ctx, o) == "&lt;i&gt;<i><i>");
  CHECK(render("{! a comment }a{=<% %>=}{<%x%>}<%={ }=%>{x}", ctx, o) == "a{&lt;i&gt;}&lt;i&gt;");

  Partials partials;
  partials.add("footer", "-- {team}", o);
  CHECK(render("{#items}\n  {>footer}\n{/items}\n",
               TemplateValue::object({{"items", TemplateValue::list({1, 2})}, {"team", "Care"}}), o,
               &partials) == "  -- Care  -- Care");
}

TEST_CASE("a literal brace in single-brace mode is a parse error naming its position") {
  TemplateError e = compile_error("body {\n  color: red;\n}", single_brace());
  CHECK(e.line() == 1);
  CHECK(e.column() == 6);
}

TEST_CASE("strict mode reports a missing tag with its name and line") {
  Template t =
      Template::compile("Dear {{customer.first_name}},\n\nYour case {{case_id}} is open.", [] {
        TemplateOptions o = strict();
        o.name = "ack_email";
        return o;
      }());
  CHECK(t.render(TemplateValue::object({{"customer", TemplateValue::object({{"first_name", "A"}})},
                                        {"case_id", 7}})) == "Dear A,\n\nYour case 7 is open.");
  try {
    t.render(customer());
    FAIL("no error for a missing tag");
  } catch (const TemplateError &e) {
    CHECK(e.tag() == "case_id");
    CHECK(e.line() == 3);
    CHECK(e.column() == 11);
    CHECK(e.template_name() == "ack_email");
    CHECK(e.code() == Errc::invalid_input);
    CHECK(std::string(e.what()) ==
          "template 'ack_email', line 3, column 11: missing tag 'case_id'");
  }
}

TEST_CASE("strict mode: broken dotted names, sections and partials are errors; null is not") {
  CHECK_THROWS_AS(render("{{customer.middle_name}}", customer(), strict()), TemplateError);
  CHECK_THROWS_AS(render("{{#vip}}x{{/vip}}", customer(), strict()), TemplateError);
  CHECK_THROWS_AS(render("{{^vip}}x{{/vip}}", customer(), strict()), TemplateError);
  CHECK_THROWS_AS(render("{{note.text}}", customer(), strict()), TemplateError);
  CHECK(render("[{{note}}]", customer(), strict()) == "[]");
  CHECK(render("{{#items}}{{name}}{{reference}}{{/items}}", customer(), strict()) ==
        "KettleC-1042MugC-1042");
  try {
    render("a\n  {{>signature}}", customer(), strict());
    FAIL("no error for a missing partial");
  } catch (const TemplateError &e) {
    CHECK(e.tag() == "signature");
    CHECK(e.line() == 2);
    CHECK(std::string(e.what()).find("missing partial 'signature'") != std::string::npos);
  }
  // Without strict mode the same misses render empty.
  CHECK(render("[{{customer.middle_name}}{{>signature}}]", customer()) == "[]");
}

TEST_CASE("parse errors say what and where") {
  struct Case {
    const char *source;
    int line;
    int column;
    const char *what;
  } cases[] = {
      {"Hello\n\n  {{#x}}\n      {{#items}}\n{{/x}}", 5, 1,
       "closing tag 'x' does not match open section 'items' (line 4)"},
      {"a\nb\n      {{#items}}\n", 3, 7, "unclosed section 'items'"},
      {"a {{name", 1, 3, "unclosed tag"},
      {"{{{name}}", 1, 1, "unclosed tag"},
      {"x\n{{/items}}", 2, 1, "closing tag 'items' without an open section"},
      {"{{}}", 1, 1, "empty tag name"},
      {"{{#}}{{/}}", 1, 1, "empty tag name"},
      {"{{first name}}", 1, 1, "invalid tag name 'first name'"},
      {"{{a..b}}", 1, 1, "invalid tag name 'a..b'"},
      {"{{=<% %>}}", 1, 1, "unclosed set-delimiter tag"},
      {"{{=<%=}}", 1, 1, "invalid set-delimiter tag"},
      {"ab\n{{=<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<< >>=}}", 2, 1, "invalid set-delimiter tag"},
      {"{{<layout}}{{$body}}x{{/layout}}", 1, 22, "closing tag 'layout' does not match"},
      {"é\u00e9{{x", 1, 3, "unclosed tag"},
  };
  for (const Case &c : cases) {
    CAPTURE(c.source);
    TemplateError e = compile_error(c.source);
    CHECK(e.line() == c.line);
    CHECK(e.column() == c.column);
    CHECK(std::string(e.message()).find(c.what) == 0);
    CHECK(e.code() == Errc::invalid_input);
  }
  TemplateError e = compile_error("a\nb\n      {{#items}}\n");
  CHECK(std::string(e.what()) == "line 3, column 7: unclosed section 'items'");
  CHECK(e.tag() == "items");
  CHECK(e.where() == "line 3, column 7");
}

TEST_CASE("large templates compile and render in linear time") {
  std::string src;
  for (int i = 0; i < 20000; ++i) {
    src += "line {{a}} {{#s}}x{{/s}}\n  {{! standalone }}\n    {{>p}}\n{{^s}}\n-\n{{/s}}\n";
  }
  src += std::string(1 << 20, ' ') + "{{#s}}" + std::string(1 << 20, ' ') + "{{/s}}";
  Template t = Template::compile(src);
  Partials partials;
  partials.add("p", "{{a}}\n");
  std::string out = t.render(TemplateValue::object({{"a", "A"}, {"s", true}}), &partials);
  CHECK(out.size() == 20000 * std::string("line A x\n    A\n").size() + (2u << 20));
}

TEST_CASE("invalid options are rejected") {
  TemplateOptions o;
  o.open_delimiter = "";
  CHECK_THROWS_AS(Template::compile("x", o), complaints::InvalidInput);
  o.open_delimiter = "{ {";
  CHECK_THROWS_AS(Template::compile("x", o), complaints::InvalidInput);
  o = {};
  o.max_depth = 0;
  CHECK_THROWS_AS(Template::compile("x", o), complaints::InvalidInput);
}

TEST_CASE("a branded base layout is extended by each email through inheritance") {
  Partials partials;
  partials.add("layout",
               "<html>\n"
               "<head><title>{{$title}}Acme Care{{/title}}</title></head>\n"
               "<body>\n"
               "  {{>header}}\n"
               "  <main>\n"
               "    {{$body}}\n"
               "    <p>No content.</p>\n"
               "    {{/body}}\n"
               "  </main>\n"
               "  {{$footer}}<p>Acme Ltd</p>{{/footer}}\n"
               "</body>\n"
               "</html>\n");
  partials.add("header", "<header>\n  <img alt=\"{{brand}}\">\n</header>\n");
  Template email = Template::compile(
      "{{<layout}}\n"
      "{{$title}}Your refund for case {{reference}}{{/title}}\n"
      "{{$body}}\n"
      "<p>Dear {{customer.first_name}},</p>\n"
      "<ul>\n"
      "{{#items}}\n"
      "  <li>{{name}}</li>\n"
      "{{/items}}\n"
      "</ul>\n"
      "{{/body}}\n"
      "{{/layout}}\n");
  TemplateValue ctx = customer();
  ctx.set("brand", "Acme & Co");
  CHECK(email.render(ctx, &partials) ==
        "<html>\n"
        "<head><title>Your refund for case C-1042</title></head>\n"
        "<body>\n"
        "  <header>\n"
        "    <img alt=\"Acme &amp; Co\">\n"
        "  </header>\n"
        "  <main>\n"
        "    <p>Dear Ann,</p>\n"
        "    <ul>\n"
        "      <li>Kettle</li>\n"
        "      <li>Mug</li>\n"
        "    </ul>\n"
        "  </main>\n"
        "  <p>Acme Ltd</p>\n"
        "</body>\n"
        "</html>\n");
  // The layout alone renders its defaults.
  CHECK(Template::compile("{{<layout}}{{/layout}}")
            .render(ctx, &partials)
            .find("<p>No content.</p>") != std::string::npos);
}

TEST_CASE("inheritance goes several levels; the most derived override wins") {
  Partials partials;
  partials.add("base", "[{{$greeting}}Hello{{/greeting}} {{$name}}you{{/name}}]");
  partials.add("polite", "{{<base}}{{$greeting}}Good day{{/greeting}}{{/base}}");
  CHECK(render("{{<polite}}{{$name}}{{who}}{{/name}}{{/polite}}",
               TemplateValue::object({{"who", "Ann"}}), {}, &partials) == "[Good day Ann]");
  CHECK(render("{{<polite}}{{$greeting}}Hi{{/greeting}}{{/polite}}", TemplateValue(), {},
               &partials) == "[Hi you]");
}

TEST_CASE("partials are indented when standalone and may be named dynamically") {
  Partials partials;
  partials.add("sig", "Regards,\n{{agent}}\n");
  partials.add("note_refund", "Refund: {{amount}}");
  auto ctx = TemplateValue::object({{"agent", "Bo"}, {"kind", "note_refund"}, {"amount", 5}});
  CHECK(render("<pre>\n    {{>sig}}\n</pre>", ctx, {}, &partials) ==
        "<pre>\n    Regards,\n    Bo\n</pre>");
  CHECK(render("{{>*kind}}", ctx, {}, &partials) == "Refund: 5");
  Template compiled = Template::compile("<{{agent}}>");
  partials.add("compiled", compiled);
  CHECK(render("{{>compiled}}", ctx, {}, &partials) == "<Bo>");
  CHECK(partials.find("compiled") != nullptr);
  CHECK(partials.find("nope") == nullptr);
}

TEST_CASE("recursive partials are stopped by the depth limit") {
  Partials partials;
  partials.add("loop", "x{{>loop}}");
  try {
    render("{{>loop}}", TemplateValue(), {}, &partials);
    FAIL("no error for endless recursion");
  } catch (const TemplateError &e) {
    CHECK(std::string(e.what()).find("nesting deeper than 100") != std::string::npos);
    CHECK(e.template_name() == "loop");
  }
  // Recursion that ends on the data is fine.
  partials.add("node", "{{name}}({{#kids}}{{>node}}{{/kids}})");
  auto tree = TemplateValue::object(
      {{"name", "a"},
       {"kids", TemplateValue::list(
                    {TemplateValue::object({{"name", "b"}, {"kids", TemplateValue::list({})}})})}});
  CHECK(render("{{>node}}", tree, {}, &partials) == "a(b())");
  // A self-including parent is stopped too.
  partials.add("again", "{{<again}}{{/again}}");
  CHECK_THROWS_AS(render("{{>again}}", TemplateValue(), {}, &partials), TemplateError);
}

TEST_CASE("deep nesting is a clean error at compile and render time") {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "{{#a}}";
  TemplateError e = compile_error(deep);
  CHECK(std::string(e.message()).find("sections nested deeper than 100") == 0);
  CHECK(e.column() == 601);

  TemplateOptions shallow;
  shallow.max_depth = 3;
  CHECK_NOTHROW(Template::compile("{{#a}}{{#b}}{{#c}}{{/c}}{{/b}}{{/a}}", shallow));
  CHECK_THROWS_AS(Template::compile("{{#a}}{{#b}}{{#c}}{{#d}}{{/d}}{{/c}}{{/b}}{{/a}}", shallow),
                  TemplateError);
}

TEST_CASE("work that grows exponentially is stopped by the step limit") {
  // 40 nested sections over a two-item list: 2^40 iterations, little nesting.
  std::string src;
  for (int i = 0; i < 40; ++i) src += "{{#l}}";
  for (int i = 0; i < 40; ++i) src += "{{/l}}";
  auto ctx = TemplateValue::object({{"l", TemplateValue::list({1, 2})}});
  TemplateOptions o;
  o.max_render_steps = 100000;
  try {
    render(src, ctx, o);
    FAIL("no error");
  } catch (const TemplateError &e) {
    CHECK(std::string(e.what()).find("more than 100000 steps") != std::string::npos);
  }
}

TEST_CASE("tag_names lists the context names a template reads") {
  Template t = Template::compile(
      "{{! not a tag }}{{customer.first_name}} {{{raw}}} {{&amp}}\n"
      "{{#items}}{{name}} {{.}}{{/items}}{{^empty}}{{customer.first_name}}{{/empty}}\n"
      "{{>footer}}{{>*partial_name}}{{<layout}}{{$body}}{{inner}}{{/body}}{{/layout}}"
      "{{=<% %>=}}<%last%>");
  CHECK(t.tag_names() == std::vector<std::string>{"customer.first_name", "raw", "amp", "items",
                                                  "name", "empty", "partial_name", "inner",
                                                  "last"});
  auto refs = t.tag_references();
  REQUIRE(refs.size() == 10);
  CHECK(refs[0] == TagReference{"customer.first_name", 1, 17});
  CHECK(refs[3] == TagReference{"items", 2, 1});
  CHECK(refs[6] == TagReference{"customer.first_name", 2, 45});
  CHECK(Template().tag_names().empty());
}

TEST_CASE("lambdas: interpolation renders the result, sections get the raw text") {
  auto ctx = TemplateValue::object({
      {"name", "Ann"},
      {"greet", TemplateValue::lambda([] { return std::string("Hi {{name}} <3"); })},
      {"bold", TemplateValue::lambda(
                   [](std::string_view text) { return "<b>" + std::string(text) + "</b>"; })},
  });
  CHECK(render("{{greet}}|{{{greet}}}", ctx) == "Hi Ann &lt;3|Hi Ann <3");
  CHECK(render("{{#bold}}{{name}}{{/bold}}", ctx) == "<b>Ann</b>");
  CHECK(render("{{^bold}}never{{/bold}}", ctx) == "");
}

TEST_CASE("a throwing lambda propagates and leaves the output as it was") {
  auto ctx = TemplateValue::object({
      {"boom", TemplateValue::lambda([]() -> std::string { throw std::runtime_error("boom"); })},
      {"ok", "fine"},
  });
  Template t = Template::compile("start {{ok}} {{#boom}}{{ok}}{{/boom}} end");
  std::string out = "kept|";
  CHECK_THROWS_WITH_AS(t.render_to(out, ctx), "boom", std::runtime_error);
  CHECK(out == "kept|");
  // The template is unharmed.
  CHECK(t.render(TemplateValue::object({{"ok", "x"}, {"boom", true}})) == "start x x end");
}

TEST_CASE("a lambda result that does not compile is a TemplateError") {
  auto ctx = TemplateValue::object(
      {{"bad", TemplateValue::lambda([] { return std::string("{{#open}}"); })}});
  CHECK_THROWS_AS(render("{{bad}}", ctx), TemplateError);
}

TEST_CASE("render_to appends to a reused buffer") {
  Template t = Template::compile("<{{reference}}>");
  std::string out;
  t.render_to(out, customer());
  t.render_to(out, customer());
  CHECK(out == "<C-1042><C-1042>");
}

TEST_CASE("bytes that are not UTF-8 and NUL bytes pass through") {
  std::string src("\xff\xfe{{x}}\0tail", 12);
  std::string value("\xc3\x28\0", 3);
  std::string expected = std::string("\xff\xfe") + value + std::string("\0tail", 5);
  CHECK(render(src, TemplateValue::object({{"x", value}})) == expected);
  // A NUL is not whitespace: it may even be part of a name.
  CHECK(render(std::string("{{#a\0b}}y{{/a\0b}}", 17),
               TemplateValue::object({{std::string_view("a\0b", 3), true}})) == "y");
}

TEST_CASE("a template renders from many threads at once") {
  Partials partials;
  partials.add("row", "<td>{{name}}</td>");
  Template t = Template::compile("{{#items}}{{>row}}{{/items}}{{customer.first_name}}");
  const TemplateValue ctx = customer();
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < 2000; ++k) {
        if (t.render(ctx, &partials) != "<td>Kettle</td><td>Mug</td>Ann") ++bad;
      }
    });
  }
  for (auto &th : threads) th.join();
  CHECK(bad == 0);
}

TEST_CASE("TemplateValue is a copy-on-write value") {
  TemplateValue a = TemplateValue::object({{"k", 1}, {"k", 2}, {"b", "x"}});
  CHECK(a.size() == 2);
  CHECK(a.find("k")->as_integer() == 2);  // the later duplicate wins
  TemplateValue b = a;
  b.set("k", 3);
  b.set("new", true);
  CHECK(a.find("k")->as_integer() == 2);
  CHECK(a.find("new") == nullptr);
  CHECK(b.find("k")->as_integer() == 3);
  CHECK(b.find("new")->as_bool());

  TemplateValue list;
  list.push_back("one");
  TemplateValue copy = list;
  copy.push_back(2);
  CHECK(list.size() == 1);
  CHECK(copy.size() == 2);
  CHECK(copy[1].as_integer() == 2);
  CHECK_THROWS_AS(list[5], complaints::InvalidInput);
  CHECK_THROWS_AS(TemplateValue("s").set("k", 1), complaints::InvalidInput);
  CHECK_THROWS_AS(TemplateValue(1).push_back(1), complaints::InvalidInput);
  CHECK(TemplateValue(static_cast<const char *>(nullptr)).is_null());
  CHECK(TemplateValue(std::string_view("sv")).as_string() == "sv");
  CHECK(TemplateValue(1.9).as_integer() == 1);
  CHECK(TemplateValue(7).as_double() == 7.0);
  CHECK(TemplateValue::lambda([](std::string_view t) { return std::string(t) + "!"; }).call("hi") ==
        "hi!");
  CHECK_THROWS_AS(TemplateValue(1).call(""), complaints::InvalidInput);
}

TEST_CASE("a default-constructed template renders nothing") {
  Template t;
  CHECK(t.render(customer()).empty());
  CHECK(t.name().empty());
}
