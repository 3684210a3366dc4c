// The tests of erasure (SPEC R9) on each backend: an issue with a marker in
// every field that takes text, and a search of a store's raw files for it.
#pragma once

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "support/support.hpp"

namespace test {

/// Who deletes forever in these tests: an admin with every permission.
inline const complaints::Actor remover{"admin-9", complaints::Role::admin, complaints::Permissions::all()};

/// Builds an issue with `marker` everywhere on booking B-1: description, edit
/// history, action notes, comments, replies, attachment names, keys and
/// bytes, links, watchers, and so the messages queued about it; `word` (one
/// lower-case word) goes into the description as a search term of its own.
/// `f` is a fixture with a `desk` and an `act(who, issue, action, inputs)`.
template <typename F>
complaints::Issue marked_issue(F &f, const std::string &marker, const std::string &word) {
  using namespace complaints;
  f.desk.put_user(admin(), User{"fw-1", Role::fieldworker, "Fay", {}});
  f.desk.put_user(admin(), User{"office-2", Role::office, "Otto", {}});
  f.desk.put_record(office(), booking("B-1", "cust-1", {"fw-1"}));
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Damage Caused";
  r.description = "First words " + marker + " " + word;
  r.to_follow = true;
  r.deferred_date = Date::parse("2026-02-01");
  Issue i = f.desk.report(office(), r);
  IssueEdit e;
  e.description = "Second words " + marker + " edited " + word;
  f.desk.edit(office(), i.code, e);
  i = f.act(office(), i, "schedule_follow_up", {{"date", "2026-01-20"}, {"note", "Note " + marker}});
  Comment c =
      f.desk.add_comment(customer(), i.code,
                         CommentRequest{"Customer says " + marker,
                                        false,
                                        std::nullopt,
                                        {AttachmentRequest{"photo-" + marker + ".jpg", "image/jpeg", std::nullopt,
                                                           std::string("BYTES-") + marker, 0, "", false}}});
  f.desk.add_comment(office(), i.code, CommentRequest{"Internal " + marker + " @fw-1", true, c.id, {}});
  f.desk.attach(office(), i.code,
                AttachmentRequest{"report-" + marker + ".pdf", "application/pdf", "bucket/" + marker, std::nullopt, 10,
                                  std::string(64, 'b'), true});
  f.desk.watch(office(), i.code, "office-2");
  return f.desk.get(admin(), i.code);
}

/// Acknowledges every other pending outbox item, as a host's delivery would
/// have: erasure must remove delivered rows' bytes as well as pending ones.
inline void deliver_half(complaints::Desk &desk) {
  auto items = desk.outbox_pending(system_actor(), 10000);
  std::vector<std::int64_t> ids;
  for (std::size_t k = 0; k < items.size(); k += 2) ids.push_back(items[k].id);
  desk.outbox_ack(system_actor(), ids);
}

/// Calls `store.scrub()` (a Desk or a Storage) until it returns true, for up
/// to 10 seconds: on PostgreSQL another session's snapshot (a test running
/// beside this one) makes a scrub leave rows it may still see.
template <typename S>
bool scrub_when_alone(S &store) {
  for (int k = 0; k < 200; ++k) {
    if (store.scrub()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

/// The whole content of a file ("" when it does not exist).
inline std::string file_bytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace test
