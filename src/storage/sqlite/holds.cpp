// The SQLite backend's payment holds, their links to issues, and the holds ledger.
#include <sqlite3.h>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "storage/codec.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/transaction.hpp"
#include "storage/shared_sql.hpp"

namespace complaints::sqlite_backend {

std::optional<PaymentHold> SqliteTransaction::hold(const RecordRef &record, std::string_view fieldworker) {
  return guarded("read hold", [&]() -> std::optional<PaymentHold> {
    static const std::string sql = fmt::format(
        "SELECT {} FROM holds h WHERE h.record_kind = ? AND h.record_id = ? AND h.fieldworker_id = ?",
        hold_state_columns);
    // Asked once per pair of a payroll run: bound without SQLite copying
    // the texts (they outlive the statement's use).
    std::string fw(fieldworker);
    Use s(stmts_.get(sql.c_str()));
    s->bindNoCopy(1, to_string(record.kind));
    s->bindNoCopy(2, record.id);
    s->bindNoCopy(3, fw);
    if (!s->executeStep()) return std::nullopt;
    PaymentHold h;
    h.record = record;
    h.fieldworker = fw;
    read_hold_state(*s, 0, h);
    return h;
  });
}

void SqliteTransaction::put_hold(const PaymentHold &h) {
  guarded("write hold", [&] {
    Use s(stmts_.get(shared_sql::put_hold));
    s->bind(1, to_string(h.record.kind));
    s->bind(2, h.record.id);
    s->bind(3, h.fieldworker);
    s->bind(4, to_string(h.state));
    if (h.amount) {
      s->bind(5, h.amount->minor());
      s->bind(6, h.amount->currency());
    }
    s->bind(7, to_string(h.scope));
    s->bind(8, to_millis(h.since));
    if (h.released_at) s->bind(9, to_millis(*h.released_at));
    s->exec();
  });
}

void SqliteTransaction::link_hold(const RecordRef &record, std::string_view fieldworker, std::int64_t number,
                                  bool blocking) {
  guarded("link hold", [&] {
    Use s(stmts_.get("INSERT OR IGNORE INTO hold_issues (record_kind, record_id, fieldworker_id, number, open) "
                     "VALUES (?, ?, ?, ?, ?)"));
    s->bindNoCopy(1, to_string(record.kind));
    s->bindNoCopy(2, record.id);
    s->bind(3, std::string(fieldworker));
    s->bind(4, number);
    s->bind(5, blocking ? 1 : 0);
    s->exec();
  });
}

void SqliteTransaction::mark_blocking(std::int64_t number, bool blocking) {
  guarded("mark hold links", [&] {
    // Schema triggers carry the change to each linked hold's list of blocking issues.
    Use s(stmts_.get("UPDATE hold_issues SET open = ? WHERE number = ?"));
    s->bind(1, blocking ? 1 : 0);
    s->bind(2, number);
    s->exec();
  });
}

std::vector<PaymentHold> SqliteTransaction::holds_of_issue(std::int64_t number) {
  return guarded("read holds of issue", [&] {
    static const std::string sql = fmt::format(
        "SELECT {} FROM hold_issues x JOIN holds h ON h.record_kind = x.record_kind AND h.record_id = x.record_id "
        "AND h.fieldworker_id = x.fieldworker_id WHERE x.number = ? ORDER BY h.fieldworker_id, h.record_kind, "
        "h.record_id",
        hold_columns);
    Use s(stmts_.get(sql.c_str()));
    s->bind(1, number);
    return read_holds(*s);
  });
}

std::vector<PaymentHold> SqliteTransaction::find_holds(const HoldFilter &f) {
  return guarded("find holds", [&] {
    Conditions c;
    if (f.record) {
      c.where("h.record_kind = " + c.text(to_string(f.record->kind)));
      c.where("h.record_id = " + c.text(f.record->id));
    }
    if (f.invoice) {
      std::string p = c.text(*f.invoice);
      c.where("((h.record_kind = 'invoice' AND h.record_id = " + p +
              ") OR EXISTS (SELECT 1 FROM records r WHERE r.kind = h.record_kind AND r.host_id = "
              "h.record_id AND r.invoice_id = " + p + "))");
    }
    if (f.fieldworker) c.where("h.fieldworker_id = " + c.text(*f.fieldworker));
    if (f.state) c.where("h.state = " + c.text(to_string(*f.state)));
    if (f.withheld_before)
      c.where("h.state = 'withheld' AND h.since <= " + c.integer(to_millis(*f.withheld_before)));
    std::string sql = fmt::format("SELECT {} FROM holds h{} ORDER BY h.record_kind, h.record_id, "
                                  "h.fieldworker_id LIMIT {}",
                                  hold_columns, c.clause(), c.integer(static_cast<std::int64_t>(f.limit)));
    Use s(stmts_.get(sql));
    c.bind(*s);
    return read_holds(*s);
  });
}

std::int64_t SqliteTransaction::append_ledger(const HoldLedgerEntry &e) {
  return guarded("append ledger line", [&] {
    Use s(stmts_.get("INSERT INTO hold_ledger (record_kind, record_id, fieldworker_id, action, at, actor_id, "
                     "actor_role, reason, issues, amount_minor, currency, override) VALUES (?, ?, ?, ?, ?, ?, ?, "
                     "?, ?, ?, ?, ?)"));
    s->bind(1, to_string(e.record.kind));
    s->bind(2, e.record.id);
    s->bind(3, e.fieldworker);
    s->bind(4, to_string(e.action));
    s->bind(5, to_millis(e.at));
    s->bind(6, e.actor_id);
    s->bind(7, to_string(e.actor_role));
    s->bind(8, e.reason);
    s->bind(9, join_lines(e.issues));
    if (e.amount) {
      s->bind(10, e.amount->minor());
      s->bind(11, e.amount->currency());
    }
    s->bind(12, e.override_release ? 1 : 0);
    s->exec();
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_.getHandle()));
  });
}

