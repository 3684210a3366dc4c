// The Desk's users, discussion, watchers, links, search and delete forever
// (SPEC R5, R6.2, R2.5, R9, R11.1).
#include "desk/impl.hpp"
#include "domain/sha256.hpp"
#include "notify/notify.hpp"
#include "search/match.hpp"
#include "search/query.hpp"
#include "search/texts.hpp"

namespace complaints {

namespace {

bool is_mention_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.';
}

// "@name" tokens: an '@' at the start or after a character that cannot be part
// of an id (so "ann@example.com" is no mention), then id characters; a
// trailing '.' ends the sentence, not the id.
std::vector<std::string> mentions_in(std::string_view body) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '@' || (i > 0 && is_mention_char(body[i - 1]))) continue;
    std::size_t end = i + 1;
    while (end < body.size() && is_mention_char(body[end])) ++end;
    std::string_view name = body.substr(i + 1, end - i - 1);
    while (!name.empty() && name.back() == '.') name.remove_suffix(1);
    if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end()) out.emplace_back(name);
  }
  return out;
}

void check_media_type(std::string_view value, const std::string &field) {
  auto token = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '!' || c == '#' || c == '$' || c == '&' ||
           c == '^' || c == '_' || c == '.' || c == '+' || c == '-';
  };
  std::size_t slash = value.find('/');
  bool ok = !value.empty() && value.size() <= limits::media_type_bytes && slash != std::string_view::npos &&
            slash > 0 && slash + 1 < value.size() &&
            std::all_of(value.begin(), value.end(), [&](char c) { return c == '/' || token(c); }) &&
            value.find('/', slash + 1) == std::string_view::npos;
  if (!ok)
    throw InvalidInput(fmt::format("'{}' is not a media type (lower-case type/subtype, e.g. image/jpeg)",
                                   check::excerpt(value)),
                       field);
}

// Checks an attachment request and turns it into what is stored. `field` is
// its place in the request ("attachment", "attachments[2]").
Attachment make_attachment(const AttachmentRequest &req, const std::string &field) {
  check::name(req.name, field + ".name", limits::attachment_name_bytes);
  check_media_type(req.media_type, field + ".media_type");
  if (req.storage_key.has_value() == req.bytes.has_value())
    throw InvalidInput("give either the host's storage key or the bytes", field);
  Attachment a;
  a.name = req.name;
  a.media_type = req.media_type;
  if (req.bytes) {
    check::kept_file(req.bytes->size(), field + ".bytes");
    if (req.size != 0 && req.size != static_cast<std::int64_t>(req.bytes->size()))
      throw InvalidInput(fmt::format("says {} bytes, but {} were given", req.size, req.bytes->size()), field + ".size");
    std::string actual = crypto::sha256_hex(*req.bytes);
    if (!req.sha256.empty() && req.sha256 != actual)
      throw InvalidInput("does not match the bytes given", field + ".sha256");
    a.bytes = *req.bytes;
    a.size = static_cast<std::int64_t>(req.bytes->size());
    a.sha256 = actual;
  } else {
    check::id(*req.storage_key, field + ".storage_key", limits::storage_key_bytes);
    if (req.size < 0 || req.size > limits::host_file_bytes)
      throw InvalidInput(fmt::format("must be from 0 to {} bytes", limits::host_file_bytes), field + ".size");
    if (!crypto::is_sha256_hex(req.sha256))
      throw InvalidInput("must be the file's SHA-256 as 64 lower-case hex digits", field + ".sha256");
    a.storage_key = *req.storage_key;
    a.size = req.size;
    a.sha256 = req.sha256;
  }
  return a;
}

// True when the actor may see a piece of discussion content.
bool may_see(const Actor &actor, bool internal) { return !internal || actor.role != Role::customer; }

