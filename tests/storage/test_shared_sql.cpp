// The statements SQLite and PostgreSQL share (src/storage/shared_sql.hpp)
// bind by position alike in both: PostgreSQL numbers $1, $2, ... by their
// digits, SQLite by the order in which named parameters first appear.
#include <doctest/doctest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "storage/shared_sql.hpp"
#include "support/support.hpp"

namespace {

// The numbers of the $n parameters of `sql`, in the order each first appears.
std::vector<int> first_appearances(const std::string &sql) {
  std::vector<int> seen;
  static const std::regex parameter(R"(\$(\d+))");
  for (auto it = std::sregex_iterator(sql.begin(), sql.end(), parameter); it != std::sregex_iterator(); ++it) {
    int n = std::stoi((*it)[1].str());
    if (std::find(seen.begin(), seen.end(), n) == seen.end()) seen.push_back(n);
  }
  return seen;
}

}  // namespace

TEST_CASE("every shared statement names its parameters $1, $2, ... in the order they first appear") {
  int statements = 0;
  for (const char *sql : complaints::shared_sql::all) {
    CAPTURE(sql);
    std::vector<int> seen = first_appearances(sql);
    for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == static_cast<int>(i) + 1);
    CHECK(std::string(sql).find('?') == std::string::npos);  // no anonymous parameter beside them
    ++statements;
  }
  CHECK(statements >= 20);
}

TEST_CASE("SQLite gives each shared statement's $n the position n, against the real schema") {
  test::TempDir dir;
  std::string path = dir.file("shared.db");
  complaints::open_sqlite(path);  // creates the schema
  sqlite3 *db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  for (const char *sql : complaints::shared_sql::all) {
    CAPTURE(sql);
    sqlite3_stmt *s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK);
    int count = sqlite3_bind_parameter_count(s);
    CHECK(count == static_cast<int>(first_appearances(sql).size()));
    for (int i = 1; i <= count; ++i) CHECK(std::string(sqlite3_bind_parameter_name(s, i)) == "$" + std::to_string(i));
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
}
