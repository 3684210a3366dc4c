// A TransientStorageError (a conflict PostgreSQL resolves by aborting one
// transaction) makes the Desk run the whole operation again from a fresh
// transaction. Each attempt must start from the caller's request as given:
// an attempt that consumed part of it (an attachment's bytes) would store
// less the second time.
#include "desk/impl.hpp"
#include "support/faulty_storage.hpp"
#include "support/processes.hpp"
#include "support/support.hpp"

using namespace complaints;

TEST_CASE("an operation retried after a conflict at any of its writes stores what the caller gave, once") {
  auto clock = std::make_shared<ManualClock>(test::t0());
  auto inner = make_memory_storage();
  std::string code;
  {
    Desk setup(std::make_unique<test::FaultyStorage>(*inner, 0), DeskOptions{clock});
    setup.put_record(test::office(), test::booking("B-1"));
    ReportRequest r;
    r.record = {RecordKind::booking, "B-1"};
    r.type = "Damage Caused";
    r.description = "Scratched.";
    code = setup.report(test::office(), r).code;
  }
  const std::string bytes = "a photo's bytes";
  AttachmentRequest file{"photo.jpg", "image/jpeg", std::nullopt, bytes, 0, "", false};
  int writes = 0;
  {
    auto counting = std::make_unique<test::FaultyStorage>(*inner, 0);
    auto *meter = counting.get();
    Desk desk(std::move(counting), DeskOptions{clock});
    int before = meter->writes();
    desk.attach(test::office(), code, file);
    CommentRequest c{"See the photo.", false, std::nullopt, {file}};
    desk.add_comment(test::office(), code, c);
    writes = meter->writes() - before;
  }
  REQUIRE(writes > 4);
  for (int n = 1; n <= writes; ++n) {
    CAPTURE(n);
    Desk desk(std::make_unique<test::FaultyStorage>(*inner, n, true), DeskOptions{clock});
    int attached = 0, commented = 0;
    desk.events().on(EventKind::attachment_added).connect([&](const Event &) { ++attached; });
    desk.events().on(EventKind::comment_added).connect([&](const Event &) { ++commented; });
    Attachment a = desk.attach(test::office(), code, file);
    CommentRequest c{"See the photo.", false, std::nullopt, {file}};
    Comment comment = desk.add_comment(test::office(), code, c);
    CHECK(desk.attachment(test::office(), a.id).bytes == bytes);
    REQUIRE(comment.attachments.size() == 1);
    CHECK(desk.attachment(test::office(), comment.attachments[0].id).bytes == bytes);
    CHECK(attached == 1);  // once, for the attempt that committed
    CHECK(commented == 1);
  }
}

TEST_CASE("app servers forked from one process wait different whiles before their retries") {
  // Waits that repeat across processes would have their retries conflict
  // again in step, each time. This process has drawn some already, as an
  // app server that forks its workers late would have.
  retry_wait(1);
  auto waits = test::in_processes(2, [](int) {
    std::string out;
    for (int k = 0; k < 8; ++k) out += std::to_string(retry_wait(8).count()) + " ";
    return out;
  });
  CHECK(waits[0] != waits[1]);
}
