#include "json/json.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "domain/check.hpp"
#include "domain/timestamp_text.hpp"
#include "json/obj.hpp"
#include "json/parse.hpp"

namespace complaints::json {

// --- the writer -----------------------------------------------------------------------------

void Writer::open(char c) {
  separate();
  put(c);
  // The library's documents nest a few levels; deeper would be a bug here.
  if (depth_ + 1 >= max_depth) throw Error(Errc::internal, "JSON nested too deep");
  first_[++depth_] = true;
}

Writer &Writer::begin_object() {
  open('{');
  return *this;
}

Writer &Writer::end_object() {
  put('}');
  --depth_;
  return *this;
}

Writer &Writer::begin_array() {
  open('[');
  return *this;
}

Writer &Writer::end_array() {
  put(']');
  --depth_;
  return *this;
}

// Appends `[,]"text"` and `tail` (0 for none): the path of every key and
// plain string.
void Writer::quoted(std::string_view text, char tail) {
  separate();
  put('"');
  put(text);
  put('"');
  if (tail) put(tail);
}

Writer &Writer::key(std::string_view k) {
  // Keys are the library's own identifiers: nothing to escape.
  quoted(k, ':');
  first_[depth_] = true;  // the value that follows takes no comma
  return *this;
}

namespace {

// Bytes a JSON string must escape: controls, '"' and '\\'.
constexpr auto escapes = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = true;
  t['"'] = t['\\'] = true;
  return t;
}();

}  // namespace

Writer &Writer::value(std::string_view v) {
  if (std::none_of(v.begin(), v.end(), [](char c) { return escapes[static_cast<unsigned char>(c)]; })) {
    quoted(v, 0);  // the usual case: nothing to escape
    return *this;
  }
  separate();
  put('"');
  std::size_t plain = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    auto c = static_cast<unsigned char>(v[i]);
    if (!escapes[c]) continue;
    put(v.substr(plain, i - plain));
    plain = i + 1;
    switch (c) {
      case '"': put("\\\""); break;
      case '\\': put("\\\\"); break;
      case '\n': put("\\n"); break;
      case '\r': put("\\r"); break;
      case '\t': put("\\t"); break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        put(buf);
      }
    }
  }
  put(v.substr(plain));
  put('"');
  return *this;
}

Writer &Writer::value(std::int64_t v) {
  separate();
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
  put(std::string_view(digits, static_cast<std::size_t>(end - digits)));
  return *this;
}

Writer &Writer::value(bool v) {
  separate();
  put(v ? "true" : "false");
  return *this;
}

Writer &Writer::null() {
  separate();
  put("null");
  return *this;
}

Writer &Writer::raw(std::string_view json) {
  separate();
  put(json);
  return *this;
}

// --- writing values ----------------------------------------------------------------------------

void time(Writer &w, std::string_view k, Timestamp t) {
  char text[timestamp_text_size];
  format_timestamp_into(t, text);
  w.field(k, std::string_view(text, sizeof text));
}

void opt_time(Writer &w, std::string_view k, const std::optional<Timestamp> &t) {
  if (t)
    time(w, k, *t);
  else
    w.key(k).null();
}

namespace {

void opt_date(Writer &w, std::string_view k, const std::optional<Date> &d) {
  w.key(k);
  if (d)
    w.value(d->to_string());
  else
    w.null();
}

void strings(Writer &w, std::string_view k, const std::vector<std::string> &list) {
  w.key(k);
  write(w, list);
}

void ref(Writer &w, std::string_view k, const RecordRef &r) {
  w.key(k).begin_object().field("kind", to_string(r.kind)).field("id", r.id).end_object();
}

void money(Writer &w, std::string_view k, const std::optional<Money> &m) {
  w.key(k);
  if (m)
    w.begin_object().field("minor", m->minor()).field("currency", m->currency()).end_object();
  else
    w.null();
}

void changes(Writer &w, const std::vector<FieldChange> &list) {
  w.key("changes").begin_array();
  for (const auto &c : list)
    w.begin_object().field("field", c.field).field("before", c.before).field("after", c.after).end_object();
  w.end_array();
}

}  // namespace

