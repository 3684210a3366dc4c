// The SQLite backend's delete forever (erase_issue) and its dump of every row.
#include <algorithm>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "storage/codec.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/transaction.hpp"
#include "storage/shared_sql.hpp"

namespace complaints::sqlite_backend {

ErasedCounts SqliteTransaction::erase_issue(std::int64_t number) {
  return guarded("erase issue", [&] {
    ErasedCounts n;
    auto count = [&](const char *sql) {
      Use s(stmts_.get(sql));
      s->bind(1, number);
      return s->executeStep() ? s->getColumn(0).getInt64() : 0;
    };
    n.comments = count("SELECT count(*) FROM comments WHERE number = ?");
    n.attachments = count("SELECT count(*) FROM attachments WHERE number = ?");
    n.timeline_entries = count("SELECT count(*) FROM timeline WHERE number = ?");
    n.tasks = count("SELECT count(*) FROM tasks WHERE number = ?");
    {
      Use s(stmts_.get(shared_sql::erase_outbox));
      s->bind(1, format_issue_code(number));
      n.outbox_items = s->exec();
    }
    {
      Use s(stmts_.get(shared_sql::erase_due));
      s->bind(1, number);
      s->exec();
    }
    for (const char *sql : {"DELETE FROM search_customer WHERE rowid = ?", "DELETE FROM search_staff WHERE rowid = ?"}) {
      Use s(stmts_.get(sql));
      s->bind(1, number);
      s->exec();
    }
    // FTS5 only marks a row's words deleted; its index keeps them until the
    // segments holding them are merged. Merging everything now leaves no
    // erased word in the index (secure_delete zeroes the freed pages). Its
    // cost grows with the index: delete forever is rare.
    for (const char *sql : {"INSERT INTO search_customer (search_customer) VALUES ('optimize')",
                            "INSERT INTO search_staff (search_staff) VALUES ('optimize')"}) {
      Use s(stmts_.get(sql));
      s->exec();
    }
    {
      // Everything else hangs off the issue row and goes with it (ON DELETE CASCADE).
      Use s(stmts_.get(shared_sql::erase_issue));
      s->bind(1, number);
      s->exec();
    }
    // Older images of the erased pages stay in the write-ahead log until a
    // scrub: it is owed from this commit on, whatever happens next.
    debt_.record();
    return n;
  });
}

std::string SqliteTransaction::dump() {
  return guarded("dump", [&] {
    std::string out;
    {
      Use s(stmts_.get("PRAGMA user_version"));
      if (s->executeStep()) out += fmt::format("user_version {}\n", integer(*s, 0));
    }
    std::vector<std::string> tables;
    {
      Use s(stmts_.get("SELECT name, sql FROM sqlite_schema WHERE type IN ('table', 'index', 'trigger') "
                       "ORDER BY name"));
      while (s->executeStep()) {
        out += fmt::format("schema {}: {}\n", text(*s, 0), text(*s, 1));
        std::string name = text(*s, 0);
        if (!name.starts_with("sqlite_autoindex")) tables.push_back(name);
      }
    }
    for (const auto &t : tables) {
      SQLite::Statement probe(db_, "SELECT type FROM sqlite_schema WHERE name = ?");
      probe.bind(1, t);
      if (!probe.executeStep() || text(probe, 0) != "table") continue;
      SQLite::Statement s(db_, fmt::format("SELECT * FROM \"{}\"", t));
      std::vector<std::string> rows;
      while (s.executeStep()) {
        std::string row;
        for (int c = 0; c < s.getColumnCount(); ++c) {
          if (is_null(s, c))
            row += "|NULL";
          else if (s.getColumn(c).isInteger())
            row += fmt::format("|{}", integer(s, c));
          else
            row += fmt::format("|'{}'", text(s, c));
        }
        rows.push_back(std::move(row));
      }
      std::sort(rows.begin(), rows.end());
      for (const auto &r : rows) out += fmt::format("{} {}\n", t, r);
    }
    return out;
  });
}

}  // namespace complaints::sqlite_backend
