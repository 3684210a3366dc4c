#include "storage/sqlite/scrub.hpp"

#include <sqlite3.h>

#include "storage/shared_sql.hpp"

namespace complaints::sqlite_scrub {

namespace {

// Resets a statement when the scope ends, so that none keeps a read open
// (a checkpoint cannot truncate past a read, even this connection's).
class Reset {
 public:
  explicit Reset(SQLite::Statement &s) : s_(s) {}
  ~Reset() { s_.tryReset(); }
  Reset(const Reset &) = delete;
  Reset &operator=(const Reset &) = delete;

 private:
  SQLite::Statement &s_;
};

// The connection's busy timeout, set for a scope, then back.
class BusyTimeout {
 public:
  BusyTimeout(SQLite::Database &db, int ms, int restore) : db_(db), restore_(restore) {
    sqlite3_busy_timeout(db_.getHandle(), ms);
  }
  ~BusyTimeout() { sqlite3_busy_timeout(db_.getHandle(), restore_); }
  BusyTimeout(const BusyTimeout &) = delete;
  BusyTimeout &operator=(const BusyTimeout &) = delete;

 private:
  SQLite::Database &db_;
  int restore_;
};

}  // namespace

// Prepares `sql` on first use, its ?1 bound to the debt's key for good
// (bindings survive resets).
SQLite::Statement &Debt::statement(std::unique_ptr<SQLite::Statement> &slot, const char *sql) {
  if (!slot) {
    slot = std::make_unique<SQLite::Statement>(db_, sql);
    if (slot->getBindParameterCount() > 0) slot->bindNoCopy(1, owed_key);
  }
  return *slot;
}

void Debt::record() {
  SQLite::Statement &s = statement(record_,
                                   "INSERT INTO settings (key, value) VALUES (?1, '1') "
                                   "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1");
  Reset reset(s);
  s.exec();
}

std::optional<std::string> Debt::owed() {
  SQLite::Statement &s = statement(find_, shared_sql::setting);
  Reset reset(s);
  if (!s.executeStep()) return std::nullopt;
  return s.getColumn(0).getString();
}

bool Debt::settle(const std::optional<std::string> &owed, bool wait) {
  BusyTimeout timeout(db_, wait ? busy_timeout_ms_ : 0, busy_timeout_ms_);
  SQLite::Statement &checkpoint = statement(checkpoint_, "PRAGMA wal_checkpoint(TRUNCATE)");
  bool truncated = false;
  {
    Reset reset(checkpoint);
    // (busy, log frames, checkpointed frames): busy 0 when every frame was
    // copied and the log cut to zero bytes.
    truncated = checkpoint.executeStep() && checkpoint.getColumn(0).getInt() == 0;
  }
  if (!truncated || !owed) return truncated;
  SQLite::Statement &clear = statement(clear_, "DELETE FROM settings WHERE key = ?1 AND value = ?2");
  Reset reset(clear);
  clear.bind(2, *owed);
  try {
    clear.exec();
  } catch (const SQLite::Exception &e) {
    // Another writer holds the lock: the files are clean all the same, and the
    // debt is paid again, harmlessly, at the next chance.
    if (e.getErrorCode() != SQLITE_BUSY && e.getErrorCode() != SQLITE_LOCKED) throw;
  }
  return true;
}

void Debt::try_settle(const std::optional<std::string> &owed) noexcept {
  try {
    settle(owed, false);
  } catch (...) {
    // The debt stays recorded; the next chance pays it.
  }
}

void Debt::settle_if_owed() noexcept {
  try {
    if (auto debt = owed()) settle(debt, false);
  } catch (...) {
    // As in try_settle.
  }
}

}  // namespace complaints::sqlite_scrub
