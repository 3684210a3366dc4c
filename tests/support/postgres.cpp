#include "support/postgres.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include <pqxx/pqxx>

namespace test {

std::string postgres_conninfo() {
  const char *info = std::getenv("COMPLAINTS_TEST_POSTGRES");
  if (!info || !*info)
    throw std::runtime_error(
        "COMPLAINTS_TEST_POSTGRES is not set: the PostgreSQL backend's tests need a server. Run them with ctest "
        "(which starts one), or start one with tests/postgres/server.sh start DIR and set "
        "COMPLAINTS_TEST_POSTGRES=\"$(cat DIR/conninfo)\"");
  return info;
}

std::string fresh_postgres_schema() {
  static std::atomic<int> next{0};
  return "t" + std::to_string(getpid()) + "_" + std::to_string(++next);
}

void postgres_exec(const std::string &sql) {
  pqxx::connection conn(postgres_conninfo());
  pqxx::nontransaction tx(conn);
  tx.exec(sql);
}

std::vector<std::string> postgres_column(const std::string &sql) {
  pqxx::connection conn(postgres_conninfo());
  pqxx::nontransaction tx(conn);
  std::vector<std::string> out;
  for (const auto &row : tx.exec(sql)) out.push_back(row[0].is_null() ? std::string() : row[0].c_str());
  return out;
}

PostgresBackend::~PostgresBackend() {
  try {
    postgres_exec("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
  } catch (...) {
    // The server is thrown away at the end of the run anyway.
  }
}

}  // namespace test
