// Mustache engine, renderer: node list + context -> text.
//
// Rendering allocates nothing but the output: context, indentation and
// inheritance frames are linked lists on the C++ stack.
#include <array>
#include <charconv>
#include <limits>

#include "domain/check.hpp"
#include "render/compiled.hpp"

namespace complaints {

using mustache::Name;
using mustache::Node;
using mustache::Op;
using mustache::Part;
using mustache::Span;

// ---------------------------------------------------------------------------
// Renderer

namespace mustache {

// The context stack, innermost first.
struct Context {
  const TemplateValue *value;
  const Context *up;
};

// Indentation of nested standalone partials, innermost first.
struct Indent {
  std::string_view piece;
  const Indent *outer;
};

bool truthy(const TemplateValue &v) {
  switch (v.kind()) {
    case TemplateValue::Kind::null: return false;
    case TemplateValue::Kind::boolean: return v.as_bool();
    case TemplateValue::Kind::integer: return v.as_integer() != 0;
    case TemplateValue::Kind::number: {
      double d = v.as_double();
      return d == d && d != 0.0;
    }
    case TemplateValue::Kind::string: return !v.as_string().empty();
    case TemplateValue::Kind::list: return v.size() != 0;
    case TemplateValue::Kind::object: return true;
    case TemplateValue::Kind::lambda: return true;
  }
  return false;
}

// Characters HTML escaping replaces.
constexpr auto kEscapable = [] {
  std::array<bool, 256> table{};
  for (unsigned char c : std::string_view("&<>\"'")) table[c] = true;
  return table;
}();

void append_escaped(std::string &out, std::string_view s) {
  const char *p = s.data();
  const char *end = p + s.size();
  const char *run = p;
  for (; p != end; ++p) {
    if (!kEscapable[static_cast<unsigned char>(*p)]) continue;
    std::string_view rep;
    switch (*p) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '"': rep = "&quot;"; break;
      case '\'': rep = "&#39;"; break;
      default: continue;
    }
    out.append(run, static_cast<std::size_t>(p - run));
    out.append(rep);
    run = p + 1;
  }
  out.append(run, static_cast<std::size_t>(end - run));
}

// Text of a scalar; false for lists, objects, null and lambdas. `buf` holds
// number text.
bool scalar_text(const TemplateValue &v, char (&buf)[64], std::string_view &text) {
  switch (v.kind()) {
    case TemplateValue::Kind::boolean: text = v.as_bool() ? "true" : "false"; return true;
    case TemplateValue::Kind::integer: {
      auto r = std::to_chars(buf, buf + sizeof buf, v.as_integer());
      text = std::string_view(buf, static_cast<std::size_t>(r.ptr - buf));
      return true;
    }
    case TemplateValue::Kind::number: {
      auto r = std::to_chars(buf, buf + sizeof buf, v.as_double());  // shortest round-trip
      text = std::string_view(buf, static_cast<std::size_t>(r.ptr - buf));
      return true;
    }
    case TemplateValue::Kind::string: text = v.as_string(); return true;
    default: return false;
  }
}

class Renderer {
 public:
  using Impl = Template::Impl;

  Renderer(std::string &out, const Partials *partials, const TemplateOptions &top)
      : out_(&out),
        partials_(partials),
        max_depth_(top.max_depth),
        max_steps_(top.max_render_steps == 0 ? std::numeric_limits<std::uint64_t>::max()
                                             : top.max_render_steps) {}

  void render(const Impl &t, std::uint32_t begin, std::uint32_t end, const Context *ctx,
              const Indent *indent, const Frame *frames);

 private:
  // Counts one level of nesting for the lifetime of a scope.
  class Nest {
   public:
    Nest(Renderer &r, const Impl &t, const Node &n) : r_(r) {
      if (++r_.depth_ > r_.max_depth_) {
        --r_.depth_;
        throw TemplateError("nesting deeper than " + std::to_string(r_.max_depth_) +
                                " sections, partials and lambdas (a recursive partial?)",
                            n.line, n.column, {}, t.options.name);
      }
    }
    ~Nest() { --r_.depth_; }
    Nest(const Nest &) = delete;
    Nest &operator=(const Nest &) = delete;

