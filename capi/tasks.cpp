// The C API of groups and tasks (docs/tasks.md): each function turns its C
// arguments into C++ values, calls the Desk and writes the result as JSON,
// inside the guard every C function runs in (handle.hpp).
#include "complaints.h"
#include "handle.hpp"

using namespace complaints;
using namespace complaints::capi;

namespace {

// An optional text argument: NULL reads as "" (none).
std::string_view text_or_empty(const char *p) { return p ? std::string_view(p) : std::string_view(); }

// The calls that take a task id and give the task back.
template <typename F>
int on_task(complaints_desk *desk, char **out, const complaints_actor *actor, F &&call) noexcept {
  return shielded(desk, [&] {
    out_param(out, "out");
    auto &d = need(desk, "desk");
    give(out, call(d.desk, actor_of(actor)));
  });
}

}  // namespace

// clang-format off
extern "C" {
// clang-format on

int complaints_group_put(complaints_desk *desk, const complaints_actor *actor, const char *group_json) {
  return shielded(desk, [&] {
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    d.desk.put_group(a, json::read_group(doc(group_json, "group_json")));
  });
}

int complaints_group_list(complaints_desk *desk, char **out, const complaints_actor *actor) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.groups(actor_of(actor)));
  });
}

int complaints_task_create(complaints_desk *desk, char **out, const complaints_actor *actor, const char *code,
                           const char *request_json) {
  return shielded(desk, [&] {
    out_param(out, "out");
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    std::string_view c = need_text(code, "code");
    give(out, d.desk.create_task(a, c, json::read_task_request(doc(request_json, "request_json"))));
  });
}

int complaints_task_claim(complaints_desk *desk, char **out, const complaints_actor *actor, int64_t id) {
  return on_task(desk, out, actor, [&](Desk &d, const Actor &a) { return d.claim_task(a, id); });
}

int complaints_task_release(complaints_desk *desk, char **out, const complaints_actor *actor, int64_t id) {
  return on_task(desk, out, actor, [&](Desk &d, const Actor &a) { return d.release_task(a, id); });
}

int complaints_task_assign(complaints_desk *desk, char **out, const complaints_actor *actor, int64_t id,
                           const char *group, const char *user) {
  return on_task(desk, out, actor, [&](Desk &d, const Actor &a) {
    return d.assign_task(a, id, text_or_empty(group), text_or_empty(user));
  });
}

int complaints_task_complete(complaints_desk *desk, char **out, const complaints_actor *actor, int64_t id,
                             const char *notes) {
  return on_task(desk, out, actor,
                 [&](Desk &d, const Actor &a) { return d.complete_task(a, id, need_text(notes, "notes")); });
}

int complaints_task_cancel(complaints_desk *desk, char **out, const complaints_actor *actor, int64_t id,
                           const char *reason) {
  return on_task(desk, out, actor,
                 [&](Desk &d, const Actor &a) { return d.cancel_task(a, id, need_text(reason, "reason")); });
}

int complaints_task_get(complaints_desk *desk, char **out, const complaints_actor *actor, int64_t id) {
  return on_task(desk, out, actor, [&](Desk &d, const Actor &a) { return d.task(a, id); });
}

int complaints_task_list(complaints_desk *desk, char **out, const complaints_actor *actor, const char *code) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.tasks(actor_of(actor), need_text(code, "code")));
  });
}

int complaints_task_claimable(complaints_desk *desk, char **out, const complaints_actor *actor, int limit,
                              int64_t after_id) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.claimable_tasks(actor_of(actor), after_id, count_of(limit)));
  });
}

int complaints_task_mine(complaints_desk *desk, char **out, const complaints_actor *actor, int limit,
                         int64_t after_id) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.my_tasks(actor_of(actor), after_id, count_of(limit)));
  });
}

int complaints_task_case(complaints_desk *desk, char **out, const complaints_actor *actor, int64_t id) {
  return on_task(desk, out, actor, [&](Desk &d, const Actor &a) { return d.task_case(a, id); });
}

int complaints_task_attachment(complaints_desk *desk, unsigned char **out, size_t *len, const complaints_actor *actor,
                               int64_t id, int64_t attachment_id) {
  return shielded(desk, [&] {
    out_param(out, "out");
    need(len, "len") = 0;
    give_bytes(out, len, need(desk, "desk").desk.task_attachment(actor_of(actor), id, attachment_id));
  });
}

}  // extern "C"
