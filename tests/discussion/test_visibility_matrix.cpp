// SPEC R1.4, R5.4: every read path, for every role, on every record kind and
// visibility, returns exactly what that actor may see, and internal content
// never reaches a customer.
#include "support/support.hpp"

#include <map>
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
      // Snippets: a customer's hit on every word of the case shows none of its internal ones
      // (their ranking is the subject of tests/search/test_search.cpp).
      SearchOptions every{c.tag + "desc OR " + c.tag + "public OR " + c.tag + "secret"};
      every.snippet_words = limits::snippet_words;
      for (const auto &hit : f.desk.search(a, every)) {
        if (hit.issue.code != c.issue.code) continue;
        CHECK(hit.snippet.find(c.tag + "public") != std::string::npos);
        CHECK((hit.snippet.find(c.tag + "secret") != std::string::npos) == !is_customer(r));
      }
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

// SPEC R5.4 for attachments: an attachment's own flag holds. Every author role
// posts on an internal and on a public comment, and on the issue itself, with
// the flag unset, true and false; then every reader reads through every path.
namespace {

enum class Flag { unset, internal, public_ };

std::optional<bool> requested(Flag f) {
  if (f == Flag::unset) return std::nullopt;
  return f == Flag::internal;
}

const char *flag_text(Flag f) { return f == Flag::unset ? "unset" : f == Flag::internal ? "true" : "false"; }

struct Posted {
  std::string name;  // unique: "file-<n>x.txt"
  std::string bytes;
  bool internal;    // as it must be stored
  bool on_comment;  // else on the issue itself
};

// Posts every combination; checks each is stored as the rules say, or refused
// naming the flag and leaving the store as it was.
template <typename F>
std::vector<Posted> post_everything(F &f, const Issue &issue) {
  std::vector<Posted> posted;
  int n = 0;
  auto file = [&](Flag flag) {
    std::string name = "file-" + std::to_string(++n) + "x.txt";
    return std::pair{name, AttachmentRequest{name, "text/plain", std::nullopt, "bytes of " + name, 0, "", requested(flag)}};
  };
  for (const auto &author : readers) {
    if (author.name == "other fieldworker" || author.name == "other customer") continue;
    bool customer = is_customer(author);
    for (bool comment_internal : {true, false})
      for (auto flag : {Flag::unset, Flag::internal, Flag::public_}) {
        CAPTURE(author.name);
        CAPTURE(comment_internal);
        CAPTURE(flag_text(flag));
        auto [name, req] = file(flag);
        CommentRequest c{"A comment", comment_internal, std::nullopt, {req}};
        bool stored_comment_internal = comment_internal && !customer;  // customers' comments are public
        bool refused = (customer && flag == Flag::internal) ||
                       (stored_comment_internal && flag == Flag::public_);  // would be wider than its comment
        if (refused) {
          std::string before = f.desk.dump();
          CHECK(expect_error(Errc::invalid_input, [&] { f.desk.add_comment(author.actor, issue.code, c); }).where() ==
                "attachments[0].internal");
          CHECK(f.desk.dump() == before);
          continue;
        }
        bool internal = flag == Flag::unset ? stored_comment_internal : flag == Flag::internal;
        Comment added = f.desk.add_comment(author.actor, issue.code, c);
        REQUIRE(added.attachments.size() == 1);
        CHECK(added.attachments[0].internal == internal);
        posted.push_back({name, "bytes of " + name, internal, true});
      }
    for (auto flag : {Flag::unset, Flag::internal, Flag::public_}) {
      CAPTURE(author.name);
      CAPTURE(flag_text(flag));
      auto [name, req] = file(flag);
      if (customer && flag == Flag::internal) {
        std::string before = f.desk.dump();
        CHECK(expect_error(Errc::invalid_input, [&] { f.desk.attach(author.actor, issue.code, req); }).where() ==
              "attachment.internal");
        CHECK(f.desk.dump() == before);
        continue;
      }
      // On the issue itself, unset means internal, except for a customer's own file.
      bool internal = flag == Flag::unset ? !customer : flag == Flag::internal;
      CHECK(f.desk.attach(author.actor, issue.code, req).internal == internal);
      posted.push_back({name, "bytes of " + name, internal, false});
    }
  }
  return posted;
}

std::string everything_in(const std::vector<TimelineEntry> &entries) {
  std::string text;
  for (const auto &e : entries) {
    text += e.note + "\n";
    for (const auto &c : e.changes) text += c.field + "=" + c.before + ">" + c.after + "\n";
  }
  return text;
}

}  // namespace

