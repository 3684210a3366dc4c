// libFuzzer target for the Mustache engine: compiles the input as a template
// (default, single-brace and strict options), lists its tags, checks it
// statically (render/strict_check.hpp) and renders it
// against a small fixed context with partials, a layout for inheritance,
// lambdas, and the input itself as a partial (so recursion is reached).
//
// complaints::Error is the only exception the engine may throw for any input;
// anything else escaping, a crash or a sanitizer report is a finding.
//
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude
//       -Isrc fuzzers/template_fuzzer.cpp src/render/value.cpp src/render/compiler.cpp
//       src/render/renderer.cpp src/render/strict_check.cpp src/errors.cpp
//   ./a.out -max_total_time=300 corpus_dir fuzzers/corpus/template
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "complaints/template_renderer.hpp"
#include "render/strict_check.hpp"

namespace {

using complaints::Partials;
using complaints::Template;
using complaints::TemplateOptions;
using complaints::TemplateValue;

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
      {"obj", TemplateValue::object({{"x", "X"},
                                     {"nested", TemplateValue::object({{"deep", "D"}})},
                                     {"list", TemplateValue::list({})}})},
      {"lambda",
       TemplateValue::lambda([] { return std::string("{{a}}<{{#list}}{{.}}{{/list}}>"); })},
      {"section_lambda",
       TemplateValue::lambda([](std::string_view text) { return "(" + std::string(text) + ")"; })},
      {"twice", TemplateValue::lambda(
                    [](std::string_view text) { return std::string(text) + std::string(text); })},
  });
  return ctx;
}

// The shape of context() for the static check: its scalars, its list, its object.
const complaints::mustache::Shape &shape() {
  using complaints::mustache::Shape;
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

void exercise(std::string_view source, const TemplateOptions &options) {
  try {
    Template t = Template::compile(source, options);
    (void)t.tag_names();
    Partials partials = base_partials();
    partials.add("self", t);
    try {
      complaints::mustache::check_strict(t, shape(), &partials);  // any verdict, but no crash
    } catch (const complaints::Error &) {
    }
    std::string out = t.render(context(), &partials);
    // And as the parent of another template, overriding its blocks.
    Template child =
        Template::compile("{{<self}}{{$title}}C{{/title}}{{$body}}\n  D\n{{/body}}{{/self}}");
    child.render_to(out, context(), &partials);
  } catch (const complaints::Error &) {
    // Malformed templates and exceeded limits are reported this way: fine.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  std::string_view source(reinterpret_cast<const char *>(data), size);
  TemplateOptions options;
  // Keep each run short: these still reach every limit the engine has.
  options.max_depth = 40;
  options.max_render_steps = 20000;
  exercise(source, options);

  TemplateOptions brace = options;
  brace.open_delimiter = "{";
  brace.close_delimiter = "}";
  exercise(source, brace);

  TemplateOptions strict = options;
  strict.strict = true;
  strict.escape_html = false;
  exercise(source, strict);
  return 0;
}