std::int64_t SqliteTransaction::drop_from_ledger(std::string_view code) {
  return guarded("drop an issue from the ledger", [&] {
    // Deletion is rare, so the ledger is scanned.
    Use s(stmts_.get("UPDATE hold_ledger SET issues = trim(replace(char(10) || issues || char(10), char(10) || "
                     "?1 || char(10), char(10)), char(10)) WHERE instr(char(10) || issues || char(10), "
                     "char(10) || ?1 || char(10)) > 0"));
    s->bind(1, std::string(code));
    return static_cast<std::int64_t>(s->exec());
  });
}

std::vector<HoldLedgerEntry> SqliteTransaction::ledger(Timestamp from, Timestamp to) {
  return guarded("read ledger", [&] {
    Use s(stmts_.get(shared_sql::ledger_between));
    s->bind(1, to_millis(from));
    s->bind(2, to_millis(to));
    std::vector<HoldLedgerEntry> out;
    while (s->executeStep()) {
      HoldLedgerEntry e;
      e.id = integer(*s, 0);
      e.record.kind = codec::decode_enum(record_kind_from_string(view(*s, 1)), "hold_ledger.record_kind", view(*s, 1));
      e.record.id = text(*s, 2);
      e.fieldworker = text(*s, 3);
      e.action = codec::decode_enum(ledger_action_from_string(view(*s, 4)), "hold_ledger.action", view(*s, 4));
      e.at = from_millis(integer(*s, 5));
      e.actor_id = text(*s, 6);
      e.actor_role = codec::decode_enum(role_from_string(view(*s, 7)), "hold_ledger.actor_role", view(*s, 7));
      e.reason = text(*s, 8);
      e.issues = split_lines(view(*s, 9));
      e.amount = money_columns(*s, 10, "hold_ledger");
      e.override_release = integer(*s, 12) != 0;
      out.push_back(std::move(e));
    }
    return out;
  });
}

}  // namespace complaints::sqlite_backend
