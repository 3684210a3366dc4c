// Lists and paging (docs/reporting.md, "Lists and paging"): Desk::list by
// issue number, page after page through after_number, for every reader, as
// records change hands and visibility and issues move or go.
#include <set>

#include "support/support.hpp"

using namespace complaints;

namespace {

// Every page of `filter` for `actor`, `limit` at a time, joined; each page in
// number order and after the one before.
std::vector<std::string> all_pages(Desk &desk, const Actor &actor, IssueFilter filter, std::size_t limit) {
  filter.limit = limit;
  std::vector<std::string> out;
  std::int64_t last = 0;
  for (;;) {
    auto page = desk.list(actor, filter);
    CHECK(page.size() <= limit);
    for (const auto &i : page) {
      CHECK(i.number > last);
      last = i.number;
      out.push_back(i.code);
    }
    if (page.size() < limit) return out;
    filter.after_number = last;
  }
}

bool sees(Desk &desk, const Actor &actor, const std::string &code) {
  try {
    desk.get(actor, code);
    return true;
  } catch (const NotFound &) {
    return false;
  }
}

// The criteria these tests use, decided from the issue itself.
bool matches(const IssueFilter &f, const Issue &i) {
  auto has = [](const auto &list, const auto &v) { return std::find(list.begin(), list.end(), v) != list.end(); };
  return (!f.status || i.status == *f.status) && (f.categories.empty() || has(f.categories, i.category)) &&
         (!f.record_kind || i.record.kind == *f.record_kind) && (!f.record || i.record == *f.record) &&
         (!f.workflow || i.workflow == *f.workflow) && (!f.customer_id || i.customer_id == *f.customer_id) &&
         (!f.fieldworker || has(i.fieldworkers, *f.fieldworker));
}

// For every reader and filter, the pages hold exactly the issues the reader
// may see (Desk::get, the one rule of who sees what) that match, each once.
void check_every_reader(Desk &desk) {
  IssueFilter everything;
  everything.limit = limits::page_items;
  std::vector<Issue> issues = desk.list(test::admin(), everything);
  std::vector<IssueFilter> filters(10);
  filters[1] = IssueFilter::open_issues();
  filters[2].status = "In Progress";
  filters[3].record_kind = RecordKind::quote;
  filters[4].fieldworker = "fw-2";
  filters[5].workflow = "field-service";
  filters[6].record = RecordRef{RecordKind::quote, "Q-2"};
  filters[7].customer_id = "cust-2";
  filters[8] = IssueFilter::open_issues();
  filters[8].record_kind = RecordKind::booking;
  filters[9] = IssueFilter::open_issues();
  filters[9].fieldworker = "fw-1";
  for (const Actor &actor :
       {test::fieldworker("fw-1"), test::fieldworker("fw-2"), test::fieldworker("fw-3"), test::fieldworker("fw-9"),
        test::customer("cust-1"), test::customer("cust-2"), test::customer("cust-3"), test::office()}) {
    for (std::size_t k = 0; k < filters.size(); ++k) {
      CAPTURE(actor.id);
      CAPTURE(k);
      std::vector<std::string> expected;
      for (const auto &i : issues)
        if (matches(filters[k], i) && sees(desk, actor, i.code)) expected.push_back(i.code);
      for (std::size_t limit : {2, 7, 50}) CHECK(all_pages(desk, actor, filters[k], limit) == expected);
    }
  }
}

}  // namespace

TEST_CASE_TEMPLATE("paging through a list gives each issue the reader may see once, in order, as records change", B,
                   TEST_BACKENDS) {
  test::DeskFixture<B> f;
  const Actor office = test::office(), admin = test::admin();
  const std::vector<Record> records = {
      test::booking("B-1", "cust-1", {"fw-1", "fw-2"}),
      test::booking("B-2", "cust-2", {"fw-2"}),
      {{RecordKind::quote, "Q-1"}, "cust-1", {"fw-1"}, RecordVisibility::restricted, false},
      {{RecordKind::quote, "Q-2"}, "cust-2", {"fw-1", "fw-3"}, RecordVisibility::all, false},
      {{RecordKind::invoice, "I-1"}, "cust-3", {"fw-3"}, RecordVisibility::all, false}};
  for (const auto &r : records) f.desk.put_record(office, r);
  for (int k = 0; k < 40; ++k) {
    ReportRequest r;
    r.record = records[static_cast<std::size_t>(k) % records.size()].ref;
    r.type = k % 2 ? "Late Service" : "Damage Caused";
    r.description = "Issue " + std::to_string(k);
    Issue i = f.desk.report(office, r);
    if (k % 3 == 1) f.act(office, i, "convert_to_in_progress");
    if (k % 3 == 2) f.act(admin, i, "close");
  }
  check_every_reader(f.desk);

  SUBCASE("a quote's issues come and go with its visibility") {
    Record q1 = records[2];
    q1.visibility = RecordVisibility::all;
    f.desk.put_record(office, q1);
    Record q2 = records[3];
    q2.visibility = RecordVisibility::restricted;
    f.desk.put_record(office, q2);
    check_every_reader(f.desk);
  }
  SUBCASE("a record's issues follow its fieldworkers") {
    f.desk.put_record(office, test::booking("B-1", "cust-1", {"fw-3"}));
    Record q2 = records[3];
    q2.fieldworkers = {"fw-3", "fw-2"};
    f.desk.put_record(office, q2);
    check_every_reader(f.desk);
    f.desk.put_record(office, records[0]);  // and back
    check_every_reader(f.desk);
  }
  SUBCASE("issues moved to another record are listed for its readers") {
    f.desk.put_record(office, test::booking("B-3", "cust-1", {"fw-2"}));
    CHECK(f.desk.relink_record(admin, records[2].ref, {RecordKind::booking, "B-3"}).size() == 8);
    check_every_reader(f.desk);
  }
  SUBCASE("closed issues reopened, and open ones closed, move between the open lists") {
    for (const auto &i : f.desk.list(admin, {})) f.act(admin, i, i.is_closed() ? "reopen" : "close");
    check_every_reader(f.desk);
  }
  SUBCASE("an issue deleted forever is in nobody's list") {
    f.desk.delete_forever(admin, "CMP-00004");
    f.desk.delete_forever(admin, "CMP-00001");
    check_every_reader(f.desk);
  }
}
