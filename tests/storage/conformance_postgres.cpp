// The PostgreSQL backend under the storage conformance suite
// (tests/conformance): each store a new schema on the throw-away server CTest
// starts (tests/postgres/server.sh); the server goes with its schemas.
#include <complaints/postgres.hpp>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "storage_conformance.hpp"

std::unique_ptr<complaints::Storage> complaints::conformance::open_storage() {
  static std::atomic<int> stores{0};
  const char *conninfo = std::getenv("COMPLAINTS_TEST_POSTGRES");
  if (!conninfo || !*conninfo)
    throw std::runtime_error("COMPLAINTS_TEST_POSTGRES is not set: run the suite with ctest, which starts a server");
  PostgresOptions o;
  o.schema = "conformance_" + std::to_string(getpid()) + "_" + std::to_string(++stores);
  return open_postgres(conninfo, o);
}
