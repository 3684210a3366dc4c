// libFuzzer target for workflow documents: the input is the document.
//
//  1. Workflow::from_json reads and validates it. A refusal is an
//     InvalidWorkflow whose problems have "$" paths and printable messages; a
//     workflow it accepts writes back (to_json) to a document that reads as
//     the same workflow, and validates again without a problem.
//     An accepted workflow is drawn as DOT and Mermaid: the same bytes twice,
//     every DOT line with its quotes balanced, no Mermaid line a comment.
//  2. Desk::install_workflow installs it on a desk (memory store, manual
//     clock) that holds a saved template, a booking and an issue on the
//     built-in "field-service" (so replacing that workflow meets a status in
//     use); each input's desk starts from a copy of one store set up once. A refusal leaves the store's dump as it was;
//     a document from_json accepts is not refused as a workflow (the desk knows more templates, never fewer).
//  3. When it installs, an issue is reported on it and walked: up to 16
//     actions, each chosen (by a hash of the input, so the run is
//     deterministic) among those the six usual actors may take, with every
//     input filled in by its type, and due work run on a clock moved 37 hours
//     every fourth step. That reaches the effects: holds, messages, timers,
//     SLA clocks, assignment.
//
// After every call: only complaints::Error escapes, a refusal changes nothing
// and fires no event, every timeline chain verifies (invariants.hpp).
//
//   scripts/fuzz.sh workflow 10
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "complaints/complaints.hpp"
#include "invariants.hpp"
#include "storage/memory/memory_storage.hpp"

namespace {

using namespace complaints;
using fuzz::finding;

const Actor admin{"admin-1", Role::admin, Permissions::all()};
const Actor system_actor{"host", Role::system, {}};
const std::vector<Actor> &actors() {
  static const std::vector<Actor> list = {
      admin,
      {"super-1", Role::supervisor, {Permission::edit_issues, Permission::release_payment}},
      {"office-1", Role::office, {Permission::edit_issues}},
      {"fw-1", Role::fieldworker, {Permission::edit_issues}},
      {"cust-1", Role::customer, {}},
      system_actor,
  };
  return list;
}

Timestamp t0() { return parse_timestamp("2026-01-05T09:00:00Z"); }

// Deterministic choices drawn from the input (FNV-1a seed, then an LCG).
class Choices {
 public:
  explicit Choices(std::string_view input) {
    for (unsigned char c : input) state_ = (state_ ^ c) * 0x100000001b3ULL;
  }
  std::size_t below(std::size_t n) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return n == 0 ? 0 : static_cast<std::size_t>((state_ >> 33) % n);
  }

 private:
  std::uint64_t state_ = 0xcbf29ce484222325ULL;
};

// The workflow's diagrams: deterministic, and no name escapes its quotes
// (a DOT line with an odd number of unescaped '"', a Mermaid line that is a
// "%%" comment or ends inside a label).
void draw(const Workflow &w) {
  for (DiagramFormat f : {DiagramFormat::dot, DiagramFormat::mermaid}) {
    std::string text = workflow_diagram(w, f);
    if (text != workflow_diagram(w, f)) finding("a workflow drawn twice differs", to_string(f));
    std::size_t begin = 0;
    while (begin < text.size()) {
      std::size_t end = text.find('\n', begin);
      std::string_view line(text.data() + begin, end - begin);
      std::size_t quotes = 0;
      for (std::size_t i = 0; i < line.size(); ++i) {
        if (f == DiagramFormat::dot && line[i] == '\\') ++i;
        else if (line[i] == '"') ++quotes;
      }
      if (quotes % 2 != 0) finding("a diagram line with unbalanced quotes", std::string(line));
      if (f == DiagramFormat::mermaid && line.find("%%") != std::string_view::npos)
        finding("a Mermaid line with a comment", std::string(line));
      begin = end + 1;
    }
  }
}

// 1. The document on its own.
std::optional<Workflow> read(std::string_view text) {
  try {
    Workflow w = Workflow::from_json(text);
    Workflow again = Workflow::from_json(w.to_json());
    if (!(again == w)) finding("a workflow does not read back from its to_json", w.to_json());
    if (!Workflow::validate(w.definition()).empty()) finding("an accepted workflow has problems when validated again");
    draw(w);
    return w;
  } catch (const InvalidWorkflow &e) {
    fuzz::check_error(e);
    if (e.problems().empty()) finding("InvalidWorkflow without a problem");
    for (const WorkflowProblem &p : e.problems()) {
      if (!p.path.starts_with("$")) finding("a workflow problem whose path is not a JSON path", p.path);
      if (p.message.empty() || !fuzz::printable(p.message) || !fuzz::printable(p.path))
        finding("a workflow problem without a printable message", p.path);
    }
  } catch (const Error &e) {
    finding("Workflow::from_json threw an error other than InvalidWorkflow", e.what());
  } catch (const std::exception &e) {
    finding("an exception that is not a complaints::Error escaped Workflow::from_json", e.what());
  }
  return std::nullopt;
}

std::string pick_status(const WorkflowDef &def, const InputDef &in, Choices &choose) {
  if (!in.one_of.empty()) return in.one_of[choose.below(in.one_of.size())];
  std::vector<const StatusDef *> fitting;
  for (const StatusDef &s : def.statuses) {
    bool fits = in.categories.empty();
    for (StatusCategory c : in.categories) fits = fits || c == s.category;
    if (fits) fitting.push_back(&s);
  }
  return fitting.empty() ? "none" : fitting[choose.below(fitting.size())]->name;
}

