// complaints/desk.hpp - the facade: one complaints desk over one store.
//
// A Desk owns a Storage, a Clock and the event signals, and offers every
// operation of the library. Each changing operation is one transaction: it
// validates its input, checks the actor may do it, writes the issue, its
// timeline entry and everything its workflow effects produce (notifications,
// messages, holds, timers), commits, and only then fires events. When any
// step fails, nothing is written and the error is thrown.
//
// Who may call what is one table, role x permission x call, with each C
// function beside its C++ call: docs/permissions.md. A permission counts only
// on a role the call allows (a customer holding manage_settings changes no
// settings).
//
// Limits and defaults: complaints/limits.hpp names every size limit, page
// size and batch size; docs/c-api.md ("Limits and defaults") lists each with
// its default and what exceeding it gives.
//
// Errors (complaints/errors.hpp): InvalidInput for malformed values (the
// message names the field), NotFound for unknown codes and ids and for issues
// the actor may not see, Forbidden when the actor's role or permissions do not
// allow the operation, Conflict when expected_version is stale,
// InvalidState when the operation does not apply to the issue as it is,
// InvalidWorkflow for bad definitions, StorageError when the backend fails.
//
// Over a read-only store (SqliteOptions::read_only, a backup or a replica)
// every read works and every changing operation, once its input and
// permission checks pass, throws StorageError with where() "read_only",
// changing nothing; scrub() too.
//
// Thread-safety: a Desk may be shared by threads. Operations that change
// something are serialized internally; reads run side by side on connections
// of their own (DeskOptions::read_connections), each seeing what was
// committed before it began, so a read never waits for a write of this desk.
// Events fire on the calling thread after the internal lock is released.
// Several Desks (in several processes) may share one SQLite file.
#pragma once

#include "complaints/export.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "complaints/actor.hpp"
#include "complaints/calendar.hpp"
#include "complaints/clock.hpp"
#include "complaints/dashboard.hpp"
#include "complaints/discussion.hpp"
#include "complaints/due.hpp"
#include "complaints/events.hpp"
#include "complaints/issue.hpp"
#include "complaints/issue_export.hpp"
#include "complaints/limits.hpp"
#include "complaints/messages.hpp"
#include "complaints/outbox.hpp"
#include "complaints/payment_hold.hpp"
#include "complaints/record.hpp"
#include "complaints/search.hpp"
#include "complaints/storage.hpp"
#include "complaints/task.hpp"
#include "complaints/timeline.hpp"
#include "complaints/users.hpp"
#include "complaints/workflow.hpp"

namespace complaints {


struct DeskOptions {
  /// Where "now" comes from; default: the system clock.
  std::shared_ptr<const Clock> clock;
  /// How many extra connections the desk may open (Storage::open_reader), on
  /// first need, to serve reads on several threads at once and beside a
  /// write; 0 serves every operation on the one connection, in turn. Each
  /// SQLite connection has its own page cache (SqliteOptions::cache_kib). At
  /// most 64 (InvalidInput at "read_connections"). Backends without readers
  /// (the in-memory one) serve everything on their one connection whatever this says.
  std::size_t read_connections = 4;
};

class COMPLAINTS_API Desk {
 public:
  /// Takes ownership of `storage`. On a new store, installs the built-in
  /// "field-service" workflow and the default issue types (Damage Caused,
  /// Unsatisfactory Job, Late Service, Billing Dispute, Other); on a store
  /// already set up it only reads. Throws StorageError, also when the store
  /// was never set up by a Desk and cannot be now (a read-only store: where()
  /// "read_only"; open it read-write once first).
  explicit Desk(std::unique_ptr<Storage> storage, DeskOptions options = {});
  ~Desk();
  Desk(Desk &&) noexcept;
  Desk &operator=(Desk &&) noexcept;

  // --- settings (staff: admin, supervisor, office, system; with manage_settings) ---

  /// Installs a workflow, or replaces the one of the same name provided every
  /// status in use by its issues still exists (else InvalidState).
  void install_workflow(const Actor &actor, const Workflow &workflow);
  /// The same from a JSON document, validated against this database (its saved
  /// templates may be named). The actor's permission is checked before the
  /// document is read: Forbidden, then InvalidWorkflow listing every problem.
  void install_workflow(const Actor &actor, std::string_view workflow_json);
  /// Adds a custom status to a live workflow (R3.3); usable at once.
  /// InvalidInput for a bad name or colour, InvalidWorkflow if the result does not validate.
  Workflow add_status(const Actor &actor, std::string_view workflow, const StatusDef &status);
  /// Adds an issue type (or changes the colour of an existing one).
  void add_issue_type(const Actor &actor, const IssueType &type);