// Whether a new attachment is internal (R5.4). Its own flag holds when given;
// unset, it takes `inherited` (its comment's visibility, or the default for
// the issue itself). It may be narrower than `container_internal` (an internal
// photo on a public comment) but never wider, and a customer's files are public.
bool attachment_internal(const Actor &actor, const std::optional<bool> &requested, bool inherited,
                         bool container_internal, const std::string &field) {
  if (actor.role == Role::customer) {
    if (requested.value_or(false))
      throw InvalidInput("a customer's attachments are public: leave internal unset or false", field + ".internal");
    return false;
  }
  if (!requested) return inherited;
  if (!*requested && container_internal)
    throw InvalidInput("cannot be false on an internal comment: the file would reach the customer without its comment",
                       field + ".internal");
  return *requested;
}

Event plain_event(EventKind kind, const Actor &actor, Timestamp at, const Issue &issue) {
  return engine::issue_event(kind, actor, at, issue, "", {});
}

}  // namespace

// --- users ------------------------------------------------------------------------

void Desk::put_user(const Actor &actor, const User &user) {
  access::check_actor(actor);
  access::require_staff(actor, "registering a user");
  if (user.role == Role::admin) access::require(actor, Permission::manage_settings, "registering an admin");
  check::id(user.id, "user.id", limits::id_bytes);
  if (!role_from_string(to_string(user.role))) throw InvalidInput("is not a known role", "user.role");
  check::text(user.name, "user.name", limits::name_bytes, false);
  if (!notify_scope_from_string(to_string(user.settings.scope)))
    throw InvalidInput("is not a known scope", "user.settings.scope");
  impl_->run(TxnMode::write, [&](Op &op) {
    // Writing over a registered user changes their role, name or settings: a
    // settings change, as set_notification_settings guards it.
    if (op.txn.user(user.id))
      access::require(actor, Permission::manage_settings, "changing a registered user");
    op.txn.put_user(user);
    op.caches->bump_revision(op);  // every desk's cached users go
    return 0;
  });
}

User Desk::user(const Actor &actor, std::string_view id) {
  access::check_actor(actor);
  check::id(id, "id", limits::id_bytes);
  return impl_->run(TxnMode::read, [&](Op &op) {
    auto u = op.txn.user(id);
    if (!u || (!is_staff(actor.role) && actor.id != id))
      throw NotFound(fmt::format("no user '{}'", check::excerpt(id)), "id");
    return *u;
  });
}

void Desk::set_notification_settings(const Actor &actor, std::string_view user_id,
                                     const NotificationSettings &settings) {
  access::check_actor(actor);
  check::id(user_id, "user_id", limits::id_bytes);
  if (actor.id != user_id)
    access::require_staff(actor, Permission::manage_settings, "changing another user's settings");
  if (!notify_scope_from_string(to_string(settings.scope))) throw InvalidInput("is not a known scope", "settings.scope");
  impl_->run(TxnMode::write, [&](Op &op) {
    auto u = op.txn.user(user_id);
    if (!u) throw NotFound(fmt::format("no user '{}'; register it with put_user", check::excerpt(user_id)), "user_id");
    u->settings = settings;
    op.txn.put_user(*u);
    op.caches->bump_revision(op);
    return 0;
  });
}

// --- discussion ---------------------------------------------------------------------

