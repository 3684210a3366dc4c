// SPEC R1.4, R5.4: every read path, for every role, on every record kind and
// visibility, returns exactly what that actor may see, and internal content
// never reaches a customer.
#include "support/support.hpp"

#include <set>

using namespace complaints;
using test::expect_error;

namespace {

struct Reader {
  std::string name;
  Actor actor;
};

const std::vector<Reader> readers = {
    {"admin", test::admin()},
    {"supervisor", test::supervisor()},
    {"office", test::office()},
    {"system", test::system_actor()},
    {"assigned fieldworker", test::fieldworker("fw-1")},
    {"other fieldworker", test::fieldworker("fw-2")},
    {"customer", test::customer("cust-1")},
    {"other customer", test::customer("cust-2")},
};

// R1.4, written out independently of the library's access rules.
bool should_see(const Reader &r, RecordKind kind, RecordVisibility vis) {
  if (is_staff(r.actor.role)) return true;
  if (r.name == "assigned fieldworker") return kind == RecordKind::booking || vis == RecordVisibility::all;
  if (r.name == "customer") return true;
  return false;
}

bool is_customer(const Reader &r) { return r.actor.role == Role::customer; }

struct Case {
  RecordKind kind;
  RecordVisibility vis;
  Issue issue;
  std::string tag;  // unique text in this case's description and comments
};

template <typename F>
std::vector<Case> build(F &f) {
  f.desk.put_user(test::admin(), User{"fw-1", Role::fieldworker, "Fay", {}});
  f.desk.put_user(test::admin(), User{"office-1", Role::office, "Olivia", {}});
  // An issue of another customer, that links point to.
  f.desk.put_record(test::office(), test::booking("B-OTHER", "cust-2", {"fw-2"}));
  ReportRequest other;
  other.record = {RecordKind::booking, "B-OTHER"};
  other.type = "Other";
  other.description = "Someone else's complaint";
  Issue foreign = f.desk.report(test::office(), other);

  std::vector<Case> cases;
  int n = 0;
  for (auto kind : {RecordKind::quote, RecordKind::booking, RecordKind::invoice})
    for (auto vis : {RecordVisibility::restricted, RecordVisibility::all}) {
      std::string id = "R-" + std::to_string(++n);
      f.desk.put_record(test::office(), Record{{kind, id}, "cust-1", {"fw-1"}, vis, false});
      std::string tag = "case" + std::to_string(n);
      ReportRequest r;
      r.record = {kind, id};
      r.type = "Damage Caused";
      r.description = "Description " + tag + "desc";
      Issue i = f.desk.report(test::office(), r);
      f.desk.add_comment(test::office(), i.code,
                         CommentRequest{"Public " + tag + "public", false, std::nullopt,
                                        {AttachmentRequest{"public.txt", "text/plain", std::nullopt, std::string("pub"), 0, "", false}}});
      f.desk.add_comment(test::office(), i.code,
                         CommentRequest{"Internal " + tag + "secret" +
                                            (kind == RecordKind::booking || vis == RecordVisibility::all ? ", ask @fw-1" : ""),
                                        true, std::nullopt,
                                        {AttachmentRequest{"secret.txt", "text/plain", std::nullopt, std::string("sss"), 0, "", true}}});
      f.desk.attach(test::office(), i.code, AttachmentRequest{"internal.pdf", "application/pdf", std::string("key-" + tag), std::nullopt, 10, std::string(64, 'a'), true});
      f.desk.watch(test::office(), i.code, "office-1");
      f.desk.link_issues(test::office(), i.code, foreign.code, LinkKind::related);
      f.act(test::admin(), i, "close", {{"note", "Staff note " + tag + "secret"}});
      cases.push_back({kind, vis, f.desk.get(test::admin(), i.code), tag});
    }
  return cases;
}

}  // namespace

