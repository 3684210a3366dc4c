// libFuzzer target for the Mustache engine. The first byte chooses the
// options, the rest is the template:
//
//   bits 0-1  delimiters: {{ }}, single brace { }, <% %>, {% %}
//   bit 2     strict          bit 5  also render a child that extends it ({{<self}})
//   bit 3     no HTML escape  bit 6  the template is also the partial "self" (recursion)
//   bit 4     no partials     bit 7  tight limits (depth 8, 2,000 steps)
//
// It compiles the template, lists its tags, checks it statically
// (render/strict_check.hpp) and renders it against a fixed context with
// lambdas, partials (one with single braces) and a layout for inheritance.
//
// complaints::Error is the only exception the engine may throw for any input;
// anything else escaping, a crash or a sanitizer report is a finding. So are
// broken promises (invariants.hpp): a strict template the static check passes
// must render without a missing tag on any context of the checked shape, and
// render_to leaves its buffer as it found it when it throws.
//
//   scripts/fuzz.sh template 10
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "complaints/template_renderer.hpp"
#include "invariants.hpp"
#include "render/strict_check.hpp"

namespace {

using complaints::Partials;
using complaints::Template;
using complaints::TemplateError;
using complaints::TemplateOptions;
using complaints::TemplateValue;
using complaints::mustache::Shape;

const TemplateValue &context() {
  static const TemplateValue ctx = TemplateValue::object({
      {"a", "A<&>\"'"},
      {"b", 42},
      {"c", 1.5},
      {"t", true},
      {"f", false},
      {"n", nullptr},
      {"e", ""},
      {"name", "p"},
      {"self_name", "self"},
      {"list", TemplateValue::list({1, "two", TemplateValue::object({{"a", "inner"}})})},
      {"obj", TemplateValue::object(
                  {{"x", "X"}, {"nested", TemplateValue::object({{"deep", "D"}})}, {"list", TemplateValue::list({})}})},
      {"lambda", TemplateValue::lambda([] { return std::string("{{a}}<{{#list}}{{.}}{{/list}}>"); })},
      {"section_lambda", TemplateValue::lambda([](std::string_view text) { return "(" + std::string(text) + ")"; })},
      {"twice", TemplateValue::lambda([](std::string_view text) { return std::string(text) + std::string(text); })},
  });
  return ctx;
}

// The shape the static check is given: context()'s scalars, list and object.
const Shape &shape() {
  static const Shape s = [] {
    Shape root;
    for (const char *name : {"a", "b", "c", "t", "f", "n", "e", "name", "self_name"})
      root.members.push_back({name, Shape::Kind::scalar, {}});
    root.members.push_back({"list", Shape::Kind::list, {{"a", Shape::Kind::scalar, {}}}});
    root.members.push_back({"obj",
                            Shape::Kind::object,
                            {{"x", Shape::Kind::scalar, {}},
                             {"nested", Shape::Kind::object, {{"deep", Shape::Kind::scalar, {}}}},
                             {"list", Shape::Kind::list, {}}}});
    return root;
  }();
  return s;
}

// A context of exactly `s`'s shape: every scalar empty and every list empty,
// or every scalar set and every list of one item.
TemplateValue conforming(const Shape &s, bool full) {
  switch (s.kind) {
    case Shape::Kind::scalar:
      return full ? TemplateValue("x") : TemplateValue("");
    case Shape::Kind::list: {
      if (!full) return TemplateValue::list({});
      Shape item{"", Shape::Kind::object, s.members};
      return TemplateValue::list({conforming(item, true)});
    }
    case Shape::Kind::object:
      break;
  }
  std::vector<std::pair<std::string, TemplateValue>> members;
  for (const Shape &m : s.members) members.emplace_back(m.name, conforming(m, full));
  return TemplateValue::object(std::move(members));
}

Partials base_partials() {
  Partials p;
  p.add("p", "[{{a}}|{{#list}}{{.}}{{/list}}]\n");
  p.add("layout", "<{{$title}}T{{/title}}>\n  {{$body}}\n  B {{b}}\n  {{/body}}\n{{>p}}");
  p.add("brace", "{a}{#list}{.}{/list}", [] {
    TemplateOptions o;
    o.open_delimiter = "{";
    o.close_delimiter = "}";
    return o;
  }());
  return p;
}

TemplateOptions options_of(std::uint8_t bits) {
  static constexpr const char *delimiters[4][2] = {{"{{", "}}"}, {"{", "}"}, {"<%", "%>"}, {"{%", "%}"}};
  TemplateOptions o;
  o.open_delimiter = delimiters[bits & 3][0];
  o.close_delimiter = delimiters[bits & 3][1];
  o.strict = (bits & 4) != 0;
  o.escape_html = (bits & 8) == 0;
  // Keep each run short: these still reach every limit the engine has.
  bool tight = (bits & 128) != 0;
  o.max_depth = tight ? 8 : 40;
  o.max_render_steps = tight ? 2000 : 20000;
  return o;
}

// A strict template the static check passed renders every context of the
// checked shape without missing a tag or partial (the check's promise; SPEC
// R7.5: a template that saves is one that sends). Limits may still stop it.
void check_promise(const Template &t, const Partials *partials) {
  for (bool full : {false, true}) {
    try {
      (void)t.render(conforming(shape(), full), partials);
    } catch (const TemplateError &e) {
      if (!e.tag().empty())
        fuzz::finding("a strict template that passed the static check misses a tag when rendered", e.what());
    }
  }
}

void exercise(std::string_view source, std::uint8_t bits) {
  TemplateOptions options = options_of(bits);
  bool with_partials = (bits & 16) == 0, as_parent = (bits & 32) != 0, as_self = (bits & 64) != 0;
  try {
    Template t = Template::compile(source, options);
    (void)t.tag_names();
    (void)t.tag_references();
    Partials partials = with_partials ? base_partials() : Partials();
    if (as_self || as_parent) partials.add("self", t);
    const Partials *given = with_partials || as_self || as_parent ? &partials : nullptr;
    bool checked = false;
    try {
      complaints::mustache::check_strict(t, shape(), given);
      checked = true;
    } catch (const complaints::Error &e) {
      fuzz::check_error(e);
    }
    if (checked && options.strict) check_promise(t, given);

    std::string out = "kept";
    try {
      t.render_to(out, context(), given);
    } catch (const complaints::Error &e) {
      fuzz::check_error(e);
      if (out != "kept") fuzz::finding("render_to changed its buffer and then threw", e.what());
    }
    if (as_parent) {
      // As the parent of another template, overriding its blocks.
      TemplateOptions child_options;
      child_options.strict = options.strict;
      child_options.max_depth = options.max_depth;
      child_options.max_render_steps = options.max_render_steps;
      Template child =
          Template::compile("{{<self}}{{$title}}C{{/title}}{{$body}}\n  D\n{{/body}}{{/self}}", child_options);
      child.render_to(out, context(), &partials);
    }
  } catch (const complaints::Error &e) {
    // Malformed templates and exceeded limits are reported this way: fine.
    fuzz::check_error(e);
  } catch (const std::exception &e) {
    fuzz::finding("an exception that is not a complaints::Error escaped the template engine", e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  if (size == 0) return 0;
  exercise(std::string_view(reinterpret_cast<const char *>(data) + 1, size - 1), data[0]);
  return 0;
}
