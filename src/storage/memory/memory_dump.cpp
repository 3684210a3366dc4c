// The in-memory backend's dump: every stored value, rendered deterministically.
#include <fmt/format.h>

#include "storage/codec.hpp"
#include "storage/memory/memory.hpp"

namespace complaints::memory_backend {

std::string MemoryTransaction::dump() {
  std::string out;
  for (const auto &[k, v] : state_.settings) out += fmt::format("setting {}={}\n", k, v);
  out += fmt::format("counter issue_number={}\ncounter outbox_id={}\n", state_.last_issue_number,
                     state_.last_outbox_id);
  for (const auto &[name, wf] : state_.workflows)
    out += fmt::format("workflow {} rev {}: {}\n", name, wf.revision, wf.json);
  for (const auto &t : state_.issue_types) out += fmt::format("type {} {}\n", t.name, t.colour);
  for (const auto &[ref, r] : state_.records)
    out += fmt::format("record {} customer={} visibility={} paid_out={} invoice={} fieldworkers={}\n",
                       ref.to_string(), r.customer_id, to_string(r.visibility), r.paid_out, r.invoice_id,
                       fmt::join(r.fieldworkers, ","));
  for (const auto &[n, row] : state_.issues) {
    const Issue &i = row.issue;
    out += fmt::format(
        "issue {} record={} customer={} fieldworkers={} type={} description={} to_follow={} deferred={} "
        "follow_up={} workflow={} status={} category={} stage={} assignee={} reporter={}/{} channel={} "
        "created={} updated={} version={} head={}/{} timers={} slas={} reminder={}\n",
        i.code, i.record.to_string(), i.customer_id, fmt::join(i.fieldworkers, ","), i.type, i.description,
        i.to_follow, i.deferred_date ? i.deferred_date->to_string() : "-",
        i.follow_up_date ? i.follow_up_date->to_string() : "-", i.workflow, i.status, to_string(i.category),
        i.stage, i.assignee, i.reporter_id, to_string(i.reporter_role), to_string(i.channel), to_millis(i.created_at),
        to_millis(i.updated_at), i.version, row.timeline_seq, row.timeline_hash, codec::encode_timers(i.timers),
        codec::encode_clocks(i.slas), i.reminder_at ? to_millis(*i.reminder_at) : 0);
  }
  for (const auto &[n, list] : state_.periods)
    for (const auto &p : list)
      out += fmt::format("period {} {} {} {} {} {}\n", n, p.status, to_string(p.category), p.stage,
                         to_millis(p.since), p.until ? to_millis(*p.until) : -1);
  for (const auto &[n, t] : state_.search)
    out += fmt::format("search {} customer={} staff={}\n", n, t[0].text, t[1].text);
  for (const auto &[n, entries] : state_.timeline)
    for (const auto &e : entries)
      out += fmt::format("timeline {} #{} at={} actor={}/{} kind={} action={} changes={} note={} internal={} "
                         "hash={}<-{}\n",
                         e.issue_code, e.seq, to_millis(e.at), e.actor_id, to_string(e.actor_role), e.kind,
                         e.action, codec::encode_changes(e.changes), e.note, e.internal, e.hash, e.prev_hash);
  for (const auto &[id, item] : state_.outbox)
    out += fmt::format("outbox {} key={} kind={} event={} issue={} to={} via={} subject={} text={} html={} at={}\n",
                       id, item.idempotency_key, to_string(item.kind), item.event, item.issue_code, item.recipient,
                       to_string(item.channel), item.subject, item.body_text, item.body_html,
                       to_millis(item.created_at));
  for (const auto &[key, h] : state_.holds) {
    PaymentHold full = with_links(key, h);
    out += fmt::format("hold {} {} state={} amount={} scope={} since={} released={} issues={}\n",
                       h.record.to_string(), h.fieldworker, to_string(h.state),
                       h.amount ? h.amount->to_string() : "-", to_string(h.scope), to_millis(h.since),
                       h.released_at ? to_millis(*h.released_at) : 0, fmt::join(full.issues, ","));
    out += fmt::format("hold {} {} blocking={}\n", h.record.to_string(), h.fieldworker, fmt::join(full.blocking, ","));
  }
  for (const auto &[n, set] : state_.readers) out += fmt::format("readers {} {}\n", n, fmt::join(set, ","));
  for (const auto &[id, e] : state_.ledger)
    out += fmt::format("ledger {} {} {} {} at={} actor={}/{} reason={} issues={} amount={} override={}\n", id,
                       e.record.to_string(), e.fieldworker, to_string(e.action), to_millis(e.at), e.actor_id,
                       to_string(e.actor_role), e.reason, fmt::join(e.issues, ","),
                       e.amount ? e.amount->to_string() : "-", e.override_release);
  out += fmt::format("counter ledger_id={}\n", state_.last_ledger_id);
  for (const auto &[id, g] : state_.groups)
    out += fmt::format("group {} name={} members={}\n", id, g.name, fmt::join(g.members, ","));
  out += fmt::format("counter task_id={}\n", state_.last_task_id);
  for (const auto &[id, t] : state_.tasks)
    out += fmt::format("task {} {} kind={} stage={} group={} assignee={} state={} mandatory={} access={} "
                       "instructions={} by={} created={} updated={} done={} done_by={} notes={} slas={} version={}\n",
                       id, t.issue_code, t.kind, t.stage, t.group, t.assignee, to_string(t.state), t.mandatory,
                       to_string(t.access), t.instructions, t.created_by, to_millis(t.created_at),
                       to_millis(t.updated_at), t.done_at ? to_millis(*t.done_at) : 0, t.done_by, t.notes,
                       codec::encode_clocks(t.slas), t.version);
  for (const auto &[id, u] : state_.users)
    out += fmt::format("user {} {} {} scope={} push={} sms={} email={}\n", id, to_string(u.role), u.name,
                       to_string(u.settings.scope), u.settings.push, u.settings.sms, u.settings.email);
  for (const auto &[id, c] : state_.comments)
    out += fmt::format("comment {} {} by={}/{} internal={} reply_to={} mentions={} at={} body={}\n", id, c.issue_code,
                       c.author_id, to_string(c.author_role), c.internal, c.reply_to.value_or(0),
                       fmt::join(c.mentions, ","), to_millis(c.created_at), c.body);
  for (const auto &[id, a] : state_.attachments)
    out += fmt::format("attachment {} {} comment={} name={} type={} size={} sha={} key={} internal={} by={} at={} "
                       "bytes={}\n",
                       id, a.issue_code, a.comment_id.value_or(0), a.name, a.media_type, a.size, a.sha256,
                       a.storage_key, a.internal, a.uploaded_by, to_millis(a.created_at), a.bytes);
  out += fmt::format("counter comment_id={} attachment_id={}\n", state_.last_comment_id, state_.last_attachment_id);
  for (const auto &[n, set] : state_.watchers) out += fmt::format("watchers {} {}\n", n, fmt::join(set, ","));
  for (const auto &[key, l] : state_.links)
    out += fmt::format("link {} -> {} {} by={} at={}\n", l.from, l.to, to_string(l.kind), l.created_by,
                       to_millis(l.created_at));
  for (const auto &[name, t] : state_.templates)
    out += fmt::format("template {} title={} single_brace={}\nsubject={}\nhtml={}\ntext={}\n", name, t.title,
                       t.single_brace, t.subject, t.body_html, t.body_text);
  for (const auto &[key, at] : state_.due)
    out += fmt::format("due {} {} {} at={}\n", std::get<0>(key), std::get<1>(key), std::get<2>(key), to_millis(at));
  return out;
}

}  // namespace complaints::memory_backend
