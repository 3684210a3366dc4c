// docs/reporting.md, "Search": a few complaints, then searches by staff and by
// a customer, with ranking, snippets and a query that does not parse.
#include <complaints/complaints.hpp>

#include <cassert>
#include <cstdio>
#include <filesystem>

using namespace complaints;

int main(int argc, char **argv) {
  std::string path = argc > 1 ? argv[1] : "search.db";
  for (const char *suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  Desk desk(open_sqlite(path));
  Actor office{"olivia", Role::office, {Permission::edit_issues}};
  Actor casey{"casey", Role::customer, {}};

  desk.put_record(office, Record{{RecordKind::booking, "BK-1"}, "casey", {"tariq"}});
  desk.put_record(office, Record{{RecordKind::booking, "BK-2"}, "dana", {"tariq"}});
  auto report = [&](const char *booking, const char *text) {
    ReportRequest r;
    r.record = {RecordKind::booking, booking};
    r.type = "Other";
    r.description = text;
    return desk.report(office, r);
  };
  Issue cafe = report("BK-1", "Water leaking through the Café ceiling after the roof repair.");
  report("BK-2", "Leak under the kitchen sink; the leak came back a day later.");
  desk.add_comment(office, cafe.code, CommentRequest{"Roofer admits the flashing was not sealed.", true, {}, {}});

  // Staff: words match whatever their case and accents; leak* is a prefix.
  SearchOptions o;
  o.query = "cafe OR leak*";
  for (const SearchHit &hit : desk.search(office, o))
    std::printf("%s  %g  %s\n", hit.issue.code.c_str(), hit.score, hit.snippet.c_str());

  // A phrase, and AND with NOT.
  assert(desk.search(office, "\"roof repair\"").size() == 1);
  assert(desk.search(office, "leak* NOT kitchen").size() == 1);

  // The customer finds only their own issue, and never by an internal word.
  assert(desk.search(casey, "leak*").size() == 1);
  assert(desk.search(casey, "flashing").empty());
  assert(desk.search(office, "flashing").size() == 1);

  // A query that does not parse names the byte where it goes wrong.
  try {
    desk.search(office, "roof AND");
    return 1;
  } catch (const QuerySyntaxError &e) {
    std::printf("%s\n", e.what());  // query, byte 5: AND needs a word or phrase after it
    assert(e.position() == 5);
  }
  return 0;
}
