// The storage conformance suite: the contract of complaints/storage.hpp,
// checked directly against one backend, the one the executable's
// complaints::conformance::open_storage() opens (storage_conformance.hpp).
// Installed with the library (share/complaints/conformance) so that a host
// with a backend of its own runs the very cases the library's backends pass:
// see docs/storage.md, "Running the conformance suite against your own
// backend". It uses only the public API and doctest.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <chrono>
#include <functional>

#include "storage_conformance.hpp"

using namespace complaints;

namespace {

using complaints::conformance::open_storage;

/// Monday 5 January 2026, 09:00 UTC.
Timestamp t0() { return parse_timestamp("2026-01-05T09:00:00Z"); }

Record booking(const std::string &id = "B-1", const std::string &cust = "cust-1",
               std::vector<std::string> fws = {"fw-1", "fw-2"}) {
  return Record{{RecordKind::booking, id}, cust, std::move(fws), RecordVisibility::restricted, false};
}

/// A query for phrases that must all occur (one: just that phrase), each
/// given as the words the index keeps, with its FTS5 spelling, as the Desk
/// parses them (docs/reporting.md, "Search").
SearchQuery all_of(std::vector<std::vector<std::string>> phrases, std::string fts5) {
  SearchQuery q;
  for (auto &words : phrases) q.phrases.push_back({std::move(words)});
  if (q.phrases.size() == 1) {
    q.expr = {SearchExpr::Kind::phrase, 0};
  } else {
    q.expr.kind = SearchExpr::Kind::all;
    for (std::size_t i = 0; i < q.phrases.size(); ++i) q.expr.children.push_back({SearchExpr::Kind::phrase, i});
  }
  q.fts5 = std::move(fts5);
  return q;
}

IssueRow sample_issue(std::int64_t number, const std::string &booking = "B-1") {
  IssueRow row;
  Issue &i = row.issue;
  i.number = number;
  i.code = format_issue_code(number);
  i.record = {RecordKind::booking, booking};
  i.customer_id = "cust-1";
  i.fieldworkers = {"fw-1", "fw-2"};
  i.type = "Damage Caused";
  i.description = "Line one\nLine two \xe2\x9c\x93";
  i.to_follow = true;
  i.deferred_date = Date::parse("2026-03-04");
  i.follow_up_date = Date::parse("2026-02-01");
  i.workflow = "field-service";
  i.status = "New";
  i.category = StatusCategory::open;
  i.stage = "";
  i.assignee = "office-9";
  i.reporter_id = "office-1";
  i.reporter_role = Role::office;
  i.channel = Channel::calendar;
  i.created_at = t0();
  i.updated_at = t0() + std::chrono::milliseconds(1);
  i.version = 1;
  row.timeline_seq = 1;
  row.timeline_hash = std::string(64, 'f');
  return row;
}

}  // namespace

TEST_CASE("storage: settings, workflows and issue types") {
  auto s = open_storage();
  {
    auto t = s->begin(TxnMode::write);
    CHECK_FALSE(t->setting("k"));
    t->put_setting("k", "v1");
    t->put_setting("k", "v2");
    CHECK(t->setting("k") == "v2");
    t->put_workflow({"b-flow", "{}", 1});
    t->put_workflow({"a-flow", "{\"x\":1}", 1});
    t->put_workflow({"b-flow", "{\"y\":2}", 2});
    t->put_issue_type({"Late", "#000001"});
    t->put_issue_type({"Damage", "#000002"});
    t->put_issue_type({"Late", "#000003"});
    t->commit();
  }
  auto t = s->begin(TxnMode::read);
  CHECK(t->setting("k") == "v2");
  CHECK(t->workflow_names() == std::vector<std::string>{"a-flow", "b-flow"});
  CHECK(t->workflow("b-flow") == StoredWorkflow{"b-flow", "{\"y\":2}", 2});
  CHECK_FALSE(t->workflow("c-flow"));
  CHECK(t->issue_types() == std::vector<IssueType>{{"Late", "#000003"}, {"Damage", "#000002"}});
}

TEST_CASE("storage: records keep their fieldworkers in order and replace them") {
  auto s = open_storage();
  Record r{{RecordKind::invoice, "I-1"}, "c-1", {"fw-b", "fw-a"}, RecordVisibility::all, true};
  {
    auto t = s->begin(TxnMode::write);
    t->put_record(r);
    t->commit();
  }
  CHECK(s->begin(TxnMode::read)->record(r.ref) == r);
  r.fieldworkers = {"fw-c"};
  r.paid_out = false;
  {
    auto t = s->begin(TxnMode::write);
    t->put_record(r);
    t->commit();
  }
  CHECK(s->begin(TxnMode::read)->record(r.ref) == r);
  CHECK_FALSE(s->begin(TxnMode::read)->record({RecordKind::booking, "I-1"}));
}

