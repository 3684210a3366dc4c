// Delete forever's promise that erased text leaves the database files
// (SPEC R9.1), kept when the scrub cannot happen at once.
//
// secure_delete zeroes erased rows in every page a transaction writes, but the
// write-ahead log still holds older images of those pages: in frames no
// checkpoint has copied yet, and, once the log restarts from its beginning, in
// frames past the new write point (a restart does not shorten the file, nor
// does a PASSIVE checkpoint). Only a wal_checkpoint(TRUNCATE) that succeeds
// leaves no old image, and it cannot while another connection reads an older
// snapshot, nor in a process that dies right after its commit.
//
// So an erasure records, in its own transaction, that a scrub is owed (a row
// of the settings table: no schema change), and whoever gets the next chance
// pays it: any connection's next write transaction after it commits, the next
// open, a close, Storage::scrub. Paying is checkpointing with TRUNCATE and,
// if that succeeded, deleting the row.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

namespace complaints::sqlite_scrub {

/// The settings key of the debt. Its value counts the erasures since the last
/// scrub, so a scrub deletes only the debt it saw: one recorded while it
/// checkpointed stays owed.
inline constexpr const char *owed_key = "sqlite.scrub_owed";

/// The owed scrub of one connection. Not thread-safe (as the connection).
class Debt {
 public:
  /// `busy_timeout_ms`: the connection's own, restored after a scrub that does not wait.
  Debt(SQLite::Database &db, int busy_timeout_ms) : db_(db), busy_timeout_ms_(busy_timeout_ms) {}

  /// Records that a scrub is owed, in the caller's write transaction.
  void record();
  /// The debt's value, or none: one primary-key lookup, in the caller's
  /// transaction or (with none open) a read of its own.
  std::optional<std::string> owed();
  /// Checkpoints the log and truncates it, waiting (`wait`) up to the busy
  /// timeout for other connections, or not at all; when that succeeded,
  /// deletes the debt `owed` as read before (unless another erasure changed
  /// it meanwhile). No transaction may be open on the connection. Returns
  /// whether the log was truncated. Throws SQLite::Exception.
  bool settle(const std::optional<std::string> &owed, bool wait);
  /// settle(owed, false), never throwing: after a commit, when nothing may fail any more.
  void try_settle(const std::optional<std::string> &owed) noexcept;
  /// try_settle(owed()) when a debt is owed: at an open and a close.
  void settle_if_owed() noexcept;

 private:
  SQLite::Statement &statement(std::unique_ptr<SQLite::Statement> &slot, const char *sql);

  SQLite::Database &db_;
  int busy_timeout_ms_;
  // Prepared on first use: the settings table may not exist when the connection opens.
  std::unique_ptr<SQLite::Statement> record_, find_, checkpoint_, clear_;
};

}  // namespace complaints::sqlite_scrub
