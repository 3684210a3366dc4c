// Engine internals shared by its files: running effects from the one table,
// and the SLA clock bookkeeping every path does the same way.
#pragma once

#include <string>
#include <vector>

#include "complaints/issue.hpp"
#include "complaints/timeline.hpp"
#include "complaints/workflow.hpp"
#include "engine/engine.hpp"
#include "time/sla.hpp"

namespace complaints::engine {

/// Runs effects in order, each through its handler in the effect table.
void run_effects(EffectContext &ctx, const std::vector<EffectDef> &effects);

/// A workflow's policy as the clock functions take it.
timing::SlaPolicy policy_of(const SlaPolicyDef &def);

/// How a clock's state reads on the timeline: "running, due <instant>", "paused", "stopped".
std::string clock_text(const SlaClock &clock);
/// Adds "sla:<name>" before -> after to the entry when the clock's state reads differently.
void log_clock(TimelineEntry &entry, const std::string &before, const SlaClock &clock);
/// Adds a clock to the issue's clocks, kept in name order; returns it.
SlaClock &insert_clock(Issue &issue, SlaClock clock);

/// After a move: stops every clock of a closed issue, and pauses, resumes or
/// stops the others as their policies say for the new status's category.
void apply_status_policies(EffectContext &ctx);

/// Remembers a clock found breached as it stopped, for announce_breaches.
void breached_on_stop(EffectContext &ctx, const SlaClock &clock);
/// Queues the sla_breached events (and notifications) of the clocks a change
/// found breached, once the change is written (`issue` as written, `seq` its entry).
void announce_breaches(EffectContext &ctx, const Issue &issue, std::int64_t seq);

/// Queues an SLA or reminder event about `issue` and tells `recipients`
/// (user ids; the actor excepted) by their notification settings.
void announce_to(Op &op, Event event, const Issue &issue, const Record &record, std::int64_t seq,
                 const std::vector<std::string> &recipients, const std::string &subject, const std::string &body);

/// Who hears of an SLA's warning or breach: the assignee and the registered admins.
std::vector<std::string> sla_recipients(Op &op, const Issue &issue);

}  // namespace complaints::engine
