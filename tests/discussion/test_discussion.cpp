// SPEC R5, R2.5: comments, replies, attachments, mentions, watchers and links.
#include "domain/sha256.hpp"
#include "support/support.hpp"

using namespace complaints;
using test::expect_error;

namespace {

AttachmentRequest inline_file(std::string name, std::string bytes, std::string sha = "") {
  return AttachmentRequest{std::move(name), "image/jpeg", std::nullopt, std::move(bytes), 0, std::move(sha)};
}

AttachmentRequest hosted_file(std::string name, std::string key, std::int64_t size = 2048) {
  return AttachmentRequest{std::move(name), "application/pdf", std::move(key), std::nullopt, size,
                           "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"};
}

template <typename F>
void register_people(F &f) {
  f.desk.put_user(test::admin(), User{"fw-1", Role::fieldworker, "Fay", {}});
  f.desk.put_user(test::admin(), User{"office-1", Role::office, "Olivia", {}});
  f.desk.put_user(test::admin(), User{"office-2", Role::office, "Otto", {}});
  f.desk.put_user(test::admin(), User{"cust-1", Role::customer, "Casey", {}});
}

}  // namespace

TEST_CASE_TEMPLATE("a thread: internal and public comments, replies, attachments, in order", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  register_people(f);
  Issue i = f.report_on_booking();
  Comment photo = f.desk.add_comment(
      test::customer(), i.code,
      CommentRequest{"Here is the scratch.", true, std::nullopt, {inline_file("scratch.jpg", "JPEG-BYTES")}});
  CHECK_FALSE(photo.internal);  // customers' comments are public
  REQUIRE(photo.attachments.size() == 1);
  CHECK(photo.attachments[0].sha256 == crypto::sha256_hex("JPEG-BYTES"));
  f.clock->advance(std::chrono::minutes(5));
  Comment note = f.desk.add_comment(test::office(), i.code,
                                    CommentRequest{"Order a new bench top, @fw-1.", true, std::nullopt, {}});
  CHECK(note.mentions == std::vector<std::string>{"fw-1"});
  f.clock->advance(std::chrono::minutes(5));
  Comment reply = f.desk.add_comment(test::office(), i.code,
                                     CommentRequest{"Sorry! A replacement arrives Tuesday.", false, photo.id,
                                                    {hosted_file("quote.pdf", "s3://bucket/quote.pdf")}});
  CHECK(reply.reply_to == photo.id);
  Comment fw_reply = f.desk.add_comment(test::fieldworker(), i.code, CommentRequest{"Ordered.", true, note.id, {}});

  auto staff_view = f.desk.thread(test::supervisor(), i.code);
  REQUIRE(staff_view.size() == 4);
  CHECK(staff_view[0] == photo);
  CHECK(staff_view[1].body == "Order a new bench top, @fw-1.");
  CHECK(staff_view[2].attachments[0].storage_key == "s3://bucket/quote.pdf");
  CHECK(staff_view[3].reply_to == note.id);
  CHECK(staff_view[0].created_at < staff_view[1].created_at);
  auto customer_view = f.desk.thread(test::customer(), i.code);
  REQUIRE(customer_view.size() == 2);
  CHECK(customer_view[1].id == reply.id);
  // A customer cannot answer an internal comment they cannot see.
  CHECK(expect_error(Errc::invalid_input, [&] {
          f.desk.add_comment(test::customer(), i.code, CommentRequest{"?", false, note.id, {}});
        }).where() == "reply_to");
  // The bytes come back whole from attachment(); lists carry metadata only.
  auto files = f.desk.attachments(test::office(), i.code);
  REQUIRE(files.size() == 2);
  CHECK(files[0].bytes.empty());
  CHECK(f.desk.attachment(test::customer(), files[0].id).bytes == "JPEG-BYTES");
  // The timeline records each comment, internal ones as internal; the version does not move.
  auto tl = f.desk.timeline(test::admin(), i.code);
  CHECK(tl.size() == 5);
  CHECK(tl[2].kind == "comment");
  CHECK(tl[2].internal);
  CHECK(tl[2].note == note.body);
  CHECK(f.desk.get(test::admin(), i.code).version == i.version);
  CHECK(f.desk.verify_timeline(test::admin(), i.code).ok);
  (void)fw_reply;
}

