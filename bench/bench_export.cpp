// The complaint register export (issue 14, item 7): Desk::export_issues as
// CSV over a store of N issues (a third closed with a resolution and a case
// field, descriptions needing quotes), against the same rows read with raw
// SQLite prepared statements and written as CSV by hand, in the same run.
// Also reports the peak RSS growth of the export (memory stays one page's).
//
// Prints: RESULT export rows=<n> rows_per_s=<library> baseline=<rows/s> ratio=<library/baseline> peak_rss_growth_kb=<k>
// Usage: bench_export [--quick]   (--quick: 10,000 issues instead of 100,000)
#include <sqlite3.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

#include "complaints/complaints.hpp"
#include "harness.hpp"
#include "storage/codec.hpp"

using namespace complaints;
using Stopwatch = std::chrono::steady_clock;

namespace {

const char *register_workflow = R"({
  "name": "register", "initial": "Open",
  "slas": [{"name": "response", "within": "10d"}],
  "on_report": [{"type": "sla", "op": "start", "sla": "response"}],
  "statuses": [{"name": "Open", "category": "open"}, {"name": "Closed", "category": "closed"}],
  "resolutions": ["Upheld", "Not upheld"],
  "fields": [{"name": "outcome", "type": "text"}],
  "actions": [{"name": "close", "from": ["Open"], "to": "Closed", "allow": ["office", "admin"],
               "inputs": [{"name": "resolution", "type": "resolution", "required": true}], "fields": ["outcome"]}]
})";

long peak_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

