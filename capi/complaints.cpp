// The C API: every function turns its C arguments into C++ values, calls the
// Desk, and turns the result into JSON, all inside one guard that maps every
// exception to a stable error code (handle.hpp). Nothing else lives here; the
// JSON documents are in src/json. Settings (workflows, statuses, issue types,
// users) are in settings.cpp, groups and tasks in tasks.cpp, the export in export.cpp.
#include "complaints.h"
#include "handle.hpp"

#include <cstdlib>
#include <cstring>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "complaints/complaints.hpp"
#ifdef COMPLAINTS_HAVE_POSTGRES
#include "complaints/postgres.hpp"
#endif

using namespace complaints;
using namespace complaints::capi;

namespace {

// Lets complaints_desk_off promise that a callback has finished: deliveries
// count themselves in and out, and off waits for the count to drain.
struct Gate {
  std::mutex mutex;
  std::condition_variable drained;
  bool open = true;
  int running = 0;
};

struct Subscription {
  boost::signals2::scoped_connection connection;
  std::shared_ptr<Gate> gate;
};

// How many event callbacks the calling thread is inside.
thread_local int callback_depth = 0;

}  // namespace

// What every handle on one open desk shares: the Desk, its clock and the
// event subscriptions. It closes with its last handle.
struct complaints_store {
  complaints_store(Desk d, std::shared_ptr<ManualClock> c) : desk(std::move(d)), clock(std::move(c)) {}
  Desk desk;
  std::shared_ptr<ManualClock> clock;  // set when opened with a fixed "clock"
  std::mutex subscriptions_mutex;
  std::map<std::int64_t, Subscription> subscriptions;  // destroyed before desk: disconnects first
  std::int64_t next_subscription = 1;
};

complaints_desk::complaints_desk(std::shared_ptr<complaints_store> s) : store(std::move(s)), desk(store->desk) {}

Desk &complaints::capi::desk_of(complaints_desk *handle) noexcept { return handle->desk; }

namespace {

RecordKind kind_of(const char *kind, const char *name) {
  auto k = record_kind_from_string(need_text(kind, name));
  if (!k) throw InvalidInput("is not quote, booking or invoice", name);
  return *k;
}

std::unique_ptr<complaints_desk> make_handle(std::unique_ptr<Storage> storage, const std::shared_ptr<ManualClock> &clock,
                                             std::size_t read_connections = DeskOptions{}.read_connections) {
  DeskOptions o;
  if (clock) o.clock = clock;
  o.read_connections = read_connections;
  auto store = std::make_shared<complaints_store>(Desk(std::move(storage), o), clock);
  return std::make_unique<complaints_desk>(std::move(store));
}

}  // namespace

complaints_desk *complaints::capi::open_desk(std::unique_ptr<Storage> storage, std::shared_ptr<ManualClock> clock) {
  return make_handle(std::move(storage), clock).release();
}