TEST_CASE("storage: issues round-trip every field, and updates check the version") {
  auto s = open_storage();
  IssueRow row = sample_issue(0);
  {
    auto t = s->begin(TxnMode::write);
    t->put_record(booking("B-1"));
    row.issue.number = t->allocate_issue_number();
    row.issue.code = format_issue_code(row.issue.number);
    CHECK(row.issue.number == 1);  // the first on a new store
    CHECK(t->allocate_issue_number() > 1);
    t->insert_issue(row);
    t->commit();
  }
  CHECK(s->begin(TxnMode::read)->issue(1) == row);
  CHECK_FALSE(s->begin(TxnMode::read)->issue(2));
  {
    auto t = s->begin(TxnMode::read);
    auto both = t->issue_with_record(1);
    REQUIRE(both);
    CHECK(both->first == row);
    CHECK(both->second == *t->record(row.issue.record));
    CHECK_FALSE(t->issue_with_record(2));
  }

  IssueRow next = row;
  next.issue.status = "Closed";
  next.issue.category = StatusCategory::closed;
  next.issue.deferred_date.reset();
  next.issue.fieldworkers = {"fw-2"};
  next.issue.assignee = "";
  next.issue.version = 2;
  next.timeline_seq = 2;
  {
    auto t = s->begin(TxnMode::write);
    IssueRow stale = row;
    stale.issue.version = 7;
    CHECK_FALSE(t->update_issue(stale, next));
    CHECK(t->update_issue(row, next));
    CHECK_FALSE(t->update_issue(row, next));  // the version moved on
    t->commit();
  }
  auto t = s->begin(TxnMode::read);
  CHECK(t->issue(1) == next);
  IssueQuery q;
  q.filter.fieldworker = "fw-1";
  CHECK(t->find_issues(q).empty());
  q.filter.fieldworker = "fw-2";
  CHECK(t->find_issues(q).size() == 1);
  CHECK(t->issues_of_record({RecordKind::booking, "B-1"}) == std::vector<std::int64_t>{1});
  CHECK(t->status_counts("field-service") == std::vector<std::pair<std::string, std::int64_t>>{{"Closed", 1}});
}

TEST_CASE("storage: find_issues applies every filter and the reader's scope") {
  auto s = open_storage();
  {
    auto t = s->begin(TxnMode::write);
    t->put_record(Record{{RecordKind::booking, "B-1"}, "cust-1", {"fw-1"}, RecordVisibility::restricted, false});
    t->put_record(Record{{RecordKind::quote, "Q-1"}, "cust-2", {"fw-1"}, RecordVisibility::restricted, false});
    t->put_record(Record{{RecordKind::quote, "Q-2"}, "cust-2", {"fw-1"}, RecordVisibility::all, false});
    for (int n = 1; n <= 6; ++n) {
      IssueRow row = sample_issue(t->allocate_issue_number(), n <= 2 ? "B-1" : n <= 4 ? "Q-1" : "Q-2");
      if (n > 2) row.issue.record.kind = RecordKind::quote, row.issue.customer_id = "cust-2";
      row.issue.to_follow = n % 2 == 0;
      row.issue.type = n == 3 ? "Late Service" : "Damage Caused";
      row.issue.created_at = t0() + std::chrono::hours(n);
      if (n == 6) row.issue.status = "Closed", row.issue.category = StatusCategory::closed;
      t->insert_issue(row);
      // Readers are data the Desk hands down; storage does not work them out from records.
      std::vector<std::string> readers{"fw-1"};
      if (n == 1) readers = {"fw-3", "fw-1", "fw-2"};
      if (n == 3 || n == 4) readers.clear();
      t->put_readers(row.issue.number, readers);
    }
    t->put_readers(2, std::vector<std::string>{"fw-2"});  // replaces
    t->put_readers(2, std::vector<std::string>{"fw-1"});
    t->commit();
  }
  auto t = s->begin(TxnMode::read);
  auto numbers = [&](IssueQuery q) {
    std::vector<std::int64_t> out;
    for (const auto &i : t->find_issues(q)) out.push_back(i.number);
    return out;
  };
  using V = std::vector<std::int64_t>;
  IssueQuery q;
  CHECK(numbers(q) == V{1, 2, 3, 4, 5, 6});
  q.scope.reader = "fw-1";
  CHECK(numbers(q) == V{1, 2, 5, 6});
  q.filter.categories = {StatusCategory::open};
  CHECK(numbers(q) == V{1, 2, 5});
  q.scope.reader = "fw-2";
  CHECK(numbers(q) == V{1});
  q.scope.reader = "fw-9";
  CHECK(numbers(q).empty());
  q = {};
  q.scope.customer = "cust-2";
  CHECK(numbers(q) == V{3, 4, 5, 6});
  q.scope.reader = "fw-1";  // both: the customer's issues this reader reads
  CHECK(numbers(q) == V{5, 6});
  q = {};
  q.filter.to_follow = true;
  CHECK(numbers(q) == V{2, 4, 6});
  q.filter.record_kind = RecordKind::quote;
  CHECK(numbers(q) == V{4, 6});
  q = {};
  q.filter.type = "Late Service";
  CHECK(numbers(q) == V{3});
  q = {};
  q.filter.record = RecordRef{RecordKind::quote, "Q-2"};
  CHECK(numbers(q) == V{5, 6});
  q = {};
  q.filter.created_from = t0() + std::chrono::hours(2);
  q.filter.created_to = t0() + std::chrono::hours(4);
  CHECK(numbers(q) == V{2, 3});
  q = {};
  q.filter.status = "Closed";
  CHECK(numbers(q) == V{6});
  q = {};
  q.filter.assignee = "office-9";
  q.filter.after_number = 4;
  q.filter.limit = 1;
  CHECK(numbers(q) == V{5});
}

