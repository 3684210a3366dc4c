// Workflow diagrams (complaints/diagram.hpp): statuses, stages, actions,
// timers and rules as DOT and Mermaid; hostile names escaped so that dot
// parses the text and keeps each name on its node; the same bytes each time.
#include "support/support.hpp"

#include "complaints.h"
#include "complaints/diagram.hpp"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

using namespace complaints;
using json = nlohmann::json;

namespace {

std::string dot_of(const Workflow &wf) { return workflow_diagram(wf, DiagramFormat::dot); }
std::string mermaid_of(const Workflow &wf) { return workflow_diagram(wf, DiagramFormat::mermaid); }

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

// What `dot -Tsvg` makes of `text`, given on its standard input; fails the
// test when dot is missing, exits with an error or warns.
std::string svg_of(const std::string &text) {
  test::TempDir dir;
  std::string command = "dot -Tsvg -o '" + dir.file("out.svg") + "' 2>'" + dir.file("err.txt") + "'";
  FILE *dot = popen(command.c_str(), "w");
  REQUIRE_MESSAGE(dot, "cannot run dot (Graphviz; scripts/install-deps.sh test installs it)");
  std::fwrite(text.data(), 1, text.size(), dot);
  int status = pclose(dot);
  auto read = [](const std::string &file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  std::string errors = read(dir.file("err.txt"));
  REQUIRE_MESSAGE(status == 0, "dot failed (is Graphviz installed?): ", errors);
  CHECK_MESSAGE(errors == "", "dot warned: ", errors);
  return read(dir.file("out.svg"));
}

// XML text as written by dot, decoded: the five entities and &#NNN;.
std::string unxml(const std::string &s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] != '&') {
      out += s[i++];
      continue;
    }
    std::size_t semi = s.find(';', i);
    std::string entity = s.substr(i + 1, semi - i - 1);
    static const std::map<std::string, std::string> named{
        {"lt", "<"}, {"gt", ">"}, {"amp", "&"}, {"quot", "\""}, {"apos", "'"}};
    if (auto it = named.find(entity); it != named.end()) {
      out += it->second;
    } else {
      REQUIRE(entity.size() > 1);
      REQUIRE(entity[0] == '#');
      unsigned long cp = entity[1] == 'x' ? std::stoul(entity.substr(2), nullptr, 16) : std::stoul(entity.substr(1));
      if (cp == 160) cp = ' ';
      if (cp < 0x80) {
        out += static_cast<char>(cp);
      } else if (cp < 0x800) {
        out += static_cast<char>(0xc0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3f));
      } else {
        out += static_cast<char>(0xe0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (cp & 0x3f));
      }
    }
    i = semi + 1;
  }
  return out;
}

// The lines of text dot drew on each node and cluster of an SVG, by the
// node's id (s0) or the cluster's name (cluster_0).
std::map<std::string, std::vector<std::string>> drawn_texts(const std::string &svg) {
  std::map<std::string, std::vector<std::string>> out;
  std::regex group(R"re(<g id="[a-z]+[0-9]+" class="(node|cluster)">\s*<title>([^<]*)</title>([\s\S]*?)</g>)re");
  std::regex text(R"re(<text[^>]*>([^<]*)</text>)re");
  for (auto g = std::sregex_iterator(svg.begin(), svg.end(), group); g != std::sregex_iterator(); ++g) {
    std::string body = (*g)[3];
    auto &lines = out[unxml((*g)[2])];
    for (auto t = std::sregex_iterator(body.begin(), body.end(), text); t != std::sregex_iterator(); ++t)
      lines.push_back(unxml((*t)[1]));
  }
  return out;
}