TEST_CASE_TEMPLATE("an internal attachment never reaches a customer: comment x attachment flag x author x read path", B,
                   TEST_BACKENDS) {
  test::DeskFixture<B> f;
  f.desk.put_user(test::admin(), User{"cust-1", Role::customer, "Casey Customer", {}});
  f.desk.put_record(test::office(), Record{{RecordKind::booking, "B-1"}, "cust-1", {"fw-1"}, RecordVisibility::restricted, false});
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Damage Caused";
  r.description = "Scratched the bench.";
  Issue issue = f.desk.report(test::office(), r);
  auto posted = post_everything(f, issue);
  REQUIRE(std::count_if(posted.begin(), posted.end(), [](const Posted &p) { return p.internal; }) > 0);
  REQUIRE(std::count_if(posted.begin(), posted.end(), [](const Posted &p) { return !p.internal; }) > 0);

  std::map<std::string, std::int64_t> ids;
  for (const auto &a : f.desk.attachments(test::admin(), issue.code)) ids[a.name] = a.id;
  REQUIRE(ids.size() == posted.size());

  for (const auto &reader : readers) {
    if (reader.name == "other fieldworker" || reader.name == "other customer") continue;
    CAPTURE(reader.name);
    const Actor &a = reader.actor;
    auto sees = [&](const Posted &p) { return !p.internal || !is_customer(reader); };

    std::set<std::string> listed, threaded;
    for (const auto &att : f.desk.attachments(a, issue.code)) listed.insert(att.name);
    for (const auto &c : f.desk.thread(a, issue.code))
      for (const auto &att : c.attachments) threaded.insert(att.name);
    std::string timeline = everything_in(f.desk.timeline(a, issue.code));
    for (const auto &p : posted) {
      CAPTURE(p.name);
      CAPTURE(p.internal);
      CHECK(listed.count(p.name) == (sees(p) ? 1u : 0u));
      CHECK(threaded.count(p.name) == (sees(p) && p.on_comment ? 1u : 0u));
      CHECK((timeline.find(p.name) != std::string::npos) == sees(p));
      if (sees(p))
        CHECK(f.desk.attachment(a, ids[p.name]).bytes == p.bytes);
      else
        expect_error(Errc::not_found, [&] { f.desk.attachment(a, ids[p.name]); });
      auto hits = f.desk.search(a, p.name);
      if (!sees(p)) CHECK(hits.empty());
    }
  }
  // Staff see every comment's files in the thread; the hash chain holds.
  std::set<std::string> all_threaded, on_comments;
  for (const auto &c : f.desk.thread(test::admin(), issue.code))
    for (const auto &att : c.attachments) all_threaded.insert(att.name);
  for (const auto &p : posted)
    if (p.on_comment) on_comments.insert(p.name);
  CHECK(all_threaded == on_comments);
  CHECK(f.desk.verify_timeline(test::admin(), issue.code).ok);

  // Messages (merge tags: public_comments) and notifications to the customer.
  for (auto name : {templates::complaint_details, templates::acknowledgement}) {
    f.desk.send_message(test::office(), issue.code, name);
    for (const auto &m : f.desk.preview_message(test::office(), issue.code, name))
      for (const auto &p : posted)
        if (p.internal) {
          CAPTURE(p.name);
          CHECK(m.body_html.find(p.name) == std::string::npos);
          CHECK(m.body_text.find(p.name) == std::string::npos);
        }
  }
  bool customer_told = false;
  for (const auto &item : f.desk.outbox_pending(test::system_actor(), 10000)) {
    if (item.recipient != "cust-1") continue;
    customer_told = true;
    for (const auto &p : posted)
      if (p.internal) {
        CAPTURE(p.name);
        CHECK(item.subject.find(p.name) == std::string::npos);
        CHECK(item.body_text.find(p.name) == std::string::npos);
        CHECK(item.body_html.find(p.name) == std::string::npos);
      }
  }
  CHECK(customer_told);
}