TEST_CASE("storage: timeline entries and the outbox") {
  auto s = open_storage();
  TimelineEntry e;
  e.issue_code = "CMP-00001";
  e.seq = 1;
  e.at = t0();
  e.actor_id = "a";
  e.actor_role = Role::supervisor;
  e.kind = "action";
  e.action = "close";
  e.changes = {{"status", "New", "Closed"}, {"note \"quoted\"", "", "multi\nline"}};
  e.note = "n";
  e.internal = true;
  e.prev_hash = "";
  e.hash = "h1";
  OutboxItem item;
  item.idempotency_key = "k1";
  item.kind = OutboxKind::message;
  item.event = "status_changed";
  item.issue_code = "CMP-00001";
  item.recipient = "cust-1";
  item.channel = DeliveryChannel::email;
  item.subject = "s";
  item.body_text = "t";
  item.body_html = "<p>t</p>";
  item.created_at = t0();
  {
    auto t = s->begin(TxnMode::write);
    t->put_record(booking("B-1"));
    t->insert_issue(sample_issue(t->allocate_issue_number()));
    t->append_timeline(e);
    TimelineEntry e2 = e;
    e2.seq = 2;
    e2.prev_hash = "h1";
    e2.hash = "h2";
    e2.changes.clear();
    t->append_timeline(e2);
    CHECK(t->enqueue(item) == 1);
    item.idempotency_key = "k2";
    CHECK(t->enqueue(item) == 2);
    item.idempotency_key = "k3";
    CHECK(t->enqueue(item) == 3);
    t->commit();
  }
  {
    auto t = s->begin(TxnMode::read);
    auto tl = t->timeline(1);
    REQUIRE(tl.size() == 2);
    CHECK(tl[0] == e);
    CHECK(tl[1].seq == 2);
    CHECK(t->timeline(2).empty());
    auto pending = t->pending_outbox(10, 0);
    REQUIRE(pending.size() == 3);
    CHECK(pending[2].idempotency_key == "k3");
    item.id = 3;
    CHECK(pending[2] == item);
    CHECK(t->pending_outbox(1, 1).front().id == 2);
  }
  {
    auto t = s->begin(TxnMode::write);
    std::vector<std::int64_t> ids{2, 3};
    CHECK(t->ack_outbox(ids) == 2);
    CHECK(t->ack_outbox(ids) == 0);
    item.idempotency_key = "k4";
    CHECK(t->enqueue(item) == 4);  // ids are never reused
    t->commit();
  }
  CHECK(s->begin(TxnMode::read)->pending_outbox(10, 0).size() == 2);
  {
    // A key is taken while its item waits, and free again once the item is
    // acknowledged or erased with its issue.
    auto t = s->begin(TxnMode::write);
    item.idempotency_key = "k4";
    CHECK_THROWS_AS(t->enqueue(item), StorageError);
    item.idempotency_key = "k2";  // acknowledged above
    std::int64_t id = t->enqueue(item);
    CHECK(id > 4);  // (the refused k4 may have used up an id: ids ascend, gaps allowed)
    t->erase_issue(1);  // its items go: k1, k4 and the new k2
    for (const char *key : {"k1", "k4", "k2"}) {
      item.idempotency_key = key;
      item.issue_code = "";
      CHECK(t->enqueue(item) > id);
    }
    t->commit();
  }
}

TEST_CASE("storage: a transaction not committed leaves no trace") {
  auto s = open_storage();
  {
    auto t = s->begin(TxnMode::write);
    t->put_record(booking("B-1"));
    t->commit();
  }
  std::string before = s->begin(TxnMode::read)->dump();
  {
    auto t = s->begin(TxnMode::write);
    t->put_setting("x", "y");
    t->put_record(booking("B-1", "cust-1", {"fw-9"}));
    t->insert_issue(sample_issue(t->allocate_issue_number()));
    OutboxItem item;
    item.idempotency_key = "k";
    t->enqueue(item);
    t->put_issue_type({"T", "#000000"});
    t->put_workflow({"w", "{}", 1});
    // destroyed without commit
  }
  CHECK(s->begin(TxnMode::read)->dump() == before);
  {
    // The rolled-back item's key is free.
    auto t = s->begin(TxnMode::write);
    OutboxItem again;
    again.idempotency_key = "k";
    t->enqueue(again);
  }
  // The rolled-back number named no issue. Whether it is handed out again
  // (SQLite, memory) or left as a gap (PostgreSQL) is the backend's.
  {
    auto t = s->begin(TxnMode::write);
    std::int64_t n = t->allocate_issue_number();
    CHECK(n >= 1);
    CHECK_FALSE(t->issue(n));
  }
}

