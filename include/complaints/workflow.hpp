// complaints/workflow.hpp - complaint lifecycles as data (SPEC R3).
//
// A workflow is a set of statuses (each with a category), optional stages
// grouping statuses, and actions. An action names the statuses it may start
// from, its target, who may take it, the inputs it needs, guards that must
// hold and effects it has. Workflows are written as JSON documents (see
// docs/workflows.md for the schema) or built in C++ as a WorkflowDef; both
// are validated the same way, and every problem is reported with its JSON
// path ("$.actions[2].from[0]").
//
// Workflow is an immutable, validated value; copies share the definition.
// Thread-safety: safe to share and read from any thread.
#pragma once

#include "complaints/export.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "complaints/actor.hpp"
#include "complaints/errors.hpp"
#include "complaints/issue.hpp"
#include "complaints/task.hpp"

namespace complaints {

namespace wf {
struct Index;  // internal: the definition's names, resolved
}

/// What one workflow may hold. Every limit is far above any real workflow;
/// each bounds the work of validating and running one. A definition past a
/// limit is refused with the list's JSON path ("$.stages").
namespace limits {
inline constexpr std::size_t workflow_statuses = 10000;
inline constexpr std::size_t workflow_actions = 10000;
inline constexpr std::size_t workflow_stages = 1000;
inline constexpr std::size_t action_inputs = 100;     ///< inputs of one action
inline constexpr std::size_t effects_per_list = 100;  ///< effects of one action, and of on_report
inline constexpr std::size_t workflow_task_kinds = 100;  ///< kinds of task ("tasks")
inline constexpr std::size_t task_assignees = 1000;      ///< groups, and users, one task kind names
inline constexpr std::size_t workflow_rules = 100;       ///< automatic-update rules ("rules")
inline constexpr std::size_t workflow_fields = 200;      ///< case fields ("fields")
inline constexpr std::size_t field_choices = 100;        ///< choices of one choice or multi_choice field
}  // namespace limits

struct StatusDef {
  std::string name;
  std::string colour = "#808080";  ///< "#RRGGBB"
  StatusCategory category = StatusCategory::active;
  friend bool operator==(const StatusDef &, const StatusDef &) = default;
};

/// A stage groups statuses (seed 003: Service request, Stage 1, Stage 2,
/// Ombudsman). An issue's stage is the stage of its status; entering a stage
/// means moving to its first status. A status outside every stage keeps the
/// issue's stage as it was.
struct StageDef {
  std::string name;
  std::vector<std::string> statuses;  ///< first one is where the stage starts
  friend bool operator==(const StageDef &, const StageDef &) = default;
};

enum class InputType : std::uint8_t {
  text,        ///< free text (a note, feedback)
  date,        ///< "YYYY-MM-DD"
  resolution,  ///< one of the workflow's resolutions
  status,      ///< a status of this workflow (narrowed by one_of / categories)
  stage,       ///< a stage of this workflow
  user,        ///< a host user id
};

COMPLAINTS_API const char *to_string(InputType t) noexcept;

struct InputDef {
  std::string name;
  InputType type = InputType::text;
  bool required = false;
  std::size_t max_length = 10000;            ///< text: bytes
  std::vector<std::string> one_of;           ///< status: allowed statuses (empty = any)
  std::vector<StatusCategory> categories;    ///< status: allowed categories (empty = any)
  friend bool operator==(const InputDef &, const InputDef &) = default;
};

/// One way to be allowed to take an action: a role, plus permissions the actor must all hold.
struct AllowRule {
  Role role = Role::admin;
  Permissions permissions;
  friend bool operator==(const AllowRule &, const AllowRule &) = default;
};

/// Where an action leads.
struct TargetDef {
  enum class Kind : std::uint8_t {
    same,            ///< the status does not change
    status,          ///< a fixed status: `status`
    input_status,    ///< the status given in input `input`
    input_stage,     ///< the first status of the stage given in input `input`
    stage_category,  ///< the current stage's status of category `category`
  };
  Kind kind = Kind::same;
  std::string status;
  std::string input;
  StatusCategory category = StatusCategory::resolved;
  friend bool operator==(const TargetDef &, const TargetDef &) = default;
};

/// A named effect with scalar parameters, e.g. {type: "send_template",
/// template: "final_resolution"}. Which types exist and their parameters
/// are listed in docs/workflows.md; validation checks both.
struct EffectDef {
  std::string type;
  std::map<std::string, std::string, std::less<>> params;
  friend bool operator==(const EffectDef &, const EffectDef &) = default;
};

struct ActionDef {
  std::string name;
  std::string label;  ///< for UIs; defaults to name
  std::vector<std::string> from;                 ///< statuses it may start from
  std::vector<StatusCategory> from_categories;   ///< ...or any status of these categories
  bool from_any = false;                         ///< ...or any status at all
  TargetDef to;
  std::vector<AllowRule> allow;  ///< who may take it; empty = nobody
  std::vector<InputDef> inputs;
  /// Conditions that must hold, else the action is refused with
  /// InvalidState naming what is in the way: "no_open_tasks" (no task of the
  /// issue is open), "mandatory_tasks_done" (no mandatory task is open, and
  /// each task kind declared mandatory has a completed task on the issue).
  std::vector<std::string> guards;
  std::vector<EffectDef> effects;
  /// Case fields the action sets from ActionRequest::fields (only these).
  std::vector<std::string> fields{};
  /// Case fields that must have a value once the action's fields are set,
  /// else it is refused with InvalidInput at "fields.<name>".
  std::vector<std::string> required_fields{};
  friend bool operator==(const ActionDef &, const ActionDef &) = default;
};

/// A named SLA (SPEC R8.3) that the workflow's `sla` effects start, stop,
/// pause, resume and reset on an issue. The policy named "acknowledgement"
/// also starts when the acknowledgement is sent (SPEC R7.4). docs/time.md
/// explains how its time is counted.
struct SlaPolicyDef {
  std::string name;
  std::string within;     ///< "30m", "48h", "10d": the time allowed
  bool business = false;  ///< count working time on the desk's business calendar ("10d": ten working days)
  int warn_percent = 0;   ///< warn when this share of the time is used, 1-99; 0: no warning
  std::vector<StatusCategory> pause_in{};  ///< the clock pauses while the status is of these categories
  std::vector<StatusCategory> stop_in{};   ///< and stops on reaching these (closed always stops every clock)
  friend bool operator==(const SlaPolicyDef &, const SlaPolicyDef &) = default;
};

/// A kind of task a workflow's issues may carry (SPEC R8.4, seed 003):
/// Acknowledgement, Investigate, Send response, or any other. docs/tasks.md
/// explains each option.
struct TaskKindDef {
  std::string name;   ///< "investigate"; unique in the workflow
  std::string title{};  ///< for UIs; defaults to name
  /// Who a task of this kind may be assigned to: these groups (and their
  /// members), these users, users of these roles (admin, supervisor, office,
  /// fieldworker). All three empty: any group, any registered user of those roles.
  std::vector<std::string> groups{};
  std::vector<std::string> users{};
  std::vector<Role> roles{};
  std::string sla{};  ///< an SLA policy the task's own clock follows from its creation (warning, breach); "" none
  bool mandatory = false;     ///< must be completed before the issue may close
  TaskAccess access = TaskAccess::summary;  ///< how much of the case the assignee sees (docs/tasks.md)
  std::string instructions{};   ///< standing notes for the assignee
  std::string send_template{};  ///< a template the task sends the customer when completed; "" for none
  bool creator_may_change = false;  ///< whoever creates a task may change mandatory, access and instructions
  friend bool operator==(const TaskKindDef &, const TaskKindDef &) = default;
};

/// The type of a case field (FieldDef).
enum class FieldType : std::uint8_t {
  text,          ///< free text, at most max_length bytes
  number,        ///< a decimal number ("12", "-3.5"), within min and max
  money,         ///< an amount in the field's currency, at most two decimals ("125.50"), within min and max
  date,          ///< "YYYY-MM-DD"
  choice,        ///< one of `choices`
  multi_choice,  ///< some of `choices`, separated by ';' ("Staff;Process")
  yes_no,        ///< "yes" or "no"
};

COMPLAINTS_API const char *to_string(FieldType t) noexcept;
COMPLAINTS_API std::optional<FieldType> field_type_from_string(std::string_view name) noexcept;

/// A typed reporting field of the workflow's issues (seed 003's "Additional"
/// tab: the outcome, whether upheld, compensation...). Values live on
/// Issue::fields in one text form; docs/tasks.md, "Case fields".
struct FieldDef {
  std::string name;        ///< lower-case letters, digits and '_'; unique in the workflow
  std::string label{};     ///< for UIs; defaults to name
  FieldType type = FieldType::text;
  std::vector<std::string> choices{};  ///< choice and multi_choice: the options (names without ';')
  std::size_t max_length = 1000;       ///< text: at most this many bytes (1 to limits::note_bytes)
  std::optional<double> min{};         ///< number and money: the least value allowed
  std::optional<double> max{};         ///< number and money: the greatest value allowed
  std::string currency{};              ///< money: the ISO 4217 code ("GBP"), required
  friend bool operator==(const FieldDef &, const FieldDef &) = default;
};

/// What sets a rule off (RuleDef::on).
namespace rule_on {
inline constexpr std::string_view task_created = "task_created";
inline constexpr std::string_view task_completed = "task_completed";
inline constexpr std::string_view task_cancelled = "task_cancelled";
inline constexpr std::string_view stage_changed = "stage_changed";  ///< an action moved the issue to another stage
}  // namespace rule_on

/// An automatic update (seed 003's "Routines for Automated Updates"): when a
/// task of the issue is created, completed or cancelled, or an action moves
/// the issue to another stage, run `effects` as part of that change (reset
/// an SLA, set the status, reassign the case...). Rules run in the order
/// written; what they do sets off no further rules. docs/tasks.md.
struct RuleDef {
  std::string on;            ///< one of rule_on
  std::string task{};        ///< task_*: only tasks of this kind ("" any)
  std::string stage{};       ///< stage_changed: only on entering this stage ("" any)
  std::vector<EffectDef> effects{};
  friend bool operator==(const RuleDef &, const RuleDef &) = default;
};

/// A workflow as written, before validation.
struct WorkflowDef {
  std::string name;
  std::string title;
  std::string initial;  ///< status of a newly reported issue
  std::vector<StatusDef> statuses;
  std::vector<StageDef> stages;
  std::vector<std::string> resolutions;  ///< the configured list for resolution inputs
  std::vector<EffectDef> on_report;      ///< effects of reporting an issue
  std::vector<ActionDef> actions;
  std::vector<SlaPolicyDef> slas{};      ///< SLA policies its effects name
  std::vector<TaskKindDef> tasks{};      ///< the kinds of task its issues may carry
  std::vector<RuleDef> rules{};          ///< automatic updates on task events and stage changes
  std::vector<FieldDef> fields{};        ///< case fields of its issues
  friend bool operator==(const WorkflowDef &, const WorkflowDef &) = default;
};

/// The guards an action may name (ActionDef::guards).
namespace guard {
inline constexpr std::string_view no_open_tasks = "no_open_tasks";
inline constexpr std::string_view mandatory_tasks_done = "mandatory_tasks_done";
}  // namespace guard

/// Names the validator accepts beyond the built-in ones (e.g. templates saved
/// in a database). Effects naming a template must name one of these or a
/// built-in template.
struct ValidationContext {
  std::vector<std::string> templates;
};

class COMPLAINTS_API Workflow {
 public:
  /// Parses and validates a JSON document. Throws InvalidWorkflow listing every
  /// problem with its JSON path, the schema's and the semantic ones together
  /// (a value that could not be read is reported once, and left out of the
  /// checks that would use it); malformed JSON is reported with line and column.
  /// Validation takes time linear in the size of the document.
  static Workflow from_json(std::string_view json, const ValidationContext &ctx = {});
  /// Validates a definition built in C++. Throws InvalidWorkflow like from_json,
  /// with the paths the same definition would have as JSON.
  static Workflow from_definition(WorkflowDef def, const ValidationContext &ctx = {});
  /// A workflow shipped with the library: "field-service", "staged-escalation",
  /// "customer-confirmation". Throws NotFound for another name.
  static Workflow builtin(std::string_view name);
  /// Names of the built-in workflows.
  static std::vector<std::string> builtin_names();
  /// Every problem of a definition; empty when valid.
  static std::vector<WorkflowProblem> validate(const WorkflowDef &def, const ValidationContext &ctx = {});

