// The Mustache engine's private parts, shared by its three jobs: values
// (value.cpp), the compiler (compiler.cpp: source -> flat node list) and
// the renderer (renderer.cpp: node list + context -> text), and by the static
// check of strict templates (strict_check.cpp).
//
// A compiled template is a flat vector of nodes; containers (sections,
// parents, blocks) store the index one past their last descendant, so a walk
// takes ranges and recurses only into containers. Text lives in one pool
// string (a copy of the source, plus text rewritten by block dedenting) and
// nodes refer to it by offset.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "complaints/template_renderer.hpp"

namespace complaints {

namespace mustache {

// FNV-1a. Object members are ordered by the hash of their key and template
// names carry theirs, so a lookup compares integers and checks one key.
inline std::uint32_t hash_key(std::string_view key) noexcept {
  std::uint32_t h = 2166136261u;
  for (unsigned char c : key) h = (h ^ c) * 16777619u;
  return h;
}

struct Member {
  std::uint32_t hash;
  std::string key;
  TemplateValue value;
};

inline bool member_before(const Member &m, std::uint32_t hash, std::string_view key) {
  return m.hash != hash ? m.hash < hash : std::string_view(m.key) < key;
}

struct Span {
  std::uint32_t off = 0;
  std::uint32_t len = 0;
};

enum class Op : std::uint8_t {
  text,      // literal text
  escaped,   // {{name}}
  raw,       // {{{name}}}, {{&name}}, or {{name}} without escaping
  section,   // {{#name}}...{{/name}}
  inverted,  // {{^name}}...{{/name}}
  partial,   // {{>name}}, {{>*name}}
  parent,    // {{<name}}...{{/name}}; children are its argument blocks
  block,     // {{$name}}...{{/name}}
};

inline bool is_container(Op op) { return op == Op::section || op == Op::inverted || op == Op::parent || op == Op::block; }

struct Node {
  Op op = Op::text;
  // Output of this node starts a line of the source: an enclosing standalone
  // partial's indentation is written before it.
  bool line_start = false;
  bool dynamic = false;         // partial/parent: the name is read from the context
  bool has_indent = false;      // partial/parent/block: expanded lines are indented by `indent`
  bool leading_indent = false;  // block: `indent` was cut from the text before the tag
  bool argument = false;        // block: a direct child of a parent (an override)
  std::uint32_t end = 0;        // containers: index one past the last descendant
  std::uint32_t name = 0;       // tags reading the context: index in Impl::names
  std::uint32_t delims = 0;     // section: delimiters in force, for lambdas
  Span text;    // text: the literal; section: the raw body; partial/parent/block: static name
  Span indent;  // partial/parent/block
  int line = 0;
  int column = 0;
};

// One part of a dotted name.
struct Part {
  Span text;
  std::uint32_t hash = 0;
};

// A dotted name; part_count 0 is the implicit iterator ".".
struct Name {
  Span full;
  std::uint32_t first_part = 0;
  std::uint32_t part_count = 0;
};

}  // namespace mustache

struct TemplateValue::Body {
  std::vector<TemplateValue> items;                      // list
  std::vector<mustache::Member> members;                 // object: by (hash, key), unique
  std::function<std::string()> lambda0;                  // lambda without text
  std::function<std::string(std::string_view)> lambda1;  // lambda taking the section text
};

struct Template::Impl {
  std::string text;  // the source, then any rewritten text; nodes refer into it
  std::vector<mustache::Node> nodes;
  std::vector<mustache::Name> names;
  std::vector<mustache::Part> parts;
  std::vector<std::pair<std::string, std::string>> delims;  // [0] = the defaults
  std::vector<TagReference> refs;
  TemplateOptions options;
  std::size_t literal_bytes = 0;

  std::string_view view(mustache::Span s) const noexcept { return {text.data() + s.off, s.len}; }
  const mustache::Part *parts_of(const mustache::Name &n) const noexcept { return parts.data() + n.first_part; }
};

namespace mustache {

// What the engine's parts read of the public classes (their friend).
struct Access {
  static const Template::Impl *impl(const Template &t) noexcept { return t.impl_.get(); }
  static Template make(std::shared_ptr<const Template::Impl> impl) { return Template(std::move(impl)); }

  // Member `key` (of hash `hash`) of an object, or nullptr (also for other kinds).
  static const TemplateValue *member(const TemplateValue &v, std::string_view key, std::uint32_t hash) noexcept {
    if (v.kind_ != TemplateValue::Kind::object) return nullptr;
    const auto &members = v.body_->members;
    // Binary search on the hash alone; keys sharing a hash sit together.
    std::size_t lo = 0;
    std::size_t hi = members.size();
    while (lo < hi) {
      std::size_t mid = (lo + hi) / 2;
      if (members[mid].hash < hash)
        lo = mid + 1;
      else
        hi = mid;
    }
    for (; lo < members.size() && members[lo].hash == hash; ++lo)
      if (std::string_view(members[lo].key) == key) return &members[lo].value;
    return nullptr;
  }

  // The items of a list (the value must be one).
  static const std::vector<TemplateValue> &items(const TemplateValue &list) noexcept { return list.body_->items; }
};

// Parent tags being expanded, innermost first; their argument blocks override
// the blocks of the templates they expand, the outermost parent winning.
struct Frame {
  const Template::Impl *tpl;
  std::uint32_t parent;  // index of the parent node in tpl
  const Frame *outer;
};

// An argument block overriding a block: its template and node; tpl is null when none does.
struct Override {
  const Template::Impl *tpl = nullptr;
  std::uint32_t node = 0;
};

// What overrides block `name` where `frames` are being expanded.
inline Override find_override(const Frame *frames, std::string_view name) {
  Override found;
  for (const Frame *f = frames; f != nullptr; f = f->outer) {  // all of them: the outermost wins
    const Template::Impl &t = *f->tpl;
    for (std::uint32_t i = f->parent + 1; i < t.nodes[f->parent].end;) {
      const Node &c = t.nodes[i];
      if (c.op == Op::block && c.argument && t.view(c.text) == name) {
        found = {&t, i};
        break;
      }
      i = is_container(c.op) ? c.end : i + 1;
    }
  }
  return found;
}

}  // namespace mustache

}  // namespace complaints
