/*
** complaints.h - the C API of the complaints library.
**
** A C API over the whole library, for hosts in C, Python (ctypes), Go (cgo)
** and anything else with a C FFI. It follows a few rules throughout:
**
**  - Names are complaints_<noun>_<verb>. Handles are opaque.
**  - Every function that can fail returns an int: COMPLAINTS_OK (0) or a
**    negative COMPLAINTS_E* code. Codes are never renumbered.
**  - Outputs come first. Structured values go in and come out as JSON text
**    (UTF-8, NUL-terminated); docs/c-api.md gives each document's schema.
**  - Every string the library returns through a char ** is the caller's, to
**    be freed with complaints_free(). Strings returned as const char * (error
**    messages, version, strerror) belong to the library.
**  - A NULL where a value is required returns COMPLAINTS_EMISUSE, never
**    crashes. Every *_free / *_close accepts NULL.
**  - No C++ exception crosses this API.
**
** Who may call what: docs/permissions.md is one table of every function
** that takes an actor, role by role and permission by permission; anything
** else is COMPLAINTS_EFORBIDDEN. Each function below says it in short.
**
** Limits and defaults: every size limit (ids 128 bytes, names 100, a
** description 20,000...), page size and default the library applies is in
** one table of docs/c-api.md ("Limits and defaults"), with the code and
** errwhere that exceeding it gives; each function below names its own.
** Sizes are in bytes of UTF-8.
**
** Errors: the returned code says what kind of failure it was. The message
** (what, and where: a field, JSON path or template position) is kept on the
** handle, as sqlite3_errmsg does: complaints_desk_errmsg() gives it and
** complaints_desk_errwhere() the location alone, for the last call made
** through that handle; a successful call clears them. Functions that take no
** handle (opening, actors, validating a workflow) give the message through
** an optional trailing char **errmsg instead. Messages and places are valid
** UTF-8 without control characters, whatever the input: a value quoted from
** it is an excerpt with control characters, bidirectional controls and bytes
** that are not UTF-8 escaped ("\x1b", "\u202e", "\xff").
**
** JSON documents: one strict parser reads them all. Besides a syntax error
** (EINVALID, the argument's name as place) it refuses a duplicate key, a
** number beyond a double or an integer beyond int64_t, bytes that are not
** UTF-8 and objects or arrays nested more than 32 deep, with EINVALID (a
** workflow: EWORKFLOW) and the place as a field path ("inputs.note",
** "record.kind"; in a workflow "$.actions[2].name").
**
** Thread-safety: a desk may be used from several threads at once; calls are
** serialized inside. A handle's message belongs to the handle, not to a
** thread, so it is exact when one thread (or goroutine) at a time uses the
** handle: a host calling from many threads at once gives each its own handle
** with complaints_desk_share(), which is cheap and sees the same store, clock
** and event subscriptions. Actors are immutable once made and may be shared.
*/
#ifndef COMPLAINTS_H
#define COMPLAINTS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && !defined(COMPLAINTS_STATIC)
#define COMPLAINTS_C_API __declspec(dllimport)
#elif defined(__GNUC__)
#define COMPLAINTS_C_API __attribute__((visibility("default")))
#else
#define COMPLAINTS_C_API
#endif

/* ---- versions -------------------------------------------------------------- */

#define COMPLAINTS_C_VERSION_MAJOR 0
#define COMPLAINTS_C_VERSION_MINOR 1
#define COMPLAINTS_C_VERSION_PATCH 0
/** major * 10000 + minor * 100 + patch, of this header. */
#define COMPLAINTS_C_VERSION_NUMBER 100

/** The version of the library actually linked, as COMPLAINTS_C_VERSION_NUMBER. */
COMPLAINTS_C_API int complaints_version_number(void);
/** "0.1.0". Static storage. */
COMPLAINTS_C_API const char *complaints_version(void);

/* ---- errors ------------------------------------------------------------------ */

#define COMPLAINTS_OK 0
#define COMPLAINTS_ENOTFOUND (-1) /* no such issue, record, user, template... or not visible to the actor */
#define COMPLAINTS_EFORBIDDEN (-2) /* the actor's role or permissions do not allow it */
#define COMPLAINTS_EINVALID (-3)   /* malformed or out-of-range input, malformed JSON */
#define COMPLAINTS_ECONFLICT (-4)  /* the issue changed since the caller read it; another claim won the task */
#define COMPLAINTS_EWORKFLOW (-5)  /* invalid workflow, or an effect this version cannot run */
#define COMPLAINTS_ESTORAGE (-6)   /* the storage failed (I/O, locked past the busy timeout) */
#define COMPLAINTS_ESTATE (-7)     /* not possible in the current state (action not available, hold open...) */
#define COMPLAINTS_EINTERNAL (-8)  /* a bug in the library */
#define COMPLAINTS_ENOMEM (-9)     /* out of memory */
#define COMPLAINTS_EMISUSE (-10)   /* NULL where a value is required, an unknown handle or enum value */

/** A short static description of a code ("not found"). Never NULL. */
COMPLAINTS_C_API const char *complaints_strerror(int code);

/** Frees anything the library returned through a char ** (or a byte buffer). NULL is fine. */
COMPLAINTS_C_API void complaints_free(void *p);

/* ---- actors ------------------------------------------------------------------ */

typedef struct complaints_actor complaints_actor;

#define COMPLAINTS_ROLE_ADMIN 0
#define COMPLAINTS_ROLE_SUPERVISOR 1
#define COMPLAINTS_ROLE_OFFICE 2
#define COMPLAINTS_ROLE_FIELDWORKER 3
#define COMPLAINTS_ROLE_CUSTOMER 4
#define COMPLAINTS_ROLE_SYSTEM 5

#define COMPLAINTS_PERM_DELETE_ISSUES 1u
#define COMPLAINTS_PERM_RELEASE_PAYMENT 2u
#define COMPLAINTS_PERM_EDIT_ISSUES 4u
#define COMPLAINTS_PERM_MANAGE_SETTINGS 8u