namespace {

// Which backend an options document is read for: each takes the shared
// options ("clock", "read_connections") and its own.
enum class Backend { sqlite, memory, postgres };

struct OpenOptions {
  SqliteOptions sqlite;
#ifdef COMPLAINTS_HAVE_POSTGRES
  PostgresOptions postgres;
#endif
  std::shared_ptr<ManualClock> clock;
  std::size_t read_connections = DeskOptions{}.read_connections;
};

// A key of the other backend is refused rather than ignored, so a host that
// moves from SQLite to PostgreSQL learns which of its options no longer mean
// anything. The in-memory desk takes SQLite's (and ignores them) as it did
// before PostgreSQL existed.
bool sqlite_key(const std::string &k) {
  return k == "sync" || k == "busy_timeout_ms" || k == "cache_kib" || k == "read_only" || k == "immutable";
}
bool postgres_key(const std::string &k) {
  return k == "schema" || k == "create_schema" || k == "statement_timeout_ms" || k == "lock_timeout_ms" ||
         k == "connect_timeout_s";
}

OpenOptions read_options(const char *options_json, Backend backend) {
  OpenOptions o;
  if (!options_json) return o;
  auto j = json::parse(options_json, "options", "options");
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string &k = it.key();
    auto integer = [&] {
      if (!it->is_number_integer() || it->get<std::int64_t>() < 0 || it->get<std::int64_t>() > INT32_MAX)
        throw InvalidInput(fmt::format("must be an integer from 0 to {}", INT32_MAX), "options." + k);
      return static_cast<int>(it->get<std::int64_t>());
    };
    auto boolean = [&] {
      if (!it->is_boolean()) throw InvalidInput("must be true or false", "options." + k);
      return it->get<bool>();
    };
    if (sqlite_key(k) && backend == Backend::postgres)
      throw InvalidInput("is an option of a SQLite desk, not of a PostgreSQL one", "options." + k);
    if (postgres_key(k) && backend != Backend::postgres)
      throw InvalidInput("is an option of a PostgreSQL desk only", "options." + k);
    if (k == "sync") {
      if (*it == "full")
        o.sqlite.sync = SqliteOptions::Sync::full;
      else if (*it == "normal")
        o.sqlite.sync = SqliteOptions::Sync::normal;
      else
        throw InvalidInput("must be \"full\" or \"normal\"", "options.sync");
    } else if (k == "busy_timeout_ms") {
      o.sqlite.busy_timeout_ms = integer();
    } else if (k == "cache_kib") {
      o.sqlite.cache_kib = integer();
    } else if (k == "read_only" || k == "immutable") {
      (k == "read_only" ? o.sqlite.read_only : o.sqlite.immutable) = boolean();
#ifdef COMPLAINTS_HAVE_POSTGRES
    } else if (k == "schema") {
      if (!it->is_string()) throw InvalidInput("must be a string", "options.schema");
      o.postgres.schema = it->get<std::string>();  // checked by open_postgres, at "schema"
    } else if (k == "create_schema") {
      o.postgres.create_schema = boolean();
    } else if (k == "statement_timeout_ms") {
      o.postgres.statement_timeout_ms = integer();
    } else if (k == "lock_timeout_ms") {
      o.postgres.lock_timeout_ms = integer();
    } else if (k == "connect_timeout_s") {
      o.postgres.connect_timeout_s = integer();
#endif
    } else if (k == "read_connections") {
      int n = integer();
      if (n > 64) throw InvalidInput("must be an integer from 0 to 64", "options.read_connections");
      o.read_connections = static_cast<std::size_t>(n);
    } else if (k == "clock") {
      if (!it->is_string()) throw InvalidInput("must be an RFC 3339 instant", "options.clock");
      o.clock = std::make_shared<ManualClock>(parse_timestamp(it->get<std::string>(), "options.clock"));
    } else {
      throw InvalidInput("is not a known option", "options." + check::excerpt(k));
    }
  }
  return o;
}

}  // namespace