// Every input of the action, each a value of its type (optional ones now and then left out).
std::map<std::string, std::string, std::less<>> inputs_for(const WorkflowDef &def, const ActionDef &action,
                                                           Choices &choose) {
  std::map<std::string, std::string, std::less<>> inputs;
  for (const InputDef &in : action.inputs) {
    if (!in.required && choose.below(4) == 0) continue;
    std::string value;
    switch (in.type) {
      case InputType::text:
        value = "Walked through by the fuzzer.";
        break;
      case InputType::date:
        value = "2026-02-02";
        break;
      case InputType::resolution:
        value = def.resolutions.empty() ? "none" : def.resolutions[choose.below(def.resolutions.size())];
        break;
      case InputType::status:
        value = pick_status(def, in, choose);
        break;
      case InputType::stage:
        value = def.stages.empty() ? "none" : def.stages[choose.below(def.stages.size())].name;
        break;
      case InputType::user:
        value = choose.below(2) == 0 ? "fw-1" : "office-1";
        break;
    }
    inputs.emplace(in.name, std::move(value));
  }
  return inputs;
}

// The store every input's desk starts from, set up once: users, a booking,
// a saved template, an issue on "field-service". Kept by a desk open for the
// life of the process.
Storage &prototype() {
  static Storage *store = [] {
    auto storage = make_memory_storage();
    Storage *kept = storage.get();
    static Desk desk(std::move(storage), DeskOptions{std::make_shared<ManualClock>(t0())});
    desk.put_user(admin, User{"fw-1", Role::fieldworker, "Fay", {}});
    desk.put_user(admin, User{"office-1", Role::office, "Olu", {}});
    desk.put_record(
        admin,
        Record{{RecordKind::booking, "B-1"}, "cust-1", {"fw-1", "fw-2"}, RecordVisibility::restricted, false, "I-1"});
    MessageTemplate note;
    note.name = "note";
    note.subject = "About {{complaint_number}}";
    note.body_text = "Dear {{customer_first_name}}, we are on it.";
    desk.save_template(admin, note);
    ReportRequest r;
    r.record = {RecordKind::booking, "B-1"};
    r.type = "Other";
    r.description = "An issue on the built-in workflow.";
    desk.report(admin, r);
    return kept;
  }();
  return *store;
}

// An input's desk, over a copy of the prototype's store.
struct Fixture {
  std::shared_ptr<ManualClock> clock = std::make_shared<ManualClock>(t0());
  Desk desk{copy_memory_storage(prototype()), DeskOptions{clock}};
  fuzz::EventCount events{desk};

  template <typename F>
  bool run(std::string_view what, F &&call) {
    bool ok = fuzz::run(desk, events, what, std::forward<F>(call));
    fuzz::check_chains(desk, admin);
    return ok;
  }
};

// 3. Reports an issue on the installed workflow and takes actions on it.
void walk(Fixture &fx, const Workflow &w, Choices &choose) {
  ReportRequest r;
  r.record = {RecordKind::booking, "B-1"};
  r.type = "Damage Caused";
  r.description = "Reported on the fuzzed workflow.";
  r.workflow = w.name();
  r.hold_amounts.emplace("fw-1", Money::of(12550, "AUD"));
  Issue issue;
  if (!fx.run("report", [&] { issue = fx.desk.report(admin, r); })) return;
  for (int step = 0; step < 16; ++step) {
    std::vector<std::pair<const Actor *, std::string>> options;
    for (const Actor &a : actors()) {
      std::vector<std::string> names;
      fx.run("available_actions", [&] { names = fx.desk.available_actions(a, issue.code); });
      for (std::string &n : names) options.emplace_back(&a, std::move(n));
    }
    if (options.empty()) return;
    std::size_t pick = choose.below(options.size());
    const Actor *who = options[pick].first;
    const std::string &name = options[pick].second;
    const ActionDef *action = w.action(name);
    if (!action) finding("available_actions named an action the workflow lacks", name);
    ActionRequest req{name, inputs_for(w.definition(), *action, choose), std::nullopt};
    fx.run("act " + name, [&] { fx.desk.act(*who, issue.code, req); });
    if (step % 4 == 3) {
      fx.clock->advance(std::chrono::hours(37));
      fx.run("process_due", [&] { fx.desk.process_due(system_actor, 100); });
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  std::optional<Workflow> parsed = read(text);

  Fixture fx;
  bool installed = false;
  try {
    fuzz::Before b = fuzz::before(fx.desk, fx.events);
    try {
      fx.desk.install_workflow(admin, text);
      installed = true;
    } catch (const Error &e) {
      fuzz::check_error(e);
      fuzz::check_refusal(fx.desk, fx.events, b, "install_workflow");
      if (parsed && e.code() == Errc::invalid_workflow)
        finding("the desk refused as a workflow a document Workflow::from_json accepts", e.what());
    }
  } catch (const std::exception &e) {
    finding("an exception that is not a complaints::Error escaped install_workflow", e.what());
  }
  fuzz::check_chains(fx.desk, admin);
  if (!installed) return 0;

  // What the desk installed is what the document says, read with the desk's templates.
  std::optional<Workflow> expected;
  try {
    expected = Workflow::from_json(text, ValidationContext{{"note"}});
  } catch (const Error &e) {
    finding("the desk installed a document that does not validate with its templates", e.what());
  }
  Workflow w = fx.desk.workflow(admin, expected->name());
  if (!(w == *expected)) finding("the installed workflow differs from its document", w.to_json());
  Choices choose(text);
  walk(fx, w, choose);
  return 0;
}