/**
** Makes the actor a call is made for: the host's user id, a COMPLAINTS_ROLE_*
** and COMPLAINTS_PERM_* bits. The id is checked (EINVALID at "id": empty,
** over 128 bytes, not UTF-8, control characters, a space at either end); an
** unknown role or permission bit is
** EMISUSE. On failure *out is NULL and, if errmsg is not NULL, *errmsg is the
** message, to free with complaints_free. Free the actor with
** complaints_actor_free. Thread-safe.
*/
COMPLAINTS_C_API int complaints_actor_new(complaints_actor **out, const char *id, int role, unsigned permissions,
                                          char **errmsg);
COMPLAINTS_C_API void complaints_actor_free(complaints_actor *actor);

/* ---- desks --------------------------------------------------------------------- */

typedef struct complaints_desk complaints_desk;

/**
** Opens a desk over a SQLite file, created if missing and migrated forward.
** options_json may be NULL or {"sync": "full"|"normal", "busy_timeout_ms": n,
** "cache_kib": n, "clock": "<RFC 3339 UTC instant>", "read_only": bool,
** "immutable": bool, "read_connections": n}. Defaults: "sync" "full",
** "busy_timeout_ms" 10000 (how long a write waits for another connection's,
** then ESTORAGE), "cache_kib" 32768 per connection; both numbers 0 to
** 2147483647; the system clock; read-write; "read_connections" 4 (0 to 64:
** extra connections opened as needed so that reads on several threads run
** side by side and never wait for this desk's write; 0 for one connection). With "clock" the desk's time stands still at that
** instant until complaints_desk_set_clock (for tests and simulations).
** Opening a store whose schema is current takes no write lock and writes
** nothing (unless a scrub is owed: complaints_desk_scrub). "read_only": true opens
** an existing, current store for reading only (a backup, a replica): every
** read works, every changing call fails with ESTORAGE and errwhere
** "read_only", and the library never writes the file (SQLite may create its
** -wal and -shm files beside it). "immutable": true is read-only for a copy
** nobody changes: read without locks, without its -wal and -shm, creating
** nothing (for a directory the process may not write); never for a live file.
** docs/c-api.md and SqliteOptions in complaints/sqlite.hpp say more. On
** failure *out is NULL and, if errmsg is not NULL, *errmsg is the message
** ("options.sync: must be ..."), to free with complaints_free. Errors:
** EINVALID (options), ESTORAGE (cannot open, not a database, newer schema;
** read-only and missing, needing a migration or never set up by a desk),
** EMISUSE (NULL out or path). Thread-safe.
*/
COMPLAINTS_C_API int complaints_desk_open_sqlite(complaints_desk **out, const char *path, const char *options_json,
                                                 char **errmsg);
/** Opens a desk over a new in-memory store (for hosts' tests). Options as above (only "clock" applies). */
COMPLAINTS_C_API int complaints_desk_open_memory(complaints_desk **out, const char *options_json, char **errmsg);
/**
** Opens a desk over a PostgreSQL database (for products running several app
** servers on one database; docs/postgresql.md). `conninfo` is libpq's
** connection string ("host=/run/postgresql dbname=app user=app" or a
** "postgresql://" URI). The desk's tables live in one PostgreSQL schema,
** created if missing and migrated forward (once, even when several processes
** open at once). options_json may be NULL or {"schema": name,
** "create_schema": bool, "statement_timeout_ms": n, "lock_timeout_ms": n,
** "connect_timeout_s": n, "clock": "<RFC 3339 UTC instant>",
** "read_connections": n}. Defaults: "schema" "complaints" (1 to 63 bytes of
** ASCII letters, digits and '_', not starting with a digit nor "pg_"; one
** schema per tenant keeps tenants apart), "create_schema" true,
** "statement_timeout_ms" 30000, "lock_timeout_ms" 10000 (0: no limit; 0 to
** 2147483647), "connect_timeout_s" 10 (0 to 3600; a keyword/value
** conninfo's own connect_timeout wins), "read_connections" 4 (0 to 64: extra
** connections opened as reads on several threads need them). The options of
** a SQLite desk ("sync", "busy_timeout_ms", ...) are refused (EINVALID).
** PostgresOptions in complaints/postgres.hpp says more. A lost connection
** fails the call in progress with ESTORAGE (nothing of it committed) and is
** reopened by the next call; a conflict with another app server's
** transaction is retried inside the library. On failure *out is NULL and, if
** errmsg is not NULL, *errmsg is the message, to free with complaints_free.
** Errors: EINVALID (options; errwhere "options.<key>"; "conninfo" for a NUL
** byte), ESTORAGE (cannot connect or log in, schema missing and not
** to be created, newer schema version; also when the library was built
** without PostgreSQL, errwhere "conninfo"), EMISUSE (NULL out or conninfo).
** Thread-safe.
*/
COMPLAINTS_C_API int complaints_desk_open_postgres(complaints_desk **out, const char *conninfo,
                                                   const char *options_json, char **errmsg);
/**
** Makes *out another handle on the desk `desk` is a handle on: the same store,
** clock and event subscriptions, with its own error message (see Errors
** above). Close it with complaints_desk_close; the store closes with its last
** handle. A success leaves desk's own message as it was. Errors: EMISUSE
** (NULL), ENOMEM. Thread-safe.
*/
COMPLAINTS_C_API int complaints_desk_share(complaints_desk **out, complaints_desk *desk);
/**
** Closes a handle; NULL is fine. Closing the last handle on a desk closes the
** store and ends its event subscriptions. No call may be running on the
** handle, nor (for the last one) on the desk.
*/
COMPLAINTS_C_API void complaints_desk_close(complaints_desk *desk);
/** Moves a desk opened with a "clock" option to another instant (RFC 3339). EMISUSE otherwise. */
COMPLAINTS_C_API int complaints_desk_set_clock(complaints_desk *desk, const char *instant);