  /// Any actor.
  Workflow workflow(const Actor &actor, std::string_view name);
  std::vector<std::string> workflow_names(const Actor &actor);
  std::vector<IssueType> issue_types(const Actor &actor);

  // --- records ----------------------------------------------------------------

  /// Registers or updates a record (staff only: admin, supervisor, office, system).
  void put_record(const Actor &actor, const Record &record);
  /// The record, if the actor may see it (staff, its customer, an assigned fieldworker).
  Record record(const Actor &actor, const RecordRef &ref);
  /// Moves every issue of `from` to `to` (a quote became a booking), logging it on
  /// each issue's timeline. `to` must be registered. Staff only. Returns the moved issues.
  std::vector<Issue> relink_record(const Actor &actor, const RecordRef &from, const RecordRef &to);

  // --- issues -----------------------------------------------------------------

  /// Logs a complaint on a record. Allowed for admin, supervisor, office, system
  /// and the record's own customer. A customer's report names the record, type,
  /// description and workflow only: `fieldworkers`, `hold_amounts`,
  /// `to_follow`, `deferred_date` and `follow_up_date` are staff business
  /// (Forbidden naming the field). Runs the workflow's on_report effects.
  Issue report(const Actor &actor, const ReportRequest &request);
  /// Takes a workflow action. Forbidden when the actor's role/permissions match
  /// none of the action's rules; InvalidState when the action does not apply to
  /// the current status or a guard fails; Conflict on a stale expected_version.
  Issue act(const Actor &actor, std::string_view code, const ActionRequest &request);
  /// Edits type, description, To Follow, deferred and follow-up dates (R2.3)
  /// and case fields (docs/tasks.md). Needs edit_issues. Each changed field is
  /// logged with before/after values ("field.<name>" for a case field).
  Issue edit(const Actor &actor, std::string_view code, const IssueEdit &edit);

  /// The issue, if the actor may see it (else NotFound).
  Issue get(const Actor &actor, std::string_view code);
  /// Issues matching the filter among those the actor may see, by number
  /// ascending: at most filter.limit (default 100, 1 to limits::page_items).
  /// The next page: the same filter with after_number set to the last
  /// issue's number; a page shorter than the limit is the last. Paging is by
  /// keyset, each page in its own read transaction: an issue that matches
  /// throughout appears once, however the store changes between pages.
  /// docs/reporting.md ("Lists and paging") says which lists cost the same
  /// however long the history. InvalidInput names a bad field ("limit",
  /// "after_number", a filter's field). Any actor.
  std::vector<Issue> list(const Actor &actor, const IssueFilter &filter);
  /// The actions the actor could take on the issue now.
  std::vector<std::string> available_actions(const Actor &actor, std::string_view code);
  /// The issue's timeline as the actor may see it (customers: without internal
  /// entries, staff notes on others' actions, or internal fields: is_internal_field;
  /// fieldworkers: without other fieldworkers' payout changes).
  std::vector<TimelineEntry> timeline(const Actor &actor, std::string_view code);
  /// Recomputes the issue's hash chain. Staff only.
  ChainCheck verify_timeline(const Actor &actor, std::string_view code);

  // --- payment holds (SPEC R4) --------------------------------------------------

  /// Withholds a fieldworker's payout for a booking or invoice by hand (a
  /// billing dispute), or changes the amount of a payout already withheld.
  /// Staff only; the reason is required. InvalidInput for a quote, a
  /// fieldworker not assigned, a bad amount or one in another currency than
  /// the hold's; InvalidState when the record was paid out or the payout is
  /// already withheld with that amount.
  PaymentHold withhold_payment(const Actor &actor, const HoldRequest &request);
  /// Releases a withheld payout. Needs a staff role with release_payment and
  /// every linked issue closed; with `override`, an admin may release while
  /// issues are open. The reason is required. Logged on the ledger and on each
  /// linked issue's timeline. (A workflow's release effect follows the same
  /// rule: for anyone else the payout stays withheld.)
  PaymentHold release_payment(const Actor &actor, const ReleaseRequest &request);
  /// May the host pay `fieldworker` for `record` now? Staff and system.
  PayDecision may_pay(const Actor &actor, const RecordRef &record, std::string_view fieldworker);
  /// The same for many (record, fieldworker) pairs in one read: a payroll run.
  /// At most limits::hold_page_items (100,000) queries.
  std::vector<PayDecision> may_pay(const Actor &actor, std::span<const PayQuery> queries);
  /// Holds matching the filter, by record and fieldworker, at most
  /// filter.limit (default 1,000, 1 to limits::hold_page_items). Staff see
  /// every hold; a fieldworker only their own; customers none (Forbidden).
  std::vector<PaymentHold> holds(const Actor &actor, const HoldFilter &filter);
  /// Holds withheld for at least `age`, by the desk's clock; at most
  /// limits::hold_page_items. Staff only.
  std::vector<PaymentHold> stalled_holds(const Actor &actor, std::chrono::milliseconds age);
  /// The finance report: every withhold and release in [from, to), with totals
  /// per currency. Staff only.
  HoldReport hold_report(const Actor &actor, Timestamp from, Timestamp to);