   private:
    Renderer &r_;
  };

  [[noreturn]] static void missing(const Impl &t, const Node &n, const char *what,
                                   std::string_view name) {
    throw TemplateError(std::string("missing ") + what + " '" + check::excerpt(name) + "'", n.line, n.column,
                        std::string(name), t.options.name);
  }

  void write_indent(const Indent *indent) {
    if (indent->outer) write_indent(indent->outer);
    out_->append(indent->piece);
  }

  void write_text(std::string_view s, bool line_start, const Indent *indent) {
    if (indent == nullptr) {
      out_->append(s);
      return;
    }
    if (line_start) write_indent(indent);
    std::size_t from = 0;
    while (true) {
      std::size_t nl = s.find('\n', from);
      if (nl == std::string_view::npos || nl + 1 == s.size()) {
        out_->append(s.substr(from));
        return;
      }
      out_->append(s.substr(from, nl + 1 - from));
      write_indent(indent);
      from = nl + 1;
    }
  }

  const TemplateValue *lookup(const Impl &t, const Name &name, const Context *ctx) const {
    if (name.part_count == 0) return ctx->value;
    const Part *parts = t.parts.data() + name.first_part;
    std::string_view first = t.view(parts[0].text);
    const TemplateValue *v = nullptr;
    for (const Context *c = ctx; c != nullptr && v == nullptr; c = c->up) {
      v = Access::member(*c->value, first, parts[0].hash);
    }
    for (std::uint32_t i = 1; v != nullptr && i < name.part_count; ++i) {
      v = Access::member(*v, t.view(parts[i].text), parts[i].hash);
    }
    return v;
  }

  // Compiles a lambda's result with the given delimiters and renders it in place.
  void render_lambda_result(const Impl &t, const Node &n, const std::string &source,
                            const std::pair<std::string, std::string> &delims, const Context *ctx,
                            const Frame *frames) {
    Nest nest(*this, t, n);
    TemplateOptions options = t.options;
    options.open_delimiter = delims.first;
    options.close_delimiter = delims.second;
    options.name = t.options.name.empty() ? "lambda result" : t.options.name + " (lambda result)";
    Template result = Template::compile(source, options);
    const Impl &r = *Access::impl(result);
    render(r, 0, static_cast<std::uint32_t>(r.nodes.size()), ctx, nullptr, frames);
  }

  void interpolate(const Impl &t, const Node &n, const Context *ctx, const Frame *frames) {
    const Name &name = t.names[n.name];
    const TemplateValue *v = lookup(t, name, ctx);
    if (v == nullptr) {
      if (t.options.strict) missing(t, n, "tag", t.view(name.full));
      return;
    }
    if (v->kind() == TemplateValue::Kind::lambda) {
      std::string source = v->call({});
      if (n.op == Op::raw) {
        render_lambda_result(t, n, source, t.delims[0], ctx, frames);
        return;
      }
      std::string rendered;
      std::string *saved = out_;
      out_ = &rendered;
      try {
        render_lambda_result(t, n, source, t.delims[0], ctx, frames);
      } catch (...) {
        out_ = saved;
        throw;
      }
      out_ = saved;
      append_escaped(*out_, rendered);
      return;
    }
    char buf[64];
    std::string_view text;
    if (!scalar_text(*v, buf, text)) return;
    if (n.op == Op::escaped && v->kind() == TemplateValue::Kind::string) {
      append_escaped(*out_, text);
    } else {
      out_->append(text);
    }
  }

