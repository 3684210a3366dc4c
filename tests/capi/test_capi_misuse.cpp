// Every C function, called with NULL in each pointer argument in turn, and
// with malformed JSON wherever it takes JSON: each returns the documented
// code with a message, and none crashes (the test also runs under ASan).
#include <doctest/doctest.h>

#include <complaints.h>

#include "capi/functions.hpp"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

using capi_test::Fixture;
using capi_test::Function;
using capi_test::functions;

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
        bool handleless = fn.pointers[i].first == "desk" || fn.handleless();
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
    for (int t = 0; t < static_cast<int>(fn.texts.size()); ++t) {
      if (!fn.texts[t].json) continue;
      for (const char *bad : {"{not json", "[1, 2", "", "\xff\xfe", "[1]", "42"}) {
        Fixture fx;
        CAPTURE(fn.name);
        CAPTURE(fn.texts[t].name);
        CAPTURE(bad);
        int rc = fn.call(fx, -1, t, bad);
        ++calls;
        if (fn.name == "complaints_workflow_validate") {
          CHECK(rc == COMPLAINTS_OK);  // the problems are the output
        } else if (fn.name == "complaints_hold_may_pay_many" && std::string(bad) == "[1]") {
          CHECK(rc == COMPLAINTS_EINVALID);
        } else {
          CHECK(rc == fn.malformed);
          CHECK(std::string(complaints_desk_errmsg(fn.handleless() ? nullptr : fx.desk)) != "");
        }
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
