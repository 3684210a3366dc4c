// The SQLite backend's settings, workflows, issue types, due items, groups
// and tasks, the outbox and users: the desk-wide tables.
#include <sqlite3.h>

#include <algorithm>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "storage/codec.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/transaction.hpp"
#include "storage/shared_sql.hpp"

namespace complaints::sqlite_backend {

std::optional<std::string> SqliteTransaction::setting(std::string_view key) {
  return guarded("read setting", [&]() -> std::optional<std::string> {
    Use s(stmts_.get(shared_sql::setting));
    s->bind(1, std::string(key));
    if (!s->executeStep()) return std::nullopt;
    return text(*s, 0);
  });
}

void SqliteTransaction::put_setting(std::string_view key, std::string_view value) {
  guarded("write setting", [&] {
    Use s(stmts_.get(shared_sql::put_setting));
    s->bind(1, std::string(key));
    s->bind(2, std::string(value));
    s->exec();
  });
}

std::optional<StoredWorkflow> SqliteTransaction::workflow(std::string_view name) {
  return guarded("read workflow", [&]() -> std::optional<StoredWorkflow> {
    Use s(stmts_.get("SELECT definition, revision FROM workflows WHERE name = ?"));
    s->bind(1, std::string(name));
    if (!s->executeStep()) return std::nullopt;
    return StoredWorkflow{std::string(name), text(*s, 0), integer(*s, 1)};
  });
}

std::vector<std::string> SqliteTransaction::workflow_names() {
  return guarded("list workflows", [&] {
    std::vector<std::string> out;
    Use s(stmts_.get(shared_sql::workflow_names));
    while (s->executeStep()) out.push_back(text(*s, 0));
    return out;
  });
}

void SqliteTransaction::put_workflow(const StoredWorkflow &wf) {
  guarded("write workflow", [&] {
    Use s(stmts_.get("INSERT INTO workflows (name, definition, revision) VALUES (?, ?, ?) "
                     "ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, "
                     "revision = excluded.revision"));
    s->bind(1, wf.name);
    s->bind(2, wf.json);
    s->bind(3, wf.revision);
    s->exec();
  });
}

std::vector<std::pair<std::string, std::int64_t>> SqliteTransaction::status_counts(std::string_view workflow) {
  return guarded("count statuses", [&] {
    std::vector<std::pair<std::string, std::int64_t>> out;
    Use s(stmts_.get(shared_sql::status_counts));
    s->bind(1, std::string(workflow));
    while (s->executeStep()) out.emplace_back(text(*s, 0), integer(*s, 1));
    return out;
  });
}

std::vector<IssueType> SqliteTransaction::issue_types() {
  return guarded("list issue types", [&] {
    std::vector<IssueType> out;
    Use s(stmts_.get("SELECT name, colour FROM issue_types ORDER BY position"));
    while (s->executeStep()) out.push_back({text(*s, 0), text(*s, 1)});
    return out;
  });
}

void SqliteTransaction::put_issue_type(const IssueType &type) {
  guarded("write issue type", [&] {
    Use s(stmts_.get(shared_sql::put_issue_type));
    s->bind(1, type.name);
    s->bind(2, type.colour);
    s->exec();
  });
}

void SqliteTransaction::put_due(const DueItem &item) {
  guarded("write due item", [&] {
    Use s(stmts_.get(shared_sql::put_due));
    s->bind(1, item.number);
    s->bindNoCopy(2, item.kind);
    s->bindNoCopy(3, item.name);
    s->bind(4, to_millis(item.due_at));
    s->exec();
  });
}

bool SqliteTransaction::remove_due(std::int64_t number, std::string_view kind, std::string_view name) {
  return guarded("remove due item", [&] {
    Use s(stmts_.get(shared_sql::remove_due));
    s->bind(1, number);
    s->bind(2, std::string(kind));
    s->bind(3, std::string(name));
    return s->exec() == 1;
  });
}

std::optional<DueItem> SqliteTransaction::due_item(std::int64_t number, std::string_view kind, std::string_view name) {
  return guarded("read due item", [&]() -> std::optional<DueItem> {
    Use s(stmts_.get("SELECT due_at FROM due WHERE number = ? AND kind = ? AND name = ?"));
    s->bind(1, number);
    s->bind(2, std::string(kind));
    s->bind(3, std::string(name));
    if (!s->executeStep()) return std::nullopt;
    return DueItem{number, std::string(kind), std::string(name), from_millis(integer(*s, 0))};
  });
}

std::vector<DueItem> SqliteTransaction::due_items(Timestamp now, std::size_t limit) {
  return guarded("read due items", [&] {
    Use s(stmts_.get("SELECT number, kind, name, due_at FROM due WHERE due_at <= ? "
                     "ORDER BY due_at, number, kind, name LIMIT ?"));
    s->bind(1, to_millis(now));
    s->bind(2, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
    std::vector<DueItem> out;
    while (s->executeStep()) out.push_back({integer(*s, 0), text(*s, 1), text(*s, 2), from_millis(integer(*s, 3))});
    return out;
  });
}

std::optional<Timestamp> SqliteTransaction::next_due() {
  return guarded("read next due time", [&]() -> std::optional<Timestamp> {
    Use s(stmts_.get(shared_sql::next_due));
    if (!s->executeStep() || is_null(*s, 0)) return std::nullopt;
    return from_millis(integer(*s, 0));
  });
}

void SqliteTransaction::put_group(const Group &group) {
  guarded("write group", [&] {
    {
      Use s(stmts_.get("INSERT INTO task_groups (id, name) VALUES (?, ?) "
                       "ON CONFLICT (id) DO UPDATE SET name = excluded.name"));
      s->bind(1, group.id);
      s->bind(2, group.name);
      s->exec();
    }
    {
      Use s(stmts_.get("DELETE FROM task_group_members WHERE group_id = ?"));
      s->bind(1, group.id);
      s->exec();
    }
    for (const auto &member : group.members) {
      Use s(stmts_.get("INSERT OR IGNORE INTO task_group_members (group_id, user_id) VALUES (?, ?)"));
      s->bind(1, group.id);
      s->bind(2, member);
      s->exec();
    }
  });
}

std::optional<Group> SqliteTransaction::group(std::string_view id) {
  return guarded("read group", [&]() -> std::optional<Group> {
    Use s(stmts_.get("SELECT g.name, m.user_id FROM task_groups g LEFT JOIN task_group_members m "
                     "ON m.group_id = g.id WHERE g.id = ? ORDER BY m.user_id"));
    s->bind(1, std::string(id));
    if (!s->executeStep()) return std::nullopt;
    Group g{std::string(id), text(*s, 0), {}};
    do {
      if (!is_null(*s, 1)) g.members.push_back(text(*s, 1));
    } while (s->executeStep());
    return g;
  });
}

std::vector<Group> SqliteTransaction::groups() {
  return guarded("list groups", [&] {
    std::vector<Group> out;
    Use s(stmts_.get("SELECT g.id, g.name, m.user_id FROM task_groups g LEFT JOIN task_group_members m "
                     "ON m.group_id = g.id ORDER BY g.id, m.user_id"));
    while (s->executeStep()) {
      std::string id = text(*s, 0);
      if (out.empty() || out.back().id != id) out.push_back({id, text(*s, 1), {}});
      if (!is_null(*s, 2)) out.back().members.push_back(text(*s, 2));
    }
    return out;
  });
}

std::vector<std::string> SqliteTransaction::groups_of_user(std::string_view user) {
  return guarded("read a user's groups", [&] {
    std::vector<std::string> out;
    Use s(stmts_.get("SELECT group_id FROM task_group_members WHERE user_id = ? ORDER BY group_id"));
    s->bind(1, std::string(user));
    while (s->executeStep()) out.push_back(text(*s, 0));
    return out;
  });
}

std::int64_t SqliteTransaction::allocate_task_id() {
  return guarded("allocate task id", [&] {
    Use s(stmts_.get("INSERT INTO counters (name, value) VALUES ('task_id', 1) "
                     "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value"));
    if (!s->executeStep()) throw StorageError("allocate task id: no value returned");
    return integer(*s, 0);
  });
}

void SqliteTransaction::insert_task(const Task &task) {
  guarded("insert task", [&] {
    static const std::string sql =
        fmt::format("INSERT INTO tasks ({}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", task_columns);
    Use s(stmts_.get(sql.c_str()));
    s->bind(1, task.id);
    bind_task(*s, 2, task);
    s->exec();
  });
}

std::optional<Task> SqliteTransaction::task(std::int64_t id) {
  return guarded("read task", [&]() -> std::optional<Task> {
    static const std::string sql = fmt::format("SELECT {} FROM tasks WHERE id = ?", task_columns);
    Use s(stmts_.get(sql.c_str()));
    s->bind(1, id);
    if (!s->executeStep()) return std::nullopt;
    return read_task(*s);
  });
}

bool SqliteTransaction::update_task(const Task &before, const Task &after) {
  return guarded("update task", [&] {
    if (after.id != before.id) throw StorageError("update task: the id cannot change");
    // Only the columns that changed are written (a claim: assignee,
    // updated_at, version), so the index on the issue is left alone.
    std::uint32_t changed = 1u << task_version_column;  // always written: it is the condition of the update
    for (int c = 0; c < task_column_count; ++c)
      if (task_column_differs(before, after, c)) changed |= 1u << c;
    Use s(stmts_.update(StatementCache::Table::tasks, changed, [&] {
      std::string sql = "UPDATE tasks SET ";
      for (int c = 0; c < task_column_count; ++c)
        if (changed & (1u << c)) sql += std::string(sql.back() == ' ' ? "" : ", ") + task_column_names[c] + " = ?";
      return sql + " WHERE id = ? AND version = ?";
    }));
    int index = 1;
    for (int c = 0; c < task_column_count; ++c)
      if (changed & (1u << c)) bind_task_column(*s, index++, after, c);
    s->bind(index++, before.id);
    s->bind(index, before.version);
    return s->exec() == 1;
  });
}

std::vector<Task> SqliteTransaction::tasks_of_issue(std::int64_t number) {
  return guarded("read an issue's tasks", [&] {
    static const std::string sql = fmt::format("SELECT {} FROM tasks WHERE number = ? ORDER BY id", task_columns);
    Use s(stmts_.get(sql.c_str()));
    s->bind(1, number);
    std::vector<Task> out;
    while (s->executeStep()) out.push_back(read_task(*s));
    return out;
  });
}

std::vector<Task> SqliteTransaction::open_tasks(std::span<const std::string> groups, std::string_view assignee,
                                               std::int64_t after_id, std::size_t limit) {
  return guarded("list open tasks", [&] {
    std::vector<Task> out;
    if (!assignee.empty()) {
      static const std::string sql = fmt::format(
          "SELECT {} FROM tasks WHERE state = 'open' AND assignee <> '' AND assignee = ? AND id > ? "
          "ORDER BY id LIMIT ?",
          task_columns);
      Use s(stmts_.get(sql.c_str()));
      s->bind(1, std::string(assignee));
      s->bind(2, after_id);
      s->bind(3, static_cast<std::int64_t>(limit));
      while (s->executeStep()) out.push_back(read_task(*s));
      return out;
    }
    // A merge of each group's queue (each an index range), by id.
    static const std::string sql = fmt::format(
        "SELECT {} FROM tasks WHERE state = 'open' AND assignee = '' AND group_id = ? AND id > ? "
        "ORDER BY id LIMIT ?",
        task_columns);
    for (const auto &g : groups) {
      if (g.empty()) continue;
      Use s(stmts_.get(sql.c_str()));
      s->bind(1, g);
      s->bind(2, after_id);
      s->bind(3, static_cast<std::int64_t>(limit));
      while (s->executeStep()) out.push_back(read_task(*s));
    }
    std::sort(out.begin(), out.end(), [](const Task &a, const Task &b) { return a.id < b.id; });
    out.erase(std::unique(out.begin(), out.end(), [](const Task &a, const Task &b) { return a.id == b.id; }),
              out.end());
    if (out.size() > limit) out.resize(limit);
    return out;
  });
}

std::int64_t SqliteTransaction::enqueue(const OutboxItem &item) {
  return guarded("queue outbox item", [&] {
    Use s(stmts_.get("INSERT INTO outbox (idempotency_key, kind, event, issue_code, recipient, channel, subject, "
                     "body_text, body_html, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    s->bindNoCopy(1, item.idempotency_key);
    s->bindNoCopy(2, to_string(item.kind));
    s->bindNoCopy(3, item.event);
    s->bindNoCopy(4, item.issue_code);
    s->bindNoCopy(5, item.recipient);
    s->bindNoCopy(6, to_string(item.channel));
    s->bindNoCopy(7, item.subject);
    s->bindNoCopy(8, item.body_text);
    s->bindNoCopy(9, item.body_html);
    s->bind(10, to_millis(item.created_at));
    s->exec();
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_.getHandle()));
  });
}

std::vector<OutboxItem> SqliteTransaction::pending_outbox(std::size_t limit, std::int64_t after_id) {
  return guarded("read outbox", [&] {
    std::vector<OutboxItem> out;
    Use s(stmts_.get(shared_sql::outbox_page));
    s->bind(1, after_id);
    s->bind(2, static_cast<std::int64_t>(limit));
    while (s->executeStep()) {
      OutboxItem item;
      item.id = integer(*s, 0);
      item.idempotency_key = text(*s, 1);
      std::string kind = text(*s, 2);
      item.kind = kind == "message" ? OutboxKind::message : OutboxKind::notification;
      item.event = text(*s, 3);
      item.issue_code = text(*s, 4);
      item.recipient = text(*s, 5);
      std::string channel = text(*s, 6);
      item.channel = codec::decode_enum(delivery_channel_from_string(channel), "outbox.channel", channel);
      item.subject = text(*s, 7);
      item.body_text = text(*s, 8);
      item.body_html = text(*s, 9);
      item.created_at = from_millis(integer(*s, 10));
      out.push_back(std::move(item));
    }
    return out;
  });
}

std::size_t SqliteTransaction::ack_outbox(std::span<const std::int64_t> ids) {
  return guarded("acknowledge outbox items", [&] {
    std::size_t n = 0;
    for (auto id : ids) {
      Use s(stmts_.get("DELETE FROM outbox WHERE id = ?"));
      s->bind(1, id);
      n += static_cast<std::size_t>(s->exec());
    }
    return n;
  });
}

std::optional<User> SqliteTransaction::user(std::string_view id) {
  return guarded("read user", [&]() -> std::optional<User> {
    Use s(stmts_.get(shared_sql::user));
    s->bind(1, std::string(id));
    if (!s->executeStep()) return std::nullopt;
    return read_user(*s);
  });
}

void SqliteTransaction::put_user(const User &u) {
  guarded("write user", [&] {
    Use s(stmts_.get(shared_sql::put_user));
    s->bind(1, u.id);
    s->bind(2, to_string(u.role));
    s->bind(3, u.name);
    s->bind(4, to_string(u.settings.scope));
    s->bind(5, u.settings.push ? 1 : 0);
    s->bind(6, u.settings.sms ? 1 : 0);
    s->bind(7, u.settings.email ? 1 : 0);
    s->exec();
  });
}

std::vector<User> SqliteTransaction::users_with_role(Role role) {
  return guarded("read users", [&] {
    Use s(stmts_.get(shared_sql::users_with_role));
    s->bind(1, to_string(role));
    std::vector<User> out;
    while (s->executeStep()) out.push_back(read_user(*s));
    return out;
  });
}

}  // namespace complaints::sqlite_backend
