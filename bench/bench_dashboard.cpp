// Dashboards (issue 14, item 7): Desk::dashboard for one week of a SQLite
// store of 100,000 issues (300,000 comments, 1,000,000 timeline entries, five
// weeks of history), against the same figures computed by hand-written SQL
// over the base tables (statuses from the timelines' status changes, counts
// by GROUP BY, clocks decoded from the issues), in the same run.
//
// Prints: RESULT dashboard library=<dashboards/s> baseline=<dashboards/s> ratio=<library/baseline>
// Usage: bench_dashboard [--quick]   (--quick: 10,000 issues)
//
// The store is seeded through the library's Storage interface in large write
// transactions: five issues worked through the Desk to different statuses
// (with three comments each) are copied onto other records at other times,
// timelines chained again and status periods shifted; the bench checks that a
// copy verifies and that both ways count the same issues and statuses.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "access/access.hpp"
#include "complaints/complaints.hpp"
#include "harness.hpp"
#include "storage/codec.hpp"
#include "timeline/chain.hpp"

using namespace complaints;
using namespace std::chrono_literals;
using Stopwatch = std::chrono::steady_clock;

namespace {

const Actor office{"office-1", Role::office, {Permission::edit_issues}};
const Actor admin{"admin-1", Role::admin, Permissions::all()};
constexpr int batch = 20000;

const char *workflow = R"({
  "name": "dash", "initial": "New",
  "statuses": [{"name": "New", "category": "open"}, {"name": "Working", "category": "active"},
               {"name": "Waiting", "category": "pending"}, {"name": "Stage2", "category": "active"},
               {"name": "Resolved", "category": "resolved"}, {"name": "Closed", "category": "closed"}],
  "stages": [{"name": "First", "statuses": ["New", "Working", "Waiting", "Resolved"]},
             {"name": "Second", "statuses": ["Stage2"]}],
  "slas": [{"name": "respond", "within": "2d", "warn_percent": 50}],
  "on_report": [{"type": "sla", "op": "start", "sla": "respond"}],
  "actions": [
    {"name": "start", "from": ["New"], "to": "Working", "allow": ["office"]},
    {"name": "wait", "from": ["Working"], "to": "Waiting", "allow": ["office"]},
    {"name": "escalate", "from": ["Working", "Waiting"], "to": "Stage2", "allow": ["office"]},
    {"name": "resolve", "from": ["Working", "Stage2"], "to": "Resolved", "allow": ["office"]},
    {"name": "close", "from": ["Resolved"], "to": "Closed", "allow": ["office"]}]
})";

const std::map<std::string, std::string> category = {{"New", "open"},       {"Working", "active"},
                                                     {"Waiting", "pending"}, {"Stage2", "active"},
                                                     {"Resolved", "resolved"}, {"Closed", "closed"}};

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}

Record record_of(std::int64_t r) {
  return Record{{RecordKind::booking, "R-" + std::to_string(r)},
                "cust-" + std::to_string(r / 3),
                {"fw-" + std::to_string(r % 200)},
                RecordVisibility::restricted,
                false};
}

struct Template {
  IssueRow row;
  std::vector<TimelineEntry> timeline;
  std::vector<Comment> comments;
  std::vector<StatusPeriod> periods;
};

const Timestamp t0 = parse_timestamp("2026-01-05T00:00:00Z");

