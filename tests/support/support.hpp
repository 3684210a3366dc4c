// Shared test fixtures: the storage backends every case on storage runs on,
// a fixed clock, and the usual cast of actors.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "complaints/complaints.hpp"
#include "support/temp_dir.hpp"
#ifdef COMPLAINTS_TEST_POSTGRES
#include "support/postgres.hpp"
#endif

namespace test {

using namespace complaints;

/// The in-memory backend.
struct MemoryBackend {
  static constexpr const char *name = "memory";
  std::unique_ptr<Storage> open() { return make_memory_storage(); }
  /// Memory stores do not survive reopening; tests that reopen use SqliteBackend.
};

/// The SQLite backend on a file in a fresh temporary directory. open() may be
/// called again to get a second connection to the same file.
struct SqliteBackend {
  static constexpr const char *name = "sqlite";
  TempDir dir;
  std::unique_ptr<Storage> open() {
    SqliteOptions o;
    o.sync = SqliteOptions::Sync::normal;  // tests need no power-loss durability
    return open_sqlite(dir.file("complaints.db"), o);
  }
};

#ifdef COMPLAINTS_TEST_POSTGRES
#define TEST_BACKENDS test::MemoryBackend, test::SqliteBackend, test::PostgresBackend
#else
#define TEST_BACKENDS test::MemoryBackend, test::SqliteBackend
#endif

/// Monday 5 January 2026, 09:00 UTC.
inline Timestamp t0() { return parse_timestamp("2026-01-05T09:00:00Z"); }

inline Actor admin() { return {"admin-1", Role::admin, Permissions::all()}; }
inline Actor supervisor() { return {"super-1", Role::supervisor, {Permission::edit_issues}}; }
inline Actor office() { return {"office-1", Role::office, {Permission::edit_issues}}; }
inline Actor fieldworker(const std::string &id = "fw-1") { return {id, Role::fieldworker, {}}; }
inline Actor customer(const std::string &id = "cust-1") { return {id, Role::customer, {}}; }
inline Actor system_actor() { return {"host", Role::system, {}}; }

inline Record booking(const std::string &id = "B-1", const std::string &cust = "cust-1",
                      std::vector<std::string> fws = {"fw-1", "fw-2"}) {
  return Record{{RecordKind::booking, id}, cust, std::move(fws), RecordVisibility::restricted, false};
}

/// A desk over a backend, with a manual clock starting at t0().
template <typename Backend>
struct DeskFixture {
  Backend backend;
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(t0());
  Desk desk{backend.open(), DeskOptions{clock}};

  Issue report_on_booking(const std::string &booking_id = "B-1", const std::string &type = "Damage Caused") {
    desk.put_record(office(), booking(booking_id));
    ReportRequest r;
    r.record = {RecordKind::booking, booking_id};
    r.type = type;
    r.description = "Scratched the kitchen bench while moving the oven.";
    return desk.report(office(), r);
  }

  Issue act(const Actor &who, const Issue &issue, const std::string &action,
            std::map<std::string, std::string, std::less<>> inputs = {}) {
    return desk.act(who, issue.code, ActionRequest{action, std::move(inputs), std::nullopt});
  }
};

/// Runs `f`, expecting a complaints::Error with `code`; returns it for further checks.
template <typename F>
Error expect_error(Errc code, F &&f) {
  try {
    f();
  } catch (const Error &e) {
    CHECK_MESSAGE(e.code() == code, "expected ", std::string(to_string(code)), ", got ", std::string(to_string(e.code())),
                  ": ", e.what());
    return e;
  }
  FAIL("expected an error ", std::string(to_string(code)), ", but the call succeeded");
  return Error(Errc::internal, "unreachable");
}

}  // namespace test
