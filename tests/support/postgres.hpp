// The PostgreSQL side of the test fixtures: the server the tests run against
// (tests/postgres/server.sh, started by CTest) and fresh schemas on it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "complaints/postgres.hpp"

namespace test {

/// The conninfo of the test server, from $COMPLAINTS_TEST_POSTGRES. Throws
/// (failing the test, never skipping it) when it is not set.
std::string postgres_conninfo();

/// A schema name no other test (in this process or another) uses.
std::string fresh_postgres_schema();

/// Runs `sql` on a connection of its own (to set up, inspect or sabotage).
void postgres_exec(const std::string &sql);

/// Runs `sql` as postgres_exec does and returns each row's first column as
/// text (NULL as "").
std::vector<std::string> postgres_column(const std::string &sql);

/// The PostgreSQL backend in a fresh schema, dropped with everything in it at
/// the end. open() may be called again to get a second connection to it.
struct PostgresBackend {
  static constexpr const char *name = "postgres";
  std::string schema = fresh_postgres_schema();
  PostgresBackend() = default;
  PostgresBackend(const PostgresBackend &) = delete;
  PostgresBackend &operator=(const PostgresBackend &) = delete;
  ~PostgresBackend();
  std::unique_ptr<complaints::Storage> open(complaints::PostgresOptions options = {}) {
    options.schema = schema;
    return complaints::open_postgres(postgres_conninfo(), options);
  }
};

}  // namespace test
