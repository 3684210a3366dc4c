// The C API's settings: workflows (validated, drawn, installed), custom
// statuses, issue types and users. The guards and conversions are handle.hpp's.
#include "complaints.h"
#include "handle.hpp"

#include "complaints/complaints.hpp"

using namespace complaints;
using namespace complaints::capi;

// --- settings -------------------------------------------------------------------------------------

int complaints_workflow_validate(char **out, const char *workflow_json, char **errmsg) {
  return shielded_handleless(errmsg, [&] {
    out_param(out, "out");
    std::vector<WorkflowProblem> problems;
    try {
      Workflow::from_json(need_text(workflow_json, "workflow_json"));
    } catch (const InvalidWorkflow &e) {
      problems = e.problems();
    }
    give(out, problems);
  });
}

int complaints_workflow_diagram(char **out, const char *workflow_json, const char *format, char **errmsg) {
  return shielded_handleless(errmsg, [&] {
    out_param(out, "out");
    std::string_view document = need_text(workflow_json, "workflow_json");
    auto f = diagram_format_from_string(need_text(format, "format"));
    if (!f) throw InvalidInput("is not \"dot\" or \"mermaid\"", "format");
    *out = dup(workflow_diagram(Workflow::from_json(document), *f));
  });
}

int complaints_workflow_draw(complaints_desk *desk, char **out, const complaints_actor *actor, const char *name,
                             const char *format) {
  return shielded(desk, [&] {
    auto &d = need(desk, "desk");
    out_param(out, "out");
    const Actor &a = actor_of(actor);
    std::string_view workflow_name = need_text(name, "name");
    auto f = diagram_format_from_string(need_text(format, "format"));
    if (!f) throw InvalidInput("is not \"dot\" or \"mermaid\"", "format");
    *out = dup(workflow_diagram(d.desk.workflow(a, workflow_name), *f));
  });
}

int complaints_workflow_install(complaints_desk *desk, const complaints_actor *actor, const char *workflow_json) {
  return shielded(desk, [&] {
    auto &d = need(desk, "desk");
    const Actor &a = actor_of(actor);
    d.desk.install_workflow(a, need_text(workflow_json, "workflow_json"));
  });
}

int complaints_workflow_install_builtin(complaints_desk *desk, const complaints_actor *actor, const char *name) {
  return shielded(desk, [&] { need(desk, "desk").desk.install_workflow(actor_of(actor), Workflow::builtin(need_text(name, "name"))); });
}

int complaints_workflow_get(complaints_desk *desk, char **out, const complaints_actor *actor, const char *name) {
  return shielded(desk, [&] {
    out_param(out, "out");
    *out = dup(need(desk, "desk").desk.workflow(actor_of(actor), need_text(name, "name")).to_json());
  });
}

int complaints_workflow_list(complaints_desk *desk, char **out, const complaints_actor *actor) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.workflow_names(actor_of(actor)));
  });
}

int complaints_status_add(complaints_desk *desk, const complaints_actor *actor, const char *workflow,
                          const char *status_json) {
  return shielded(desk, [&] {
    auto &d = need(desk, "desk");
    d.desk.add_status(actor_of(actor), need_text(workflow, "workflow"), json::read_status(doc(status_json, "status_json")));
  });
}

int complaints_type_add(complaints_desk *desk, const complaints_actor *actor, const char *type_json) {
  return shielded(desk, [&] {
    need(desk, "desk").desk.add_issue_type(actor_of(actor), json::read_issue_type(doc(type_json, "type_json")));
  });
}

int complaints_type_list(complaints_desk *desk, char **out, const complaints_actor *actor) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.issue_types(actor_of(actor)));
  });
}

int complaints_user_put(complaints_desk *desk, const complaints_actor *actor, const char *user_json) {
  return shielded(desk, [&] { need(desk, "desk").desk.put_user(actor_of(actor), json::read_user(doc(user_json, "user_json"))); });
}

int complaints_user_get(complaints_desk *desk, char **out, const complaints_actor *actor, const char *id) {
  return shielded(desk, [&] {
    out_param(out, "out");
    give(out, need(desk, "desk").desk.user(actor_of(actor), need_text(id, "id")));
  });
}

int complaints_user_set_settings(complaints_desk *desk, const complaints_actor *actor, const char *user_id,
                                 const char *settings_json) {
  return shielded(desk, [&] {
    need(desk, "desk").desk.set_notification_settings(actor_of(actor), need_text(user_id, "user_id"),
                                                      json::read_settings(doc(settings_json, "settings_json")));
  });
}