// clang-format off
extern "C" {
// clang-format on

// --- versions, errors, memory -------------------------------------------------------------------

int complaints_version_number(void) { return version_number(); }
const char *complaints_version(void) { return version_string(); }

const char *complaints_strerror(int code) {
  switch (code) {
    case COMPLAINTS_OK: return "ok";
    case COMPLAINTS_ENOTFOUND: return "not found";
    case COMPLAINTS_EFORBIDDEN: return "forbidden";
    case COMPLAINTS_EINVALID: return "invalid input";
    case COMPLAINTS_ECONFLICT: return "conflict";
    case COMPLAINTS_EWORKFLOW: return "invalid workflow";
    case COMPLAINTS_ESTORAGE: return "storage error";
    case COMPLAINTS_ESTATE: return "invalid state";
    case COMPLAINTS_EINTERNAL: return "internal error";
    case COMPLAINTS_ENOMEM: return "out of memory";
    case COMPLAINTS_EMISUSE: return "misuse of the API";
  }
  return "unknown error code";
}

void complaints_free(void *p) { std::free(p); }

namespace {

// What complaints_desk_errmsg / errwhere last handed this thread: kept alive
// here so the text stays valid even if another thread fails on the handle.
thread_local std::shared_ptr<const Failure> read_message;
thread_local std::shared_ptr<const Failure> read_where;

const Failure *failure_for(complaints_desk *desk, std::shared_ptr<const Failure> &keep) {
  if (!desk) {
    keep = handleless_failure;
    return keep.get();
  }
  try {
    keep = desk->error.get();
  } catch (...) {  // std::mutex::lock failing: report nothing rather than throw
    keep.reset();
  }
  return keep.get();
}

}  // namespace

const char *complaints_desk_errmsg(complaints_desk *desk) {
  const Failure *f = failure_for(desk, read_message);
  return f ? f->message.c_str() : "";
}

const char *complaints_desk_errwhere(complaints_desk *desk) {
  const Failure *f = failure_for(desk, read_where);
  return f ? f->where.c_str() : "";
}

// --- actors -------------------------------------------------------------------------------------

int complaints_actor_new(complaints_actor **out, const char *id, int role, unsigned permissions, char **errmsg) {
  return shielded_handleless(errmsg, [&] {
    out_param(out, "out");
    if (role < COMPLAINTS_ROLE_ADMIN || role > COMPLAINTS_ROLE_SYSTEM) throw Misuse("is not a COMPLAINTS_ROLE_*", "role");
    if (permissions & ~0xFu) throw Misuse("has unknown COMPLAINTS_PERM_* bits", "permissions");
    Actor a{std::string(need_text(id, "id")), static_cast<Role>(role), Permissions::from_bits(permissions)};
    check::id(a.id, "id", limits::id_bytes);
    *out = new complaints_actor{std::move(a)};
  });
}

void complaints_actor_free(complaints_actor *actor) { delete actor; }

// --- desks ----------------------------------------------------------------------------------------

namespace {

int open_with(complaints_desk **out, char **errmsg, const std::function<std::unique_ptr<complaints_desk>()> &make) {
  return shielded_handleless(errmsg, [&] {
    out_param(out, "out");
    *out = make().release();
  });
}

}  // namespace

int complaints_desk_open_sqlite(complaints_desk **out, const char *path, const char *options_json, char **errmsg) {
  return open_with(out, errmsg, [&] {
    std::string file(need_text(path, "path"));
    OpenOptions o = read_options(options_json, Backend::sqlite);
    return make_handle(open_sqlite(file, o.sqlite), o.clock, o.read_connections);
  });
}

int complaints_desk_open_memory(complaints_desk **out, const char *options_json, char **errmsg) {
  return open_with(out, errmsg, [&] {
    OpenOptions o = read_options(options_json, Backend::memory);
    return make_handle(make_memory_storage(), o.clock, o.read_connections);
  });
}

int complaints_desk_open_postgres(complaints_desk **out, const char *conninfo, const char *options_json,
                                  char **errmsg) {
  return open_with(out, errmsg, [&] {
    std::string target(need_text(conninfo, "conninfo"));
#ifdef COMPLAINTS_HAVE_POSTGRES
    OpenOptions o = read_options(options_json, Backend::postgres);
    std::unique_ptr<Storage> storage;
    try {
      storage = open_postgres(target, o.postgres);
    } catch (const InvalidInput &e) {
      // open_postgres names PostgresOptions' fields; here they are keys of options_json.
      if (e.where() != "conninfo") throw InvalidInput(e.message(), "options." + e.where());
      throw;
    }
    return make_handle(std::move(storage), o.clock, o.read_connections);
#else
    read_options(options_json, Backend::postgres);
    throw StorageError("this build of the library has no PostgreSQL backend (built with COMPLAINTS_POSTGRES=OFF)",
                       "conninfo");
    return std::unique_ptr<complaints_desk>();
#endif
  });
}

int complaints_desk_share(complaints_desk **out, complaints_desk *desk) {
  return shielded(desk, [&] {
    auto &d = need(desk, "desk");
    complaints_desk **slot = out_param(out, "out");  // checked before anything is allocated
    *slot = new complaints_desk(d.store);
  }, /*keep_message=*/true);  // sharing must not erase a message another thread has yet to read
}

void complaints_desk_close(complaints_desk *desk) { delete desk; }

int complaints_desk_set_clock(complaints_desk *desk, const char *instant) {
  return shielded(desk, [&] {
    auto &d = need(desk, "desk");
    if (!d.store->clock) throw Misuse("was not opened with a \"clock\" option", "desk");
    d.store->clock->set(parse_timestamp(need_text(instant, "instant"), "instant"));
  });
}

int complaints_desk_scrub(complaints_desk *desk, int *scrubbed) {
  return shielded(desk, [&] {
    if (scrubbed) *scrubbed = 0;
    bool done = need(desk, "desk").desk.scrub();
    if (scrubbed) *scrubbed = done ? 1 : 0;
  });
}

// --- records ----------------------------------------------------------------------------------------

int complaints_record_put(complaints_desk *desk, const complaints_actor *actor, const char *record_json) {
  return shielded(desk, [&] {
    need(desk, "desk").desk.put_record(actor_of(actor), json::read_record(doc(record_json, "record_json")));
  });
}

int complaints_record_get(complaints_desk *desk, char **out, const complaints_actor *actor, const char *kind,
                          const char *id) {
  return shielded(desk, [&] {
    out_param(out, "out");
    RecordRef ref{kind_of(kind, "kind"), std::string(need_text(id, "id"))};
    give(out, need(desk, "desk").desk.record(actor_of(actor), ref));
  });
}

int complaints_record_relink(complaints_desk *desk, char **out, const complaints_actor *actor, const char *from_kind,
                             const char *from_id, const char *to_kind, const char *to_id) {
  return shielded(desk, [&] {
    out_param(out, "out");
    RecordRef from{kind_of(from_kind, "from_kind"), std::string(need_text(from_id, "from_id"))};
    RecordRef to{kind_of(to_kind, "to_kind"), std::string(need_text(to_id, "to_id"))};
    give(out, need(desk, "desk").desk.relink_record(actor_of(actor), from, to));
  });
}

// --- issues ---------------------------------------------------------------------------------------

int complaints_issue_report(complaints_desk *desk, char **out, const complaints_actor *actor, const char *request_json) {
  return shielded(desk, [&] {
    out_param(out, "out");
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    give(out, d.desk.report(a, json::read_report(doc(request_json, "request_json"))));
  });
}

int complaints_issue_act(complaints_desk *desk, char **out, const complaints_actor *actor, const char *code,
                         const char *request_json) {
  return shielded(desk, [&] {
    out_param(out, "out");
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    std::string_view c = need_text(code, "code");
    give(out, d.desk.act(a, c, json::read_action(doc(request_json, "request_json"))));
  });
}

int complaints_issue_edit(complaints_desk *desk, char **out, const complaints_actor *actor, const char *code,
                          const char *edit_json) {
  return shielded(desk, [&] {
    out_param(out, "out");
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    std::string_view c = need_text(code, "code");
    give(out, d.desk.edit(a, c, json::read_edit(doc(edit_json, "edit_json"))));
  });
}

int complaints_issue_get(complaints_desk *desk, char **out, const complaints_actor *actor, const char *code) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.get(actor_of(actor), need_text(code, "code")));
  });
}

