// Every C function, called with NULL in each pointer argument in turn, and
// with malformed JSON wherever it takes JSON: each returns the documented
// code with a message, and none crashes (the test also runs under ASan).
#include <doctest/doctest.h>

#include <complaints.h>

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Fixture {
  complaints_desk *desk = nullptr;
  complaints_actor *admin = nullptr, *system = nullptr;
  Fixture() {
    REQUIRE(complaints_desk_open_memory(&desk, "{\"clock\":\"2026-01-05T09:00:00Z\"}", nullptr) == COMPLAINTS_OK);
    REQUIRE(complaints_actor_new(&admin, "admin-1", COMPLAINTS_ROLE_ADMIN, 15u, nullptr) == COMPLAINTS_OK);
    REQUIRE(complaints_actor_new(&system, "host", COMPLAINTS_ROLE_SYSTEM, 0u, nullptr) == COMPLAINTS_OK);
    REQUIRE(complaints_record_put(desk, admin,
                                  R"({"kind":"booking","id":"B-1","customer_id":"c-1","fieldworkers":["fw-1"]})") ==
            COMPLAINTS_OK);
    REQUIRE(complaints_user_put(desk, admin, R"({"id":"fw-1","role":"fieldworker","name":"Fay"})") == COMPLAINTS_OK);
    for (int i = 0; i < 2; ++i) {
      char *out = nullptr;
      REQUIRE(complaints_issue_report(desk, &out, admin,
                                      R"({"record":{"kind":"booking","id":"B-1"},"type":"Other","description":"x"})") ==
              COMPLAINTS_OK);
      complaints_free(out);
    }
    char *out = nullptr;
    REQUIRE(complaints_attachment_add(desk, &out, admin, "CMP-00001",
                                      R"({"name":"a.txt","media_type":"text/plain","bytes_base64":"aGk="})") ==
            COMPLAINTS_OK);
    complaints_free(out);
  }
  Fixture(const Fixture &) = delete;
  Fixture &operator=(const Fixture &) = delete;
  ~Fixture() {
    complaints_actor_free(admin);
    complaints_actor_free(system);
    complaints_desk_close(desk);
  }
};

// One C function: its pointer arguments (name, and whether NULL is allowed),
// its JSON arguments, and a way to call it with argument `null_at` set to
// NULL (-1: none) and JSON argument `json_at` replaced by `bad_json`.
struct Function {
  std::string name;
  std::vector<std::pair<std::string, bool>> pointers;  // (name, NULL allowed)
  int json_args = 0;
  int malformed = COMPLAINTS_EINVALID;  // the code for malformed JSON
  std::function<int(Fixture &, int null_at, int json_at, const char *bad_json)> call;
};

template <typename T>
T *nul(T *p, int i, int null_at) {
  return i == null_at ? nullptr : p;
}

const char *js(const char *good, int i, int json_at, const char *bad) { return i == json_at ? bad : good; }

// The text arguments of a call whose first text is parameter `first`: the
// one at `null_at` is NULL, the JSON one at `json_at` is `bad`.
std::vector<const char *> texts_for(const std::vector<const char *> &values, const std::vector<bool> &json, int first,
                                    int null_at, int json_at, const char *bad) {
  std::vector<const char *> args;
  int j = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const char *v = json[i] ? js(values[i], j++, json_at, bad) : values[i];
    args.push_back(static_cast<int>(i) + first == null_at ? nullptr : v);
  }
  return args;
}

