// The PostgreSQL backend's schema: the DDL of each version's step.
#pragma once

#include <string>
#include <vector>

namespace complaints::postgres {

/// Step k (0-based) migrates a schema from version k to k + 1; the schema's
/// version is the number of steps applied (postgres_schema_version()).
std::vector<std::string> migration_steps();

/// The tables erase_issue deletes from, which scrub() rewrites.
const std::vector<const char *> &erased_tables();

}  // namespace complaints::postgres