int complaints_issue_list(complaints_desk *desk, char **out, const complaints_actor *actor, const char *filter_json) {
  return shielded(desk, [&] {
    out_param(out, "out");
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    IssueFilter f = filter_json ? json::read_filter(doc(filter_json, "filter_json")) : IssueFilter{};
    give(out, d.desk.list(a, f));
  });
}

int complaints_issue_search(complaints_desk *desk, char **out, const complaints_actor *actor, const char *text,
                            int limit) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.search(actor_of(actor), need_text(text, "text"), count_of(limit)));
  });
}

int complaints_search(complaints_desk *desk, char **out, const complaints_actor *actor, const char *search_json) {
  return shielded(desk, [&] {
    out_param(out, "out");
    auto &d = need(desk, "desk");
    Actor a = actor_of(actor);
    SearchOptions o = json::read_search_options(doc(search_json, "search_json"));
    give(out, d.desk.search(a, o));
  });
}

int complaints_dashboard(complaints_desk *desk, char **out, const complaints_actor *actor, const char *dashboard_json) {
  return shielded(desk, [&] {
    out_param(out, "out");
    auto &d = need(desk, "desk");
    Actor a = actor_of(actor);
    DashboardOptions o = json::read_dashboard_options(doc(dashboard_json, "dashboard_json"));
    give(out, d.desk.dashboard(a, o));
  });
}

int complaints_issue_actions(complaints_desk *desk, char **out, const complaints_actor *actor, const char *code) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.available_actions(actor_of(actor), need_text(code, "code")));
  });
}

int complaints_issue_timeline(complaints_desk *desk, char **out, const complaints_actor *actor, const char *code) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.timeline(actor_of(actor), need_text(code, "code")));
  });
}

int complaints_issue_verify(complaints_desk *desk, char **out, const complaints_actor *actor, const char *code) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.verify_timeline(actor_of(actor), need_text(code, "code")));
  });
}