std::vector<Function> functions() {
  // Short names for the usual arguments: output string, desk, actor.
  using F = Fixture;
  std::vector<Function> f;
  auto out_desk_actor = [](std::string name, std::function<int(F &, char **, complaints_desk *,
                                                                 const complaints_actor *)> call) {
    return Function{name, {{"out", false}, {"desk", false}, {"actor", false}}, 0, COMPLAINTS_EINVALID,
                    [call](F &fx, int n, int, const char *) {
                      char *out = nullptr;
                      int rc = call(fx, nul(&out, 0, n), nul(fx.desk, 1, n), nul<const complaints_actor>(fx.admin, 2, n));
                      complaints_free(out);
                      return rc;
                    }};
  };
  auto with_text = [](std::string name, std::vector<std::string> texts,
                      std::function<int(F &, char **, complaints_desk *, const complaints_actor *,
                                        const std::vector<const char *> &)>
                          call,
                      std::vector<const char *> values, std::vector<bool> json, bool out_optional = false,
                      int malformed = COMPLAINTS_EINVALID) {
    Function fn{name, {{"out", out_optional}, {"desk", false}, {"actor", false}}, 0, malformed, {}};
    for (std::size_t i = 0; i < texts.size(); ++i) fn.pointers.push_back({texts[i], false});
    for (bool j : json) fn.json_args += j;
    fn.call = [call, values, json](F &fx, int n, int json_at, const char *bad) {
      std::vector<const char *> args = texts_for(values, json, 3, n, json_at, bad);
      char *out = nullptr;
      int rc = call(fx, nul(&out, 0, n), nul(fx.desk, 1, n), nul<const complaints_actor>(fx.admin, 2, n), args);
      complaints_free(out);
      return rc;
    };
    return fn;
  };
  auto no_out = [](std::string name, std::vector<std::string> texts,
                   std::function<int(complaints_desk *, const complaints_actor *, const std::vector<const char *> &)> call,
                   std::vector<const char *> values, std::vector<bool> json, int malformed = COMPLAINTS_EINVALID) {
    Function fn{name, {{"desk", false}, {"actor", false}}, 0, malformed, {}};
    for (const auto &t : texts) fn.pointers.push_back({t, false});
    for (bool j : json) fn.json_args += j;
    fn.call = [call, values, json](F &fx, int n, int json_at, const char *bad) {
      std::vector<const char *> args = texts_for(values, json, 2, n, json_at, bad);
      return call(nul(fx.desk, 0, n), nul<const complaints_actor>(fx.admin, 1, n), args);
    };
    return fn;
  };

  f.push_back({"complaints_actor_new", {{"out", false}, {"id", false}, {"errmsg", true}}, 0, 0,
               [](F &, int n, int, const char *) {
                 complaints_actor *a = nullptr;
                 char *err = nullptr;
                 int rc = complaints_actor_new(n == 0 ? nullptr : &a, n == 1 ? nullptr : "x", 0, 0, n == 2 ? nullptr : &err);
                 if (rc != COMPLAINTS_OK && n != 2) CHECK(std::string(err).find("must not be NULL") != std::string::npos);
                 complaints_actor_free(a);
                 complaints_free(err);
                 return rc;
               }});
  f.push_back({"complaints_desk_share", {{"out", false}, {"desk", false}}, 0, 0, [](F &fx, int n, int, const char *) {
                 complaints_desk *h = nullptr;
                 int rc = complaints_desk_share(n == 0 ? nullptr : &h, nul(fx.desk, 1, n));
                 complaints_desk_close(h);
                 return rc;
               }});
  f.push_back({"complaints_desk_open_sqlite", {{"out", false}, {"path", false}, {"options_json", true}, {"errmsg", true}}, 1,
               COMPLAINTS_EINVALID, [](F &, int n, int json_at, const char *bad) {
                 complaints_desk *d = nullptr;
                 char *err = nullptr;
                 int rc = complaints_desk_open_sqlite(n == 0 ? nullptr : &d, n == 1 ? nullptr : ":memory:",
                                                      n == 2 ? nullptr : js("{}", 0, json_at, bad), n == 3 ? nullptr : &err);
                 complaints_desk_close(d);
                 complaints_free(err);
                 return rc;
               }});
  f.push_back({"complaints_desk_open_memory", {{"out", false}, {"options_json", true}, {"errmsg", true}}, 1,
               COMPLAINTS_EINVALID, [](F &, int n, int json_at, const char *bad) {
                 complaints_desk *d = nullptr;
                 char *err = nullptr;
                 int rc = complaints_desk_open_memory(n == 0 ? nullptr : &d, n == 1 ? nullptr : js("{}", 0, json_at, bad),
                                                      n == 2 ? nullptr : &err);
                 complaints_desk_close(d);
                 complaints_free(err);
                 return rc;
               }});
  f.push_back({"complaints_desk_set_clock", {{"desk", false}, {"instant", false}}, 0, 0, [](F &fx, int n, int, const char *) {
                 return complaints_desk_set_clock(nul(fx.desk, 0, n), n == 1 ? nullptr : "2026-01-06T00:00:00Z");
               }});
  f.push_back({"complaints_desk_scrub", {{"desk", false}, {"scrubbed", true}}, 0, 0,
               [](F &fx, int n, int, const char *) {
                 int scrubbed = 0;
                 return complaints_desk_scrub(nul(fx.desk, 0, n), n == 1 ? nullptr : &scrubbed);
               }});
  f.push_back({"complaints_workflow_validate", {{"out", false}, {"workflow_json", false}, {"errmsg", true}}, 1,
               COMPLAINTS_OK, [](F &, int n, int json_at, const char *bad) {
                 char *out = nullptr, *err = nullptr;
                 int rc = complaints_workflow_validate(n == 0 ? nullptr : &out, n == 1 ? nullptr : js("{}", 0, json_at, bad),
                                                       n == 2 ? nullptr : &err);
                 if (rc != COMPLAINTS_OK && n != 2) CHECK(std::string(err).find("must not be NULL") != std::string::npos);
                 complaints_free(out);
                 complaints_free(err);
                 return rc;
               }});
  f.push_back(no_out("complaints_workflow_install", {"workflow_json"},
                     [](auto d, auto a, auto &v) { return complaints_workflow_install(d, a, v[0]); },
                     {"{\"not\": \"a workflow\"}"}, {true}, COMPLAINTS_EWORKFLOW));
  f.push_back(no_out("complaints_workflow_install_builtin", {"name"},
                     [](auto d, auto a, auto &v) { return complaints_workflow_install_builtin(d, a, v[0]); },
                     {"customer-confirmation"}, {false}));
  f.push_back(with_text("complaints_workflow_get", {"name"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_workflow_get(d, o, a, v[0]); },
                        {"field-service"}, {false}));
  f.push_back(out_desk_actor("complaints_workflow_list",
                             [](F &, char **o, complaints_desk *d, const complaints_actor *a) {
                               return complaints_workflow_list(d, o, a);
                             }));
  f.push_back(no_out("complaints_status_add", {"workflow", "status_json"},
                     [](auto d, auto a, auto &v) { return complaints_status_add(d, a, v[0], v[1]); },
                     {"field-service", R"({"name":"Parked","colour":"#101010","category":"active"})"}, {false, true}));
  f.push_back(no_out("complaints_type_add", {"type_json"},
                     [](auto d, auto a, auto &v) { return complaints_type_add(d, a, v[0]); },
                     {R"({"name":"Noise","colour":"#101010"})"}, {true}));
  f.push_back(out_desk_actor("complaints_type_list", [](F &, char **o, complaints_desk *d, const complaints_actor *a) {
    return complaints_type_list(d, o, a);
  }));
  f.push_back(no_out("complaints_user_put", {"user_json"},
                     [](auto d, auto a, auto &v) { return complaints_user_put(d, a, v[0]); },
                     {R"({"id":"u-1","role":"office"})"}, {true}));
  f.push_back(with_text("complaints_user_get", {"id"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_user_get(d, o, a, v[0]); },
                        {"fw-1"}, {false}));
  f.push_back(no_out("complaints_user_set_settings", {"user_id", "settings_json"},
                     [](auto d, auto a, auto &v) { return complaints_user_set_settings(d, a, v[0], v[1]); },
                     {"fw-1", R"({"scope":"mine"})"}, {false, true}));
  f.push_back(no_out("complaints_record_put", {"record_json"},
                     [](auto d, auto a, auto &v) { return complaints_record_put(d, a, v[0]); },
                     {R"({"kind":"quote","id":"Q-1","customer_id":"c-1"})"}, {true}));
  f.push_back(with_text("complaints_record_get", {"kind", "id"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_record_get(d, o, a, v[0], v[1]); },
                        {"booking", "B-1"}, {false, false}));
  f.push_back(with_text(
      "complaints_record_relink", {"from_kind", "from_id", "to_kind", "to_id"},
      [](auto &, auto o, auto d, auto a, auto &v) { return complaints_record_relink(d, o, a, v[0], v[1], v[2], v[3]); },
      {"quote", "Q-1", "booking", "B-1"}, {false, false, false, false}));
  f.push_back(with_text("complaints_issue_report", {"request_json"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_issue_report(d, o, a, v[0]); },
                        {R"({"record":{"kind":"booking","id":"B-1"},"type":"Other","description":"y"})"}, {true}));
  f.push_back(with_text("complaints_issue_act", {"code", "request_json"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_issue_act(d, o, a, v[0], v[1]); },
                        {"CMP-00002", R"({"action":"convert_to_in_progress"})"}, {false, true}));
  f.push_back(with_text("complaints_issue_edit", {"code", "edit_json"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_issue_edit(d, o, a, v[0], v[1]); },
                        {"CMP-00002", R"({"description":"z"})"}, {false, true}));
  for (auto [name, fn] : std::vector<std::pair<const char *, int (*)(complaints_desk *, char **, const complaints_actor *, const char *)>>{
           {"complaints_issue_get", &complaints_issue_get},
           {"complaints_issue_actions", &complaints_issue_actions},
           {"complaints_issue_timeline", &complaints_issue_timeline},
           {"complaints_issue_verify", &complaints_issue_verify},
           {"complaints_comment_list", &complaints_comment_list},
           {"complaints_attachment_list", &complaints_attachment_list},
           {"complaints_link_list", &complaints_link_list}}) {
    auto call = fn;
    f.push_back(with_text(name, {"code"}, [call](auto &, auto o, auto d, auto a, auto &v) { return call(d, o, a, v[0]); },
                          {"CMP-00001"}, {false}));
  }
  Function list = with_text("complaints_issue_list", {"filter_json"},
                            [](auto &, auto o, auto d, auto a, auto &v) { return complaints_issue_list(d, o, a, v[0]); },
                            {R"({"open":true})"}, {true});
  list.pointers[3].second = true;  // NULL filter: everything
  f.push_back(list);
  f.push_back(with_text("complaints_issue_search", {"text"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_issue_search(d, o, a, v[0], 10); },
                        {"x"}, {false}));
  f.push_back(with_text("complaints_comment_add", {"code", "comment_json"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_comment_add(d, o, a, v[0], v[1]); },
                        {"CMP-00001", R"({"body":"hello"})"}, {false, true}));
  f.push_back(with_text(
      "complaints_attachment_add", {"code", "attachment_json"},
      [](auto &, auto o, auto d, auto a, auto &v) { return complaints_attachment_add(d, o, a, v[0], v[1]); },
      {"CMP-00001", R"({"name":"b.txt","media_type":"text/plain","bytes_base64":"aGk="})"}, {false, true}));
  f.push_back({"complaints_attachment_bytes", {{"out", false}, {"len", false}, {"desk", false}, {"actor", false}}, 0, 0,
               [](F &fx, int n, int, const char *) {
                 unsigned char *out = nullptr;
                 size_t len = 0;
                 int rc = complaints_attachment_bytes(nul(fx.desk, 2, n), n == 0 ? nullptr : &out, n == 1 ? nullptr : &len,
                                                      nul<const complaints_actor>(fx.admin, 3, n), 1);
                 complaints_free(out);
                 return rc;
               }});
  Function watch = with_text(
      "complaints_watcher_set", {"code", "user_id"},
      [](auto &, auto o, auto d, auto a, auto &v) { return complaints_watcher_set(d, o, a, v[0], v[1], 1); },
      {"CMP-00001", "fw-1"}, {false, false}, true);
  f.push_back(watch);
  f.push_back(no_out("complaints_link_set", {"code", "other", "kind"},
                     [](auto d, auto a, auto &v) { return complaints_link_set(d, a, v[0], v[1], v[2], 1); },
                     {"CMP-00001", "CMP-00002", "related"}, {false, false, false}));
  f.push_back(with_text(
      "complaints_hold_may_pay", {"record_kind", "record_id", "fieldworker"},
      [](auto &, auto o, auto d, auto a, auto &v) { return complaints_hold_may_pay(d, o, a, v[0], v[1], v[2]); },
      {"booking", "B-1", "fw-1"}, {false, false, false}));
  f.push_back(with_text("complaints_hold_may_pay_many", {"queries_json"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_hold_may_pay_many(d, o, a, v[0]); },
                        {R"([{"record":{"kind":"booking","id":"B-1"},"fieldworker":"fw-1"}])"}, {true}));
  f.push_back(with_text(
      "complaints_hold_withhold", {"request_json"},
      [](auto &, auto o, auto d, auto a, auto &v) { return complaints_hold_withhold(d, o, a, v[0]); },
      {R"({"record":{"kind":"booking","id":"B-1"},"fieldworker":"fw-1","amount":{"minor":5,"currency":"AUD"},"reason":"r"})"},
      {true}));
  f.push_back(with_text(
      "complaints_hold_release", {"request_json"},
      [](auto &, auto o, auto d, auto a, auto &v) { return complaints_hold_release(d, o, a, v[0]); },
      {R"({"record":{"kind":"booking","id":"B-1"},"fieldworker":"fw-1","reason":"r","override":true})"}, {true}));
  Function holds = with_text("complaints_hold_list", {"filter_json"},
                             [](auto &, auto o, auto d, auto a, auto &v) { return complaints_hold_list(d, o, a, v[0]); },
                             {R"({"state":"withheld"})"}, {true});
  holds.pointers[3].second = true;
  f.push_back(holds);
  f.push_back(out_desk_actor("complaints_hold_stalled", [](F &, char **o, complaints_desk *d, const complaints_actor *a) {
    return complaints_hold_stalled(d, o, a, 1);
  }));
  f.push_back(with_text("complaints_hold_report", {"from", "to"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_hold_report(d, o, a, v[0], v[1]); },
                        {"2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"}, {false, false}));
  f.push_back(no_out("complaints_template_save", {"template_json"},
                     [](auto d, auto a, auto &v) { return complaints_template_save(d, a, v[0]); },
                     {R"({"name":"note","subject":"Hi {{customer_first_name}}","body_html":"<p>hi</p>","body_text":"hi"})"},
                     {true}));
  f.push_back(no_out("complaints_template_reset", {"name"},
                     [](auto d, auto a, auto &v) { return complaints_template_reset(d, a, v[0]); }, {"note"}, {false}));
  f.push_back(with_text("complaints_template_get", {"name"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_template_get(d, o, a, v[0]); },
                        {"acknowledgement"}, {false}));
  f.push_back(out_desk_actor("complaints_template_list", [](F &, char **o, complaints_desk *d, const complaints_actor *a) {
    return complaints_template_list(d, o, a);
  }));
  f.push_back(no_out("complaints_message_settings_set", {"settings_json"},
                     [](auto d, auto a, auto &v) { return complaints_message_settings_set(d, a, v[0]); },
                     {R"({"acknowledgement":"preview"})"}, {true}));
  f.push_back(out_desk_actor("complaints_message_settings_get",
                             [](F &, char **o, complaints_desk *d, const complaints_actor *a) {
                               return complaints_message_settings_get(d, o, a);
                             }));
  Function render = with_text(
      "complaints_message_render", {"code", "name", "audience"},
      [](auto &, auto o, auto d, auto a, auto &v) { return complaints_message_render(d, o, a, v[0], v[1], v[2], 0); },
      {"CMP-00001", "acknowledgement", "customer"}, {false, false, false});
  render.pointers[5].second = true;  // NULL audience: the customer
  f.push_back(render);
  f.push_back(with_text("complaints_message_reminder", {"fieldworker"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_message_reminder(d, o, a, v[0], 0); },
                        {"fw-1"}, {false}));
  f.push_back({"complaints_outbox_pending", {{"out", false}, {"desk", false}, {"actor", false}}, 0, 0,
               [](F &fx, int n, int, const char *) {
                 char *out = nullptr;
                 int rc = complaints_outbox_pending(nul(fx.desk, 1, n), n == 0 ? nullptr : &out,
                                                    nul<const complaints_actor>(fx.system, 2, n), 10, 0);
                 complaints_free(out);
                 return rc;
               }});
  f.push_back({"complaints_outbox_ack", {{"acked", true}, {"desk", false}, {"actor", false}, {"ids", false}}, 0, 0,
               [](F &fx, int n, int, const char *) {
                 size_t acked = 0;
                 int64_t ids[] = {1, 2};
                 return complaints_outbox_ack(nul(fx.desk, 1, n), n == 0 ? nullptr : &acked,
                                              nul<const complaints_actor>(fx.system, 2, n), n == 3 ? nullptr : ids, 2);
               }});
  f.push_back({"complaints_desk_on", {{"desk", false}, {"id", false}, {"fn", false}, {"user", true}}, 0, 0,
               [](F &fx, int n, int, const char *) {
                 int64_t id = 0;
                 int rc = complaints_desk_on(nul(fx.desk, 0, n), n == 1 ? nullptr : &id, COMPLAINTS_EVENT_ANY,
                                             n == 2 ? nullptr : +[](void *, int, const char *) {}, nullptr);
                 if (rc == COMPLAINTS_OK) complaints_desk_off(fx.desk, id);
                 return rc;
               }});
  f.push_back({"complaints_desk_off", {{"desk", false}}, 0, 0, [](F &fx, int n, int, const char *) {
                 int64_t id = 0;
                 REQUIRE(complaints_desk_on(fx.desk, &id, COMPLAINTS_EVENT_ANY, +[](void *, int, const char *) {},
                                            nullptr) == COMPLAINTS_OK);
                 int rc = complaints_desk_off(nul(fx.desk, 0, n), id);
                 if (rc != COMPLAINTS_OK) complaints_desk_off(fx.desk, id);
                 return rc;
               }});
  f.push_back({"complaints_issue_delete", {{"out", true}, {"desk", false}, {"actor", false}, {"code", false}}, 0, 0,
               [](F &fx, int n, int, const char *) {
                 char *out = nullptr;
                 int rc = complaints_issue_delete(nul(fx.desk, 1, n), n == 0 ? nullptr : &out,
                                                  nul<const complaints_actor>(fx.admin, 2, n), n == 3 ? nullptr : "CMP-00002");
                 complaints_free(out);
                 return rc;
               }});
  return f;
}

}  // namespace

TEST_CASE("every C function returns EMISUSE for each required NULL argument, with a message") {
  int calls = 0;
  for (const Function &fn : functions()) {
    for (int i = 0; i < static_cast<int>(fn.pointers.size()); ++i) {
      Fixture fx;
      CAPTURE(fn.name);
      CAPTURE(fn.pointers[i].first);
      int rc = fn.call(fx, i, -1, nullptr);
      ++calls;
      if (fn.pointers[i].second) {
        CHECK(rc != COMPLAINTS_EMISUSE);
      } else {
        CHECK(rc == COMPLAINTS_EMISUSE);
        // A call without a handle (a NULL desk, or a function taking none)
        // leaves its message for complaints_desk_errmsg(NULL).
        bool handleless = fn.pointers[i].first == "desk" || fn.name.starts_with("complaints_desk_open") ||
                          fn.name == "complaints_actor_new" || fn.name == "complaints_workflow_validate";
        complaints_desk *where = handleless ? nullptr : fx.desk;
        CHECK(std::string(complaints_desk_errmsg(where)) == fn.pointers[i].first + ": must not be NULL");
        CHECK(std::string(complaints_desk_errwhere(where)) == fn.pointers[i].first);
      }
    }
    // And with every argument given, the call works (or fails for a reason other than misuse).
    Fixture fx;
    CAPTURE(fn.name);
    CHECK(fn.call(fx, -1, -1, nullptr) != COMPLAINTS_EMISUSE);
  }
  CHECK(calls > 150);
  // The frees accept NULL.
  complaints_free(nullptr);
  complaints_actor_free(nullptr);
  complaints_desk_close(nullptr);
  CHECK(std::string(complaints_strerror(12345)) == "unknown error code");
}

TEST_CASE("every JSON argument refuses malformed JSON with the documented code") {
  int calls = 0;
  for (const Function &fn : functions()) {
    for (int j = 0; j < fn.json_args; ++j)
      for (const char *bad : {"{not json", "[1, 2", "", "\xff\xfe", "[1]", "42"}) {
        Fixture fx;
        CAPTURE(fn.name);
        CAPTURE(j);
        CAPTURE(bad);
        int rc = fn.call(fx, -1, j, bad);
        ++calls;
        if (fn.name == "complaints_workflow_validate") {
          CHECK(rc == COMPLAINTS_OK);  // the problems are the output
        } else if (fn.name == "complaints_hold_may_pay_many" && std::string(bad) == "[1]") {
          CHECK(rc == COMPLAINTS_EINVALID);
        } else {
          CHECK(rc == fn.malformed);
          CHECK(std::string(complaints_desk_errmsg(fn.name.starts_with("complaints_desk_open") ? nullptr : fx.desk)) != "");
        }
      }
  }
  CHECK(calls > 100);
}

TEST_CASE("bad values through the C API: enums, dates, codes, unknown keys") {
  Fixture fx;
  complaints_actor *a = nullptr;
  CHECK(complaints_actor_new(&a, "x", 17, 0, nullptr) == COMPLAINTS_EMISUSE);
  CHECK(complaints_actor_new(&a, "x", 0, 0x100, nullptr) == COMPLAINTS_EMISUSE);
  CHECK(complaints_actor_new(&a, "", 0, 0, nullptr) == COMPLAINTS_EINVALID);
  CHECK(complaints_actor_new(&a, "bad\x01id", 0, 0, nullptr) == COMPLAINTS_EINVALID);
  CHECK(a == nullptr);
  char *out = nullptr;
  CHECK(complaints_issue_act(fx.desk, &out, fx.admin, "CMP-00001",
                             R"({"action":"schedule_follow_up","inputs":{"date":"2026-02-30"}})") == COMPLAINTS_EINVALID);
  CHECK(std::string(complaints_desk_errwhere(fx.desk)) == "inputs.date");
  CHECK(complaints_issue_report(fx.desk, &out, fx.admin,
                                R"({"record":{"kind":"booking","id":"B-1"},"type":"Other","description":"x","colour":1})") ==
        COMPLAINTS_EINVALID);
  CHECK(std::string(complaints_desk_errwhere(fx.desk)) == "colour");
  CHECK(complaints_issue_get(fx.desk, &out, fx.admin, "CMP-1") == COMPLAINTS_EINVALID);
  CHECK(complaints_record_get(fx.desk, &out, fx.admin, "ship", "B-1") == COMPLAINTS_EINVALID);
  CHECK(complaints_desk_on(fx.desk, reinterpret_cast<int64_t *>(&out), 99, +[](void *, int, const char *) {}, nullptr) ==
        COMPLAINTS_EMISUSE);
  CHECK(complaints_outbox_pending(fx.desk, &out, fx.system, 0, 0) == COMPLAINTS_EINVALID);
  CHECK(complaints_desk_set_clock(fx.desk, "yesterday") == COMPLAINTS_EINVALID);
  complaints_desk *d = nullptr;
  char *err = nullptr;
  CHECK(complaints_desk_open_memory(&d, R"({"colour":"blue"})", &err) == COMPLAINTS_EINVALID);
  CHECK(std::string(err).find("options.colour") != std::string::npos);
  complaints_free(err);
  CHECK(complaints_desk_open_sqlite(&d, "/no/such/dir/x.db", nullptr, &err) == COMPLAINTS_ESTORAGE);
  CHECK(d == nullptr);
  complaints_free(err);
  CHECK(complaints_desk_set_clock(fx.desk, "2026-01-06T00:00:00Z") == COMPLAINTS_OK);
  complaints_desk *plain = nullptr;
  REQUIRE(complaints_desk_open_memory(&plain, nullptr, nullptr) == COMPLAINTS_OK);
  CHECK(complaints_desk_set_clock(plain, "2026-01-06T00:00:00Z") == COMPLAINTS_EMISUSE);
  complaints_desk_close(plain);
}

TEST_CASE("an event callback runs after commit and may read the desk") {
  Fixture fx;
  struct Seen {
    complaints_desk *desk;
    const complaints_actor *actor;
    std::vector<std::string> statuses;
  } seen{fx.desk, fx.admin, {}};
  int64_t id = 0;
  REQUIRE(complaints_desk_on(
              fx.desk, &id, COMPLAINTS_EVENT_STATUS_CHANGED,
              +[](void *user, int kind, const char *json) {
                auto *s = static_cast<Seen *>(user);
                CHECK(kind == COMPLAINTS_EVENT_STATUS_CHANGED);
                CHECK(std::string(json).find("\"kind\":\"status_changed\"") != std::string::npos);
                char *issue = nullptr;
                REQUIRE(complaints_issue_get(s->desk, &issue, s->actor, "CMP-00001") == COMPLAINTS_OK);
                s->statuses.push_back(std::string(issue).find("In Progress") != std::string::npos ? "In Progress" : "?");
                complaints_free(issue);
              },
              &seen) == COMPLAINTS_OK);
  char *out = nullptr;
  REQUIRE(complaints_issue_act(fx.desk, &out, fx.admin, "CMP-00001", R"({"action":"convert_to_in_progress"})") ==
          COMPLAINTS_OK);
  complaints_free(out);
  CHECK(seen.statuses == std::vector<std::string>{"In Progress"});
  REQUIRE(complaints_desk_off(fx.desk, id) == COMPLAINTS_OK);
}

TEST_CASE("a handle keeps its own message; shared handles see one store") {
  Fixture fx;
  complaints_desk *other = nullptr;
  REQUIRE(complaints_desk_share(&other, fx.desk) == COMPLAINTS_OK);
  char *out = nullptr;
  CHECK(complaints_issue_get(fx.desk, &out, fx.admin, "CMP-99999") == COMPLAINTS_ENOTFOUND);
  CHECK(std::string(complaints_desk_errmsg(fx.desk)).find("CMP-99999") != std::string::npos);
  CHECK(std::string(complaints_desk_errmsg(other)).empty());  // another handle's failure is not this one's
  const char *kept = complaints_desk_errmsg(fx.desk);

  // The second handle sees the same issues, and its own failures.
  REQUIRE(complaints_issue_get(other, &out, fx.admin, "CMP-00001") == COMPLAINTS_OK);
  complaints_free(out);
  CHECK(complaints_record_get(other, &out, fx.admin, "ship", "B-1") == COMPLAINTS_EINVALID);
  CHECK(std::string(complaints_desk_errwhere(other)) == "kind");
  CHECK(std::string(complaints_desk_errwhere(fx.desk)) == "code");

  // A success clears the handle's message; text already read stays readable.
  REQUIRE(complaints_issue_get(fx.desk, &out, fx.admin, "CMP-00001") == COMPLAINTS_OK);
  complaints_free(out);
  CHECK(std::string(complaints_desk_errmsg(fx.desk)).empty());  // (this read ends `kept`'s life)
  CHECK(complaints_issue_get(other, &out, fx.admin, "CMP-77777") == COMPLAINTS_ENOTFOUND);
  kept = complaints_desk_errmsg(other);
  complaints_desk_close(other);  // the store lives on with the fixture's handle
  CHECK(std::string(kept).find("CMP-77777") != std::string::npos);
  REQUIRE(complaints_issue_get(fx.desk, &out, fx.admin, "CMP-00002") == COMPLAINTS_OK);
  complaints_free(out);

  // Sharing from a handle leaves that handle's pending message alone.
  CHECK(complaints_issue_get(fx.desk, &out, fx.admin, "CMP-55555") == COMPLAINTS_ENOTFOUND);
  REQUIRE(complaints_desk_share(&other, fx.desk) == COMPLAINTS_OK);
  CHECK(std::string(complaints_desk_errmsg(fx.desk)).find("CMP-55555") != std::string::npos);
  complaints_desk_close(other);
}

TEST_CASE("a message read with a NULL desk outlives the thread's next handle-less failure") {
  complaints_actor *a = nullptr;
  CHECK(complaints_actor_new(&a, "", COMPLAINTS_ROLE_ADMIN, 0, nullptr) == COMPLAINTS_EINVALID);
  const char *first = complaints_desk_errmsg(nullptr);
  CHECK(std::string(first).find("id") != std::string::npos);
  std::string copy = first;
  CHECK(complaints_actor_new(nullptr, "x", COMPLAINTS_ROLE_ADMIN, 0, nullptr) == COMPLAINTS_EMISUSE);
  CHECK(std::string(first) == copy);  // still the text it was when read
  CHECK(std::string(complaints_desk_errmsg(nullptr)) == "out: must not be NULL");
  REQUIRE(complaints_actor_new(&a, "ok", COMPLAINTS_ROLE_ADMIN, 0, nullptr) == COMPLAINTS_OK);
  CHECK(std::string(complaints_desk_errmsg(nullptr)).empty());  // a success clears it, as on a handle
  complaints_actor_free(a);
}

TEST_CASE("threads with their own handles read their own messages") {
  Fixture fx;
  constexpr int threads = 4, rounds = 200;
  std::atomic<int> wrong{0}, failures{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      complaints_desk *h = nullptr;
      if (complaints_desk_share(&h, fx.desk) != COMPLAINTS_OK) return;
      for (int i = 0; i < rounds; ++i) {
        std::string code = "CMP-" + std::to_string(10000 + t * 1000 + i);
        char *out = nullptr;
        if (complaints_issue_get(h, &out, fx.admin, code.c_str()) == COMPLAINTS_ENOTFOUND) ++failures;
        if (std::string(complaints_desk_errmsg(h)).find(code) == std::string::npos) ++wrong;
      }
      complaints_desk_close(h);
    });
  // Meanwhile the fixture's handle is used by all (complaints_desk_share is a
  // call through it, and clears it): its message may be anyone's, or "", but
  // reading it is safe.
  for (int i = 0; i < rounds; ++i) {
    char *out = nullptr;
    CHECK(complaints_issue_get(fx.desk, &out, fx.admin, "CMP-55555") == COMPLAINTS_ENOTFOUND);
    std::string m = complaints_desk_errmsg(fx.desk);
    CHECK((m.empty() || m.find("CMP-55555") != std::string::npos));
  }
  for (auto &th : pool) th.join();
  CHECK(failures == threads * rounds);
  CHECK(wrong == 0);
}

TEST_CASE("complaints_desk_off waits for a callback running on another thread") {
  Fixture fx;
  struct State {
    std::atomic<bool> entered{false}, release{false}, finished{false}, off_returned{false};
    std::atomic<int> calls{0};
    bool off_before_finish = false;
  } st;
  int64_t id = 0;
  REQUIRE(complaints_desk_on(
              fx.desk, &id, COMPLAINTS_EVENT_STATUS_CHANGED,
              +[](void *user, int, const char *) {
                auto *s = static_cast<State *>(user);
                ++s->calls;
                s->entered = true;
                while (!s->release) std::this_thread::yield();
                s->off_before_finish = s->off_returned;
                s->finished = true;
              },
              &st) == COMPLAINTS_OK);
  std::thread actor([&] {
    complaints_desk *h = nullptr;
    REQUIRE(complaints_desk_share(&h, fx.desk) == COMPLAINTS_OK);
    char *out = nullptr;
    CHECK(complaints_issue_act(h, &out, fx.admin, "CMP-00001", R"({"action":"convert_to_in_progress"})") ==
          COMPLAINTS_OK);
    complaints_free(out);
    complaints_desk_close(h);
  });
  while (!st.entered) std::this_thread::yield();
  std::thread stopper([&] {
    CHECK(complaints_desk_off(fx.desk, id) == COMPLAINTS_OK);
    st.off_returned = true;
  });
  // off cannot return while the callback is held; let it go and both finish.
  for (int i = 0; i < 1000 && !st.off_returned; ++i) std::this_thread::yield();
  CHECK_FALSE(st.off_returned);
  st.release = true;
  stopper.join();
  actor.join();
  CHECK(st.finished);
  CHECK_FALSE(st.off_before_finish);
  // Stopped: a later change does not call it.
  char *out = nullptr;
  REQUIRE(complaints_issue_act(fx.desk, &out, fx.admin, "CMP-00002", R"({"action":"convert_to_in_progress"})") ==
          COMPLAINTS_OK);
  complaints_free(out);
  CHECK(st.calls == 1);
}

TEST_CASE("a callback may stop itself") {
  Fixture fx;
  struct State {
    complaints_desk *desk;
    int64_t id = 0;
    int calls = 0;
    int off_rc = -100;
  } st{fx.desk};
  REQUIRE(complaints_desk_on(
              fx.desk, &st.id, COMPLAINTS_EVENT_ANY,
              +[](void *user, int, const char *) {
                auto *s = static_cast<State *>(user);
                if (s->calls++ == 0) s->off_rc = complaints_desk_off(s->desk, s->id);
              },
              &st) == COMPLAINTS_OK);
  for (const char *code : {"CMP-00001", "CMP-00002"}) {
    char *out = nullptr;
    REQUIRE(complaints_issue_act(fx.desk, &out, fx.admin, code, R"({"action":"convert_to_in_progress"})") ==
            COMPLAINTS_OK);
    complaints_free(out);
  }
  CHECK(st.off_rc == COMPLAINTS_OK);
  CHECK(st.calls == 1);
  CHECK(complaints_desk_off(fx.desk, st.id) == COMPLAINTS_EMISUSE);
}

TEST_CASE("installing a workflow checks permission before reading the document") {
  Fixture fx;
  complaints_actor *office = nullptr;
  REQUIRE(complaints_actor_new(&office, "olivia", COMPLAINTS_ROLE_OFFICE, 0u, nullptr) == COMPLAINTS_OK);
  CHECK(complaints_workflow_install(fx.desk, office, R"({"name":)") == COMPLAINTS_EFORBIDDEN);
  CHECK(complaints_workflow_install(fx.desk, fx.admin, R"({"name":)") == COMPLAINTS_EWORKFLOW);
  CHECK(std::string(complaints_desk_errwhere(fx.desk)) == "$");
  complaints_actor_free(office);
}
