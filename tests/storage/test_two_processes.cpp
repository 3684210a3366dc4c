// SPEC R3.8: two OS processes take actions on the same issues of one SQLite
// file in a loop. No update is lost and no "database is locked" escapes.
#include <sstream>

#include "support/processes.hpp"
#include "support/support.hpp"

using namespace complaints;

namespace {

// One worker process: takes whichever action the issue's status allows, with
// the version it read, retrying on conflict. Returns (successes, conflicts).
std::pair<int, int> work(const std::string &path, const std::vector<std::string> &codes, int rounds) {
  SqliteOptions o;
  o.sync = SqliteOptions::Sync::normal;
  Desk desk(open_sqlite(path, o));
  int ok = 0, conflicts = 0;
  for (int r = 0; r < rounds; ++r) {
    const std::string &code = codes[static_cast<std::size_t>(r) % codes.size()];
    Issue i = desk.get(test::admin(), code);
    bool awaiting = i.status == "Awaiting Approval";
    Actor who = awaiting ? test::admin() : test::fieldworker("fw-1");
    try {
      desk.act(who, code, ActionRequest{awaiting ? "send_back" : "resolve", {}, i.version});
      ++ok;
    } catch (const Conflict &) {
      ++conflicts;
    } catch (const InvalidState &) {
      ++conflicts;  // impossible with expected_version set, but count it apart from errors
    }
  }
  return {ok, conflicts};
}

}  // namespace

TEST_CASE("two processes acting on the same issues lose no update") {
  test::TempDir dir;
  std::string path = dir.file("shared.db");
  std::vector<std::string> codes;
  {
    Desk desk(open_sqlite(path));
    desk.put_record(test::office(), test::booking());
    for (int n = 0; n < 2; ++n) {
      ReportRequest r;
      r.record = {RecordKind::booking, "B-1"};
      r.type = "Damage Caused";
      r.description = "Shared issue " + std::to_string(n);
      codes.push_back(desk.report(test::office(), r).code);
    }
  }
  constexpr int rounds = 300;
  auto results = test::in_processes(2, [&](int) {
    auto [ok, conflicts] = work(path, codes, rounds);
    return std::to_string(ok) + " " + std::to_string(conflicts);
  });
  int successes = 0, conflicts = 0;
  for (const auto &result : results) {
    std::istringstream in(result);
    int ok = 0, c = 0;
    in >> ok >> c;
    CHECK(ok + c == rounds);
    successes += ok;
    conflicts += c;
  }
  MESSAGE("two processes: ", successes, " actions taken, ", conflicts, " conflicts retried");
  // Every successful action is in exactly one version bump and one timeline entry.
  Desk desk(open_sqlite(path));
  std::int64_t versions = 0;
  for (const auto &code : codes) {
    Issue i = desk.get(test::admin(), code);
    auto tl = desk.timeline(test::admin(), code);
    CHECK(static_cast<std::int64_t>(tl.size()) == i.version);
    CHECK(desk.verify_timeline(test::admin(), code).ok);
    // Actions alternate resolve / send_back: no two consecutive entries repeat.
    for (std::size_t k = 2; k < tl.size(); ++k) CHECK(tl[k].action != tl[k - 1].action);
    versions += i.version - 1;
  }
  CHECK(versions == successes);
}
