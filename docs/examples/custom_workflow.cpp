// docs/workflows.md: a workflow defined in JSON, installed into a live
// database, extended with a custom status, and used.
#include <complaints/complaints.hpp>

#include <cassert>
#include <cstdio>
#include <filesystem>

using namespace complaints;

// A warranty-claim lifecycle: triage, then a repair or a refund, then closed.
constexpr const char *warranty = R"({
  "name": "warranty",
  "title": "Warranty claims",
  "initial": "Received",
  "statuses": [
    {"name": "Received", "colour": "#2F80ED", "category": "open"},
    {"name": "Repairing", "colour": "#F2994A", "category": "active"},
    {"name": "Refunding", "colour": "#F2C94C", "category": "active"},
    {"name": "Closed", "colour": "#27AE60", "category": "closed"}
  ],
  "resolutions": ["Repaired", "Refunded", "Rejected"],
  "actions": [
    {"name": "repair", "from": ["Received"], "to": "Repairing", "allow": ["office", "supervisor"],
     "inputs": [{"name": "visit", "type": "date", "required": true}],
     "effects": [{"type": "set_follow_up", "input": "visit"}]},
    {"name": "refund", "from": ["Received", "Repairing"], "to": "Refunding",
     "allow": [{"role": "supervisor", "permissions": ["release_payment"]}]},
    {"name": "move", "from_categories": ["open", "active"], "to": {"input": "status"}, "allow": ["office"],
     "inputs": [{"name": "status", "type": "status", "required": true, "categories": ["open", "active"]}]},
    {"name": "close", "from_categories": ["open", "active"], "to": "Closed", "allow": ["supervisor"],
     "inputs": [{"name": "resolution", "type": "resolution", "required": true}]}
  ]
})";

int main(int argc, char **argv) {
  std::string path = argc > 1 ? argv[1] : "custom_workflow.db";
  for (const char *suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  Desk desk(open_sqlite(path));
  Actor admin{"adam", Role::admin, Permissions::all()};
  Actor office{"olivia", Role::office, {}};
  Actor lead{"sam", Role::supervisor, {Permission::release_payment}};

  // A definition with a mistake is refused, with every problem's JSON path.
  try {
    Workflow::from_json(R"({"name": "broken", "initial": "Open", "statuses": [], "actions": []})");
  } catch (const InvalidWorkflow &e) {
    for (const auto &p : e.problems()) std::printf("refused: %s: %s\n", p.path.c_str(), p.message.c_str());
  }

  desk.install_workflow(admin, Workflow::from_json(warranty));
  desk.add_status(admin, "warranty", {"Awaiting Parts", "#BB6BD9", StatusCategory::active});

  desk.put_record(office, Record{{RecordKind::invoice, "INV-77"}, "casey", {}});
  ReportRequest r;
  r.record = {RecordKind::invoice, "INV-77"};
  r.type = "Damage Caused";
  r.description = "Dishwasher door hinge broke after a week.";
  r.workflow = "warranty";
  Issue claim = desk.report(office, r);
  claim = desk.act(office, claim.code, ActionRequest{"repair", {{"visit", "2026-12-01"}}, claim.version});
  assert(claim.follow_up_date == Date::parse("2026-12-01"));
  claim = desk.act(office, claim.code, ActionRequest{"move", {{"status", "Awaiting Parts"}}, claim.version});
  assert(claim.status == "Awaiting Parts" && claim.category == StatusCategory::active);
  claim = desk.act(lead, claim.code, ActionRequest{"close", {{"resolution", "Repaired"}}, claim.version});
  std::printf("%s: %s (%s)\n", claim.code.c_str(), claim.status.c_str(), to_string(claim.category));
  return claim.is_closed() ? 0 : 1;
}
