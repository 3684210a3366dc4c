// The PostgreSQL backend: payment holds, their issue links and the ledger.
#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "storage/codec.hpp"
#include "storage/postgres/transaction.hpp"
#include "storage/shared_sql.hpp"

namespace complaints::postgres {

namespace {

// A hold's columns, then its linked issues and the blocking ones among them
// (numbers, ascending, newline-separated).
constexpr const char *hold_select =
    "SELECT h.record_kind, h.record_id, h.fieldworker_id, h.state, h.amount_minor, h.currency, h.scope, h.since, "
    "h.released_at, "
    "(SELECT coalesce(string_agg(x.number::text, E'\\n' ORDER BY x.number), '') FROM hold_issues x JOIN issues i ON "
    "i.number = x.number WHERE (x.record_kind, x.record_id, x.fieldworker_id) = (h.record_kind, h.record_id, "
    "h.fieldworker_id)), "
    "(SELECT coalesce(string_agg(x.number::text, E'\\n' ORDER BY x.number), '') FROM hold_issues x JOIN issues i ON "
    "i.number = x.number WHERE (x.record_kind, x.record_id, x.fieldworker_id) = (h.record_kind, h.record_id, "
    "h.fieldworker_id) AND x.blocking = 1) FROM holds h";

std::optional<Money> money(const pqxx::row &r, int col, const char *table) {
  if (r[col].is_null()) return std::nullopt;
  try {
    return Money::of(integer(r[col]), view(r[col + 1]));
  } catch (const InvalidInput &e) {
    throw StorageError(fmt::format("corrupt amount in {}: {}", table, e.what()));
  }
}

std::vector<std::string> codes(std::string_view numbers) {
  std::vector<std::string> out;
  for (const auto &n : split_lines(numbers)) out.push_back(format_issue_code(std::stoll(n)));
  return out;
}

Param minor(const std::optional<Money> &m) { return m ? Param(m->minor()) : Param(std::nullopt); }
Param currency(const std::optional<Money> &m) { return m ? Param(m->currency()) : Param(std::nullopt); }

}  // namespace

std::vector<PaymentHold> PgTransaction::read_holds(const pqxx::result &r) {
  std::vector<PaymentHold> out;
  for (const auto &row : r) {
    PaymentHold h;
    h.record.kind = codec::decode_enum(record_kind_from_string(view(row[0])), "holds.record_kind", view(row[0]));
    h.record.id = text(row[1]);
    h.fieldworker = text(row[2]);
    h.state = codec::decode_enum(hold_state_from_string(view(row[3])), "holds.state", view(row[3]));
    h.amount = money(row, 4, "holds");
    h.scope = codec::decode_enum(hold_scope_from_string(view(row[6])), "holds.scope", view(row[6]));
    h.since = from_millis(integer(row[7]));
    if (!row[8].is_null()) h.released_at = from_millis(integer(row[8]));
    h.issues = codes(view(row[9]));
    h.blocking = codes(view(row[10]));
    out.push_back(std::move(h));
  }
  return out;
}

std::optional<PaymentHold> PgTransaction::hold(const RecordRef &record, std::string_view fieldworker) {
  static const std::string sql = std::string(hold_select) +
                                 " WHERE h.record_kind = $1 AND h.record_id = $2 AND h.fieldworker_id = $3";
  auto holds = read_holds(exec("read hold", sql, {to_string(record.kind), record.id, fieldworker}));
  if (holds.empty()) return std::nullopt;
  return std::move(holds.front());
}

void PgTransaction::put_hold(const PaymentHold &h) {
  write();
  exec("write hold",
       shared_sql::put_hold,
       {to_string(h.record.kind), h.record.id, h.fieldworker, to_string(h.state), minor(h.amount), currency(h.amount),
        to_string(h.scope), to_millis(h.since),
        h.released_at ? Param(to_millis(*h.released_at)) : Param(std::nullopt)});
}

void PgTransaction::link_hold(const RecordRef &record, std::string_view fieldworker, std::int64_t number,
                              bool blocking) {
  write();
  auto r = exec("link hold",
                "INSERT INTO hold_issues (record_kind, record_id, fieldworker_id, number, blocking) SELECT $1, $2, $3, "
                "$4, $5 WHERE EXISTS (SELECT 1 FROM holds WHERE record_kind = $1 AND record_id = $2 AND "
                "fieldworker_id = $3) ON CONFLICT DO NOTHING RETURNING 1",
                {to_string(record.kind), record.id, fieldworker, number, blocking ? 1 : 0});
  if (r.empty() && !hold(record, fieldworker)) throw StorageError("link hold: no such hold");
}

void PgTransaction::mark_blocking(std::int64_t number, bool blocking) {
  write();
  exec("mark hold links", "UPDATE hold_issues SET blocking = $2 WHERE number = $1", {number, blocking ? 1 : 0});
}

std::int64_t PgTransaction::drop_from_ledger(std::string_view code) {
  write();
  return static_cast<std::int64_t>(
      exec("drop an issue from the ledger",
           "UPDATE hold_ledger SET issues = array_to_string(array_remove(string_to_array(issues, E'\\n'), $1), "
           "E'\\n') WHERE $1 = ANY (string_to_array(issues, E'\\n'))",
           {code})
          .affected_rows());
}

std::vector<PaymentHold> PgTransaction::holds_of_issue(std::int64_t number) {
  static const std::string sql = std::string(hold_select) +
                                 " WHERE EXISTS (SELECT 1 FROM hold_issues x WHERE x.number = $1 AND (x.record_kind, "
                                 "x.record_id, x.fieldworker_id) = (h.record_kind, h.record_id, h.fieldworker_id)) "
                                 "ORDER BY h.fieldworker_id, h.record_kind, h.record_id";
  return read_holds(exec("read holds of issue", sql, {number}));
}

std::vector<PaymentHold> PgTransaction::find_holds(const HoldFilter &f) {
  Params params;
  std::string where;
  auto p = [&](Param v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  auto cond = [&](const std::string &c) { where += (where.empty() ? " WHERE " : " AND ") + c; };
  if (f.record) cond("h.record_kind = " + p(to_string(f.record->kind)) + " AND h.record_id = " + p(f.record->id));
  if (f.invoice) {
    std::string inv = p(*f.invoice), kind = p(to_string(RecordKind::invoice));
    cond("((h.record_kind = " + kind + " AND h.record_id = " + inv +
         ") OR EXISTS (SELECT 1 FROM records r WHERE r.kind = h.record_kind AND r.host_id = h.record_id AND "
         "r.invoice_id = " + inv + "))");
  }
  if (f.fieldworker) cond("h.fieldworker_id = " + p(*f.fieldworker));
  if (f.state) cond("h.state = " + p(to_string(*f.state)));
  if (f.withheld_before)
    cond("h.state = " + p(to_string(HoldState::withheld)) + " AND h.since <= " + p(to_millis(*f.withheld_before)));
  std::string sql = std::string(hold_select) + where + " ORDER BY h.record_kind, h.record_id, h.fieldworker_id LIMIT " +
                    p(f.limit);
  return read_holds(exec("find holds", sql, params));
}

std::int64_t PgTransaction::append_ledger(const HoldLedgerEntry &e) {
  write();
  auto r = exec("append ledger line",
                "INSERT INTO hold_ledger (record_kind, record_id, fieldworker_id, action, at, actor_id, actor_role, "
                "reason, issues, amount_minor, currency, override) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                "$11, $12) RETURNING id",
                {to_string(e.record.kind), e.record.id, e.fieldworker, to_string(e.action), to_millis(e.at),
                 e.actor_id, to_string(e.actor_role), e.reason, join_lines(e.issues), minor(e.amount),
                 currency(e.amount), e.override_release ? 1 : 0});
  return integer(r[0][0]);
}

std::vector<HoldLedgerEntry> PgTransaction::ledger(Timestamp from, Timestamp to) {
  std::vector<HoldLedgerEntry> out;
  for (const auto &r : exec("read ledger",
                            shared_sql::ledger_between,
                            {to_millis(from), to_millis(to)})) {
    HoldLedgerEntry e;
    e.id = integer(r[0]);
    e.record.kind = codec::decode_enum(record_kind_from_string(view(r[1])), "hold_ledger.record_kind", view(r[1]));
    e.record.id = text(r[2]);
    e.fieldworker = text(r[3]);
    e.action = codec::decode_enum(ledger_action_from_string(view(r[4])), "hold_ledger.action", view(r[4]));
    e.at = from_millis(integer(r[5]));
    e.actor_id = text(r[6]);
    e.actor_role = codec::decode_enum(role_from_string(view(r[7])), "hold_ledger.actor_role", view(r[7]));
    e.reason = text(r[8]);
    e.issues = split_lines(view(r[9]));
    e.amount = money(r, 10, "hold_ledger");
    e.override_release = integer(r[12]) != 0;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace complaints::postgres