void seed(const std::string &path, int issues) {
  auto start = Stopwatch::now();
  SqliteOptions o;
  o.sync = SqliteOptions::Sync::normal;
  const std::vector<std::vector<const char *>> paths = {
      {}, {"start"}, {"start", "wait"}, {"start", "escalate"}, {"start", "resolve", "close"}};
  std::vector<std::int64_t> numbers;
  {
    auto clock = std::make_shared<ManualClock>(t0);
    Desk desk(open_sqlite(path, o), DeskOptions{clock});
    desk.install_workflow(admin, workflow);
    MessageSettings quiet;
    quiet.acknowledgement = AcknowledgementMode::off;
    desk.set_message_settings(admin, quiet);
    desk.put_record(office, record_of(0));
    for (const auto &p : paths) {
      clock->set(t0);
      ReportRequest r;
      r.record = record_of(0).ref;
      r.type = "Other";
      r.workflow = "dash";
      r.description = "Arrived late and left early.";
      Issue is = desk.report(office, r);
      for (int c = 0; c < 3; ++c)
        desk.add_comment(office, is.code, CommentRequest{"Called the customer back.", c == 0, std::nullopt, {}});
      for (const char *a : p) {
        clock->advance(7h);
        is = desk.act(office, is.code, ActionRequest{a, {}, is.version});
      }
      numbers.push_back(is.number);
    }
  }
  auto storage = open_sqlite(path, o);
  std::vector<Template> templates;
  {
    auto t = storage->begin(TxnMode::read);
    for (auto n : numbers) templates.push_back({*t->issue(n), t->timeline(n), t->comments(n), t->status_periods(std::vector<std::int64_t>{n})});
  }
  const std::int64_t records = issues / 2;
  for (std::int64_t r = 1; r < records;) {
    auto t = storage->begin(TxnMode::write);
    for (std::int64_t end = std::min<std::int64_t>(records, r + batch * 2); r < end; ++r) t->put_record(record_of(r));
    t->commit();
  }
  for (int k = 0; k < issues;) {
    auto t = storage->begin(TxnMode::write);
    for (int end = std::min(issues, k + batch); k < end; ++k) {
      const Template &tpl = templates[mix(static_cast<std::uint64_t>(k)) % templates.size()];
      const Timestamp at = t0 + 30s * k;
      const auto shift = at - tpl.row.issue.created_at;
      IssueRow row = tpl.row;
      Issue &i = row.issue;
      i.number = t->allocate_issue_number();
      i.code = format_issue_code(i.number);
      Record rec = record_of(static_cast<std::int64_t>(mix(static_cast<std::uint64_t>(k) + 7) % records));
      i.record = rec.ref;
      i.customer_id = rec.customer_id;
      i.fieldworkers = rec.fieldworkers;
      i.type = k % 3 ? "Other" : "Damage Caused";
      i.created_at += shift;
      i.updated_at += shift;
      for (auto &c : i.slas) {
        c.started_at += shift;
        c.as_of += shift;
        if (c.due_at) *c.due_at += shift;
        if (c.warn_at) *c.warn_at += shift;
        if (c.breached_at) *c.breached_at += shift;
      }
      // Ten entries an issue: the template's, then notes up to ten.
      std::vector<TimelineEntry> entries = tpl.timeline;
      while (entries.size() < 10) {
        TimelineEntry e = tpl.timeline.back();
        e.kind = std::string(entry_kind::comment);
        e.changes = {{"comment", "", "0"}};
        entries.push_back(e);
      }
      std::int64_t seq = 0;
      std::string hash;
      for (auto &e : entries) {
        e.issue_code = i.code;
        e.at += shift;
        chain::link(e, seq, hash);
        seq = e.seq;
        hash = e.hash;
      }
      row.timeline_seq = seq;
      row.timeline_hash = hash;
      t->insert_issue(row);
      t->put_readers(row.issue.number, access::readers(rec));  // as the Desk does when it reports
      for (const auto &e : entries) t->append_timeline(e);
      for (Comment c : tpl.comments) {
        c.issue_code = i.code;
        c.created_at += shift;
        t->add_comment(i.number, c);
      }
      for (StatusPeriod p : tpl.periods) {
        p.number = i.number;
        p.since += shift;
        t->begin_status_period(p);
      }
    }
    t->commit();
  }
  storage.reset();
  Desk desk(open_sqlite(path, o));
  if (!desk.verify_timeline(admin, format_issue_code(issues / 2)).ok) {
    std::fprintf(stderr, "a seeded issue does not verify\n");
    std::exit(1);
  }
  std::printf("seeded %d issues in %.1f s\n", issues, std::chrono::duration<double>(Stopwatch::now() - start).count());
  std::fflush(stdout);
}