TEST_CASE_TEMPLATE("the visibility matrix: role x record kind x visibility x read path", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  auto cases = build(f);
  int checks = 0;
  for (const auto &c : cases)
    for (const auto &r : readers) {
      CAPTURE(r.name);
      CAPTURE(to_string(c.kind));
      CAPTURE(to_string(c.vis));
      bool sees = should_see(r, c.kind, c.vis);
      const Actor &a = r.actor;

      // get, available_actions, timeline, thread, attachments, links, watchers, record
      if (!sees) {
        expect_error(Errc::not_found, [&] { f.desk.get(a, c.issue.code); });
        expect_error(Errc::not_found, [&] { f.desk.timeline(a, c.issue.code); });
        expect_error(Errc::not_found, [&] { f.desk.thread(a, c.issue.code); });
        expect_error(Errc::not_found, [&] { f.desk.attachments(a, c.issue.code); });
        expect_error(Errc::not_found, [&] { f.desk.links(a, c.issue.code); });
        expect_error(Errc::not_found, [&] { f.desk.available_actions(a, c.issue.code); });
        for (const auto &att : f.desk.attachments(test::admin(), c.issue.code))
          expect_error(Errc::not_found, [&] { f.desk.attachment(a, att.id); });
        expect_error(Errc::not_found, [&] { f.desk.record(a, c.issue.record); });
      } else {
        CHECK(f.desk.get(a, c.issue.code) == c.issue);
        CHECK_NOTHROW(f.desk.available_actions(a, c.issue.code));
        CHECK(f.desk.record(a, c.issue.record).ref == c.issue.record);
        auto timeline = f.desk.timeline(a, c.issue.code);
        auto thread = f.desk.thread(a, c.issue.code);
        auto files = f.desk.attachments(a, c.issue.code);
        auto links = f.desk.links(a, c.issue.code);
        if (is_customer(r)) {
          for (const auto &e : timeline) {
            CHECK_FALSE(e.internal);
            CHECK(e.note.find("secret") == std::string::npos);
          }
          REQUIRE(thread.size() == 1);
          CHECK_FALSE(thread[0].internal);
          CHECK(files.size() == 1);
          CHECK(files[0].name == "public.txt");
          CHECK(links.empty());  // the linked issue is another customer's
          for (const auto &att : f.desk.attachments(test::admin(), c.issue.code))
            if (att.internal) expect_error(Errc::not_found, [&] { f.desk.attachment(a, att.id); });
          expect_error(Errc::forbidden, [&] { f.desk.watchers(a, c.issue.code); });
        } else {
          CHECK(thread.size() == 2);
          CHECK(files.size() == 3);
          CHECK(std::any_of(timeline.begin(), timeline.end(), [](const TimelineEntry &e) { return e.internal; }));
          CHECK(f.desk.attachment(a, files[1].id).bytes == "sss");
          CHECK(f.desk.watchers(a, c.issue.code) == std::vector<std::string>{"office-1"});
          // Staff see the link; the fieldworker only if they can see the other issue (they cannot).
          CHECK(links.size() == (is_staff(a.role) ? 1u : 0u));
        }
      }

      // list and search
      auto listed = f.desk.list(a, {});
      bool in_list = std::any_of(listed.begin(), listed.end(), [&](const Issue &i) { return i.code == c.issue.code; });
      CHECK(in_list == sees);
      auto found = [&](const std::string &text) {
        auto hits = f.desk.search(a, text);
        return std::any_of(hits.begin(), hits.end(), [&](const Issue &i) { return i.code == c.issue.code; });
      };
      CHECK(found(c.tag + "desc") == sees);
      CHECK(found(c.tag + "public") == sees);
      CHECK(found(c.tag + "secret") == (sees && !is_customer(r)));
      checks += 1;
    }
  CHECK(checks == static_cast<int>(cases.size() * readers.size()));

  // No notification or message to a customer carries internal content.
  for (const auto &item : f.desk.outbox_pending(test::system_actor(), 10000))
    if (item.recipient.starts_with("cust")) {
      CHECK(item.body_text.find("secret") == std::string::npos);
      CHECK(item.subject.find("secret") == std::string::npos);
      CHECK(item.body_html.find("secret") == std::string::npos);
    }
}
