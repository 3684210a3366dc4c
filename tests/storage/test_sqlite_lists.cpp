// The SQLite backend reads a list in number order from an index that holds
// only the reader's scope or the filter's issues, so a first page does the
// same work however long the history (docs/reporting.md, "Lists and
// paging"). Work is counted, not timed: the virtual machine steps and sorts
// SQLite reports for every statement a list runs.
#include <sqlite3.h>

#include "access/access.hpp"
#include "support/support.hpp"

using namespace complaints;

namespace {

// Counts the work of the statements run on every SQLite connection opened
// while it lives.
class WorkMeter {
 public:
  struct Work {
    std::int64_t steps = 0;
    std::int64_t sorts = 0;
  };

  WorkMeter() {
    current_ = this;
    sqlite3_auto_extension(reinterpret_cast<void (*)()>(&WorkMeter::attach));
  }
  ~WorkMeter() {
    sqlite3_cancel_auto_extension(reinterpret_cast<void (*)()>(&WorkMeter::attach));
    current_ = nullptr;
  }
  WorkMeter(const WorkMeter &) = delete;
  WorkMeter &operator=(const WorkMeter &) = delete;

  template <typename F>
  Work of(F &&f) {
    work_ = {};
    f();
    return work_;
  }

 private:
  static int attach(sqlite3 *db, char **, const sqlite3_api_routines *) {
    sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, &WorkMeter::profile, nullptr);
    return SQLITE_OK;
  }
  // Called as each statement finishes; reading its counters resets them.
  static int profile(unsigned, void *, void *statement, void *) {
    auto *s = static_cast<sqlite3_stmt *>(statement);
    if (current_) {
      current_->work_.steps += sqlite3_stmt_status(s, SQLITE_STMTSTATUS_VM_STEP, 1);
      current_->work_.sorts += sqlite3_stmt_status(s, SQLITE_STMTSTATUS_SORT, 1);
    }
    return 0;
  }

  inline static WorkMeter *current_ = nullptr;
  Work work_;
};

constexpr int backlog = 100;  // the newest issues are open; the rest of history is closed

// Record r: a booking, quote or invoice of customer r / 2 with one of five
// fieldworkers. The same r is the same record in every store.
Record record_of(int r) {
  static const RecordKind kinds[] = {RecordKind::booking, RecordKind::booking, RecordKind::quote, RecordKind::invoice};
  RecordKind kind = kinds[(r / 5) % 4];
  return Record{{kind, "R-" + std::to_string(r)},
                "cust-" + std::to_string(r / 2),
                {"fw-" + std::to_string(r % 5)},
                (r / 20) % 2 ? RecordVisibility::restricted : RecordVisibility::all,
                false};
}

// A store of `issues` issues over issues / 2 records, issue k on record
// k % (issues / 2), the open backlog on the first records from the newest
// back: first pages hold the same issues in every store.
std::unique_ptr<Desk> store(const test::TempDir &dir, int issues) {
  SqliteOptions o;
  o.sync = SqliteOptions::Sync::normal;
  std::string path = dir.file(std::to_string(issues) + ".db");
  {
    auto s = open_sqlite(path, o);
    auto t = s->begin(TxnMode::write);
    const int records = issues / 2;
    for (int r = 0; r < records; ++r) t->put_record(record_of(r));
    for (int k = 0; k < issues; ++k) {
      bool open = issues - k <= backlog;
      Record record = record_of((open ? issues - k : k) % records);
      IssueRow row;
      Issue &i = row.issue;
      i.number = t->allocate_issue_number();
      i.code = format_issue_code(i.number);
      i.record = record.ref;
      i.customer_id = record.customer_id;
      i.fieldworkers = record.fieldworkers;
      i.type = "Late Service";
      i.description = "Came late.";
      i.workflow = "field-service";
      static const std::pair<const char *, StatusCategory> statuses[] = {
          {"New", StatusCategory::open},
          {"In Progress", StatusCategory::active},
          {"Awaiting Approval", StatusCategory::pending}};
      std::tie(i.status, i.category) =
          open ? statuses[k % 3] : std::pair<const char *, StatusCategory>{"Closed", StatusCategory::closed};
      i.assignee = open ? "office-9" : "";
      i.reporter_id = "office-1";
      i.reporter_role = Role::office;
      i.channel = Channel::office;
      i.created_at = i.updated_at = test::t0() + std::chrono::minutes(k);
      i.version = 1;
      row.timeline_seq = 1;
      row.timeline_hash = std::string(64, 'f');
      t->insert_issue(row);
      t->put_readers(i.number, access::readers(record));  // as the Desk does when it reports
    }
    t->commit();
  }
  return std::make_unique<Desk>(open_sqlite(path, o));
}

}  // namespace

TEST_CASE("sqlite: a first page does the same work with ten times the history, and sorts nothing") {
  WorkMeter meter;  // before the stores open their connections
  test::TempDir dir;
  std::unique_ptr<Desk> small = store(dir, 1000), large = store(dir, 10000);

  struct Page {
    const char *what;
    Actor actor;
    IssueFilter filter;
  };
  auto filter = [](auto set) {
    IssueFilter f;
    f.limit = 50;
    set(f);
    return f;
  };
  auto none = [](IssueFilter &) {};
  const Actor fw = test::fieldworker("fw-1"), office = test::office();
  std::vector<Page> pages = {
      {"a fieldworker's", fw, filter(none)},
      {"a fieldworker's second", fw, filter([](IssueFilter &f) { f.after_number = 0; })},
      {"a fieldworker's open", fw,
       filter([](IssueFilter &f) { f.categories = IssueFilter::open_issues().categories; })},
      {"a fieldworker's on one record", fw, filter([](IssueFilter &f) { f.record = record_of(6).ref; })},
      {"a customer's", test::customer("cust-3"), filter(none)},
      {"by status", office, filter([](IssueFilter &f) { f.status = "Awaiting Approval"; })},
      {"by record kind", office, filter([](IssueFilter &f) { f.record_kind = RecordKind::quote; })},
      {"open issues", office, filter([](IssueFilter &f) { f.categories = IssueFilter::open_issues().categories; })},
      {"by workflow", office, filter([](IssueFilter &f) { f.workflow = "field-service"; })},
      {"by assignee", office, filter([](IssueFilter &f) { f.assignee = "office-9"; })},
      {"by responsible fieldworker", office, filter([](IssueFilter &f) { f.fieldworker = "fw-2"; })},
      {"by customer", office, filter([](IssueFilter &f) { f.customer_id = "cust-3"; })},
      {"by record", office, filter([](IssueFilter &f) { f.record = record_of(7).ref; })},
  };
  // The second page starts after the first page's last issue, the same in both stores.
  pages[1].filter.after_number = small->list(fw, pages[0].filter).back().number;
  REQUIRE(large->list(fw, pages[0].filter).back().number == pages[1].filter.after_number);

  for (const auto &p : pages) {
    CAPTURE(std::string(p.what));
    std::vector<Issue> a, b;
    auto in_small = meter.of([&] { a = small->list(p.actor, p.filter); });
    auto in_large = meter.of([&] { b = large->list(p.actor, p.filter); });
    REQUIRE(!a.empty());
    CHECK(a.size() == b.size());
    CHECK(in_small.sorts == 0);
    CHECK(in_large.sorts == 0);
    CHECK(in_large.steps <= in_small.steps + in_small.steps / 10);
  }
}