TEST_CASE_TEMPLATE("issue-level attachments, with the host's key or the bytes", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue i = f.report_on_booking();
  Attachment sig = f.desk.attach(test::fieldworker(), i.code,
                                 AttachmentRequest{"signature.png", "image/png", std::nullopt, std::string("\x89PNG\0\1", 6),
                                                   6, "", false});
  CHECK(sig.size == 6);
  CHECK_FALSE(sig.internal);
  CHECK(f.desk.attachment(test::customer(), sig.id).bytes == std::string("\x89PNG\0\1", 6));
  Attachment report = f.desk.attach(test::office(), i.code, hosted_file("inspection.pdf", "blob/123", 1 << 30));
  CHECK(report.internal);
  CHECK(report.size == 1 << 30);
  expect_error(Errc::not_found, [&] { f.desk.attachment(test::customer(), report.id); });
  expect_error(Errc::not_found, [&] { f.desk.attachment(test::admin(), 999); });
}

TEST_CASE_TEMPLATE("bad comments and attachments are typed errors and change nothing", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  register_people(f);
  Issue i = f.report_on_booking();
  Issue other = f.report_on_booking("B-2");
  Comment elsewhere = f.desk.add_comment(test::office(), other.code, CommentRequest{"On the other one.", true, {}, {}});
  std::string dump = f.desk.dump();
  auto comment = [&](CommentRequest r) { return f.desk.add_comment(test::office(), i.code, r); };
  CHECK(expect_error(Errc::invalid_input, [&] { comment({std::string(limits::comment_bytes + 1, 'x'), true, {}, {}}); })
            .where() == "body");
  CHECK(expect_error(Errc::invalid_input, [&] { comment({"", true, {}, {}}); }).where() == "body");
  CHECK(expect_error(Errc::invalid_input, [&] { comment({"bad \xff utf8", true, {}, {}}); }).where() == "body");
  auto e = expect_error(Errc::invalid_input, [&] { comment({"Ask @nobody-here about it", true, {}, {}}); });
  CHECK(e.where() == "body");
  CHECK(std::string(e.what()).find("@nobody-here") != std::string::npos);
  // A customer may not be mentioned in an internal comment.
  CHECK(expect_error(Errc::invalid_input, [&] { comment({"Careful with @cust-1", true, {}, {}}); }).where() == "body");
  CHECK(expect_error(Errc::invalid_input, [&] { comment({"Re", true, elsewhere.id, {}}); }).where() == "reply_to");
  CHECK(expect_error(Errc::invalid_input, [&] { comment({"Re", true, 424242, {}}); }).where() == "reply_to");
  CHECK(expect_error(Errc::invalid_input, [&] {
          comment({"photo", true, {}, {inline_file("a.jpg", "bytes", std::string(64, '0'))}});
        }).where() == "attachments[0].sha256");
  CHECK(expect_error(Errc::invalid_input, [&] {
          comment({"photo", true, {}, {inline_file("a.jpg", "ok"), inline_file("b.jpg", std::string(limits::attachment_bytes + 1, 'x'))}});
        }).where() == "attachments[1].bytes");
  CHECK(expect_error(Errc::invalid_input, [&] {
          AttachmentRequest both = inline_file("a.jpg", "x");
          both.storage_key = "k";
          comment({"photo", true, {}, {both}});
        }).where() == "attachments[0]");
  CHECK(expect_error(Errc::invalid_input, [&] {
          AttachmentRequest r = hosted_file("a.pdf", "k");
          r.sha256 = "not-a-hash";
          comment({"file", true, {}, {r}});
        }).where() == "attachments[0].sha256");
  CHECK(expect_error(Errc::invalid_input, [&] {
          AttachmentRequest r = inline_file("a.jpg", "x");
          r.media_type = "JPEG";
          comment({"file", true, {}, {r}});
        }).where() == "attachments[0].media_type");
  CHECK(expect_error(Errc::invalid_input, [&] {
          AttachmentRequest r = inline_file("", "x");
          comment({"file", true, {}, {r}});
        }).where() == "attachments[0].name");
  CHECK(expect_error(Errc::invalid_input, [&] {
          AttachmentRequest r = inline_file("a.jpg", "xyz");
          r.size = 99;
          f.desk.attach(test::office(), i.code, r);
        }).where() == "attachment.size");
  expect_error(Errc::not_found, [&] { f.desk.add_comment(test::fieldworker("fw-9"), i.code, {"hi", true, {}, {}}); });
  CHECK(f.desk.dump() == dump);
}

