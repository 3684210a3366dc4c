// The Desk: each public operation is validate -> lock -> transaction ->
// rules and effects -> commit -> unlock -> events. docs/architecture.md walks
// through one of them.
#include "complaints/desk.hpp"

#include "desk/impl.hpp"
#include "engine/fields.hpp"
#include "engine/engine.hpp"
#include "holds/holds.hpp"
#include "search/texts.hpp"

namespace complaints {

namespace {

const IssueType default_types[] = {
    {"Damage Caused", "#EB5757"},   {"Unsatisfactory Job", "#F2994A"}, {"Late Service", "#F2C94C"},
    {"Billing Dispute", "#9B51E0"}, {"Other", "#828282"},
};

void check_id_list(const std::vector<std::string> &ids, std::string_view field) {
  if (ids.size() > limits::fieldworkers_per_record)
    throw InvalidInput(fmt::format("lists {} ids; at most {} allowed", ids.size(), limits::fieldworkers_per_record),
                       std::string(field));
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::string f = fmt::format("{}[{}]", field, i);
    check::id(ids[i], f, limits::id_bytes);
    if (!seen.insert(ids[i]).second) throw InvalidInput(fmt::format("'{}' is listed twice", check::excerpt(ids[i])), f);
  }
}

}  // namespace

std::unique_ptr<Reader> ReaderPool::lend(Storage &storage) {
  std::unique_lock lock(mutex_);
  while (idle_.empty()) {
    if (unsupported_ || limit == 0) return nullptr;
    if (open_ < limit) {
      ++open_;
      lock.unlock();  // opening takes a while; others may lend and give back meanwhile
      std::unique_ptr<Storage> s;
      try {
        s = storage.open_reader();
      } catch (...) {
        lock.lock();
        --open_;
        throw;
      }
      if (s) {
        auto reader = std::make_unique<Reader>();
        reader->storage = std::move(s);
        return reader;
      }
      lock.lock();
      --open_;
      unsupported_ = true;
      freed_.notify_all();
      return nullptr;
    }
    freed_.wait(lock);
  }
  auto reader = std::move(idle_.back());
  idle_.pop_back();
  return reader;
}

void ReaderPool::give_back(std::unique_ptr<Reader> reader, bool failed) {
  {
    std::lock_guard lock(mutex_);
    if (failed)
      --open_;
    else
      idle_.push_back(std::move(reader));
  }
  freed_.notify_one();
  reader.reset();  // a failed reader's connection closes outside the lock
}

Desk::Desk(std::unique_ptr<Storage> storage, DeskOptions options) : impl_(std::make_unique<Impl>()) {
  if (!storage) throw InvalidInput("must not be null", "storage");
  if (options.read_connections > 64) throw InvalidInput("must be at most 64", "read_connections");
  impl_->storage = std::move(storage);
  impl_->clock = options.clock ? std::move(options.clock) : std::make_shared<SystemClock>();
  // A new store gets the built-in workflow and the default issue types, once.
  // Readers come after: a desk that is only ever written opens none.
  bool initialized = impl_->run(TxnMode::read, [](Op &op) { return op.txn.setting(initialized_key).has_value(); });
  if (initialized) {
    impl_->readers.limit = options.read_connections;
    return;
  }
  try {
    impl_->run(TxnMode::write, [&](Op &op) {
      if (op.txn.setting(initialized_key)) return 0;  // another process got there first
      op.caches->store_workflow(op, Workflow::builtin("field-service"));
      for (const auto &t : default_types) op.txn.put_issue_type(t);
      op.txn.put_setting(initialized_key, "1");
      return 0;
    });
  } catch (const StorageError &e) {  // e.g. a read-only store: say why a reading desk wanted to write
    throw StorageError(fmt::format("this store was never set up by a Desk (its built-in workflow and issue types), "
                                   "and setting it up failed: {}",
                                   e.message()),
                       e.where());
  }
  impl_->readers.limit = options.read_connections;
}

Desk::~Desk() = default;
Desk::Desk(Desk &&) noexcept = default;
Desk &Desk::operator=(Desk &&) noexcept = default;

