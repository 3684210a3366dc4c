// The static check of strict templates (render/strict_check.hpp): every tag
// on every path, in the scopes the context's shape gives there, resolved the
// way the renderer resolves it; and what it accepts, the renderer renders for
// any data of that shape.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "render/strict_check.hpp"

using complaints::Partials;
using complaints::Template;
using complaints::TemplateError;
using complaints::TemplateOptions;
using complaints::TemplateValue;
using complaints::mustache::Shape;
using complaints::mustache::check_strict;

namespace {

Shape scalar(std::string name) { return {std::move(name), Shape::Kind::scalar, {}}; }

// {a, b, list: [{item, a}], obj: {c}}
Shape shape() {
  return {"",
          Shape::Kind::object,
          {scalar("a"), scalar("b"), {"list", Shape::Kind::list, {scalar("item"), scalar("a")}},
           {"obj", Shape::Kind::object, {scalar("c")}}}};
}

TemplateOptions strict(const char *name = "t") {
  TemplateOptions o;
  o.strict = true;
  o.name = name;
  return o;
}

Partials partials() {
  Partials p;
  p.add("p", "{{b}}{{#list}}{{item}}{{/list}}", strict("p"));
  p.add("item", "{{item}}", strict("item"));
  p.add("layout", "<{{$body}}default {{a}}{{/body}}>{{$tail}}{{/tail}}", strict("layout"));
  p.add("self", "{{#a}}{{>self}}{{/a}}", strict("self"));
  return p;
}

// The error checking `source` throws, or a TemplateError with line 0 when it passes.
TemplateError check(const std::string &source, const TemplateOptions &options = strict()) {
  Partials p = partials();
  try {
    check_strict(Template::compile(source, options), shape(), &p);
  } catch (const TemplateError &e) {
    return e;
  }
  return TemplateError("passed", 0, 0);
}

bool passes(const std::string &source, const TemplateOptions &options = strict()) {
  TemplateError e = check(source, options);
  if (e.line() != 0) MESSAGE(source << " -> " << std::string(e.what()));
  return e.line() == 0;
}

}  // namespace

TEST_CASE("a tag only a list's items have is refused outside their section and accepted inside") {
  CHECK(passes("{{#list}}{{item}} {{a}} {{b}}{{/list}}"));
  TemplateError e = check("x\n  {{item}}");
  CHECK(e.tag() == "item");
  CHECK(e.line() == 2);
  CHECK(e.column() == 3);
  CHECK(e.template_name() == "t");
  CHECK(std::string(e.what()).find("only the items of 'list'") != std::string::npos);
  CHECK(check("{{nowhere}}").tag() == "nowhere");
  CHECK(std::string(check("{{nowhere}}").what()).find("not in the data") != std::string::npos);
}

TEST_CASE("both sides of every section are checked, whatever the data") {
  // A section over a scalar adds no names; an inverted section none either.
  CHECK(check("{{#a}}{{item}}{{/a}}").tag() == "item");
  CHECK(check("{{^list}}{{item}}{{/list}}").tag() == "item");
  CHECK(check("{{#b}}{{^a}}{{#obj}}{{item}}{{/obj}}{{/a}}{{/b}}").tag() == "item");
  CHECK(passes("{{^a}}{{b}}{{/a}}{{#obj}}{{c}} {{a}}{{/obj}}"));
  // Nested lists: inner scopes first, then outward.
  CHECK(passes("{{#list}}{{#list}}{{item}}{{/list}}{{/list}}"));
  CHECK(check("{{#obj}}{{#a}}{{item}}{{/a}}{{/obj}}").tag() == "item");
}

TEST_CASE("dotted names resolve member by member, from the first scope that has the first part") {
  CHECK(passes("{{obj.c}}{{#list}}{{obj.c}}{{/list}}{{#obj.c}}{{a}}{{/obj.c}}"));
  CHECK(check("{{obj.d}}").tag() == "obj.d");
  CHECK(std::string(check("{{obj.d}}").what()).find("'obj' has no member 'd'") != std::string::npos);
  CHECK(check("{{a.length}}").tag() == "a.length");  // a scalar has no members
  CHECK(check("{{list.item}}").tag() == "list.item");  // nor does a list
}

