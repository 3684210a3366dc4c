// SPEC R6.1, R6.2: for each kind of event, exactly the expected outbox items
// (recipient, channel, event), and none for a user whose settings exclude it.
#include "support/support.hpp"

#include <set>
#include <tuple>

using namespace complaints;
using test::expect_error;

namespace {

using Item = std::tuple<std::string, std::string, std::string>;  // recipient, channel, event

struct Notified {
  std::set<Item> items;
  std::vector<OutboxItem> raw;
};

// Items queued since the last call, as (recipient, channel, event).
template <typename F>
Notified drain(F &f) {
  Notified n;
  auto pending = f.desk.outbox_pending(test::system_actor(), 10000);
  std::vector<std::int64_t> ids;
  for (const auto &item : pending) {
    n.items.insert({item.recipient, to_string(item.channel), item.event});
    n.raw.push_back(item);
    ids.push_back(item.id);
  }
  f.desk.outbox_ack(test::system_actor(), ids);
  return n;
}

template <typename F>
void register_people(F &f) {
  f.desk.put_user(test::admin(), User{"ada", Role::admin, "Ada", {}});
  f.desk.put_user(test::admin(), User{"office-2", Role::office, "Otto", {}});
  f.desk.put_user(test::admin(), User{"fw-1", Role::fieldworker, "Fay", {}});
  f.desk.put_user(test::admin(), User{"fw-2", Role::fieldworker, "Finn", {}});
  f.desk.put_record(test::office(), test::booking("B-1", "cust-1", {"fw-1", "fw-2"}));
}

template <typename F>
Issue report(F &f) {
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Damage Caused";
  r.description = "Dented the fridge.";
  r.fieldworkers = std::vector<std::string>{"fw-1"};
  return f.desk.report(test::office(), r);
}

}  // namespace

TEST_CASE_TEMPLATE("who is told of each event, with default settings", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  register_people(f);

  Issue i = report(f);  // by office-1
  CHECK(drain(f).items == std::set<Item>{
                              {"ada", "push", "issue_reported"},
                              {"fw-1", "push", "issue_reported"},
                              {"fw-2", "push", "issue_reported"},
                              {"cust-1", "email", "issue_reported"},
                              {"cust-1", "email", "message:acknowledgement"},
                              {"fw-1", "push", "payment_withheld"},
                              {"ada", "push", "payment_withheld"},
                          });

  f.desk.watch(test::office(), i.code, "office-2");
  CHECK(drain(f).items.empty());  // watching is not announced

  f.act(test::fieldworker("fw-1"), i, "resolve");
  CHECK(drain(f).items == std::set<Item>{
                              {"ada", "push", "status_changed"},
                              {"fw-2", "push", "status_changed"},
                              {"office-2", "push", "status_changed"},
                              {"cust-1", "email", "status_changed"},
                          });

  Comment internal = f.desk.add_comment(test::office(), i.code, CommentRequest{"@fw-2 can you check?", true, {}, {}});
  CHECK(drain(f).items == std::set<Item>{
                              {"ada", "push", "comment_added"},
                              {"fw-1", "push", "comment_added"},
                              {"fw-2", "push", "user_mentioned"},
                              {"office-2", "push", "comment_added"},
                          });

  Comment mine = f.desk.add_comment(test::customer(), i.code, CommentRequest{"Any news?", false, {}, {}});
  drain(f);
  f.desk.add_comment(test::fieldworker("fw-2"), i.code, CommentRequest{"Tomorrow.", false, mine.id, {}});
  Notified reply = drain(f);
  CHECK(reply.items == std::set<Item>{
                           {"ada", "push", "comment_added"},
                           {"fw-1", "push", "comment_added"},
                           {"office-2", "push", "comment_added"},
                           {"cust-1", "email", "comment_added"},
                       });
  for (const auto &item : reply.raw)
    if (item.recipient == "cust-1") CHECK(item.subject == "fw-2 replied to your comment on " + i.code);

  IssueEdit e;
  e.description = "Dented the fridge door.";
  f.desk.edit(test::office(), i.code, e);
  CHECK(drain(f).items == std::set<Item>{
                              {"ada", "push", "issue_edited"},
                              {"fw-1", "push", "issue_edited"},
                              {"fw-2", "push", "issue_edited"},
                              {"office-2", "push", "issue_edited"},
                          });

  Issue other = report(f);
  drain(f);
  f.desk.link_issues(test::office(), other.code, i.code, LinkKind::duplicate_of);
  CHECK(drain(f).items == std::set<Item>{
                              {"ada", "push", "issue_linked"},
                              {"fw-1", "push", "issue_linked"},
                              {"fw-2", "push", "issue_linked"},
                              {"office-2", "push", "issue_linked"},
                          });

  f.act(test::admin(), i, "approve");  // releases nothing: `other` still keeps fw-1's payout
  CHECK(drain(f).items == std::set<Item>{
                              {"ada", "push", "status_changed"},
                              {"fw-1", "push", "status_changed"},
                              {"fw-2", "push", "status_changed"},
                              {"office-2", "push", "status_changed"},
                              {"cust-1", "email", "status_changed"},
                              {"cust-1", "email", "message:final_resolution"},
                          });
  f.act(test::admin(), other, "close");
  Notified released = drain(f);
  CHECK(released.items.count({"fw-1", "push", "payment_released"}) == 1);
  CHECK(released.items.count({"ada", "push", "payment_released"}) == 1);

  Actor remover{"admin-0", Role::admin, Permissions::all()};
  f.desk.delete_forever(remover, i.code);
  Notified deleted = drain(f);
  CHECK(deleted.items == std::set<Item>{
                             {"fw-1", "push", "issue_deleted"},
                             {"fw-2", "push", "issue_deleted"},
                             {"office-2", "push", "issue_deleted"},
                         });
  for (const auto &item : deleted.raw) {
    CHECK(item.subject == i.code + " was deleted");
    CHECK(item.body_text == "Complaint " + i.code + " was deleted.");
  }
  (void)internal;
}