  // --- users (SPEC R6.2) --------------------------------------------------------

  /// Registers or updates a user the library should know: admins (told of
  /// every event), users who may be @mentioned or watch issues, and anyone
  /// whose notification settings differ from their role's defaults. Staff
  /// only; registering an admin, or writing over a registered user (even with
  /// the same values, even oneself), needs manage_settings.
  void put_user(const Actor &actor, const User &user);
  /// A registered user: staff see anyone, others only themselves. NotFound otherwise.
  User user(const Actor &actor, std::string_view id);
  /// Changes a registered user's notification settings: anyone their own;
  /// staff with manage_settings anyone's.
  void set_notification_settings(const Actor &actor, std::string_view user_id, const NotificationSettings &settings);

  // --- discussion (SPEC R5) ---------------------------------------------------------

  /// Adds a comment, with its attachments, to an issue the actor can see.
  /// Customers' comments are always public. `reply_to` must be a comment of
  /// the same issue that the actor can see. Every @mention in the body must
  /// name a registered user who can see the comment (no customer in an
  /// internal comment). Each attachment is as internal as its own flag says,
  /// by default as its comment, never wider (AttachmentRequest::internal).
  /// InvalidInput names the field ("body", "reply_to", "attachments[1].sha256",
  /// "attachments[0].internal").
  Comment add_comment(const Actor &actor, std::string_view code, const CommentRequest &request);
  /// The issue's comments in order, as the actor may see them (customers: public
  /// comments only, each without its internal attachments).
  std::vector<Comment> thread(const Actor &actor, std::string_view code);
  /// Attaches a file to the issue itself: internal unless `internal` is false,
  /// or public when a customer attaches it (a customer's true is InvalidInput
  /// naming "attachment.internal").
  Attachment attach(const Actor &actor, std::string_view code, const AttachmentRequest &request);
  /// The issue's attachments (its own and its comments'), without bytes, as the actor may see them.
  std::vector<Attachment> attachments(const Actor &actor, std::string_view code);
  /// One attachment with its bytes (when the library keeps them). NotFound if the actor may not see it.
  Attachment attachment(const Actor &actor, std::int64_t id);

  // --- watchers and links (SPEC R1.2, R2.5) --------------------------------------

  /// Makes a registered user watch an issue. Staff may add anyone who can see
  /// it (not a customer: InvalidInput); fieldworkers only themselves; customers
  /// neither (Forbidden). Returns the watchers.
  std::vector<std::string> watch(const Actor &actor, std::string_view code, std::string_view user_id);
  std::vector<std::string> unwatch(const Actor &actor, std::string_view code, std::string_view user_id);
  /// The issue's watchers. Not for customers.
  std::vector<std::string> watchers(const Actor &actor, std::string_view code);
  /// Links two issues (staff only); shown, and logged, on both.
  void link_issues(const Actor &actor, std::string_view code, std::string_view other, LinkKind kind);
  void unlink_issues(const Actor &actor, std::string_view code, std::string_view other, LinkKind kind);
  /// The issue's links to issues the actor can also see.
  std::vector<IssueLink> links(const Actor &actor, std::string_view code);

  // --- search (SPEC R11.1) -------------------------------------------------------

