// The SQLite backend under the storage conformance suite
// (tests/conformance): each store a new file in one temporary directory,
// removed when the suite ends.
#include <complaints/sqlite.hpp>

#include <atomic>
#include <string>

#include "storage_conformance.hpp"
#include "support/temp_dir.hpp"

std::unique_ptr<complaints::Storage> complaints::conformance::open_storage() {
  static test::TempDir dir;
  static std::atomic<int> stores{0};
  SqliteOptions o;
  o.sync = SqliteOptions::Sync::normal;  // tests need no power-loss durability
  return open_sqlite(dir.file("store-" + std::to_string(++stores) + ".db"), o);
}