  /// The definition as a JSON document (parses back to an equal Workflow).
  std::string to_json() const;

  const WorkflowDef &definition() const noexcept { return *def_; }
  const std::string &name() const noexcept { return def_->name; }
  /// Lookups by name; nullptr when there is none. Statuses, stages and
  /// actions in constant time; SLA policies, task kinds and case fields by a
  /// scan of their (at most a few hundred) entries. The pointers are into
  /// definition() and live as long as any copy of this workflow.
  const StatusDef *status(std::string_view name) const noexcept;
  const StageDef *stage(std::string_view name) const noexcept;
  const ActionDef *action(std::string_view name) const noexcept;
  const SlaPolicyDef *sla(std::string_view name) const noexcept;
  const TaskKindDef *task_kind(std::string_view name) const noexcept;
  const FieldDef *field(std::string_view name) const noexcept;
  /// The stage a status belongs to, or nullptr.
  const StageDef *stage_of(std::string_view status) const noexcept;
  /// True when the action may start from `status`: it is in the action's
  /// `from`, of one of its `from_categories`, or the action starts from any.
  bool applies(const ActionDef &action, std::string_view status) const noexcept;
  /// True when `actor` matches one of the action's allow rules.
  static bool allowed(const ActionDef &action, const Actor &actor) noexcept;

  /// A copy with one more status (R3.3), validated. Throws InvalidWorkflow.
  Workflow with_status(const StatusDef &status, const ValidationContext &ctx = {}) const;

  friend bool operator==(const Workflow &a, const Workflow &b) { return *a.def_ == *b.def_; }

 private:
  Workflow(std::shared_ptr<const WorkflowDef> def, std::shared_ptr<const wf::Index> index)
      : def_(std::move(def)), index_(std::move(index)) {}
  static Workflow validated(std::shared_ptr<const WorkflowDef> def, const ValidationContext &ctx,
                            std::vector<WorkflowProblem> read_problems);
  std::shared_ptr<const WorkflowDef> def_;
  std::shared_ptr<const wf::Index> index_;  // names of *def_
};

}  // namespace complaints