TEST_CASE("the implicit iterator never misses, and a section over it keeps the scope") {
  CHECK(passes("{{.}}{{#a}}{{.}}{{/a}}{{#list}}{{.}}{{#.}}{{item}}{{/.}}{{/list}}"));
  CHECK(check("{{#a}}{{#.}}{{item}}{{/.}}{{/a}}").tag() == "item");
}

TEST_CASE("partials and parents are checked where they expand; missing and data-named ones are refused") {
  CHECK(passes("{{>p}}{{#list}}{{>item}}{{/list}}"));
  TemplateError e = check("{{>item}}");
  CHECK(e.tag() == "item");
  CHECK(e.template_name() == "item");  // the tag is in the partial
  CHECK(check("{{#a}}{{>nonesuch}}{{/a}}").tag() == "nonesuch");
  CHECK(std::string(check("{{#a}}{{>nonesuch}}{{/a}}").what()).find("missing partial") != std::string::npos);
  CHECK(check("{{<nonesuch}}{{/nonesuch}}").tag() == "nonesuch");
  CHECK(check("{{>*a}}").tag() == "a");
  CHECK(check("{{<*a}}{{/*a}}").tag() == "a");
  // With no partials at all (a subject), any partial is missing.
  TemplateError none("", 0, 0);
  try {
    check_strict(Template::compile("{{#a}}{{>p}}{{/a}}", strict()), shape(), nullptr);
  } catch (const TemplateError &err) {
    none = err;
  }
  CHECK(none.tag() == "p");
}

TEST_CASE("a block's override is checked where the block stands in the parent") {
  CHECK(passes("{{<layout}}{{$body}}{{b}}{{/body}}{{/layout}}"));
  TemplateError e = check("{{<layout}}\n{{$body}}\n{{#a}}{{item}}{{/a}}\n{{/body}}\n{{/layout}}");
  CHECK(e.tag() == "item");
  CHECK(e.line() == 3);
  CHECK(e.template_name() == "t");
  // An argument the parent never uses is never rendered.
  CHECK(passes("{{<layout}}{{$unused}}{{item}}{{/unused}}{{/layout}}"));
  // The default content counts when nothing overrides it, not when something does.
  Partials p = partials();
  p.add("layout2", "{{$body}}{{item}}{{/body}}", strict("layout2"));
  CHECK_NOTHROW(check_strict(Template::compile("{{<layout2}}{{$body}}{{a}}{{/body}}{{/layout2}}", strict()), shape(), &p));
  CHECK_THROWS_AS(check_strict(Template::compile("{{<layout2}}{{/layout2}}", strict()), shape(), &p), TemplateError);
}

TEST_CASE("a template that would expand into itself is refused, however deep in sections") {
  CHECK(check("{{>self}}").tag() == "self");
  CHECK(std::string(check("{{>self}}").what()).find("into itself") != std::string::npos);
  // An override that contains the block it overrides.
  CHECK(check("{{<layout}}{{$body}}{{#a}}{{$body}}{{/body}}{{/a}}{{/body}}{{/layout}}").tag() == "body");
  // A parent whose override includes the parent again.
  CHECK(check("{{<layout}}{{$body}}{{>layout}}{{/body}}{{/layout}}").tag() == "layout");
  // The same partial twice in a row is fine.
  CHECK(passes("{{>p}}{{>p}}{{#list}}{{>p}}{{/list}}"));
}

TEST_CASE("nesting deeper than the template's max_depth when rendered is refused") {
  TemplateOptions shallow = strict();
  shallow.max_depth = 3;
  CHECK(check("{{#a}}{{#b}}{{>item}}{{/b}}{{/a}}", shallow).tag() == "item");  // the tag, before the depth
  CHECK(passes("{{#a}}{{#b}}{{^a}}{{b}}{{/a}}{{/b}}{{/a}}", shallow));
  CHECK(std::string(check("{{#a}}{{#b}}{{>p}}{{/b}}{{/a}}", shallow).what()).find("nesting deeper") !=
        std::string::npos);
}