TEST_CASE("storage: holds, their links and the ledger") {
  auto s = open_storage();
  RecordRef b1{RecordKind::booking, "B-1"};
  PaymentHold h{b1, "fw-1", HoldState::withheld, Money::of(1234, "AUD"), HoldScope::whole, t0(), std::nullopt, {}, {}};
  {
    auto t = s->begin(TxnMode::write);
    Record r = booking("B-1");
    r.invoice_id = "INV-1";
    t->put_record(r);
    t->put_record(Record{{RecordKind::invoice, "INV-1"}, "cust-1", {"fw-2"}, RecordVisibility::all, false, ""});
    t->put_hold(h);
    // The issue may come after its link, in the same transaction.
    IssueRow one = sample_issue(t->allocate_issue_number());
    t->link_hold(b1, "fw-1", 1, true);
    t->link_hold(b1, "fw-1", 1, false);  // linking again changes nothing
    t->insert_issue(one);
    IssueRow two = sample_issue(t->allocate_issue_number());
    two.issue.status = "Closed";
    two.issue.category = StatusCategory::closed;
    t->insert_issue(two);
    t->link_hold(b1, "fw-1", 2, false);  // the Desk decides: a closed issue blocks nothing
    PaymentHold other{{RecordKind::invoice, "INV-1"}, "fw-2", HoldState::released, std::nullopt, HoldScope::portion,
                      t0() - std::chrono::days(3), t0(), {}, {}};
    t->put_hold(other);
    HoldLedgerEntry e{0, b1, "fw-1", LedgerAction::withheld, t0(), "o", Role::office, "why", {"CMP-00001"},
                      Money::of(1234, "AUD"), false};
    CHECK(t->append_ledger(e) == 1);
    e.action = LedgerAction::released;
    e.at = t0() + std::chrono::hours(1);
    e.override_release = true;
    e.amount.reset();
    CHECK(t->append_ledger(e) == 2);
    t->commit();
  }
  auto t = s->begin(TxnMode::read);
  auto got = t->hold(b1, "fw-1");
  REQUIRE(got);
  CHECK(got->amount == Money::of(1234, "AUD"));
  CHECK(got->scope == HoldScope::whole);
  CHECK(got->since == t0());
  CHECK_FALSE(got->released_at);
  CHECK(got->issues == std::vector<std::string>{"CMP-00001", "CMP-00002"});
  CHECK(got->blocking == std::vector<std::string>{"CMP-00001"});
  CHECK_FALSE(t->hold(b1, "fw-2"));
  CHECK(t->holds_of_issue(2).size() == 1);
  CHECK(t->holds_of_issue(3).empty());
  HoldFilter f;
  CHECK(t->find_holds(f).size() == 2);
  f.invoice = "INV-1";
  CHECK(t->find_holds(f).size() == 2);  // the invoice's own hold and its booking's
  f = {};
  f.state = HoldState::released;
  REQUIRE(t->find_holds(f).size() == 1);
  CHECK(t->find_holds(f)[0].released_at == t0());
  f = {};
  f.withheld_before = t0() - std::chrono::seconds(1);
  CHECK(t->find_holds(f).empty());
  f.withheld_before = t0();
  CHECK(t->find_holds(f).size() == 1);
  auto lines = t->ledger(t0(), t0() + std::chrono::hours(1));
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].issues == std::vector<std::string>{"CMP-00001"});
  CHECK(lines[0].amount == Money::of(1234, "AUD"));
  lines = t->ledger(t0(), t0() + std::chrono::hours(2));
  REQUIRE(lines.size() == 2);
  CHECK(lines[1].override_release);
  CHECK_FALSE(lines[1].amount);
  t.reset();
  {
    // Erasing an issue leaves the ledger alone; dropping its code keeps the lines.
    auto w = s->begin(TxnMode::write);
    w->erase_issue(1);
    CHECK(w->ledger(t0(), t0() + std::chrono::hours(2))[0].issues == std::vector<std::string>{"CMP-00001"});
    CHECK(w->drop_from_ledger("CMP-00001") == 2);
    CHECK(w->drop_from_ledger("CMP-00001") == 0);
    CHECK(w->drop_from_ledger("CMP-0000") == 0);  // whole codes only
    lines = w->ledger(t0(), t0() + std::chrono::hours(2));
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].issues.empty());
    CHECK(lines[1].issues.empty());
  }
  t = s->begin(TxnMode::read);
  CHECK(t->ledger(t0(), t0() + std::chrono::hours(2))[0].issues ==
        std::vector<std::string>{"CMP-00001"});  // rolled back
}

