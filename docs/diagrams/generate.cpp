// Draws workflows for the docs (docs/workflows.md, "Diagrams"), run by the build:
//
//   generate --out DIR FILE.json...   writes DIR/<name>.dot and DIR/<name>.mmd for each workflow
//   generate --check-doc DOC DIR      fails unless each Mermaid block of DOC is DIR/<name>.mmd
//   generate --update-doc DOC DIR     rewrites those blocks from DIR (the docs_diagrams_update target)
//
// A block in DOC sits between "<!-- diagram: NAME -->" and "<!-- end diagram -->"
// lines and holds a ```mermaid fence with the text, so GitHub and GitLab draw it.
#include <complaints/diagram.hpp>
#include <complaints/workflow.hpp>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace complaints;

namespace {

constexpr std::string_view begin_marker = "<!-- diagram: ";
constexpr std::string_view end_marker = "<!-- end diagram -->";

std::string read(const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write(const fs::path &file, const std::string &text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + file.string());
}

std::string fenced(const std::string &mermaid) { return "```mermaid\n" + mermaid + "```\n"; }

int draw(const fs::path &dir, const std::vector<fs::path> &inputs) {
  fs::create_directories(dir);
  for (const fs::path &file : inputs) {
    Workflow wf = Workflow::from_json(read(file));
    // The build names its outputs after the file, the docs after the workflow: they must agree.
    if (file.stem() != wf.name())
      throw std::runtime_error(file.string() + " holds workflow '" + wf.name() + "', not '" + file.stem().string() +
                               "'");
    write(dir / (wf.name() + ".dot"), workflow_diagram(wf, DiagramFormat::dot));
    write(dir / (wf.name() + ".mmd"), workflow_diagram(wf, DiagramFormat::mermaid));
  }
  return 0;
}

// DOC with every diagram block's body replaced by the drawing in DIR; `stale`
// gets the names whose block differed, `seen` the names of all blocks.
std::string refreshed(const std::string &doc, const fs::path &dir, std::vector<std::string> &stale,
                      std::set<std::string> &seen) {
  std::string out;
  std::size_t at = 0;
  while (true) {
    std::size_t begin = doc.find(begin_marker, at);
    if (begin == std::string::npos) break;
    std::size_t head_end = doc.find("-->\n", begin);
    if (head_end == std::string::npos) throw std::runtime_error("a diagram marker without its end: -->");
    std::string name = doc.substr(begin + begin_marker.size(), head_end - begin - begin_marker.size());
    while (!name.empty() && name.back() == ' ') name.pop_back();
    std::size_t body = head_end + 4;
    std::size_t end = doc.find(end_marker, body);
    if (end == std::string::npos) throw std::runtime_error("diagram '" + name + "' has no " + std::string(end_marker));
    fs::path file = dir / (name + ".mmd");
    if (!fs::exists(file)) throw std::runtime_error("diagram '" + name + "': no built-in workflow of that name");
    std::string want = fenced(read(file));
    if (doc.compare(body, end - body, want) != 0) stale.push_back(name);
    seen.insert(name);
    out.append(doc, at, body - at);
    out += want;
    at = end;
  }
  out.append(doc, at, std::string::npos);
  return out;
}

int check_or_update(const fs::path &doc_file, const fs::path &dir, bool update) {
  std::string doc = read(doc_file);
  std::vector<std::string> stale;
  std::set<std::string> seen;
  std::string fresh = refreshed(doc, dir, stale, seen);
  int missing = 0;
  for (const auto &entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".mmd" || seen.count(entry.path().stem().string())) continue;
    std::fprintf(stderr,
                 "%s shows no diagram of '%s': add these lines where it belongs, then run the update\n%s%s -->\n%s\n",
                 doc_file.c_str(), entry.path().stem().c_str(), std::string(begin_marker).c_str(),
                 entry.path().stem().c_str(), std::string(end_marker).c_str());
    ++missing;
  }
  if (update) {
    if (fresh != doc) write(doc_file, fresh);
    for (const std::string &name : stale)
      std::printf("updated the diagram of %s in %s\n", name.c_str(), doc_file.c_str());
    return missing ? 1 : 0;
  }
  for (const std::string &name : stale)
    std::fprintf(stderr,
                 "%s: the diagram of '%s' is not what the build draws from src/workflow/builtin/%s.json; refresh "
                 "it with `cmake --build <build dir> --target docs_diagrams_update` (or `%s --update-doc %s %s`)\n",
                 doc_file.c_str(), name.c_str(), name.c_str(), "docs_diagrams_generate", doc_file.c_str(), dir.c_str());
  return stale.empty() && !missing ? 0 : 1;
}

}  // namespace

int main(int argc, char **argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() >= 2 && args[0] == "--out") return draw(args[1], {args.begin() + 2, args.end()});
    if (args.size() == 3 && (args[0] == "--check-doc" || args[0] == "--update-doc"))
      return check_or_update(args[1], args[2], args[0] == "--update-doc");
  } catch (const std::exception &e) {
    std::fprintf(stderr, "docs_diagrams_generate: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr,
               "usage: docs_diagrams_generate --out DIR FILE.json...\n"
               "       docs_diagrams_generate --check-doc DOC DIR\n"
               "       docs_diagrams_generate --update-doc DOC DIR\n");
  return 2;
}