int complaints_issue_delete(complaints_desk *desk, char **out, const complaints_actor *actor, const char *code) {
  return shielded(desk, [&] {
    if (out) *out = nullptr;
    DeletedIssue d = need(desk, "desk").desk.delete_forever(actor_of(actor), need_text(code, "code"));
    if (out) give(out, d);
  });
}

// --- discussion, watchers, links ---------------------------------------------------------------------

int complaints_comment_add(complaints_desk *desk, char **out, const complaints_actor *actor, const char *code,
                           const char *comment_json) {
  return shielded(desk, [&] {
    out_param(out, "out");
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    std::string_view c = need_text(code, "code");
    give(out, d.desk.add_comment(a, c, json::read_comment(doc(comment_json, "comment_json"))));
  });
}

int complaints_comment_list(complaints_desk *desk, char **out, const complaints_actor *actor, const char *code) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.thread(actor_of(actor), need_text(code, "code")));
  });
}

int complaints_attachment_add(complaints_desk *desk, char **out, const complaints_actor *actor, const char *code,
                              const char *attachment_json) {
  return shielded(desk, [&] {
    out_param(out, "out");
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    std::string_view c = need_text(code, "code");
    // (its places read as the Desk's: "attachment.name", "attachment.bytes_base64")
    give(out, d.desk.attach(a, c, json::read_attachment(doc(attachment_json, "attachment_json"), "attachment")));
  });
}

int complaints_attachment_list(complaints_desk *desk, char **out, const complaints_actor *actor, const char *code) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.attachments(actor_of(actor), need_text(code, "code")));
  });
}

int complaints_attachment_bytes(complaints_desk *desk, unsigned char **out, size_t *len, const complaints_actor *actor,
                                int64_t id) {
  return shielded(desk, [&] {
    out_param(out, "out");
    need(len, "len") = 0;
    give_bytes(out, len, need(desk, "desk").desk.attachment(actor_of(actor), id));
  });
}

int complaints_watcher_set(complaints_desk *desk, char **out, const complaints_actor *actor, const char *code,
                           const char *user_id, int watch) {
  return shielded(desk, [&] {
    if (out) *out = nullptr;
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    std::string_view c = need_text(code, "code"), u = need_text(user_id, "user_id");
    auto watchers = watch ? d.desk.watch(a, c, u) : d.desk.unwatch(a, c, u);
    if (out) give(out, watchers);
  });
}

int complaints_link_set(complaints_desk *desk, const complaints_actor *actor, const char *code, const char *other,
                        const char *kind, int link) {
  return shielded(desk, [&] {
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    auto k = link_kind_from_string(need_text(kind, "kind"));
    if (!k) throw InvalidInput("is not related or duplicate_of", "kind");
    std::string_view c = need_text(code, "code"), o = need_text(other, "other");
    if (link)
      d.desk.link_issues(a, c, o, *k);
    else
      d.desk.unlink_issues(a, c, o, *k);
  });
}

int complaints_link_list(complaints_desk *desk, char **out, const complaints_actor *actor, const char *code) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.links(actor_of(actor), need_text(code, "code")));
  });
}

// --- payment holds ------------------------------------------------------------------------------------

int complaints_hold_may_pay(complaints_desk *desk, char **out, const complaints_actor *actor, const char *record_kind,
                            const char *record_id, const char *fieldworker) {
  return shielded(desk, [&] {
    out_param(out, "out");
    RecordRef ref{kind_of(record_kind, "record_kind"), std::string(need_text(record_id, "record_id"))};
    give(out, need(desk, "desk").desk.may_pay(actor_of(actor), ref, need_text(fieldworker, "fieldworker")));
  });
}

int complaints_hold_may_pay_many(complaints_desk *desk, char **out, const complaints_actor *actor,
                                 const char *queries_json) {
  return shielded(desk, [&] {
    out_param(out, "out");
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    auto queries = json::parse_value(need_text(queries_json, "queries_json"), "queries_json", "queries");
    give(out, d.desk.may_pay(a, json::read_pay_queries(queries)));
  });
}

int complaints_hold_withhold(complaints_desk *desk, char **out, const complaints_actor *actor, const char *request_json) {
  return shielded(desk, [&] {
    out_param(out, "out");
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    give(out, d.desk.withhold_payment(a, json::read_hold_request(doc(request_json, "request_json"))));
  });
}

