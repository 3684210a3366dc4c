// Customer messages (SPEC R7): compiling and checking templates, building the
// merge-tag context of an issue for one recipient, rendering, and queueing
// the result in the outbox with its timeline line.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "complaints/issue.hpp"
#include "complaints/messages.hpp"
#include "complaints/record.hpp"
#include "complaints/template_renderer.hpp"
#include "complaints/timeline.hpp"
#include "core/op.hpp"

namespace complaints::messages {

/// A template compiled for rendering: its three parts.
struct Compiled {
  MessageTemplate source;
  Template subject;
  Template html;
  Template text;
};

/// Compiles a template: each part must parse and use only catalogue merge
/// tags. Throws TemplateError naming the template, part, line and column, or
/// InvalidInput for a bad name or size.
Compiled compile(const MessageTemplate &t);

/// Checks that each part of `t` renders in strict mode for every issue,
/// whatever its data (mustache::check_strict over the shape of the contexts
/// built here): the subject without partials, the bodies with `layout`'s
/// (`t` itself when it is the layout). So a tag unset where it stands, a
/// missing partial or a recursive one fails when the template is saved, not
/// in a customer's inbox. Throws TemplateError naming the template, part,
/// line and column.
void check(const Compiled &t, const Compiled &layout);

/// The settings stored in the database (defaults when none were saved).
MessageSettings load_settings(StorageTransaction &txn);
void save_settings(StorageTransaction &txn, const MessageSettings &s);
/// Checks settings from a host: InvalidInput naming the field.
void check_settings(const MessageSettings &s);

/// The template named `name`: saved in the database, else built in. nullopt if neither.
std::optional<MessageTemplate> find(StorageTransaction &txn, std::string_view name);

/// The sla_promise merge tag: the settings' promise with "{due}" replaced by
/// `due` ("as soon as we can" when it is empty).
std::string promise(const MessageSettings &settings, const std::string &due);

/// Merge tags of an issue, the same for every recipient ("recipient_name" is
/// set per recipient). Only public comments are ever included, whoever reads.
/// `sla_due` is the acknowledgement SLA's due date, for sla_promise.
TemplateValue issue_context(Op &op, const Issue &issue, const Record &record, const Actor &agent,
                            const MessageSettings &settings, const std::string &sla_due);

/// Merge tags of the open-complaints reminder for a fieldworker.
TemplateValue reminder_context(Op &op, const std::string &fieldworker, const Actor &agent,
                               const MessageSettings &settings, Timestamp now);

/// Renders a compiled template against a context, with the layout as partial.
RenderedMessage render(const Compiled &t, const Compiled &layout, const TemplateValue &context,
                       const std::string &recipient);

/// Queues a rendered message to its recipient (kind message, channel email)
/// and returns its outbox id. `key` must be unique and stable.
std::int64_t queue(Op &op, RenderedMessage &m, const std::string &issue_code, const std::string &key);

/// The compiled templates of one desk. The engine's caches clear it whenever
/// the database's settings revision moves (saving a template or settings
/// bumps it, in any process).
class Library {
 public:
  /// Forgets every compiled template.
  void clear() noexcept { cache_.clear(); }
  /// The template `name`, compiled. NotFound when it does not exist.
  const Compiled &get(StorageTransaction &txn, std::string_view name);

  /// Renders template `name` for the issue's `audience` (one message per
  /// recipient) and, with `queue_them`, queues each under the key
  /// "<key_prefix>/<recipient>/<template>" and records an event.
  std::vector<RenderedMessage> send(Op &op, const Actor &agent, const Issue &issue, const Record &record,
                                    const MessageSettings &settings, const std::string &sla_due,
                                    std::string_view name, Audience audience, const std::string &key_prefix,
                                    bool queue_them);

 private:
  std::map<std::string, Compiled, std::less<>> cache_;
};

/// The settings revision key the Desk and the Library watch.
inline constexpr std::string_view revision_key = "settings.revision";

}  // namespace complaints::messages
