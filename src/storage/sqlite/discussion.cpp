// The SQLite backend's discussion of an issue: comments, attachments,
// watchers and links; and the saved message templates.
#include <sqlite3.h>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "storage/codec.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/sqlite/transaction.hpp"
#include "storage/shared_sql.hpp"

namespace complaints::sqlite_backend {

std::int64_t SqliteTransaction::add_comment(std::int64_t number, const Comment &c) {
  return guarded("add comment", [&] {
    Use s(stmts_.get("INSERT INTO comments (number, author_id, author_role, internal, body, reply_to, mentions, "
                     "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    s->bind(1, number);
    s->bind(2, c.author_id);
    s->bind(3, to_string(c.author_role));
    s->bind(4, c.internal ? 1 : 0);
    s->bind(5, c.body);
    if (c.reply_to) s->bind(6, *c.reply_to);
    s->bind(7, join_lines(c.mentions));
    s->bind(8, to_millis(c.created_at));
    s->exec();
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_.getHandle()));
  });
}

std::vector<Comment> SqliteTransaction::comments(std::int64_t number) {
  return guarded("read comments", [&] {
    std::vector<Comment> out;
    {
      Use s(stmts_.get("SELECT id, number, author_id, author_role, internal, body, reply_to, mentions, created_at "
                       "FROM comments WHERE number = ? ORDER BY id"));
      s->bind(1, number);
      while (s->executeStep()) out.push_back(read_comment(*s));
    }
    for (auto &a : attachments(number))
      if (a.comment_id)
        for (auto &c : out)
          if (c.id == *a.comment_id) c.attachments.push_back(a);
    return out;
  });
}

std::int64_t SqliteTransaction::add_attachment(std::int64_t number, const Attachment &a) {
  return guarded("add attachment", [&] {
    Use s(stmts_.get("INSERT INTO attachments (number, comment_id, name, media_type, size, sha256, storage_key, "
                     "bytes, internal, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    s->bind(1, number);
    if (a.comment_id) s->bind(2, *a.comment_id);
    s->bind(3, a.name);
    s->bind(4, a.media_type);
    s->bind(5, a.size);
    s->bind(6, a.sha256);
    s->bind(7, a.storage_key);
    if (a.storage_key.empty()) s->bind(8, a.bytes.data(), static_cast<int>(a.bytes.size()));
    s->bind(9, a.internal ? 1 : 0);
    s->bind(10, a.uploaded_by);
    s->bind(11, to_millis(a.created_at));
    s->exec();
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_.getHandle()));
  });
}

std::vector<Attachment> SqliteTransaction::attachments(std::int64_t number) {
  return guarded("read attachments", [&] {
    static const std::string sql =
        fmt::format("SELECT {} FROM attachments WHERE number = ? ORDER BY id", attachment_columns);
    Use s(stmts_.get(sql.c_str()));
    s->bind(1, number);
    std::vector<Attachment> out;
    while (s->executeStep()) out.push_back(read_attachment(*s));
    return out;
  });
}

std::optional<Attachment> SqliteTransaction::attachment(std::int64_t id) {
  return guarded("read attachment", [&]() -> std::optional<Attachment> {
    static const std::string sql = fmt::format("SELECT {}, bytes FROM attachments WHERE id = ?", attachment_columns);
    Use s(stmts_.get(sql.c_str()));
    s->bind(1, id);
    if (!s->executeStep()) return std::nullopt;
    Attachment a = read_attachment(*s);
    if (!is_null(*s, 11)) a.bytes = text(*s, 11);
    return a;
  });
}

std::vector<std::string> SqliteTransaction::watchers(std::int64_t number) {
  return guarded("read watchers", [&] {
    Use s(stmts_.get(shared_sql::watchers));
    s->bind(1, number);
    std::vector<std::string> out;
    while (s->executeStep()) out.push_back(text(*s, 0));
    return out;
  });
}

bool SqliteTransaction::add_watcher(std::int64_t number, std::string_view user) {
  return guarded("add watcher", [&] {
    Use s(stmts_.get("INSERT OR IGNORE INTO watchers (number, user_id) VALUES (?, ?)"));
    s->bind(1, number);
    s->bind(2, std::string(user));
    return s->exec() == 1;
  });
}

bool SqliteTransaction::remove_watcher(std::int64_t number, std::string_view user) {
  return guarded("remove watcher", [&] {
    Use s(stmts_.get(shared_sql::remove_watcher));
    s->bind(1, number);
    s->bind(2, std::string(user));
    return s->exec() == 1;
  });
}

bool SqliteTransaction::add_link(const StoredLink &l) {
  return guarded("add link", [&] {
    Use s(stmts_.get("INSERT OR IGNORE INTO issue_links (from_number, to_number, kind, created_by, created_at) "
                     "VALUES (?, ?, ?, ?, ?)"));
    s->bind(1, l.from);
    s->bind(2, l.to);
    s->bind(3, to_string(l.kind));
    s->bind(4, l.created_by);
    s->bind(5, to_millis(l.created_at));
    return s->exec() == 1;
  });
}

bool SqliteTransaction::remove_link(std::int64_t from, std::int64_t to, LinkKind kind) {
  return guarded("remove link", [&] {
    Use s(stmts_.get("DELETE FROM issue_links WHERE from_number = ? AND to_number = ? AND kind = ?"));
    s->bind(1, from);
    s->bind(2, to);
    s->bind(3, to_string(kind));
    return s->exec() == 1;
  });
}

std::vector<StoredLink> SqliteTransaction::links(std::int64_t number) {
  return guarded("read links", [&] {
    Use s(stmts_.get("SELECT from_number, to_number, kind, created_by, created_at FROM issue_links WHERE "
                     "from_number = ?1 OR to_number = ?1 ORDER BY CASE WHEN from_number = ?1 THEN to_number ELSE "
                     "from_number END, kind"));
    s->bind(1, number);
    std::vector<StoredLink> out;
    while (s->executeStep()) {
      StoredLink l;
      l.from = integer(*s, 0);
      l.to = integer(*s, 1);
      l.kind = codec::decode_enum(link_kind_from_string(view(*s, 2)), "issue_links.kind", view(*s, 2));
      l.created_by = text(*s, 3);
      l.created_at = from_millis(integer(*s, 4));
      out.push_back(std::move(l));
    }
    return out;
  });
}

std::optional<MessageTemplate> SqliteTransaction::message_template(std::string_view name) {
  return guarded("read message template", [&]() -> std::optional<MessageTemplate> {
    Use s(stmts_.get("SELECT name, title, subject, body_html, body_text, single_brace FROM message_templates WHERE "
                     "name = ?"));
    s->bind(1, std::string(name));
    if (!s->executeStep()) return std::nullopt;
    return MessageTemplate{text(*s, 0), text(*s, 1), text(*s, 2), text(*s, 3), text(*s, 4), integer(*s, 5) != 0,
                           false};
  });
}

void SqliteTransaction::put_message_template(const MessageTemplate &t) {
  guarded("write message template", [&] {
    Use s(stmts_.get("INSERT INTO message_templates (name, title, subject, body_html, body_text, single_brace) "
                     "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET title = excluded.title, subject = "
                     "excluded.subject, body_html = excluded.body_html, body_text = excluded.body_text, "
                     "single_brace = excluded.single_brace"));
    s->bind(1, t.name);
    s->bind(2, t.title);
    s->bind(3, t.subject);
    s->bind(4, t.body_html);
    s->bind(5, t.body_text);
    s->bind(6, t.single_brace ? 1 : 0);
    s->exec();
  });
}

bool SqliteTransaction::delete_message_template(std::string_view name) {
  return guarded("delete message template", [&] {
    Use s(stmts_.get("DELETE FROM message_templates WHERE name = ?"));
    s->bind(1, std::string(name));
    return s->exec() == 1;
  });
}

std::vector<std::string> SqliteTransaction::message_template_names() {
  return guarded("list message templates", [&] {
    Use s(stmts_.get("SELECT name FROM message_templates ORDER BY name"));
    std::vector<std::string> out;
    while (s->executeStep()) out.push_back(text(*s, 0));
    return out;
  });
}

}  // namespace complaints::sqlite_backend
