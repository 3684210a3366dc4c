// complaints/sqlite.hpp - the SQLite backend: its options and its opener.
//
// The library's default store: one database file in WAL mode, shared safely
// by several Storage objects and processes (see complaints/storage.hpp for
// the interface every backend implements, and docs/storage.md).
//
// Thread-safety: as every Storage (complaints/storage.hpp): one thread at a
// time per Storage object; separate objects on one file are safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "complaints/export.hpp"
#include "complaints/storage.hpp"

namespace complaints {

/// Options of the SQLite backend.
struct SqliteOptions {
  /// FULL syncs every commit to disk (survives power loss). NORMAL, in WAL
  /// mode, survives an application crash but may lose the last commits on
  /// power loss; it is several times faster on real disks.
  enum class Sync : std::uint8_t { full, normal } sync = Sync::full;
  int busy_timeout_ms = 10000;  ///< how long a write waits for another writer
  int cache_kib = 32768;        ///< page cache per connection (an upper bound; grows as used)
  bool create = true;           ///< create the file if missing (never when read_only)
  /// Opens the file for reading only (SQLITE_OPEN_READONLY), for backups,
  /// replicas and inspection: the library never writes the database file,
  /// every write transaction and scrub() is refused (StorageError, where()
  /// "read_only"), reads see what other connections commit. The schema must
  /// be current (no migration can run) and the file must exist. SQLite still
  /// needs the -wal and -shm files beside a WAL database, to read it safely
  /// while another process writes: it creates them when missing, so the
  /// directory must be writable unless they exist, or use `immutable`. A
  /// read-only store never scrubs: a scrub owed by an erasure waits for a
  /// read-write connection.
  bool read_only = false;
  /// Read-only, and the file is a copy nobody changes (a backup, a snapshot
  /// on read-only media): SQLite reads it without locks and without its -wal
  /// and -shm files, creating nothing beside it (its `immutable` URI
  /// parameter), so it opens in a directory the process may not write. Commits
  /// that were still only in a -wal file are not seen. Never set it for a
  /// file another connection may write: reads could see torn pages.
  bool immutable = false;
};

/// Opens (creating if allowed) a SQLite database file in WAL mode with foreign
/// keys on, and migrates its schema forward. The schema version is read in a
/// read transaction: a store whose schema is current is opened without the
/// write lock (another connection's write transaction does not delay it) and
/// without writing anything to the file (SPEC R12.3), except to finish a scrub
/// an erasure left owed (see StorageTransaction::erase_issue). Only when a
/// migration is due is the write lock taken (waiting up to busy_timeout_ms),
/// the version read again under it, and every missing step applied in one
/// transaction. Throws StorageError when the file cannot be opened, is not a
/// complaints database, was written by a newer schema version than this
/// library knows, or is read-only (where() "read_only") and needs a migration.
/// The Storage's connection is closed when it is destroyed.
COMPLAINTS_API std::unique_ptr<Storage> open_sqlite(const std::string &path, const SqliteOptions &options = {});

/// Schema version the SQLite backend writes.
COMPLAINTS_API int sqlite_schema_version() noexcept;

}  // namespace complaints