Events &Desk::events() noexcept { return impl_->events; }
const Clock &Desk::clock() const noexcept { return *impl_->clock; }

std::string Desk::dump() {
  return impl_->run(TxnMode::read, [](Op &op) { return op.txn.dump(); });
}

// --- settings -------------------------------------------------------------------

void Desk::install_workflow(const Actor &actor, const Workflow &wf) {
  access::check_actor(actor);
  access::require_staff(actor, Permission::manage_settings, "installing a workflow");
  impl_->run(TxnMode::write, [&](Op &op) {
    // Checked again against this database: its saved templates may be named.
    if (auto problems = Workflow::validate(wf.definition(), Impl::validation_context(op.txn)); !problems.empty())
      throw InvalidWorkflow(std::move(problems));
    for (const auto &[status, count] : op.txn.status_counts(wf.name()))
      if (!wf.status(status))
        throw InvalidState(fmt::format("{} issue(s) of workflow '{}' are in status '{}', which the new definition "
                                       "lacks",
                                       count, check::excerpt(wf.name()), check::excerpt(status)),
                           "workflow.statuses");
    op.caches->store_workflow(op, wf);
    Event e;
    e.kind = EventKind::settings_changed;
    e.at = op.now;
    e.actor_id = actor.id;
    e.actor_role = actor.role;
    e.detail = fmt::format("workflow {} installed", wf.name());
    op.events.push_back(std::move(e));
    return 0;
  });
}

void Desk::install_workflow(const Actor &actor, std::string_view workflow_json) {
  access::check_actor(actor);
  access::require_staff(actor, Permission::manage_settings, "installing a workflow");
  ValidationContext ctx = impl_->run(TxnMode::read, [](Op &op) { return Impl::validation_context(op.txn); });
  install_workflow(actor, Workflow::from_json(workflow_json, ctx));
}

Workflow Desk::add_status(const Actor &actor, std::string_view workflow, const StatusDef &status) {
  access::check_actor(actor);
  access::require_staff(actor, Permission::manage_settings, "adding a status");
  check::name(workflow, "workflow", limits::name_bytes);
  check::name(status.name, "status.name", limits::name_bytes);
  check::colour(status.colour, "status.colour");
  if (!status_category_from_string(to_string(status.category)))
    throw InvalidInput("is not a known category", "status.category");
  return impl_->run(TxnMode::write, [&](Op &op) {
    const Workflow &current = op.caches->workflow(op, workflow);
    if (current.status(status.name))
      throw InvalidInput(
          fmt::format("workflow '{}' already has a status '{}'", check::excerpt(workflow), check::excerpt(status.name)),
          "status.name");
    Workflow next = current.with_status(status, Impl::validation_context(op.txn));
    op.caches->store_workflow(op, next);
    Event e;
    e.kind = EventKind::settings_changed;
    e.at = op.now;
    e.actor_id = actor.id;
    e.actor_role = actor.role;
    e.detail = fmt::format("status {} added to workflow {}", status.name, workflow);
    op.events.push_back(std::move(e));
    return next;
  });
}

void Desk::add_issue_type(const Actor &actor, const IssueType &type) {
  access::check_actor(actor);
  access::require_staff(actor, Permission::manage_settings, "adding an issue type");
  check::name(type.name, "type.name", limits::name_bytes);
  check::colour(type.colour, "type.colour");
  impl_->run(TxnMode::write, [&](Op &op) {
    op.txn.put_issue_type(type);
    op.caches->bump_revision(op);
    Event e;
    e.kind = EventKind::settings_changed;
    e.at = op.now;
    e.actor_id = actor.id;
    e.actor_role = actor.role;
    e.detail = fmt::format("issue type {} added", type.name);
    op.events.push_back(std::move(e));
    return 0;
  });
}

Workflow Desk::workflow(const Actor &actor, std::string_view name) {
  access::check_actor(actor);
  check::name(name, "workflow", limits::name_bytes);
  return impl_->run(TxnMode::read, [&](Op &op) { return op.caches->workflow(op, name); });
}

std::vector<std::string> Desk::workflow_names(const Actor &actor) {
  access::check_actor(actor);
  return impl_->run(TxnMode::read, [](Op &op) { return op.txn.workflow_names(); });
}

