// SPEC R9 on PostgreSQL: after delete forever and scrub() the erased text is
// in none of the files of the database's directory (tables, TOAST tables,
// indexes, and the catalogs, pg_statistic among them), while the text of an
// issue kept is, so the scan is shown to see data.
#include <filesystem>
#include <random>

#include "support/erasure.hpp"
#include "support/postgres.hpp"
#include "support/support.hpp"

using namespace complaints;

namespace {

// `length` random lower-case letters: unique to this run, so no file of an
// earlier run or of another test can hold it by chance.
std::string random_letters(std::size_t length) {
  std::random_device device;
  std::uniform_int_distribution<int> letter('a', 'z');
  std::string out;
  for (std::size_t k = 0; k < length; ++k) out += static_cast<char>(letter(device));
  return out;
}

// `words` words of 49 random letters: text too long to stay in its table's
// row, and too random to be compressed (so TOAST keeps it as it is).
std::string random_text(int words) {
  std::string out;
  for (int k = 0; k < words; ++k) out += random_letters(49) + " ";
  return out;
}

// A marker written into every text field, and one word the search index keeps as a term.
struct Marks {
  std::string marker = "MARK-" + random_letters(16);
  std::string word = random_letters(20);
};

// The names of the files of the test database's directory (base/<oid> under
// the data directory) holding `needle`, after a checkpoint wrote every dirty
// page out; each with the relation it belongs to, when it still has one.
std::vector<std::string> files_holding(const std::string &needle) {
  test::postgres_exec("CHECKPOINT");
  std::string data = test::postgres_column("SHOW data_directory").at(0);
  std::string oid = test::postgres_column("SELECT oid FROM pg_database WHERE datname = current_database()").at(0);
  std::filesystem::path dir = std::filesystem::path(data) / "base" / oid;
  std::vector<std::string> found;
  for (const auto &entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    if (test::file_bytes(entry.path()).find(needle) == std::string::npos) continue;
    std::string name = entry.path().filename();
    std::string node = name.substr(0, name.find_first_not_of("0123456789"));
    std::string relation =
        node.empty() ? "" : test::postgres_column("SELECT pg_filenode_relation(0, " + node + ")::regclass::text").at(0);
    found.push_back(name + " (" + (relation.empty() ? "no relation" : relation) + ")");
  }
  return found;
}

// Every table of the schema analyzed, as autovacuum does once enough rows
// changed: ANALYZE keeps sampled column values in pg_statistic.
void analyze(const std::string &schema) {
  test::postgres_exec(
      "DO $$ DECLARE t text; BEGIN FOR t IN SELECT format('%I.%I', schemaname, tablename) FROM "
      "pg_tables WHERE schemaname = '" +
      schema + "' LOOP EXECUTE 'ANALYZE ' || t; END LOOP; END $$");
}

}  // namespace

TEST_CASE("erased text is in no table, TOAST, index or catalog file of the database after scrub") {
  test::DeskFixture<test::PostgresBackend> f;
  Marks gone, kept;
  Issue erased = test::marked_issue(f, gone.marker, gone.word);
  Issue other = test::marked_issue(f, kept.marker, kept.word);
  test::deliver_half(f.desk);  // delivered rows are deleted too
  // Long text goes to the TOAST table.
  CommentRequest big;
  big.body = gone.marker + " " + random_text(300);
  f.desk.add_comment(test::office(), erased.code, big);
  big.body = kept.marker + " " + random_text(300);
  f.desk.add_comment(test::office(), other.code, big);
  analyze(f.backend.schema);

  // The scan sees both issues' text before.
  for (const std::string &needle : {gone.marker, gone.word, kept.marker, kept.word}) {
    CAPTURE(needle);
    CHECK_FALSE(files_holding(needle).empty());
  }

  f.desk.delete_forever(test::remover, erased.code);
  // Another connection's open snapshot (a parallel test's) keeps the rows it
  // might still see; scrub says so, and a later one finishes.
  bool scrubbed = test::scrub_when_alone(f.desk);
  REQUIRE(scrubbed);

  for (const std::string &needle : {gone.marker, gone.word}) {
    auto files = files_holding(needle);
    std::string names;
    for (const auto &n : files) names += " " + n;
    CHECK_MESSAGE(files.empty(), needle, " is still in:", names);
  }
  CHECK_FALSE(files_holding(kept.marker).empty());
  CHECK_FALSE(files_holding(kept.word).empty());
  CHECK(f.desk.get(test::admin(), other.code).description.find(kept.marker) != std::string::npos);
}
