// docs/discussion.md: a discussion with internal and public comments, a
// mention, a watcher, notification settings, and a deletion.
#include <complaints/complaints.hpp>

#include <cassert>
#include <cstdio>
#include <filesystem>

using namespace complaints;

int main(int argc, char **argv) {
  std::string path = argc > 1 ? argv[1] : "discussion.db";
  for (const char *suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  Desk desk(open_sqlite(path));
  Actor admin{"adam", Role::admin, Permissions::all()};
  Actor office{"olivia", Role::office, {Permission::edit_issues}};
  Actor casey{"casey", Role::customer, {}};
  Actor mailer{"mailer", Role::system, {}};

  desk.put_user(admin, User{"adam", Role::admin, "Adam", {}});
  desk.put_user(admin, User{"tariq", Role::fieldworker, "Tariq", {NotifyScope::all, true, true, false}});
  desk.put_user(admin, User{"olivia", Role::office, "Olivia", {}});
  desk.put_record(office, Record{{RecordKind::booking, "BK-9"}, "casey", {"tariq"}});
  ReportRequest r;
  r.record = {RecordKind::booking, "BK-9"};
  r.type = "Damage Caused";
  r.description = "Scratched kitchen bench.";
  Issue issue = desk.report(casey, r);

  Comment photo = desk.add_comment(casey, issue.code,
                                   CommentRequest{"Photo attached.", false, std::nullopt,
                                                  {AttachmentRequest{"bench.jpg", "image/jpeg", std::nullopt,
                                                                     std::string("...jpeg bytes..."), 0, "", false}}});
  desk.add_comment(office, issue.code,
                   CommentRequest{"Ordering a new top. @tariq can you fit it Tuesday?", true, std::nullopt, {}});
  desk.add_comment(office, issue.code, CommentRequest{"Sorry! A new bench top arrives Tuesday.", false, photo.id, {}});
  desk.watch(office, issue.code, "olivia");

  // The customer sees the public part of the conversation only.
  auto theirs = desk.thread(casey, issue.code);
  auto ours = desk.thread(office, issue.code);
  std::printf("customer sees %zu comments, office %zu\n", theirs.size(), ours.size());
  assert(theirs.size() == 2 && ours.size() == 3);

  // Tariq asked for push and SMS; the outbox has one item per channel.
  for (const OutboxItem &item : desk.outbox_pending(mailer, 1000))
    if (item.recipient == "tariq")
      std::printf("to tariq by %s: %s\n", to_string(item.channel), item.subject.c_str());

  DeletedIssue gone = desk.delete_forever(admin, issue.code);
  std::printf("deleted %s: %lld comments, %lld attachments, files scrubbed: %s\n", gone.code.c_str(),
              static_cast<long long>(gone.comments), static_cast<long long>(gone.attachments),
              gone.files_scrubbed ? "yes" : "no");
  return desk.search(admin, "bench").empty() ? 0 : 1;
}
