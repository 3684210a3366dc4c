// The static check of strict templates: the renderer's walk (renderer.cpp)
// with the context's shape in place of its values, taking every branch.
#include "render/strict_check.hpp"

#include <algorithm>
#include <limits>

#include "render/compiled.hpp"

namespace complaints::mustache {

namespace {

using Impl = Template::Impl;

// The scopes a tag is resolved in, innermost first. `shape` is an object's (or
// a list item's) shape; null for a scalar, which has no members.
struct Scope {
  const Shape *shape;
  const Scope *up;
};

const Shape *member(const Shape &object, std::string_view name) {
  for (const auto &m : object.members)
    if (m.name == name) return &m;
  static const Shape any_scalar{"", Shape::Kind::scalar, {}, false};
  return object.open ? &any_scalar : nullptr;
}

// The lists whose items have `name`, for saying where a tag is available.
void lists_with(const Shape &shape, std::string_view name, std::string &out) {
  for (const auto &m : shape.members) {
    if (m.kind == Shape::Kind::list && member(m, name)) out += (out.empty() ? "'" : ", '") + m.name + "'";
    if (m.kind != Shape::Kind::scalar) lists_with(m, name, out);
  }
}

class Walker {
 public:
  Walker(const Shape &root, const Partials *partials, const TemplateOptions &top)
      : root_(root),
        partials_(partials),
        max_depth_(top.max_depth),
        max_steps_(top.max_render_steps == 0 ? std::numeric_limits<std::uint64_t>::max() : top.max_render_steps) {}

  void walk(const Impl &t) {
    active_.push_back(&t);
    Scope scope{&root_, nullptr};
    walk(t, 0, static_cast<std::uint32_t>(t.nodes.size()), &scope, nullptr);
  }

 private:
  const Shape &root_;
  const Partials *partials_;
  int depth_ = 0;
  int max_depth_;
  std::uint64_t steps_ = 0;
  std::uint64_t max_steps_;
  std::vector<const void *> active_;  // templates and overriding blocks being expanded

  [[noreturn]] static void fail(const Impl &t, const Node &n, const std::string &message, std::string_view tag = {}) {
    throw TemplateError(message, n.line, n.column, std::string(tag), t.options.name);
  }

  // One level of nesting, counted where the renderer counts it.
  class Nest {
   public:
    Nest(Walker &w, const Impl &t, const Node &n) : w_(w) {
      if (++w_.depth_ > w_.max_depth_)
        fail(t, n, "nesting deeper than " + std::to_string(w_.max_depth_) +
                       " sections, partials and blocks when rendered");
    }
    ~Nest() { --w_.depth_; }
    Nest(const Nest &) = delete;
    Nest &operator=(const Nest &) = delete;

   private:
    Walker &w_;
  };

  // Marks `key` (a template, or an overriding block) as being expanded.
  class Expanding {
   public:
    Expanding(Walker &w, const void *key, const Impl &t, const Node &n, const char *what) : w_(w) {
      if (std::find(w_.active_.begin(), w_.active_.end(), key) != w_.active_.end())
        fail(t, n, std::string(what) + " '" + std::string(t.view(n.text)) + "' would expand into itself without end",
             t.view(n.text));
      w_.active_.push_back(key);
    }
    ~Expanding() { w_.active_.pop_back(); }
    Expanding(const Expanding &) = delete;
    Expanding &operator=(const Expanding &) = delete;

   private:
    Walker &w_;
  };