// A Mermaid quoted label decoded: the entities the writer uses, "<br/>" as lines.
std::vector<std::string> mermaid_lines(const std::string &quoted) {
  std::string s = quoted;
  std::vector<std::string> lines;
  std::size_t at;
  while ((at = s.find("<br/>")) != std::string::npos) {
    lines.push_back(s.substr(0, at));
    s.erase(0, at + 5);
  }
  lines.push_back(s);
  for (std::string &line : lines) {
    std::string decoded;
    for (std::size_t i = 0; i < line.size();) {
      if (line[i] == '#') {
        std::size_t semi = line.find(';', i);
        REQUIRE(semi != std::string::npos);
        std::string e = line.substr(i + 1, semi - i - 1);
        static const std::map<std::string, char> entities{{"quot", '"'}, {"35", '#'}, {"amp", '&'},
                                                          {"lt", '<'},   {"gt", '>'}, {"124", '|'},
                                                          {"37", '%'},   {"96", '`'}, {"58", ':'}};
        REQUIRE_MESSAGE(entities.count(e), "unknown entity #", e);
        decoded += entities.at(e);
        i = semi + 1;
      } else {
        decoded += line[i++];
      }
    }
    line = decoded;
  }
  return lines;
}

// Each node statement of a Mermaid text: its id and its label's lines.
std::map<std::string, std::vector<std::string>> mermaid_nodes(const std::string &text) {
  std::map<std::string, std::vector<std::string>> out;
  std::istringstream in(text);
  std::regex node(R"re(^ *([sn][0-9]+)[(\[>{]+"([^"]*)"[)\]}]+$)re");
  std::smatch m;
  for (std::string line; std::getline(in, line);)
    if (std::regex_match(line, m, node)) out[m[1]] = mermaid_lines(m[2]);
  return out;
}

const char *hostile_names[] = {
    "Say \"hi\"",
    "back\\slash \\n \\\"",
    "a]b[c (d) {e}",
    "x --> y -.-> z",
    "%% not a comment",
    "}; digraph x {",
    "#quot; #35; &amp;",
    "<b>bold</b>",
    "|pipe| ;",
    "é ü 日本 😀",
    "end",
    "style s0 fill:#000",
    "subgraph",
    "`tick`",
    "-> s0 [label=x]",
    "classDef:#x;y;",
};

// A workflow whose every status, its stage, and an action carry a hostile name.
Workflow hostile_workflow() {
  json statuses = json::array(), members = json::array(), actions = json::array();
  std::size_t n = std::size(hostile_names);
  for (std::size_t i = 0; i < n; ++i) {
    statuses.push_back({{"name", hostile_names[i]},
                        {"colour", i % 2 ? "#101010" : "#F0F0F0"},
                        {"category", i + 1 == n ? "closed" : "open"}});
    if (i + 1 < n) {
      members.push_back(hostile_names[i]);
      actions.push_back({{"name", std::string(hostile_names[i]) + " ->"},
                         {"from", {hostile_names[i]}},
                         {"to", hostile_names[i + 1]},
                         {"allow", {"office"}}});
    }
  }
  json doc = {{"name", "hostile"},
              {"title", "Evil\n}\ndigraph \"x\" {\u00e9"},
              {"initial", hostile_names[0]},
              {"statuses", statuses},
              {"stages", {{{"name", "Stage \"}\" --> %% [x]"}, {"statuses", members}}}},
              {"actions", actions}};
  return Workflow::from_json(doc.dump());
}

std::string c_diagram(const std::string &document, const char *format, int *rc, std::string *where = nullptr) {
  char *out = nullptr, *err = nullptr;
  *rc = complaints_workflow_diagram(&out, document.c_str(), format, &err);
  std::string text = out ? out : "";
  if (where) *where = complaints_desk_errwhere(nullptr);
  complaints_free(out);
  complaints_free(err);
  return text;
}

}  // namespace