std::vector<IssueType> Desk::issue_types(const Actor &actor) {
  access::check_actor(actor);
  return impl_->run(TxnMode::read, [](Op &op) { return op.txn.issue_types(); });
}

// --- records --------------------------------------------------------------------

void Desk::put_record(const Actor &actor, const Record &record) {
  access::check_actor(actor);
  access::require_staff(actor, "registering a record");
  check_record_ref(record.ref, "record.ref");
  check::id(record.customer_id, "record.customer_id", limits::id_bytes);
  check_id_list(record.fieldworkers, "record.fieldworkers");
  if (!record.invoice_id.empty()) check::id(record.invoice_id, "record.invoice_id", limits::id_bytes);
  if (!record_visibility_from_string(to_string(record.visibility)))
    throw InvalidInput("is not a known visibility", "record.visibility");
  impl_->run(TxnMode::write, [&](Op &op) {
    // An issue's customer is its record's customer; changing who that is
    // would silently hand existing complaints to someone else.
    auto existing = op.txn.record(record.ref);
    if (existing && existing->customer_id != record.customer_id && !op.txn.issues_of_record(record.ref).empty())
      throw InvalidState(fmt::format("{} has issues, so its customer cannot change; relink the issues to a new "
                                     "record instead",
                                     check::excerpt(record.ref.to_string())),
                         "record.customer_id");
    op.txn.put_record(record);
    // Who reads the record's issues may have changed with it.
    auto readers = access::readers(record);
    if (existing && access::readers(*existing) != readers)
      for (std::int64_t number : op.txn.issues_of_record(record.ref)) op.txn.put_readers(number, readers);
    return 0;
  });
}

Record Desk::record(const Actor &actor, const RecordRef &ref) {
  access::check_actor(actor);
  check_record_ref(ref, "record");
  return impl_->run(TxnMode::read, [&](Op &op) {
    auto r = op.txn.record(ref);
    if (!r || !access::sees_record(actor, *r))
      throw NotFound(fmt::format("no record {}", check::excerpt(ref.to_string())), "record");
    return *r;
  });
}

std::vector<Issue> Desk::relink_record(const Actor &actor, const RecordRef &from, const RecordRef &to) {
  access::check_actor(actor);
  access::require_staff(actor, "relinking a record's issues");
  check_record_ref(from, "from");
  check_record_ref(to, "to");
  if (from == to) throw InvalidInput("is the record the issues are already on", "to");
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto target = op.txn.record(to);
    if (!target) throw NotFound(fmt::format("no record {}; register it first", check::excerpt(to.to_string())), "to");
    std::vector<Issue> moved;
    for (std::int64_t number : op.txn.issues_of_record(from)) {
      IssueRow before = *op.txn.issue(number);
      Issue after = before.issue;
      after.record = to;
      after.customer_id = target->customer_id;
      // Keep the responsible fieldworkers still assigned; none left means all of the new record's.
      std::erase_if(after.fieldworkers, [&](const std::string &fw) {
        return std::find(target->fieldworkers.begin(), target->fieldworkers.end(), fw) == target->fieldworkers.end();
      });
      if (after.fieldworkers.empty()) after.fieldworkers = target->fieldworkers;
      TimelineEntry entry;
      entry.kind = entry_kind::relinked;
      entry.changes.push_back({"record", from.to_string(), to.to_string()});
      if (after.customer_id != before.issue.customer_id)
        entry.changes.push_back({"customer_id", before.issue.customer_id, after.customer_id});
      if (after.fieldworkers != before.issue.fieldworkers)
        entry.changes.push_back({"fieldworkers", fmt::format("{}", fmt::join(before.issue.fieldworkers, ", ")),
                                 fmt::format("{}", fmt::join(after.fieldworkers, ", "))});
      entry.internal = true;
      // A complaint that now sits on a booking or invoice holds its payouts
      // as its workflow's on_report would have.
      std::size_t mark = op.events.size();
      if (!after.is_closed()) {
        const Workflow &wf = op.caches->workflow(op, after.workflow);
        engine::Inputs no_inputs;
        engine::EffectContext ctx{op, actor, wf, *target, no_inputs, after, entry, "moved to " + to.to_string()};
        engine::withhold_as_reported(ctx);
      }
      moved.push_back(engine::commit_change(op, actor, before, after, *target, entry, EventKind::issue_relinked, mark));
      op.txn.put_readers(number, access::readers(*target));
    }
    return moved;
  });
}