// The figures by hand: what the library keeps as status periods is
// recomputed from the timelines' status changes.
class Baseline {
 public:
  explicit Baseline(const std::string &path) { sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr); }
  ~Baseline() {
    for (auto *s : stmts_) sqlite3_finalize(s);
    sqlite3_close(db_);
  }

  struct Figures {
    std::int64_t issues = 0;
    std::map<std::string, std::int64_t> by_status, by_type, by_stage, by_record, by_customer, by_fieldworker, sla;
    std::map<std::string, std::vector<std::int64_t>> durations;
    std::vector<std::int64_t> resolutions;
    std::int64_t held = 0;
  };

  Figures run(Timestamp from, Timestamp to, Timestamp now) {
    Figures f;
    sqlite3_exec(db_, "BEGIN", nullptr, nullptr, nullptr);
    auto range = [&](sqlite3_stmt *s) {
      sqlite3_bind_int64(s, 1, to_millis(from));
      sqlite3_bind_int64(s, 2, to_millis(to));
    };
    auto group = [&](sqlite3_stmt *s, std::map<std::string, std::int64_t> &into) {
      range(s);
      while (sqlite3_step(s) == SQLITE_ROW)
        into[reinterpret_cast<const char *>(sqlite3_column_text(s, 0))] = sqlite3_column_int64(s, 1);
      sqlite3_reset(s);
    };
    static const char *const groups[] = {
        "SELECT status, count(*) FROM issues WHERE created_at >= ?1 AND created_at < ?2 GROUP BY status",
        "SELECT type, count(*) FROM issues WHERE created_at >= ?1 AND created_at < ?2 GROUP BY type",
        "SELECT stage, count(*) FROM issues WHERE created_at >= ?1 AND created_at < ?2 GROUP BY stage",
        "SELECT record_kind || ':' || record_id, count(*) FROM issues WHERE created_at >= ?1 AND created_at < ?2 "
        "GROUP BY 1",
        "SELECT customer_id, count(*) FROM issues WHERE created_at >= ?1 AND created_at < ?2 GROUP BY 1",
        "SELECT f.fieldworker_id, count(*) FROM issues i JOIN issue_fieldworkers f ON f.number = i.number WHERE "
        "i.created_at >= ?1 AND i.created_at < ?2 GROUP BY 1"};
    std::map<std::string, std::int64_t> *into[] = {&f.by_status,   &f.by_type,     &f.by_stage,
                                                   &f.by_record,   &f.by_customer, &f.by_fieldworker};
    for (std::size_t g = 0; g < 6; ++g) group(stmt(g, groups[g]), *into[g]);
    for (const auto &[s, n] : f.by_status) f.issues += n;
    // Status periods from the timelines: the report's status, then each change.
    sqlite3_stmt *s = stmt(6,
                           "SELECT i.number, i.created_at, t.at, json_extract(c.value, '$[1]'), "
                           "json_extract(c.value, '$[2]') FROM issues i JOIN timeline t ON t.number = i.number, "
                           "json_each(t.changes) c WHERE i.created_at >= ?1 AND i.created_at < ?2 AND "
                           "json_extract(c.value, '$[0]') = 'status' ORDER BY i.number, t.seq");
    range(s);
    std::int64_t number = -1, since = 0, created = 0;
    bool resolved = false;
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::int64_t n = sqlite3_column_int64(s, 0), at = sqlite3_column_int64(s, 2);
      std::string before = reinterpret_cast<const char *>(sqlite3_column_text(s, 3));
      std::string after = reinterpret_cast<const char *>(sqlite3_column_text(s, 4));
      if (n != number) {
        number = n;
        created = sqlite3_column_int64(s, 1);
        since = created;
        resolved = false;
      }
      // The report's entry sets the first status (from ""): it ends no period.
      if (!before.empty() && at <= to_millis(now)) f.durations[before].push_back(at - since);
      since = at;
      const std::string &cat = category.at(after);
      if (!resolved && (cat == "resolved" || cat == "closed")) {
        resolved = true;
        f.resolutions.push_back(at - created);
      }
    }
    sqlite3_reset(s);
    // SLA clocks, decoded from the issues.
    s = stmt(7, "SELECT slas FROM issues WHERE created_at >= ?1 AND created_at < ?2");
    range(s);
    while (sqlite3_step(s) == SQLITE_ROW)
      for (const auto &c : codec::decode_clocks(reinterpret_cast<const char *>(sqlite3_column_text(s, 0))))
        ++f.sla[c.name + (c.breached ? ":breached" : c.state == SlaState::stopped ? ":met" : ":running")];
    sqlite3_reset(s);
    s = stmt(8, "SELECT currency, count(*), sum(amount_minor) FROM holds WHERE state = 'withheld' GROUP BY 1");
    while (sqlite3_step(s) == SQLITE_ROW) f.held += sqlite3_column_int64(s, 1);
    sqlite3_reset(s);
    for (auto &[status, v] : f.durations) std::sort(v.begin(), v.end());
    std::sort(f.resolutions.begin(), f.resolutions.end());
    sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    return f;
  }

 private:
  sqlite3_stmt *stmt(std::size_t k, const char *sql) {
    if (stmts_.size() <= k) stmts_.resize(k + 1, nullptr);
    if (!stmts_[k]) sqlite3_prepare_v2(db_, sql, -1, &stmts_[k], nullptr);
    return stmts_[k];
  }
  sqlite3 *db_ = nullptr;
  std::vector<sqlite3_stmt *> stmts_;
};