void write(Writer &w, const std::string &v) { w.value(v); }

void write(Writer &w, const SlaClock &c) {
  w.begin_object().field("name", c.name).field("state", to_string(c.state)).field("business", c.business);
  time(w, "started_at", c.started_at);
  w.field("budget_ms", static_cast<std::int64_t>(c.budget.count()))
      .field("used_ms", static_cast<std::int64_t>(c.used.count()))
      .field("left_ms", static_cast<std::int64_t>(c.left().count()));
  time(w, "as_of", c.as_of);
  opt_time(w, "due_at", c.due_at);
  opt_time(w, "warn_at", c.warn_at);
  w.field("warn_percent", static_cast<std::int64_t>(c.warn_percent))
      .field("paused_by_status", c.paused_by_status)
      .field("warned", c.warned)
      .field("breached", c.breached);
  opt_time(w, "breached_at", c.breached_at);
  w.end_object();
}

void write(Writer &w, const Issue &v) {
  w.begin_object()
      .field("code", v.code)
      .field("number", v.number);
  ref(w, "record", v.record);
  w.field("customer_id", v.customer_id);
  strings(w, "fieldworkers", v.fieldworkers);
  w.field("type", v.type).field("description", v.description).field("to_follow", v.to_follow);
  opt_date(w, "deferred_date", v.deferred_date);
  opt_date(w, "follow_up_date", v.follow_up_date);
  w.field("workflow", v.workflow)
      .field("status", v.status)
      .field("category", to_string(v.category))
      .field("stage", v.stage)
      .field("assignee", v.assignee)
      .field("reporter_id", v.reporter_id)
      .field("reporter_role", to_string(v.reporter_role))
      .field("channel", to_string(v.channel));
  time(w, "created_at", v.created_at);
  time(w, "updated_at", v.updated_at);
  w.field("version", v.version).key("timers").begin_array();
  for (const auto &t : v.timers) {
    w.begin_object().field("name", t.name).field("action", t.action);
    time(w, "due_at", t.due_at);
    w.end_object();
  }
  w.end_array().key("slas");
  write(w, v.slas);
  opt_time(w, "reminder_at", v.reminder_at);
  w.key("fields").begin_object();
  for (const auto &[name, value] : v.fields) w.field(name, value);
  w.end_object();
  w.end_object();
}

void write(Writer &w, const Record &v) {
  w.begin_object()
      .field("kind", to_string(v.ref.kind))
      .field("id", v.ref.id)
      .field("customer_id", v.customer_id);
  strings(w, "fieldworkers", v.fieldworkers);
  w.field("visibility", to_string(v.visibility))
      .field("paid_out", v.paid_out)
      .field("invoice_id", v.invoice_id)
      .end_object();
}

void write(Writer &w, const TimelineEntry &v) {
  w.begin_object().field("issue_code", v.issue_code).field("seq", v.seq);
  time(w, "at", v.at);
  w.field("actor_id", v.actor_id)
      .field("actor_role", to_string(v.actor_role))
      .field("kind", v.kind)
      .field("action", v.action);
  changes(w, v.changes);
  w.field("note", v.note)
      .field("internal", v.internal)
      .field("prev_hash", v.prev_hash)
      .field("hash", v.hash)
      .end_object();
}

void write(Writer &w, const ChainCheck &v) {
  w.begin_object().field("ok", v.ok).field("entries", v.entries).key("broken_seq");
  if (v.broken_seq)
    w.value(*v.broken_seq);
  else
    w.null();
  w.field("reason", v.reason).end_object();
}

void write(Writer &w, const OutboxItem &v) {
  w.begin_object()
      .field("id", v.id)
      .field("idempotency_key", v.idempotency_key)
      .field("kind", to_string(v.kind))
      .field("event", v.event)
      .field("issue_code", v.issue_code)
      .field("recipient", v.recipient)
      .field("channel", to_string(v.channel))
      .field("subject", v.subject)
      .field("body_text", v.body_text)
      .field("body_html", v.body_html);
  time(w, "created_at", v.created_at);
  w.end_object();
}