TEST_CASE("storage: a hold's issues and blocking issues follow closing, reopening and erasure") {
  auto s = open_storage();
  RecordRef b1{RecordKind::booking, "B-1"};
  auto lists = [&](const std::string &fieldworker) {
    auto t = s->begin(TxnMode::read);
    auto h = t->hold(b1, fieldworker);
    REQUIRE(h);
    // Every read path gives the same lists.
    auto of_issue = t->holds_of_issue(1);
    auto found = t->find_holds(HoldFilter{});
    for (const auto &other : of_issue)
      if (other.fieldworker == fieldworker) CHECK(other == *h);
    for (const auto &other : found)
      if (other.fieldworker == fieldworker) CHECK(other == *h);
    return std::pair(h->issues, h->blocking);
  };
  using Codes = std::vector<std::string>;
  std::vector<IssueRow> rows;
  {
    auto t = s->begin(TxnMode::write);
    t->put_record(booking("B-1"));
    for (const char *fw : {"fw-1", "fw-2"})
      t->put_hold(PaymentHold{b1, fw, HoldState::withheld, std::nullopt, HoldScope::whole, t0(), std::nullopt,
                              {}, {}});
    for (int n = 0; n < 3; ++n) {
      rows.push_back(sample_issue(t->allocate_issue_number()));
      t->insert_issue(rows.back());
    }
    // Linked out of order: the lists come back ascending.
    for (std::int64_t n : {3, 1, 2}) t->link_hold(b1, "fw-1", n, true);
    t->link_hold(b1, "fw-2", 1, true);
    t->commit();
  }
  CHECK(lists("fw-1") == std::pair(Codes{"CMP-00001", "CMP-00002", "CMP-00003"},
                                   Codes{"CMP-00001", "CMP-00002", "CMP-00003"}));
  auto set_closed = [&](std::size_t k, bool closed) {
    auto t = s->begin(TxnMode::write);
    IssueRow after = rows[k];
    after.issue.status = closed ? "Closed" : "In Progress";
    after.issue.category = closed ? StatusCategory::closed : StatusCategory::active;
    after.issue.version = rows[k].issue.version + 1;
    REQUIRE(t->update_issue(rows[k], after));
    t->mark_blocking(after.issue.number, !closed);
    t->commit();
    rows[k] = after;
  };
  {
    // An update alone does not touch the links: whether an issue blocks is the Desk's to say.
    auto t = s->begin(TxnMode::write);
    IssueRow after = rows[2];
    after.issue.category = StatusCategory::closed;
    after.issue.version = rows[2].issue.version + 1;
    REQUIRE(t->update_issue(rows[2], after));
    t->mark_blocking(99, false);  // an issue without links: nothing to mark
    CHECK(t->hold(b1, "fw-1")->blocking == Codes{"CMP-00001", "CMP-00002", "CMP-00003"});
  }
  set_closed(1, true);
  set_closed(0, true);
  CHECK(lists("fw-1") == std::pair(Codes{"CMP-00001", "CMP-00002", "CMP-00003"}, Codes{"CMP-00003"}));
  CHECK(lists("fw-2") == std::pair(Codes{"CMP-00001"}, Codes{}));
  set_closed(0, false);  // reopened
  CHECK(lists("fw-1") == std::pair(Codes{"CMP-00001", "CMP-00002", "CMP-00003"}, Codes{"CMP-00001", "CMP-00003"}));
  CHECK(lists("fw-2") == std::pair(Codes{"CMP-00001"}, Codes{"CMP-00001"}));
  {
    auto t = s->begin(TxnMode::write);
    t->erase_issue(1);
    t->commit();
  }
  CHECK(lists("fw-1") == std::pair(Codes{"CMP-00002", "CMP-00003"}, Codes{"CMP-00003"}));
  CHECK(lists("fw-2") == std::pair(Codes{}, Codes{}));
  {
    // A rolled-back close leaves the lists as they were.
    auto t = s->begin(TxnMode::write);
    IssueRow after = rows[2];
    after.issue.category = StatusCategory::closed;
    after.issue.version = rows[2].issue.version + 1;
    REQUIRE(t->update_issue(rows[2], after));
    t->mark_blocking(3, false);
  }
  CHECK(lists("fw-1") == std::pair(Codes{"CMP-00002", "CMP-00003"}, Codes{"CMP-00003"}));
}

