// Writers on one PostgreSQL database that touch different issues do not wait
// for or abort each other: the several app servers of issue 15 report side by
// side instead of queueing on a shared row.
#include <atomic>
#include <set>
#include <thread>

#include "support/postgres.hpp"
#include "support/support.hpp"

using namespace complaints;
using test::PostgresBackend;

TEST_CASE("two write transactions allocate issue numbers and task ids at once, without waiting for each other") {
  PostgresBackend backend;
  // A writer blocked behind the other's uncommitted allocation would fail here
  // after the lock timeout instead of waiting the default 10 s.
  PostgresOptions o;
  o.lock_timeout_ms = 500;
  auto first = backend.open(o), second = backend.open(o);
  auto a = first->begin(TxnMode::write);
  auto b = second->begin(TxnMode::write);
  std::int64_t na = a->allocate_issue_number();
  std::int64_t nb = b->allocate_issue_number();
  std::int64_t ta = a->allocate_task_id();
  std::int64_t tb = b->allocate_task_id();
  CHECK(na != nb);
  CHECK(ta != tb);
  a->commit();
  b->commit();
  // Later numbers are greater than every number handed out before.
  auto c = first->begin(TxnMode::write);
  CHECK(c->allocate_issue_number() > std::max(na, nb));
  CHECK(c->allocate_task_id() > std::max(ta, tb));
}

namespace {

IssueRow new_issue(std::int64_t number) {
  IssueRow row;
  Issue &i = row.issue;
  i.number = number;
  i.code = format_issue_code(number);
  i.record = {RecordKind::booking, "B-1"};
  i.customer_id = "cust-1";
  i.fieldworkers = {"fw-1"};
  i.type = "Damage Caused";
  i.description = "Reported at the same time as another.";
  i.workflow = "field-service";
  i.status = "New";
  i.category = StatusCategory::open;
  i.reporter_id = "office-1";
  i.reporter_role = Role::office;
  i.created_at = i.updated_at = test::t0();
  i.version = 1;
  row.timeline_seq = 1;
  row.timeline_hash = std::string(64, 'a');
  return row;
}

// What a report writes for its new issue, in the order Desk::report writes it.
void write_report(StorageTransaction &t, const IssueRow &row, int step) {
  std::int64_t n = row.issue.number;
  switch (step) {
    case 0:
      t.insert_issue(row);
      break;
    case 1: {
      std::vector<std::string> readers{"fw-1"};
      t.put_readers(n, readers);
      break;
    }
    case 2: {
      TimelineEntry e;
      e.issue_code = row.issue.code;
      e.seq = 1;
      e.at = test::t0();
      e.actor_id = "office-1";
      e.actor_role = Role::office;
      e.kind = "reported";
      e.hash = row.timeline_hash;
      t.append_timeline(e);
      break;
    }
    case 3:
      t.put_search_text(n, SearchText{row.issue.description, row.issue.description});
      break;
    case 4:
      t.begin_status_period(StatusPeriod{n, "New", StatusCategory::open, "", test::t0(), std::nullopt});
      break;
    default: {
      OutboxItem item;
      item.idempotency_key = row.issue.code + "/1/fw-1/push";
      item.issue_code = row.issue.code;
      item.recipient = "fw-1";
      item.created_at = test::t0();
      t.enqueue(item);
    }
  }
}

}  // namespace

TEST_CASE("two reports written at once, step by step on two connections, both commit") {
  // Under SERIALIZABLE a read locks the index page it looks at; a report
  // that looked where the other inserts its new rows (clearing readers or
  // search words its new issue cannot have, looking up an outbox key first,
  // a foreign key check on the issues index) made one of the two abort.
  PostgresBackend backend;
  auto first = backend.open(), second = backend.open();
  {
    auto t = first->begin(TxnMode::write);
    t->put_record(test::booking("B-1"));
    t->commit();
  }
  auto a = first->begin(TxnMode::write);
  auto b = second->begin(TxnMode::write);
  IssueRow ra = new_issue(a->allocate_issue_number()), rb = new_issue(b->allocate_issue_number());
  for (int step = 0; step < 6; ++step) {
    CAPTURE(step);
    write_report(*a, ra, step);
    write_report(*b, rb, step);
  }
  a->commit();
  b->commit();
  auto t = first->begin(TxnMode::read);
  CHECK(t->issue(ra.issue.number));
  CHECK(t->issue(rb.issue.number));
  CHECK(t->pending_outbox(10, 0).size() == 2);
}

// Reports on bookings whose ids sort side by side still abort each other
// now and then (each reads its booking's payout hold, and under SERIALIZABLE
// that read locks the page of the holds index where the other writes its
// own); the desk's retries must carry every one of them through.
TEST_CASE("four desks on one database report at once, each report committed once under its own code") {
  PostgresBackend backend;
  {
    Desk setup{backend.open()};
    for (int k = 0; k < 4; ++k) setup.put_record(test::office(), test::booking("B-" + std::to_string(k)));
  }
  const int per_desk = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  std::vector<std::vector<std::string>> codes(4);
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&, k] {
      try {
        Desk desk{backend.open()};
        ReportRequest r;
        r.record = {RecordKind::booking, "B-" + std::to_string(k)};
        r.type = "Damage Caused";
        r.description = "Reported from app server " + std::to_string(k) + ".";
        for (int i = 0; i < per_desk; ++i)
          codes[static_cast<std::size_t>(k)].push_back(desk.report(test::office(), r).code);
      } catch (const std::exception &e) {
        MESSAGE(std::string(e.what()));
        ++failed;
      }
    });
  for (auto &t : threads) t.join();
  REQUIRE(failed == 0);
  Desk desk{backend.open()};
  std::set<std::string> distinct;
  for (const auto &mine : codes)
    for (const auto &code : mine) {
      distinct.insert(code);
      CHECK(desk.verify_timeline(test::office(), code).ok);
    }
  CHECK(distinct.size() == 4 * per_desk);
  IssueFilter all;
  all.limit = 1000;
  CHECK(desk.list(test::office(), all).size() == 4 * per_desk);
}