Comment Desk::add_comment(const Actor &actor, std::string_view code, const CommentRequest &req) {
  access::check_actor(actor);
  parse_issue_code(code);
  check::text(req.body, "body", limits::comment_bytes, true);
  if (req.attachments.size() > limits::attachments_per_comment)
    throw InvalidInput(fmt::format("at most {} per comment", limits::attachments_per_comment), "attachments");
  bool internal = actor.role != Role::customer && req.internal;
  std::vector<Attachment> files;
  for (std::size_t i = 0; i < req.attachments.size(); ++i) {
    std::string field = fmt::format("attachments[{}]", i);
    files.push_back(make_attachment(req.attachments[i], field));
    files.back().internal = attachment_internal(actor, req.attachments[i].internal, internal, internal, field);
  }

  return impl_->run(TxnMode::write, [&](Op &op) {
    auto [row, record] = Impl::visible_issue(op.txn, actor, code);
    const Issue &issue = row.issue;
    std::optional<std::string> reply_to_author;
    if (req.reply_to) {
      auto thread = op.txn.comments(issue.number);
      auto parent = std::find_if(thread.begin(), thread.end(), [&](const Comment &c) { return c.id == *req.reply_to; });
      if (parent == thread.end() || !may_see(actor, parent->internal))
        throw InvalidInput(fmt::format("{} has no comment {} you can answer", issue.code, *req.reply_to), "reply_to");
      reply_to_author = parent->author_id;
    }
    std::vector<std::string> mentioned = mentions_in(req.body);
    for (const auto &name : mentioned) {
      auto u = op.txn.user(name);
      if (!u) throw InvalidInput(fmt::format("@{} is not a known user", check::excerpt(name)), "body");
      if (!access::sees_issue(Actor{u->id, u->role, {}}, issue, record) || (internal && u->role == Role::customer))
        throw InvalidInput(
            fmt::format("@{} cannot see this {} comment", check::excerpt(name), internal ? "internal" : "public"),
            "body");
    }

    Comment c;
    c.issue_code = issue.code;
    c.author_id = actor.id;
    c.author_role = actor.role;
    c.internal = internal;
    c.body = req.body;
    c.reply_to = req.reply_to;
    c.mentions = mentioned;
    c.created_at = op.now;
    c.id = op.txn.add_comment(issue.number, c);

    TimelineEntry entry;
    entry.kind = entry_kind::comment;
    entry.changes.push_back({"comment", "", std::to_string(c.id)});
    for (Attachment f : files) {  // a copy: a retried attempt (Impl::run) starts from the request again
      f.issue_code = issue.code;
      f.comment_id = c.id;
      f.uploaded_by = actor.id;
      f.created_at = op.now;
      f.id = op.txn.add_attachment(issue.number, f);
      // An internal file on a public comment is logged under a field customers never see.
      entry.changes.push_back({f.internal && !internal ? "internal_attachment" : "attachment", "", f.name});
      f.bytes.clear();
      c.attachments.push_back(f);
    }
    entry.note = c.body;
    entry.internal = internal;
    engine::write(op, actor, row, issue, entry, false);
    search::reindex(op.txn, issue);

    std::size_t mark = op.events.size();
    for (const auto &m : mentioned) {
      Event e = plain_event(EventKind::user_mentioned, actor, op.now, issue);
      e.detail = m;
      e.item_id = c.id;
      op.events.push_back(std::move(e));
    }
    Event e = plain_event(EventKind::comment_added, actor, op.now, issue);
    e.item_id = c.id;
    e.detail = internal ? "internal" : "public";
    engine::announce(op, std::move(e), issue, record, entry.seq, mark,
                   engine::NoticeExtras{internal, c.body, mentioned, reply_to_author});
    return c;
  });
}

std::vector<Comment> Desk::thread(const Actor &actor, std::string_view code) {
  access::check_actor(actor);
  parse_issue_code(code);
  return impl_->run(TxnMode::read, [&](Op &op) {
    IssueRow row = Impl::visible_row(op.txn, actor, code);
    auto comments = op.txn.comments(row.issue.number);
    std::erase_if(comments, [&](const Comment &c) { return !may_see(actor, c.internal); });
    // A public comment may carry internal files.
    for (auto &c : comments)
      std::erase_if(c.attachments, [&](const Attachment &a) { return !may_see(actor, a.internal); });
    return comments;
  });
}

Attachment Desk::attach(const Actor &actor, std::string_view code, const AttachmentRequest &req) {
  access::check_actor(actor);
  parse_issue_code(code);
  Attachment requested = make_attachment(req, "attachment");
  // Unset: internal (a customer's: public). The issue itself is public, so either flag may be given.
  requested.internal = attachment_internal(actor, req.internal, true, false, "attachment");
  return impl_->run(TxnMode::write, [&](Op &op) {
    Attachment a = requested;  // a copy: a retried attempt (Impl::run) starts from the request again
    auto [row, record] = Impl::visible_issue(op.txn, actor, code);
    a.uploaded_by = actor.id;
    a.created_at = op.now;
    a.id = op.txn.add_attachment(row.issue.number, a);
    a.issue_code = row.issue.code;
    TimelineEntry entry;
    entry.kind = entry_kind::attachment;
    entry.changes.push_back({"attachment", "", a.name});
    entry.internal = a.internal;
    engine::write(op, actor, row, row.issue, entry, false);
    search::reindex(op.txn, row.issue);
    Event e = plain_event(EventKind::attachment_added, actor, op.now, row.issue);
    e.item_id = a.id;
    e.detail = a.name;
    engine::announce(op, std::move(e), row.issue, record, entry.seq, op.events.size(),
                   engine::NoticeExtras{a.internal, "Attached: " + a.name});
    a.bytes.clear();
    return a;
  });
}

