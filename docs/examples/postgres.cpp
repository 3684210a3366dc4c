// docs/postgresql.md: two app servers on one PostgreSQL database (here two
// desks in one process, each with its own connection), a stale write refused
// as on SQLite, and two tenants in two schemas of one database.
// Usage: docs_postgres CONNINFO (default: $COMPLAINTS_TEST_POSTGRES).
#include <complaints/complaints.hpp>
#include <complaints/postgres.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

using namespace complaints;

namespace {
void expect(bool ok, const char *what) {
  if (ok) return;
  std::fprintf(stderr, "docs_postgres: expected %s\n", what);
  std::exit(1);
}
}  // namespace

int main(int argc, char **argv) {
  const char *env = std::getenv("COMPLAINTS_TEST_POSTGRES");
  std::string conninfo = argc > 1 ? argv[1] : env ? env : "";
  if (conninfo.empty()) {
    std::fprintf(stderr, "usage: docs_postgres CONNINFO (or set COMPLAINTS_TEST_POSTGRES)\n");
    return 2;
  }
  // A schema of its own per run, so the example starts from an empty desk.
  std::string tenant = "docs_example_" + std::to_string(getpid());
  PostgresOptions options;
  options.schema = tenant;

  // Each app server opens its own desk on the same database and schema.
  Desk server_a(open_postgres(conninfo, options));
  Desk server_b(open_postgres(conninfo, options));
  Actor office{"olivia", Role::office, {Permission::edit_issues}};
  Actor tech{"tariq", Role::fieldworker, {}};
  server_a.put_record(office, Record{{RecordKind::booking, "BK-1"}, "casey", {"tariq"}});

  ReportRequest r;
  r.record = {RecordKind::booking, "BK-1"};
  r.type = "Unsatisfactory Job";
  r.description = "The boiler still leaks.";
  Issue issue = server_a.report(office, r);
  std::printf("server A reported %s\n", issue.code.c_str());

  // Server B sees it at once, and both act with the version they read.
  Issue seen = server_b.get(tech, issue.code);
  server_b.act(tech, issue.code, ActionRequest{"resolve", {{"note", "Valve replaced."}}, seen.version, {}});
  try {
    server_a.act(office, issue.code, ActionRequest{"resolve", {{"note", "Done?"}}, seen.version, {}});
    expect(false, "a stale version to be refused");
  } catch (const Conflict &e) {
    std::printf("server A's stale write: %s\n", e.what());
  }
  std::printf("status now: %s\n", server_a.get(office, issue.code).status.c_str());

  // Another tenant, in its own schema of the same database, sees none of it.
  PostgresOptions other = options;
  other.schema = tenant + "_b";
  Desk tenant_b(open_postgres(conninfo, other));
  IssueFilter all;
  expect(tenant_b.list(office, all).empty(), "the other tenant to list nothing");
  expect(server_b.list(office, all).size() == 1, "one issue in this tenant");
  std::printf("tenant %s lists %zu issues; tenant %s lists none\n", tenant.c_str(), server_b.list(office, all).size(),
              other.schema.c_str());
}
