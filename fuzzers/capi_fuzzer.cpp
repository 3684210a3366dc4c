// libFuzzer target for every document and text the C API takes from a host.
//
// An input is up to 8 calls separated by NUL bytes (a C string ends at one
// anyway). In each call the first byte picks the entry point (its index in
// entries(), modulo their number) and the second who calls and on what:
// the actor (its value modulo 8, an index in the actors below), the issue
// (divided by 8, modulo 3: CMP-00001 to CMP-00003) and a flag (divided by 24,
// modulo 2: send, watch, link...). The rest of the call is the text the entry
// point is given: the JSON document, or the plain text (an issue code, search
// text, an instant; several fields one a line).
//
// Each input runs on a fresh in-memory desk with a fixed clock, set up
// through the C API so that each call reaches deep: users, three records (a
// booking with two fieldworkers, its invoice, a quote seen by all), a saved
// template, a business calendar and a reminder schedule, and three issues:
// CMP-00001 (field-service, a held payout, a public comment with an
// attachment and a mention, an internal reply, a file kept by the host, a
// watcher, a link), CMP-00002 (customer-confirmation, in Confirmation with
// its auto-close timer) and CMP-00003 (staged-escalation on the invoice, its
// SLA clock running).
//
// The checks (invariants.hpp) run through the C++ Desk the handle wraps
// (capi/handle.hpp): after every C call, COMPLAINTS_EINTERNAL and
// COMPLAINTS_EMISUSE (every argument is given) are findings; a refused call
// leaves the store's dump exactly as it was, fires no event, leaves *out NULL
// and has a printable message; a successful call's *out is JSON the strict
// parser reads; every issue's timeline chain verifies. With FUZZ_TRACE set
// in the environment it prints each call and its result.
//
//   scripts/fuzz.sh capi 10
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "complaints.h"
#include "complaints/complaints.hpp"
#include "handle.hpp"
#include "invariants.hpp"
#include "json/json.hpp"
#include "storage/memory/memory_storage.hpp"