std::vector<Attachment> Desk::attachments(const Actor &actor, std::string_view code) {
  access::check_actor(actor);
  parse_issue_code(code);
  return impl_->run(TxnMode::read, [&](Op &op) {
    IssueRow row = Impl::visible_row(op.txn, actor, code);
    auto list = op.txn.attachments(row.issue.number);
    std::erase_if(list, [&](const Attachment &a) { return !may_see(actor, a.internal); });
    return list;
  });
}

Attachment Desk::attachment(const Actor &actor, std::int64_t id) {
  access::check_actor(actor);
  return impl_->run(TxnMode::read, [&](Op &op) {
    auto a = op.txn.attachment(id);
    auto not_found = [&] { return NotFound(fmt::format("no attachment {}", id), "id"); };
    if (!a || !may_see(actor, a->internal)) throw not_found();
    try {
      Impl::visible_row(op.txn, actor, a->issue_code);
    } catch (const NotFound &) {
      throw not_found();  // the same answer whether the attachment or its issue is out of sight
    }
    return *a;
  });
}

// --- watchers and links -------------------------------------------------------------

// Adds or removes a watcher, logging it on the issue's timeline.
std::vector<std::string> Desk::Impl::change_watchers(const Actor &actor, std::string_view code,
                                                     std::string_view user_id, bool add) {
  access::check_actor(actor);
  parse_issue_code(code);
  check::id(user_id, "user_id", limits::id_bytes);
  // Customers hear of public events as the issue's customer, and do not see who watches.
  if (actor.role == Role::customer) throw Forbidden("customers do not watch issues", "actor.role");
  if (!is_staff(actor.role) && actor.id != user_id)
    throw Forbidden("only staff may change who else watches an issue", "user_id");
  return run(TxnMode::write, [&](Op &op) {
    auto [row, record] = visible_issue(op.txn, actor, code);
    auto u = op.txn.user(user_id);
    if (!u) throw NotFound(fmt::format("no user '{}'; register it with put_user", check::excerpt(user_id)), "user_id");
    if (add && (u->role == Role::customer || !access::sees_issue(Actor{u->id, u->role, {}}, row.issue, record)))
      throw InvalidInput(fmt::format("'{}' cannot watch {}", check::excerpt(u->id), row.issue.code), "user_id");
    bool changed = add ? op.txn.add_watcher(row.issue.number, user_id) : op.txn.remove_watcher(row.issue.number, user_id);
    if (changed) {
      TimelineEntry entry;
      entry.kind = entry_kind::watchers;
      entry.changes.push_back({"watchers", add ? "" : std::string(user_id), add ? std::string(user_id) : ""});
      entry.internal = true;
      engine::write(op, actor, row, row.issue, entry, false);
      Event e = plain_event(EventKind::watchers_changed, actor, op.now, row.issue);
      e.detail = (add ? "+" : "-") + std::string(user_id);
      op.events.push_back(std::move(e));
    }
    return op.txn.watchers(row.issue.number);
  });
}

std::vector<std::string> Desk::watch(const Actor &actor, std::string_view code, std::string_view user_id) {
  return impl_->change_watchers(actor, code, user_id, true);
}

std::vector<std::string> Desk::unwatch(const Actor &actor, std::string_view code, std::string_view user_id) {
  return impl_->change_watchers(actor, code, user_id, false);
}