  // The shape a name resolves to (the scope itself for "."); on a miss, fails
  // for a strict template and returns false for another.
  bool resolve(const Impl &t, const Node &n, const Scope *scope, const Scope *&found_scope, const Shape *&found) {
    const Name &name = t.names[n.name];
    found_scope = nullptr;
    found = nullptr;
    if (name.part_count == 0) {
      found_scope = scope;
      return true;
    }
    const Part *parts = t.parts_of(name);
    std::string_view first = t.view(parts[0].text);
    for (const Scope *s = scope; s != nullptr && found == nullptr; s = s->up)
      if (s->shape != nullptr) found = member(*s->shape, first);
    if (found == nullptr) {
      if (!t.options.strict) return false;
      std::string where;
      lists_with(root_, first, where);
      std::string full(t.view(name.full));
      fail(t, n,
           where.empty() ? "tag '" + full + "' is not in the data"
                         : "tag '" + full + "' can be missing here: only the items of " + where + " have '" +
                               std::string(first) + "'",
           full);
    }
    for (std::uint32_t i = 1; i < name.part_count; ++i) {
      const Shape *next = found->kind == Shape::Kind::object ? member(*found, t.view(parts[i].text)) : nullptr;
      if (next == nullptr) {
        if (!t.options.strict) return false;
        std::string full(t.view(name.full));
        fail(t, n,
             "tag '" + full + "' can be missing here: '" + found->name + "' has no member '" +
                 std::string(t.view(parts[i].text)) + "'",
             full);
      }
      found = next;
    }
    return true;
  }

  // The template a partial or parent tag expands, or null (a non-strict miss).
  const Impl *expansion(const Impl &t, const Node &n) {
    if (n.dynamic)
      fail(t, n, "a partial named by the data ('*" + std::string(t.view(t.names[n.name].full)) +
                     "') cannot be checked; name it in the template",
           t.view(t.names[n.name].full));
    std::string_view key = t.view(n.text);
    const Template *p = partials_ != nullptr ? partials_->find(key) : nullptr;
    if (p == nullptr) {
      if (t.options.strict) fail(t, n, "missing partial '" + std::string(key) + "'", key);
      return nullptr;
    }
    return Access::impl(*p);  // null for a default-constructed Template: renders nothing
  }

  void walk(const Impl &t, std::uint32_t i, std::uint32_t end, const Scope *scope, const Frame *frames) {
    while (i < end) {
      const Node &n = t.nodes[i];
      if (++steps_ > max_steps_) fail(t, n, "more than " + std::to_string(max_steps_) + " steps to check");
      const Scope *found_scope = nullptr;
      const Shape *found = nullptr;
      switch (n.op) {
        case Op::text: break;
        case Op::escaped:
        case Op::raw: resolve(t, n, scope, found_scope, found); break;
        case Op::section:
          if (resolve(t, n, scope, found_scope, found)) {  // (a miss in a loose template renders nothing)
            Nest nest(*this, t, n);
            // The innermost scope becomes a list's item, an object, a scalar (no members), or "." again.
            Scope inner{nullptr, scope};
            if (found_scope) inner.shape = found_scope->shape;
            else if (found->kind != Shape::Kind::scalar) inner.shape = found;
            walk(t, i + 1, n.end, &inner, frames);
          }
          break;
        case Op::inverted: {
          resolve(t, n, scope, found_scope, found);  // (a miss in a loose template renders the body)
          Nest nest(*this, t, n);
          walk(t, i + 1, n.end, scope, frames);
          break;
        }
        case Op::partial:
        case Op::parent: {
          const Impl *p = expansion(t, n);
          if (p == nullptr) break;
          Expanding expanding(*this, p, t, n, n.op == Op::partial ? "partial" : "parent");
          Nest nest(*this, t, n);
          Frame frame{&t, i, frames};
          walk(*p, 0, static_cast<std::uint32_t>(p->nodes.size()), scope, n.op == Op::parent ? &frame : frames);
          break;
        }
        case Op::block: {
          Override over = find_override(frames, t.view(n.text));
          if (over.tpl == nullptr) {
            Nest nest(*this, t, n);
            walk(t, i + 1, n.end, scope, frames);
            break;
          }
          const Node &argument = over.tpl->nodes[over.node];
          Expanding expanding(*this, &argument, t, n, "block");
          Nest nest(*this, t, n);
          walk(*over.tpl, over.node + 1, argument.end, scope, frames);
          break;
        }
      }
      i = is_container(n.op) ? n.end : i + 1;
    }
  }
};

}  // namespace

void check_strict(const Template &tpl, const Shape &context, const Partials *partials) {
  const Impl *t = Access::impl(tpl);
  if (t == nullptr) return;
  Walker(context, partials, t->options).walk(*t);
}

}  // namespace complaints::mustache