TEST_CASE("each status is a node filled with its colour, in a readable ink, its category on a second line") {
  Workflow wf = Workflow::from_json(R"({"name":"mini","initial":"Open","statuses":[
    {"name":"Open","colour":"#111111","category":"open"},{"name":"Done","colour":"#F2C94C","category":"closed"}],
    "actions":[{"name":"finish","from":["Open"],"to":"Done","allow":["office"]}]})");
  std::string dot = dot_of(wf);
  CHECK(has(dot, R"(s0 [label="Open\nopen", fillcolor="#111111", fontcolor="#FFFFFF"];)"));
  CHECK(has(dot, R"(s1 [label="Done\nclosed", fillcolor="#F2C94C", fontcolor="#000000", peripheries=2];)"));
  std::string mermaid = mermaid_of(wf);
  CHECK(has(mermaid, "  s0(\"Open<br/>open\")\n"));
  CHECK(has(mermaid, "  s1([\"Done<br/>closed\"])\n"));
  CHECK(has(mermaid, "  style s0 fill:#111111,color:#FFFFFF\n"));
  CHECK(has(mermaid, "  style s1 fill:#F2C94C,color:#000000\n"));
  auto texts = drawn_texts(svg_of(dot));
  CHECK(texts["s0"] == std::vector<std::string>{"Open", "open"});
  CHECK(texts["s1"] == std::vector<std::string>{"Done", "closed"});
}

TEST_CASE("the statuses of a stage are grouped, and a status outside every stage stands alone") {
  Workflow wf = Workflow::builtin("staged-escalation");
  auto texts = drawn_texts(svg_of(dot_of(wf)));
  CHECK(texts["cluster_0"].at(0) == "Service request");
  CHECK(texts["cluster_3"].at(0) == "Ombudsman");
  std::string dot = dot_of(wf);
  auto cluster = [&](int i) {
    std::size_t begin = dot.find("subgraph cluster_" + std::to_string(i) + " {");
    REQUIRE(begin != std::string::npos);
    return dot.substr(begin, dot.find("\n  }\n", begin) - begin);
  };
  CHECK(has(cluster(1), "s3 [label=\"Stage 1\\nopen\""));
  CHECK(has(cluster(1), "s4 [label=\"Stage 1 (with service)\\nactive\""));
  CHECK(has(cluster(1), "s5 [label=\"Stage 1 resolved\\nresolved\""));
  CHECK_FALSE(has(cluster(1), "s6 "));
  for (int i = 0; i < 4; ++i) CHECK_FALSE(has(cluster(i), "s12 "));  // Closed
  CHECK(has(dot, "\n  s12 [label=\"Closed\\nclosed\""));
  std::string mermaid = mermaid_of(wf);
  CHECK(has(mermaid, "  subgraph g1[\"Stage 1\"]\n    s3(\"Stage 1<br/>open\")\n"));
  CHECK(has(mermaid, "  end\n"));
}

TEST_CASE("an action is an edge from each of its statuses, labelled with its name and the roles allowed") {
  Workflow wf = Workflow::builtin("field-service");
  std::string dot = dot_of(wf);
  const std::string label = R"([label="schedule_follow_up\nadmin, supervisor, office, fieldworker+edit_issues"];)";
  for (const char *from : {"s0", "s1", "s2"}) CHECK(has(dot, std::string("  ") + from + " -> s1 " + label));
  CHECK(has(dot, R"(s3 -> s4 [label="approve\nadmin, supervisor"];)"));
  CHECK(has(dot, R"(s4 -> s2 [label="reopen\nadmin, supervisor"];)"));
  CHECK(has(mermaid_of(wf), "  s3 -->|\"approve<br/>admin, supervisor\"| s4\n"));
  // Reporting enters at the initial status, with on_report's effects.
  CHECK(has(dot, R"(n0 -> s0 [label="withhold"];)"));
}

TEST_CASE("an action from categories starts at one shared node, and a computed target is a dashed edge to a note") {
  Workflow wf = Workflow::builtin("field-service");
  std::string dot = dot_of(wf);
  // close: from every non-closed status, by category: one edge, not four.
  CHECK(has(dot, R"([label="any open, active, pending or resolved status", style="rounded,dashed,filled")"));
  std::regex close(R"re(\n  (n[0-9]+) -> s4 \[label="close\\nadmin, supervisor"\];)re");
  std::smatch m;
  REQUIRE(std::regex_search(dot, m, close));
  CHECK_FALSE(has(dot, "s0 -> s4 [label=\"close"));
  // change_status: to the status given in its input.
  CHECK(has(dot,
            "[label=\"the status given in input status: any open, active, pending or resolved status\", "
            "shape=note"));
  std::regex change(m[1].str() +
                    R"re( -> (n[0-9]+) \[label="change_status\\nadmin, supervisor, office", style=dashed\];)re");
  CHECK(std::regex_search(dot, change));
  // Actions from the same categories share the node; a stage input's target is the stage's first status.
  std::string staged = dot_of(Workflow::builtin("staged-escalation"));
  CHECK(has(staged, "the first status of the stage given in input stage"));
  CHECK(has(staged, "the current stage's resolved status"));
  std::regex any_of_four(R"re(label="any open, active, pending or resolved status")re");
  CHECK(std::distance(std::sregex_iterator(staged.begin(), staged.end(), any_of_four), std::sregex_iterator()) == 1);
  // An action from any status, and one that keeps the status, loop on their node.
  Workflow anyw = Workflow::from_json(R"({"name":"anyw","initial":"Open","statuses":[
    {"name":"Open","category":"open"},{"name":"Done","category":"closed"}],
    "actions":[{"name":"finish","from":["Open"],"to":"Done","allow":["office"]},
               {"name":"note","from":"*","allow":["office"]}]})");
  std::string any_dot = dot_of(anyw);
  std::regex loop(R"re(\n  (n[0-9]+) \[label="any status"[^\n]*\n[\s\S]*\n  \1 -> \1 \[label="note\\noffice"\];)re");
  CHECK(std::regex_search(any_dot, loop));
  svg_of(any_dot);
}

TEST_CASE("timers and automatic rules are drawn apart from the actions") {
  std::string dot = dot_of(Workflow::builtin("customer-confirmation"));
  // resolve (-> Confirmation, s4) sets a timer that takes auto_close (-> Closed, s5) after 4 days.
  CHECK(has(dot, R"(s4 -> s5 [label="after 4d: auto_close\ntimer auto_close", style=dashed, color="#D35400")"));
  CHECK(has(dot, R"(s4 -> s5 [label="auto_close\nsystem"];)"));
  std::string mermaid = mermaid_of(Workflow::builtin("customer-confirmation"));
  CHECK(has(mermaid, "  s4 -.->|\"after 4d#58; auto_close<br/>timer auto_close\"| s5\n"));
  CHECK(has(mermaid, "  linkStyle "));

  std::string staged = dot_of(Workflow::builtin("staged-escalation"));
  std::regex rule(
      R"re(\n  (n[0-9]+) \[label="automatic: on task_created investigate\\nset_stage_status category=active", shape=hexagon)re");
  std::smatch m;
  REQUIRE(std::regex_search(staged, m, rule));
  std::regex moves(m[1].str() + R"re( -> n[0-9]+ \[label="automatic", style=dotted, color="#6C3483")re");
  CHECK(std::regex_search(staged, moves));
  // A rule on entering a stage sits in that stage's group.
  std::size_t stage1 = staged.find("subgraph cluster_1 {");
  std::size_t stage1_end = staged.find("\n  }\n", stage1);
  std::size_t reset = staged.find("automatic: on stage_changed Stage 1\\nsla op=reset sla=response within=10d");
  CHECK(reset > stage1);
  CHECK(reset < stage1_end);
  auto texts = drawn_texts(svg_of(staged));
  CHECK(texts["cluster_1"].at(0) == "Stage 1");
}

TEST_CASE("hostile names are escaped: dot parses the text and each name stays on its own node") {
  Workflow wf = hostile_workflow();
  std::string dot = dot_of(wf);
  auto texts = drawn_texts(svg_of(dot));
  std::size_t n = std::size(hostile_names);
  const char *categories[] = {"open", "closed"};
  for (std::size_t i = 0; i < n; ++i) {
    CAPTURE(hostile_names[i]);
    CAPTURE(texts["s" + std::to_string(i)].at(0));
    CHECK(texts["s" + std::to_string(i)] == std::vector<std::string>{hostile_names[i], categories[i + 1 == n ? 1 : 0]});
  }
  CHECK(texts["cluster_0"] == std::vector<std::string>{"Stage \"}\" --> %% [x]"});
  CHECK(texts.size() == n + 2);  // the statuses, the stage and the report node: nothing split off a name

  std::string mermaid = mermaid_of(wf);
  auto nodes = mermaid_nodes(mermaid);
  for (std::size_t i = 0; i < n; ++i) {
    CAPTURE(hostile_names[i]);
    CHECK(nodes["s" + std::to_string(i)].at(0) == hostile_names[i]);
  }
  // Every line is a statement the writer makes; no name opens one of its own.
  std::regex statement(
      R"re(^(flowchart LR|  subgraph g[0-9]+\["[^"]*"\]|  end|  +[sn][0-9]+[(\[>{]+"[^"]*"[)\]}]+|  [sn][0-9]+ -(->|\.->)(\|"[^"]*"\|)? [sn][0-9]+|  style s[0-9]+ fill:#[0-9A-F]{6},color:#[0-9A-F]{6}|  classDef [a-z_]+ [^"]+|  class [sn0-9,]+ [a-z_]+|  linkStyle [0-9,]+ [^"]+)$)re");
  // Mermaid cuts the last ';' off a line that looks like a style with a colour
  // (its own preprocessing, before parsing), which would break an entity.
  std::regex mermaid_cuts(R"re((style|classDef).*:\S*#.*;)re");
  std::istringstream in(mermaid);
  for (std::string line; std::getline(in, line);) {
    CAPTURE(line);
    CHECK(std::regex_match(line, statement));
    CHECK_FALSE(std::regex_search(line, mermaid_cuts));
  }
  // The title, with its newlines, stays one label of the graph.
  CHECK(has(dot, R"x(label="Evil\n}\ndigraph \"x\" {é (hostile)")x"));
  CHECK(has(svg_of(dot), "digraph &quot;x&quot; {é (hostile)"));
}

TEST_CASE("the same workflow gives the same bytes") {
  for (const std::string &name : Workflow::builtin_names()) {
    CAPTURE(name);
    Workflow wf = Workflow::builtin(name);
    Workflow again = Workflow::from_json(wf.to_json());
    for (DiagramFormat f : {DiagramFormat::dot, DiagramFormat::mermaid})
      CHECK(workflow_diagram(wf, f) == workflow_diagram(again, f));
    svg_of(dot_of(wf));
  }
}

TEST_CASE("complaints_workflow_diagram draws a valid document and refuses an invalid one or another format") {
  Workflow wf = Workflow::builtin("customer-confirmation");
  int rc = 0;
  CHECK(c_diagram(wf.to_json(), "dot", &rc) == dot_of(wf));
  CHECK(rc == COMPLAINTS_OK);
  CHECK(c_diagram(wf.to_json(), "mermaid", &rc) == mermaid_of(wf));
  CHECK(rc == COMPLAINTS_OK);

  std::string where;
  CHECK(c_diagram(wf.to_json(), "svg", &rc, &where) == "");
  CHECK(rc == COMPLAINTS_EINVALID);
  CHECK(where == "format");
  json broken = json::parse(wf.to_json());
  broken["actions"][1]["from"][0] = "Nowhere";
  CHECK(c_diagram(broken.dump(), "dot", &rc, &where) == "");
  CHECK(rc == COMPLAINTS_EWORKFLOW);
  CHECK(where == "$.actions[1].from[0]");
  CHECK(c_diagram("{\"name\": ", "mermaid", &rc, &where) == "");
  CHECK(rc == COMPLAINTS_EWORKFLOW);
  CHECK(where == "$");
}
