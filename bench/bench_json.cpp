// Reading the JSON documents of the C API's hot paths, without storage: the
// library's reader (parse and check the document, then read the request)
// against nlohmann::json::parse of the same text alone (no checks, no
// request), same run.
//   RESULT json_read_report  library=<docs/s> baseline=<docs/s> ratio=<library/baseline>
//   RESULT json_read_act     library=<docs/s> baseline=<docs/s> ratio=<library/baseline>
//   RESULT json_read_pay_1000 library=<docs/s> baseline=<docs/s> ratio=<library/baseline>
#include <cstdio>
#include <cstring>
#include <string>

#include <nlohmann/json.hpp>

#include "harness.hpp"
#include "json/json.hpp"

using namespace complaints;
using bench::rate;
using bench::result;

namespace {

std::size_t sink = 0;

template <typename Read>
void compare(const char *name, const std::string &doc, int n, Read &&read) {
  double lib = 0, base = 0;
  for (int round = 0; round < 3; ++round) {
    base += rate(n, [&](int) { sink += nlohmann::json::parse(doc).size(); });
    lib += rate(n, [&](int) { sink += read(doc); });
  }
  result(name, lib / 3, base / 3);
}

}  // namespace

int main(int argc, char **argv) {
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int small = quick ? 20000 : 200000, large = quick ? 50 : 500;

  const std::string report =
      R"({"record":{"kind":"booking","id":"B-1042"},"type":"Damage Caused",)"
      R"("description":"The fieldworker scratched the kitchen bench while moving the oven.",)"
      R"("fieldworkers":["fw-1","fw-2"],"to_follow":false,"channel":"office"})";
  compare("json_read_report", report, small,
          [](const std::string &d) { return json::read_report(json::parse(d, "request_json")).type.size(); });

  const std::string act =
      R"({"action":"resolve","inputs":{"note":"Valve replaced, bench polished.","resolution":"Fixed"},)"
      R"("expected_version":3})";
  compare("json_read_act", act, small,
          [](const std::string &d) { return json::read_action(json::parse(d, "request_json")).inputs.size(); });

  std::string pay = "[";
  for (int i = 0; i < 1000; ++i)
    pay += (i ? "," : "") + std::string(R"({"record":{"kind":"booking","id":"B-)") + std::to_string(i) +
           R"("},"fieldworker":"fw-)" + std::to_string(i % 40) + "\"}";
  pay += "]";
  compare("json_read_pay_1000", pay, large, [](const std::string &d) {
    return json::read_pay_queries(json::parse_value(d, "queries_json")).size();
  });
  return sink == 42 ? 1 : 0;
}
