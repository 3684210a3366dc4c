// The JSON documents of groups and tasks (docs/c-api.md): one writer per
// value, so that whatever a task comes to carry is written in one place.
#include <fmt/format.h>

#include "json/json.hpp"
#include "json/obj.hpp"

namespace complaints::json {

void write(Writer &w, const Group &v) {
  w.begin_object().field("id", v.id).field("name", v.name).key("members");
  write(w, v.members);
  w.end_object();
}

void write(Writer &w, const Task &v) {
  w.begin_object()
      .field("id", v.id)
      .field("number", v.number)
      .field("issue_code", v.issue_code)
      .field("kind", v.kind)
      .field("stage", v.stage)
      .field("group", v.group)
      .field("assignee", v.assignee)
      .field("state", to_string(v.state))
      .field("claimable", v.claimable())
      .field("mandatory", v.mandatory)
      .field("access", to_string(v.access))
      .field("instructions", v.instructions)
      .field("created_by", v.created_by);
  time(w, "created_at", v.created_at);
  time(w, "updated_at", v.updated_at);
  opt_time(w, "done_at", v.done_at);
  w.field("done_by", v.done_by).field("notes", v.notes).key("slas");
  write(w, v.slas);
  w.field("version", v.version).end_object();
}

void write(Writer &w, const TaskCase &v) {
  w.begin_object().key("task");
  write(w, v.task);
  w.field("access", to_string(v.access)).key("issue");
  write(w, v.issue);
  w.key("contact");
  if (v.contact)
    w.begin_object().field("customer_id", v.contact->customer_id).field("name", v.contact->name).end_object();
  else
    w.null();
  w.key("attachments");
  write(w, v.attachments);
  w.key("comments");
  write(w, v.comments);
  w.key("timeline");
  write(w, v.timeline);
  w.end_object();
}

Group read_group(const nlohmann::json &j) {
  Obj o(j, "", {"id", "name", "members"});
  return Group{o.str("id"), o.str("name"), o.strs("members")};
}

TaskRequest read_task_request(const nlohmann::json &j) {
  Obj o(j, "", {"kind", "group", "assignee", "mandatory", "access", "instructions"});
  TaskRequest r;
  r.kind = o.str("kind");
  r.group = o.str_or("group", "");
  r.assignee = o.str_or("assignee", "");
  r.mandatory = o.opt_bool("mandatory");
  r.access = o.opt_enum("access", &task_access_from_string);
  r.instructions = o.opt_str("instructions");
  return r;
}

}  // namespace complaints::json
