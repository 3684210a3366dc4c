// The SQLite backend: one file, WAL, BEGIN IMMEDIATE per write transaction,
// prepared statements cached per connection; opened without the write lock
// unless a migration is due, or read-only. This file opens the connection and
// begins, commits and rolls back transactions; each area of the interface
// lives in a file of its own (transaction.hpp lists them).
#include <sqlite3.h>

#include <algorithm>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "complaints/sqlite.hpp"
#include "domain/check.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/schema.hpp"
#include "storage/sqlite/transaction.hpp"

namespace complaints::sqlite_backend {

[[noreturn]] void rethrow(const char *what, const SQLite::Exception &e) {
  int code = e.getErrorCode();
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    throw StorageError(fmt::format("{}: the database is locked by another writer and the busy timeout "
                                   "expired ({})",
                                   what, e.what()));
  throw StorageError(fmt::format("{}: {}", what, e.what()));
}

SqliteTransaction::SqliteTransaction(SQLite::Database &db, StatementCache &stmts, sqlite_scrub::Debt &debt,
                                     sqlite_search::QuerySlot &search, TxnMode mode)
    : db_(db), stmts_(stmts), debt_(debt), search_(search), mode_(mode) {
  guarded("begin transaction", [&] {
    Use begin(stmts_.get(mode == TxnMode::write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"));
    begin->exec();
  });
  open_ = true;
}

SqliteTransaction::~SqliteTransaction() {
  if (!open_) return;
  try {
    Use rollback(stmts_.get("ROLLBACK"));
    rollback->exec();
  } catch (...) {
    // Destructors never throw; SQLite rolls back on its own if the connection closes.
  }
}

void SqliteTransaction::commit() {
  // Whether an erasure (this one's or another connection's, even one that
  // crashed) left a scrub owed: one primary-key lookup per write, before
  // the commit so that it reads this transaction's own snapshot.
  std::optional<std::string> owed;
  if (mode_ == TxnMode::write) owed = guarded("commit", [&] { return debt_.owed(); });
  guarded("commit", [&] {
    Use commit(stmts_.get("COMMIT"));
    commit->exec();
  });
  open_ = false;
  if (owed) debt_.try_settle(owed);  // committed: this may fail, not the commit
}

namespace {

// A "file:" URI naming `path`, for SQLite's URI parameters: the characters a
// URI gives a meaning to are escaped.
std::string file_uri(const std::string &path) {
  std::string uri = path.starts_with('/') ? "file://" : "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#')
      uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    else
      uri += c;
  }
  return uri;
}

class SqliteStorage final : public Storage {
 public:
  SqliteStorage(const std::string &path, const SqliteOptions &options)
      : path_(check::excerpt(path, 200)),
        file_(path),
        options_(options),
        read_only_(options.read_only || options.immutable),
        db_(open(path, options)),
        stmts_(db_),
        debt_(db_, options.busy_timeout_ms) {
    guarded("configure database", [&] {
      db_.setBusyTimeout(options.busy_timeout_ms);
      if (!read_only_) {
        // On a file already in WAL mode this only reads its header: it writes nothing.
        SQLite::Statement mode(db_, "PRAGMA journal_mode = WAL");
        if (!mode.executeStep() || text(mode, 0) != "wal")
          throw StorageError(fmt::format("{}: cannot switch to WAL mode", path));
      }
      // These configure the connection; none writes the file.
      db_.exec(options.sync == SqliteOptions::Sync::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
      db_.exec("PRAGMA foreign_keys = ON");
      db_.exec(fmt::format("PRAGMA cache_size = -{}", std::max(options.cache_kib, 64)));
      // Deleted content is overwritten with zeros, not just unlinked: delete
      // forever must leave nothing to recover (SPEC R9), and neither should the
      // old text an edit replaced.
      db_.exec("PRAGMA secure_delete = ON");
      search_ = &sqlite_search::add_functions(db_.getHandle());
    });
    open_schema();
    // A scrub an erasure left owed (its process may have died right after the commit).
    if (!read_only_) debt_.settle_if_owed();
  }

  // The last chance this connection gets to pay a scrub still owed.
  ~SqliteStorage() override {
    if (!read_only_) debt_.settle_if_owed();
  }

  std::unique_ptr<StorageTransaction> begin(TxnMode mode) override {
    if (mode == TxnMode::write) refuse_if_read_only("nothing can be changed");
    return std::make_unique<SqliteTransaction>(db_, stmts_, debt_, *search_, mode);
  }

  std::unique_ptr<Storage> open_reader() override {
    // A private in-memory or temporary database is this connection's alone.
    if (file_.empty() || file_ == ":memory:") return nullptr;
    SqliteOptions o = options_;
    o.read_only = true;
    o.create = false;
    return std::make_unique<SqliteStorage>(file_, o);
  }

  std::string_view backend_name() const noexcept override { return "sqlite"; }

  bool scrub() override {
    refuse_if_read_only("its files cannot be scrubbed");
    return guarded("scrub", [&] { return debt_.settle(debt_.owed(), true); });
  }

 private:
  static SQLite::Database open(const std::string &path, const SqliteOptions &options) {
    try {
      // NOMUTEX: a connection is only ever used by one thread at a time (the
      // Storage contract; the Desk serializes), so SQLite's own per-call lock
      // is pure overhead.
      const int flags = SQLite::OPEN_NOMUTEX;
      if (options.immutable)
        return SQLite::Database(file_uri(path) + "?immutable=1", flags | SQLite::OPEN_READONLY | SQLite::OPEN_URI);
      if (options.read_only) return SQLite::Database(path, flags | SQLite::OPEN_READONLY);
      return SQLite::Database(path, flags | SQLite::OPEN_READWRITE | (options.create ? SQLite::OPEN_CREATE : 0));
    } catch (const SQLite::Exception &e) {
      throw StorageError(fmt::format("cannot open {}: {}", check::excerpt(path, 200), e.what()));
    }
  }

  void refuse_if_read_only(const char *what) const {
    if (read_only_) throw StorageError(fmt::format("{} was opened read-only: {}", path_, what), "read_only");
  }

  // Reads the schema version in a read transaction: a current store opens
  // without the write lock and without writing (SPEC R12.3). Only a migration
  // takes the lock, reading the version again under it (another connection
  // may have migrated meanwhile), and applies every missing step at once.
  void open_schema() {
    auto steps = sqlite_schema::migrations();
    const auto current = static_cast<int>(steps.size());
    guarded("open schema", [&] {
      int version = in_transaction("BEGIN DEFERRED", [&] { return checked_version(current); });
      if (version == current) return;
      if (read_only_ && version == 0)
        throw StorageError(fmt::format("{} holds no complaints schema yet, and was opened read-only", path_),
                           "read_only");
      if (read_only_)
        throw StorageError(fmt::format("{} has schema version {}, older than this library's {}, and was opened "
                                       "read-only: open it read-write once to migrate it",
                                       path_, version, current),
                           "read_only");
      in_transaction("BEGIN IMMEDIATE", [&] {
        int from = checked_version(current);
        if (from == current) return from;
        for (int v = from; v < current; ++v) db_.exec(steps[static_cast<std::size_t>(v)]);
        db_.exec(fmt::format("PRAGMA application_id = {}", sqlite_schema::application_id));
        db_.exec(fmt::format("PRAGMA user_version = {}", current));
        return current;
      });
    });
  }

  // The schema version, once the file is known to be a complaints database
  // (or empty) of no newer version than `current`. In a transaction.
  int checked_version(int current) {
    int app = db_.execAndGet("PRAGMA application_id").getInt();
    int version = db_.execAndGet("PRAGMA user_version").getInt();
    int tables = db_.execAndGet("SELECT count(*) FROM sqlite_schema").getInt();
    if (app != sqlite_schema::application_id && (app != 0 || version != 0 || tables != 0))
      throw StorageError(fmt::format("{} is not a complaints database", path_));
    if (version > current)
      throw StorageError(fmt::format("{} has schema version {}, newer than this library's {}; upgrade the library",
                                     path_, version, current));
    return version;
  }

  // Runs `body` between `begin` and COMMIT, rolling back if it throws.
  template <typename F>
  int in_transaction(const char *begin, F &&body) {
    db_.exec(begin);
    try {
      int result = body();
      db_.exec("COMMIT");
      return result;
    } catch (...) {
      db_.tryExec("ROLLBACK");
      throw;
    }
  }

  std::string path_;  // for messages
  std::string file_;
  SqliteOptions options_;
  bool read_only_;
  SQLite::Database db_;
  StatementCache stmts_;
  sqlite_scrub::Debt debt_;  // after db_: its statements are finalized before the connection closes
  sqlite_search::QuerySlot *search_ = nullptr;  // owned by the connection (its ranking function)
};

}  // namespace

}  // namespace complaints::sqlite_backend

namespace complaints {

std::unique_ptr<Storage> open_sqlite(const std::string &path, const SqliteOptions &options) {
  return std::make_unique<sqlite_backend::SqliteStorage>(path, options);
}

int sqlite_schema_version() noexcept { return static_cast<int>(sqlite_schema::migrations().size()); }

}  // namespace complaints