/**
** The message of the last call made through this handle if it failed, else "".
** The text stays valid until the calling thread calls complaints_desk_errmsg
** again, even if the handle is closed meanwhile. With a NULL desk: the calling
** thread's last failure of a call made without a handle (a NULL desk, or a
** function that takes none), cleared when such a function succeeds. Never
** NULL; thread-safe.
*/
COMPLAINTS_C_API const char *complaints_desk_errmsg(complaints_desk *desk);
/**
** Where that failure was: a field ("description"), a JSON path
** ("$.actions[2].from[0]") or "". Lifetime as for complaints_desk_errmsg.
*/
COMPLAINTS_C_API const char *complaints_desk_errwhere(complaints_desk *desk);

/* ---- settings: workflows, statuses, issue types, users --------------------------------- */

/**
** Validates a workflow document without installing it. *out: [{"path","message"}],
** empty when valid; malformed JSON or a document over 1 MiB is one problem
** at "$", a document the parser refuses otherwise (see JSON documents above)
** one problem at its place. A workflow holds at most 10,000 statuses and
** actions, 1,000 stages, 100 inputs an action and 100 effects a list
** (docs/workflows.md, "Limits"). Errors: EMISUSE
** (NULL out or workflow_json), with the message in *errmsg if errmsg is not
** NULL. Thread-safe.
*/
COMPLAINTS_C_API int complaints_workflow_validate(char **out, const char *workflow_json, char **errmsg);
/**
** Draws a workflow document as text: *out is Graphviz DOT (format "dot"; `dot -Tsvg` makes an SVG
** from it) or a Mermaid flowchart (format "mermaid"), with statuses filled with their colour and
** grouped by stage, actions as edges labelled with their name and the roles allowed, timers and
** automatic rules drawn apart (docs/workflows.md, "Diagrams"). Names are escaped for the format and
** node ids generated, so any valid workflow gives text the tool parses; the same document always
** gives the same bytes. The document is validated as complaints_workflow_validate does (templates:
** the built-in ones only). Errors: EMISUSE (NULL out, workflow_json or format), EINVALID at
** "format" (neither "dot" nor "mermaid"), EWORKFLOW with the first problem's path as errwhere
** (malformed JSON at "$"); the message also in *errmsg if errmsg is not NULL. Free *out with
** complaints_free(). Thread-safe.
*/
COMPLAINTS_C_API int complaints_workflow_diagram(char **out, const char *workflow_json, const char *format,
                                                 char **errmsg);
/**
** Draws the installed workflow `name` as complaints_workflow_diagram draws a document (format "dot"
** or "mermaid"), as this database validated it: templates saved in the database count, which the
** handle-less function does not know. Any actor. Errors: ENOTFOUND (no such workflow), EINVALID at
** "format", EMISUSE (NULL desk, out, actor, name or format). Free *out with complaints_free().
*/
COMPLAINTS_C_API int complaints_workflow_draw(complaints_desk *desk, char **out, const complaints_actor *actor,
                                              const char *name, const char *format);
/**
** Installs (or replaces) a workflow given as JSON, validated against this
** database, as complaints_workflow_validate says. Staff with manage_settings:
** EFORBIDDEN otherwise (checked before the document is read), EWORKFLOW with
** the first problem's path as errwhere, ESTATE when a status still in use
** would disappear.
*/
COMPLAINTS_C_API int complaints_workflow_install(complaints_desk *desk, const complaints_actor *actor,
                                                 const char *workflow_json);
/** Installs a built-in workflow: "field-service", "staged-escalation" or "customer-confirmation". Staff with
 ** manage_settings. (A new database has "field-service".) */
COMPLAINTS_C_API int complaints_workflow_install_builtin(complaints_desk *desk, const complaints_actor *actor,
                                                         const char *name);
/** *out: the workflow document. Any actor. */
COMPLAINTS_C_API int complaints_workflow_get(complaints_desk *desk, char **out, const complaints_actor *actor,
                                             const char *name);
/** *out: ["field-service", ...]. Any actor. */
COMPLAINTS_C_API int complaints_workflow_list(complaints_desk *desk, char **out, const complaints_actor *actor);
/** Adds a custom status {"name","colour","category"} to a live workflow: a name of at most 100 bytes, colour
 ** "#RRGGBB" (default "#808080"). Staff with manage_settings. */
COMPLAINTS_C_API int complaints_status_add(complaints_desk *desk, const complaints_actor *actor, const char *workflow,
                                           const char *status_json);
/** Adds an issue type {"name","colour"} (name at most 100 bytes, colour default "#808080"), or recolours one.
 ** Staff with manage_settings. *out of complaints_type_list (any actor): [{"name","colour"}]. */
COMPLAINTS_C_API int complaints_type_add(complaints_desk *desk, const complaints_actor *actor, const char *type_json);
COMPLAINTS_C_API int complaints_type_list(complaints_desk *desk, char **out, const complaints_actor *actor);
/**
** Registers a user {"id","role","name","settings":{"scope","push","sms","email"}}: id at most 128
** bytes, name at most 100; "settings" absent: the role's defaults (scope "all"; push for staff and
** fieldworkers, email for customers). Staff only; a new admin, or writing over a registered user,
** needs COMPLAINTS_PERM_MANAGE_SETTINGS.
*/
COMPLAINTS_C_API int complaints_user_put(complaints_desk *desk, const complaints_actor *actor, const char *user_json);
/** *out: a registered user. Staff may read anyone, others only themselves (ENOTFOUND otherwise). */
COMPLAINTS_C_API int complaints_user_get(complaints_desk *desk, char **out, const complaints_actor *actor,
                                         const char *id);
/** settings_json: {"scope","push","sms","email"}. Anyone their own; staff with manage_settings anyone's. */
COMPLAINTS_C_API int complaints_user_set_settings(complaints_desk *desk, const complaints_actor *actor,
                                                  const char *user_id, const char *settings_json);

/* ---- records --------------------------------------------------------------------------- */

/**
** Registers or updates a record: {"kind","id","customer_id","fieldworkers":[...],"visibility","paid_out",
** "invoice_id"}; ids at most 128 bytes ("invoice_id" may be empty), at most 100 fieldworkers (none
** twice), "visibility" default "restricted", "paid_out" default false. Staff only.
*/
COMPLAINTS_C_API int complaints_record_put(complaints_desk *desk, const complaints_actor *actor,
                                           const char *record_json);
