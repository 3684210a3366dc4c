#include "messages/messages.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "complaints/limits.hpp"
#include "complaints/event.hpp"
#include "domain/check.hpp"
#include "engine/caches.hpp"
#include "messages/builtin.hpp"
#include "render/strict_check.hpp"

namespace complaints {

namespace {

// The merge-tag catalogue: what every context (issue_context,
// reminder_context) sets, and for the lists, what each of their items sets.
constexpr std::string_view top_level_tags[] = {
    "recipient_name", "customer_name", "customer_first_name", "customer_last_name", "complaint_number",
    "complaint_type", "complaint_description", "complaint_status", "reported_date", "record_kind", "record_number",
    "fieldworkers", "fieldworker_names", "follow_up_date", "deferred_date", "agent_name", "agent_signature",
    "company_name", "company_logo_url", "company_phone", "company_email", "company_website", "brand_colour",
    "discussion_link", "sla_promise", "public_comments", "open_complaints", "open_complaints_count", "fields",
};
constexpr std::string_view fieldworker_fields[] = {"name"};
constexpr std::string_view comment_fields[] = {"author", "date", "body"};
constexpr std::string_view open_complaint_fields[] = {"complaint_number", "complaint_type", "complaint_status",
                                                      "record_kind", "record_number", "days_open"};
struct ListTag {
  std::string_view name;
  std::span<const std::string_view> fields;
};
constexpr ListTag list_tags[] = {
    {"fieldworkers", fieldworker_fields},
    {"public_comments", comment_fields},
    {"open_complaints", open_complaint_fields},
};

// Every tag once: the top-level ones, then the item fields not among them.
const std::vector<std::string_view> &all_tags() {
  static const std::vector<std::string_view> tags = [] {
    std::vector<std::string_view> out(std::begin(top_level_tags), std::end(top_level_tags));
    for (const auto &list : list_tags)
      for (auto field : list.fields)
        if (std::find(out.begin(), out.end(), field) == out.end()) out.push_back(field);
    return out;
  }();
  return tags;
}

constexpr std::string_view settings_key = "messages.settings";

}  // namespace

std::span<const std::string_view> merge_tags() noexcept { return all_tags(); }

const char *to_string(AcknowledgementMode m) noexcept {
  switch (m) {
    case AcknowledgementMode::automatic: return "automatic";
    case AcknowledgementMode::preview: return "preview";
    case AcknowledgementMode::off: return "off";
  }
  return "?";
}

namespace messages {

namespace {

bool known_tag(std::string_view name) {
  // A case field by name ({{fields.outcome}}): any field name; the strict check
  // and the render decide the rest.
  if (name.starts_with("fields.") && name.size() > 7 && name.find('.', 7) == std::string_view::npos) return true;
  const auto &tags = all_tags();
  return std::find(tags.begin(), tags.end(), name) != tags.end();
}

// The partials a body part is rendered with: the layout's same part.
Partials with_layout(const Template &layout_part) {
  Partials p;
  p.add(std::string(templates::layout), layout_part);
  return p;
}

// The shape of every context, for the save-time check.
const mustache::Shape &context_shape() {
  static const mustache::Shape shape = [] {
    using Kind = mustache::Shape::Kind;
    mustache::Shape root;
    for (auto tag : top_level_tags) {
      mustache::Shape &m = root.members.emplace_back();
      m.name = tag;
      m.kind = Kind::scalar;
      if (tag == "fields") {  // the issue's case fields, by name: {{fields.outcome}}
        m.kind = Kind::object;
        m.open = true;
      }
      for (const auto &list : list_tags)
        if (list.name == tag) {
          m.kind = Kind::list;
          for (auto field : list.fields) m.members.push_back({std::string(field), Kind::scalar, {}});
        }
    }
    return root;
  }();
  return shape;
}

TemplateOptions options_for(const MessageTemplate &t, const char *part, bool html) {
  TemplateOptions o;
  if (t.single_brace) {
    o.open_delimiter = "{";
    o.close_delimiter = "}";
  }
  o.escape_html = html;
  o.strict = true;
  o.name = t.name + "." + part;
  return o;
}

Template compile_part(const MessageTemplate &t, const std::string &source, const char *part, bool html) {
  if (source.size() > limits::template_part_bytes)
    throw InvalidInput(fmt::format("is {} bytes; at most {} allowed", source.size(), limits::template_part_bytes),
                       t.name + "." + part);
  if (!check::is_utf8(source)) throw InvalidInput("is not valid UTF-8", t.name + "." + part);
  Template compiled = Template::compile(source, options_for(t, part, html));
  for (const auto &tag : compiled.tag_references())
    if (!known_tag(tag.name))
      throw TemplateError(fmt::format("unknown merge tag '{}'", check::excerpt(tag.name)), tag.line, tag.column,
                          tag.name, t.name + "." + part);
  return compiled;
}

std::string name_of_user(Op &op, const std::string &id) {
  const User *u = op.users->find(op.txn, id);
  return u && !u->name.empty() ? u->name : id;
}

bool http_url(std::string_view url) {
  return url.empty() || url.starts_with("https://") || url.starts_with("http://");
}

}  // namespace

Compiled compile(const MessageTemplate &t) {
  bool ok = !t.name.empty() && t.name.size() <= limits::template_name_bytes &&
            std::all_of(t.name.begin(), t.name.end(),
                        [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
  if (!ok) throw InvalidInput(fmt::format("must be 1 to {} of a-z, 0-9 and _", limits::template_name_bytes), "name");
  check::text(t.title, "title", limits::name_bytes, false);
  bool is_layout = t.name == templates::layout;
  if (!is_layout && t.subject.empty()) throw InvalidInput("is required", t.name + ".subject");
  return Compiled{t, compile_part(t, t.subject, "subject", false), compile_part(t, t.body_html, "body_html", true),
                  compile_part(t, t.body_text, "body_text", false)};
}

void check(const Compiled &t, const Compiled &layout) {
  // Each part as it is rendered: the subject without partials, the bodies with the layout's.
  Partials html_partials = with_layout(layout.html), text_partials = with_layout(layout.text);
  mustache::check_strict(t.subject, context_shape(), nullptr);
  mustache::check_strict(t.html, context_shape(), &html_partials);
  mustache::check_strict(t.text, context_shape(), &text_partials);
}

MessageSettings load_settings(StorageTransaction &txn) {
  MessageSettings s;
  auto text = txn.setting(settings_key);
  if (!text) return s;
  try {
    auto j = nlohmann::json::parse(*text);
    std::string mode = j.at("acknowledgement");
    s.acknowledgement = mode == "preview" ? AcknowledgementMode::preview
                        : mode == "off"   ? AcknowledgementMode::off
                                          : AcknowledgementMode::automatic;
    const auto &b = j.at("branding");
    s.branding = {b.at("company_name"), b.at("logo_url"), b.at("phone"), b.at("email"),
                  b.at("website"),      b.at("colour"),   b.at("signature")};
    s.sla_promise = j.at("sla_promise");
    s.discussion_url = j.at("discussion_url");
    if (auto it = j.find("reminder_schedule"); it != j.end() && !it->is_null()) {
      WeeklySchedule w;
      for (const auto &day : it->at("days")) {
        auto d = weekday_from_string(day.get<std::string>());
        if (!d) throw StorageError("stored message settings name an unknown weekday");
        w.days[static_cast<std::size_t>(*d)] = true;
      }
      w.minute = it->at("minute").get<std::uint16_t>();
      s.reminder_schedule = w;
    }
  } catch (const nlohmann::json::exception &e) {
    throw StorageError(std::string("stored message settings are corrupt: ") + e.what());
  }
  return s;
}

void save_settings(StorageTransaction &txn, const MessageSettings &s) {
  const Branding &b = s.branding;
  nlohmann::json j{{"acknowledgement", to_string(s.acknowledgement)},
                   {"branding",
                    {{"company_name", b.company_name},
                     {"logo_url", b.logo_url},
                     {"phone", b.phone},
                     {"email", b.email},
                     {"website", b.website},
                     {"colour", b.colour},
                     {"signature", b.signature}}},
                   {"sla_promise", s.sla_promise},
                   {"discussion_url", s.discussion_url}};
  if (s.reminder_schedule) {
    nlohmann::json days = nlohmann::json::array();
    for (std::size_t d = 0; d < 7; ++d)
      if (s.reminder_schedule->days[d]) days.push_back(to_string(static_cast<Weekday>(d)));
    j["reminder_schedule"] = {{"days", days}, {"minute", s.reminder_schedule->minute}};
  }
  txn.put_setting(settings_key, j.dump());
}

void check_settings(const MessageSettings &s) {
  if (s.acknowledgement != AcknowledgementMode::automatic && s.acknowledgement != AcknowledgementMode::preview &&
      s.acknowledgement != AcknowledgementMode::off)
    throw InvalidInput("is not a known mode", "acknowledgement");
  const Branding &b = s.branding;
  check::text(b.company_name, "branding.company_name", limits::name_bytes, true);
  check::text(b.phone, "branding.phone", limits::name_bytes, false);
  check::text(b.email, "branding.email", limits::name_bytes, false);
  check::text(b.signature, "branding.signature", limits::name_bytes, false);
  check::colour(b.colour, "branding.colour");
  for (auto [url, field] : {std::pair{&b.logo_url, "branding.logo_url"}, {&b.website, "branding.website"}}) {
    check::text(*url, field, limits::url_bytes, false);
    if (!http_url(*url)) throw InvalidInput("must start with https:// or http://", field);
  }
  check::text(s.sla_promise, "sla_promise", limits::sla_promise_bytes, false);
  check::text(s.discussion_url, "discussion_url", limits::url_bytes, false);
  if (const auto &w = s.reminder_schedule) {
    if (std::none_of(w->days.begin(), w->days.end(), [](bool d) { return d; }))
      throw InvalidInput("must name at least one day", "reminder_schedule.days");
    if (w->minute >= 1440) throw InvalidInput("must be a time of day before 24:00", "reminder_schedule.at");
  }
  if (!http_url(s.discussion_url)) throw InvalidInput("must start with https:// or http://", "discussion_url");
}

std::optional<MessageTemplate> find(StorageTransaction &txn, std::string_view name) {
  if (auto saved = txn.message_template(name)) return saved;
  if (const MessageTemplate *b = builtin(name)) return *b;
  return std::nullopt;
}

std::string promise(const MessageSettings &settings, const std::string &due) {
  std::string text = settings.sla_promise;
  for (auto at = text.find("{due}"); at != std::string::npos; at = text.find("{due}", at))
    text.replace(at, 5, due.empty() ? "as soon as we can" : due);
  return text;
}

TemplateValue issue_context(Op &op, const Issue &issue, const Record &record, const Actor &agent,
                            const MessageSettings &settings, const std::string &sla_due) {
  const User *registered = op.users->find(op.txn, issue.customer_id);
  std::string customer = registered && !registered->name.empty() ? registered->name : issue.customer_id;
  std::size_t space = customer.find(' ');
  std::string first = registered ? customer.substr(0, space) : "customer";
  std::string last = registered && space != std::string::npos ? customer.substr(space + 1) : "";
  TemplateValue fieldworkers = TemplateValue::list({});
  std::string names;
  for (const auto &fw : issue.fieldworkers) {
    std::string name = name_of_user(op, fw);
    fieldworkers.push_back(TemplateValue::object({{"name", name}}));
    names += (names.empty() ? "" : ", ") + name;
  }
  // Public comments only, whoever reads: internal notes never reach a message.
  TemplateValue comments = TemplateValue::list({});
  for (const auto &c : op.txn.comments(issue.number))
    if (!c.internal)
      comments.push_back(TemplateValue::object({{"author", c.author_id == issue.customer_id ? std::string("You")
                                                                                              : name_of_user(op, c.author_id)},
                                                {"date", Date::of(c.created_at).to_string()},
                                                {"body", c.body}}));
  std::string link = settings.discussion_url;
  if (auto at = link.find("{code}"); at != std::string::npos) link.replace(at, 6, issue.code);
  const Branding &b = settings.branding;
  std::string agent_name = agent.role == Role::system ? b.company_name : name_of_user(op, agent.id);
  // Every field the workflow declares, "" when it has no value.
  TemplateValue fields = TemplateValue::object(std::vector<std::pair<std::string, TemplateValue>>{});
  for (const auto &f : op.caches->workflow(op, issue.workflow).definition().fields) {
    auto it = issue.fields.find(f.name);
    fields.set(f.name, it == issue.fields.end() ? std::string() : it->second);
  }
  return TemplateValue::object({
      {"fields", fields},
      {"customer_name", registered ? customer : std::string("customer")},
      {"customer_first_name", first},
      {"customer_last_name", last},
      {"complaint_number", issue.code},
      {"complaint_type", issue.type},
      {"complaint_description", issue.description},
      {"complaint_status", issue.status},
      {"reported_date", Date::of(issue.created_at).to_string()},
      {"record_kind", to_string(record.ref.kind)},
      {"record_number", record.ref.id},
      {"fieldworkers", fieldworkers},
      {"fieldworker_names", names},
      {"follow_up_date", issue.follow_up_date ? issue.follow_up_date->to_string() : ""},
      {"deferred_date", issue.deferred_date ? issue.deferred_date->to_string() : ""},
      {"agent_name", agent_name},
      {"agent_signature", b.signature},
      {"company_name", b.company_name},
      {"company_logo_url", b.logo_url},
      {"company_phone", b.phone},
      {"company_email", b.email},
      {"company_website", b.website},
      {"brand_colour", b.colour},
      {"discussion_link", link},
      {"sla_promise", promise(settings, sla_due)},
      {"public_comments", comments},
      {"open_complaints", TemplateValue::list({})},
      {"open_complaints_count", 0},
  });
}

TemplateValue reminder_context(Op &op, const std::string &fieldworker, const Actor &agent,
                               const MessageSettings &settings, Timestamp now) {
  IssueQuery q;
  q.filter = IssueFilter::open_issues();
  q.filter.fieldworker = fieldworker;
  q.filter.limit = 500;
  TemplateValue open = TemplateValue::list({});
  auto issues = op.txn.find_issues(q);
  for (const auto &i : issues)
    open.push_back(TemplateValue::object({{"complaint_number", i.code},
                                          {"complaint_type", i.type},
                                          {"complaint_status", i.status},
                                          {"record_kind", to_string(i.record.kind)},
                                          {"record_number", i.record.id},
                                          {"days_open", std::chrono::duration_cast<std::chrono::days>(now - i.created_at).count()}}));
  const Branding &b = settings.branding;
  return TemplateValue::object({
      {"recipient_name", name_of_user(op, fieldworker)}, {"customer_name", ""}, {"customer_first_name", ""},
      {"customer_last_name", ""}, {"complaint_number", ""}, {"complaint_type", ""}, {"complaint_description", ""},
      {"complaint_status", ""}, {"reported_date", ""}, {"record_kind", ""}, {"record_number", ""},
      {"fieldworkers", TemplateValue::list({})}, {"fieldworker_names", ""}, {"follow_up_date", ""},
      {"deferred_date", ""},
      {"agent_name", agent.role == Role::system ? b.company_name : name_of_user(op, agent.id)},
      {"agent_signature", b.signature}, {"company_name", b.company_name}, {"company_logo_url", b.logo_url},
      {"company_phone", b.phone}, {"company_email", b.email}, {"company_website", b.website},
      {"brand_colour", b.colour}, {"discussion_link", ""}, {"sla_promise", promise(settings, "")},
      {"public_comments", TemplateValue::list({})}, {"open_complaints", open},
      {"open_complaints_count", static_cast<std::int64_t>(issues.size())}, {"fields", TemplateValue::object(std::vector<std::pair<std::string, TemplateValue>>{})},
  });
}

RenderedMessage render(const Compiled &t, const Compiled &layout, const TemplateValue &context,
                       const std::string &recipient) {
  Partials html_partials = with_layout(layout.html), text_partials = with_layout(layout.text);
  RenderedMessage m;
  m.template_name = t.source.name;
  m.recipient = recipient;
  m.subject = t.subject.render(context);
  // A subject is one line.
  std::replace_if(m.subject.begin(), m.subject.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  m.body_html = t.html.render(context, &html_partials);
  m.body_text = t.text.render(context, &text_partials);
  return m;
}

std::int64_t queue(Op &op, RenderedMessage &m, const std::string &issue_code, const std::string &key) {
  OutboxItem item;
  item.idempotency_key = key;
  item.kind = OutboxKind::message;
  item.event = "message:" + m.template_name;
  item.issue_code = issue_code;
  item.recipient = m.recipient;
  item.channel = DeliveryChannel::email;
  item.subject = m.subject;
  item.body_text = m.body_text;
  item.body_html = m.body_html;
  item.created_at = op.now;
  m.outbox_id = op.txn.enqueue(item);
  return m.outbox_id;
}

const Compiled &Library::get(StorageTransaction &txn, std::string_view name) {
  if (auto it = cache_.find(name); it != cache_.end()) return it->second;
  auto source = find(txn, name);
  if (!source) throw NotFound(fmt::format("no message template '{}'", check::excerpt(name)), "template");
  try {
    // Not check()ed again: it was when saved, and a stricter check in a later
    // version must not stop a template from sending on the issues it sends on.
    return cache_.emplace(std::string(name), compile(*source)).first->second;
  } catch (const InvalidInput &e) {
    // Saved templates were checked when saved; one that fails now was changed behind the library's back.
    throw StorageError(fmt::format("stored message template '{}' no longer compiles: {}", name, e.what()));
  }
}

std::vector<RenderedMessage> Library::send(Op &op, const Actor &agent, const Issue &issue, const Record &record,
                                           const MessageSettings &settings, const std::string &sla_due,
                                           std::string_view name, Audience audience, const std::string &key_prefix,
                                           bool queue_them) {
  const Compiled &t = get(op.txn, name);
  const Compiled &layout = get(op.txn, templates::layout);
  std::vector<std::string> recipients;
  if (audience == Audience::customer)
    recipients.push_back(issue.customer_id);
  else
    recipients = issue.fieldworkers;
  std::vector<RenderedMessage> out;
  TemplateValue context = issue_context(op, issue, record, agent, settings, sla_due);
  for (const auto &to : recipients) {
    context.set("recipient_name", name_of_user(op, to));
    RenderedMessage m = render(t, layout, context, to);
    if (queue_them) {
      queue(op, m, issue.code, fmt::format("{}/{}/{}", key_prefix, to, m.template_name));
      Event e;
      e.kind = EventKind::message_queued;
      e.at = op.now;
      e.actor_id = agent.id;
      e.actor_role = agent.role;
      e.issue_code = issue.code;
      e.detail = fmt::format("{} to {}", m.template_name, to);
      e.item_id = m.outbox_id;
      op.events.push_back(std::move(e));
    }
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace messages

}  // namespace complaints