namespace {

using fuzz::finding;

struct ActorSpec {
  const char *id;
  int role;
  unsigned permissions;
};
constexpr ActorSpec actor_specs[8] = {
    {"admin-1", COMPLAINTS_ROLE_ADMIN, 15u},
    {"admin-2", COMPLAINTS_ROLE_ADMIN, 0u},
    {"super-1", COMPLAINTS_ROLE_SUPERVISOR, COMPLAINTS_PERM_EDIT_ISSUES | COMPLAINTS_PERM_RELEASE_PAYMENT},
    {"office-1", COMPLAINTS_ROLE_OFFICE, COMPLAINTS_PERM_EDIT_ISSUES | COMPLAINTS_PERM_MANAGE_SETTINGS},
    {"office-2", COMPLAINTS_ROLE_OFFICE, 0u},
    {"fw-1", COMPLAINTS_ROLE_FIELDWORKER, COMPLAINTS_PERM_EDIT_ISSUES},
    {"cust-1", COMPLAINTS_ROLE_CUSTOMER, 0u},
    {"host", COMPLAINTS_ROLE_SYSTEM, 0u},
};
constexpr int admin = 0, super = 2, system_actor = 7;
constexpr const char *codes[3] = {"CMP-00001", "CMP-00002", "CMP-00003"};
constexpr const char *workflows[3] = {"field-service", "customer-confirmation", "staged-escalation"};

// One call of an input, as decoded.
struct Call {
  int actor = admin;
  int issue = 0;
  bool flag = false;
  std::string text;
  const char *code() const { return codes[issue]; }
  // The text's lines, at least `n` of them ("" for the missing ones).
  std::vector<std::string> fields(std::size_t n) const {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (true) {
      std::size_t nl = text.find('\n', from);
      out.push_back(text.substr(from, nl == std::string::npos ? std::string::npos : nl - from));
      if (nl == std::string::npos) break;
      from = nl + 1;
    }
    if (out.size() < n) out.resize(n);
    return out;
  }
  std::int64_t number(std::int64_t otherwise) const {
    std::int64_t n = otherwise;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    return ec == std::errc() ? n : otherwise;
  }
};

void must(int rc, complaints_desk *desk, const char *what) {
  if (rc != COMPLAINTS_OK) finding(std::string("setting up the desk failed: ") + what, complaints_desk_errmsg(desk));
}

// `out` by reference: the call that fills it is an argument too, and the order
// in which arguments are evaluated is unspecified, so a copy could be the value
// from before the call (freeing the last result and leaking this one).
void must_out(int rc, complaints_desk *desk, char *&out, const char *what) {
  complaints_free(out);
  out = nullptr;
  must(rc, desk, what);
}

// The actors of actor_specs; made once, immutable, shared by every input.
const complaints_actor *actor(int i) {
  static const auto list = [] {
    std::array<complaints_actor *, 8> made{};
    for (int k = 0; k < 8; ++k)
      must(complaints_actor_new(&made[k], actor_specs[k].id, actor_specs[k].role, actor_specs[k].permissions, nullptr),
           nullptr, "actor");
    return made;
  }();
  return list[static_cast<std::size_t>(i)];
}

std::shared_ptr<complaints::ManualClock> start_clock() {
  return std::make_shared<complaints::ManualClock>(complaints::parse_timestamp("2026-01-05T09:00:00Z"));
}

// What every input starts from (see the top of this file), set up once
// through the C API on a desk kept open for the life of the process.
void set_up(complaints_desk *d) {
  const complaints_actor *a = actor(admin);
  char *out = nullptr;
  for (
      const char *user :
      {R"({"id":"fw-1","role":"fieldworker","name":"Fay Field"})", R"({"id":"fw-2","role":"fieldworker","name":"Gus"})",
       R"({"id":"office-1","role":"office","name":"Olu","settings":{"scope":"mine","push":true,"sms":false,"email":true}})",
       R"({"id":"cust-1","role":"customer","name":"Casey Customer"})"})
    must(complaints_user_put(d, a, user), d, "user");
  must(complaints_workflow_install_builtin(d, a, "customer-confirmation"), d, "workflow");
  must(complaints_workflow_install_builtin(d, a, "staged-escalation"), d, "workflow");
  for (const char *record :
       {R"({"kind":"booking","id":"B-1","customer_id":"cust-1","fieldworkers":["fw-1","fw-2"],"invoice_id":"I-1"})",
        R"({"kind":"invoice","id":"I-1","customer_id":"cust-1","fieldworkers":["fw-1"]})",
        R"({"kind":"quote","id":"Q-1","customer_id":"cust-1","fieldworkers":["fw-2"],"visibility":"all"})"})
    must(complaints_record_put(d, a, record), d, "record");
  must(complaints_template_save(
           d, a,
           R"({"name":"note","title":"A note","subject":"About {{complaint_number}}",)"
           R"("body_html":"<p>Dear {{customer_first_name}}</p>","body_text":"Dear {{customer_first_name}}"})"),
       d, "template");
  must(complaints_calendar_set(
           d, a,
           R"({"time_zone":"Europe/London","hours":{"mon":["09:00-12:30","13:30-17:00"],)"
           R"("tue":["09:00-17:00"],"wed":["09:00-17:00"],"thu":["09:00-17:00"],"fri":["09:00-15:00"]},)"
           R"("holidays":["2026-12-25","2026-12-28"]})"),
       d, "calendar");
  must(complaints_message_settings_set(d, a,
                                       R"({"acknowledgement":"automatic","sla_promise":"within two working days",)"
                                       R"("reminder_schedule":{"days":["mon","thu"],"at":"08:00"}})"),
       d, "message settings");
  must_out(
      complaints_issue_report(
          d, &out, a,
          R"({"record":{"kind":"booking","id":"B-1"},"type":"Damage Caused","description":"Scratched the bench.",)"
          R"("to_follow":true,"deferred_date":"2026-01-09","hold_amounts":{"fw-1":{"minor":12550,"currency":"AUD"}}})"),
      d, out, "report 1");
  must_out(complaints_issue_report(d, &out, a,
                                   R"({"record":{"kind":"booking","id":"B-1"},"type":"Late Service",)"
                                   R"("description":"Two hours late.","workflow":"customer-confirmation"})"),
           d, out, "report 2");
  must_out(complaints_issue_act(d, &out, a, "CMP-00002", R"({"action":"assign","inputs":{"assignee":"fw-1"}})"), d, out,
           "assign");
  must_out(complaints_issue_act(d, &out, actor(super), "CMP-00002", R"({"action":"accept"})"), d, out, "accept");
  must_out(complaints_issue_act(d, &out, a, "CMP-00002", R"({"action":"resolve","inputs":{"feedback":"Done."}})"), d,
           out, "resolve");
  must_out(complaints_issue_report(d, &out, a,
                                   R"({"record":{"kind":"invoice","id":"I-1"},"type":"Billing Dispute",)"
                                   R"("description":"Charged twice.","workflow":"staged-escalation"})"),
           d, out, "report 3");
  must_out(complaints_comment_add(
               d, &out, a, "CMP-00001",
               R"({"body":"We will come back, @fw-1.","internal":false,)"
               R"("attachments":[{"name":"photo.jpg","media_type":"image/jpeg","bytes_base64":"aGVsbG8="}]})"),
           d, out, "comment");
  must_out(complaints_comment_add(d, &out, a, "CMP-00001", R"({"body":"Internal: check the invoice.","reply_to":1})"),
           d, out, "reply");
  must_out(complaints_attachment_add(
               d, &out, a, "CMP-00001",
               R"({"name":"invoice.pdf","media_type":"application/pdf","storage_key":"files/inv-1.pdf","size":1234,)"
               R"("sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"})"),
           d, out, "attachment");
  must_out(complaints_watcher_set(d, &out, a, "CMP-00001", "fw-2", 1), d, out, "watcher");
  must(complaints_link_set(d, a, "CMP-00001", "CMP-00002", "related", 1), d, "link");
}

complaints::Storage &prototype() {
  static complaints::Storage *store = nullptr;
  static complaints_desk *const desk = [] {
    auto storage = complaints::make_memory_storage();
    store = storage.get();
    complaints_desk *d = complaints::capi::open_desk(std::move(storage), start_clock());
    set_up(d);
    return d;
  }();
  (void)desk;
  return *store;
}

// The desk an input runs on (a copy of the prototype's store), and the
// checks around each C call.
class Harness {
 public:
  Harness() : desk_(complaints::capi::open_desk(complaints::copy_memory_storage(prototype()), start_clock())) {
    cxx_ = &complaints::capi::desk_of(desk_);
    events_ = std::make_unique<fuzz::EventCount>(*cxx_);
  }
  ~Harness() {
    events_.reset();
    complaints_desk_close(desk_);
  }
  Harness(const Harness &) = delete;
  Harness &operator=(const Harness &) = delete;