  // The name a partial or parent tag refers to; false when there is none.
  bool partial_name(const Impl &t, const Node &n, const Context *ctx, char (&buf)[64],
                    std::string_view &key) const {
    if (!n.dynamic) {
      key = t.view(n.text);
      return true;
    }
    const Name &name = t.names[n.name];
    const TemplateValue *v = lookup(t, name, ctx);
    if (v == nullptr) {
      if (t.options.strict) missing(t, n, "tag", t.view(name.full));
      return false;
    }
    if (!scalar_text(*v, buf, key)) {
      if (t.options.strict) missing(t, n, "partial named by", t.view(name.full));
      return false;
    }
    return true;
  }

  const Impl *find_partial(const Impl &t, const Node &n, std::string_view key) const {
    const Template *p = partials_ != nullptr ? partials_->find(key) : nullptr;
    if (p == nullptr) {
      if (t.options.strict) missing(t, n, "partial", key);
      return nullptr;
    }
    return Access::impl(*p);  // null for a default-constructed Template: renders nothing
  }

  void section(const Impl &t, std::uint32_t index, const Context *ctx, const Indent *indent,
               const Frame *frames);
  void inverted(const Impl &t, std::uint32_t index, const Context *ctx, const Indent *indent,
                const Frame *frames);
  void partial(const Impl &t, const Node &n, const Context *ctx, const Indent *indent,
               const Frame *frames);
  void parent(const Impl &t, std::uint32_t index, const Context *ctx, const Indent *indent,
              const Frame *frames);
  void block(const Impl &t, std::uint32_t index, const Context *ctx, const Indent *indent,
             const Frame *frames);

