// The C API's test table (functions.hpp).
#include "capi/functions.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <tuple>

#include <unistd.h>

#include <nlohmann/json.hpp>

namespace capi_test {

Fixture::Fixture() {
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
  // field-service with a task kind; group roads; task 1 in its queue, task 2 worked by admin-1.
  REQUIRE(complaints_workflow_get(desk, &out, admin, "field-service") == COMPLAINTS_OK);
  auto workflow = nlohmann::json::parse(out);
  complaints_free(out);
  workflow["tasks"] = nlohmann::json::array({{{"name", "investigate"}}});
  REQUIRE(complaints_workflow_install(desk, admin, workflow.dump().c_str()) == COMPLAINTS_OK);
  REQUIRE(complaints_user_put(desk, admin, R"({"id":"admin-1","role":"admin","name":"Ada"})") == COMPLAINTS_OK);
  REQUIRE(complaints_group_put(desk, admin, R"({"id":"roads","name":"Roads","members":["admin-1","fw-1"]})") ==
          COMPLAINTS_OK);
  for (const char *request : {R"({"kind":"investigate","group":"roads"})",
                              R"({"kind":"investigate","group":"roads","assignee":"admin-1"})"}) {
    REQUIRE(complaints_task_create(desk, &out, admin, "CMP-00001", request) == COMPLAINTS_OK);
    complaints_free(out);
  }
}

Fixture::~Fixture() {
  complaints_actor_free(admin);
  complaints_actor_free(system);
  complaints_desk_close(desk);
}

namespace {

template <typename T>
T *nul(T *p, int i, int null_at) {
  return i == null_at ? nullptr : p;
}

const char *pick(const char *good, int i, int text_at, const char *text) { return i == text_at ? text : good; }

// The text arguments of a call whose first text is parameter `first`: the
// one at `null_at` is NULL, the one at `text_at` is `text`.
std::vector<const char *> texts_for(const std::vector<const char *> &values, int first, int null_at, int text_at,
                                    const char *text) {
  std::vector<const char *> args;
  for (std::size_t i = 0; i < values.size(); ++i) {
    int at = static_cast<int>(i);
    args.push_back(at + first == null_at ? nullptr : pick(values[i], at, text_at, text));
  }
  return args;
}

std::vector<Text> texts_of(const std::vector<std::string> &names, const std::vector<bool> &json,
                           const std::vector<const char *> &values) {
  std::vector<Text> out;
  for (std::size_t i = 0; i < names.size(); ++i) out.push_back({names[i], json[i], values[i]});
  return out;
}

}  // namespace

std::vector<Function> functions() {
  // Short names for the usual arguments: output string, desk, actor.
  using F = Fixture;
  std::vector<Function> f;
  auto out_desk_actor = [](std::string name,
                           std::function<int(F &, char **, complaints_desk *, const complaints_actor *)> call) {
    return Function{name,
                    {{"out", false}, {"desk", false}, {"actor", false}},
                    {},
                    COMPLAINTS_EINVALID,
                    [call](F &fx, int n, int, const char *) {
                      char *out = nullptr;
                      int rc =
                          call(fx, nul(&out, 0, n), nul(fx.desk, 1, n), nul<const complaints_actor>(fx.admin, 2, n));
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
    Function fn{
        name, {{"out", out_optional}, {"desk", false}, {"actor", false}}, texts_of(texts, json, values), malformed, {}};
    for (std::size_t i = 0; i < texts.size(); ++i) fn.pointers.push_back({texts[i], false});
    fn.call = [call, values](F &fx, int n, int text_at, const char *text) {
      std::vector<const char *> args = texts_for(values, 3, n, text_at, text);
      char *out = nullptr;
      int rc = call(fx, nul(&out, 0, n), nul(fx.desk, 1, n), nul<const complaints_actor>(fx.admin, 2, n), args);
      complaints_free(out);
      return rc;
    };
    return fn;
  };
  auto no_out =
      [](std::string name, std::vector<std::string> texts,
         std::function<int(complaints_desk *, const complaints_actor *, const std::vector<const char *> &)> call,
         std::vector<const char *> values, std::vector<bool> json, int malformed = COMPLAINTS_EINVALID) {
        Function fn{name, {{"desk", false}, {"actor", false}}, texts_of(texts, json, values), malformed, {}};
        for (const auto &t : texts) fn.pointers.push_back({t, false});
        fn.call = [call, values](F &fx, int n, int text_at, const char *text) {
          std::vector<const char *> args = texts_for(values, 2, n, text_at, text);
          return call(nul(fx.desk, 0, n), nul<const complaints_actor>(fx.admin, 1, n), args);
        };
        return fn;
      };

  f.push_back({"complaints_actor_new",
               {{"out", false}, {"id", false}, {"errmsg", true}},
               {{"id", false, "x"}},
               0,
               [](F &, int n, int text_at, const char *text) {
                 complaints_actor *a = nullptr;
                 char *err = nullptr;
                 int rc = complaints_actor_new(n == 0 ? nullptr : &a, n == 1 ? nullptr : pick("x", 0, text_at, text), 0,
                                               0, n == 2 ? nullptr : &err);
                 // *errmsg is the message complaints_desk_errmsg(NULL) gives.
                 if (rc != COMPLAINTS_OK && n != 2) CHECK(std::string(err) == complaints_desk_errmsg(nullptr));
                 complaints_actor_free(a);
                 complaints_free(err);
                 return rc;
               }});
  f.push_back({"complaints_desk_share", {{"out", false}, {"desk", false}}, {}, 0, [](F &fx, int n, int, const char *) {
                 complaints_desk *h = nullptr;
                 int rc = complaints_desk_share(n == 0 ? nullptr : &h, nul(fx.desk, 1, n));
                 complaints_desk_close(h);
                 return rc;
               }});
  f.push_back({"complaints_desk_open_sqlite",
               {{"out", false}, {"path", false}, {"options_json", true}, {"errmsg", true}},
               {{"path", false, ":memory:"}, {"options_json", true, "{}"}},
               COMPLAINTS_EINVALID,
               [](F &, int n, int text_at, const char *text) {
                 complaints_desk *d = nullptr;
                 char *err = nullptr;
                 int rc = complaints_desk_open_sqlite(
                     n == 0 ? nullptr : &d, n == 1 ? nullptr : pick(":memory:", 0, text_at, text),
                     n == 2 ? nullptr : pick("{}", 1, text_at, text), n == 3 ? nullptr : &err);
                 complaints_desk_close(d);
                 complaints_free(err);
                 return rc;
               }});
  f.push_back({"complaints_desk_open_memory",
               {{"out", false}, {"options_json", true}, {"errmsg", true}},
               {{"options_json", true, "{}"}},
               COMPLAINTS_EINVALID,
               [](F &, int n, int text_at, const char *text) {
                 complaints_desk *d = nullptr;
                 char *err = nullptr;
                 int rc = complaints_desk_open_memory(
                     n == 0 ? nullptr : &d, n == 1 ? nullptr : pick("{}", 0, text_at, text), n == 2 ? nullptr : &err);
                 complaints_desk_close(d);
                 complaints_free(err);
                 return rc;
               }});
  // Opens a desk on the throw-away server the tests run with (CTest's
  // postgres fixture), each in a schema of its own; without one, a socket
  // that does not exist, so a call that gets past its checks fails at once.
  static const std::string conninfo = [] {
    const char *info = std::getenv("COMPLAINTS_TEST_POSTGRES");
    return std::string(info && *info ? info : "host=/nonexistent-complaints-dir connect_timeout=1");
  }();
  static const std::string pg_options = "{\"schema\":\"capi_table_" + std::to_string(getpid()) + "\"}";
  f.push_back({"complaints_desk_open_postgres",
               {{"out", false}, {"conninfo", false}, {"options_json", true}, {"errmsg", true}},
               {{"conninfo", false, conninfo}, {"options_json", true, pg_options}},
               COMPLAINTS_EINVALID,
               [](F &, int n, int text_at, const char *text) {
                 complaints_desk *d = nullptr;
                 char *err = nullptr;
                 int rc = complaints_desk_open_postgres(
                     n == 0 ? nullptr : &d, n == 1 ? nullptr : pick(conninfo.c_str(), 0, text_at, text),
                     n == 2 ? nullptr : pick(pg_options.c_str(), 1, text_at, text), n == 3 ? nullptr : &err);
                 complaints_desk_close(d);
                 complaints_free(err);
                 return rc;
               }});
  f.push_back({"complaints_desk_set_clock",
               {{"desk", false}, {"instant", false}},
               {{"instant", false, "2026-01-06T00:00:00Z"}},
               0,
               [](F &fx, int n, int text_at, const char *text) {
                 return complaints_desk_set_clock(nul(fx.desk, 0, n),
                                                  n == 1 ? nullptr : pick("2026-01-06T00:00:00Z", 0, text_at, text));
               }});
  f.push_back({"complaints_desk_scrub", {{"desk", false}, {"scrubbed", true}}, {}, 0,
               [](F &fx, int n, int, const char *) {
                 int scrubbed = 0;
                 return complaints_desk_scrub(nul(fx.desk, 0, n), n == 1 ? nullptr : &scrubbed);
               }});
  f.push_back({"complaints_workflow_validate",
               {{"out", false}, {"workflow_json", false}, {"errmsg", true}},
               {{"workflow_json", true, "{}"}},
               COMPLAINTS_OK,
               [](F &, int n, int text_at, const char *text) {
                 char *out = nullptr, *err = nullptr;
                 int rc = complaints_workflow_validate(
                     n == 0 ? nullptr : &out, n == 1 ? nullptr : pick("{}", 0, text_at, text), n == 2 ? nullptr : &err);
                 // *errmsg is the message complaints_desk_errmsg(NULL) gives.
                 if (rc != COMPLAINTS_OK && n != 2) CHECK(std::string(err) == complaints_desk_errmsg(nullptr));
                 complaints_free(out);
                 complaints_free(err);
                 return rc;
               }});
  // A valid document, so that the call with every argument given draws it.
  static const std::string mini = R"({"name":"mini","initial":"Open","statuses":[{"name":"Open","category":"open"},)"
                                  R"({"name":"Done","category":"closed"}],)"
                                  R"("actions":[{"name":"finish","from":["Open"],"to":"Done","allow":["office"]}]})";
  f.push_back({"complaints_workflow_diagram",
               {{"out", false}, {"workflow_json", false}, {"format", false}, {"errmsg", true}},
               {{"workflow_json", true, mini}, {"format", false, "mermaid"}},
               COMPLAINTS_EWORKFLOW,
               [](F &, int n, int text_at, const char *text) {
                 char *out = nullptr, *err = nullptr;
                 int rc = complaints_workflow_diagram(n == 0 ? nullptr : &out,
                                                      n == 1 ? nullptr : pick(mini.c_str(), 0, text_at, text),
                                                      n == 2 ? nullptr : pick("mermaid", 1, text_at, text),
                                                      n == 3 ? nullptr : &err);
                 if (rc != COMPLAINTS_OK && n != 3) CHECK(std::string(err) == complaints_desk_errmsg(nullptr));
                 CHECK((rc == COMPLAINTS_OK) == (out != nullptr));
                 complaints_free(out);
                 complaints_free(err);
                 return rc;
               }});
  f.push_back(no_out(
      "complaints_workflow_install", {"workflow_json"},
      [](auto d, auto a, auto &v) { return complaints_workflow_install(d, a, v[0]); }, {"{\"not\": \"a workflow\"}"},
      {true}, COMPLAINTS_EWORKFLOW));
  f.push_back(no_out("complaints_workflow_install_builtin", {"name"},
                     [](auto d, auto a, auto &v) { return complaints_workflow_install_builtin(d, a, v[0]); },
                     {"customer-confirmation"}, {false}));
  f.push_back(with_text("complaints_workflow_get", {"name"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_workflow_get(d, o, a, v[0]); },
                        {"field-service"}, {false}));
  f.push_back(with_text("complaints_workflow_draw", {"name", "format"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_workflow_draw(d, o, a, v[0], v[1]); },
                        {"field-service", "mermaid"}, {false, false}));
  f.push_back(out_desk_actor(
      "complaints_workflow_list",
      [](F &, char **o, complaints_desk *d, const complaints_actor *a) { return complaints_workflow_list(d, o, a); }));
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
  f.push_back(
      with_text("complaints_record_get", {"kind", "id"},
                [](auto &, auto o, auto d, auto a, auto &v) { return complaints_record_get(d, o, a, v[0], v[1]); },
                {"booking", "B-1"}, {false, false}));
  f.push_back(with_text(
      "complaints_record_relink", {"from_kind", "from_id", "to_kind", "to_id"},
      [](auto &, auto o, auto d, auto a, auto &v) { return complaints_record_relink(d, o, a, v[0], v[1], v[2], v[3]); },
      {"quote", "Q-1", "booking", "B-1"}, {false, false, false, false}));
  f.push_back(with_text("complaints_issue_report", {"request_json"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_issue_report(d, o, a, v[0]); },
                        {R"({"record":{"kind":"booking","id":"B-1"},"type":"Other","description":"y"})"}, {true}));
  f.push_back(
      with_text("complaints_issue_act", {"code", "request_json"},
                [](auto &, auto o, auto d, auto a, auto &v) { return complaints_issue_act(d, o, a, v[0], v[1]); },
                {"CMP-00002", R"({"action":"convert_to_in_progress"})"}, {false, true}));
  f.push_back(
      with_text("complaints_issue_edit", {"code", "edit_json"},
                [](auto &, auto o, auto d, auto a, auto &v) { return complaints_issue_edit(d, o, a, v[0], v[1]); },
                {"CMP-00002", R"({"description":"z"})"}, {false, true}));
  for (auto [name, fn] : std::vector<
           std::pair<const char *, int (*)(complaints_desk *, char **, const complaints_actor *, const char *)>>{
           {"complaints_issue_get", &complaints_issue_get},
           {"complaints_issue_actions", &complaints_issue_actions},
           {"complaints_issue_timeline", &complaints_issue_timeline},
           {"complaints_issue_verify", &complaints_issue_verify},
           {"complaints_comment_list", &complaints_comment_list},
           {"complaints_attachment_list", &complaints_attachment_list},
           {"complaints_link_list", &complaints_link_list}}) {
    auto call = fn;
    f.push_back(with_text(name, {"code"},
                          [call](auto &, auto o, auto d, auto a, auto &v) { return call(d, o, a, v[0]); },
                          {"CMP-00001"}, {false}));
  }
  Function list =
      with_text("complaints_issue_list", {"filter_json"},
                [](auto &, auto o, auto d, auto a, auto &v) { return complaints_issue_list(d, o, a, v[0]); },
                {R"({"open":true})"}, {true});
  list.pointers[3].second = true;  // NULL filter: everything
  f.push_back(list);
  // The export: to a file of this process's own (removed after each call), and to a callback.
  static const std::string export_path =
      (std::filesystem::temp_directory_path() / ("complaints-capi-export-" + std::to_string(getpid()) + ".csv"))
          .string();
  Function export_file = with_text(
      "complaints_export_file", {"path", "export_json"},
      [](auto &, auto o, auto d, auto a, auto &v) {
        int rc = complaints_export_file(d, o, a, v[0], v[1]);
        if (v[0]) std::remove(v[0]);
        return rc;
      },
      {export_path.c_str(), R"({"format":"json_lines","page_issues":1})"}, {false, true}, true);
  export_file.pointers[4].second = true;  // NULL export_json: the CSV of every issue
  f.push_back(export_file);
  f.push_back({"complaints_export_callback",
               {{"summary", true}, {"desk", false}, {"actor", false}, {"export_json", true}, {"fn", false},
                {"user", true}},
               {{"export_json", true, R"({"page_issues":1})"}},
               COMPLAINTS_EINVALID,
               [](F &fx, int n, int text_at, const char *text) {
                 char *out = nullptr;
                 std::size_t bytes = 0;
                 complaints_export_sink sink = +[](void *user, const char *, size_t size) {
                   if (user) *static_cast<std::size_t *>(user) += size;
                   return 0;
                 };
                 int rc = complaints_export_callback(nul(fx.desk, 1, n), n == 0 ? nullptr : &out,
                                                     nul<const complaints_actor>(fx.admin, 2, n),
                                                     n == 3 ? nullptr : pick(R"({"page_issues":1})", 0, text_at, text),
                                                     n == 4 ? nullptr : sink, n == 5 ? nullptr : &bytes);
                 complaints_free(out);
                 return rc;
               }});
  f.push_back(with_text("complaints_dashboard", {"dashboard_json"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_dashboard(d, o, a, v[0]); },
                        {R"({"from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z"})"}, {true}));
  f.push_back(with_text("complaints_search", {"search_json"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_search(d, o, a, v[0]); },
                        {R"({"query":"x"})"}, {true}));
  f.push_back(
      with_text("complaints_issue_search", {"text"},
                [](auto &, auto o, auto d, auto a, auto &v) { return complaints_issue_search(d, o, a, v[0], 10); },
                {"x"}, {false}));
  f.push_back(
      with_text("complaints_comment_add", {"code", "comment_json"},
                [](auto &, auto o, auto d, auto a, auto &v) { return complaints_comment_add(d, o, a, v[0], v[1]); },
                {"CMP-00001", R"({"body":"hello"})"}, {false, true}));
  f.push_back(
      with_text("complaints_attachment_add", {"code", "attachment_json"},
                [](auto &, auto o, auto d, auto a, auto &v) { return complaints_attachment_add(d, o, a, v[0], v[1]); },
                {"CMP-00001", R"({"name":"b.txt","media_type":"text/plain","bytes_base64":"aGk="})"}, {false, true}));
  f.push_back({"complaints_attachment_bytes",
               {{"out", false}, {"len", false}, {"desk", false}, {"actor", false}},
               {},
               0,
               [](F &fx, int n, int, const char *) {
                 unsigned char *out = nullptr;
                 size_t len = 0;
                 int rc =
                     complaints_attachment_bytes(nul(fx.desk, 2, n), n == 0 ? nullptr : &out, n == 1 ? nullptr : &len,
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
  f.push_back(
      with_text("complaints_hold_may_pay_many", {"queries_json"},
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
  Function holds =
      with_text("complaints_hold_list", {"filter_json"},
                [](auto &, auto o, auto d, auto a, auto &v) { return complaints_hold_list(d, o, a, v[0]); },
                {R"({"state":"withheld"})"}, {true});
  holds.pointers[3].second = true;
  f.push_back(holds);
  f.push_back(
      out_desk_actor("complaints_hold_stalled", [](F &, char **o, complaints_desk *d, const complaints_actor *a) {
        return complaints_hold_stalled(d, o, a, 1);
      }));
  f.push_back(
      with_text("complaints_hold_report", {"from", "to"},
                [](auto &, auto o, auto d, auto a, auto &v) { return complaints_hold_report(d, o, a, v[0], v[1]); },
                {"2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"}, {false, false}));
  f.push_back(no_out(
      "complaints_template_save", {"template_json"},
      [](auto d, auto a, auto &v) { return complaints_template_save(d, a, v[0]); },
      {R"({"name":"note","subject":"Hi {{customer_first_name}}","body_html":"<p>hi</p>","body_text":"hi"})"}, {true}));
  f.push_back(no_out("complaints_template_reset", {"name"},
                     [](auto d, auto a, auto &v) { return complaints_template_reset(d, a, v[0]); }, {"note"}, {false}));
  f.push_back(with_text("complaints_template_get", {"name"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_template_get(d, o, a, v[0]); },
                        {"acknowledgement"}, {false}));
  f.push_back(out_desk_actor(
      "complaints_template_list",
      [](F &, char **o, complaints_desk *d, const complaints_actor *a) { return complaints_template_list(d, o, a); }));
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
  f.push_back(
      with_text("complaints_message_reminder", {"fieldworker"},
                [](auto &, auto o, auto d, auto a, auto &v) { return complaints_message_reminder(d, o, a, v[0], 0); },
                {"fw-1"}, {false}));
  f.push_back({"complaints_due_process",
               {{"out", false}, {"desk", false}, {"actor", false}},
               {},
               0,
               [](F &fx, int n, int, const char *) {
                 char *out = nullptr;
                 int rc = complaints_due_process(nul(fx.desk, 1, n), n == 0 ? nullptr : &out,
                                                 nul<const complaints_actor>(fx.system, 2, n), 10);
                 complaints_free(out);
                 return rc;
               }});
  f.push_back(out_desk_actor(
      "complaints_due_next",
      [](F &, char **o, complaints_desk *d, const complaints_actor *a) { return complaints_due_next(d, o, a); }));
  f.push_back(no_out("complaints_calendar_set", {"calendar_json"},
                     [](auto d, auto a, auto &v) { return complaints_calendar_set(d, a, v[0]); },
                     {R"({"time_zone":"Europe/London","hours":{"mon":["09:00-17:00"]},"holidays":["2026-12-25"]})"},
                     {true}));
  f.push_back(out_desk_actor(
      "complaints_calendar_get",
      [](F &, char **o, complaints_desk *d, const complaints_actor *a) { return complaints_calendar_get(d, o, a); }));
  f.push_back(with_text("complaints_issue_slas", {"code"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_issue_slas(d, o, a, v[0]); },
                        {"CMP-00001"}, {false}));
  f.push_back({"complaints_issue_to_follow_count",
               {{"count", false}, {"desk", false}, {"actor", false}, {"user_id", false}},
               {{"user_id", false, "fw-1"}},
               0,
               [](F &fx, int n, int text_at, const char *text) {
                 int64_t count = 0;
                 return complaints_issue_to_follow_count(nul(fx.desk, 1, n), n == 0 ? nullptr : &count,
                                                         nul<const complaints_actor>(fx.admin, 2, n),
                                                         n == 3 ? nullptr : pick("fw-1", 0, text_at, text));
               }});
  f.push_back(no_out("complaints_group_put", {"group_json"},
                     [](auto d, auto a, auto &v) { return complaints_group_put(d, a, v[0]); },
                     {R"({"id":"parks","name":"Parks","members":["fw-1"]})"}, {true}));
  f.push_back(out_desk_actor(
      "complaints_group_list",
      [](F &, char **o, complaints_desk *d, const complaints_actor *a) { return complaints_group_list(d, o, a); }));
  f.push_back(
      with_text("complaints_task_create", {"code", "request_json"},
                [](auto &, auto o, auto d, auto a, auto &v) { return complaints_task_create(d, o, a, v[0], v[1]); },
                {"CMP-00001", R"({"kind":"investigate","group":"roads"})"}, {false, true}));
  // Task 1 is in roads' queue, task 2 is admin-1's (Fixture).
  for (auto [name, fn, id] :
       std::vector<std::tuple<const char *, int (*)(complaints_desk *, char **, const complaints_actor *, int64_t),
                              int64_t>>{{"complaints_task_claim", &complaints_task_claim, 1},
                                        {"complaints_task_release", &complaints_task_release, 2},
                                        {"complaints_task_get", &complaints_task_get, 1},
                                        {"complaints_task_case", &complaints_task_case, 1}}) {
    auto call = fn;
    auto task = id;
    f.push_back(out_desk_actor(
        name, [call, task](F &, char **o, complaints_desk *d, const complaints_actor *a) { return call(d, o, a, task); }));
  }
  Function assign = with_text(
      "complaints_task_assign", {"group", "user"},
      [](auto &, auto o, auto d, auto a, auto &v) { return complaints_task_assign(d, o, a, 1, v[0], v[1]); },
      {"roads", "fw-1"}, {false, false});
  assign.pointers[3].second = assign.pointers[4].second = true;  // NULL: no group, no user (one is enough)
  f.push_back(assign);
  f.push_back(
      with_text("complaints_task_complete", {"notes"},
                [](auto &, auto o, auto d, auto a, auto &v) { return complaints_task_complete(d, o, a, 2, v[0]); },
                {"Done."}, {false}));
  f.push_back(
      with_text("complaints_task_cancel", {"reason"},
                [](auto &, auto o, auto d, auto a, auto &v) { return complaints_task_cancel(d, o, a, 1, v[0]); },
                {"Not needed."}, {false}));
  f.push_back(with_text("complaints_task_list", {"code"},
                        [](auto &, auto o, auto d, auto a, auto &v) { return complaints_task_list(d, o, a, v[0]); },
                        {"CMP-00001"}, {false}));
  f.push_back(out_desk_actor("complaints_task_claimable",
                             [](F &, char **o, complaints_desk *d, const complaints_actor *a) {
                               return complaints_task_claimable(d, o, a, 10, 0);
                             }));
  f.push_back(
      out_desk_actor("complaints_task_mine", [](F &, char **o, complaints_desk *d, const complaints_actor *a) {
        return complaints_task_mine(d, o, a, 10, 0);
      }));
  f.push_back({"complaints_task_attachment",
               {{"out", false}, {"len", false}, {"desk", false}, {"actor", false}},
               {},
               0,
               [](F &fx, int n, int, const char *) {
                 unsigned char *out = nullptr;
                 size_t len = 0;
                 int rc = complaints_task_attachment(nul(fx.desk, 2, n), n == 0 ? nullptr : &out,
                                                     n == 1 ? nullptr : &len, nul<const complaints_actor>(fx.admin, 3, n),
                                                     2, 1);
                 complaints_free(out);
                 return rc;
               }});
  f.push_back({"complaints_outbox_pending",
               {{"out", false}, {"desk", false}, {"actor", false}},
               {},
               0,
               [](F &fx, int n, int, const char *) {
                 char *out = nullptr;
                 int rc = complaints_outbox_pending(nul(fx.desk, 1, n), n == 0 ? nullptr : &out,
                                                    nul<const complaints_actor>(fx.system, 2, n), 10, 0);
                 complaints_free(out);
                 return rc;
               }});
  f.push_back({"complaints_outbox_ack",
               {{"acked", true}, {"desk", false}, {"actor", false}, {"ids", false}},
               {},
               0,
               [](F &fx, int n, int, const char *) {
                 size_t acked = 0;
                 int64_t ids[] = {1, 2};
                 return complaints_outbox_ack(nul(fx.desk, 1, n), n == 0 ? nullptr : &acked,
                                              nul<const complaints_actor>(fx.system, 2, n), n == 3 ? nullptr : ids, 2);
               }});
  f.push_back({"complaints_desk_on",
               {{"desk", false}, {"id", false}, {"fn", false}, {"user", true}},
               {},
               0,
               [](F &fx, int n, int, const char *) {
                 int64_t id = 0;
                 int rc = complaints_desk_on(
                     nul(fx.desk, 0, n), n == 1 ? nullptr : &id, COMPLAINTS_EVENT_ANY,
                     n == 2 ? nullptr : +[](void *, int, const char *) {}, nullptr);
                 if (rc == COMPLAINTS_OK) complaints_desk_off(fx.desk, id);
                 return rc;
               }});
  f.push_back({"complaints_desk_off", {{"desk", false}}, {}, 0, [](F &fx, int n, int, const char *) {
                 int64_t id = 0;
                 REQUIRE(complaints_desk_on(
                             fx.desk, &id, COMPLAINTS_EVENT_ANY, +[](void *, int, const char *) {}, nullptr) ==
                         COMPLAINTS_OK);
                 int rc = complaints_desk_off(nul(fx.desk, 0, n), id);
                 if (rc != COMPLAINTS_OK) complaints_desk_off(fx.desk, id);
                 return rc;
               }});
  f.push_back({"complaints_issue_delete",
               {{"out", true}, {"desk", false}, {"actor", false}, {"code", false}},
               {{"code", false, "CMP-00002"}},
               0,
               [](F &fx, int n, int text_at, const char *text) {
                 char *out = nullptr;
                 int rc = complaints_issue_delete(nul(fx.desk, 1, n), n == 0 ? nullptr : &out,
                                                  nul<const complaints_actor>(fx.admin, 2, n),
                                                  n == 3 ? nullptr : pick("CMP-00002", 0, text_at, text));
                 complaints_free(out);
                 return rc;
               }});
  return f;
}

}  // namespace capi_test
