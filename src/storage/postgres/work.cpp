// The PostgreSQL backend: groups and tasks, the outbox and users.
#include <algorithm>

#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "storage/codec.hpp"
#include "storage/postgres/transaction.hpp"
#include "storage/shared_sql.hpp"

namespace complaints::postgres {

namespace {

constexpr const char *task_columns =
    "id, number, kind, stage, group_id, assignee, state, mandatory, access, instructions, created_by, created_at, "
    "updated_at, done_at, done_by, notes, slas, version";

Task read_task(const pqxx::row &r) {
  Task t;
  t.id = integer(r[0]);
  t.number = integer(r[1]);
  t.issue_code = format_issue_code(t.number);
  t.kind = text(r[2]);
  t.stage = text(r[3]);
  t.group = text(r[4]);
  t.assignee = text(r[5]);
  t.state = codec::decode_enum(task_state_from_string(view(r[6])), "tasks.state", view(r[6]));
  t.mandatory = integer(r[7]) != 0;
  t.access = codec::decode_enum(task_access_from_string(view(r[8])), "tasks.access", view(r[8]));
  t.instructions = text(r[9]);
  t.created_by = text(r[10]);
  t.created_at = from_millis(integer(r[11]));
  t.updated_at = from_millis(integer(r[12]));
  if (!r[13].is_null()) t.done_at = from_millis(integer(r[13]));
  t.done_by = text(r[14]);
  t.notes = text(r[15]);
  t.slas = codec::decode_clocks(view(r[16]));
  t.version = integer(r[17]);
  return t;
}

std::vector<Task> read_tasks(const pqxx::result &r) {
  std::vector<Task> out;
  for (const auto &row : r) out.push_back(read_task(row));
  return out;
}

// The tasks columns of task_columns, as parameters $1..$18.
Params task_params(const Task &t) {
  return {t.id,          t.number,
          t.kind,        t.stage,
          t.group,       t.assignee,
          to_string(t.state), t.mandatory ? 1 : 0,
          to_string(t.access), t.instructions,
          t.created_by,  to_millis(t.created_at),
          to_millis(t.updated_at), t.done_at ? Param(to_millis(*t.done_at)) : Param(std::nullopt),
          t.done_by,     t.notes,
          codec::encode_clocks(t.slas), t.version};
}

Group read_group(const pqxx::row &r) { return Group{text(r[0]), text(r[1]), split_lines(view(r[2]))}; }

OutboxItem read_outbox(const pqxx::row &r) {
  OutboxItem o;
  o.id = integer(r[0]);
  o.idempotency_key = text(r[1]);
  std::optional<OutboxKind> kind;
  if (view(r[2]) == to_string(OutboxKind::message)) kind = OutboxKind::message;
  if (view(r[2]) == to_string(OutboxKind::notification)) kind = OutboxKind::notification;
  o.kind = codec::decode_enum(kind, "outbox.kind", view(r[2]));
  o.event = text(r[3]);
  o.issue_code = text(r[4]);
  o.recipient = text(r[5]);
  o.channel = codec::decode_enum(delivery_channel_from_string(view(r[6])), "outbox.channel", view(r[6]));
  o.subject = text(r[7]);
  o.body_text = text(r[8]);
  o.body_html = text(r[9]);
  o.created_at = from_millis(integer(r[10]));
  return o;
}

User read_user(const pqxx::row &r) {
  User u;
  u.id = text(r[0]);
  u.role = codec::decode_enum(role_from_string(view(r[1])), "users.role", view(r[1]));
  u.name = text(r[2]);
  u.settings.scope = codec::decode_enum(notify_scope_from_string(view(r[3])), "users.scope", view(r[3]));
  u.settings.push = integer(r[4]) != 0;
  u.settings.sms = integer(r[5]) != 0;
  u.settings.email = integer(r[6]) != 0;
  return u;
}

}  // namespace

void PgTransaction::put_group(const Group &group) {
  write();
  std::vector<std::string> members = group.members;
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  exec("write group",
       "INSERT INTO groups (id, name, members) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET name = "
       "excluded.name, members = excluded.members",
       {group.id, group.name, join_lines(members)});
}

std::optional<Group> PgTransaction::group(std::string_view id) {
  auto r = exec("read group", "SELECT id, name, members FROM groups WHERE id = $1", {id});
  if (r.empty()) return std::nullopt;
  return read_group(r[0]);
}

std::vector<Group> PgTransaction::groups() {
  std::vector<Group> out;
  for (const auto &r : exec("list groups", "SELECT id, name, members FROM groups ORDER BY id")) out.push_back(read_group(r));
  return out;
}

std::vector<std::string> PgTransaction::groups_of_user(std::string_view user) {
  std::vector<std::string> out;
  for (const auto &r : exec("list groups of user",
                            "SELECT id FROM groups WHERE $1 = ANY (string_to_array(members, E'\\n')) ORDER BY id",
                            {user}))
    out.push_back(text(r[0]));
  return out;
}

std::int64_t PgTransaction::allocate_task_id() { return next_in_sequence("allocate a task id", "task_ids"); }

void PgTransaction::insert_task(const Task &task) {
  write();
  // Checked first, so that a bad task is refused without aborting the transaction.
  if (!issue(task.number)) throw StorageError(fmt::format("insert task: issue {} is missing", task.number));
  static const std::string sql =
      fmt::format("INSERT INTO tasks ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
                  "$16, $17, $18) ON CONFLICT DO NOTHING",
                  task_columns);
  if (exec("insert task", sql, task_params(task)).affected_rows() == 0)
    throw StorageError(fmt::format("insert task: id {} exists", task.id));
}

std::optional<Task> PgTransaction::task(std::int64_t id) {
  static const std::string sql = fmt::format("SELECT {} FROM tasks WHERE id = $1", task_columns);
  auto r = exec("read task", sql, {id});
  if (r.empty()) return std::nullopt;
  return read_task(r[0]);
}

bool PgTransaction::update_task(const Task &before, const Task &after) {
  write();
  if (after.id != before.id) throw StorageError("update task: the id cannot change");
  static const std::string sql =
      fmt::format("UPDATE tasks SET ({}) = ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
                  "$17, $18) WHERE id = $1 AND version = $19",
                  task_columns);
  Params params = task_params(after);
  params.emplace_back(before.version);
  return exec("update task", sql, params).affected_rows() > 0;
}

std::vector<Task> PgTransaction::tasks_of_issue(std::int64_t number) {
  static const std::string sql = fmt::format("SELECT {} FROM tasks WHERE number = $1 ORDER BY id", task_columns);
  return read_tasks(exec("list tasks of issue", sql, {number}));
}

std::vector<Task> PgTransaction::open_tasks(std::span<const std::string> groups, std::string_view assignee,
                                            std::int64_t after_id, std::size_t limit) {
  if (!assignee.empty()) {
    static const std::string sql = fmt::format(
        "SELECT {} FROM tasks WHERE state = 'open' AND assignee = $1 AND id > $2 ORDER BY id LIMIT $3", task_columns);
    return read_tasks(exec("list open tasks", sql, {assignee, after_id, limit}));
  }
  if (groups.empty()) return {};
  static const std::string sql = fmt::format(
      "SELECT {} FROM tasks WHERE state = 'open' AND assignee = '' AND group_id <> '' AND group_id = ANY "
      "(string_to_array($1, E'\\n')) AND id > $2 ORDER BY id LIMIT $3",
      task_columns);
  return read_tasks(exec("list open tasks", sql,
                         {join_lines(std::vector<std::string>(groups.begin(), groups.end())), after_id, limit}));
}

std::int64_t PgTransaction::enqueue(const OutboxItem &item) {
  write();
  // ON CONFLICT: a refused key does not abort the transaction (it uses up an
  // id: a gap). Not a SELECT first: under SERIALIZABLE that read locks the
  // key index's page, where concurrent operations insert their own items, and
  // made them abort each other.
  auto r = exec("queue outbox item",
                "INSERT INTO outbox (idempotency_key, kind, event, issue_code, recipient, channel, subject, body_text, "
                "body_html, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT "
                "(idempotency_key) DO NOTHING RETURNING id",
                {item.idempotency_key, to_string(item.kind), item.event, item.issue_code, item.recipient,
                 to_string(item.channel), item.subject, item.body_text, item.body_html, to_millis(item.created_at)});
  if (r.empty())
    throw StorageError(fmt::format("queue outbox item: idempotency key '{}' exists", item.idempotency_key));
  return integer(r[0][0]);
}

std::vector<OutboxItem> PgTransaction::pending_outbox(std::size_t limit, std::int64_t after_id) {
  std::vector<OutboxItem> out;
  for (const auto &r : exec("list outbox",
                            shared_sql::outbox_page,
                            {after_id, limit}))
    out.push_back(read_outbox(r));
  return out;
}

std::size_t PgTransaction::ack_outbox(std::span<const std::int64_t> ids) {
  write();
  if (ids.empty()) return 0;
  std::string array = "{";
  for (auto id : ids) array += (array.size() > 1 ? "," : "") + std::to_string(id);
  array += "}";
  return exec("acknowledge outbox items", "DELETE FROM outbox WHERE id = ANY ($1::bigint[])", {array})
      .affected_rows();
}

std::optional<User> PgTransaction::user(std::string_view id) {
  auto r = exec("read user", shared_sql::user, {id});
  if (r.empty()) return std::nullopt;
  return read_user(r[0]);
}

void PgTransaction::put_user(const User &u) {
  write();
  exec("write user",
       shared_sql::put_user,
       {u.id, to_string(u.role), u.name, to_string(u.settings.scope), u.settings.push ? 1 : 0,
        u.settings.sms ? 1 : 0, u.settings.email ? 1 : 0});
}

std::vector<User> PgTransaction::users_with_role(Role role) {
  std::vector<User> out;
  for (const auto &r : exec("list users",
                            shared_sql::users_with_role,
                            {to_string(role)}))
    out.push_back(read_user(r));
  return out;
}

}  // namespace complaints::postgres