  std::string *out_;
  const Partials *partials_;
  int depth_ = 0;
  int max_depth_;
  std::uint64_t steps_ = 0;
  std::uint64_t max_steps_;
};

void Renderer::render(const Impl &t, std::uint32_t i, std::uint32_t end, const Context *ctx,
                      const Indent *indent, const Frame *frames) {
  const Node *nodes = t.nodes.data();
  while (i < end) {
    const Node &n = nodes[i];
    if (++steps_ > max_steps_) {
      throw TemplateError("render took more than " + std::to_string(max_steps_) + " steps", n.line,
                          n.column, {}, t.options.name);
    }
    switch (n.op) {
      case Op::text:
        write_text(t.view(n.text), n.line_start, indent);
        ++i;
        break;
      case Op::escaped:
      case Op::raw:
        if (indent != nullptr && n.line_start) write_indent(indent);
        interpolate(t, n, ctx, frames);
        ++i;
        break;
      case Op::section:
        section(t, i, ctx, indent, frames);
        i = n.end;
        break;
      case Op::inverted:
        inverted(t, i, ctx, indent, frames);
        i = n.end;
        break;
      case Op::partial:
        partial(t, n, ctx, indent, frames);
        ++i;
        break;
      case Op::parent:
        parent(t, i, ctx, indent, frames);
        i = n.end;
        break;
      case Op::block:
        block(t, i, ctx, indent, frames);
        i = n.end;
        break;
    }
  }
}

void Renderer::section(const Impl &t, std::uint32_t index, const Context *ctx, const Indent *indent,
                       const Frame *frames) {
  const Node &n = t.nodes[index];
  const Name &name = t.names[n.name];
  const TemplateValue *v = lookup(t, name, ctx);
  if (v == nullptr && t.options.strict) missing(t, n, "tag", t.view(name.full));
  if (indent != nullptr && n.line_start) write_indent(indent);
  if (v == nullptr) return;
  switch (v->kind()) {
    case TemplateValue::Kind::lambda: {
      std::string source = v->call(t.view(n.text));
      render_lambda_result(t, n, source, t.delims[n.delims], ctx, frames);
      return;
    }
    case TemplateValue::Kind::list: {
      Nest nest(*this, t, n);
      for (const TemplateValue &each : Access::items(*v)) {
        Context item{&each, ctx};
        render(t, index + 1, n.end, &item, indent, frames);
      }
      return;
    }
    default:
      if (truthy(*v)) {
        Nest nest(*this, t, n);
        Context top{v, ctx};
        render(t, index + 1, n.end, &top, indent, frames);
      }
      return;
  }
}

void Renderer::inverted(const Impl &t, std::uint32_t index, const Context *ctx,
                        const Indent *indent, const Frame *frames) {
  const Node &n = t.nodes[index];
  const Name &name = t.names[n.name];
  const TemplateValue *v = lookup(t, name, ctx);
  if (v == nullptr && t.options.strict) missing(t, n, "tag", t.view(name.full));
  if (indent != nullptr && n.line_start) write_indent(indent);
  if (v != nullptr && truthy(*v)) return;
  Nest nest(*this, t, n);
  render(t, index + 1, n.end, ctx, indent, frames);
}

void Renderer::partial(const Impl &t, const Node &n, const Context *ctx, const Indent *indent,
                       const Frame *frames) {
  if (indent != nullptr && n.line_start) write_indent(indent);
  char buf[64];
  std::string_view key;
  if (!partial_name(t, n, ctx, buf, key)) return;
  const Impl *p = find_partial(t, n, key);
  if (p == nullptr) return;
  Nest nest(*this, t, n);
  // A standalone partial indents each of its lines; an inline one does not.
  Indent mine{t.view(n.indent), indent};
  const Indent *inner = !n.has_indent ? nullptr : n.indent.len == 0 ? indent : &mine;
  render(*p, 0, static_cast<std::uint32_t>(p->nodes.size()), ctx, inner, frames);
}

void Renderer::parent(const Impl &t, std::uint32_t index, const Context *ctx, const Indent *indent,
                      const Frame *frames) {
  const Node &n = t.nodes[index];
  if (indent != nullptr && n.line_start) write_indent(indent);
  char buf[64];
  std::string_view key;
  if (!partial_name(t, n, ctx, buf, key)) return;
  const Impl *p = find_partial(t, n, key);
  if (p == nullptr) return;
  Nest nest(*this, t, n);
  Frame frame{&t, index, frames};
  Indent mine{t.view(n.indent), indent};
  const Indent *inner = !n.has_indent ? nullptr : n.indent.len == 0 ? indent : &mine;
  render(*p, 0, static_cast<std::uint32_t>(p->nodes.size()), ctx, inner, &frame);
}

void Renderer::block(const Impl &t, std::uint32_t index, const Context *ctx, const Indent *indent,
                     const Frame *frames) {
  const Node &n = t.nodes[index];
  Override over = find_override(frames, t.view(n.text));
  Nest nest(*this, t, n);
  if (over.tpl != nullptr) {
    // The override is rendered where the block stands (its context), indented
    // like the block when the block is standalone.
    Indent mine{t.view(n.indent), indent};
    const Indent *inner = !n.has_indent ? nullptr : n.indent.len == 0 ? indent : &mine;
    if (!n.has_indent && indent != nullptr && n.line_start) write_indent(indent);
    render(*over.tpl, over.node + 1, over.tpl->nodes[over.node].end, ctx, inner, frames);
    return;
  }
  if (indent != nullptr && n.line_start) write_indent(indent);
  if (n.leading_indent) out_->append(t.view(n.indent));
  render(t, index + 1, n.end, ctx, indent, frames);
}

}  // namespace mustache

void Template::render_to(std::string &out, const TemplateValue &context,
                         const Partials *partials) const {
  if (!impl_) return;
  const std::size_t original = out.size();
  const std::size_t want = original + impl_->literal_bytes + impl_->literal_bytes / 4 + 64;
  if (out.capacity() < want) out.reserve(want);
  try {
    mustache::Renderer renderer(out, partials, impl_->options);
    mustache::Context root{&context, nullptr};
    renderer.render(*impl_, 0, static_cast<std::uint32_t>(impl_->nodes.size()), &root, nullptr,
                    nullptr);
  } catch (...) {
    out.resize(original);
    throw;
  }
}

std::string Template::render(const TemplateValue &context, const Partials *partials) const {
  std::string out;
  render_to(out, context, partials);
  return out;
}

}  // namespace complaints