TEST_CASE("set-delimiter tags and single braces are checked like any other tags") {
  TemplateError e = check("{{=<% %>=}}<%#a%>\n<%b%> <%item%><%/a%>");
  CHECK(e.tag() == "item");
  CHECK(e.line() == 2);
  CHECK(e.column() == 7);
  TemplateOptions brace = strict();
  brace.open_delimiter = "{";
  brace.close_delimiter = "}";
  CHECK(check("{a}{#b}{item}{/b}", brace).tag() == "item");
  CHECK(passes("{a}{#list}{item}{/list}", brace));
}

TEST_CASE("a loose template cannot miss a tag, so only partials that recurse are refused") {
  TemplateOptions loose;
  loose.name = "loose";
  CHECK(passes("{{item}}{{#nowhere}}{{x}}{{/nowhere}}{{>nonesuch}}", loose));
  CHECK(check("{{>self}}", loose).tag() == "self");
}

namespace {

// A small random template over the shape's names (and some that miss).
class Generator {
 public:
  explicit Generator(std::uint32_t seed) : state_(seed) {}

  std::string operator()(int depth = 0) {
    std::string out;
    int n = 1 + static_cast<int>(next(4));
    for (int i = 0; i < n; ++i) {
      static const char *const tags[] = {"a", "b", "item", ".", "obj.c", "c", "list", "obj"};
      static const char *const sections[] = {"a", "b", "list", "obj", "obj.c", "."};
      switch (next(depth < 3 ? 7 : 3)) {
        case 0: out += "x"; break;
        case 1: out += std::string("{{") + tags[next(8)] + "}}"; break;
        case 2: out += next(2) ? "{{>p}}" : "{{>item}}"; break;
        case 3:
        case 4: {
          std::string name = sections[next(6)];
          out += "{{" + std::string(next(3) ? "#" : "^") + name + "}}" + (*this)(depth + 1) + "{{/" + name + "}}";
          break;
        }
        default:
          out += "{{<layout}}{{$body}}" + (*this)(depth + 1) + "{{/body}}{{/layout}}";
          break;
      }
    }
    return out;
  }

 private:
  std::uint32_t next(std::uint32_t bound) {
    state_ = state_ * 1664525u + 1013904223u;
    return (state_ >> 16) % bound;
  }
  std::uint32_t state_;
};

// Every context of the shape up to the truthiness of each value: a and b
// empty or not, the list empty or one item (whose values are empty or not),
// obj.c empty or not.
std::vector<TemplateValue> contexts() {
  std::vector<TemplateValue> out;
  for (int bits = 0; bits < 64; ++bits) {
    auto v = [&](int bit, const char *text) { return TemplateValue((bits >> bit) & 1 ? text : ""); };
    TemplateValue list = TemplateValue::list({});
    if ((bits >> 2) & 1) list.push_back(TemplateValue::object({{"item", v(3, "I")}, {"a", v(4, "A2")}}));
    out.push_back(TemplateValue::object(
        {{"a", v(0, "A")}, {"b", v(1, "B")}, {"list", list}, {"obj", TemplateValue::object({{"c", v(5, "C")}})}}));
  }
  return out;
}

}  // namespace

TEST_CASE("what the check accepts renders in strict mode against every context of the shape") {
  Generator generate(20260105);
  const auto all = contexts();
  const Partials p = partials();
  int accepted = 0, refused_and_seen = 0, refused = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string source = generate();
    CAPTURE(source);
    Template t = Template::compile(source, strict());
    bool ok = true;
    try {
      check_strict(t, shape(), &p);
    } catch (const TemplateError &) {
      ok = false;
    }
    bool fails_somewhere = false;
    for (const auto &context : all) {
      try {
        t.render(context, &p);
      } catch (const TemplateError &e) {
        fails_somewhere = true;
        if (ok) FAIL_CHECK("accepted, but rendering fails: " << std::string(e.what()));
        break;
      }
    }
    accepted += ok;
    refused += !ok;
    refused_and_seen += !ok && fails_somewhere;
  }
  // Both kinds occur, and a refusal is almost always one some context shows
  // (the rest take paths no data takes, such as {{#a}}{{^a}}...).
  MESSAGE(accepted << " accepted, " << refused << " refused, " << refused_and_seen << " of them failing on some context");
  CHECK(accepted > 300);
  CHECK(refused > 300);
  CHECK(refused_and_seen * 10 >= refused * 9);
}