std::vector<std::string> Desk::watchers(const Actor &actor, std::string_view code) {
  access::check_actor(actor);
  parse_issue_code(code);
  if (actor.role == Role::customer) throw Forbidden("customers do not see watchers", "actor.role");
  return impl_->run(TxnMode::read, [&](Op &op) {
    return op.txn.watchers(Impl::visible_row(op.txn, actor, code).issue.number);
  });
}

void Desk::Impl::change_link(const Actor &actor, std::string_view code, std::string_view other, LinkKind kind,
                             bool add) {
  access::check_actor(actor);
  access::require_staff(actor, "linking issues");
  parse_issue_code(code);
  parse_issue_code(other);
  if (!link_kind_from_string(to_string(kind))) throw InvalidInput("is not a known link kind", "kind");
  if (code == other) throw InvalidInput("an issue cannot be linked to itself", "other");
  run(TxnMode::write, [&](Op &op) {
    auto [from, from_record] = visible_issue(op.txn, actor, code);
    auto [to, to_record] = visible_issue(op.txn, actor, other);
    StoredLink link{from.issue.number, to.issue.number, kind, actor.id, op.now};
    bool changed = add ? op.txn.add_link(link) : op.txn.remove_link(link.from, link.to, kind);
    if (!changed)
      throw InvalidState(fmt::format("{} is {} {} {}", code, add ? "already" : "not", to_string(kind), other), "other");
    // Each side's timeline records it, from its own point of view.
    auto log = [&](const IssueRow &row, const Record &record, const std::string &peer, const std::string &label) {
      TimelineEntry entry;
      entry.kind = entry_kind::link;
      entry.changes.push_back({label, add ? "" : peer, add ? peer : ""});
      entry.internal = true;
      engine::write(op, actor, row, row.issue, entry, false);
      Event e = plain_event(EventKind::issue_linked, actor, op.now, row.issue);
      e.detail = fmt::format("{}{} {}", add ? "" : "un", label, peer);
      e.changes = entry.changes;
      engine::announce(op, std::move(e), row.issue, record, entry.seq, op.events.size(), engine::NoticeExtras{true});
    };
    bool duplicate = kind == LinkKind::duplicate_of;
    log(from, from_record, to.issue.code, duplicate ? "duplicate_of" : "related");
    log(to, to_record, from.issue.code, duplicate ? "duplicated_by" : "related");
    return 0;
  });
}

void Desk::link_issues(const Actor &actor, std::string_view code, std::string_view other, LinkKind kind) {
  impl_->change_link(actor, code, other, kind, true);
}

void Desk::unlink_issues(const Actor &actor, std::string_view code, std::string_view other, LinkKind kind) {
  impl_->change_link(actor, code, other, kind, false);
}

std::vector<IssueLink> Desk::links(const Actor &actor, std::string_view code) {
  access::check_actor(actor);
  parse_issue_code(code);
  return impl_->run(TxnMode::read, [&](Op &op) {
    IssueRow row = Impl::visible_row(op.txn, actor, code);
    std::vector<IssueLink> out;
    for (const auto &l : op.txn.links(row.issue.number)) {
      bool outgoing = l.from == row.issue.number;
      std::string other = format_issue_code(outgoing ? l.to : l.from);
      // A link to an issue the actor cannot see does not exist for them.
      try {
        Impl::visible_row(op.txn, actor, other);
      } catch (const NotFound &) {
        continue;
      }
      out.push_back({other, l.kind, outgoing, l.created_by, l.created_at});
    }
    return out;
  });
}

// --- search -----------------------------------------------------------------------------

namespace {

// The storage query of a search by `actor`: the parsed query, the text the
// actor's role may read, and the actor's scope.
SearchQuery search_query(const Actor &actor, std::string_view text, std::size_t limit, std::size_t offset) {
  check::text(text, "query", limits::search_bytes, true);
  check::count(limit, "limit", limits::page_items);
  if (offset > limits::page_items)
    throw InvalidInput(fmt::format("must be at most {}", limits::page_items), "offset");
  SearchQuery q;
  search::parse(text, q);
  q.audience = actor.role == Role::customer ? SearchAudience::customer : SearchAudience::staff;
  q.scope = access::scope(actor);
  q.limit = limit;
  q.offset = offset;
  return q;
}

}  // namespace