TEST_CASE("storage: users, comments, attachments, watchers, links, search and erasure") {
  auto s = open_storage();
  {
    auto t = s->begin(TxnMode::write);
    t->put_record(booking("B-1"));
    t->put_user(User{"u-2", Role::admin, "Two", {NotifyScope::mine, false, true, true}});
    t->put_user(User{"u-1", Role::admin, "One", {}});
    t->put_user(User{"u-3", Role::office, "Three", {}});
    for (int n = 0; n < 2; ++n) t->insert_issue(sample_issue(t->allocate_issue_number()));
    Comment c{0, "", "u-1", Role::office, true, "Hello Searchable world", std::nullopt, {"u-2", "u-3"}, {}, t0()};
    CHECK(t->add_comment(1, c) == 1);
    c.internal = false;
    c.body = "public reply";
    c.reply_to = 1;
    c.mentions.clear();
    CHECK(t->add_comment(1, c) == 2);
    Attachment a{0, "", 2, "p.jpg", "image/jpeg", 3, std::string(64, 'd'), "", std::string("\0\1\2", 3), false, "u-1",
                 t0()};
    CHECK(t->add_attachment(1, a) == 1);
    Attachment k = a;
    k.comment_id.reset();
    k.storage_key = "bucket/k";
    k.bytes.clear();
    k.internal = true;
    CHECK(t->add_attachment(1, k) == 2);
    CHECK(t->add_watcher(1, "u-3"));
    CHECK_FALSE(t->add_watcher(1, "u-3"));
    CHECK(t->add_watcher(1, "u-1"));
    CHECK(t->add_watcher(2, "u-1"));
    CHECK(t->add_link({2, 1, LinkKind::duplicate_of, "u-1", t0()}));
    CHECK_FALSE(t->add_link({2, 1, LinkKind::duplicate_of, "u-1", t0()}));
    CHECK(t->add_link({1, 2, LinkKind::related, "u-1", t0()}));
    OutboxItem item;
    item.idempotency_key = "k1";
    item.issue_code = "CMP-00001";
    t->enqueue(item);
    item.idempotency_key = "k2";
    item.issue_code = "CMP-00002";
    t->enqueue(item);
    // Search reads the texts the Desk writes, per audience: the description,
    // comments and attachment names, the customer's without internal ones.
    const std::string description = sample_issue(1).issue.description;
    t->put_search_text(1, {description + "\npublic reply\np.jpg",
                           description + "\nHello Searchable world\npublic reply\np.jpg\np.jpg"});
    t->put_search_text(2, {description, description});
    t->commit();
  }
  {
    auto t = s->begin(TxnMode::read);
    CHECK(t->user("u-2")->settings == NotificationSettings{NotifyScope::mine, false, true, true});
    CHECK_FALSE(t->user("nobody"));
    auto admins = t->users_with_role(Role::admin);
    REQUIRE(admins.size() == 2);
    CHECK(admins[0].id == "u-1");
    auto thread = t->comments(1);
    REQUIRE(thread.size() == 2);
    CHECK(thread[0].mentions == std::vector<std::string>{"u-2", "u-3"});
    CHECK(thread[0].attachments.empty());
    CHECK(thread[1].reply_to == 1);
    REQUIRE(thread[1].attachments.size() == 1);
    CHECK(thread[1].attachments[0].bytes.empty());
    CHECK(t->attachment(1)->bytes == std::string("\0\1\2", 3));
    CHECK(t->attachment(2)->storage_key == "bucket/k");
    CHECK(t->attachments(1).size() == 2);
    CHECK(t->watchers(1) == std::vector<std::string>{"u-1", "u-3"});
    auto links = t->links(1);
    REQUIRE(links.size() == 2);
    CHECK(links[0].kind == LinkKind::duplicate_of);
    CHECK(links[0].from == 2);
    SearchQuery q = all_of({{"searchable"}}, R"("searchable")");
    q.limit = 10;
    auto found = t->search(q);
    REQUIRE(found.size() == 1);
    CHECK(found[0].issue.number == 1);
    CHECK(found[0].score > 0);
    CHECK(found[0].text.find("Hello Searchable world") != std::string::npos);
    q.audience = SearchAudience::customer;  // the comment is internal
    CHECK(t->search(q).empty());
    SearchQuery both = all_of({{"public"}, {"p", "jpg"}}, R"(("public" AND "p jpg"))");
    both.audience = SearchAudience::customer;
    CHECK(t->search(both).size() == 1);
    both.scope.customer = "someone else";
    CHECK(t->search(both).empty());
    both.scope.customer.reset();
    both.scope.reader = "fw-1";  // no readers were put
    CHECK(t->search(both).empty());
    SearchQuery phrase = all_of({{"line", "two"}}, R"("line two")");  // in both descriptions
    phrase.audience = SearchAudience::customer;
    CHECK(t->search(phrase).size() == 2);
    phrase.offset = 1;
    CHECK(t->search(phrase).size() == 1);
  }
  {
    auto t = s->begin(TxnMode::write);
    CHECK(t->remove_watcher(1, "u-3"));
    CHECK_FALSE(t->remove_watcher(1, "u-3"));
    CHECK(t->remove_link(1, 2, LinkKind::related));
    ErasedCounts n = t->erase_issue(1);
    CHECK(n.comments == 2);
    CHECK(n.attachments == 2);
    CHECK(n.outbox_items == 1);
    t->commit();
  }
  auto t = s->begin(TxnMode::read);
  CHECK_FALSE(t->issue(1));
  CHECK(t->comments(1).empty());
  CHECK_FALSE(t->attachment(1));
  CHECK(t->watchers(1).empty());
  CHECK(t->links(2).empty());
  CHECK(t->watchers(2) == std::vector<std::string>{"u-1"});
  auto pending = t->pending_outbox(10, 0);
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].issue_code == "CMP-00002");
}

