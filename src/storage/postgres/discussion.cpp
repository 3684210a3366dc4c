// The PostgreSQL backend: comments, attachments, watchers, links and saved
// message templates.
#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "storage/codec.hpp"
#include "storage/postgres/transaction.hpp"
#include "storage/shared_sql.hpp"

namespace complaints::postgres {

namespace {

constexpr const char *attachment_columns =
    "id, number, comment_id, name, media_type, size, sha256, storage_key, internal, uploaded_by, created_at";

StoredLink read_link(const pqxx::row &r) {
  return StoredLink{integer(r[0]), integer(r[1]),
                    codec::decode_enum(link_kind_from_string(view(r[2])), "links.kind", view(r[2])), text(r[3]),
                    from_millis(integer(r[4]))};
}

}  // namespace

std::int64_t PgTransaction::add_comment(std::int64_t number, const Comment &c) {
  write();
  auto r = exec("add comment",
                "INSERT INTO comments (number, author_id, author_role, internal, reply_to, mentions, created_at, body) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                {number, c.author_id, to_string(c.author_role), c.internal ? 1 : 0,
                 c.reply_to ? Param(*c.reply_to) : Param(std::nullopt), join_lines(c.mentions),
                 to_millis(c.created_at), c.body});
  return integer(r[0][0]);
}

std::vector<Comment> PgTransaction::comments(std::int64_t number) {
  std::vector<Comment> out;
  for (const auto &r : exec("read comments",
                            "SELECT id, author_id, author_role, internal, reply_to, mentions, created_at, body FROM "
                            "comments WHERE number = $1 ORDER BY id",
                            {number})) {
    Comment c;
    c.id = integer(r[0]);
    c.issue_code = format_issue_code(number);
    c.author_id = text(r[1]);
    c.author_role = codec::decode_enum(role_from_string(view(r[2])), "comments.author_role", view(r[2]));
    c.internal = integer(r[3]) != 0;
    if (!r[4].is_null()) c.reply_to = integer(r[4]);
    c.mentions = split_lines(view(r[5]));
    c.created_at = from_millis(integer(r[6]));
    c.body = text(r[7]);
    out.push_back(std::move(c));
  }
  for (auto &a : attachments(number))
    if (a.comment_id)
      for (auto &c : out)
        if (c.id == *a.comment_id) c.attachments.push_back(a);
  return out;
}

std::int64_t PgTransaction::add_attachment(std::int64_t number, const Attachment &a) {
  write();
  // Bytes travel as hex text (decode() in SQL): text parameters cannot hold NUL bytes.
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  if (a.storage_key.empty()) {
    hex.reserve(a.bytes.size() * 2);
    for (unsigned char ch : a.bytes) {
      hex += digits[ch >> 4];
      hex += digits[ch & 15];
    }
  }
  auto r = exec("add attachment",
                "INSERT INTO attachments (number, comment_id, name, media_type, size, sha256, storage_key, internal, "
                "uploaded_by, created_at, bytes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, decode($11, 'hex')) "
                "RETURNING id",
                {number, a.comment_id ? Param(*a.comment_id) : Param(std::nullopt), a.name, a.media_type, a.size,
                 a.sha256, a.storage_key, a.internal ? 1 : 0, a.uploaded_by, to_millis(a.created_at), hex});
  return integer(r[0][0]);
}