/** *out: the record, if the actor may see it (staff, its customer, an assigned fieldworker). */
COMPLAINTS_C_API int complaints_record_get(complaints_desk *desk, char **out, const complaints_actor *actor,
                                           const char *kind, const char *id);
/** Moves every issue of one record to another (registered). Staff only. *out: the moved issues. */
COMPLAINTS_C_API int complaints_record_relink(complaints_desk *desk, char **out, const complaints_actor *actor,
                                              const char *from_kind, const char *from_id, const char *to_kind,
                                              const char *to_id);

/* ---- issues ---------------------------------------------------------------------------- */

/**
** Reports an issue (request schema: docs/c-api.md). *out: the issue. Staff and the record's
** customer. A customer's request may not carry "fieldworkers", "hold_amounts", "to_follow",
** "deferred_date" or "follow_up_date" (EFORBIDDEN, errwhere naming the key). "description" is
** required, at most 20,000 bytes; "workflow" default "field-service"; "channel" default
** "customer_portal" for a customer (the only one allowed), "import" for the system role, else
** "office"; "fieldworkers" default all of the record's (at most 100).
*/
COMPLAINTS_C_API int complaints_issue_report(complaints_desk *desk, char **out, const complaints_actor *actor,
                                             const char *request_json);
/** Takes a workflow action: {"action","inputs":{...},"expected_version"}; each input's text at most 10,000
 ** bytes (or its declared max_length). Who may: the action's "allow" rules. *out: the issue. */
COMPLAINTS_C_API int complaints_issue_act(complaints_desk *desk, char **out, const complaints_actor *actor,
                                          const char *code, const char *request_json);
/** Edits {"type","description","to_follow","deferred_date","follow_up_date","expected_version"}; a date may be
 ** null to clear it; description at most 20,000 bytes. Needs edit_issues (never a customer). */
COMPLAINTS_C_API int complaints_issue_edit(complaints_desk *desk, char **out, const complaints_actor *actor,
                                           const char *code, const char *edit_json);
/** *out: the issue with this code, if the actor may see it (ENOTFOUND otherwise, as for no issue). Any actor. */
COMPLAINTS_C_API int complaints_issue_get(complaints_desk *desk, char **out, const complaints_actor *actor,
                                          const char *code);
/**
** Issues matching filter_json (schema: docs/c-api.md) among those the actor may see, by number
** ascending: at most "limit" (default 100, 1 to 10,000; EINVALID at "limit"). The next page is the
** same filter with "after_number" set to the "number" of this page's last issue; a page shorter
** than "limit" is the last. NULL is {}: the first 100 issues. *out: an array of issues. Any actor.
*/
COMPLAINTS_C_API int complaints_issue_list(complaints_desk *desk, char **out, const complaints_actor *actor,
                                           const char *filter_json);
/**
** Full-text search (docs/reporting.md, "Search") over the issues the actor may see: their
** descriptions, comments and attachment names (a customer's search reads only what customers may see).
** search_json: {"query": "roof leak*", "limit": 50, "offset": 0, "snippet_words": 16,
** "mark_open": "[", "mark_close": "]"}; only "query" is required (1 to 200 bytes, at most 16 words
** and phrases). *out: an array of {"issue", "score", "snippet"}, most relevant first, then by issue
** number. A query that does not parse is COMPLAINTS_EINVALID with errwhere "query, byte N". Any actor.
*/
COMPLAINTS_C_API int complaints_search(complaints_desk *desk, char **out, const complaints_actor *actor,
                                       const char *search_json);
/**
** The issues of complaints_search with {"query": text, "limit": limit} (1 to 10,000), without
** scores or snippets. Any actor.
*/
COMPLAINTS_C_API int complaints_issue_search(complaints_desk *desk, char **out, const complaints_actor *actor,
                                             const char *text, int limit);
/**
** The dashboard of the issues reported in [from, to) (docs/reporting.md, "Dashboards", names every
** figure). dashboard_json: {"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"} required,
** optional "workflow", "record_kind", "type", "fieldworker", "stage" (filters), "repeat_days" (default
** 30, 1 to 366), "top" (default 10, 1 to 100), "stalled_after_hours" (default 336, 0 to 87,840).
** *out: the dashboard document, durations in milliseconds. Staff, and fieldworkers (their own issues
** and holds); customers COMPLAINTS_EFORBIDDEN.
*/
COMPLAINTS_C_API int complaints_dashboard(complaints_desk *desk, char **out, const complaints_actor *actor,
                                          const char *dashboard_json);
/** *out: the names of the actions the actor could take now. Any actor who may see the issue. */
COMPLAINTS_C_API int complaints_issue_actions(complaints_desk *desk, char **out, const complaints_actor *actor,
                                              const char *code);
/** *out: the timeline entries the actor may see, all of them. Any actor who may see the issue. */
COMPLAINTS_C_API int complaints_issue_timeline(complaints_desk *desk, char **out, const complaints_actor *actor,
                                               const char *code);
/** Recomputes the issue's hash chain. *out: {"ok","entries","broken_seq","reason"}. Staff only. */
COMPLAINTS_C_API int complaints_issue_verify(complaints_desk *desk, char **out, const complaints_actor *actor,
                                             const char *code);
/**
** Erases an issue forever (an admin with COMPLAINTS_PERM_DELETE_ISSUES), then
** scrubs the files as complaints_desk_scrub does. *out (may be NULL):
** {"code","comments","attachments","timeline_entries","outbox_items","storage_keys","files_scrubbed"};
** "files_scrubbed" false means another connection's read delayed the scrub:
** the store remembers it is owed (see complaints_desk_scrub).
*/
COMPLAINTS_C_API int complaints_issue_delete(complaints_desk *desk, char **out, const complaints_actor *actor,
                                             const char *code);
