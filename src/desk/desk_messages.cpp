// The Desk's customer messages (SPEC R7); templates and rendering are in messages/.
#include "desk/impl.hpp"
#include "messages/builtin.hpp"

namespace complaints {

namespace {

void check_template_name(std::string_view name) { check::name(name, "name", 64); }

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
      messages::check(compiled, impl_->library.get(op.txn, templates::layout));
    } else {
      messages::check(compiled, compiled);
      // Every template in force, built-in or saved, may extend the layout: each must still pass with the new one.
      for (const auto &name : names_in_force(op.txn))
        if (name != templates::layout) messages::check(impl_->library.get(op.txn, name), compiled);
    }
    MessageTemplate saved = t;
    saved.builtin = false;
    op.txn.put_message_template(saved);
    impl_->bump_revision(op);
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
        for (const auto &a : impl_->workflow(op.txn, wf_name).definition().actions)
          for (const auto &e : a.effects)
            if (e.type == "send_template" && e.params.at("template") == name)
              throw InvalidState(fmt::format("workflow '{}' sends '{}' in action '{}'", check::excerpt(wf_name),
                                             check::excerpt(name), check::excerpt(a.name)),
                                 "name");
    if (!op.txn.delete_message_template(name))
      throw NotFound(fmt::format("no saved template '{}'", check::excerpt(name)), "name");
    impl_->bump_revision(op);
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
    impl_->bump_revision(op);
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
    return impl_->library.send(op, actor, row.issue, record, name, audience, "", false);
  });
}

std::vector<RenderedMessage> Desk::send_message(const Actor &actor, std::string_view code, std::string_view name,
                                                Audience audience) {
  check_message_call(actor, code, name, audience);
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto [row, record] = Impl::visible_issue(op.txn, actor, code);
    std::int64_t seq = row.timeline_seq + 1;
    auto sent = impl_->library.send(op, actor, row.issue, record, name, audience,
                                    fmt::format("msg/{}/{}", row.issue.code, seq), true);
    TimelineEntry entry;
    entry.kind = entry_kind::message;
    for (const auto &m : sent) entry.changes.push_back({"message", "", m.template_name + " to " + m.recipient});
    entry.note = sent.empty() ? "" : sent.front().subject;
    entry.internal = audience != Audience::customer;
    Impl::write(op, actor, row, row.issue, entry, false);
    return sent;
  });
}

RenderedMessage Desk::Impl::reminder(Op &op, const Actor &actor, std::string_view fieldworker) {
  const messages::Compiled &t = library.get(op.txn, templates::open_complaints_reminder);
  const messages::Compiled &layout = library.get(op.txn, templates::layout);
  auto context = messages::reminder_context(op.txn, std::string(fieldworker), actor, messages::load_settings(op.txn),
                                            op.now);
  return messages::render(t, layout, context, std::string(fieldworker));
}

RenderedMessage Desk::preview_reminder(const Actor &actor, std::string_view fieldworker) {
  access::check_actor(actor);
  access::require_staff(actor, "sending reminders");
  check::id(fieldworker, "fieldworker", limits::id_bytes);
  return impl_->run(TxnMode::read, [&](Op &op) { return impl_->reminder(op, actor, fieldworker); });
}

RenderedMessage Desk::send_reminder(const Actor &actor, std::string_view fieldworker) {
  access::check_actor(actor);
  access::require_staff(actor, "sending reminders");
  check::id(fieldworker, "fieldworker", limits::id_bytes);
  return impl_->run(TxnMode::write, [&](Op &op) {
    RenderedMessage m = impl_->reminder(op, actor, fieldworker);
    // Reminders have no issue: a counter keeps their keys unique.
    std::int64_t n = std::stoll(op.txn.setting("messages.reminders").value_or("0")) + 1;
    op.txn.put_setting("messages.reminders", std::to_string(n));
    messages::queue(op, m, "", fmt::format("msg/reminder/{}/{}", n, fieldworker));
    Event e;
    e.kind = EventKind::message_queued;
    e.at = op.now;
    e.actor_id = actor.id;
    e.actor_role = actor.role;
    e.detail = fmt::format("{} to {}", m.template_name, m.recipient);
    e.item_id = m.outbox_id;
    op.events.push_back(std::move(e));
    return m;
  });
}

}  // namespace complaints