TEST_CASE_TEMPLATE("each user's settings choose the scope and the channels", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  register_people(f);
  // fw-1 hears only replies and mentions; fw-2 wants push and SMS; the admin
  // only what is theirs; office-2 switched everything off.
  f.desk.set_notification_settings(test::fieldworker("fw-1"), "fw-1", {NotifyScope::replies, true, false, false});
  f.desk.set_notification_settings(test::fieldworker("fw-2"), "fw-2", {NotifyScope::all, true, true, false});
  f.desk.set_notification_settings(test::admin(), "ada", {NotifyScope::mine, false, false, true});
  f.desk.set_notification_settings(test::admin(), "office-2", {NotifyScope::all, false, false, false});
  expect_error(Errc::forbidden, [&] { f.desk.set_notification_settings(test::fieldworker("fw-1"), "fw-2", {}); });
  expect_error(Errc::not_found, [&] { f.desk.set_notification_settings(test::admin(), "nobody", {}); });

  Issue i = report(f);
  CHECK(drain(f).items == std::set<Item>{
                              {"fw-2", "push", "issue_reported"},
                              {"fw-2", "sms", "issue_reported"},
                              {"cust-1", "email", "issue_reported"},
                              {"cust-1", "email", "message:acknowledgement"},
                          });
  f.desk.watch(test::office(), i.code, "office-2");
  f.desk.watch(test::admin(), i.code, "ada");  // now the issue is the admin's too
  f.act(test::office(), i, "convert_to_in_progress");
  CHECK(drain(f).items == std::set<Item>{
                              {"ada", "email", "status_changed"},
                              {"fw-2", "push", "status_changed"},
                              {"fw-2", "sms", "status_changed"},
                              {"cust-1", "email", "status_changed"},
                          });
  Comment c = f.desk.add_comment(test::fieldworker("fw-1"), i.code, CommentRequest{"On my way.", true, {}, {}});
  drain(f);
  f.desk.add_comment(test::office(), i.code, CommentRequest{"Thanks, @fw-1", true, c.id, {}});
  Notified n = drain(f);
  CHECK(n.items.count({"fw-1", "push", "user_mentioned"}) == 1);
  CHECK(std::none_of(n.items.begin(), n.items.end(), [](const Item &it) { return std::get<0>(it) == "office-2"; }));
}