  /// Full-text search (docs/reporting.md, "Search") over the issues the
  /// actor may see: their descriptions, comments and attachment names, a
  /// customer's search reading only what customers may see (an internal word
  /// never matches, ranks or shows in a snippet for them). Hits come by
  /// relevance, then issue number. Any actor. Throws QuerySyntaxError (an
  /// InvalidInput naming the byte) for a query that does not parse;
  /// InvalidInput for options out of range (SearchOptions). Reads only.
  std::vector<SearchHit> search(const Actor &actor, const SearchOptions &options);
  /// The issues of search(actor, {query, limit}), without scores or snippets.
  std::vector<Issue> search(const Actor &actor, std::string_view query, std::size_t limit = 100);

  // --- reporting (docs/reporting.md) ----------------------------------------------

  /// Writes the complaint register to `sink`: one row per issue matching
  /// options.filter (every criterion of list; after_number starts after that
  /// issue, limit is not used), by number ascending, as CSV or JSON lines,
  /// with the issue's fields, its SLA clocks as of now, its case fields and
  /// the resolution last picked; docs/reporting.md ("Export") names each
  /// column. The columns follow the workflows installed when the export
  /// starts: a column per SLA policy and per case field of any of them.
  /// Reads options.page_issues issues per read transaction, by number (each
  /// issue once, none skipped, an issue as it was when its page was read),
  /// and calls the sink with each page's text outside the desk's lock; it
  /// holds one page at a time. Staff only (admin, supervisor, office,
  /// system; Forbidden for others), who see every issue. InvalidInput names
  /// the field ("format", "page_issues", "sink", a filter's field). An
  /// exception from the sink stops the export and propagates; rows already
  /// given stay given. Returns how many rows it wrote and the columns.
  ExportSummary export_issues(const Actor &actor, const ExportOptions &options, const ExportSink &sink);

  /// The dashboard of the issues reported in [options.from, options.to)
  /// that match its filters (docs/reporting.md, "Dashboards", says how each
  /// figure is computed), as of the desk's clock, in one read transaction.
  /// Staff see every issue; a fieldworker only the issues they may see and
  /// their own holds; customers are Forbidden. InvalidInput names the field
  /// ("to" before "from", "repeat_days", "top", "stalled_after", a filter's
  /// name). Its cost grows with the issues of the period (and the
  /// repeat_days before it), not with the history; it holds them all while
  /// it counts.
  Dashboard dashboard(const Actor &actor, const DashboardOptions &options);

  // --- delete forever (SPEC R9) ---------------------------------------------------

  /// Erases an issue for good: the issue, its comments, attachments, links,
  /// watchers, timeline, hold links and undelivered outbox items. The holds
  /// ledger keeps its lines (money was withheld and released) without the
  /// code, so the issue vanishes from the holds report too. A hold that only
  /// this issue kept stays withheld, blocked by no issue, until someone with
  /// release_payment releases it (as after a close without that permission).
  /// The code is never used again. The assigned fieldworkers and watchers are notified
  /// with the code only; the issue_deleted event carries the storage keys of
  /// the erased attachments for the host to delete. Needs the admin role and
  /// delete_issues. Then scrubs the store's files, as scrub() does: erased
  /// text stays readable in a SQLite write-ahead log until then. When that
  /// cannot happen yet (DeletedIssue::files_scrubbed false: another
  /// connection's open read), the store remembers the scrub is owed, and the
  /// next write, open or close by any connection to it finishes it, as does
  /// scrub(); so does the next open after a crash right after the commit.
  /// On PostgreSQL only a later scrub() finishes it, and the scrub rewrites
  /// the tables an erasure touches under an exclusive lock on each
  /// (complaints/postgres.hpp says how long it takes). A scrub that fails
  /// after the erasure committed (StorageError: a lock wait past its
  /// timeout, a lost connection) is not thrown: files_scrubbed is false and
  /// scrub() must be called again.
  DeletedIssue delete_forever(const Actor &actor, std::string_view code);
  /// Makes content erased by delete forever (by any process) unrecoverable
  /// from the store's files, and settles a scrub left owed: Storage::scrub.
  /// Waits up to the busy timeout for other connections' reads; returns false
  /// when one still prevented it (it stays owed, see delete_forever). Needs
  /// no actor: it changes no content. Throws StorageError (I/O; a read-only
  /// store, where() "read_only").
  bool scrub();

  // --- customer messages (SPEC R7) ------------------------------------------------