template <typename Op>
double rate_within(int calls, std::chrono::duration<double> budget, Op &&op) {
  auto start = Stopwatch::now();
  int n = 0;
  while (n < calls && (n < 3 || Stopwatch::now() - start < budget)) op(n++);
  return n / std::chrono::duration<double>(Stopwatch::now() - start).count();
}

}  // namespace

int main(int argc, char **argv) {
  bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int issues = quick ? 10000 : 100000;
  std::string path = bench::scratch("dashboard.db");
  seed(path, issues);
  SqliteOptions o;
  o.sync = SqliteOptions::Sync::normal;
  const Timestamp end = t0 + 30s * issues;
  auto clock = std::make_shared<ManualClock>(end + 24h);
  Desk desk(open_sqlite(path, o), DeskOptions{clock});
  Baseline raw(path);
  // The last week of the history: a seventh of... a fifth of the issues at full size.
  DashboardOptions opt;
  opt.to = end;
  opt.from = end - 7 * 24h;
  opt.repeat_days = 1;
  Dashboard d = desk.dashboard(office, opt);
  Baseline::Figures f = raw.run(opt.from, opt.to, clock->now());
  std::int64_t periods = 0, raw_periods = 0;
  for (const auto &[s, st] : d.time_in_status) periods += st.count;
  for (const auto &[s, v] : f.durations) raw_periods += static_cast<std::int64_t>(v.size());
  if (d.issues != f.issues || periods != raw_periods || d.resolution.count != static_cast<std::int64_t>(f.resolutions.size())) {
    std::fprintf(stderr, "library and baseline disagree: %lld/%lld issues, %lld/%lld periods\n",
                 static_cast<long long>(d.issues), static_cast<long long>(f.issues), static_cast<long long>(periods),
                 static_cast<long long>(raw_periods));
    return 1;
  }
  std::printf("a week: %lld issues, %lld ended periods\n", static_cast<long long>(d.issues),
              static_cast<long long>(periods));
  double lib = 0, base = 0;
  std::int64_t sink = 0;
  for (int round = 0; round < 3; ++round) {
    lib = std::max(lib, rate_within(200, 5s, [&](int) { sink += desk.dashboard(office, opt).issues; }));
    base = std::max(base, rate_within(200, 5s, [&](int) { sink += raw.run(opt.from, opt.to, clock->now()).issues; }));
  }
  bench::result("dashboard", lib, base);
  std::printf("(%lld)\n", static_cast<long long>(sink % 10));
  bench::discard(path);
  return 0;
}
