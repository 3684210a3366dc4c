// The workflow engine (SPEC R3): the one path that takes an action on an
// issue - for Desk::act, for a report's on_report effects and for timers
// fired by Desk::process_due - and the effects an action runs, all inside
// the operation's open transaction. The facade validates the host's input,
// opens the operation, calls here, commits and fires the events.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "complaints/issue.hpp"
#include "complaints/messages.hpp"
#include "complaints/record.hpp"
#include "complaints/timeline.hpp"
#include "complaints/workflow.hpp"
#include "core/op.hpp"
#include "holds/holds.hpp"

namespace complaints::engine {

using Inputs = std::map<std::string, std::string, std::less<>>;

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
  std::int64_t next_seq = 1;                     ///< seq the change's timeline entry will get
  /// Messages this change queued (template, audience): each goes once per change.
  std::vector<std::pair<std::string, Audience>> sent{};
  /// SLA clocks this change found breached as it stopped them.
  std::vector<std::string> breached{};
  /// Tasks the change's create_task effects made, written with it (engine/tasks.hpp).
  std::vector<Task> created_tasks{};
  /// The task whose event runs the workflow's rules (reassign to its assignee or creator); null otherwise.
  const Task *task = nullptr;
  /// True while rules run: what they do sets off no further rules.
  bool in_rules = false;
};

/// Takes `request.action` on the issue `before` (read in op's transaction, on
/// `record`) as `actor`: the one path of every action. Checks, in order, the
/// expected version (Conflict), that the workflow has the action
/// (InvalidInput "action"), that the actor may take it (Forbidden), that it
/// applies to the current status (InvalidState), its inputs (InvalidInput
/// "inputs.<name>"); then moves the issue, runs the action's effects, applies
/// the SLA policies of the new status, and writes and announces the change
/// (status_changed). `fired` is the timer that takes the action, when
/// process_due does: it leaves the issue with the change. Returns the issue as
/// written.
Issue act(Op &op, const Actor &actor, const IssueRow &before, const Record &record, const ActionRequest &request,
          const IssueTimer *fired = nullptr);

/// Files a new issue from `draft` (every field the report gave; number, code,
/// status and times are set here): puts it in the workflow's initial status,
/// runs the on_report effects and the automatic acknowledgement, and writes
/// and announces it (issue_reported). Returns the issue as written.
Issue report(Op &op, const Actor &actor, const Record &record, const Workflow &wf, Issue draft,
             const holds::Amounts &hold_amounts);

/// Runs the withhold effects of the workflow's on_report, with their
/// parameters, for an issue that now sits on ctx.record (a quote's issues
/// relinked to the booking it became): the holds reporting it there would
/// have made. Its other on_report effects are not run again.
void withhold_as_reported(EffectContext &ctx);

/// Sends (queues) the customer message `name` to `audience` as part of the
/// change in ctx, logging each on ctx.entry, once per change (a second send
/// returns nothing): the
/// send_template effect and the acknowledgement a report sends. Sending the
/// acknowledgement to the customer starts the workflow's "acknowledgement"
/// SLA, when it declares one and it is not already counting (SPEC R7.4).
std::vector<RenderedMessage> send_message(EffectContext &ctx, std::string_view name, Audience audience);

/// The due date the sla_promise merge tag names for the issue ("Tuesday 6
/// January 2026"): its acknowledgement clock's, or, before one runs, the one
/// sending the acknowledgement now would set; "" when the workflow has no
/// acknowledgement policy.
std::string promise_due(Op &op, const Workflow &wf, const Issue &issue);

/// Checks request inputs against the action's declarations: no undeclared
/// input, every required one present, each value valid for its type.
/// Throws InvalidInput naming "inputs.<name>".
void check_inputs(const Workflow &wf, const ActionDef &action, const Inputs &inputs);

/// Moves the issue to `status`: sets status, category and stage (a status in
/// a stage sets the stage; one outside every stage keeps it).
void move_to(const Workflow &wf, Issue &issue, const std::string &status);

/// The current stage's status of `category` (the first listed); InvalidState
/// at "action" naming `who` when the stage has none.
std::string stage_status(const Workflow &wf, const Issue &issue, StatusCategory category, const std::string &who);

}  // namespace complaints::engine
