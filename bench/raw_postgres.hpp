// The baselines' side of the PostgreSQL benchmarks: a libpqxx connection set
// up as the backend sets up its own (search_path to the desk's schema alone,
// the same statement and lock timeouts, UTF-8), statements prepared once per
// connection, and each operation one transaction begun and committed by plain
// statements at the isolation the backend uses (SERIALIZABLE writes,
// REPEATABLE READ READ ONLY reads).
#ifndef COMPLAINTS_BENCH_RAW_POSTGRES_HPP
#define COMPLAINTS_BENCH_RAW_POSTGRES_HPP

#include <pqxx/pqxx>

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bench {

inline constexpr const char *pg_write = "BEGIN ISOLATION LEVEL SERIALIZABLE";
inline constexpr const char *pg_read = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

/// A statement parameter that is SQL NULL.
inline constexpr std::nullptr_t pg_null = nullptr;

/// Column values (nullopt for NULL) as the parameters of one statement:
/// run(statement, pqxx::prepare::make_dynamic_params(pg_params(values))).
inline std::vector<const char *> pg_params(const std::vector<std::optional<std::string>> &values) {
  std::vector<const char *> out;
  out.reserve(values.size());
  for (const auto &v : values) out.push_back(v ? v->c_str() : nullptr);
  return out;
}

class RawPg {
 public:
  RawPg(const std::string &conninfo, const std::string &schema) : conn_(conninfo) {
    pqxx::nontransaction setup(conn_);
    // As PostgresOptions' defaults: 30 s statement timeout, 10 s lock timeout.
    setup.exec("SET search_path TO " + conn_.quote_name(schema) +
               "; SET statement_timeout = 30000; SET lock_timeout = 10000; SET client_encoding = 'UTF8'");
  }
  RawPg(const RawPg &) = delete;
  RawPg &operator=(const RawPg &) = delete;

  /// Prepares `sql` and returns the statement's name.
  std::string prepare(const std::string &sql) {
    std::string name = "b" + std::to_string(++statements_);
    conn_.prepare(name, sql);
    return name;
  }
  pqxx::connection &conn() { return conn_; }

 private:
  pqxx::connection conn_;
  int statements_ = 0;
};

/// One transaction on a RawPg: `begin` (pg_write or pg_read), prepared
/// statements, commit(); rolled back if destroyed before.
class RawTxn {
 public:
  RawTxn(RawPg &pg, const char *begin) : tx_(pg.conn()) { tx_.exec(begin); }
  ~RawTxn() {
    if (open_) try {
        tx_.exec("ROLLBACK");
      } catch (...) {
      }
  }
  RawTxn(const RawTxn &) = delete;
  RawTxn &operator=(const RawTxn &) = delete;

  template <typename... Args>
  pqxx::result run(const std::string &statement, Args &&...args) {
    return tx_.exec_prepared(statement, std::forward<Args>(args)...);
  }
  void commit() {
    tx_.exec("COMMIT");
    open_ = false;
  }

 private:
  pqxx::nontransaction tx_;
  bool open_ = true;
};

}  // namespace bench

#endif