  complaints_desk *desk() const { return desk_; }
  const complaints_actor *actor(int i) const { return ::actor(i); }
  complaints::Desk &cxx() const { return *cxx_; }

  enum class Out { none, json };
  enum class Handle { desk, none };

  // Makes one C call: f(char **out) returns its code. Checks everything a
  // call promises (see the top of this file). Returns the code, and the
  // output through *kept when asked (the caller frees it).
  template <typename F>
  int call(const char *what, Out gives, F &&f, Handle handle = Handle::desk, char **kept = nullptr) {
    fuzz::Before b = fuzz::before(*cxx_, *events_);
    char *out = nullptr;
    int rc = f(&out);
    if (trace_)
      std::fprintf(stderr, "%s: %s%s%s\n", what, complaints_strerror(rc), rc < 0 ? ": " : "",
                   rc < 0 ? complaints_desk_errmsg(handle_of(handle)) : "");
    if (rc == COMPLAINTS_EINTERNAL || rc == COMPLAINTS_EMISUSE)
      finding(std::string(what) + ": " + complaints_strerror(rc), complaints_desk_errmsg(handle_of(handle)));
    if (rc > 0) finding(std::string(what) + ": a positive return code");
    if (rc < 0) {
      complaints_desk *h = handle_of(handle);
      std::string_view message = complaints_desk_errmsg(h), where = complaints_desk_errwhere(h);
      if (message.empty()) finding(std::string(what) + ": a refusal without a message");
      if (!fuzz::printable(message, rc == COMPLAINTS_EWORKFLOW) || !fuzz::printable(where))
        finding(std::string(what) + ": a message that is not printable");
      if (out) finding(std::string(what) + ": a refused call left *out set", out);
      fuzz::check_refusal(*cxx_, *events_, b, what);  // the same store: the same chains
    } else {
      if (gives == Out::json) {
        if (!out) finding(std::string(what) + ": a successful call left *out NULL");
        try {
          (void)complaints::json::parse_value(out, "out");
        } catch (const complaints::Error &e) {
          finding(std::string(what) + ": its output is not JSON the strict parser reads", e.what());
        }
      }
      fuzz::check_chains(*cxx_, admin_cxx());
    }
    if (kept)
      *kept = out;
    else
      complaints_free(out);
    return rc;
  }

