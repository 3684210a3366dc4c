// The PostgreSQL backend's connection, transactions and opener: one
// connection per Storage, SERIALIZABLE write transactions and REPEATABLE
// READ READ ONLY reads, migrations under an advisory lock.
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "domain/check.hpp"
#include "storage/postgres/schema.hpp"
#include "storage/postgres/transaction.hpp"

namespace complaints::postgres {

Param::Param(std::string_view v) {
  if (v.find('\0') != std::string_view::npos)
    throw StorageError("PostgreSQL cannot store text holding a NUL byte");
  value.emplace(v);
}

std::string join_lines(const std::vector<std::string> &items) {
  std::string out;
  for (const auto &item : items) {
    if (!out.empty()) out += '\n';
    out += item;
  }
  return out;
}

std::vector<std::string> split_lines(std::string_view joined) {
  std::vector<std::string> out;
  if (joined.empty()) return out;
  for (std::size_t start = 0;;) {
    std::size_t end = joined.find('\n', start);
    out.emplace_back(joined.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string text(const pqxx::field &f) { return std::string(view(f)); }

std::string_view view(const pqxx::field &f) { return f.is_null() ? std::string_view() : std::string_view(f.c_str(), f.size()); }

std::int64_t integer(const pqxx::field &f) {
  std::string_view v = view(f);
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || end != v.data() + v.size())
    throw StorageError(fmt::format("corrupt stored integer in column {}", f.name()));
  return out;
}

// What libpq or the server said, made printable: its messages span lines
// and may echo the caller's conninfo or a row's bytes.
std::string said(const std::exception &e) {
  std::string_view text = e.what();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  return check::excerpt(text, 500);
}

[[noreturn]] void rethrow(Session &session, const char *what) {
  try {
    throw;
  } catch (const Error &) {
    throw;
  } catch (const pqxx::broken_connection &e) {
    session.drop();
    throw StorageError(fmt::format("{}: the connection to PostgreSQL was lost ({})", what, said(e)));
  } catch (const pqxx::in_doubt_error &e) {
    session.drop();
    throw StorageError(fmt::format("{}: the connection was lost while committing; the outcome is unknown ({})",
                                   what, said(e)));
  } catch (const pqxx::transaction_rollback &e) {
    // 40001 (serialization failure) and 40P01 (deadlock): libpqxx does not
    // always keep the SQLSTATE, but it always picks this class for them.
    throw TransientStorageError(fmt::format("{}: a concurrent transaction conflicted ({})", what, said(e)));
  } catch (const pqxx::sql_error &e) {
    const std::string &state = e.sqlstate();
    if (state == "40001" || state == "40P01")
      throw TransientStorageError(fmt::format("{}: a concurrent transaction conflicted ({})", what, said(e)));
    if (state == "57014")
      throw StorageError(fmt::format("{}: the statement ran past the statement timeout ({})", what, said(e)));
    // Administrator shutdown, crash shutdown, cannot connect now: the session is gone.
    if (state.rfind("57P", 0) == 0 || state.rfind("08", 0) == 0) session.drop();
    throw StorageError(fmt::format("{}: {} (SQLSTATE {})", what, said(e), state.empty() ? "unknown" : state));
  } catch (const std::exception &e) {
    throw StorageError(fmt::format("{}: {}", what, said(e)));
  }
}

Session::Session(std::string conninfo, PostgresOptions options)
    : conninfo_(std::move(conninfo)), options_(std::move(options)) {}

pqxx::connection &Session::connection() {
  if (conn_ && !broken_ && conn_->is_open()) return *conn_;
  conn_.reset();
  broken_ = false;
  prepared_.clear();
  std::string info = conninfo_;
  // libpq takes the last of repeated keywords; ours go first so the host's win.
  // (A URI cannot be prefixed; it gets the default of PGCONNECT_TIMEOUT.)
  bool uri = info.rfind("postgresql://", 0) == 0 || info.rfind("postgres://", 0) == 0;
  if (!uri) info = fmt::format("connect_timeout={} {}", options_.connect_timeout_s, info);
  try {
    conn_ = std::make_unique<pqxx::connection>(info);
    pqxx::nontransaction setup(*conn_);
    setup.exec(fmt::format("SET search_path TO {}; SET statement_timeout = {}; SET lock_timeout = {}; "
                           "SET client_encoding = 'UTF8'",
                           conn_->quote_name(options_.schema), options_.statement_timeout_ms,
                           options_.lock_timeout_ms));
    setup.commit();
  } catch (const pqxx::broken_connection &e) {
    conn_.reset();  // never connected: not "lost"
    throw StorageError(fmt::format("connect to PostgreSQL: {}", said(e)));
  } catch (...) {
    conn_.reset();
    rethrow(*this, "connect to PostgreSQL");
  }
  return *conn_;
}

void Session::drop() noexcept {
  // The connection may still be referenced by the failing transaction: it is
  // replaced by the next connection(), when no transaction uses it any more.
  broken_ = true;
  prepared_.clear();
}

const std::string &Session::prepared(const std::string &sql) {
  auto it = prepared_.find(sql);
  if (it != prepared_.end()) return it->second;
  std::string name = "s" + std::to_string(prepared_.size() + 1);
  conn_->prepare(name, sql);
  return prepared_.emplace(sql, std::move(name)).first->second;
}

std::string Session::quoted_schema() { return connection().quote_name(options_.schema); }

PgTransaction::PgTransaction(Session &session, TxnMode mode) : session_(session), writable_(mode == TxnMode::write) {
  const char *begin = writable_ ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                                : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  // A connection that broke while idle (a server restart) is found out by
  // BEGIN: nothing has happened yet, so connect again once and retry.
  for (int attempt = 0;; ++attempt) {
    try {
      tx_.emplace(session_.connection());
      tx_->exec(begin);
      return;
    } catch (const pqxx::broken_connection &) {
      tx_.reset();
      session_.drop();
      if (attempt == 0) continue;
      try {
        throw;
      } catch (...) {
        rethrow(session_, "begin a transaction");
      }
    } catch (...) {
      tx_.reset();
      rethrow(session_, "begin a transaction");
    }
  }
}

PgTransaction::~PgTransaction() {
  if (!open_ || !tx_) return;
  try {
    tx_->exec("ROLLBACK");
  } catch (...) {
    // The server rolls back a transaction whose connection is gone; a
    // connection that cannot even roll back is not reused.
    tx_.reset();
    session_.drop();
  }
}

void PgTransaction::commit() {
  if (!open_) throw StorageError("commit: the transaction is already finished");
  try {
    open_ = false;
    tx_->exec("COMMIT");
    tx_.reset();
  } catch (...) {
    fail("commit");
  }
}

pqxx::result PgTransaction::exec(const char *what, const std::string &sql, const Params &params) {
  if (!open_) throw StorageError(fmt::format("{}: the transaction is already finished", what));
  try {
    const std::string &name = session_.prepared(sql);
    return tx_->exec_prepared(name, pqxx::prepare::make_dynamic_params(params));
  } catch (...) {
    fail(what);
  }
}

[[noreturn]] void PgTransaction::fail(const char *what) {
  open_ = false;  // the server has aborted the transaction (or lost it)
  try {
    throw;
  } catch (const pqxx::broken_connection &) {
    tx_.reset();
  } catch (...) {
    try {
      if (tx_) tx_->exec("ROLLBACK");
    } catch (...) {
      tx_.reset();
      session_.drop();
    }
  }
  rethrow(session_, what);
}

void PgTransaction::write() const {
  if (!writable_) throw StorageError("write in a read transaction");
}

namespace {

void check_options(const PostgresOptions &o) {
  const std::string &s = o.schema;
  bool ok = !s.empty() && s.size() <= 63 && !std::isdigit(static_cast<unsigned char>(s[0])) &&
            s.rfind("pg_", 0) != 0;
  for (char c : s) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_') && (c & 0x80) == 0;
  if (!ok)
    throw InvalidInput("must be 1 to 63 ASCII letters, digits and '_', not starting with a digit or \"pg_\"",
                       "schema");
  if (o.statement_timeout_ms < 0) throw InvalidInput("must be 0 to 2147483647", "statement_timeout_ms");
  if (o.lock_timeout_ms < 0) throw InvalidInput("must be 0 to 2147483647", "lock_timeout_ms");
  if (o.connect_timeout_s < 0 || o.connect_timeout_s > 3600)
    throw InvalidInput("must be 0 to 3600", "connect_timeout_s");
}

// Creates or migrates the schema, in one transaction under an advisory lock
// on the schema's name, so that concurrent openers migrate once.
void migrate(Session &session) {
  const PostgresOptions &o = session.options();
  try {
    pqxx::connection &conn = session.connection();
    pqxx::nontransaction tx(conn);
    tx.exec("BEGIN");
    tx.exec("SELECT pg_advisory_xact_lock(hashtext(" + tx.quote("complaints.migrate." + o.schema) + "))");
    std::string schema = conn.quote_name(o.schema);
    bool exists = !tx.exec("SELECT 1 FROM pg_namespace WHERE nspname = " + tx.quote(o.schema)).empty();
    if (!exists) {
      if (!o.create_schema) throw StorageError(fmt::format("schema {} does not exist", schema), "schema");
      tx.exec("CREATE SCHEMA " + schema);
    }
    int version = 0;
    if (!tx.exec("SELECT to_regclass(" + tx.quote(schema + ".schema_version") + ") IS NOT NULL")[0][0].as<bool>()) {
      tx.exec("CREATE TABLE " + schema + ".schema_version (version integer NOT NULL)");
      tx.exec("INSERT INTO " + schema + ".schema_version VALUES (0)");
    } else {
      version = tx.exec("SELECT version FROM " + schema + ".schema_version")[0][0].as<int>();
    }
    auto steps = migration_steps();
    if (version > static_cast<int>(steps.size()))
      throw StorageError(fmt::format("schema {} is at version {}, newer than this library's {}", schema, version,
                                     steps.size()),
                         "schema");
    for (auto k = static_cast<std::size_t>(version); k < steps.size(); ++k) tx.exec(steps[k]);
    tx.exec(fmt::format("UPDATE {}.schema_version SET version = {}", schema, steps.size()));
    tx.exec("COMMIT");
  } catch (...) {
    session.drop();  // the migration's transaction dies with the connection
    rethrow(session, "open the PostgreSQL schema");
  }
}

class PostgresStorage final : public Storage {
 public:
  // A reader (open_reader) skips the migration: the store it reads beside
  // was opened, and migrated, first.
  PostgresStorage(const std::string &conninfo, const PostgresOptions &options, bool reader = false)
      : conninfo_(conninfo), options_(options), reader_(reader), session_(conninfo, options) {
    if (!reader_) migrate(session_);
  }

  std::unique_ptr<StorageTransaction> begin(TxnMode mode) override {
    if (mode == TxnMode::write && reader_)
      throw StorageError("a reader connection reads only: nothing can be changed", "read_only");
    return std::make_unique<PgTransaction>(session_, mode);
  }

  std::unique_ptr<Storage> open_reader() override {
    return std::make_unique<PostgresStorage>(conninfo_, options_, true);
  }

  std::string_view backend_name() const noexcept override { return "postgres"; }

  // Erased rows are dead row versions, left in their pages (and TOAST and
  // index pages) until the space is reused: a plain VACUUM frees the space
  // but leaves the bytes. VACUUM FULL rewrites each table, its TOAST table
  // and its indexes into new files of the live rows only; the old files are
  // emptied at commit. It keeps the rows an older snapshot may still see,
  // so a session holding one (or a prepared transaction, or a replication
  // slot's xmin) when the scrub begins makes it false. VACUUM cannot run in
  // a transaction block, hence the plain statements; the rewrite is not cut
  // off by the statement timeout (the lock wait is, by the lock timeout).
  bool scrub() override {
    if (reader_) throw StorageError("a reader connection reads only: it cannot scrub", "read_only");
    try {
      pqxx::connection &conn = session_.connection();
      pqxx::nontransaction tx(conn);
      static constexpr const char *snapshot_held =
          "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND (backend_xmin IS NOT "
          "NULL OR backend_xid IS NOT NULL) AND (datname = current_database() OR backend_type = 'walsender')) OR "
          "EXISTS (SELECT 1 FROM pg_prepared_xacts WHERE database = current_database()) OR EXISTS (SELECT 1 FROM "
          "pg_replication_slots WHERE xmin IS NOT NULL)";
      bool held = tx.exec(snapshot_held)[0][0].as<bool>();
      tx.exec("SET statement_timeout = 0");
      for (const char *t : erased_tables())
        tx.exec(fmt::format("VACUUM FULL {}.{}", conn.quote_name(session_.options().schema), t));
      tx.exec(fmt::format("SET statement_timeout = {}", session_.options().statement_timeout_ms));
      return !held;
    } catch (...) {
      session_.drop();  // its statement timeout may be off: the next call connects afresh
      rethrow(session_, "scrub");
    }
  }

 private:
  std::string conninfo_;
  PostgresOptions options_;
  bool reader_;
  Session session_;
};

}  // namespace

}  // namespace complaints::postgres

namespace complaints {

std::unique_ptr<Storage> open_postgres(const std::string &conninfo, const PostgresOptions &options) {
  postgres::check_options(options);
  if (conninfo.find('\0') != std::string::npos) throw InvalidInput("holds a NUL byte", "conninfo");
  return std::make_unique<postgres::PostgresStorage>(conninfo, options);
}

}  // namespace complaints