TEST_CASE("storage: groups keep their members; a user's groups") {
  auto s = open_storage();
  {
    auto t = s->begin(TxnMode::write);
    t->put_group({"roads", "Roads and Highways", {"u-2", "u-1"}});
    t->put_group({"parks", "Parks", {}});
    t->put_group({"housing", "Housing", {"u-1"}});
    t->put_group({"roads", "Roads", {"u-3", "u-1"}});  // replaces name and members
    t->commit();
  }
  auto t = s->begin(TxnMode::read);
  CHECK(t->group("roads") == Group{"roads", "Roads", {"u-1", "u-3"}});
  CHECK(t->group("parks") == Group{"parks", "Parks", {}});
  CHECK_FALSE(t->group("sewers"));
  auto all = t->groups();
  REQUIRE(all.size() == 3);
  CHECK(all[0].id == "housing");
  CHECK(all[1].id == "parks");
  CHECK(all[2] == Group{"roads", "Roads", {"u-1", "u-3"}});
  CHECK(t->groups_of_user("u-1") == std::vector<std::string>{"housing", "roads"});
  CHECK(t->groups_of_user("u-2").empty());
}

namespace {

Task sample_task(std::int64_t id, std::int64_t number, const std::string &group, const std::string &assignee = "") {
  Task t;
  t.id = id;
  t.number = number;
  t.issue_code = format_issue_code(number);
  t.kind = "investigate";
  t.stage = "Stage 1";
  t.group = group;
  t.assignee = assignee;
  t.mandatory = true;
  t.access = TaskAccess::contact;
  t.instructions = "Check the gully on\nMill Lane \xe2\x9c\x93";
  t.created_by = "office-1";
  t.created_at = t0();
  t.updated_at = t0();
  SlaClock c;
  c.name = "respond";
  c.budget = std::chrono::hours(24);
  c.started_at = t0();
  c.as_of = t0();
  c.due_at = t0() + std::chrono::hours(24);
  t.slas = {c};
  return t;
}

}  // namespace

TEST_CASE("storage: tasks round-trip, update by version, queue by group and assignee") {
  auto s = open_storage();
  std::vector<Task> made;
  {
    auto t = s->begin(TxnMode::write);
    t->put_record(booking("B-1"));
    for (std::int64_t n = 1; n <= 2; ++n) t->insert_issue(sample_issue(t->allocate_issue_number()));
    CHECK(t->allocate_task_id() == 1);
    made.push_back(sample_task(1, 1, "roads"));
    made.push_back(sample_task(t->allocate_task_id(), 2, "parks"));
    made.push_back(sample_task(t->allocate_task_id(), 1, "", "u-9"));  // assigned to a user directly
    made.push_back(sample_task(t->allocate_task_id(), 2, "roads", "u-1"));  // claimed
    for (const auto &task : made) t->insert_task(task);
    t->commit();
  }
  {
    auto t = s->begin(TxnMode::read);
    CHECK(t->task(1) == made[0]);
    CHECK(t->task(3) == made[2]);
    CHECK_FALSE(t->task(9));
    auto of_1 = t->tasks_of_issue(1);
    REQUIRE(of_1.size() == 2);
    CHECK(of_1[0] == made[0]);
    CHECK(of_1[1] == made[2]);
    std::vector<std::string> roads{"roads"}, both{"parks", "roads"}, none;
    auto ids = [](const std::vector<Task> &ts) {
      std::vector<std::int64_t> out;
      for (const auto &x : ts) out.push_back(x.id);
      return out;
    };
    CHECK(ids(t->open_tasks(roads, "", 0, 100)) == std::vector<std::int64_t>{1});  // task 4 is claimed
    CHECK(ids(t->open_tasks(both, "", 0, 100)) == std::vector<std::int64_t>{1, 2});
    CHECK(ids(t->open_tasks(both, "", 1, 100)) == std::vector<std::int64_t>{2});
    CHECK(ids(t->open_tasks(both, "", 0, 1)) == std::vector<std::int64_t>{1});
    CHECK(t->open_tasks(none, "", 0, 100).empty());
    CHECK(ids(t->open_tasks(none, "u-1", 0, 100)) == std::vector<std::int64_t>{4});
    CHECK(ids(t->open_tasks(none, "u-9", 0, 100)) == std::vector<std::int64_t>{3});
  }
  // A claim is a compare-and-set on the version: the second with the same
  // `before` loses and writes nothing.
  Task claimed = made[0];
  claimed.assignee = "u-3";
  claimed.version = 2;
  Task rival = made[0];
  rival.assignee = "u-1";
  rival.version = 2;
  {
    auto t = s->begin(TxnMode::write);
    CHECK(t->update_task(made[0], claimed));
    CHECK_FALSE(t->update_task(made[0], rival));
    t->commit();
  }
  Task done = claimed;
  done.state = TaskState::completed;
  done.done_at = t0() + std::chrono::hours(2);
  done.done_by = "u-3";
  done.notes = "Cleared the gully.";
  done.slas.front().state = SlaState::stopped;
  done.version = 3;
  {
    auto t = s->begin(TxnMode::write);
    CHECK(t->update_task(claimed, done));
    t->commit();
  }
  auto t = s->begin(TxnMode::read);
  CHECK(t->task(1) == done);
  std::vector<std::string> roads{"roads"};
  CHECK(t->open_tasks(roads, "", 0, 100).empty());
  CHECK(t->open_tasks({}, "u-3", 0, 100).empty());  // completed: in nobody's list
}

