// The Desk's customer messages (SPEC R7); templates and rendering are in messages/.
#include "desk/impl.hpp"
#include "engine/due.hpp"
#include "engine/engine.hpp"
#include "engine/reminders.hpp"
#include "messages/builtin.hpp"

#include <charconv>

namespace complaints {

namespace {

void check_template_name(std::string_view name) { check::name(name, "name", limits::template_name_bytes); }

// Built-in and saved template names, ascending, each once.
std::vector<std::string> names_in_force(StorageTransaction &txn) {
  std::vector<std::string> names = txn.message_template_names();
  for (const auto &b : messages::builtin_templates()) names.push_back(b.name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace

MessageTemplate Desk::save_template(const Actor &actor, const MessageTemplate &t) {
  access::check_actor(actor);
  access::require_staff(actor, Permission::manage_settings, "saving a message template");
  return impl_->run(TxnMode::write, [&](Op &op) {
    // Checked against the layout in force (or this one, when it is the layout).
    messages::Compiled compiled = messages::compile(t);
    if (t.name != templates::layout) {
      messages::check(compiled, op.caches->library(op).get(op.txn, templates::layout));
    } else {
      messages::check(compiled, compiled);
      // Every template in force, built-in or saved, may extend the layout: each must still pass with the new one.
      for (const auto &name : names_in_force(op.txn))
        if (name != templates::layout) messages::check(op.caches->library(op).get(op.txn, name), compiled);
    }
    MessageTemplate saved = t;
    saved.builtin = false;
    op.txn.put_message_template(saved);
    op.caches->bump_revision(op);
    return saved;
  });
}

void Desk::reset_template(const Actor &actor, std::string_view name) {
  access::check_actor(actor);
  access::require_staff(actor, Permission::manage_settings, "resetting a message template");
  check_template_name(name);
  impl_->run(TxnMode::write, [&](Op &op) {
    if (!messages::builtin(name))
      for (const auto &wf_name : op.txn.workflow_names())
        for (const auto &a : op.caches->workflow(op, wf_name).definition().actions)
          for (const auto &e : a.effects)
            if (e.type == "send_template" && e.params.at("template") == name)
              throw InvalidState(fmt::format("workflow '{}' sends '{}' in action '{}'", check::excerpt(wf_name),
                                             check::excerpt(name), check::excerpt(a.name)),
                                 "name");
    if (!op.txn.delete_message_template(name))
      throw NotFound(fmt::format("no saved template '{}'", check::excerpt(name)), "name");
    op.caches->bump_revision(op);
    return 0;
  });
}

MessageTemplate Desk::message_template(const Actor &actor, std::string_view name) {
  access::check_actor(actor);
  access::require_staff(actor, "reading message templates");
  check_template_name(name);
  return impl_->run(TxnMode::read, [&](Op &op) {
    auto t = messages::find(op.txn, name);
    if (!t) throw NotFound(fmt::format("no message template '{}'", check::excerpt(name)), "name");
    return *t;
  });
}

std::vector<std::string> Desk::template_names(const Actor &actor) {
  access::check_actor(actor);
  access::require_staff(actor, "reading message templates");
  return impl_->run(TxnMode::read, [&](Op &op) { return names_in_force(op.txn); });
}

void Desk::set_message_settings(const Actor &actor, const MessageSettings &settings) {
  access::check_actor(actor);
  access::require_staff(actor, Permission::manage_settings, "changing message settings");
  messages::check_settings(settings);
  impl_->run(TxnMode::write, [&](Op &op) {
    messages::save_settings(op.txn, settings);
    op.caches->bump_revision(op);
    engine::schedule_reminders(op);
    return 0;
  });
}

MessageSettings Desk::message_settings(const Actor &actor) {
  access::check_actor(actor);
  access::require_staff(actor, "reading message settings");
  return impl_->run(TxnMode::read, [](Op &op) { return messages::load_settings(op.txn); });
}

namespace {

void check_message_call(const Actor &actor, std::string_view code, std::string_view name, Audience audience) {
  access::check_actor(actor);
  access::require_staff(actor, "sending messages");
  parse_issue_code(code);
  check_template_name(name);
  if (audience != Audience::customer && audience != Audience::fieldworkers)
    throw InvalidInput("is not a known audience", "audience");
}

}  // namespace

std::vector<RenderedMessage> Desk::preview_message(const Actor &actor, std::string_view code, std::string_view name,
                                                   Audience audience) {
  check_message_call(actor, code, name, audience);
  return impl_->run(TxnMode::read, [&](Op &op) {
    auto [row, record] = Impl::visible_issue(op.txn, actor, code);
    const Workflow &wf = op.caches->workflow(op, row.issue.workflow);
    return op.caches->library(op).send(op, actor, row.issue, record, op.caches->message_settings(op),
                                          engine::promise_due(op, wf, row.issue), name, audience, "", false);
  });
}

std::vector<RenderedMessage> Desk::send_message(const Actor &actor, std::string_view code, std::string_view name,
                                                Audience audience) {
  check_message_call(actor, code, name, audience);
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto [row, record] = Impl::visible_issue(op.txn, actor, code);
    const Workflow &wf = op.caches->workflow(op, row.issue.workflow);
    Issue after = row.issue;
    TimelineEntry entry;
    entry.kind = entry_kind::message;
    entry.internal = audience != Audience::customer;
    engine::Inputs no_inputs;
    engine::EffectContext ctx{op, actor, wf, record, no_inputs, after, entry, "message", nullptr, row.timeline_seq + 1};
    auto sent = engine::send_message(ctx, name, audience);
    entry.note = sent.empty() ? "" : sent.front().subject;
    // Sending the acknowledgement may start its SLA: a change to the issue itself.
    bool changed = !(after == row.issue);
    engine::write(op, actor, row, std::move(after), entry, changed);
    return sent;
  });
}

RenderedMessage Desk::preview_reminder(const Actor &actor, std::string_view fieldworker) {
  access::check_actor(actor);
  access::require_staff(actor, "sending reminders");
  check::id(fieldworker, "fieldworker", limits::id_bytes);
  return impl_->run(TxnMode::read,
                    [&](Op &op) { return engine::render_reminder(op, actor, std::string(fieldworker)); });
}

RenderedMessage Desk::send_reminder(const Actor &actor, std::string_view fieldworker) {
  access::check_actor(actor);
  access::require_staff(actor, "sending reminders");
  check::id(fieldworker, "fieldworker", limits::id_bytes);
  return impl_->run(TxnMode::write, [&](Op &op) {
    RenderedMessage m = engine::render_reminder(op, actor, std::string(fieldworker));
    // Reminders sent by hand have no issue and no schedule: a counter keeps their keys unique.
    std::string count = op.txn.setting("messages.reminders").value_or("0");
    std::int64_t n = 1;
    std::from_chars(count.data(), count.data() + count.size(), n);
    op.txn.put_setting("messages.reminders", std::to_string(n + 1));
    engine::queue_reminder(op, actor, m, fmt::format("msg/reminder/{}/{}", n + 1, fieldworker));
    return m;
  });
}

}  // namespace complaints