// --- issues ---------------------------------------------------------------------

Issue Desk::report(const Actor &actor, const ReportRequest &req) {
  access::check_actor(actor);
  access::check_report(actor, req);
  check_record_ref(req.record, "record");
  check::name(req.type, "type", limits::name_bytes);
  check::text(req.description, "description", limits::description_bytes, true);
  if (req.deferred_date && !req.to_follow) throw InvalidInput("needs to_follow set", "deferred_date");
  if (req.channel && !channel_from_string(to_string(*req.channel))) throw InvalidInput("is not a known channel", "channel");
  Channel channel = req.channel.value_or(actor.role == Role::customer ? Channel::customer_portal
                                         : actor.role == Role::system ? Channel::import
                                                                      : Channel::office);
  if (actor.role == Role::customer && channel != Channel::customer_portal)
    throw InvalidInput("customers report through the customer portal", "channel");
  if (req.fieldworkers) check_id_list(*req.fieldworkers, "fieldworkers");
  check::name(req.workflow, "workflow", limits::name_bytes);
  for (const auto &[fw, amount] : req.hold_amounts) {
    check::id(fw, "hold_amounts", limits::id_bytes);
    // (a moved-from Money is not valid)
    Money::of(amount.minor(), amount.currency(), "hold_amounts." + check::excerpt(fw));
  }

  return impl_->run(TxnMode::write, [&](Op &op) {
    auto record = op.txn.record(req.record);
    if (!record || !access::sees_record(actor, *record))
      throw NotFound(
          fmt::format("no record {}; register it with put_record first", check::excerpt(req.record.to_string())),
          "record");
    if (!op.caches->is_issue_type(op, req.type))
      throw InvalidInput(fmt::format("'{}' is not a configured issue type", check::excerpt(req.type)), "type");
    const Workflow &wf = op.caches->workflow(op, req.workflow);

    Issue issue;
    if (req.fieldworkers) {
      for (std::size_t i = 0; i < req.fieldworkers->size(); ++i) {
        const auto &fw = (*req.fieldworkers)[i];
        if (std::find(record->fieldworkers.begin(), record->fieldworkers.end(), fw) == record->fieldworkers.end())
          throw InvalidInput(
              fmt::format("'{}' is not assigned to {}", check::excerpt(fw), check::excerpt(req.record.to_string())),
              fmt::format("fieldworkers[{}]", i));
      }
      issue.fieldworkers = *req.fieldworkers;
    } else {
      issue.fieldworkers = record->fieldworkers;
    }
    for (const auto &amount : req.hold_amounts)
      if (std::find(issue.fieldworkers.begin(), issue.fieldworkers.end(), amount.first) == issue.fieldworkers.end())
        throw InvalidInput(
            fmt::format("'{}' is not a responsible fieldworker of this issue", check::excerpt(amount.first)),
            "hold_amounts." + check::excerpt(amount.first));
    issue.record = req.record;
    issue.customer_id = record->customer_id;
    issue.type = req.type;
    issue.description = req.description;
    issue.to_follow = req.to_follow;
    issue.deferred_date = req.deferred_date;
    issue.follow_up_date = req.follow_up_date;
    issue.reporter_id = actor.id;
    issue.reporter_role = actor.role;
    issue.channel = channel;
    return Impl::seen_by(actor, engine::report(op, actor, *record, wf, std::move(issue), req.hold_amounts));
  });
}

Issue Desk::act(const Actor &actor, std::string_view code, const ActionRequest &req) {
  access::check_actor(actor);
  parse_issue_code(code);
  check::name(req.action, "action", limits::name_bytes);
  for (const auto &[name, value] : req.inputs) {
    check::name(name, "inputs", limits::name_bytes);
    check::text(value, "inputs." + check::excerpt(name), limits::note_bytes, false);
  }
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto [before, record] = impl_->visible_issue(op.txn, actor, code);
    return Impl::seen_by(actor, engine::act(op, actor, before, record, req));
  });
}

