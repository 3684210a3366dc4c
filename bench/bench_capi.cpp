// The cost of the C API: report-issue and get-by-code through complaints.h
// (JSON in and out) against the C++ API, same store layout, same run.
//   RESULT capi_overhead_report library=<C ops/s> baseline=<C++ ops/s> ratio=<C/C++>
//   RESULT capi_overhead_get    library=<C ops/s> baseline=<C++ ops/s> ratio=<C/C++>
#include <cstdio>
#include <cstring>
#include <string>

#include <complaints.h>

#include "complaints/complaints.hpp"
#include "harness.hpp"

using namespace complaints;
using bench::rate;
using bench::result;
using bench::scratch;

namespace {

void must(int rc, complaints_desk *d) {
  if (rc != COMPLAINTS_OK) {
    std::fprintf(stderr, "C API: %s\n", complaints_desk_errmsg(d));
    std::exit(1);
  }
}

}  // namespace

int main(int argc, char **argv) {
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int reports = quick ? 2000 : 10000, gets = quick ? 50000 : 300000;
  const char *options = "{\"sync\": \"normal\"}";
  std::string cpp_path = scratch("capi-cpp.db"), c_path = scratch("capi-c.db");
  SqliteOptions so;
  so.sync = SqliteOptions::Sync::normal;
  Desk cpp(open_sqlite(cpp_path, so));
  complaints_desk *c = nullptr;
  must(complaints_desk_open_sqlite(&c, c_path.c_str(), options, nullptr), c);
  Actor office{"office-1", Role::office, {}};
  complaints_actor *c_office = nullptr;
  must(complaints_actor_new(&c_office, "office-1", COMPLAINTS_ROLE_OFFICE, 0, nullptr), nullptr);

  for (int b = 0; b < reports; ++b) {
    std::string id = "B-" + std::to_string(b);
    Record r;
    r.ref = {RecordKind::booking, id};
    r.customer_id = "cust-1";
    r.fieldworkers = {"fw-1"};
    cpp.put_record(office, r);
    std::string json = "{\"kind\":\"booking\",\"id\":\"" + id + "\",\"customer_id\":\"cust-1\",\"fieldworkers\":[\"fw-1\"]}";
    must(complaints_record_put(c, c_office, json.c_str()), c);
  }
  const std::string description = "The fieldworker scratched the kitchen bench while moving the oven.";
  double cpp_rate = 0, c_rate = 0;
  for (int round = 0; round < 2; ++round) {
    int base = round * reports / 2;
    cpp_rate += rate(reports / 2, [&](int i) {
      ReportRequest r;
      r.record = {RecordKind::booking, "B-" + std::to_string(base + i)};
      r.type = "Damage Caused";
      r.description = description;
      cpp.report(office, r);
    });
    c_rate += rate(reports / 2, [&](int i) {
      std::string json = "{\"record\":{\"kind\":\"booking\",\"id\":\"B-" + std::to_string(base + i) +
                         "\"},\"type\":\"Damage Caused\",\"description\":\"" + description + "\"}";
      char *out = nullptr;
      must(complaints_issue_report(c, &out, c_office, json.c_str()), c);
      complaints_free(out);
    });
  }
  result("capi_overhead_report", c_rate / 2, cpp_rate / 2);

  std::size_t sink = 0;
  cpp_rate = c_rate = 0;
  for (int round = 0; round < 3; ++round) {
    cpp_rate += rate(gets, [&](int i) { sink += cpp.get(office, format_issue_code(1 + (i * 7919L) % reports)).version; });
    c_rate += rate(gets, [&](int i) {
      char *out = nullptr;
      must(complaints_issue_get(c, &out, c_office, format_issue_code(1 + (i * 7919L) % reports).c_str()), c);
      sink += std::strlen(out);
      complaints_free(out);
    });
  }
  result("capi_overhead_get", c_rate / 3, cpp_rate / 3);
  complaints_actor_free(c_office);
  complaints_desk_close(c);
  return sink == 42 ? 1 : 0;
}