void write(Writer &w, const Event &v) {
  w.begin_object().field("kind", to_string(v.kind));
  time(w, "at", v.at);
  w.field("actor_id", v.actor_id).field("actor_role", to_string(v.actor_role)).field("issue_code", v.issue_code);
  w.key("issue");
  if (v.issue)
    write(w, *v.issue);
  else
    w.null();
  w.field("action", v.action);
  changes(w, v.changes);
  w.field("detail", v.detail).field("item_id", v.item_id);
  strings(w, "keys", v.keys);
  w.end_object();
}

void write(Writer &w, const Attachment &v) {
  w.begin_object().field("id", v.id).field("issue_code", v.issue_code).key("comment_id");
  if (v.comment_id)
    w.value(*v.comment_id);
  else
    w.null();
  w.field("name", v.name)
      .field("media_type", v.media_type)
      .field("size", v.size)
      .field("sha256", v.sha256)
      .field("storage_key", v.storage_key)
      .field("internal", v.internal)
      .field("uploaded_by", v.uploaded_by);
  time(w, "created_at", v.created_at);
  w.end_object();
}

void write(Writer &w, const Comment &v) {
  w.begin_object()
      .field("id", v.id)
      .field("issue_code", v.issue_code)
      .field("author_id", v.author_id)
      .field("author_role", to_string(v.author_role))
      .field("internal", v.internal)
      .field("body", v.body)
      .key("reply_to");
  if (v.reply_to)
    w.value(*v.reply_to);
  else
    w.null();
  strings(w, "mentions", v.mentions);
  w.key("attachments");
  write(w, v.attachments);
  time(w, "created_at", v.created_at);
  w.end_object();
}

void write(Writer &w, const IssueLink &v) {
  w.begin_object()
      .field("other_code", v.other_code)
      .field("kind", to_string(v.kind))
      .field("outgoing", v.outgoing)
      .field("created_by", v.created_by);
  time(w, "created_at", v.created_at);
  w.end_object();
}

void write(Writer &w, const PaymentHold &v) {
  w.begin_object();
  ref(w, "record", v.record);
  w.field("fieldworker", v.fieldworker).field("state", to_string(v.state));
  money(w, "amount", v.amount);
  w.field("scope", to_string(v.scope));
  time(w, "since", v.since);
  opt_time(w, "released_at", v.released_at);
  strings(w, "issues", v.issues);
  strings(w, "blocking", v.blocking);
  w.end_object();
}

void write(Writer &w, const PayDecision &v) {
  w.begin_object().field("may_pay", v.may_pay);
  ref(w, "record", v.record);
  w.field("fieldworker", v.fieldworker).key("hold");
  if (v.hold)
    write(w, *v.hold);
  else
    w.null();
  strings(w, "blocking", v.blocking);
  w.field("age_ms", static_cast<std::int64_t>(v.age.count())).field("reason", v.reason).end_object();
}

void write(Writer &w, const HoldLedgerEntry &v) {
  w.begin_object().field("id", v.id);
  ref(w, "record", v.record);
  w.field("fieldworker", v.fieldworker).field("action", to_string(v.action));
  time(w, "at", v.at);
  w.field("actor_id", v.actor_id).field("actor_role", to_string(v.actor_role)).field("reason", v.reason);
  strings(w, "issues", v.issues);
  money(w, "amount", v.amount);
  w.field("override_release", v.override_release).end_object();
}

void totals(Writer &w, std::string_view k, const std::vector<CurrencyTotal> &list) {
  w.key(k).begin_array();
  for (const auto &t : list)
    w.begin_object().field("currency", t.currency).field("minor", t.minor).field("count", t.count).end_object();
  w.end_array();
}

void write(Writer &w, const HoldReport &v) {
  w.begin_object();
  time(w, "from", v.from);
  time(w, "to", v.to);
  w.key("entries");
  write(w, v.entries);
  totals(w, "withheld", v.withheld);
  totals(w, "released", v.released);
  w.field("withheld_count", v.withheld_count).field("released_count", v.released_count).end_object();
}