  /// Saves a template for this database (a custom one, or a built-in one
  /// customised). It is checked first: each part must parse, use only merge
  /// tags of the catalogue (merge_tags()) and render for every issue whatever
  /// its data (each tag set where it stands, partials known and not
  /// recursive: see docs/messages.md); a new layout must also keep every
  /// template in force rendering. Otherwise TemplateError (an InvalidInput)
  /// names the template, the part, the line and the column, and the template
  /// in force stays. Staff with manage_settings.
  MessageTemplate save_template(const Actor &actor, const MessageTemplate &t);
  /// Goes back to the built-in version, or removes a custom template. A
  /// custom template a workflow still sends is refused (InvalidState). Staff
  /// with manage_settings.
  void reset_template(const Actor &actor, std::string_view name);
  /// The template in force (staff only).
  MessageTemplate message_template(const Actor &actor, std::string_view name);
  /// Built-in and saved template names, ascending (staff only).
  std::vector<std::string> template_names(const Actor &actor);
  /// Acknowledgement mode, branding, SLA promise, discussion link. Staff with manage_settings.
  void set_message_settings(const Actor &actor, const MessageSettings &settings);
  /// Staff only.
  MessageSettings message_settings(const Actor &actor);
  /// Renders template `name` for the issue's audience without queuing it
  /// (e.g. the acknowledgement, when previews are on). Staff only.
  std::vector<RenderedMessage> preview_message(const Actor &actor, std::string_view code, std::string_view name,
                                               Audience audience = Audience::customer);
  /// Renders and queues template `name` (sending or resending it), logged on
  /// the issue's timeline. Staff only.
  std::vector<RenderedMessage> send_message(const Actor &actor, std::string_view code, std::string_view name,
                                            Audience audience = Audience::customer);
  /// The Open Complaints Reminder for a fieldworker: their open complaints.
  /// Staff only; send_reminder queues it.
  RenderedMessage preview_reminder(const Actor &actor, std::string_view fieldworker);
  RenderedMessage send_reminder(const Actor &actor, std::string_view fieldworker);

  // --- time: due work, SLA clocks, the business calendar (SPEC R8) -----------------

  /// Runs what is due at the desk clock's now, oldest first, at most `limit`
  /// items (1 to limits::page_items): workflow timers (their action is taken as `actor`
  /// through the same path as act: roles, effects, timeline, events), SLA
  /// warnings and breaches, To Follow reminders and the scheduled Open
  /// Complaints Reminder. Each item runs in its own transaction with all its
  /// effects, and is taken exactly once even when several desks (in several
  /// processes) run this at once. An item that can no longer run (its action
  /// does not apply to the issue's status any more, a guard or a role refuses
  /// it) is dropped for good with a timeline note; a StorageError leaves the
  /// item due and is thrown (items run before it stay done). A second call at
  /// the same instant does nothing. Returns what ran and what was dropped.
  /// Needs the system role (Forbidden otherwise). docs/time.md shows the loop.
  std::vector<DueRun> process_due(const Actor &actor, std::size_t limit = 100);
  /// When the earliest item falls due (perhaps already: call process_due), or
  /// nullopt when nothing is scheduled. Staff only. An index lookup.
  std::optional<Timestamp> next_due(const Actor &actor);
  /// Sets the desk's business calendar (time zone, working hours, holidays),
  /// used by SLA clocks that start or resume after the change, by new To
  /// Follow reminders and by the reminder schedule (whose next run moves at
  /// once). Needs manage_settings. InvalidInput names the field.
  void set_calendar(const Actor &actor, const BusinessCalendar &calendar);
  /// The issue's SLA clocks with the time used and left as of the desk
  /// clock's now (a snapshot's are as of its last change). Staff only
  /// (Forbidden otherwise); NotFound as get.
  std::vector<SlaClock> sla_clocks(const Actor &actor, std::string_view code);
  /// The calendar in force (the defaults until one is set: UTC, Monday to
  /// Friday 09:00-17:00, no holidays). Any actor.
  BusinessCalendar calendar(const Actor &actor);
  /// How many issues not closed and marked To Follow `user_id` reported or is
  /// assigned to (SPEC R8.2: the To Follow counter). Staff may ask of anyone;
  /// others only of themselves (Forbidden otherwise).
  std::int64_t to_follow_count(const Actor &actor, std::string_view user_id);

  // --- groups and tasks (SPEC R8.4, docs/tasks.md) -----------------------------------

  /// Registers a group or replaces its name and members. Needs staff with
  /// manage_settings. InvalidInput names the field (id: limits::id_bytes,
  /// name: limits::name_bytes, members: registered users, at most
  /// limits::task_assignees). Members keep the tasks they already work.
  void put_group(const Actor &actor, const Group &group);
  /// Every group, by id. Staff only.
  std::vector<Group> groups(const Actor &actor);