TEST_CASE("mentions are @ids at word starts; e-mail addresses are not mentions") {
  test::DeskFixture<test::MemoryBackend> f;
  register_people(f);
  Issue i = f.report_on_booking();
  Comment c = f.desk.add_comment(test::office(), i.code,
                                 CommentRequest{"@fw-1 and (@office-2), mail ann@example.com; again @fw-1.", true, {}, {}});
  CHECK(c.mentions == std::vector<std::string>{"fw-1", "office-2"});
}

TEST_CASE_TEMPLATE("watchers: added and removed, shown, and logged", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  register_people(f);
  Issue i = f.report_on_booking();
  CHECK(f.desk.watch(test::office(), i.code, "office-2") == std::vector<std::string>{"office-2"});
  CHECK(f.desk.watch(test::fieldworker("fw-1"), i.code, "fw-1") == std::vector<std::string>{"fw-1", "office-2"});
  expect_error(Errc::forbidden, [&] { f.desk.watch(test::fieldworker("fw-1"), i.code, "office-1"); });
  expect_error(Errc::not_found, [&] { f.desk.watch(test::office(), i.code, "stranger"); });
  expect_error(Errc::invalid_input, [&] { f.desk.watch(test::office(), i.code, "cust-1"); });
  CHECK(f.desk.unwatch(test::office(), i.code, "office-2") == std::vector<std::string>{"fw-1"});
  auto tl = f.desk.timeline(test::admin(), i.code);
  CHECK(*tl.back().change("watchers") == FieldChange{"watchers", "office-2", ""});
  CHECK(tl.back().internal);
}

TEST_CASE_TEMPLATE("links are shown on both issues and logged on both timelines", B, TEST_BACKENDS) {
  test::DeskFixture<B> f;
  Issue a = f.report_on_booking("B-1");
  Issue b = f.report_on_booking("B-1");
  Issue c = f.report_on_booking("B-2");
  f.desk.link_issues(test::office(), b.code, a.code, LinkKind::duplicate_of);
  f.desk.link_issues(test::office(), a.code, c.code, LinkKind::related);
  auto of_a = f.desk.links(test::office(), a.code);
  REQUIRE(of_a.size() == 2);
  CHECK(of_a[0].other_code == b.code);
  CHECK(of_a[0].kind == LinkKind::duplicate_of);
  CHECK_FALSE(of_a[0].outgoing);  // a is duplicated by b
  CHECK(of_a[1].other_code == c.code);
  CHECK(of_a[1].outgoing);
  auto of_b = f.desk.links(test::office(), b.code);
  REQUIRE(of_b.size() == 1);
  CHECK(of_b[0].outgoing);
  CHECK(f.desk.timeline(test::admin(), a.code)[1].change("duplicated_by")->after == b.code);
  CHECK(f.desk.timeline(test::admin(), b.code).back().change("duplicate_of")->after == a.code);
  expect_error(Errc::invalid_state, [&] { f.desk.link_issues(test::office(), b.code, a.code, LinkKind::duplicate_of); });
  expect_error(Errc::invalid_input, [&] { f.desk.link_issues(test::office(), a.code, a.code, LinkKind::related); });
  expect_error(Errc::forbidden, [&] { f.desk.link_issues(test::fieldworker(), a.code, c.code, LinkKind::duplicate_of); });
  expect_error(Errc::not_found, [&] { f.desk.link_issues(test::office(), a.code, "CMP-09999", LinkKind::related); });
  f.desk.unlink_issues(test::office(), a.code, c.code, LinkKind::related);
  CHECK(f.desk.links(test::office(), c.code).empty());
  CHECK(f.desk.verify_timeline(test::admin(), c.code).ok);
}