int complaints_hold_release(complaints_desk *desk, char **out, const complaints_actor *actor, const char *request_json) {
  return shielded(desk, [&] {
    out_param(out, "out");
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    give(out, d.desk.release_payment(a, json::read_release(doc(request_json, "request_json"))));
  });
}

int complaints_hold_list(complaints_desk *desk, char **out, const complaints_actor *actor, const char *filter_json) {
  return shielded(desk, [&] {
    out_param(out, "out");
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    HoldFilter f = filter_json ? json::read_hold_filter(doc(filter_json, "filter_json")) : HoldFilter{};
    give(out, d.desk.holds(a, f));
  });
}

int complaints_hold_stalled(complaints_desk *desk, char **out, const complaints_actor *actor, int days) {
  return shielded(desk, [&] {
    out_param(out, "out");
    if (days < 0) throw InvalidInput("must not be negative", "days");
    give(out, need(desk, "desk").desk.stalled_holds(actor_of(actor), std::chrono::days(days)));
  });
}

int complaints_hold_report(complaints_desk *desk, char **out, const complaints_actor *actor, const char *from,
                           const char *to) {
  return shielded(desk, [&] {
    out_param(out, "out");
    Timestamp f = parse_timestamp(need_text(from, "from"), "from");
    Timestamp t = parse_timestamp(need_text(to, "to"), "to");
    give(out, need(desk, "desk").desk.hold_report(actor_of(actor), f, t));
  });
}

// --- customer messages --------------------------------------------------------------------------------

int complaints_template_save(complaints_desk *desk, const complaints_actor *actor, const char *template_json) {
  return shielded(desk, [&] {
    need(desk, "desk").desk.save_template(actor_of(actor), json::read_template(doc(template_json, "template_json")));
  });
}

int complaints_template_reset(complaints_desk *desk, const complaints_actor *actor, const char *name) {
  return shielded(desk, [&] { need(desk, "desk").desk.reset_template(actor_of(actor), need_text(name, "name")); });
}

int complaints_template_get(complaints_desk *desk, char **out, const complaints_actor *actor, const char *name) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.message_template(actor_of(actor), need_text(name, "name")));
  });
}

int complaints_template_list(complaints_desk *desk, char **out, const complaints_actor *actor) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.template_names(actor_of(actor)));
  });
}

int complaints_message_settings_set(complaints_desk *desk, const complaints_actor *actor, const char *settings_json) {
  return shielded(desk, [&] {
    need(desk, "desk").desk.set_message_settings(actor_of(actor),
                                                  json::read_message_settings(doc(settings_json, "settings_json")));
  });
}

int complaints_message_settings_get(complaints_desk *desk, char **out, const complaints_actor *actor) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.message_settings(actor_of(actor)));
  });
}

int complaints_message_render(complaints_desk *desk, char **out, const complaints_actor *actor, const char *code,
                              const char *name, const char *audience, int send) {
  return shielded(desk, [&] {
    out_param(out, "out");
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    std::string_view c = need_text(code, "code"), n = need_text(name, "name");
    std::string_view to = audience ? std::string_view(audience) : "customer";
    Audience who;
    if (to == "customer")
      who = Audience::customer;
    else if (to == "fieldworkers")
      who = Audience::fieldworkers;
    else
      throw InvalidInput("is not customer or fieldworkers", "audience");
    give(out, send ? d.desk.send_message(a, c, n, who) : d.desk.preview_message(a, c, n, who));
  });
}

int complaints_message_reminder(complaints_desk *desk, char **out, const complaints_actor *actor,
                                const char *fieldworker, int send) {
  return shielded(desk, [&] {
    out_param(out, "out");
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    std::string_view fw = need_text(fieldworker, "fieldworker");
    give(out, send ? d.desk.send_reminder(a, fw) : d.desk.preview_reminder(a, fw));
  });
}

// --- time -----------------------------------------------------------------------------------------------

int complaints_due_process(complaints_desk *desk, char **out, const complaints_actor *actor, int limit) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.process_due(actor_of(actor), count_of(limit)));
  });
}

