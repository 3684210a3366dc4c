// The workflow engine: turns an action request into the issue's next state,
// running the action's effects inside the operation's transaction.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "complaints/issue.hpp"
#include "complaints/record.hpp"
#include "complaints/timeline.hpp"
#include "complaints/workflow.hpp"
#include "core/op.hpp"
#include "holds/holds.hpp"
#include "messages/messages.hpp"

namespace complaints::engine {

using Inputs = std::map<std::string, std::string, std::less<>>;

/// Checks request inputs against the action's declarations: no undeclared
/// input, every required one present, each value valid for its type.
/// Throws InvalidInput naming "inputs.<name>".
void check_inputs(const Workflow &wf, const ActionDef &action, const Inputs &inputs);

/// The status the action leads to from the issue's current state.
std::string target_status(const Workflow &wf, const ActionDef &action, const Issue &issue, const Inputs &inputs);

/// Moves the issue to `status`: sets status, category and stage (a status in
/// a stage sets the stage; one outside every stage keeps it).
void move_to(const Workflow &wf, Issue &issue, const std::string &status);

/// What an effect may read and change.
struct EffectContext {
  Op &op;
  const Actor &actor;
  const Workflow &workflow;
  const Record &record;
  const Inputs &inputs;
  Issue &issue;          ///< the issue as it will be committed
  TimelineEntry &entry;  ///< the entry recording this change
  std::string cause;     ///< "reported" or the action's name
  const holds::Amounts *hold_amounts = nullptr;  ///< amounts given when reporting
  messages::Library *library = nullptr;          ///< the desk's message templates
  std::int64_t next_seq = 1;                     ///< seq the change's timeline entry will get
};

/// Runs effects in order. `path` is the JSON path of the list, for errors.
/// Throws InvalidWorkflow for an effect this build cannot run yet.
void run_effects(EffectContext &ctx, const std::vector<EffectDef> &effects, const std::string &path);

/// Runs the withhold effects of the workflow's on_report, with their
/// parameters, for an issue that now sits on ctx.record (a quote's issues
/// relinked to the booking it became): the holds reporting it there would
/// have made. Its other on_report effects (messages, assignment) are not run
/// again.
void withhold_as_reported(EffectContext &ctx);

/// Sends (queues) the customer message `name` to `audience` as part of the
/// change in ctx, logging each on ctx.entry: the send_template effect, and the
/// acknowledgement a report sends.
void send_message(EffectContext &ctx, std::string_view name, Audience audience);

/// Checks the action's guards; throws InvalidState naming the failed one.
void check_guards(const Workflow &wf, const ActionDef &action, const std::string &path);

/// The JSON path of an action in its workflow ("$.actions[3]").
std::string action_path(const Workflow &wf, const ActionDef &action);

}  // namespace complaints::engine