// A backend may write only the columns an update changes (SQLite does): each
// field changed alone, and a change that undoes the one before, must read
// back whole, with the queues following the group, assignee and state.
TEST_CASE("storage: a task update stores every field it changes, one at a time or all at once") {
  auto s = open_storage();
  {
    auto t = s->begin(TxnMode::write);
    t->put_record(booking("B-1"));
    for (int n = 0; n < 2; ++n) t->insert_issue(sample_issue(t->allocate_issue_number()));
    t->insert_task(sample_task(t->allocate_task_id(), 1, "roads"));
    t->commit();
  }
  using Change = std::function<void(Task &)>;
  const std::vector<Change> changes = {
      [](Task &x) {
        x.number = 2;
        x.issue_code = format_issue_code(2);
      },
      [](Task &x) { x.kind = "respond"; },
      [](Task &x) { x.stage = "Stage 2"; },
      [](Task &x) { x.group = "parks"; },
      [](Task &x) { x.assignee = "u-7"; },
      [](Task &x) { x.assignee.clear(); },
      [](Task &x) { x.mandatory = false; },
      [](Task &x) { x.access = TaskAccess::everything; },
      [](Task &x) { x.instructions = "Ring first."; },
      [](Task &x) { x.created_by = "office-2"; },
      [](Task &x) { x.created_at += std::chrono::minutes(1); },
      [](Task &x) { x.updated_at += std::chrono::hours(1); },
      [](Task &x) { x.done_at = t0() + std::chrono::hours(3); },
      [](Task &x) { x.done_at.reset(); },
      [](Task &x) { x.done_by = "u-7"; },
      [](Task &x) { x.notes = "Done."; },
      [](Task &x) { x.slas.front().state = SlaState::stopped; },
      [](Task &x) { x.slas.clear(); },
      [](Task &x) { x.state = TaskState::cancelled; },
  };
  Task stored = sample_task(1, 1, "roads");
  auto update = [&](const Task &after) {
    auto t = s->begin(TxnMode::write);
    REQUIRE(t->update_task(stored, after));
    t->commit();
    stored = after;
    auto r = s->begin(TxnMode::read);
    CHECK(r->task(1) == stored);
    CHECK(r->tasks_of_issue(stored.number).size() == 1);
    std::vector<std::string> group{stored.group};
    CHECK(r->open_tasks(group, "", 0, 10).size() == (stored.claimable() ? 1u : 0u));
    CHECK(r->open_tasks({}, "u-7", 0, 10).size() == (stored.state == TaskState::open && stored.assignee == "u-7" ? 1u : 0u));
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    CAPTURE(i);
    Task after = stored;
    changes[i](after);
    after.version = stored.version + 1;
    update(after);
  }
  Task all = sample_task(1, 1, "roads", "u-7");  // every field back at once (and claimed)
  all.version = stored.version + 1;
  update(all);
}

TEST_CASE("storage: tasks go with their issue's erasure and with a rollback") {
  auto s = open_storage();
  {
    auto t = s->begin(TxnMode::write);
    t->put_record(booking("B-1"));
    t->insert_issue(sample_issue(t->allocate_issue_number()));
    t->insert_issue(sample_issue(t->allocate_issue_number()));
    t->insert_task(sample_task(t->allocate_task_id(), 1, "roads"));
    t->insert_task(sample_task(t->allocate_task_id(), 1, "roads"));
    t->insert_task(sample_task(t->allocate_task_id(), 2, "roads"));
    t->commit();
  }
  std::string before = s->begin(TxnMode::read)->dump();
  {
    auto t = s->begin(TxnMode::write);
    t->put_group({"roads", "Roads", {"u-1"}});
    t->insert_task(sample_task(t->allocate_task_id(), 2, "roads"));
    Task first = *t->task(1);
    Task changed = first;
    changed.assignee = "u-1";
    changed.version = 2;
    CHECK(t->update_task(first, changed));
    // not committed
  }
  CHECK(s->begin(TxnMode::read)->dump() == before);
  {
    auto t = s->begin(TxnMode::write);
    ErasedCounts n = t->erase_issue(1);
    CHECK(n.tasks == 2);
    t->commit();
  }
  auto t = s->begin(TxnMode::read);
  CHECK_FALSE(t->task(1));
  CHECK_FALSE(t->task(2));
  CHECK(t->task(3));
  CHECK(t->tasks_of_issue(1).empty());
}
