// Runs the official Mustache spec (shared/conformance/mustache-spec/*.json)
// against the template engine. The directory comes from the environment
// variable COMPLAINTS_MUSTACHE_SPEC_DIR, else from the compile definition of
// the same name; a missing directory fails the test.
//
// The lambdas in ~lambdas.json are code in other languages: here each test
// gets a C++ callable with the behaviour its name and description ask for.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "complaints/template_renderer.hpp"

namespace {

using complaints::Partials;
using complaints::Template;
using complaints::TemplateValue;
using nlohmann::json;

std::filesystem::path spec_dir() {
  if (const char *env = std::getenv("COMPLAINTS_MUSTACHE_SPEC_DIR"); env != nullptr && *env) {
    return env;
  }
#ifdef COMPLAINTS_MUSTACHE_SPEC_DIR
  return COMPLAINTS_MUSTACHE_SPEC_DIR;
#else
  return {};
#endif
}

// The C++ stand-in for the lambda of each ~lambdas.json test, made fresh per
// test so the counters start at zero.
TemplateValue lambda_for(const std::string &test) {
  if (test == "Interpolation") return TemplateValue::lambda([] { return std::string("world"); });
  if (test == "Interpolation - Expansion") {
    return TemplateValue::lambda([] { return std::string("{{planet}}"); });
  }
  if (test == "Interpolation - Alternate Delimiters") {
    return TemplateValue::lambda([] { return std::string("|planet| => {{planet}}"); });
  }
  if (test == "Interpolation - Multiple Calls") {
    auto calls = std::make_shared<int>(0);
    return TemplateValue::lambda([calls] { return std::to_string(++*calls); });
  }
  if (test == "Escaping") return TemplateValue::lambda([] { return std::string(">"); });
  if (test == "Section") {
    return TemplateValue::lambda(
        [](std::string_view text) { return std::string(text == "{{x}}" ? "yes" : "no"); });
  }
  if (test == "Section - Expansion") {
    return TemplateValue::lambda(
        [](std::string_view text) { return std::string(text) + "{{planet}}" + std::string(text); });
  }
  if (test == "Section - Alternate Delimiters") {
    return TemplateValue::lambda([](std::string_view text) {
      return std::string(text) + "{{planet}} => |planet|" + std::string(text);
    });
  }
  if (test == "Section - Multiple Calls") {
    return TemplateValue::lambda(
        [](std::string_view text) { return "__" + std::string(text) + "__"; });
  }
  if (test == "Inverted Section") {
    return TemplateValue::lambda([](std::string_view) { return std::string(); });
  }
  throw std::runtime_error("no C++ lambda for spec test '" + test + "'");
}

TemplateValue to_value(const json &j, const std::string &test) {
  switch (j.type()) {
    case json::value_t::null: return TemplateValue();
    case json::value_t::boolean: return TemplateValue(j.get<bool>());
    case json::value_t::number_integer: return TemplateValue(j.get<std::int64_t>());
    case json::value_t::number_unsigned: return TemplateValue(j.get<std::uint64_t>());
    case json::value_t::number_float: return TemplateValue(j.get<double>());
    case json::value_t::string: return TemplateValue(j.get<std::string>());
    case json::value_t::array: {
      std::vector<TemplateValue> items;
      for (const auto &item : j) items.push_back(to_value(item, test));
      return TemplateValue::list(std::move(items));
    }
    case json::value_t::object: {
      if (j.contains("__tag__") && j["__tag__"] == "code") return lambda_for(test);
      std::vector<std::pair<std::string, TemplateValue>> members;
      for (const auto &[key, value] : j.items()) members.emplace_back(key, to_value(value, test));
      return TemplateValue::object(std::move(members));
    }
    default: return TemplateValue();
  }
}

struct Outcome {
  bool passed = false;
  std::string detail;
};

Outcome run_one(const json &test) {
  const std::string name = test.at("name").get<std::string>();
  try {
    TemplateValue data = to_value(test.at("data"), name);
    Partials partials;
    if (test.contains("partials")) {
      for (const auto &[partial, source] : test["partials"].items()) {
        partials.add(partial, source.get<std::string>());
      }
    }
    Template tpl = Template::compile(test.at("template").get<std::string>());
    std::string got = tpl.render(data, &partials);
    std::string expected = test.at("expected").get<std::string>();
    if (got == expected) return {true, {}};
    return {false, "expected " + json(expected).dump() + ", got " + json(got).dump()};
  } catch (const std::exception &e) {
    return {false, std::string("threw: ") + e.what()};
  }
}

}  // namespace

TEST_CASE("every test of the official Mustache spec passes") {
  const std::filesystem::path dir = spec_dir();
  INFO("spec directory: '", dir.string(),
       "' (set COMPLAINTS_MUSTACHE_SPEC_DIR to shared/conformance/mustache-spec)");
  REQUIRE_MESSAGE(!dir.empty(), "no Mustache spec directory configured");
  REQUIRE_MESSAGE(std::filesystem::is_directory(dir), "Mustache spec directory is missing");

  std::vector<std::filesystem::path> files;
  for (const auto &entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE_MESSAGE(!files.empty(), "no *.json files in the Mustache spec directory");

  int total_tests = 0;
  for (const auto &file : files) {
    std::ifstream in(file);
    REQUIRE_MESSAGE(in.good(), "cannot read ", file.string());
    json spec = json::parse(in);
    const auto &tests = spec.at("tests");
    int passed = 0;
    for (const auto &test : tests) {
      Outcome outcome = run_one(test);
      if (outcome.passed) {
        ++passed;
      } else {
        FAIL_CHECK(file.filename().string()
                   << " / " << test.at("name").get<std::string>() << ": " << outcome.detail);
      }
    }
    total_tests += static_cast<int>(tests.size());
    std::cout << "mustache spec " << file.filename().string() << ": " << passed << "/"
              << tests.size() << "\n";
    CHECK(passed == static_cast<int>(tests.size()));
  }
  CHECK(total_tests > 0);
}