 private:
  static complaints::Actor admin_cxx() { return {"admin-1", complaints::Role::admin, complaints::Permissions::all()}; }
  complaints_desk *handle_of(Handle h) const { return h == Handle::desk ? desk_ : nullptr; }

  bool trace_ = std::getenv("FUZZ_TRACE") != nullptr;  // each call and its result, to stderr
  complaints_desk *desk_;
  complaints::Desk *cxx_ = nullptr;
  std::unique_ptr<fuzz::EventCount> events_;
};

using Out = Harness::Out;
using Handle = Harness::Handle;

struct Entry {
  const char *name;
  void (*run)(Harness &, const Call &);
};

// A call that takes the desk, the actor and the text, and gives a document.
#define OUT_TEXT(fn)                                                                                         \
  [](Harness &h, const Call &c) {                                                                            \
    h.call(#fn, Out::json, [&](char **out) { return fn(h.desk(), out, h.actor(c.actor), c.text.c_str()); }); \
  }
// The same for a call that gives nothing back.
#define NO_OUT_TEXT(fn)                                                                              \
  [](Harness &h, const Call &c) {                                                                    \
    h.call(#fn, Out::none, [&](char **) { return fn(h.desk(), h.actor(c.actor), c.text.c_str()); }); \
  }
// A call on the chosen issue with the text as its document.
#define OUT_CODE_TEXT(fn)                                                                                              \
  [](Harness &h, const Call &c) {                                                                                      \
    h.call(#fn, Out::json, [&](char **out) { return fn(h.desk(), out, h.actor(c.actor), c.code(), c.text.c_str()); }); \
  }

// Runs what is due now, as the host's delivery process would.
void process_due(Harness &h) {
  h.call("complaints_due_process", Out::json,
         [&](char **out) { return complaints_due_process(h.desk(), out, h.actor(system_actor), 100); });
}

// Every read of one issue, with the text as its code.
void issue_reads(Harness &h, const Call &c) {
  const char *code = c.text.c_str();
  const complaints_actor *a = h.actor(c.actor);
  using Read = int (*)(complaints_desk *, char **, const complaints_actor *, const char *);
  constexpr std::pair<const char *, Read> reads[] = {{"complaints_issue_get", complaints_issue_get},
                                                     {"complaints_issue_actions", complaints_issue_actions},
                                                     {"complaints_issue_timeline", complaints_issue_timeline},
                                                     {"complaints_issue_verify", complaints_issue_verify},
                                                     {"complaints_comment_list", complaints_comment_list},
                                                     {"complaints_attachment_list", complaints_attachment_list},
                                                     {"complaints_link_list", complaints_link_list},
                                                     {"complaints_issue_slas", complaints_issue_slas}};
  for (const auto &[name, fn] : reads)
    h.call(name, Out::json, [&, read = fn](char **out) { return read(h.desk(), out, a, code); });
}

// Every read of the desk's settings and queues.
void desk_reads(Harness &h, const Call &c) {
  const complaints_actor *a = h.actor(c.actor);
  using Read = int (*)(complaints_desk *, char **, const complaints_actor *);
  constexpr std::pair<const char *, Read> reads[] = {
      {"complaints_due_next", complaints_due_next},
      {"complaints_calendar_get", complaints_calendar_get},
      {"complaints_message_settings_get", complaints_message_settings_get},
      {"complaints_template_list", complaints_template_list},
      {"complaints_type_list", complaints_type_list},
      {"complaints_workflow_list", complaints_workflow_list}};
  for (const auto &[name, fn] : reads)
    h.call(name, Out::json, [&, read = fn](char **out) { return read(h.desk(), out, a); });
  int days = static_cast<int>(c.number(c.flag ? 0 : 3));
  h.call("complaints_hold_stalled", Out::json,
         [&](char **out) { return complaints_hold_stalled(h.desk(), out, a, days); });
  std::int64_t count = 0;
  h.call("complaints_issue_to_follow_count", Out::none,
         [&](char **) { return complaints_issue_to_follow_count(h.desk(), &count, a, actor_specs[c.actor].id); });
}

// The outbox as the host's delivery process drains it: read, then acknowledge.
void outbox(Harness &h, const Call &c) {
  char *pending = nullptr;
  int limit = static_cast<int>(c.number(100));
  if (h.call(
          "complaints_outbox_pending", Out::json,
          [&](char **out) { return complaints_outbox_pending(h.desk(), out, h.actor(c.actor), limit, 0); },
          Handle::desk, &pending) != COMPLAINTS_OK)
    return;
  std::vector<std::int64_t> ids;
  for (const auto &item : nlohmann::json::parse(pending)) ids.push_back(item.at("id").get<std::int64_t>());
  complaints_free(pending);
  if (c.flag && !ids.empty()) ids.pop_back();  // leave one pending
  std::size_t acked = 0;
  h.call("complaints_outbox_ack", Out::none,
         [&](char **) { return complaints_outbox_ack(h.desk(), &acked, h.actor(c.actor), ids.data(), ids.size()); });
}

// Task work on the task the text numbers (the first if none): every call that
// takes a task id, by the chosen actor, then what its case shows them.
void task_work(Harness &h, const Call &c) {
  std::int64_t id = c.number(1);
  const complaints_actor *a = h.actor(c.actor);
  using Op = int (*)(complaints_desk *, char **, const complaints_actor *, std::int64_t);
  constexpr std::pair<const char *, Op> ops[] = {{"complaints_task_claim", complaints_task_claim},
                                                 {"complaints_task_get", complaints_task_get},
                                                 {"complaints_task_case", complaints_task_case},
                                                 {"complaints_task_release", complaints_task_release}};
  for (const auto &[name, fn] : ops)
    h.call(name, Out::json, [&, op = fn](char **out) { return op(h.desk(), out, a, id); });
  auto f = c.fields(2);
  h.call("complaints_task_complete", Out::json,
         [&](char **out) { return complaints_task_complete(h.desk(), out, a, id, f[0].c_str()); });
  h.call("complaints_task_cancel", Out::json,
         [&](char **out) { return complaints_task_cancel(h.desk(), out, a, id, f[1].c_str()); });
  h.call("complaints_task_claimable", Out::json,
         [&](char **out) { return complaints_task_claimable(h.desk(), out, a, 100, 0); });
  h.call("complaints_task_mine", Out::json, [&](char **out) { return complaints_task_mine(h.desk(), out, a, 100, 0); });
}

// The register export of the text's options, into a callback that keeps nothing.
void export_register(Harness &h, const Call &c) {
  auto sink = [](void *, const char *, size_t) { return 0; };
  h.call("complaints_export_callback", Out::json, [&](char **out) {
    return complaints_export_callback(h.desk(), out, h.actor(c.actor), c.text.c_str(), sink, nullptr);
  });
}

const std::vector<Entry> &entries() {
  static const std::vector<Entry> list = {
      // --- JSON documents
      {"workflow_validate",
       [](Harness &h, const Call &c) {
         h.call(
             "complaints_workflow_validate", Out::json,
             [&](char **out) {
               char *err = nullptr;
               int rc = complaints_workflow_validate(out, c.text.c_str(), &err);
               complaints_free(err);
               return rc;
             },
             Handle::none);
       }},
      {"workflow_install", NO_OUT_TEXT(complaints_workflow_install)},
      {"status_add",
       [](Harness &h, const Call &c) {
         h.call("complaints_status_add", Out::none, [&](char **) {
           return complaints_status_add(h.desk(), h.actor(c.actor), workflows[c.issue], c.text.c_str());
         });
       }},
      {"type_add", NO_OUT_TEXT(complaints_type_add)},
      {"user_put", NO_OUT_TEXT(complaints_user_put)},
      {"user_set_settings",
       [](Harness &h, const Call &c) {
         const char *user = c.flag ? "fw-1" : actor_specs[c.actor].id;
         h.call("complaints_user_set_settings", Out::none, [&](char **) {
           return complaints_user_set_settings(h.desk(), h.actor(c.actor), user, c.text.c_str());
         });
       }},
      {"record_put", NO_OUT_TEXT(complaints_record_put)},
      {"issue_report", OUT_TEXT(complaints_issue_report)},
      {"issue_act", OUT_CODE_TEXT(complaints_issue_act)},
      {"issue_edit", OUT_CODE_TEXT(complaints_issue_edit)},
      {"issue_list", OUT_TEXT(complaints_issue_list)},
      {"comment_add", OUT_CODE_TEXT(complaints_comment_add)},
      {"attachment_add", OUT_CODE_TEXT(complaints_attachment_add)},
      {"hold_may_pay_many", OUT_TEXT(complaints_hold_may_pay_many)},
      {"hold_withhold", OUT_TEXT(complaints_hold_withhold)},
      {"hold_release", OUT_TEXT(complaints_hold_release)},
      {"hold_list", OUT_TEXT(complaints_hold_list)},
      {"template_save", NO_OUT_TEXT(complaints_template_save)},
      {"message_settings_set", NO_OUT_TEXT(complaints_message_settings_set)},
      {"calendar_set", NO_OUT_TEXT(complaints_calendar_set)},
      {"group_put", NO_OUT_TEXT(complaints_group_put)},
      {"task_create", OUT_CODE_TEXT(complaints_task_create)},
      {"task_work", task_work},
      {"export", export_register},
      {"desk_open_memory",
       [](Harness &h, const Call &c) {
         h.call(
             "complaints_desk_open_memory", Out::none,
             [&](char **) {
               complaints_desk *other = nullptr;
               char *err = nullptr;
               int rc = complaints_desk_open_memory(&other, c.text.c_str(), &err);
               complaints_free(err);
               complaints_desk_close(other);
               return rc;
             },
             Handle::none);
       }},
      {"desk_open_sqlite",
       [](Harness &h, const Call &c) {
         h.call(
             "complaints_desk_open_sqlite", Out::none,
             [&](char **) {
               complaints_desk *other = nullptr;
               char *err = nullptr;
               int rc = complaints_desk_open_sqlite(&other, ":memory:", c.text.c_str(), &err);
               complaints_free(err);
               complaints_desk_close(other);
               return rc;
             },
             Handle::none);
       }},
      // --- plain text
      {"issue_reads", issue_reads},
      {"issue_search",
       [](Harness &h, const Call &c) {
         h.call("complaints_issue_search", Out::json, [&](char **out) {
           return complaints_issue_search(h.desk(), out, h.actor(c.actor), c.text.c_str(), c.flag ? 1 : 100);
         });
       }},
      {"set_clock",
       [](Harness &h, const Call &c) {
         h.call("complaints_desk_set_clock", Out::none,
                [&](char **) { return complaints_desk_set_clock(h.desk(), c.text.c_str()); });
         process_due(h);
       }},
      {"advance",  // the clock moves on by the text's hours (a day if none), then due work runs
       [](Harness &h, const Call &c) {
         std::int64_t hours = c.number(24);
         if (hours < 0 || hours > 24 * 366 * 10) hours = 24;
         std::string at = complaints::format_timestamp(h.cxx().clock().now() + std::chrono::hours(hours));
         h.call("complaints_desk_set_clock", Out::none,
                [&](char **) { return complaints_desk_set_clock(h.desk(), at.c_str()); });
         process_due(h);
       }},
      {"hold_report",
       [](Harness &h, const Call &c) {
         auto f = c.fields(2);
         if (f[1].empty()) f[1] = "2027-01-01T00:00:00Z";
         h.call("complaints_hold_report", Out::json, [&](char **out) {
           return complaints_hold_report(h.desk(), out, h.actor(c.actor), f[0].c_str(), f[1].c_str());
         });
       }},
      {"record_get",
       [](Harness &h, const Call &c) {
         auto f = c.fields(2);
         h.call("complaints_record_get", Out::json, [&](char **out) {
           return complaints_record_get(h.desk(), out, h.actor(c.actor), f[0].c_str(), f[1].c_str());
         });
       }},
      {"record_relink",
       [](Harness &h, const Call &c) {
         auto f = c.fields(4);
         h.call("complaints_record_relink", Out::json, [&](char **out) {
           return complaints_record_relink(h.desk(), out, h.actor(c.actor), f[0].c_str(), f[1].c_str(), f[2].c_str(),
                                           f[3].c_str());
         });
       }},
      {"watcher_set",
       [](Harness &h, const Call &c) {
         h.call("complaints_watcher_set", Out::json, [&](char **out) {
           return complaints_watcher_set(h.desk(), out, h.actor(c.actor), c.code(), c.text.c_str(), c.flag ? 0 : 1);
         });
       }},
      {"link_set",
       [](Harness &h, const Call &c) {
         auto f = c.fields(2);
         if (f[1].empty()) f[1] = "duplicate_of";
         h.call("complaints_link_set", Out::none, [&](char **) {
           return complaints_link_set(h.desk(), h.actor(c.actor), c.code(), f[0].c_str(), f[1].c_str(), c.flag ? 0 : 1);
         });
       }},
      {"template_get", OUT_TEXT(complaints_template_get)},
      {"template_reset", NO_OUT_TEXT(complaints_template_reset)},
      {"message_render",
       [](Harness &h, const Call &c) {
         auto f = c.fields(2);
         const char *audience = f[1].empty() ? nullptr : f[1].c_str();
         h.call("complaints_message_render", Out::json, [&](char **out) {
           return complaints_message_render(h.desk(), out, h.actor(c.actor), c.code(), f[0].c_str(), audience,
                                            c.flag ? 1 : 0);
         });
       }},
      {"message_reminder",
       [](Harness &h, const Call &c) {
         h.call("complaints_message_reminder", Out::json, [&](char **out) {
           return complaints_message_reminder(h.desk(), out, h.actor(c.actor), c.text.c_str(), c.flag ? 1 : 0);
         });
       }},
      {"user_get", OUT_TEXT(complaints_user_get)},
      {"workflow_get", OUT_TEXT(complaints_workflow_get)},
      {"workflow_install_builtin", NO_OUT_TEXT(complaints_workflow_install_builtin)},
      {"hold_may_pay",
       [](Harness &h, const Call &c) {
         auto f = c.fields(3);
         h.call("complaints_hold_may_pay", Out::json, [&](char **out) {
           return complaints_hold_may_pay(h.desk(), out, h.actor(c.actor), f[0].c_str(), f[1].c_str(), f[2].c_str());
         });
       }},
      {"actor_new",
       [](Harness &h, const Call &c) {
         h.call(
             "complaints_actor_new", Out::none,
             [&](char **) {
               complaints_actor *made = nullptr;
               char *err = nullptr;
               int rc = complaints_actor_new(&made, c.text.c_str(), actor_specs[c.actor].role,
                                             actor_specs[c.actor].permissions, &err);
               complaints_free(err);
               complaints_actor_free(made);
               return rc;
             },
             Handle::none);
       }},
      // --- no text: calls that move the desk on, so later calls of the input start elsewhere
      {"issue_delete",
       [](Harness &h, const Call &c) {
         h.call("complaints_issue_delete", Out::json,
                [&](char **out) { return complaints_issue_delete(h.desk(), out, h.actor(c.actor), c.code()); });
       }},
      {"outbox", outbox},
      {"desk_reads", desk_reads},
      {"attachment_bytes",
       [](Harness &h, const Call &c) {
         h.call("complaints_attachment_bytes", Out::none, [&](char **) {
           unsigned char *bytes = nullptr;
           std::size_t len = 0;
           int rc = complaints_attachment_bytes(h.desk(), &bytes, &len, h.actor(c.actor), c.number(1));
           complaints_free(bytes);
           return rc;
         });
       }},
      {"desk_scrub",
       [](Harness &h, const Call &) {
         int scrubbed = 0;
         h.call("complaints_desk_scrub", Out::none,
                [&](char **) { return complaints_desk_scrub(h.desk(), &scrubbed); });
       }},
  };
  return list;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char *>(data), size);
  Harness h;
  const auto &table = entries();
  int calls = 0;
  for (std::size_t from = 0; from < input.size() && calls < 8; ++calls) {
    std::size_t nul = input.find('\0', from);
    std::string_view piece = input.substr(from, nul == std::string_view::npos ? std::string_view::npos : nul - from);
    from = nul == std::string_view::npos ? input.size() : nul + 1;
    if (piece.empty()) continue;
    Call c;
    auto who = piece.size() > 1 ? static_cast<unsigned char>(piece[1]) : 0u;
    c.actor = static_cast<int>(who % 8);
    c.issue = static_cast<int>(who / 8 % 3);
    c.flag = who / 24 % 2 != 0;
    c.text = std::string(piece.size() > 2 ? piece.substr(2) : std::string_view());
    table[static_cast<unsigned char>(piece[0]) % table.size()].run(h, c);
  }
  return 0;
}
