// The readers of the documents a host sends (docs/c-api.md, "Documents the
// host sends"): each checks its keys and values and throws InvalidInput at
// the field, on top of the one strict parser (json/parse.hpp). The writers
// are in json.cpp.
#include "json/json.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "domain/check.hpp"
#include "json/obj.hpp"
#include "json/parse.hpp"

namespace complaints::json {

nlohmann::json parse_value(std::string_view text, std::string_view field, std::string_view prefix) {
  return parse_json(text, {field, prefix});
}

nlohmann::json parse(std::string_view text, std::string_view field, std::string_view prefix) {
  auto j = parse_value(text, field, prefix);
  if (!j.is_object()) throw InvalidInput(fmt::format("must be a JSON object, not {}", j.type_name()), std::string(field));
  return j;
}

namespace {

// {"minor", "currency"} at `path`; Money::of reports its problems at `money_field`.
Money read_money_object(const nlohmann::json &v, const std::string &path, const std::string &money_field) {
  Obj m(v, path, {"minor", "currency"});
  auto minor = m.opt_int("minor");
  if (!minor) throw InvalidInput("is required", m.field("minor"));
  return Money::of(*minor, m.str("currency"), money_field);
}

// A page's `limit`, `fallback` when absent; the Desk checks its range, so
// zero and below read as 0 and get its message.
std::size_t read_count(const Obj &o, std::string_view k, std::size_t fallback) {
  auto n = o.opt_int(k);
  return !n ? fallback : *n < 0 ? 0 : static_cast<std::size_t>(*n);
}

std::optional<Money> read_money(const Obj &o, std::string_view k) {
  const auto *v = o.get(k);
  if (!v) return std::nullopt;
  return read_money_object(*v, o.field(k), o.field(k));
}

}  // namespace

RecordRef read_record_ref(const nlohmann::json &j, const std::string &field) {
  Obj o(j, field, {"kind", "id"});
  return RecordRef{o.req_enum("kind", &record_kind_from_string), o.str("id")};
}

ReportRequest read_report(const nlohmann::json &j) {
  Obj o(j, "", {"record", "type", "description", "to_follow", "deferred_date", "follow_up_date", "channel",
                "fieldworkers", "hold_amounts", "workflow"});
  ReportRequest r;
  if (!o.get("record")) throw InvalidInput("is required", "record");
  r.record = read_record_ref(*o.get("record"), "record");
  r.type = o.str("type");
  r.description = o.str("description");
  r.to_follow = o.flag("to_follow", false);
  r.deferred_date = o.opt_date("deferred_date");
  r.follow_up_date = o.opt_date("follow_up_date");
  r.channel = o.opt_enum("channel", &channel_from_string);
  if (o.get("fieldworkers")) r.fieldworkers = o.strs("fieldworkers");
  if (const auto *amounts = o.get("hold_amounts")) {
    if (!amounts->is_object()) throw InvalidInput("must be an object of fieldworker: amount", "hold_amounts");
    for (auto it = amounts->begin(); it != amounts->end(); ++it)
      r.hold_amounts.insert_or_assign(it.key(), read_money_object(*it, "hold_amounts." + check::excerpt(it.key()),
                                                                  "hold_amounts." + check::excerpt(it.key())));
  }
  r.workflow = o.str_or("workflow", r.workflow);
  return r;
}

// An object of name: text ("inputs", "fields"); a case field's value may also be
// an array of texts, the options of a multi_choice field.
std::map<std::string, std::string, std::less<>> read_texts(const Obj &o, const char *key, bool lists) {
  std::map<std::string, std::string, std::less<>> out;
  const auto *obj = o.get(key);
  if (!obj) return out;
  if (!obj->is_object()) throw InvalidInput("must be an object of name: text", key);
  for (auto it = obj->begin(); it != obj->end(); ++it) {
    std::string where = std::string(key) + "." + check::excerpt(it.key());
    if (it->is_string()) {
      out.emplace(it.key(), it->get<std::string>());
    } else if (lists && it->is_array()) {
      std::string joined;
      for (const auto &item : *it) {
        if (!item.is_string()) throw InvalidInput("must be a string or an array of strings", where);
        joined += (joined.empty() ? "" : ";") + item.get<std::string>();
      }
      out.emplace(it.key(), std::move(joined));
    } else {
      throw InvalidInput(lists ? "must be a string or an array of strings" : "must be a string", where);
    }
  }
  return out;
}

ActionRequest read_action(const nlohmann::json &j) {
  Obj o(j, "", {"action", "inputs", "expected_version", "fields"});
  ActionRequest r;
  r.action = o.str("action");
  r.inputs = read_texts(o, "inputs", false);
  r.fields = read_texts(o, "fields", true);
  r.expected_version = o.opt_int("expected_version");
  return r;
}

IssueEdit read_edit(const nlohmann::json &j) {
  Obj o(j, "", {"type", "description", "to_follow", "deferred_date", "follow_up_date", "expected_version", "fields"});
  IssueEdit e;
  e.fields = read_texts(o, "fields", true);
  e.type = o.opt_str("type");
  e.description = o.opt_str("description");
  e.to_follow = o.opt_bool("to_follow");
  // Present and null clears a date; absent leaves it.
  if (j.contains("deferred_date")) e.deferred_date = o.opt_date("deferred_date");
  if (j.contains("follow_up_date")) e.follow_up_date = o.opt_date("follow_up_date");
  e.expected_version = o.opt_int("expected_version");
  return e;
}

IssueFilter read_filter(const nlohmann::json &j) {
  Obj o(j, "", {"record", "record_kind", "workflow", "status", "categories", "open", "stage", "type", "fieldworker",
                "assignee", "owner", "customer_id", "to_follow", "created_from", "created_to", "after_number", "limit",
                "fields"});
  IssueFilter f;
  if (o.flag("open", false)) f = IssueFilter::open_issues();
  if (o.get("record")) f.record = read_record_ref(*o.get("record"), "record");
  f.record_kind = o.opt_enum("record_kind", &record_kind_from_string);
  f.workflow = o.opt_str("workflow");
  f.status = o.opt_str("status");
  for (const auto &c : o.strs("categories")) {
    auto cat = status_category_from_string(c);
    if (!cat) throw InvalidInput(fmt::format("'{}' is not a category", check::excerpt(c)), "categories");
    f.categories.push_back(*cat);
  }
  f.stage = o.opt_str("stage");
  f.type = o.opt_str("type");
  f.fieldworker = o.opt_str("fieldworker");
  f.assignee = o.opt_str("assignee");
  f.owner = o.opt_str("owner");
  f.customer_id = o.opt_str("customer_id");
  f.to_follow = o.opt_bool("to_follow");
  f.created_from = o.opt_time("created_from");
  f.created_to = o.opt_time("created_to");
  f.fields = read_texts(o, "fields", true);
  f.after_number = o.opt_int("after_number").value_or(0);
  f.limit = read_count(o, "limit", f.limit);
  return f;
}

ExportOptions read_export_options(const nlohmann::json &j) {
  if (!j.is_object()) throw InvalidInput(fmt::format("must be an object, not {}", j.type_name()), "request");
  // A list filter with two keys of its own, read here; the filter reader sees the rest.
  nlohmann::json filter = j;
  filter.erase("format");
  filter.erase("page_issues");
  ExportOptions o;
  o.filter = read_filter(filter);
  Obj own(j, "",
          {"format", "page_issues", "record", "record_kind", "workflow", "status", "categories", "open", "stage", "type",
           "fieldworker", "assignee", "owner", "customer_id", "to_follow", "created_from", "created_to",
           "after_number", "limit", "fields"});
  if (auto format = own.opt_str("format")) {
    auto f = export_format_from_string(*format);
    if (!f) throw InvalidInput(fmt::format("'{}' is not an export format (csv, json_lines)", check::excerpt(*format)),
                               "format");
    o.format = *f;
  }
  o.page_issues = read_count(own, "page_issues", o.page_issues);
  return o;
}

SearchOptions read_search_options(const nlohmann::json &j) {
  Obj o(j, "", {"query", "limit", "offset", "snippet_words", "mark_open", "mark_close"});
  SearchOptions s;
  s.query = o.str("query");
  s.limit = read_count(o, "limit", s.limit);
  if (auto offset = o.opt_int("offset")) {
    if (*offset < 0) throw InvalidInput("must not be negative", "offset");
    s.offset = static_cast<std::size_t>(*offset);
  }
  s.snippet_words = read_count(o, "snippet_words", s.snippet_words);
  s.mark_open = o.str_or("mark_open", s.mark_open);
  s.mark_close = o.str_or("mark_close", s.mark_close);
  return s;
}

Record read_record(const nlohmann::json &j) {
  Obj o(j, "", {"kind", "id", "customer_id", "fieldworkers", "visibility", "paid_out", "invoice_id"});
  Record r;
  r.ref = RecordRef{o.req_enum("kind", &record_kind_from_string), o.str("id")};
  r.customer_id = o.str("customer_id");
  r.fieldworkers = o.strs("fieldworkers");
  r.visibility = o.opt_enum("visibility", &record_visibility_from_string).value_or(RecordVisibility::restricted);
  r.paid_out = o.flag("paid_out", false);
  r.invoice_id = o.str_or("invoice_id", "");
  return r;
}

StatusDef read_status(const nlohmann::json &j) {
  Obj o(j, "", {"name", "colour", "category"});
  return StatusDef{o.str("name"), o.str_or("colour", "#808080"), o.req_enum("category", &status_category_from_string)};
}

IssueType read_issue_type(const nlohmann::json &j) {
  Obj o(j, "", {"name", "colour"});
  return IssueType{o.str("name"), o.str_or("colour", "#808080")};
}

NotificationSettings read_settings(const nlohmann::json &j, const std::string &path) {
  Obj o(j, path, {"scope", "push", "sms", "email"});
  NotificationSettings s;
  s.scope = o.opt_enum("scope", &notify_scope_from_string).value_or(NotifyScope::all);
  s.push = o.flag("push", s.push);
  s.sms = o.flag("sms", s.sms);
  s.email = o.flag("email", s.email);
  return s;
}

User read_user(const nlohmann::json &j) {
  Obj o(j, "", {"id", "role", "name", "settings"});
  User u;
  u.id = o.str("id");
  u.role = o.req_enum("role", &role_from_string);
  u.name = o.str_or("name", "");
  u.settings = NotificationSettings::defaults_for(u.role);
  if (const auto *s = o.get("settings")) u.settings = read_settings(*s, "settings");
  return u;
}

AttachmentRequest read_attachment(const nlohmann::json &j, const std::string &path) {
  Obj o(j, path, {"name", "media_type", "storage_key", "bytes_base64", "size", "sha256", "internal"});
  AttachmentRequest a;
  a.name = o.str("name");
  a.media_type = o.str("media_type");
  a.storage_key = o.opt_str("storage_key");
  if (auto b64 = o.opt_str("bytes_base64")) {
    // Measured before it is decoded, and refused at the key the host sent.
    std::string field = o.field("bytes_base64");
    check::kept_file(base64_decoded_size(*b64), field);
    a.bytes = base64_decode(*b64, field);
  }
  a.size = o.opt_int("size").value_or(0);
  a.sha256 = o.str_or("sha256", "");
  a.internal = o.opt_bool("internal");
  return a;
}

CommentRequest read_comment(const nlohmann::json &j) {
  Obj o(j, "", {"body", "internal", "reply_to", "attachments"});
  CommentRequest c;
  c.body = o.str("body");
  c.internal = o.flag("internal", true);
  c.reply_to = o.opt_int("reply_to");
  if (const auto *list = o.get("attachments")) {
    if (!list->is_array()) throw InvalidInput("must be an array", "attachments");
    for (std::size_t i = 0; i < list->size(); ++i)
      c.attachments.push_back(read_attachment((*list)[i], fmt::format("attachments[{}]", i)));
  }
  return c;
}

HoldRequest read_hold_request(const nlohmann::json &j) {
  Obj o(j, "", {"record", "fieldworker", "amount", "scope", "reason"});
  HoldRequest r;
  if (!o.get("record")) throw InvalidInput("is required", "record");
  r.record = read_record_ref(*o.get("record"), "record");
  r.fieldworker = o.str("fieldworker");
  r.amount = read_money(o, "amount");
  r.scope = o.opt_enum("scope", &hold_scope_from_string).value_or(HoldScope::portion);
  r.reason = o.str("reason");
  return r;
}

ReleaseRequest read_release(const nlohmann::json &j) {
  Obj o(j, "", {"record", "fieldworker", "reason", "override"});
  ReleaseRequest r;
  if (!o.get("record")) throw InvalidInput("is required", "record");
  r.record = read_record_ref(*o.get("record"), "record");
  r.fieldworker = o.str("fieldworker");
  r.reason = o.str("reason");
  r.override = o.flag("override", false);
  return r;
}

HoldFilter read_hold_filter(const nlohmann::json &j) {
  Obj o(j, "", {"record", "invoice", "fieldworker", "state", "withheld_before", "limit"});
  HoldFilter f;
  if (o.get("record")) f.record = read_record_ref(*o.get("record"), "record");
  f.invoice = o.opt_str("invoice");
  f.fieldworker = o.opt_str("fieldworker");
  f.state = o.opt_enum("state", &hold_state_from_string);
  f.withheld_before = o.opt_time("withheld_before");
  f.limit = read_count(o, "limit", f.limit);
  return f;
}

std::vector<PayQuery> read_pay_queries(const nlohmann::json &queries) {
  if (!queries.is_array()) throw InvalidInput("must be an array", "queries");
  std::vector<PayQuery> out;
  out.reserve(queries.size());
  for (std::size_t i = 0; i < queries.size(); ++i) {
    std::string field = fmt::format("queries[{}]", i);
    Obj q(queries[i], field, {"record", "fieldworker"});
    if (!q.get("record")) throw InvalidInput("is required", field + ".record");
    out.push_back({read_record_ref(*q.get("record"), field + ".record"), q.str("fieldworker")});
  }
  return out;
}

MessageTemplate read_template(const nlohmann::json &j) {
  Obj o(j, "", {"name", "title", "subject", "body_html", "body_text", "single_brace", "builtin"});
  MessageTemplate t;
  t.name = o.str("name");
  t.title = o.str_or("title", "");
  t.subject = o.str_or("subject", "");
  t.body_html = o.str_or("body_html", "");
  t.body_text = o.str_or("body_text", "");
  t.single_brace = o.flag("single_brace", false);
  return t;
}

MessageSettings read_message_settings(const nlohmann::json &j) {
  Obj o(j, "", {"acknowledgement", "branding", "sla_promise", "discussion_url", "reminder_schedule"});
  MessageSettings s;
  if (auto mode = o.opt_str("acknowledgement")) {
    if (*mode == "automatic")
      s.acknowledgement = AcknowledgementMode::automatic;
    else if (*mode == "preview")
      s.acknowledgement = AcknowledgementMode::preview;
    else if (*mode == "off")
      s.acknowledgement = AcknowledgementMode::off;
    else
      throw InvalidInput(fmt::format("'{}' is not automatic, preview or off", check::excerpt(*mode)),
                         "acknowledgement");
  }
  if (const auto *b = o.get("branding")) {
    Obj br(*b, "branding", {"company_name", "logo_url", "phone", "email", "website", "colour", "signature"});
    Branding &d = s.branding;
    d.company_name = br.str_or("company_name", d.company_name);
    d.logo_url = br.str_or("logo_url", d.logo_url);
    d.phone = br.str_or("phone", d.phone);
    d.email = br.str_or("email", d.email);
    d.website = br.str_or("website", d.website);
    d.colour = br.str_or("colour", d.colour);
    d.signature = br.str_or("signature", d.signature);
  }
  s.sla_promise = o.str_or("sla_promise", s.sla_promise);
  s.discussion_url = o.str_or("discussion_url", s.discussion_url);
  if (const auto *r = o.get("reminder_schedule")) {
    Obj schedule(*r, "reminder_schedule", {"days", "at"});
    WeeklySchedule w;
    auto days = schedule.strs("days");
    for (std::size_t i = 0; i < days.size(); ++i) {
      auto d = weekday_from_string(days[i]);
      if (!d)
        throw InvalidInput(fmt::format("'{}' is not a day (sun, mon, tue, wed, thu, fri, sat)", check::excerpt(days[i])),
                           fmt::format("reminder_schedule.days[{}]", i));
      w.days[static_cast<std::size_t>(*d)] = true;
    }
    w.minute = parse_minute(schedule.str("at"), "reminder_schedule.at");
    s.reminder_schedule = w;
  }
  return s;
}

BusinessCalendar read_calendar(const nlohmann::json &j, const std::string &path) {
  Obj o(j, path, {"time_zone", "hours", "holidays"});
  BusinessCalendar c;
  c.time_zone = o.str_or("time_zone", c.time_zone);
  if (const auto *hours = o.get("hours")) {
    Obj week(*hours, o.field("hours"), {"sun", "mon", "tue", "wed", "thu", "fri", "sat"});
    for (std::size_t d = 0; d < 7; ++d) {
      const char *day = to_string(static_cast<Weekday>(d));
      c.hours[d].clear();
      auto periods = week.strs(day);
      for (std::size_t i = 0; i < periods.size(); ++i) {
        std::string field = fmt::format("{}[{}]", week.field(day), i);
        const std::string &text = periods[i];
        if (text.size() != 11 || text[5] != '-')
          throw InvalidInput(fmt::format("'{}' is not a period (HH:MM-HH:MM)", check::excerpt(text)), field);
        c.hours[d].push_back({parse_minute(std::string_view(text).substr(0, 5), field),
                              parse_minute(std::string_view(text).substr(6), field, true)});
      }
    }
  }
  auto holidays = o.strs("holidays");
  for (std::size_t i = 0; i < holidays.size(); ++i)
    c.holidays.push_back(Date::parse(holidays[i], fmt::format("{}[{}]", o.field("holidays"), i)));
  return c;
}

// --- base64 -------------------------------------------------------------------------------------

namespace {
constexpr char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    auto n = (std::uint32_t(std::uint8_t(bytes[i])) << 16) | (std::uint32_t(std::uint8_t(bytes[i + 1])) << 8) |
             std::uint8_t(bytes[i + 2]);
    out += b64[n >> 18];
    out += b64[(n >> 12) & 63];
    out += b64[(n >> 6) & 63];
    out += b64[n & 63];
  }
  if (i < bytes.size()) {
    std::uint32_t n = std::uint32_t(std::uint8_t(bytes[i])) << 16;
    if (i + 1 < bytes.size()) n |= std::uint32_t(std::uint8_t(bytes[i + 1])) << 8;
    out += b64[n >> 18];
    out += b64[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? b64[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::size_t base64_decoded_size(std::string_view text) noexcept {
  std::size_t size = text.size() / 4 * 3;
  for (std::size_t i = 0; i < 2 && i < text.size() && text[text.size() - 1 - i] == '='; ++i) --size;
  return size;
}

std::string base64_decode(std::string_view text, const std::string &field) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (text.size() % 4 != 0) throw InvalidInput("is not base64 (its length is not a multiple of 4)", field);
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = text[i + k];
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        v[k] = 0;
        ++pad;
      } else if (pad > 0 || (v[k] = value(c)) < 0) {
        throw InvalidInput(fmt::format("is not base64 (at character {})", i + k), field);
      }
    }
    std::uint32_t n = (std::uint32_t(v[0]) << 18) | (std::uint32_t(v[1]) << 12) | (std::uint32_t(v[2]) << 6) |
                      std::uint32_t(v[3]);
    out += char(n >> 16);
    if (pad < 2) out += char((n >> 8) & 0xff);
    if (pad < 1) out += char(n & 0xff);
  }
  return out;
}

}  // namespace complaints::json
