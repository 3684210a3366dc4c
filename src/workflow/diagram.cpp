// A workflow drawn as Graphviz DOT or Mermaid (complaints/diagram.hpp).
//
// One builder turns the definition into a small graph (nodes, stage
// clusters, edges, each of a kind); two writers print that graph, each
// escaping every name for its own language. docs/workflows.md, "Diagrams",
// says what each kind of node and edge means.
#include "complaints/diagram.hpp"

#include <array>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "domain/check.hpp"

namespace complaints {

namespace {

enum class NodeKind : std::uint8_t {
  status,    // a status; `fill` is its colour
  sources,   // the statuses an action starts from by category or from any ("any open or active status")
  computed,  // a target worked out when the action runs ("the status given in input status")
  rule,      // an automatic rule
  start,     // where a reported issue enters
};

enum class EdgeKind : std::uint8_t {
  action,     // to a fixed status, or staying put
  computed,   // to a computed target
  timer,      // a timer taking an action later
  automatic,  // a rule moving the status
  report,     // reporting an issue
};

struct Node {
  std::string id;
  NodeKind kind = NodeKind::status;
  std::vector<std::string> lines;  // the first is the name
  std::string fill;                // statuses: "#RRGGBB"
  bool closed = false;             // statuses: of category closed
};

struct Edge {
  std::size_t from = 0, to = 0;
  EdgeKind kind = EdgeKind::action;
  std::vector<std::string> lines;
};

struct Cluster {
  std::string name;
  std::vector<std::size_t> nodes;
};

struct Graph {
  std::string title;
  std::vector<Node> nodes;
  std::vector<Cluster> clusters;
  std::vector<bool> in_cluster;  // per node
  std::vector<Edge> edges;
};

constexpr std::array<StatusCategory, 5> all_categories{StatusCategory::open, StatusCategory::active,
                                                       StatusCategory::pending, StatusCategory::resolved,
                                                       StatusCategory::closed};

unsigned bit(StatusCategory c) { return 1u << static_cast<unsigned>(c); }

// "open", "open or active", "open, active or pending".
std::string either(const std::vector<std::string> &words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

std::string categories_text(unsigned mask) {
  std::vector<std::string> words;
  for (StatusCategory c : all_categories)
    if (mask & bit(c)) words.emplace_back(to_string(c));
  return either(words);
}

// "admin, supervisor, fieldworker+edit_issues".
std::string roles_text(const std::vector<AllowRule> &allow) {
  std::string out;
  for (const AllowRule &r : allow) {
    if (!out.empty()) out += ", ";
    out += to_string(r.role);
    for (Permission p :
         {Permission::delete_issues, Permission::release_payment, Permission::edit_issues, Permission::manage_settings})
      if (r.permissions.has(p)) out += std::string("+") + to_string(p);
  }
  return out;
}

// "sla op=reset sla=response within=10d".
std::string effect_text(const EffectDef &e) {
  std::string out = e.type;
  for (const auto &[key, value] : e.params) out += " " + key + "=" + value;
  return out;
}

std::string param(const EffectDef &e, std::string_view key) {
  auto it = e.params.find(key);
  return it == e.params.end() ? std::string() : it->second;
}

class Builder {
 public:
  explicit Builder(const Workflow &wf) : wf_(wf), def_(wf.definition()) {}

  Graph build() {
    g_.title = def_.title.empty() ? def_.name : def_.title + " (" + def_.name + ")";
    for (const StatusDef &s : def_.statuses)
      add({"s" + std::to_string(g_.nodes.size()),
           NodeKind::status,
           {s.name, to_string(s.category)},
           s.colour,
           s.category == StatusCategory::closed});
    for (const StageDef &st : def_.stages) {
      Cluster c{st.name, {}};
      for (const std::string &s : st.statuses) c.nodes.push_back(status_node(s));
      g_.clusters.push_back(std::move(c));
    }

    std::size_t start = add_other(NodeKind::start, {"report"});
    std::vector<std::string> report_lines;
    for (const EffectDef &e : def_.on_report) report_lines.push_back(effect_text(e));
    TargetDef initial{TargetDef::Kind::status, def_.initial, {}, {}};
    std::size_t entered = land(landing(initial, def_.on_report), start);
    edge(start, entered, EdgeKind::report, report_lines);
    timers(def_.on_report, {entered});

    for (const ActionDef &a : def_.actions) action(a);
    for (const RuleDef &r : def_.rules) rule(r);

    g_.in_cluster.assign(g_.nodes.size(), false);
    for (const Cluster &c : g_.clusters)
      for (std::size_t n : c.nodes) g_.in_cluster[n] = true;
    return std::move(g_);
  }

 private:
  std::size_t add(Node n) {
    g_.nodes.push_back(std::move(n));
    return g_.nodes.size() - 1;
  }

  std::size_t add_other(NodeKind kind, std::vector<std::string> lines) {
    return add({"n" + std::to_string(others_++), kind, std::move(lines), {}, false});
  }

  // One node for each distinct text: actions from the same categories share
  // their "any ... status" node, and targets computed alike share theirs.
  std::size_t shared(NodeKind kind, std::string text) {
    auto [it, fresh] = shared_.try_emplace(std::to_string(static_cast<int>(kind)) + text, 0);
    if (fresh) it->second = add_other(kind, {std::move(text)});
    return it->second;
  }

  std::size_t status_node(std::string_view name) const {
    return static_cast<std::size_t>(wf_.status(name) - def_.statuses.data());
  }

  void edge(std::size_t from, std::size_t to, EdgeKind kind, std::vector<std::string> lines) {
    g_.edges.push_back({from, to, kind, std::move(lines)});
  }

  // Where an action or a list of effects finally leaves the issue: the last
  // set_status or set_stage_status effect, else the target.
  static TargetDef landing(const TargetDef &to, const std::vector<EffectDef> &effects) {
    TargetDef out = to;
    for (const EffectDef &e : effects) {
      if (e.type == "set_status") {
        out = {TargetDef::Kind::status, param(e, "status"), {}, {}};
      } else if (e.type == "set_stage_status") {
        auto c = status_category_from_string(param(e, "category"));
        out = {TargetDef::Kind::stage_category, {}, {}, c.value_or(StatusCategory::active)};
      }
    }
    return out;
  }

  bool computed(const TargetDef &to) const {
    return to.kind != TargetDef::Kind::same && to.kind != TargetDef::Kind::status;
  }

  // The node a target is drawn as, starting from `from` (a target that
  // stays put is `from` itself).
  std::size_t land(const TargetDef &to, std::size_t from, const ActionDef *a = nullptr) {
    switch (to.kind) {
      case TargetDef::Kind::same:
        return from;
      case TargetDef::Kind::status:
        return status_node(to.status);
      case TargetDef::Kind::input_status: {
        std::string text = "the status given in input " + to.input;
        const InputDef *in = nullptr;
        if (a)
          for (const InputDef &i : a->inputs)
            if (i.name == to.input) in = &i;
        if (in && !in->one_of.empty()) {
          text += ": " + either(in->one_of);
        } else if (in && !in->categories.empty()) {
          unsigned mask = 0;
          for (StatusCategory c : in->categories) mask |= bit(c);
          text += ": any " + categories_text(mask) + " status";
        }
        return shared(NodeKind::computed, text);
      }
      case TargetDef::Kind::input_stage:
        return shared(NodeKind::computed, "the first status of the stage given in input " + to.input);
      case TargetDef::Kind::stage_category:
        return shared(NodeKind::computed, std::string("the current stage's ") + to_string(to.category) + " status");
    }
    return from;
  }

  // The nodes an action starts from: one "any ... status" node for `from_any`
  // or `from_categories` (custom statuses of those categories join in), and
  // each status of `from` that node does not already cover.
  std::vector<std::size_t> sources(const ActionDef &a) {
    std::vector<std::size_t> out;
    unsigned mask = 0;
    if (a.from_any) {
      out.push_back(shared(NodeKind::sources, "any status"));
      return out;
    }
    for (StatusCategory c : a.from_categories) mask |= bit(c);
    if (mask) out.push_back(shared(NodeKind::sources, "any " + categories_text(mask) + " status"));
    std::set<std::size_t> seen;
    for (const std::string &name : a.from) {
      std::size_t s = status_node(name);
      if ((mask & bit(def_.statuses[s].category)) || !seen.insert(s).second) continue;
      out.push_back(s);
    }
    return out;
  }

  void action(const ActionDef &a) {
    TargetDef to = landing(a.to, a.effects);
    std::vector<std::size_t> landed;
    for (std::size_t from : sources(a)) {
      std::size_t at = land(to, from, &a);
      edge(from, at, computed(to) ? EdgeKind::computed : EdgeKind::action, {a.name, roles_text(a.allow)});
      landed.push_back(at);
    }
    timers(a.effects, landed);
  }

  // A set_timer effect: from where the timer is set to where its action leads.
  void timers(const std::vector<EffectDef> &effects, const std::vector<std::size_t> &set_at) {
    for (const EffectDef &e : effects) {
      if (e.type != "set_timer") continue;
      const ActionDef *taken = wf_.action(param(e, "action"));
      std::string when = "after " + param(e, "after") + (param(e, "business") == "true" ? " (working time)" : "");
      std::set<std::size_t> done;
      for (std::size_t from : set_at) {
        if (!done.insert(from).second) continue;
        std::size_t to = taken ? land(landing(taken->to, taken->effects), from, taken) : from;
        edge(from, to, EdgeKind::timer, {when + ": " + param(e, "action"), "timer " + param(e, "timer")});
      }
    }
  }

  // A rule is a node of its own (inside its stage's group when it fires on
  // entering that stage), with an edge to where it moves the status.
  void rule(const RuleDef &r) {
    std::string head = "automatic: on " + r.on;
    if (!r.task.empty()) head += " " + r.task;
    if (!r.stage.empty()) head += " " + r.stage;
    std::vector<std::string> lines{head};
    for (const EffectDef &e : r.effects) lines.push_back(effect_text(e));
    std::size_t n = add_other(NodeKind::rule, lines);
    if (const StageDef *st = r.stage.empty() ? nullptr : wf_.stage(r.stage))
      g_.clusters[static_cast<std::size_t>(st - def_.stages.data())].nodes.push_back(n);
    TargetDef none{};
    TargetDef to = landing(none, r.effects);
    if (to.kind != TargetDef::Kind::same) edge(n, land(to, n), EdgeKind::automatic, {"automatic"});
    timers(r.effects, {n});
  }

  const Workflow &wf_;
  const WorkflowDef &def_;
  Graph g_;
  std::size_t others_ = 0;
  std::map<std::string, std::size_t> shared_;
};

// The text colour that reads best on a "#RRGGBB" fill: the one of black and
// white with the higher contrast ratio (WCAG's relative luminance).
const char *ink(const std::string &fill) {
  auto hex = [](char c) -> unsigned {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
    return 8;
  };
  unsigned rgb[3] = {0x80, 0x80, 0x80};
  if (fill.size() == 7 && fill[0] == '#')
    for (std::size_t i = 0; i < 3; ++i) rgb[i] = hex(fill[1 + 2 * i]) * 16 + hex(fill[2 + 2 * i]);
  double lum = 0;
  const double weight[3] = {0.2126, 0.7152, 0.0722};
  for (int i = 0; i < 3; ++i) {
    double c = rgb[i] / 255.0;
    c = c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    lum += weight[i] * c;
  }
  return (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) ? "#000000" : "#FFFFFF";
}

// Names as the library stores them are printable UTF-8 already; whatever is
// not (a title with a control character) is written escaped, visibly.
std::string safe(const std::string &text) { return check::printable(text, /*newlines=*/true); }

// ---- DOT ------------------------------------------------------------------------------------------

// A DOT quoted string: '"' and '\' escaped, '&' written "&amp;" (dot reads
// entities such as "&lt;" in labels), lines joined by "\n".
std::string dot_label(const std::vector<std::string> &lines) {
  std::string out = "\"";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += "\\n";
    for (char c : safe(lines[i])) {
      if (c == '"' || c == '\\') out += '\\';
      if (c == '\n') {
        out += "\\n";
      } else if (c == '&') {
        out += "&amp;";
      } else {
        out += c;
      }
    }
  }
  return out + "\"";
}

std::string dot_node(const Node &n) {
  std::string out = n.id + " [label=" + dot_label(n.lines);
  switch (n.kind) {
    case NodeKind::status:
      out += ", fillcolor=\"" + n.fill + "\", fontcolor=\"" + ink(n.fill) + "\"";
      if (n.closed) out += ", peripheries=2";
      break;
    case NodeKind::sources:
      out += ", style=\"rounded,dashed,filled\", fillcolor=\"#FFFFFF\"";
      break;
    case NodeKind::computed:
      out += ", shape=note, style=filled, fillcolor=\"#FFF8DC\"";
      break;
    case NodeKind::rule:
      out += ", shape=hexagon, style=filled, fillcolor=\"#F3E5F5\", color=\"#6C3483\"";
      break;
    case NodeKind::start:
      out += ", shape=circle, fillcolor=\"#333333\", fontcolor=\"#FFFFFF\", fontsize=9";
      break;
  }
  return out + "];\n";
}

std::string dot(const Graph &g) {
  std::string out = "digraph workflow {\n";
  out += "  graph [rankdir=LR, labelloc=t, fontname=\"Helvetica\", label=" + dot_label({g.title}) + "];\n";
  out += "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  for (std::size_t i = 0; i < g.clusters.size(); ++i) {
    out += "  subgraph cluster_" + std::to_string(i) + " {\n";
    out += "    label=" + dot_label({g.clusters[i].name}) + ";\n";
    out += "    style=\"rounded,dashed\";\n    color=\"#888888\";\n";
    for (std::size_t n : g.clusters[i].nodes) out += "    " + dot_node(g.nodes[n]);
    out += "  }\n";
  }
  for (std::size_t i = 0; i < g.nodes.size(); ++i)
    if (!g.in_cluster[i]) out += "  " + dot_node(g.nodes[i]);
  for (const Edge &e : g.edges) {
    out += "  " + g.nodes[e.from].id + " -> " + g.nodes[e.to].id + " [label=" + dot_label(e.lines);
    switch (e.kind) {
      case EdgeKind::action:
      case EdgeKind::report:
        break;
      case EdgeKind::computed:
        out += ", style=dashed";
        break;
      case EdgeKind::timer:
        out += ", style=dashed, color=\"#D35400\", fontcolor=\"#D35400\"";
        break;
      case EdgeKind::automatic:
        out += ", style=dotted, color=\"#6C3483\", fontcolor=\"#6C3483\"";
        break;
    }
    out += "];\n";
  }
  return out + "}\n";
}

// ---- Mermaid --------------------------------------------------------------------------------------

// The entity written for a character Mermaid, or the HTML it makes, reads as
// syntax; nullptr for the others.
const char *mermaid_entity(char c) {
  static constexpr std::pair<char, const char *> entities[] = {
      {'"', "#quot;"}, {'#', "#35;"}, {'&', "#amp;"}, {'<', "#lt;"}, {'>', "#gt;"},
      {'|', "#124;"},  {'%', "#37;"}, {'`', "#96;"},  {':', "#58;"},
  };
  for (const auto &[ch, entity] : entities)
    if (ch == c) return entity;
  return nullptr;
}

// A Mermaid quoted string: characters that Mermaid or the HTML it makes would
// read as syntax written as entities ("#quot;"), lines joined by "<br/>".
// ':' too: Mermaid cuts the last ';' off any line where "style" or "classDef"
// is followed by ':' and '#', which would break the entity it ends.
std::string mermaid_label(const std::vector<std::string> &lines) {
  std::string out = "\"";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) out += "<br/>";
    for (char c : safe(lines[i])) {
      if (c == '\n') {
        out += "<br/>";
      } else if (const char *entity = mermaid_entity(c)) {
        out += entity;
      } else {
        out += c;
      }
    }
  }
  return out + "\"";
}

