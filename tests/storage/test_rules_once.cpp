// Issue 15, "rules once": who may see what, and which issues keep a payout
// withheld, are decided above storage (src/access, src/holds) and handed to
// the backends as data (ReadScope, put_readers, link_hold's and
// mark_blocking's flag). These cases hold every backend's source to that, so
// a new backend (or a change to an old one) cannot quietly grow a rule back.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <SQLiteCpp/SQLiteCpp.h>

#include "support/support.hpp"

using namespace complaints;

namespace {

std::string read_all(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// What a backend would need to mention to decide a visibility or hold rule of
// its own: the record kinds and visibilities that share issues with
// fieldworkers, the roles, the access and holds modules. (A backend may still
// mirror an issue's category, "closed" among them, in an index flag: that is
// how SQLite serves a filter's categories in number order, not a rule.)
constexpr const char *rule_words[] = {
    "RecordVisibility", "visibility = 'all'", "RecordKind::booking", "'booking'",
    "Role::",           "access/",            "access::",            "holds/",
    "holds::",
};

}  // namespace

TEST_CASE("no storage backend contains a visibility or hold rule") {
  const std::filesystem::path root = std::filesystem::path(COMPLAINTS_SOURCE_DIR) / "src" / "storage";
  int files = 0;
  for (const auto &entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    auto name = entry.path().filename().string();
    // schema.cpp keeps every migration as it shipped, the v10 triggers among
    // them; v12 drops those (the live schema is checked below).
    if (name == "schema.cpp") continue;
    if (entry.path().extension() != ".cpp" && entry.path().extension() != ".hpp") continue;
    ++files;
    std::string text = read_all(entry.path());
    for (const char *word : rule_words) {
      INFO(entry.path().string(), " mentions ", word);
      CHECK(text.find(word) == std::string::npos);
    }
  }
  CHECK(files >= 4);
}

TEST_CASE("the SQLite schema keeps no trigger that works out who reads an issue") {
  test::SqliteBackend backend;
  backend.open();
  SQLite::Database db(backend.dir.file("complaints.db"), SQLite::OPEN_READONLY);
  SQLite::Statement s(db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'");
  int triggers = 0;
  while (s.executeStep()) {
    ++triggers;
    std::string sql = s.getColumn(1).getString();
    INFO(s.getColumn(0).getString());
    CHECK(sql.find("booking") == std::string::npos);
    CHECK(sql.find("visibility") == std::string::npos);
    CHECK(sql.find("record_fieldworkers") == std::string::npos);
  }
  CHECK(triggers > 0);  // the ones that keep derived lists (hold lists, open flags) remain
}
