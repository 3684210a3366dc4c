// The Open Complaints Reminder (SPEC R7.2, seed 001): a fieldworker's open
// complaints in one message, sent by hand (Desk::send_reminder) or on the
// schedule in the message settings (Desk::process_due).
#pragma once

#include <cstddef>
#include <string>

#include "complaints/messages.hpp"
#include "core/op.hpp"

namespace complaints::engine {

/// The reminder for `fieldworker`, rendered (not queued).
RenderedMessage render_reminder(Op &op, const Actor &actor, const std::string &fieldworker);

/// Queues a rendered reminder under `key` (unique and stable) and records its message_queued event.
void queue_reminder(Op &op, const Actor &actor, RenderedMessage &message, const std::string &key);

/// The scheduled run due at `due_at`: a reminder to each fieldworker with an
/// open complaint, keyed by the run, so a run repeated is queued once.
/// Returns how many fieldworkers were reminded.
std::size_t send_scheduled_reminders(Op &op, const Actor &actor, Timestamp due_at);

}  // namespace complaints::engine