int complaints_due_next(complaints_desk *desk, char **out, const complaints_actor *actor) {
  return shielded(desk, [&] {
    out_param(out, "out");
    auto next = need(desk, "desk").desk.next_due(actor_of(actor));
    *out = dup(next ? "{\"next_due\":\"" + format_timestamp(*next) + "\"}" : std::string("{\"next_due\":null}"));
  });
}

int complaints_calendar_set(complaints_desk *desk, const complaints_actor *actor, const char *calendar_json) {
  return shielded(desk, [&] {
    need(desk, "desk").desk.set_calendar(actor_of(actor), json::read_calendar(doc(calendar_json, "calendar_json")));
  });
}

int complaints_calendar_get(complaints_desk *desk, char **out, const complaints_actor *actor) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.calendar(actor_of(actor)));
  });
}

int complaints_issue_slas(complaints_desk *desk, char **out, const complaints_actor *actor, const char *code) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.sla_clocks(actor_of(actor), need_text(code, "code")));
  });
}

int complaints_issue_to_follow_count(complaints_desk *desk, int64_t *count, const complaints_actor *actor,
                                     const char *user_id) {
  return shielded(desk, [&] {
    need(count, "count") = 0;
    *count = need(desk, "desk").desk.to_follow_count(actor_of(actor), need_text(user_id, "user_id"));
  });
}

// --- outbox -------------------------------------------------------------------------------------------

int complaints_outbox_pending(complaints_desk *desk, char **out, const complaints_actor *actor, int limit,
                              int64_t after_id) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.outbox_pending(actor_of(actor), count_of(limit), after_id));
  });
}

int complaints_outbox_ack(complaints_desk *desk, size_t *acked, const complaints_actor *actor, const int64_t *ids,
                          size_t count) {
  return shielded(desk, [&] {
    if (acked) *acked = 0;
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    if (count > 0) need(ids, "ids");
    std::size_t n = d.desk.outbox_ack(a, std::span<const std::int64_t>(ids, count));
    if (acked) *acked = n;
  });
}

// --- events -------------------------------------------------------------------------------------------

int complaints_desk_on(complaints_desk *desk, int64_t *id, int kind, complaints_event_fn fn, void *user) {
  return shielded(desk, [&] {
    complaints_store &store = *need(desk, "desk").store;
    need(id, "id") = 0;
    if (!fn) throw Misuse("must not be NULL", "fn");
    if (kind != COMPLAINTS_EVENT_ANY && (kind < 0 || kind >= static_cast<int>(event_kind_count)))
      throw Misuse("is not a COMPLAINTS_EVENT_*", "kind");
    auto gate = std::make_shared<Gate>();
    auto slot = [fn, user, gate](const Event &e) {
      {
        std::lock_guard lock(gate->mutex);
        if (!gate->open) return;
        ++gate->running;
      }
      struct Leave {
        Gate &g;
        ~Leave() {
          --callback_depth;
          std::lock_guard lock(g.mutex);
          if (--g.running == 0) g.drained.notify_all();
        }
      } leave{*gate};
      ++callback_depth;
      std::string text = json::to_json(e);
      fn(user, static_cast<int>(e.kind), text.c_str());
    };
    Events::Signal &signal = kind == COMPLAINTS_EVENT_ANY ? store.desk.events().any()
                                                            : store.desk.events().on(static_cast<EventKind>(kind));
    std::lock_guard lock(store.subscriptions_mutex);
    std::int64_t next = store.next_subscription++;
    store.subscriptions.emplace(next, Subscription{signal.connect(slot), gate});
    *id = next;
  });
}

int complaints_desk_off(complaints_desk *desk, int64_t id) {
  return shielded(desk, [&] {
    complaints_store &store = *need(desk, "desk").store;
    std::shared_ptr<Gate> gate;
    {
      std::lock_guard lock(store.subscriptions_mutex);
      auto it = store.subscriptions.find(id);
      if (it == store.subscriptions.end())
        throw Misuse(fmt::format("{} is not a subscription of this desk", id), "id");
      gate = it->second.gate;
      store.subscriptions.erase(it);  // disconnects: no new delivery starts
    }
    std::unique_lock lock(gate->mutex);
    gate->open = false;
    // Wait for deliveries under way on other threads, unless this is itself a
    // callback: it might be one they wait for.
    if (callback_depth == 0) gate->drained.wait(lock, [&] { return gate->running == 0; });
  });
}

}  // extern "C"
