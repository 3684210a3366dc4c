// The baselines' side of every SQLite benchmark: a raw connection configured
// as the library configures its own (WAL, synchronous=NORMAL, foreign keys,
// secure_delete, the same busy timeout), with prepared statements.
#ifndef COMPLAINTS_BENCH_RAW_SQLITE_HPP
#define COMPLAINTS_BENCH_RAW_SQLITE_HPP

#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace bench {

class Raw {
 public:
  explicit Raw(const std::string &path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) fail("open");
    // First, as the library does: processes opening together wait for each other's locks.
    sqlite3_busy_timeout(db_, 10000);  // SqliteOptions::busy_timeout_ms's default
    exec("PRAGMA journal_mode = WAL");
    exec("PRAGMA synchronous = NORMAL");
    exec("PRAGMA foreign_keys = ON");
    exec("PRAGMA secure_delete = ON");  // as the library: erased content is zeroed (SPEC R9)
  }
  ~Raw() {
    for (auto *s : stmts_) sqlite3_finalize(s);
    sqlite3_close(db_);
  }
  Raw(const Raw &) = delete;
  Raw &operator=(const Raw &) = delete;

  sqlite3 *db() const { return db_; }
  sqlite3_stmt *prepare(const char *sql) {
    sqlite3_stmt *s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) fail(sql);
    stmts_.push_back(s);
    return s;
  }
  void exec(const char *sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
  }
  void step_done(sqlite3_stmt *s) {
    if (sqlite3_step(s) != SQLITE_DONE) fail(sqlite3_sql(s));
    sqlite3_reset(s);
  }
  [[noreturn]] void fail(const char *what) {
    std::fprintf(stderr, "baseline: %s: %s\n", what, sqlite3_errmsg(db_));
    std::exit(1);
  }

 private:
  sqlite3 *db_ = nullptr;
  std::vector<sqlite3_stmt *> stmts_;
};

// Named apart: an unqualified put(stmt, i, std::string&) would find std::bind by ADL.
inline void put(sqlite3_stmt *s, int i, const std::string &v) {
  sqlite3_bind_text(s, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
}
inline void put(sqlite3_stmt *s, int i, std::int64_t v) { sqlite3_bind_int64(s, i, v); }

}  // namespace bench

#endif
