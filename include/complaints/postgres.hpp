// complaints/postgres.hpp - the PostgreSQL storage backend (SPEC R12.1).
//
// For products that run several app servers on one database: every app
// server opens its own Storage (one connection each) on the same database
// and schema. Built with libpqxx (the build option COMPLAINTS_POSTGRES,
// default ON); nothing here includes libpq's or libpqxx's headers.
//
// Transactions: a write transaction is SERIALIZABLE, a read transaction
// REPEATABLE READ READ ONLY, so concurrent writers run side by side and
// never lose an update: where two would conflict, PostgreSQL aborts one
// and the backend throws TransientStorageError (complaints/errors.hpp),
// which Desk operations retry from a fresh transaction. Issue and task
// updates are the same compare-and-set on their version as on SQLite.
// Issue numbers, task ids and the other ids (comments, outbox items, ledger
// lines) come from sequences, so concurrent reports neither wait for nor
// abort each other over a counter: ascending and never repeated, but a
// number taken by a transaction that rolls back (a retried conflict, a
// refused input, a refused outbox key) is not handed out again: issue codes
// and task ids may have gaps (CMP-00007 then CMP-00009), which the Storage
// contract allows (complaints/storage.hpp, allocate_issue_number).
//
// Failures: a lost connection (the server restarted, the backend was
// terminated), a statement past the statement timeout and every other
// server error are StorageErrors; the transaction is rolled back by the
// server, so the store stays as it was, and the next Storage::begin()
// reconnects when the connection was lost.
//
// Erasure (docs/storage.md, "Erasure on PostgreSQL"): Storage::scrub()
// (and so Desk::delete_forever, which calls it) runs VACUUM FULL on each
// table an erasure touches, one after another: each is rewritten, with its
// TOAST table and indexes, into new files of its live rows, so no byte of
// an erased row stays in the database's files. It takes an ACCESS
// EXCLUSIVE lock on each table while rewriting it (every other session's
// reads and writes of that table wait), waits for that lock up to
// lock_timeout_ms (then StorageError; call it again), and is not cut off by
// statement_timeout_ms: it lasts as long as copying the tables and
// rebuilding their indexes takes, in proportion to their size, and needs
// disk space for the copy. It returns false when another session of the
// database, a prepared transaction or a replication slot held a snapshot
// from before the call (VACUUM FULL keeps the rows it may see): nothing
// finishes that scrub by itself, call scrub() again later. Columns of text
// a host wrote are never sampled by ANALYZE into pg_statistic (statistics
// target 0). What the server's write-ahead log, archives, replicas and
// backups keep is the server operator's business (the docs say what).
//
// Thread-safety: as every Storage (complaints/storage.hpp): one thread at
// a time per Storage object; separate Storage objects, in one process or
// several, are safe on one database and schema.
#pragma once

#include <memory>
#include <string>

#include "complaints/export.hpp"
#include "complaints/storage.hpp"

namespace complaints {

/// Options of the PostgreSQL backend.
struct PostgresOptions {
  /// The PostgreSQL schema holding the desk's tables: one per desk, so a
  /// multi-tenant product keeps one schema per tenant in one database (no
  /// row of one is seen through another). Every statement runs with its
  /// search_path set to this schema alone. A name of 1 to 63 bytes of
  /// ASCII letters, digits and '_', not starting with a digit and not
  /// beginning "pg_" (else InvalidInput at "schema"). The default keeps
  /// the library's tables apart from the host's own in "public".
  std::string schema = "complaints";
  /// Create the schema when it does not exist (needs the CREATE privilege
  /// on the database); with false, a missing schema is a StorageError.
  bool create_schema = true;
  /// The server cancels any one statement running longer (its
  /// statement_timeout); the transaction then fails with StorageError and
  /// is rolled back. 0 means no limit. Must be 0 to 2,147,483,647
  /// (else InvalidInput at "statement_timeout_ms").
  int statement_timeout_ms = 30000;
  /// How long to wait for a row or table lock another transaction holds
  /// before failing with StorageError (the server's lock_timeout); 0 means
  /// wait as long as the statement timeout allows. 0 to 2,147,483,647
  /// (else InvalidInput at "lock_timeout_ms").
  int lock_timeout_ms = 10000;
  /// How long connecting (and each reconnection) may take, in seconds (libpq's
  /// connect_timeout; a keyword/value conninfo's own connect_timeout wins). A
  /// "postgresql://" URI is passed as it is: give connect_timeout in it (or
  /// PGCONNECT_TIMEOUT). 0 waits indefinitely. 0 to 3600 (else InvalidInput
  /// at "connect_timeout_s").
  int connect_timeout_s = 10;
};

/// Opens a connection to the PostgreSQL server named by `conninfo` (libpq's
/// connection string: "host=/run/postgresql dbname=app user=app" or a
/// "postgresql://" URI), and creates or migrates the desk's tables in
/// `options.schema`. The version check and every missing migration step run
/// in one transaction under an advisory lock on the schema's name
/// (pg_advisory_xact_lock), so several processes opening one database at
/// once migrate it exactly once. Throws InvalidInput for bad options (naming
/// the field); StorageError when the server cannot be reached or refuses the
/// login, the schema is missing and may not be created, or was written by a
/// newer schema version than this library knows (where() "schema"). The
/// connection is closed when the Storage is destroyed; it is reopened by the
/// next begin() after it was lost.
COMPLAINTS_API std::unique_ptr<Storage> open_postgres(const std::string &conninfo,
                                                      const PostgresOptions &options = {});

/// Schema version the PostgreSQL backend writes.
COMPLAINTS_API int postgres_schema_version() noexcept;

}  // namespace complaints
