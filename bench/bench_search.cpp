// Full-text search (issue 14, item 7): Desk::search over a SQLite store of
// 100,000 issues with 300,000 comments and 1,000,000 timeline entries,
// against the same FTS5 query with the same visibility condition written by
// hand (bm25 and snippet() of FTS5 itself, raw prepared statements), in the
// same run; and the growth of a search's cost from 100,000 to 1,000,000
// issues (the large store: one comment and one timeline entry per issue).
//
// Prints:
//   RESULT search library=<searches/s> baseline=<searches/s> ratio=<library/baseline>
//   RESULT search_fieldworker ...   the same query by a fieldworker (scope: their records)
//   RESULT search_growth library=<searches/s at 1M> baseline=<searches/s at 100k> ratio=<1M/100k>
// Usage: bench_search [--quick]   (--quick: 10,000 and 100,000 issues)
//
// The stores are seeded through the library's Storage interface in large
// write transactions (one issue reported through the Desk is copied onto
// other records with other words), its search texts written by the
// library's own search::texts; the bench checks a copy reads back, verifies
// and is found.
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "access/access.hpp"
#include "complaints/complaints.hpp"
#include "harness.hpp"
#include "search/texts.hpp"
#include "timeline/chain.hpp"

using namespace complaints;
using Stopwatch = std::chrono::steady_clock;

namespace {

const Actor office{"office-1", Role::office, {Permission::edit_issues}};
const Actor admin{"admin-1", Role::admin, Permissions::all()};
constexpr int fieldworkers = 200;
constexpr int batch = 20000;

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

// A word of a 4,000-word vocabulary, the low ones far more common.
std::string word(std::uint64_t h) {
  static const char *syllables[] = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "ba", "do", "fe", "gi",
                                    "ho", "ju", "pa"};
  std::uint64_t r = h % 4000;
  std::uint64_t k = r * r / 4000;  // skewed towards 0
  std::string w;
  for (int s = 0; s < 3; ++s, k /= 16) w += syllables[k % 16];
  return w;
}

std::string words(std::uint64_t seed, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? " " : "") + word(mix(seed * 131 + static_cast<std::uint64_t>(i)));
  return out;
}

// Issue k's description: 14 skewed words; every 100th says "boiler", every
// 500th "gasket", and exactly 40 issues of any store say "zephyr".
std::string description(int k, int issues) {
  std::string d = words(static_cast<std::uint64_t>(k), 14);
  if (k % 100 == 7) d += " boiler";
  if (k % 500 == 11) d += " gasket fitting";
  if (k % (issues / 40) == 3) d += " zephyr";
  return d;
}

Record record_of(std::int64_t r) {
  return Record{{RecordKind::booking, "R-" + std::to_string(r)},
                "cust-" + std::to_string(r / 2),
                {"fw-" + std::to_string(r % fieldworkers)},
                RecordVisibility::restricted,
                false};
}

// A store of `issues` issues at `path`, each with `comments` comments and
// 1 + `notes` timeline entries.
void seed(const std::string &path, int issues, int comments, int notes) {
  auto start = Stopwatch::now();
  const Timestamp t0 = parse_timestamp("2024-01-01T08:00:00Z");
  SqliteOptions o;
  o.sync = SqliteOptions::Sync::normal;
  IssueRow tpl;
  std::vector<TimelineEntry> created;
  {
    Desk desk(open_sqlite(path, o), DeskOptions{std::make_shared<ManualClock>(t0)});
    desk.put_record(office, record_of(0));
    ReportRequest r;
    r.record = record_of(0).ref;
    r.type = "Other";
    r.description = description(0, issues);
    Issue i = desk.report(office, r);
    auto s = open_sqlite(path, o);
    auto t = s->begin(TxnMode::read);
    tpl = *t->issue(i.number);
    created = t->timeline(i.number);
  }
  auto storage = open_sqlite(path, o);
  const std::int64_t records = issues / 2;
  for (std::int64_t r = 1; r < records;) {
    auto t = storage->begin(TxnMode::write);
    for (std::int64_t end = std::min<std::int64_t>(records, r + batch * 2); r < end; ++r) t->put_record(record_of(r));
    t->commit();
  }
  for (int k = 1; k < issues;) {
    auto t = storage->begin(TxnMode::write);
    for (int end = std::min(issues, k + batch); k < end; ++k) {
      IssueRow row = tpl;
      Issue &i = row.issue;
      i.number = t->allocate_issue_number();
      i.code = format_issue_code(i.number);
      Record rec = record_of(static_cast<std::int64_t>(mix(static_cast<std::uint64_t>(k)) % records));
      i.record = rec.ref;
      i.customer_id = rec.customer_id;
      i.fieldworkers = rec.fieldworkers;
      i.description = description(k, issues);
      i.created_at = i.updated_at = t0 + std::chrono::seconds(30) * k;
      std::vector<TimelineEntry> entries = created;
      for (int n = 0; n < notes; ++n) {
        TimelineEntry e = created[0];
        e.kind = std::string(entry_kind::comment);
        e.changes.clear();
        e.note = words(static_cast<std::uint64_t>(k) * 7 + static_cast<std::uint64_t>(n), 6);
        entries.push_back(e);
      }
      std::int64_t seq = 0;
      std::string hash;
      for (auto &e : entries) {
        e.issue_code = i.code;
        e.at = i.created_at;
        chain::link(e, seq, hash);
        seq = e.seq;
        hash = e.hash;
      }
      row.timeline_seq = seq;
      row.timeline_hash = hash;
      t->insert_issue(row);
      t->put_readers(row.issue.number, access::readers(rec));  // as the Desk does when it reports
      for (const auto &e : entries) t->append_timeline(e);
      std::vector<Comment> thread;
      for (int c = 0; c < comments; ++c) {
        Comment cm{0, i.code, "office-1", Role::office, c == 1, words(mix(static_cast<std::uint64_t>(k)) + c, 10),
                   std::nullopt, {}, {}, i.created_at};
        cm.id = t->add_comment(i.number, cm);
        thread.push_back(cm);
      }
      t->put_search_text(i.number, search::texts(i, thread, {}));
    }
    t->commit();
  }
  storage.reset();
  Desk desk(open_sqlite(path, o));
  std::string code = format_issue_code(issues / 2);
  if (!desk.verify_timeline(admin, code).ok || desk.search(admin, "zephyr", 100).size() != 40) {
    std::fprintf(stderr, "the seeded store does not verify or search as built\n");
    std::exit(1);
  }
  std::printf("seeded %d issues in %.1f s\n", issues, std::chrono::duration<double>(Stopwatch::now() - start).count());
  std::fflush(stdout);
}