std::string mermaid_node(const Node &n) {
  std::string label = mermaid_label(n.lines);
  switch (n.kind) {
    case NodeKind::status:
      return n.id + (n.closed ? "([" + label + "])" : "(" + label + ")") + "\n";
    case NodeKind::sources:
      return n.id + "[" + label + "]\n";
    case NodeKind::computed:
      return n.id + ">" + label + "]\n";
    case NodeKind::rule:
      return n.id + "{{" + label + "}}\n";
    case NodeKind::start:
      return n.id + "((" + label + "))\n";
  }
  return {};
}

std::string mermaid(const Graph &g) {
  std::string out = "flowchart LR\n";
  for (std::size_t i = 0; i < g.clusters.size(); ++i) {
    out += "  subgraph g" + std::to_string(i) + "[" + mermaid_label({g.clusters[i].name}) + "]\n";
    for (std::size_t n : g.clusters[i].nodes) out += "    " + mermaid_node(g.nodes[n]);
    out += "  end\n";
  }
  for (std::size_t i = 0; i < g.nodes.size(); ++i)
    if (!g.in_cluster[i]) out += "  " + mermaid_node(g.nodes[i]);
  std::string timer_edges, automatic_edges;
  for (std::size_t i = 0; i < g.edges.size(); ++i) {
    const Edge &e = g.edges[i];
    bool dashed = e.kind != EdgeKind::action && e.kind != EdgeKind::report;
    out += "  " + g.nodes[e.from].id + (dashed ? " -.->" : " -->");
    if (!e.lines.empty()) out += "|" + mermaid_label(e.lines) + "|";
    out += " " + g.nodes[e.to].id + "\n";
    std::string &list = e.kind == EdgeKind::timer ? timer_edges : automatic_edges;
    if (e.kind == EdgeKind::timer || e.kind == EdgeKind::automatic)
      list += (list.empty() ? "" : ",") + std::to_string(i);
  }
  for (const Node &n : g.nodes)
    if (n.kind == NodeKind::status) out += "  style " + n.id + " fill:" + n.fill + ",color:" + ink(n.fill) + "\n";
  // Class names clear of Mermaid's keywords and shape names.
  out += "  classDef from_set fill:#FFFFFF,stroke:#555555,stroke-dasharray:5 5\n";
  out += "  classDef target_note fill:#FFF8DC,stroke:#888888\n";
  out += "  classDef rule_node fill:#F3E5F5,stroke:#6C3483\n";
  out += "  classDef report_node fill:#333333,color:#FFFFFF\n";
  for (auto [kind, name] : {std::pair{NodeKind::sources, "from_set"}, std::pair{NodeKind::computed, "target_note"},
                            std::pair{NodeKind::rule, "rule_node"}, std::pair{NodeKind::start, "report_node"}}) {
    std::string ids;
    for (const Node &n : g.nodes)
      if (n.kind == kind) ids += (ids.empty() ? "" : ",") + n.id;
    if (!ids.empty()) out += "  class " + ids + " " + name + "\n";
  }
  if (!timer_edges.empty()) out += "  linkStyle " + timer_edges + " stroke:#D35400,color:#D35400\n";
  if (!automatic_edges.empty()) out += "  linkStyle " + automatic_edges + " stroke:#6C3483,color:#6C3483\n";
  return out;
}

}  // namespace

const char *to_string(DiagramFormat f) noexcept { return f == DiagramFormat::dot ? "dot" : "mermaid"; }

std::optional<DiagramFormat> diagram_format_from_string(std::string_view name) noexcept {
  if (name == "dot") return DiagramFormat::dot;
  if (name == "mermaid") return DiagramFormat::mermaid;
  return std::nullopt;
}

std::string workflow_diagram(const Workflow &workflow, DiagramFormat format) {
  Graph g = Builder(workflow).build();
  return format == DiagramFormat::dot ? dot(g) : mermaid(g);
}

}  // namespace complaints
