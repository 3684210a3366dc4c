// The README's five-minute tour, as a program that builds and runs in CI.
#include <complaints/complaints.hpp>

#include <cassert>
#include <cstdio>
#include <filesystem>

using namespace complaints;

int main(int argc, char **argv) {
  std::string path = argc > 1 ? argv[1] : "tour.db";
  for (const char *suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);

  Desk desk(open_sqlite(path));  // or make_memory_storage() in unit tests

  Actor office{"olivia", Role::office, {Permission::edit_issues}};
  Actor admin{"adam", Role::admin, Permissions::all()};
  Actor tech{"tariq", Role::fieldworker, {}};

  desk.put_record(office, Record{{RecordKind::booking, "BK-2041"}, "casey", {"tariq"}});
  Issue issue = desk.report(office, ReportRequest{.record = {RecordKind::booking, "BK-2041"},
                                                  .type = "Unsatisfactory Job",
                                                  .description = "Hot water system still leaks."});
  assert(issue.code == "CMP-00001" && issue.status == "New");

  issue = desk.act(tech, issue.code, ActionRequest{"resolve", {{"note", "Valve replaced."}}, issue.version});
  issue = desk.act(admin, issue.code, ActionRequest{"approve", {}, issue.version});
  assert(issue.status == "Closed");

  int changes = 0;
  desk.events().on(EventKind::status_changed).connect([&](const Event &) { ++changes; });
  issue = desk.act(admin, issue.code, ActionRequest{"reopen", {}, issue.version});
  assert(changes == 1);

  for (const TimelineEntry &e : desk.timeline(admin, issue.code))
    std::printf("#%lld %s %s %s\n", static_cast<long long>(e.seq), format_timestamp(e.at).c_str(), e.actor_id.c_str(),
                e.action.empty() ? e.kind.c_str() : e.action.c_str());

  Actor mailer{"mailer", Role::system, {}};
  auto items = desk.outbox_pending(mailer);
  std::vector<std::int64_t> delivered;
  for (const OutboxItem &item : items) delivered.push_back(item.id);  // ...after sending each
  desk.outbox_ack(mailer, delivered);
  assert(desk.outbox_pending(mailer).empty());

  try {
    desk.act(tech, issue.code, ActionRequest{"approve", {}, std::nullopt});
  } catch (const Error &e) {
    std::printf("%s: %s\n", to_string(e.code()), e.what());  // forbidden: fieldworkers do not approve
    return e.code() == Errc::forbidden ? 0 : 1;
  }
  return 1;
}