// Calls op(i) until `calls` calls or `budget` (at least 3): calls per second.
template <typename Op>
double rate_within(int calls, std::chrono::duration<double> budget, Op &&op) {
  auto start = Stopwatch::now();
  int n = 0;
  while (n < calls && (n < 3 || Stopwatch::now() - start < budget)) op(n++);
  return n / std::chrono::duration<double>(Stopwatch::now() - start).count();
}

// The same search written by hand: FTS5's own bm25 and snippet(), the
// fieldworker's scope as the library words it, the issue's columns read.
class Baseline {
 public:
  explicit Baseline(const std::string &path) {
    sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr);
    const char *sql =
        "SELECT i.number, i.record_kind, i.record_id, i.customer_id, i.type, i.description, i.to_follow, "
        "i.deferred_date, i.follow_up_date, i.workflow, i.status, i.category, i.stage, i.reporter_id, "
        "i.reporter_role, i.channel, i.created_at, i.updated_at, i.version, i.timeline_seq, i.timeline_hash, "
        "i.fieldworkers, i.assignee, i.timers, i.slas, i.reminder_at, i.fields, "
        "snippet(search_staff, 0, '[', ']', '...', 16), bm25(search_staff) AS score "
        "FROM search_staff CROSS JOIN issues i ON i.number = search_staff.rowid WHERE search_staff MATCH ?1 "
        "AND (?2 IS NULL OR EXISTS (SELECT 1 FROM fieldworker_issues s WHERE s.fieldworker_id = ?2 AND "
        "s.number = i.number)) ORDER BY score, i.number LIMIT 50";
    sqlite3_prepare_v2(db_, sql, -1, &stmt_, nullptr);
  }
  ~Baseline() {
    sqlite3_finalize(stmt_);
    sqlite3_close(db_);
  }
  std::size_t run(const char *fts5, const char *fieldworker) {
    sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_bind_text(stmt_, 1, fts5, -1, SQLITE_STATIC);
    if (fieldworker)
      sqlite3_bind_text(stmt_, 2, fieldworker, -1, SQLITE_STATIC);
    else
      sqlite3_bind_null(stmt_, 2);
    std::size_t bytes = 0;
    while (sqlite3_step(stmt_) == SQLITE_ROW)
      for (int c = 0; c < sqlite3_column_count(stmt_); ++c) bytes += static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c));
    sqlite3_reset(stmt_);
    sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    return bytes;
  }

 private:
  sqlite3 *db_ = nullptr;
  sqlite3_stmt *stmt_ = nullptr;
};

}  // namespace

int main(int argc, char **argv) {
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int small = quick ? 10000 : 100000, large = quick ? 100000 : 1000000;
  std::string small_path = bench::scratch("search-small.db"), large_path = bench::scratch("search-large.db");
  seed(small_path, small, 3, 9);
  seed(large_path, large, 1, 0);
  SqliteOptions o;
  o.sync = SqliteOptions::Sync::normal;
  std::size_t sink = 0;
  {
    Desk desk(open_sqlite(small_path, o));
    Baseline raw(small_path);
    const char *query = "boiler OR gasket";  // 1.2% of the issues: 1,200 matches ranked for a page of 50
    const char *fts5 = "(\"boiler\" OR \"gasket\")";
    for (const char *who : {static_cast<const char *>(nullptr), "fw-17"}) {
      Actor a = who ? Actor{who, Role::fieldworker, {}} : office;
      SearchOptions opt;
      opt.query = query;
      double lib = 0, base = 0;
      for (int round = 0; round < 3; ++round) {
        lib = std::max(lib, rate_within(2000, std::chrono::seconds(3),
                                        [&](int) { sink += desk.search(a, opt).size(); }));
        base = std::max(base, rate_within(2000, std::chrono::seconds(3), [&](int) { sink += raw.run(fts5, who); }));
      }
      bench::result(who ? "search_fieldworker" : "search", lib, base);
    }
  }
  {
    // Growth: the same selective search (40 issues say "zephyr" in either
    // store) by staff, at both sizes.
    Desk a(open_sqlite(small_path, o)), b(open_sqlite(large_path, o));
    SearchOptions opt;
    opt.query = "zephyr";
    double at_small = 0, at_large = 0;
    for (int round = 0; round < 3; ++round) {
      at_small = std::max(at_small, rate_within(5000, std::chrono::seconds(2),
                                                [&](int) { sink += a.search(office, opt).size(); }));
      at_large = std::max(at_large, rate_within(5000, std::chrono::seconds(2),
                                                [&](int) { sink += b.search(office, opt).size(); }));
    }
    bench::result("search_growth", at_large, at_small);
  }
  std::printf("(%zu)\n", sink % 10);
  bench::discard(small_path);
  bench::discard(large_path);
  return 0;
}
