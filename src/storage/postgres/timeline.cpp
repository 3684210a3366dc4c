// The PostgreSQL backend: timelines, due work and status periods.
#include <algorithm>

#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "storage/codec.hpp"
#include "storage/postgres/transaction.hpp"
#include "storage/shared_sql.hpp"

namespace complaints::postgres {

namespace {

// Numbers as a PostgreSQL array literal ("{1,2,3}"), bound as one parameter.
std::string number_array(std::span<const std::int64_t> numbers) {
  std::string out = "{";
  for (auto n : numbers) out += (out.size() > 1 ? "," : "") + std::to_string(n);
  return out + "}";
}

DueItem read_due(const pqxx::row &r) {
  return DueItem{integer(r[0]), text(r[1]), text(r[2]), from_millis(integer(r[3]))};
}

}  // namespace

void PgTransaction::append_timeline(const TimelineEntry &e) {
  write();
  exec("append timeline entry",
       shared_sql::append_timeline,
       {parse_issue_code(e.issue_code), e.seq, to_millis(e.at), e.actor_id, to_string(e.actor_role), e.kind,
        e.action, codec::encode_changes(e.changes), e.note, e.internal ? 1 : 0, e.prev_hash, e.hash});
}

std::vector<TimelineEntry> PgTransaction::timeline(std::int64_t number) {
  std::vector<TimelineEntry> out;
  for (const auto &r : exec("read timeline",
                            shared_sql::timeline,
                            {number})) {
    TimelineEntry e;
    e.issue_code = format_issue_code(number);
    e.seq = integer(r[0]);
    e.at = from_millis(integer(r[1]));
    e.actor_id = text(r[2]);
    e.actor_role = codec::decode_enum(role_from_string(view(r[3])), "timeline.actor_role", view(r[3]));
    e.kind = text(r[4]);
    e.action = text(r[5]);
    e.changes = codec::decode_changes(view(r[6]));
    e.note = text(r[7]);
    e.internal = integer(r[8]) != 0;
    e.prev_hash = text(r[9]);
    e.hash = text(r[10]);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<NumberedChange> PgTransaction::timeline_changes(std::span<const std::int64_t> numbers,
                                                            std::span<const std::string> fields) {
  std::vector<NumberedChange> out;
  if (fields.empty() || numbers.empty()) return out;
  // The changes are JSON text: entries are read whole and filtered here.
  for (const auto &r : exec("read timeline changes",
                            "SELECT number, seq, changes FROM timeline WHERE number = ANY ($1::bigint[]) ORDER BY "
                            "number, seq",
                            {number_array(numbers)}))
    for (auto &c : codec::decode_changes(view(r[2])))
      if (std::find(fields.begin(), fields.end(), c.field) != fields.end())
        out.push_back({integer(r[0]), integer(r[1]), std::move(c)});
  return out;
}

void PgTransaction::put_due(const DueItem &item) {
  write();
  exec("write due item",
       shared_sql::put_due,
       {item.number, item.kind, item.name, to_millis(item.due_at)});
}

bool PgTransaction::remove_due(std::int64_t number, std::string_view kind, std::string_view name) {
  write();
  return exec("remove due item", shared_sql::remove_due,
              {number, kind, name})
             .affected_rows() > 0;
}

std::optional<DueItem> PgTransaction::due_item(std::int64_t number, std::string_view kind, std::string_view name) {
  auto r = exec("read due item",
                "SELECT number, kind, name, due_at FROM due WHERE number = $1 AND kind = $2 AND name = $3",
                {number, kind, name});
  if (r.empty()) return std::nullopt;
  return read_due(r[0]);
}

std::vector<DueItem> PgTransaction::due_items(Timestamp now, std::size_t limit) {
  // In a write transaction the items are being claimed: another process's
  // claim (row locks until it commits) is skipped rather than waited for.
  const char *sql = writable_ ? "SELECT number, kind, name, due_at FROM due WHERE due_at <= $1 ORDER BY due_at, "
                                "number, kind, name LIMIT $2 FOR UPDATE SKIP LOCKED"
                              : "SELECT number, kind, name, due_at FROM due WHERE due_at <= $1 ORDER BY due_at, "
                                "number, kind, name LIMIT $2";
  std::vector<DueItem> out;
  for (const auto &r : exec("list due items", sql, {to_millis(now), limit})) out.push_back(read_due(r));
  return out;
}

std::optional<Timestamp> PgTransaction::next_due() {
  auto r = exec("read next due time", shared_sql::next_due);
  if (r[0][0].is_null()) return std::nullopt;
  return from_millis(integer(r[0][0]));
}

void PgTransaction::begin_status_period(const StatusPeriod &p) {
  write();
  if (!first_write(p.number, period_written))
    exec("end status period", "UPDATE status_periods SET until = $2 WHERE number = $1 AND until IS NULL",
         {p.number, to_millis(p.since)});
  exec("begin status period",
       "INSERT INTO status_periods (number, since, status, category, stage) VALUES ($1, $2, $3, $4, $5)",
       {p.number, to_millis(p.since), p.status, to_string(p.category), p.stage});
}

std::vector<StatusPeriod> PgTransaction::status_periods(std::span<const std::int64_t> numbers) {
  std::vector<StatusPeriod> out;
  if (numbers.empty()) return out;
  for (const auto &r : exec("read status periods",
                            "SELECT number, status, category, stage, since, until FROM status_periods WHERE number = "
                            "ANY ($1::bigint[]) ORDER BY number, seq",
                            {number_array(numbers)})) {
    StatusPeriod p;
    p.number = integer(r[0]);
    p.status = text(r[1]);
    p.category = codec::decode_enum(status_category_from_string(view(r[2])), "status_periods.category", view(r[2]));
    p.stage = text(r[3]);
    p.since = from_millis(integer(r[4]));
    if (!r[5].is_null()) p.until = from_millis(integer(r[5]));
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace complaints::postgres