std::vector<Attachment> PgTransaction::read_attachments(const pqxx::result &r, bool with_bytes) {
  std::vector<Attachment> out;
  for (const auto &row : r) {
    Attachment a;
    a.id = integer(row[0]);
    a.issue_code = format_issue_code(integer(row[1]));
    if (!row[2].is_null()) a.comment_id = integer(row[2]);
    a.name = text(row[3]);
    a.media_type = text(row[4]);
    a.size = integer(row[5]);
    a.sha256 = text(row[6]);
    a.storage_key = text(row[7]);
    a.internal = integer(row[8]) != 0;
    a.uploaded_by = text(row[9]);
    a.created_at = from_millis(integer(row[10]));
    if (with_bytes) {
      std::string_view hex = view(row[11]);
      auto nibble = [](char ch) { return ch <= '9' ? ch - '0' : ch - 'a' + 10; };
      a.bytes.reserve(hex.size() / 2);
      for (std::size_t k = 0; k + 1 < hex.size(); k += 2)
        a.bytes += static_cast<char>(nibble(hex[k]) << 4 | nibble(hex[k + 1]));
    }
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<Attachment> PgTransaction::attachments(std::int64_t number) {
  static const std::string sql =
      fmt::format("SELECT {} FROM attachments WHERE number = $1 ORDER BY id", attachment_columns);
  return read_attachments(exec("read attachments", sql, {number}), false);
}

std::optional<Attachment> PgTransaction::attachment(std::int64_t id) {
  static const std::string sql =
      fmt::format("SELECT {}, encode(bytes, 'hex') FROM attachments WHERE id = $1", attachment_columns);
  auto found = read_attachments(exec("read attachment", sql, {id}), true);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<std::string> PgTransaction::watchers(std::int64_t number) {
  std::vector<std::string> out;
  for (const auto &r :
       exec("read watchers", shared_sql::watchers, {number}))
    out.push_back(text(r[0]));
  return out;
}

bool PgTransaction::add_watcher(std::int64_t number, std::string_view user) {
  write();
  return exec("add watcher", "INSERT INTO watchers (number, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
              {number, user})
             .affected_rows() > 0;
}

bool PgTransaction::remove_watcher(std::int64_t number, std::string_view user) {
  write();
  return exec("remove watcher", shared_sql::remove_watcher, {number, user})
             .affected_rows() > 0;
}

bool PgTransaction::add_link(const StoredLink &l) {
  write();
  return exec("add link",
              "INSERT INTO links (from_number, to_number, kind, created_by, created_at) VALUES ($1, $2, $3, $4, $5) "
              "ON CONFLICT DO NOTHING",
              {l.from, l.to, to_string(l.kind), l.created_by, to_millis(l.created_at)})
             .affected_rows() > 0;
}

bool PgTransaction::remove_link(std::int64_t from, std::int64_t to, LinkKind kind) {
  write();
  return exec("remove link", "DELETE FROM links WHERE from_number = $1 AND to_number = $2 AND kind = $3",
              {from, to, to_string(kind)})
             .affected_rows() > 0;
}

std::vector<StoredLink> PgTransaction::links(std::int64_t number) {
  std::vector<StoredLink> out;
  for (const auto &r : exec("read links",
                            "SELECT from_number, to_number, kind, created_by, created_at FROM links WHERE from_number = "
                            "$1 OR to_number = $1 ORDER BY CASE WHEN from_number = $1 THEN to_number ELSE from_number "
                            "END, kind",
                            {number}))
    out.push_back(read_link(r));
  return out;
}

std::optional<MessageTemplate> PgTransaction::message_template(std::string_view name) {
  auto r = exec("read message template",
                "SELECT name, title, subject, body_html, body_text, single_brace FROM templates WHERE name = $1",
                {name});
  if (r.empty()) return std::nullopt;
  MessageTemplate t;
  t.name = text(r[0][0]);
  t.title = text(r[0][1]);
  t.subject = text(r[0][2]);
  t.body_html = text(r[0][3]);
  t.body_text = text(r[0][4]);
  t.single_brace = integer(r[0][5]) != 0;
  return t;
}

void PgTransaction::put_message_template(const MessageTemplate &t) {
  write();
  exec("write message template",
       "INSERT INTO templates (name, title, subject, body_html, body_text, single_brace) VALUES ($1, $2, $3, $4, $5, "
       "$6) ON CONFLICT (name) DO UPDATE SET title = excluded.title, subject = excluded.subject, body_html = "
       "excluded.body_html, body_text = excluded.body_text, single_brace = excluded.single_brace",
       {t.name, t.title, t.subject, t.body_html, t.body_text, t.single_brace ? 1 : 0});
}

bool PgTransaction::delete_message_template(std::string_view name) {
  write();
  return exec("delete message template", "DELETE FROM templates WHERE name = $1", {name}).affected_rows() > 0;
}

std::vector<std::string> PgTransaction::message_template_names() {
  std::vector<std::string> out;
  for (const auto &r : exec("list message templates", "SELECT name FROM templates ORDER BY name"))
    out.push_back(text(r[0]));
  return out;
}

}  // namespace complaints::postgres