Issue Desk::edit(const Actor &actor, std::string_view code, const IssueEdit &edit) {
  access::check_actor(actor);
  parse_issue_code(code);
  if (actor.role == Role::customer) throw Forbidden("customers cannot edit issues", "actor.role");
  access::require(actor, Permission::edit_issues, "editing an issue");
  if (edit.type) check::name(*edit.type, "type", limits::name_bytes);
  if (edit.description) check::text(*edit.description, "description", limits::description_bytes, true);
  return impl_->run(TxnMode::write, [&](Op &op) {
    auto [before, record] = impl_->visible_issue(op.txn, actor, code);
    Impl::check_version(before.issue, edit.expected_version);
    Issue after = before.issue;
    if (edit.type && *edit.type != after.type) {
      if (!op.caches->is_issue_type(op, *edit.type))
        throw InvalidInput(fmt::format("'{}' is not a configured issue type", check::excerpt(*edit.type)), "type");
      after.type = *edit.type;
    }
    if (edit.description) after.description = *edit.description;
    if (edit.to_follow) after.to_follow = *edit.to_follow;
    if (edit.deferred_date) after.deferred_date = *edit.deferred_date;
    if (edit.follow_up_date) after.follow_up_date = *edit.follow_up_date;
    // A deferred date belongs to a To Follow issue: clearing the flag clears it.
    if (!after.to_follow && after.deferred_date) {
      if (edit.deferred_date && *edit.deferred_date) throw InvalidInput("needs to_follow set", "deferred_date");
      after.deferred_date.reset();
    }
    TimelineEntry entry;
    entry.kind = entry_kind::edited;
    const Issue &b = before.issue;
    if (b.type != after.type) entry.changes.push_back({"type", b.type, after.type});
    if (b.description != after.description) {
      entry.changes.push_back({"description", b.description, after.description});
      search::reindex(op.txn, after);
    }
    if (b.to_follow != after.to_follow)
      entry.changes.push_back({"to_follow", b.to_follow ? "true" : "false", after.to_follow ? "true" : "false"});
    if (b.deferred_date != after.deferred_date)
      entry.changes.push_back({"deferred_date", date_text(b.deferred_date), date_text(after.deferred_date)});
    if (b.follow_up_date != after.follow_up_date)
      entry.changes.push_back({"follow_up_date", date_text(b.follow_up_date), date_text(after.follow_up_date)});
    if (!edit.fields.empty())
      engine::set_fields(op.caches->workflow(op, b.workflow), after, edit.fields, entry, nullptr);
    if (entry.changes.empty()) return b;  // nothing changed: nothing to record
    return engine::commit_change(op, actor, before, after, record, entry, EventKind::issue_edited);
  });
}

Issue Desk::get(const Actor &actor, std::string_view code) {
  access::check_actor(actor);
  parse_issue_code(code);
  return impl_->run(TxnMode::read,
                    [&](Op &op) { return Impl::seen_by(actor, impl_->visible_row(op.txn, actor, code).issue); });
}

IssueQuery Desk::Impl::issue_query(const Actor &actor, const IssueFilter &filter) {
  if (filter.after_number < 0) throw InvalidInput("must not be negative", "after_number");
  if (filter.record) check_record_ref(*filter.record, "record");
  for (auto [text, key] : {std::pair{&filter.workflow, "workflow"}, {&filter.status, "status"},
                           {&filter.stage, "stage"}, {&filter.type, "type"}})
    if (*text) check::name(**text, key, limits::name_bytes);
  if (filter.fieldworker) check::id(*filter.fieldworker, "fieldworker", limits::id_bytes);
  if (filter.customer_id) check::id(*filter.customer_id, "customer_id", limits::id_bytes);
  if (filter.assignee) check::id(*filter.assignee, "assignee", limits::id_bytes);
  if (filter.owner) check::id(*filter.owner, "owner", limits::id_bytes);
  if (!filter.fields.empty() && actor.role == Role::customer)
    throw Forbidden("case fields are for staff and fieldworkers", "fields");
  for (const auto &[name, value] : filter.fields) {
    check::name(name, "fields", limits::name_bytes);
    if (!std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }))
      throw InvalidInput(fmt::format("'{}' is not a case field name (lower-case letters, digits, '_')",
                                     check::excerpt(name)),
                         "fields");
    check::text(value, "fields." + check::excerpt(name), limits::note_bytes, false);
  }
  return IssueQuery{filter, access::scope(actor)};
}