void write(Writer &w, const MessageTemplate &v) {
  w.begin_object()
      .field("name", v.name)
      .field("title", v.title)
      .field("subject", v.subject)
      .field("body_html", v.body_html)
      .field("body_text", v.body_text)
      .field("single_brace", v.single_brace)
      .field("builtin", v.builtin)
      .end_object();
}

void write(Writer &w, const MessageSettings &v) {
  const Branding &b = v.branding;
  w.begin_object().field("acknowledgement", to_string(v.acknowledgement)).key("branding").begin_object();
  w.field("company_name", b.company_name)
      .field("logo_url", b.logo_url)
      .field("phone", b.phone)
      .field("email", b.email)
      .field("website", b.website)
      .field("colour", b.colour)
      .field("signature", b.signature)
      .end_object();
  w.field("sla_promise", v.sla_promise).field("discussion_url", v.discussion_url).key("reminder_schedule");
  if (v.reminder_schedule) {
    w.begin_object().key("days").begin_array();
    for (std::size_t d = 0; d < 7; ++d)
      if (v.reminder_schedule->days[d]) w.value(to_string(static_cast<Weekday>(d)));
    w.end_array().field("at", format_minute(v.reminder_schedule->minute)).end_object();
  } else {
    w.null();
  }
  w.end_object();
}

void write(Writer &w, const BusinessCalendar &v) {
  w.begin_object().field("time_zone", v.time_zone).key("hours").begin_object();
  for (std::size_t d = 0; d < 7; ++d) {
    w.key(to_string(static_cast<Weekday>(d))).begin_array();
    for (const auto &p : v.hours[d]) w.value(format_minute(p.start) + "-" + format_minute(p.end));
    w.end_array();
  }
  w.end_object().key("holidays").begin_array();
  for (const auto &day : v.holidays) w.value(day.to_string());
  w.end_array().end_object();
}

void write(Writer &w, const DueRun &v) {
  w.begin_object().field("issue_code", v.issue_code).field("kind", v.kind).field("name", v.name);
  time(w, "due_at", v.due_at);
  w.field("outcome", to_string(v.outcome)).field("detail", v.detail).end_object();
}

void write(Writer &w, const RenderedMessage &v) {
  w.begin_object()
      .field("template", v.template_name)
      .field("recipient", v.recipient)
      .field("subject", v.subject)
      .field("body_html", v.body_html)
      .field("body_text", v.body_text)
      .field("outbox_id", v.outbox_id)
      .end_object();
}

void write(Writer &w, const User &v) {
  w.begin_object().field("id", v.id).field("role", to_string(v.role)).field("name", v.name).key("settings");
  w.begin_object()
      .field("scope", to_string(v.settings.scope))
      .field("push", v.settings.push)
      .field("sms", v.settings.sms)
      .field("email", v.settings.email)
      .end_object();
  w.end_object();
}

void write(Writer &w, const IssueType &v) {
  w.begin_object().field("name", v.name).field("colour", v.colour).end_object();
}

void write(Writer &w, const DeletedIssue &v) {
  w.begin_object()
      .field("code", v.code)
      .field("comments", v.comments)
      .field("attachments", v.attachments)
      .field("timeline_entries", v.timeline_entries)
      .field("outbox_items", v.outbox_items);
  strings(w, "storage_keys", v.storage_keys);
  w.field("files_scrubbed", v.files_scrubbed).end_object();
}

void write(Writer &w, const WorkflowProblem &v) {
  w.begin_object().field("path", v.path).field("message", v.message).end_object();
}

// --- reading ------------------------------------------------------------------------------------
void write(Writer &w, const SearchHit &v) {
  w.begin_object().key("issue");
  write(w, v.issue);
  // A score is finite and at least 0: its shortest exact form is plain JSON.
  w.key("score").raw(fmt::format("{}", v.score));
  w.field("snippet", v.snippet).end_object();
}

void write(Writer &w, const ExportSummary &v) {
  w.begin_object().field("rows", v.rows).field("last_number", v.last_number);
  strings(w, "columns", v.columns);
  w.end_object();
}

}  // namespace complaints::json
