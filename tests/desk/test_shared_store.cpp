// Two desks on one SQLite file, as two processes of a host would have: what
// one changes in the settings (the registered users and the issue types,
// which a desk caches between operations) the other sees at its next write.
#include <algorithm>

#include "support/support.hpp"

using namespace complaints;

namespace {

std::size_t pushes_to(const std::vector<OutboxItem> &items, const std::string &who, std::int64_t after) {
  return static_cast<std::size_t>(std::count_if(items.begin(), items.end(), [&](const OutboxItem &i) {
    return i.id > after && i.recipient == who && i.channel == DeliveryChannel::push;
  }));
}

std::int64_t last_id(const std::vector<OutboxItem> &items) { return items.empty() ? 0 : items.back().id; }

}  // namespace

TEST_CASE("users registered or changed through another desk on the same file count at the next write") {
  test::SqliteBackend backend;
  auto clock = std::make_shared<ManualClock>(test::t0());
  Desk one(backend.open(), DeskOptions{clock});
  Desk two(backend.open(), DeskOptions{clock});
  const Actor host = test::system_actor();

  one.put_user(test::admin(), User{"admin-1", Role::admin, "Ada Admin", {}});
  one.put_record(test::office(), test::booking("B-1"));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Damage Caused";
  r.description = "Scratched the bench.";
  Issue issue = one.report(test::office(), r);  // desk one now knows its admins
  auto before = one.outbox_pending(host, 10000);
  CHECK(pushes_to(before, "admin-1", 0) >= 1);
  CHECK(pushes_to(before, "admin-2", 0) == 0);

  // Desk two registers a second admin and silences the first.
  two.put_user(test::admin(), User{"admin-2", Role::admin, "Bo Admin", {}});
  two.set_notification_settings(test::admin(), "admin-1", NotificationSettings{NotifyScope::all, false, false, false});

  // Desk one's next change reaches the new admin and not the silenced one.
  std::int64_t mark = last_id(before);
  one.act(test::office(), issue.code, ActionRequest{"convert_to_in_progress", {}, std::nullopt});
  auto after = one.outbox_pending(host, 10000);
  CHECK(pushes_to(after, "admin-2", mark) >= 1);
  CHECK(pushes_to(after, "admin-1", mark) == 0);
}

TEST_CASE("an issue type added through another desk on the same file can be used at once") {
  test::SqliteBackend backend;
  auto clock = std::make_shared<ManualClock>(test::t0());
  Desk one(backend.open(), DeskOptions{clock});
  Desk two(backend.open(), DeskOptions{clock});
  one.put_record(test::office(), test::booking("B-1"));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Noise";
  r.description = "Loud at 6am.";
  test::expect_error(Errc::invalid_input, [&] { one.report(test::office(), r); });  // desk one knows the types now
  two.add_issue_type(test::admin(), IssueType{"Noise", "#123456"});
  CHECK(one.report(test::office(), r).type == "Noise");
  ReportRequest o = r;
  o.type = "Other";
  Issue other = one.report(test::office(), o);
  IssueEdit edit;
  edit.type = "Noise";
  CHECK(one.edit(test::office(), other.code, edit).type == "Noise");
}