void csv_text(std::string &out, const unsigned char *p, int n) {
  std::string_view v(reinterpret_cast<const char *>(p ? p : reinterpret_cast<const unsigned char *>("")),
                     static_cast<std::size_t>(n));
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void csv_time(std::string &out, std::int64_t ms) {
  std::time_t s = ms / 1000;
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[96];  // room for any int the format could be given
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  out += buf;
}

// The baseline: one statement over issues with the resolution by a
// correlated subquery, every column written by hand.
std::int64_t export_by_hand(const std::string &path, std::int64_t now_ms, std::size_t &bytes) {
  sqlite3 *db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_exec(db, "PRAGMA cache_size = -32768", nullptr, nullptr, nullptr);
  sqlite3_stmt *s = nullptr;
  const char *sql =
      "SELECT number, record_kind, record_id, customer_id, fieldworkers, type, description, to_follow, "
      "deferred_date, follow_up_date, workflow, status, category, stage, assignee, reporter_id, reporter_role, "
      "channel, created_at, updated_at, version, slas, json_extract(fields, '$.outcome'), "
      "(SELECT json_extract(c.value, '$[2]') FROM timeline t, json_each(t.changes) c WHERE t.number = i.number "
      "AND instr(t.changes, '\"input.resolution\"') > 0 AND json_extract(c.value, '$[0]') = 'input.resolution' "
      "ORDER BY t.seq DESC LIMIT 1) FROM issues i ORDER BY number";
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) {
    std::fprintf(stderr, "baseline: %s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
  std::string out = "code,number,...\r\n";
  std::int64_t rows = 0;
  auto text = [&](int col) { csv_text(out, sqlite3_column_text(s, col), sqlite3_column_bytes(s, col)); };
  while (sqlite3_step(s) == SQLITE_ROW) {
    std::int64_t n = sqlite3_column_int64(s, 0);
    out += format_issue_code(n) + "," + std::to_string(n);
    for (int c = 1; c <= 17; ++c) {
      out += ',';
      if (c == 7) out += sqlite3_column_int(s, c) ? "true" : "false";
      else text(c);
    }
    for (int c : {18, 19}) {
      out += ',';
      csv_time(out, sqlite3_column_int64(s, c));
    }
    out += ',' + std::to_string(sqlite3_column_int64(s, 20)) + ',';
    text(23);  // resolution
    auto clocks = codec::decode_clocks(reinterpret_cast<const char *>(sqlite3_column_text(s, 21)));
    for (const auto &c : clocks) {
      out += ',';
      out += to_string(c.state);
      out += ',';
      if (c.due_at) csv_time(out, to_millis(*c.due_at));
      bool late = c.breached || (c.state == SlaState::running && c.due_at && to_millis(*c.due_at) <= now_ms);
      out += late ? ",true" : ",false";
    }
    out += ',';
    text(22);  // outcome
    out += "\r\n";
    ++rows;
    if (out.size() > (1 << 20)) {
      bytes += out.size();
      out.clear();
    }
  }
  bytes += out.size();
  sqlite3_finalize(s);
  sqlite3_close(db);
  return rows;
}

struct Measured {
  std::int64_t rows = 0;
  double lib = 0, base = 0;  // rows per second, mean of 3 alternating rounds
  long rss_growth = 0;
  std::size_t lib_bytes = 0, base_bytes = 0;
};

// Seeds `issues` issues in a fresh file and exports them three times with the
// library and three times by hand, alternating.
Measured measure(int issues) {
  std::string path = bench::scratch("export.db");
  Actor office{"office-1", Role::office, {}};
  Actor admin{"admin-1", Role::admin, Permissions::all()};
  {
    SqliteOptions o;
    o.sync = SqliteOptions::Sync::normal;
    Desk desk(open_sqlite(path, o));
    desk.install_workflow(admin, register_workflow);
    for (int b = 0; b < 1000; ++b)
      desk.put_record(office, Record{{RecordKind::booking, "B-" + std::to_string(b)}, "cust-" + std::to_string(b % 300),
                                     {"fw-" + std::to_string(b % 50)}, RecordVisibility::restricted, false});
    auto start = Stopwatch::now();
    for (int i = 0; i < issues; ++i) {
      ReportRequest r;
      r.record = {RecordKind::booking, "B-" + std::to_string(i % 1000)};
      r.type = "Late Service";
      r.workflow = "register";
      r.description = i % 7 ? "Arrived late, left early." : "Said \"tomorrow\", came\nnext week";
      Issue is = desk.report(office, r);
      if (i % 3 == 0) {
        ActionRequest a{"close", {{"resolution", i % 2 ? "Upheld" : "Not upheld"}}};
        a.fields = {{"outcome", "Apology, and a refund"}};
        desk.act(office, is.code, a);
      }
    }
    std::printf("populated %d issues in %.1f s\n", issues,
                std::chrono::duration<double>(Stopwatch::now() - start).count());
  }
  Measured m;
  {
    SqliteOptions o;
    o.sync = SqliteOptions::Sync::normal;
    Desk desk(open_sqlite(path, o));
    std::int64_t now_ms = to_millis(desk.clock().now());
    long rss_before = peak_rss_kb();
    for (int round = 0; round < 3; ++round) {  // alternate, so both see the same machine
      std::size_t lib_bytes = 0, base_bytes = 0;
      auto t = Stopwatch::now();
      ExportSummary s = desk.export_issues(admin, {}, [&](std::string_view chunk) { lib_bytes += chunk.size(); });
      m.lib += s.rows / std::chrono::duration<double>(Stopwatch::now() - t).count() / 3;
      if (round == 0) m.rss_growth = peak_rss_kb() - rss_before;
      t = Stopwatch::now();
      m.rows = export_by_hand(path, now_ms, base_bytes);
      m.base += m.rows / std::chrono::duration<double>(Stopwatch::now() - t).count() / 3;
      if (s.rows != m.rows) {
        std::fprintf(stderr, "the library exported %lld rows, the baseline %lld\n", static_cast<long long>(s.rows),
                     static_cast<long long>(m.rows));
        std::exit(1);
      }
      m.lib_bytes = lib_bytes;
      m.base_bytes = base_bytes;
    }
  }
  bench::discard(path);
  return m;
}

}  // namespace

int main(int argc, char **argv) {
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  // Two sizes, ten times apart: the export's cost per row should not grow with history.
  const int small = quick ? 1000 : 10000, large = quick ? 10000 : 100000;
  Measured a = measure(small);
  Measured b = measure(large);
  std::printf("CSV bytes at %d issues: library %zu, baseline %zu\n", large, b.lib_bytes, b.base_bytes);
  std::printf("RESULT export rows=%lld rows_per_s=%.0f baseline=%.0f ratio=%.2f peak_rss_growth_kb=%ld\n",
              static_cast<long long>(b.rows), b.lib, b.base, b.lib / b.base, b.rss_growth);
  std::printf("RESULT export_growth small=%d large=%d lib_rows_per_s_small=%.0f lib_rows_per_s_large=%.0f "
              "lib_growth=%.2f raw_growth=%.2f peak_rss_growth_kb_small=%ld peak_rss_growth_kb_large=%ld\n",
              small, large, a.lib, b.lib, b.lib / a.lib, b.base / a.base, a.rss_growth, b.rss_growth);
  return 0;
}