/**
** Makes the text erased by complaints_issue_delete (by any process) unrecoverable
** from the store's files, finishing a scrub left owed: SQLite's write-ahead log
** is checkpointed and truncated, waiting up to the busy timeout for other
** connections' reads. An owed scrub is also finished by the next write, open
** or close of any connection to the store, so after a crash too; this call
** is for a host that wants it done now. *scrubbed (may be NULL): 1 when done
** (always for an in-memory desk), 0 when another connection's open read still
** prevented it. Errors: ESTORAGE (I/O; a read-only desk, errwhere "read_only"),
** EMISUSE (NULL desk). Thread-safe.
*/
COMPLAINTS_C_API int complaints_desk_scrub(complaints_desk *desk, int *scrubbed);

/* ---- discussion, watchers, links --------------------------------------------------------- */

/**
** {"body","internal","reply_to","attachments":[attachment request]}. *out: the comment. Any actor
** who may see the issue. "body" is required, at most 20,000 bytes; "internal" default true (staff
** and fieldworkers only; a customer's comment is always public); at most 20 attachments, each as
** complaints_attachment_add takes it. An attachment's "internal" absent follows the comment, true
** keeps it internal on a public comment, false on an internal comment (or a customer's true) is
** EINVALID at "attachments[i].internal".
*/
COMPLAINTS_C_API int complaints_comment_add(complaints_desk *desk, char **out, const complaints_actor *actor,
                                            const char *code, const char *comment_json);
/** *out: the comments the actor may see, in order, all of them (a customer's: public ones, without internal
 ** attachments). */
COMPLAINTS_C_API int complaints_comment_list(complaints_desk *desk, char **out, const complaints_actor *actor,
                                             const char *code);
/**
** Attaches a file to an issue: {"name","media_type","storage_key"|"bytes_base64","size","sha256","internal"}.
** Any actor who may see the issue. "internal" absent: internal (a customer's: public; a customer's
** true is EINVALID at "attachment.internal"). The library keeps at most 10 MiB of bytes (EINVALID at
** "attachment.bytes_base64"; keep larger files yourself and give "storage_key", at most 1,024 bytes,
** with "size", 0 to 2^40, and "sha256"); "name" at most 255 bytes; "media_type" a lower-case
** type/subtype of at most 127.
*/
COMPLAINTS_C_API int complaints_attachment_add(complaints_desk *desk, char **out, const complaints_actor *actor,
                                               const char *code, const char *attachment_json);
/** *out: the issue's attachments (without bytes) the actor may see. Any actor who may see the issue. */
COMPLAINTS_C_API int complaints_attachment_list(complaints_desk *desk, char **out, const complaints_actor *actor,
                                                const char *code);
/** The bytes of an attachment kept by the library: *out (free with complaints_free) and *len. Any actor who may
 ** see it (ENOTFOUND otherwise); ESTATE when the host keeps the file (a storage_key). */
COMPLAINTS_C_API int complaints_attachment_bytes(complaints_desk *desk, unsigned char **out, size_t *len,
                                                 const complaints_actor *actor, int64_t id);
/** Adds (watch != 0) or removes a watcher: staff anyone, fieldworkers themselves, customers nobody.
 ** *out (may be NULL): the watchers. */
COMPLAINTS_C_API int complaints_watcher_set(complaints_desk *desk, char **out, const complaints_actor *actor,
                                            const char *code, const char *user_id, int watch);
/** Links (link != 0) or unlinks two issues; kind: "related" or "duplicate_of". Staff only. */
COMPLAINTS_C_API int complaints_link_set(complaints_desk *desk, const complaints_actor *actor, const char *code,
                                         const char *other, const char *kind, int link);
/** *out: [{"other_code","kind","outgoing","created_by","created_at"}], the linked issues the actor may also
 ** see. Any actor who may see the issue. */
COMPLAINTS_C_API int complaints_link_list(complaints_desk *desk, char **out, const complaints_actor *actor,
                                          const char *code);

/* ---- payment holds --------------------------------------------------------------------- */

/** May the host pay this fieldworker for this record? *out: a decision (docs/c-api.md). Staff and system. */
COMPLAINTS_C_API int complaints_hold_may_pay(complaints_desk *desk, char **out, const complaints_actor *actor,
                                             const char *record_kind, const char *record_id, const char *fieldworker);
/** The same for many: queries_json [{"record":{"kind","id"},"fieldworker"}], at most 100,000 (EINVALID at
 ** "queries"); *out: an array of decisions, in order. Staff and system. */
COMPLAINTS_C_API int complaints_hold_may_pay_many(complaints_desk *desk, char **out, const complaints_actor *actor,
                                                  const char *queries_json);
/** Withholds by hand: {"record","fieldworker","amount":{"minor","currency"},"scope","reason"}: "reason"
 ** required, at most 10,000 bytes; "amount" optional, "minor" 0 to 10^15; "scope" default "portion". Admin,
 ** supervisor and office. *out: the hold. */
COMPLAINTS_C_API int complaints_hold_withhold(complaints_desk *desk, char **out, const complaints_actor *actor,
                                              const char *request_json);
/** Releases: {"record","fieldworker","reason","override"}; staff with COMPLAINTS_PERM_RELEASE_PAYMENT
 ** ("override", default false: an admin); "reason" required, at most 10,000 bytes. *out: the hold. */
COMPLAINTS_C_API int complaints_hold_release(complaints_desk *desk, char **out, const complaints_actor *actor,
                                             const char *request_json);
/** filter_json may be NULL: {"record","invoice","fieldworker","state","withheld_before","limit"}. *out: holds by
 ** record and fieldworker, at most "limit" (default 1,000, 1 to 100,000); no paging: filter instead. Staff see
 ** every hold, a fieldworker their own; not customers. */
COMPLAINTS_C_API int complaints_hold_list(complaints_desk *desk, char **out, const complaints_actor *actor,
                                          const char *filter_json);
/** Holds withheld for at least `days` (from 0), at most 100,000. Staff only. */
COMPLAINTS_C_API int complaints_hold_stalled(complaints_desk *desk, char **out, const complaints_actor *actor,
                                             int days);
/** The finance report of [from, to) (RFC 3339), every ledger line in it. Staff only. */
COMPLAINTS_C_API int complaints_hold_report(complaints_desk *desk, char **out, const complaints_actor *actor,
                                            const char *from, const char *to);