  /// Creates a task of a kind the issue's workflow declares on the issue
  /// (staff other than system; Forbidden otherwise), logged on its timeline.
  /// It goes to `req.group` (its open tasks form a claimable queue), to
  /// `req.assignee` directly, or to both (assigned within the group); the
  /// kind's assign_to decides which groups and users are allowed. The kind's
  /// mandatory flag, access and instructions apply unless the kind lets its
  /// creator change them (InvalidInput at the field otherwise). NotFound as
  /// get; InvalidInput naming the field for an unknown kind, group or user.
  Task create_task(const Actor &actor, std::string_view code, const TaskRequest &req);
  /// Takes a claimable task: the actor must be a member of its group
  /// (Forbidden otherwise). Of any number of claims at once, in any number of
  /// threads or processes, exactly one wins; the others get Conflict naming
  /// who has it. A claimed task leaves the group's queue.
  Task claim_task(const Actor &actor, std::int64_t id);
  /// Puts a claimed task back in its group's queue: by whoever works it, or
  /// an admin or supervisor. InvalidState when it has no group or nobody works it.
  Task release_task(const Actor &actor, std::int64_t id);
  /// Reassigns an open task to `group` and/or `user` (at least one), within
  /// what its kind allows. Staff other than system and fieldworkers.
  Task assign_task(const Actor &actor, std::int64_t id, std::string_view group, std::string_view user);
  /// Completes an open task with notes (at most limits::note_bytes), which go
  /// on the case's timeline. Only whoever works it (InvalidState while
  /// nobody does; Forbidden for anyone else).
  Task complete_task(const Actor &actor, std::int64_t id, std::string_view notes);
  /// Cancels an open task, with a reason. Staff other than system and fieldworkers.
  Task cancel_task(const Actor &actor, std::int64_t id, std::string_view reason);
  /// One task: for staff who may see its issue, members of its group and
  /// whoever works it (NotFound for anyone else); Forbidden for customers.
  Task task(const Actor &actor, std::int64_t id);
  /// The tasks of an issue, by id. Staff only; NotFound as get.
  std::vector<Task> tasks(const Actor &actor, std::string_view code);
  /// The open tasks the actor may claim (of the groups they are a member of),
  /// by id, id > after_id, at most `limit` (1 to limits::page_items).
  std::vector<Task> claimable_tasks(const Actor &actor, std::int64_t after_id = 0, std::size_t limit = 100);
  /// The open tasks the actor works, by id, paged as claimable_tasks.
  std::vector<Task> my_tasks(const Actor &actor, std::int64_t after_id = 0, std::size_t limit = 100);
  /// What a task's worker sees of its case, by the task's access level
  /// (docs/tasks.md, "Access levels"): the summary; + the complainant's
  /// contact; + the attachments; + the comments and timeline (everything).
  /// Whoever works the task, and staff who see its issue, get the task's
  /// level; a member of its group who has not claimed it gets the summary.
  /// This is the one call that shows a case through a task: a worker who does
  /// not otherwise see the issue (a fieldworker not on its record) gets
  /// NotFound from get, timeline, thread, attachments and every other call
  /// about it. NotFound as task; customers and the system actor: Forbidden.
  TaskCase task_case(const Actor &actor, std::int64_t id);
  /// One attachment of a task's case with its bytes, for whoever task_case
  /// gives attachments (level attachments or everything); NotFound otherwise,
  /// the same answer whether the attachment, the task or the level is missing.
  Attachment task_attachment(const Actor &actor, std::int64_t task_id, std::int64_t attachment_id);

  // --- outbox (actor must be role system: the host's delivery process) -------

  /// Unacknowledged items by id, oldest first, at most `limit` (1 to
  /// limits::page_items), with id > after_id: the last id of a page gives the next.
  std::vector<OutboxItem> outbox_pending(const Actor &actor, std::size_t limit = 100,
                                         std::int64_t after_id = 0);
  /// Acknowledges delivered items (at most limits::page_items ids a call);
  /// returns how many were pending. Unknown ids are ignored.
  std::size_t outbox_ack(const Actor &actor, std::span<const std::int64_t> ids);

  // --- plumbing ---------------------------------------------------------------

  Events &events() noexcept;
  const Clock &clock() const noexcept;
  /// The backend's deterministic dump of every row (see StorageTransaction::dump):
  /// a diagnostic for the host process itself and for tests, so it takes no actor.
  std::string dump();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace complaints
