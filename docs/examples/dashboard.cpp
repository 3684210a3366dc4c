// docs/reporting.md, "Dashboards": a small history on a manual clock, then the
// dashboard of the week it happened in.
#include <complaints/complaints.hpp>

#include <cassert>
#include <cstdio>
#include <filesystem>

using namespace complaints;
using namespace std::chrono_literals;

int main(int argc, char **argv) {
  std::string path = argc > 1 ? argv[1] : "dashboard.db";
  for (const char *suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto clock = std::make_shared<ManualClock>(parse_timestamp("2026-03-02T09:00:00Z"));
  Desk desk(open_sqlite(path), DeskOptions{clock});
  Actor office{"olivia", Role::office, {Permission::edit_issues}};
  desk.put_record(office, Record{{RecordKind::booking, "BK-1"}, "casey", {"tariq"}});
  desk.put_record(office, Record{{RecordKind::booking, "BK-2"}, "dana", {"tariq", "una"}});

  auto report = [&](const char *booking, const char *type) {
    ReportRequest r;
    r.record = {RecordKind::booking, booking};
    r.type = type;
    r.description = "Something went wrong.";
    return desk.report(office, r);
  };
  Issue first = report("BK-1", "Damage Caused");
  clock->advance(2h);
  report("BK-2", "Late Service");
  clock->advance(1h);
  report("BK-1", "Late Service");  // a repeat: BK-1 had one three hours ago
  clock->advance(3h);
  desk.act(office, first.code, ActionRequest{"convert_to_in_progress", {}, std::nullopt});  // New for 6 hours
  clock->advance(1h);

  DashboardOptions o;
  o.from = parse_timestamp("2026-03-02T00:00:00Z");
  o.to = o.from + 7 * 24h;
  Dashboard d = desk.dashboard(office, o);
  std::printf("%lld issues, %lld active, %lld repeats\n", static_cast<long long>(d.issues),
              static_cast<long long>(d.active), static_cast<long long>(d.repeats));
  for (const auto &t : d.top_types) std::printf("  %s: %lld\n", t.name.c_str(), static_cast<long long>(t.issues));
  for (const auto &[status, s] : d.time_in_status)
    std::printf("  %s: %lld periods, median %lld min\n", status.c_str(), static_cast<long long>(s.count),
                static_cast<long long>(std::chrono::duration_cast<std::chrono::minutes>(s.median).count()));
  assert(d.issues == 3 && d.repeats == 1);
  assert(d.time_in_status.at("New").count == 1 && d.time_in_status.at("New").median == 6h);
  assert(d.top_types[0].name == "Late Service" && d.top_types[0].issues == 2);
  return 0;
}