/* ---- customer messages ------------------------------------------------------------------- */

/**
** Saves a template {"name","title","subject","body_html","body_text","single_brace"}; checked first
** (docs/messages.md): "name" 1 to 64 bytes of a-z, 0-9 and _; "title" at most 100 bytes; "subject"
** required (but for "layout"); each part at most 64 KiB, sections, partials and blocks at most 100
** deep. The only partial is "layout" (the built-in base layout, or the one saved), in the bodies;
** other templates are not partials. A failure is EINVALID at the part or its position ("template
** 'notice.subject', line 1, column 7"). Staff with manage_settings.
*/
COMPLAINTS_C_API int complaints_template_save(complaints_desk *desk, const complaints_actor *actor,
                                              const char *template_json);
/** Goes back to the built-in template, or removes a custom one (ESTATE while a workflow sends it). Staff with
 ** manage_settings. */
COMPLAINTS_C_API int complaints_template_reset(complaints_desk *desk, const complaints_actor *actor,
                                               const char *name);
/** *out: the template in force; complaints_template_list: every name. Staff only. */
COMPLAINTS_C_API int complaints_template_get(complaints_desk *desk, char **out, const complaints_actor *actor,
                                             const char *name);
COMPLAINTS_C_API int complaints_template_list(complaints_desk *desk, char **out, const complaints_actor *actor);
/**
** Sets {"acknowledgement","branding":{...},"sla_promise","discussion_url","reminder_schedule"}; absent keys
** take their defaults: "acknowledgement" "automatic" (queued with every report; "preview", "off"),
** branding "Our team", colour "#1F4E79", signature "Customer Care", "sla_promise" "We will be in touch
** by {due}." (at most 1,000 bytes), no discussion link, "reminder_schedule" null. URLs at most 2,048
** bytes, http(s). Staff with manage_settings; complaints_message_settings_get: staff.
*/
COMPLAINTS_C_API int complaints_message_settings_set(complaints_desk *desk, const complaints_actor *actor,
                                                     const char *settings_json);
COMPLAINTS_C_API int complaints_message_settings_get(complaints_desk *desk, char **out, const complaints_actor *actor);
/** Renders (send = 0) or renders and queues (send != 0) a template for the issue's audience
 ** ("customer" or "fieldworkers"; NULL: "customer"). Staff only.
 ** *out: [{"template","recipient","subject","body_html","body_text","outbox_id"}]. */
COMPLAINTS_C_API int complaints_message_render(complaints_desk *desk, char **out, const complaints_actor *actor,
                                               const char *code, const char *name, const char *audience, int send);
/** The Open Complaints Reminder for a fieldworker, rendered (send = 0) or queued. Staff only. *out: one message. */
COMPLAINTS_C_API int complaints_message_reminder(complaints_desk *desk, char **out, const complaints_actor *actor,
                                                 const char *fieldworker, int send);

/* ---- time: due work, SLA clocks, the business calendar (docs/time.md) ------------------------ */

/**
** Runs what is due at the desk clock's now, oldest first, at most `limit`
** items (1 to 10000): workflow timers (their action taken as `actor`), SLA
** warnings and breaches, To Follow reminders, the scheduled Open Complaints
** Reminder. Each item runs in its own transaction and is taken exactly once,
** even with several processes on one database. An item that can no longer
** run is dropped with a timeline note; a storage error leaves it due
** (ESTORAGE; items before it stay done). Actor: role system (EFORBIDDEN).
** *out: [{"issue_code","kind","name","due_at","outcome":"ran"|"dropped","detail"}].
*/
COMPLAINTS_C_API int complaints_due_process(complaints_desk *desk, char **out, const complaints_actor *actor,
                                            int limit);
/**
** When the earliest item falls due: *out {"next_due": "<RFC 3339>"} (perhaps
** already past: run complaints_due_process), or {"next_due": null} when
** nothing is scheduled. Staff only.
*/
COMPLAINTS_C_API int complaints_due_next(complaints_desk *desk, char **out, const complaints_actor *actor);
/**
** Sets the business calendar: {"time_zone": "Europe/London", "hours": {"mon":
** ["09:00-17:00"], ..., "sun": []}, "holidays": ["2026-12-25", ...]}. A day left
** out of "hours" has no working time; "hours" left out keeps Monday to Friday
** 09:00-17:00; "time_zone" left out is "UTC". At most 24 periods a day and
** 1,000 holidays. Needs manage_settings. EINVALID names the field: a malformed
** document's ("hours.tue[1]"), or an impossible calendar's ("calendar.time_zone",
** "calendar.hours.tue[1]": an unknown zone, overlapping periods, no working time).
*/
COMPLAINTS_C_API int complaints_calendar_set(complaints_desk *desk, const complaints_actor *actor,
                                             const char *calendar_json);
/** *out: the calendar in force, as complaints_calendar_set takes it. Any actor. */
COMPLAINTS_C_API int complaints_calendar_get(complaints_desk *desk, char **out, const complaints_actor *actor);
/**
** The issue's SLA clocks with time used and left as of now (the issue
** document's are as of its last change): *out [{"name","state","business",
** "started_at","budget_ms","used_ms","left_ms","as_of","due_at","warn_at",
** "warn_percent","paused_by_status","warned","breached","breached_at"}]. Staff only.
*/
COMPLAINTS_C_API int complaints_issue_slas(complaints_desk *desk, char **out, const complaints_actor *actor,
                                           const char *code);
/**
** The To Follow counter (SPEC R8.2): how many issues not closed and marked
** To Follow `user_id` reported or is assigned to. Staff may ask of anyone,
** others only of themselves.
*/
COMPLAINTS_C_API int complaints_issue_to_follow_count(complaints_desk *desk, int64_t *count,
                                                      const complaints_actor *actor, const char *user_id);

/* ---- groups and tasks (docs/tasks.md) ------------------------------------------------------ */