std::vector<Issue> Desk::list(const Actor &actor, const IssueFilter &filter) {
  access::check_actor(actor);
  check::count(filter.limit, "limit", limits::page_items);
  IssueQuery q = Impl::issue_query(actor, filter);
  return impl_->run(TxnMode::read, [&](Op &op) { return Impl::seen_by(actor, op.txn.find_issues(q)); });
}

std::vector<std::string> Desk::available_actions(const Actor &actor, std::string_view code) {
  access::check_actor(actor);
  parse_issue_code(code);
  return impl_->run(TxnMode::read, [&](Op &op) {
    auto [row, record] = impl_->visible_issue(op.txn, actor, code);
    const Workflow &wf = op.caches->workflow(op, row.issue.workflow);
    std::vector<std::string> out;
    for (const auto &a : wf.definition().actions)
      if (wf.applies(a, row.issue.status) && Workflow::allowed(a, actor)) out.push_back(a.name);
    return out;
  });
}

std::vector<TimelineEntry> Desk::timeline(const Actor &actor, std::string_view code) {
  access::check_actor(actor);
  parse_issue_code(code);
  return impl_->run(TxnMode::read, [&](Op &op) {
    auto [row, record] = impl_->visible_issue(op.txn, actor, code);
    return Impl::timeline_as_seen(actor, op.txn.timeline(row.issue.number));
  });
}

std::vector<TimelineEntry> Desk::Impl::timeline_as_seen(const Actor &actor, std::vector<TimelineEntry> entries) {
  if (actor.role == Role::customer) {
    std::erase_if(entries, [](const TimelineEntry &e) { return e.internal; });
    // Staff notes on actions are for staff; the customer sees what happened.
    for (auto &e : entries)
      if (e.actor_id != actor.id) e.note.clear();
  }
  if (!is_staff(actor.role)) {
    for (auto &e : entries)
      std::erase_if(e.changes, [&](const FieldChange &c) { return !access::sees_field(actor, c.field); });
    // A payout released by hand that is not the reader's is not their business at all.
    std::erase_if(entries, [](const TimelineEntry &e) { return e.kind == entry_kind::payment && e.changes.empty(); });
  }
  return entries;
}

ChainCheck Desk::verify_timeline(const Actor &actor, std::string_view code) {
  access::check_actor(actor);
  access::require_staff(actor, "verifying a timeline");
  parse_issue_code(code);
  return impl_->run(TxnMode::read, [&](Op &op) {
    auto [row, record] = impl_->visible_issue(op.txn, actor, code);
    return chain::verify(op.txn.timeline(row.issue.number), row.timeline_seq, row.timeline_hash);
  });
}

// --- outbox ---------------------------------------------------------------------

std::vector<OutboxItem> Desk::outbox_pending(const Actor &actor, std::size_t limit, std::int64_t after_id) {
  access::check_actor(actor);
  access::require_role(actor, Role::system, "reading the outbox");
  check::count(limit, "limit", limits::page_items);
  return impl_->run(TxnMode::read, [&](Op &op) { return op.txn.pending_outbox(limit, after_id); });
}

std::size_t Desk::outbox_ack(const Actor &actor, std::span<const std::int64_t> ids) {
  access::check_actor(actor);
  access::require_role(actor, Role::system, "acknowledging outbox items");
  if (ids.size() > limits::page_items)
    throw InvalidInput(fmt::format("at most {} ids at once", limits::page_items), "ids");
  return impl_->run(TxnMode::write, [&](Op &op) { return op.txn.ack_outbox(ids); });
}

}  // namespace complaints