std::vector<SearchHit> Desk::search(const Actor &actor, const SearchOptions &options) {
  access::check_actor(actor);
  SearchQuery q = search_query(actor, options.query, options.limit, options.offset);
  check::count(options.snippet_words, "snippet_words", limits::snippet_words);
  check::text(options.mark_open, "mark_open", limits::snippet_mark_bytes, false);
  check::text(options.mark_close, "mark_close", limits::snippet_mark_bytes, false);
  std::vector<SearchMatch> found = impl_->run(TxnMode::read, [&](Op &op) { return op.txn.search(q); });
  std::vector<SearchHit> out;
  out.reserve(found.size());
  for (auto &m : found)
    out.push_back({Impl::seen_by(actor, std::move(m.issue)), m.score,
                   search::snippet(q, m.text, options.snippet_words, options.mark_open, options.mark_close)});
  return out;
}

std::vector<Issue> Desk::search(const Actor &actor, std::string_view query, std::size_t limit) {
  access::check_actor(actor);
  SearchQuery q = search_query(actor, query, limit, 0);
  return impl_->run(TxnMode::read, [&](Op &op) {
    std::vector<Issue> out;
    for (auto &m : op.txn.search(q)) out.push_back(Impl::seen_by(actor, std::move(m.issue)));
    return out;
  });
}

// --- delete forever -----------------------------------------------------------------

DeletedIssue Desk::delete_forever(const Actor &actor, std::string_view code) {
  access::check_actor(actor);
  access::require_role(actor, Role::admin, "deleting an issue forever");
  access::require(actor, Permission::delete_issues, "deleting an issue forever");
  parse_issue_code(code);
  DeletedIssue out = impl_->run(TxnMode::write, [&](Op &op) {
    auto [row, record] = Impl::visible_issue(op.txn, actor, code);
    const Issue &issue = row.issue;
    // Who hears of it, decided before the watchers are erased: the assigned
    // fieldworkers who could see it, and the watchers.
    std::vector<Actor> told;
    for (const auto &fw : record.fieldworkers)
      if (access::sees_issue(Actor{fw, Role::fieldworker, {}}, issue, record)) told.push_back({fw, Role::fieldworker, {}});
    for (const auto &w : op.txn.watchers(issue.number))
      if (auto u = op.txn.user(w); u && std::none_of(told.begin(), told.end(), [&](const Actor &a) { return a.id == w; }))
        told.push_back({u->id, u->role, {}});
    DeletedIssue d;
    d.code = issue.code;
    for (const auto &a : op.txn.attachments(issue.number))
      if (!a.storage_key.empty()) d.storage_keys.push_back(a.storage_key);
    ErasedCounts n = op.txn.erase_issue(issue.number);
    // The holds ledger is the finance record: its lines stay, without the code.
    op.txn.drop_from_ledger(issue.code);
    d.comments = n.comments;
    d.attachments = n.attachments;
    d.timeline_entries = n.timeline_entries;
    d.outbox_items = n.outbox_items;

    Event e;
    e.kind = EventKind::issue_deleted;
    e.at = op.now;
    e.actor_id = actor.id;
    e.actor_role = actor.role;
    e.issue_code = issue.code;
    e.keys = d.storage_keys;
    notify::queue_deleted(op, e, told);
    op.events.push_back(std::move(e));
    return d;
  });
  // The erasure has committed: a scrub that fails now (a lock wait past its
  // timeout, a lost connection) leaves it owed, as a scrub held back does;
  // the caller learns so from files_scrubbed, not from an error.
  try {
    out.files_scrubbed = scrub();
  } catch (const StorageError &) {
    out.files_scrubbed = false;
  }
  return out;
}

bool Desk::scrub() {
  std::lock_guard lock(impl_->mutex);
  return impl_->storage->scrub();
}

}  // namespace complaints
