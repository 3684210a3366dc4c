#include "notify/notify.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "complaints/users.hpp"
#include "access/access.hpp"

namespace complaints::notify {

namespace {

// Why someone is told; a stronger reason wins when one person has several.
enum class Why { rule, reply, mention };

struct Recipient {
  std::string id;
  Role role;
  Why why;
  std::optional<NotificationSettings> settings;  // known when the user was read already
};

bool is_public(EventKind kind) {
  return kind == EventKind::issue_reported || kind == EventKind::status_changed ||
         kind == EventKind::comment_added || kind == EventKind::attachment_added;
}

std::string subject(const IssueNotice &n, Why why) {
  const Issue &issue = n.issue;
  const Event &e = n.event;
  if (why == Why::mention) return fmt::format("{} mentioned you on {}", e.actor_id, issue.code);
  if (why == Why::reply) return fmt::format("{} replied to your comment on {}", e.actor_id, issue.code);
  switch (e.kind) {
    case EventKind::issue_reported: return fmt::format("{} logged: {}", issue.code, issue.type);
    case EventKind::status_changed: return fmt::format("{} is now {}", issue.code, issue.status);
    case EventKind::issue_edited: return fmt::format("{} was edited", issue.code);
    case EventKind::issue_relinked: return fmt::format("{} moved to {}", issue.code, issue.record.to_string());
    case EventKind::comment_added: return fmt::format("New comment on {}", issue.code);
    case EventKind::attachment_added: return fmt::format("New attachment on {}", issue.code);
    case EventKind::issue_linked: return fmt::format("{} was linked: {}", issue.code, e.detail);
    default: return issue.code;
  }
}

std::string body(const IssueNotice &n, const Recipient &r) {
  const Issue &issue = n.issue;
  std::string text = fmt::format("{} on {} ({}): {}", issue.code, issue.record.to_string(), issue.type, issue.status);
  for (const auto &c : n.event.changes)
    if (access::sees_field(Actor{r.id, r.role, {}}, c.field))
      text += fmt::format("\n{}: {} -> {}", c.field, c.before.empty() ? "-" : c.before, c.after.empty() ? "-" : c.after);
  if (!n.text.empty()) text += "\n\n" + n.text;
  return text;
}

bool is_mine(const Issue &issue, const std::string &user, const std::vector<std::string> &watchers) {
  auto in = [&](const std::vector<std::string> &v) { return std::find(v.begin(), v.end(), user) != v.end(); };
  return user == issue.reporter_id || user == issue.assignee || user == issue.customer_id || in(issue.fieldworkers) ||
         in(watchers);
}

// The settings of a recipient: registered ones, or the defaults of their role.
NotificationSettings settings_of(Op &op, const Recipient &r) {
  if (r.settings) return *r.settings;
  if (const User *u = op.users->find(op.txn, r.id)) return u->settings;
  return NotificationSettings::defaults_for(r.role);
}

void enqueue(Op &op, const std::string &key, const Event &e, const std::string &issue_code, const std::string &to,
             DeliveryChannel channel, std::string subject, std::string body, const char *event_name = nullptr) {
  OutboxItem item;
  item.idempotency_key = key;
  item.kind = OutboxKind::notification;
  item.event = event_name ? event_name : to_string(e.kind);
  item.issue_code = issue_code;
  item.recipient = to;
  item.channel = channel;
  item.subject = std::move(subject);
  item.body_text = std::move(body);
  item.created_at = op.now;
  op.txn.enqueue(item);
}

// One item per channel the settings turn on.
template <typename F>
void each_channel(const NotificationSettings &s, F &&f) {
  if (s.push) f(DeliveryChannel::push);
  if (s.sms) f(DeliveryChannel::sms);
  if (s.email) f(DeliveryChannel::email);
}

}  // namespace

void queue(Op &op, const IssueNotice &n) {
  const Issue &issue = n.issue;
  std::vector<Recipient> people;
  auto add = [&](const std::string &id, Role role, Why why, std::optional<NotificationSettings> settings = {}) {
    if (id.empty() || id == n.event.actor_id) return;
    Actor who{id, role, {}};
    if (!access::sees_issue(who, issue, n.record)) return;
    if (role == Role::customer && n.internal) return;  // internal content never reaches a customer
    auto it = std::find_if(people.begin(), people.end(), [&](const Recipient &r) { return r.id == id; });
    if (it == people.end())
      people.push_back({id, role, why, std::move(settings)});
    else
      it->why = std::max(it->why, why);
  };
  // A registered user comes with their role and settings; anyone else gets the
  // role we met them in.
  auto add_user = [&](const std::string &id, Role fallback, Why why) {
    if (const User *u = op.users->find(op.txn, id))
      add(id, u->role, why, u->settings);
    else
      add(id, fallback, why);
  };

  for (const auto &admin : op.users->admins(op.txn)) add(admin.id, Role::admin, Why::rule, admin.settings);
  for (const auto &fw : n.record.fieldworkers) add(fw, Role::fieldworker, Why::rule);
  auto watchers = op.txn.watchers(issue.number);
  for (const auto &w : watchers)
    if (const User *u = op.users->find(op.txn, w)) add(w, u->role, Why::rule, u->settings);
  if (is_public(n.event.kind) && !n.internal) add(issue.customer_id, Role::customer, Why::rule);
  if (n.reply_to_author) add_user(*n.reply_to_author, Role::office, Why::reply);
  for (const auto &m : n.mentioned) add_user(m, Role::office, Why::mention);

  for (const auto &r : people) {
    NotificationSettings s = settings_of(op, r);
    bool wanted = s.scope == NotifyScope::all || r.why != Why::rule ||
                  (s.scope == NotifyScope::mine && is_mine(issue, r.id, watchers));
    if (!wanted) continue;
    const char *event_name = r.why == Why::mention ? "user_mentioned" : nullptr;
    std::string subject_text = subject(n, r.why), body_text = body(n, r);
    each_channel(s, [&](DeliveryChannel ch) {
      enqueue(op, fmt::format("{}/{}/{}/{}", issue.code, n.seq, r.id, to_string(ch)), n.event, issue.code, r.id, ch,
              subject_text, body_text, event_name);
    });
  }
}

void queue_hold(Op &op, const Event &event, const PaymentHold &hold, const HoldLedgerEntry &line) {
  bool released = event.kind == EventKind::payment_released;
  std::string subject_text =
      fmt::format("{} payment for {} is {}", hold.fieldworker, hold.record.to_string(), released ? "released" : "on hold");
  std::string body_text =
      released ? fmt::format("The payment of {} for {} was released{}. Reason: {}", hold.fieldworker,
                             hold.record.to_string(),
                             line.issues.empty() ? std::string() : fmt::format(" ({})", fmt::join(line.issues, ", ")),
                             line.reason)
               : fmt::format("The payment of {} for {} is withheld while {} is resolved. Reason: {}", hold.fieldworker,
                             hold.record.to_string(),
                             line.issues.empty() ? std::string("a billing dispute")
                                                 : fmt::format("{}", fmt::join(line.issues, ", ")),
                             line.reason);
  std::vector<Recipient> people{{hold.fieldworker, Role::fieldworker, Why::rule, {}}};
  for (const auto &admin : op.users->admins(op.txn))
    if (admin.id != hold.fieldworker) people.push_back({admin.id, Role::admin, Why::rule, admin.settings});
  std::string own_subject =
      fmt::format("Your payment for {} is {}", hold.record.to_string(), released ? "released" : "on hold");
  for (const auto &r : people) {
    if (r.id == event.actor_id) continue;
    NotificationSettings s = settings_of(op, r);
    if (s.scope == NotifyScope::replies) continue;
    if (s.scope == NotifyScope::mine && r.id != hold.fieldworker) continue;
    bool own = r.id == hold.fieldworker;
    each_channel(s, [&](DeliveryChannel ch) {
      enqueue(op, fmt::format("hold/{}/{}/{}", line.id, r.id, to_string(ch)), event, event.issue_code, r.id, ch,
              own ? own_subject : subject_text, body_text);
    });
  }
}

void queue_direct(Op &op, const Event &event, const Issue &issue, const Record &record, std::int64_t seq,
                  const std::vector<std::string> &recipients, const std::string &subject, const std::string &body) {
  std::vector<std::string> watchers;
  bool watchers_read = false;
  for (const auto &id : recipients) {
    if (id.empty() || id == event.actor_id) continue;
    const User *u = op.users->find(op.txn, id);
    Role role = u ? u->role : Role::office;
    if (role == Role::customer || !access::sees_issue(Actor{id, role, {}}, issue, record)) continue;
    NotificationSettings s = u ? u->settings : NotificationSettings::defaults_for(role);
    if (s.scope == NotifyScope::replies) continue;
    if (s.scope == NotifyScope::mine) {
      if (!watchers_read) {
        watchers = op.txn.watchers(issue.number);
        watchers_read = true;
      }
      if (!is_mine(issue, id, watchers)) continue;
    }
    each_channel(s, [&](DeliveryChannel ch) {
      enqueue(op, fmt::format("{}/{}/{}:{}/{}/{}", issue.code, seq, to_string(event.kind), event.detail, id, to_string(ch)),
              event, issue.code, id, ch, subject, body);
    });
  }
}

void queue_deleted(Op &op, const Event &event, const std::vector<Actor> &recipients) {
  std::string subject_text = fmt::format("{} was deleted", event.issue_code);
  std::string body_text = fmt::format("Complaint {} was deleted.", event.issue_code);
  for (const auto &r : recipients) {
    if (r.id == event.actor_id) continue;
    NotificationSettings s = settings_of(op, Recipient{r.id, r.role, Why::rule, {}});
    if (s.scope == NotifyScope::replies) continue;  // a deletion is neither a reply nor a mention
    each_channel(s, [&](DeliveryChannel ch) {
      enqueue(op, fmt::format("{}/deleted/{}/{}", event.issue_code, r.id, to_string(ch)), event, event.issue_code, r.id,
              ch, subject_text, body_text);
    });
  }
}

}  // namespace complaints::notify