/*
** A task is a piece of work on one issue, of a kind the issue's workflow
** declares under "tasks" (docs/workflows.md). It goes to a group (its open,
** unclaimed tasks are the group's claimable queue), to a user, or to both.
** Every task function below gives the task back in *out as a task document
** (docs/c-api.md); a refused call changes nothing. Task ids are 1, 2, ... per
** database, never reused; an id of 0 or below is EINVALID at "id", an
** unknown one (or one the actor may not see) ENOTFOUND at "id". Only an open
** task is claimed, released, reassigned, completed or cancelled (ESTATE at
** "id" otherwise). Each change is an internal "task" entry on the issue's
** timeline.
*/

/**
** Registers a group or replaces its name and members: {"id","name","members":[user ids]}; "id" at
** most 128 bytes, "name" 1 to 100, "members" registered users of a role that works tasks (admin,
** supervisor, office, fieldworker), at most 1,000 (EINVALID at "members[i]"). Members taken out keep
** the tasks they already work. Staff with manage_settings.
*/
COMPLAINTS_C_API int complaints_group_put(complaints_desk *desk, const complaints_actor *actor,
                                          const char *group_json);
/** *out: every group, by id: [{"id","name","members"}]. Staff. */
COMPLAINTS_C_API int complaints_group_list(complaints_desk *desk, char **out, const complaints_actor *actor);
/**
** Creates a task on issue `code`: {"kind","group","assignee","mandatory","access","instructions"}.
** "kind" required, a kind the issue's workflow declares (EINVALID at "kind"); "group", "assignee" or
** both (assigned within the group: a member), within what the kind's assign_to allows (EINVALID at
** "group" or "assignee"). "mandatory", "access" and "instructions" (at most 10,000 bytes) default to
** the kind's; setting one is EINVALID at it unless the kind lets its creator change them. "access"
** ("summary", "contact", "attachments", "everything"). ESTATE on a closed issue. Admin, supervisor
** and office.
*/
COMPLAINTS_C_API int complaints_task_create(complaints_desk *desk, char **out, const complaints_actor *actor,
                                            const char *code, const char *request_json);
/**
** Claims a task from its group's queue: a member of the group (EFORBIDDEN otherwise). Of any number
** of claims at once, through any handles, threads or processes on one database, exactly one wins;
** the others get ECONFLICT at "id" naming who has it (ESTATE if the claimer has it already, or the
** task was assigned to a user without a group). A claimed task leaves every queue.
*/
COMPLAINTS_C_API int complaints_task_claim(complaints_desk *desk, char **out, const complaints_actor *actor,
                                           int64_t id);
/** Puts a claimed task back in its group's queue: whoever works it, an admin or a supervisor. ESTATE when it
 ** has no group or nobody works it. */
COMPLAINTS_C_API int complaints_task_release(complaints_desk *desk, char **out, const complaints_actor *actor,
                                             int64_t id);
/** Reassigns an open task to `group` and/or `user` (NULL or "": none; at least one, EINVALID at "group"
 ** otherwise), within what its kind allows. Admin, supervisor and office. */
COMPLAINTS_C_API int complaints_task_assign(complaints_desk *desk, char **out, const complaints_actor *actor,
                                            int64_t id, const char *group, const char *user);
/** Completes a task with `notes` (may be "", at most 10,000 bytes), which go on the issue's timeline; sends
 ** the kind's send_template to the customer. Only whoever works it (ESTATE while nobody does). */
COMPLAINTS_C_API int complaints_task_complete(complaints_desk *desk, char **out, const complaints_actor *actor,
                                              int64_t id, const char *notes);
/** Cancels an open task with a `reason` (required, at most 10,000 bytes). Admin, supervisor and office. */
COMPLAINTS_C_API int complaints_task_cancel(complaints_desk *desk, char **out, const complaints_actor *actor,
                                            int64_t id, const char *reason);
/** *out: one task. Staff who may see its issue, members of its group and whoever works it (ENOTFOUND for
 ** anyone else); EFORBIDDEN for customers. */
COMPLAINTS_C_API int complaints_task_get(complaints_desk *desk, char **out, const complaints_actor *actor,
                                         int64_t id);
/** *out: every task of the issue, by id, whatever its state. Staff (ENOTFOUND as complaints_issue_get). */
COMPLAINTS_C_API int complaints_task_list(complaints_desk *desk, char **out, const complaints_actor *actor,
                                          const char *code);
/**
** *out: the open, unclaimed tasks of the groups the actor is a member of, by id, with id > after_id,
** at most `limit` (1 to 10,000; EINVALID at "limit"): pass the last id of a page for the next.
** Admin, supervisor, office and fieldworkers. A "next task" button asks for one and claims it, and
** on ECONFLICT asks again.
*/
COMPLAINTS_C_API int complaints_task_claimable(complaints_desk *desk, char **out, const complaints_actor *actor,
                                               int limit, int64_t after_id);
/** *out: the open tasks the actor works, paged as complaints_task_claimable. Admin, supervisor, office and
 ** fieldworkers. */
COMPLAINTS_C_API int complaints_task_mine(complaints_desk *desk, char **out, const complaints_actor *actor,
                                          int limit, int64_t after_id);

/**
** *out: what the task's worker sees of its case, by the task's access level (docs/tasks.md, "Access
** levels"): {"task","access","issue","contact","attachments","comments","timeline"}; "issue" holds
** the summary fields only (the others empty), "contact" is null below level contact,
** {"customer_id","name"} from it. Whoever works the task and staff who see its issue get the task's
** level; a member of its group who has not claimed it the summary. ENOTFOUND as complaints_task_get;
** EFORBIDDEN for customers and the system role.
*/
COMPLAINTS_C_API int complaints_task_case(complaints_desk *desk, char **out, const complaints_actor *actor,
                                          int64_t id);
/** The bytes of attachment `attachment_id` of task `id`'s case, for whoever complaints_task_case gives
 ** attachments (level attachments or everything): *out (free with complaints_free) and *len. ENOTFOUND
 ** otherwise; ESTATE when the host keeps the file (a storage_key). */
COMPLAINTS_C_API int complaints_task_attachment(complaints_desk *desk, unsigned char **out, size_t *len,
                                                const complaints_actor *actor, int64_t id, int64_t attachment_id);

/* ---- outbox ------------------------------------------------------------------------------- */

/**
** Pending items by id, oldest first, at most `limit` (1 to 10,000; EINVALID at "limit"), with
** id > after_id: pass the last id of a page for the next (or 0 once a page is acknowledged).
** Actor: role system.
*/
COMPLAINTS_C_API int complaints_outbox_pending(complaints_desk *desk, char **out, const complaints_actor *actor,
                                               int limit, int64_t after_id);
/** Acknowledges delivered items, at most 10,000 ids a call (EINVALID at "ids"); unknown ids are ignored.
 ** *acked (may be NULL): how many were pending. Actor: role system. */
COMPLAINTS_C_API int complaints_outbox_ack(complaints_desk *desk, size_t *acked, const complaints_actor *actor,
                                           const int64_t *ids, size_t count);

/* ---- the complaint register export (docs/reporting.md, "Export") ---------------------------- */

/**
** Receives the export in order, a chunk at a time: `size` bytes of UTF-8 at
** `chunk` (not NUL-terminated), valid during the call only; a page of rows
** per call, the CSV header with the first. Called on the calling thread,
** outside the desk's lock: it may call the desk. Return 0 to go on; anything
** else stops the export, which then returns COMPLAINTS_ESTATE (errwhere "sink").
*/
typedef int (*complaints_export_sink)(void *user, const char *chunk, size_t size);

/**
** Exports the complaint register: one row per issue, by number, with its
** fields, SLA clocks as of now, case fields and resolution (docs/reporting.md
** names every column). export_json (NULL is {}): a filter as
** complaints_issue_list takes ("after_number" starts after that issue;
** "limit" is not used: the export runs to the last matching issue) with two
** more keys: "format", "csv" (RFC 4180, the default) or "json_lines", and
** "page_issues", the issues read per read transaction (default 500, 1 to
** 10,000; EINVALID at "page_issues"). Memory stays that of one page.
** *summary (may be NULL): {"rows": n, "last_number": n, "columns": [...]},
** to free with complaints_free; NULL on failure. Staff only (admin,
** supervisor, office, system); fieldworkers and customers EFORBIDDEN.
**
** complaints_export_file writes to `path`, by way of "<path>.partial",
** renamed over `path` when the export is complete: on any failure `path` is
** as it was and the partial file is removed. EINVALID at "path" when it
** cannot be created, ESTORAGE at "path" when writing or renaming fails.
*/
COMPLAINTS_C_API int complaints_export_file(complaints_desk *desk, char **summary, const complaints_actor *actor,
                                            const char *path, const char *export_json);
/** The same to fn(user, ...); fn must not be NULL (EMISUSE). */
COMPLAINTS_C_API int complaints_export_callback(complaints_desk *desk, char **summary, const complaints_actor *actor,
                                                const char *export_json, complaints_export_sink fn, void *user);

/* ---- events ------------------------------------------------------------------------------- */

#define COMPLAINTS_EVENT_ISSUE_REPORTED 0
#define COMPLAINTS_EVENT_STATUS_CHANGED 1
#define COMPLAINTS_EVENT_ISSUE_EDITED 2
#define COMPLAINTS_EVENT_ISSUE_RELINKED 3
#define COMPLAINTS_EVENT_SETTINGS_CHANGED 4
#define COMPLAINTS_EVENT_PAYMENT_WITHHELD 5
#define COMPLAINTS_EVENT_PAYMENT_RELEASED 6
#define COMPLAINTS_EVENT_COMMENT_ADDED 7
#define COMPLAINTS_EVENT_USER_MENTIONED 8
#define COMPLAINTS_EVENT_ATTACHMENT_ADDED 9
#define COMPLAINTS_EVENT_ISSUE_LINKED 10
#define COMPLAINTS_EVENT_WATCHERS_CHANGED 11
#define COMPLAINTS_EVENT_ISSUE_DELETED 12
#define COMPLAINTS_EVENT_MESSAGE_QUEUED 13
#define COMPLAINTS_EVENT_SLA_WARNING 14
#define COMPLAINTS_EVENT_SLA_BREACHED 15
#define COMPLAINTS_EVENT_REMINDER_DUE 16
/* Tasks (docs/tasks.md): "item_id" is the task's id, "detail" its kind. */
#define COMPLAINTS_EVENT_TASK_CREATED 17
#define COMPLAINTS_EVENT_TASK_CLAIMED 18
#define COMPLAINTS_EVENT_TASK_RELEASED 19
#define COMPLAINTS_EVENT_TASK_ASSIGNED 20
#define COMPLAINTS_EVENT_TASK_COMPLETED 21
#define COMPLAINTS_EVENT_TASK_CANCELLED 22
/** Every kind: for complaints_desk_on. */
#define COMPLAINTS_EVENT_ANY (-1)

/**
** An event callback: `kind` is a COMPLAINTS_EVENT_*, `event_json` the event
** (docs/c-api.md), valid during the call only. It runs on the thread that
** made the change, after the change committed and after the desk's lock was
** released: it may call the desk. It cannot undo the change; it should not
** longjmp out of the library.
*/
typedef void (*complaints_event_fn)(void *user, int kind, const char *event_json);

/** Calls fn(user, ...) for each event of `kind` (or COMPLAINTS_EVENT_ANY). *id: for complaints_desk_off. */
COMPLAINTS_C_API int complaints_desk_on(complaints_desk *desk, int64_t *id, int kind, complaints_event_fn fn,
                                        void *user);
/**
** Stops a callback, through any handle on the desk; an unknown id is EMISUSE.
** When it returns, fn is not running on any thread and will not be called
** again, so `user` may be freed. Called from inside an event callback it does
** not wait (the callback it would wait for might be waiting for this one):
** fn is not called again, but a delivery under way on another thread may
** still be finishing.
*/
COMPLAINTS_C_API int complaints_desk_off(complaints_desk *desk, int64_t id);

#ifdef __cplusplus
}
#endif

#endif /* COMPLAINTS_H */
