// Mustache engine, compiler: source -> flat node list (see compiled.hpp).
//
// Whitespace follows the spec: a non-interpolation tag alone on its line
// ("standalone") takes the line with it; a standalone partial or parent
// indents every line of what it expands to. For inheritance we follow the
// spec's tests and its whitespace notes: a parent or parameter block whose
// start tag opens its line and whose end tag closes its line is standalone as
// a pair, and an overriding block is re-indented to the place it fills.
#include <algorithm>
#include <set>

#include "domain/check.hpp"
#include "render/compiled.hpp"

namespace complaints {

using mustache::Name;
using mustache::Node;
using mustache::Op;
using mustache::Part;
using mustache::Span;

// ---------------------------------------------------------------------------
// Compiler

namespace {

constexpr std::size_t kNpos = std::string_view::npos;
constexpr std::size_t kMaxSourceBytes = std::size_t(1) << 30;  // keeps offsets in 32 bits
// Searching for a delimiter costs up to its length per byte: keep them short.
constexpr std::size_t kMaxDelimiterBytes = 32;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool has_space(std::string_view s) { return std::any_of(s.begin(), s.end(), is_space); }

// A name quoted in a message: long names are cut so messages stay readable.
std::string quoted(std::string_view s) { return "'" + check::excerpt(s) + "'"; }

const char *container_noun(Op op) {
  switch (op) {
    case Op::section: return "section";
    case Op::inverted: return "inverted section";
    case Op::parent: return "parent";
    case Op::block: return "block";
    default: return "tag";
  }
}

class Compiler {
 public:
  Compiler(std::string_view source, Template::Impl &t)
      : src_(source),
        t_(t),
        open_delim_(t.options.open_delimiter),
        close_delim_(t.options.close_delimiter) {
    t_.delims.emplace_back(open_delim_, close_delim_);
  }

  void run();

 private:
  struct Tag {
    char type;                 // 0 for a plain variable, else the sigil
    std::string_view content;  // between sigil and closing delimiter, untrimmed
    std::size_t start;         // offset of the opening delimiter
    std::size_t end;           // offset one past the closing delimiter
    int line;
    int column;
  };

  struct Open {
    std::uint32_t node;
    Op op;
    std::string key;  // as written, to match the closing tag
    int line;
    int column;
    std::size_t body_start;
    bool start_left_clear = false;  // only spaces before the start tag on its line
    bool start_at_eol = false;      // only spaces after the start tag on its line
    Span leading;                   // those spaces before the start tag
    std::int64_t prev_text = -1;    // the text node holding `leading`, if any
    Span intrinsic;                 // block: spaces opening the line after the start tag
  };

  [[noreturn]] void fail(const std::string &message, const Tag &tag, std::string name = {}) {
    throw TemplateError(message, tag.line, tag.column, std::move(name), t_.options.name);
  }

  // Line and column of `offset`; offsets are asked in increasing order, so
  // the cursor only moves forward and compiling stays linear.
  void position(std::size_t offset, int &line, int &column) {
    if (offset < cur_off_) {
      cur_off_ = 0;
      cur_line_ = 1;
      cur_col_ = 1;
    }
    for (; cur_off_ < offset; ++cur_off_) {
      unsigned char c = static_cast<unsigned char>(src_[cur_off_]);
      if (c == '\n') {
        ++cur_line_;
        cur_col_ = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++cur_col_;
      }
    }
    line = cur_line_;
    column = cur_col_;
  }

  bool at_line_start(std::size_t offset) const { return offset == 0 || src_[offset - 1] == '\n'; }

  // Spaces and tabs between the start of the line and `at`, or -1 when
  // anything else comes first.
  std::int64_t left_clear(std::size_t at) const {
    std::size_t i = at;
    while (i > 0 && (src_[i - 1] == ' ' || src_[i - 1] == '\t')) --i;
    if (i == 0 || src_[i - 1] == '\n') return static_cast<std::int64_t>(at - i);
    return -1;
  }

  // Offset past the spaces, tabs and line ending after `at`, or kNpos when
  // anything else comes first.
  std::size_t right_clear(std::size_t at) const {
    std::size_t i = at;
    const std::size_t n = src_.size();
    while (i < n && (src_[i] == ' ' || src_[i] == '\t')) ++i;
    if (i == n) return n;
    if (src_[i] == '\n') return i + 1;
    if (src_[i] == '\r' && i + 1 < n && src_[i + 1] == '\n') return i + 2;
    return kNpos;
  }

  Span span(std::size_t off, std::size_t len) const {
    return {static_cast<std::uint32_t>(off), static_cast<std::uint32_t>(len)};
  }
  Span span_of(std::string_view piece) const {
    return span(static_cast<std::size_t>(piece.data() - src_.data()), piece.size());
  }

  // Spaces and tabs starting at `at`.
  Span indentation_at(std::size_t at) const {
    std::size_t i = at;
    while (i < src_.size() && (src_[i] == ' ' || src_[i] == '\t')) ++i;
    return span(at, i - at);
  }

  bool in_parent() const { return !open_.empty() && open_.back().op == Op::parent; }

  bool take_force_line_start() {
    bool f = force_line_start_;
    force_line_start_ = false;
    return f;
  }

  void emit_text(std::size_t from, std::size_t to) {
    if (from >= to) return;
    // Text directly inside a parent tag is ignored; only its blocks matter.
    if (in_parent()) return;
    Node n;
    n.op = Op::text;
    n.text = span(from, to - from);
    bool forced = take_force_line_start();
    n.line_start = at_line_start(from) || forced;
    t_.literal_bytes += to - from;
    t_.nodes.push_back(n);
  }

  // The text node ending at `at` (the one emitted last), or -1.
  std::int64_t text_node_ending_at(std::size_t at) const {
    if (t_.nodes.empty()) return -1;
    const Node &last = t_.nodes.back();
    if (last.op != Op::text || std::size_t(last.text.off) + last.text.len != at) return -1;
    return static_cast<std::int64_t>(t_.nodes.size() - 1);
  }

  Node tag_node(Op op, const Tag &tag, bool standalone) {
    Node n;
    n.op = op;
    bool forced = take_force_line_start();
    n.line_start = !standalone && (at_line_start(tag.start) || forced);
    n.line = tag.line;
    n.column = tag.column;
    return n;
  }

  std::string_view checked_name(const Tag &tag) {
    std::string_view name = trim(tag.content);
    if (name.empty()) fail("empty tag name", tag);
    if (has_space(name)) fail("invalid tag name " + quoted(name), tag, std::string(name));
    return name;
  }

  // Registers a name read from the context; validates its dotted parts.
  std::uint32_t intern_name(std::string_view name, const Tag &tag) {
    Name nm;
    nm.full = span_of(name);
    nm.first_part = static_cast<std::uint32_t>(t_.parts.size());
    if (name != ".") {
      std::size_t from = 0;
      while (true) {
        std::size_t dot = name.find('.', from);
        std::string_view part = name.substr(from, dot == kNpos ? kNpos : dot - from);
        if (part.empty()) fail("invalid tag name " + quoted(name), tag, std::string(name));
        t_.parts.push_back(Part{span_of(part), mustache::hash_key(part)});
        ++nm.part_count;
        if (dot == kNpos) break;
        from = dot + 1;
      }
      t_.refs.push_back(TagReference{std::string(name), tag.line, tag.column});
    }
    t_.names.push_back(nm);
    return static_cast<std::uint32_t>(t_.names.size() - 1);
  }

  // The name of a partial or parent tag: static, or "*name" read from the context.
  std::string partial_key(const Tag &tag, Node &n) {
    std::string_view key = trim(tag.content);
    if (!key.empty() && key.front() == '*') {
      std::string_view dyn = trim(key.substr(1));
      if (dyn.empty()) fail("empty dynamic name", tag);
      if (has_space(dyn)) fail("invalid tag name " + quoted(dyn), tag, std::string(dyn));
      n.dynamic = true;
      n.name = intern_name(dyn, tag);
      return "*" + std::string(dyn);
    }
    if (key.empty()) fail("empty tag name", tag);
    if (has_space(key)) fail("invalid tag name " + quoted(key), tag, std::string(key));
    n.text = span_of(key);
    return std::string(key);
  }

  static std::string closing_key(std::string_view content) {
    std::string_view key = trim(content);
    if (!key.empty() && key.front() == '*') return "*" + std::string(trim(key.substr(1)));
    return std::string(key);
  }

  void check_depth(const Tag &tag) {
    if (open_.size() >= static_cast<std::size_t>(t_.options.max_depth)) {
      fail("sections nested deeper than " + std::to_string(t_.options.max_depth), tag);
    }
  }

  // Standalone handling shared by tags that produce nothing on their line:
  // emits the text before the tag and moves past it. Returns whether the tag
  // was standalone (its indentation in `leading`).
  bool consume(const Tag &tag, Span *leading = nullptr) {
    std::int64_t lw = left_clear(tag.start);
    std::size_t rc = right_clear(tag.end);
    if (lw >= 0 && rc != kNpos) {
      emit_text(pos_, tag.start - static_cast<std::size_t>(lw));
      if (leading) *leading = span(tag.start - static_cast<std::size_t>(lw), std::size_t(lw));
      pos_ = rc;
      return true;
    }
    emit_text(pos_, tag.start);
    pos_ = tag.end;
    return false;
  }

  void on_comment(const Tag &tag) { consume(tag); }
  void on_set_delimiters(const Tag &tag);
  void on_variable(const Tag &tag);
  void on_section(const Tag &tag);
  void on_partial(const Tag &tag);
  void on_parent(const Tag &tag);
  void on_block(const Tag &tag);
  void on_close(const Tag &tag);
  void dedent(std::uint32_t begin, std::uint32_t end, std::string_view indent);
  void dedent_text(Node &n, std::string_view indent);

  std::string_view src_;
  Template::Impl &t_;
  std::string open_delim_;
  std::string close_delim_;
  std::uint32_t delim_index_ = 0;
  std::size_t pos_ = 0;
  std::vector<Open> open_;
  bool force_line_start_ = false;
  std::size_t cur_off_ = 0;
  int cur_line_ = 1;
  int cur_col_ = 1;
};

void Compiler::run() {
  const std::size_t n = src_.size();
  std::string closer_buf;
  while (pos_ < n) {
    std::size_t start = src_.find(open_delim_, pos_);
    if (start == kNpos) break;
    Tag tag{};
    tag.start = start;
    position(start, tag.line, tag.column);
    std::size_t p = start + open_delim_.size();
    if (p < n) {
      switch (src_[p]) {
        case '#':
        case '^':
        case '/':
        case '!':
        case '>':
        case '<':
        case '$':
        case '=':
        case '&':
        case '{':
          tag.type = src_[p];
          ++p;
          break;
        default: break;
      }
    }
    std::string_view closer = close_delim_;
    if (tag.type == '{' || tag.type == '=') {
      closer_buf.assign(1, tag.type == '{' ? '}' : '=');
      closer_buf += close_delim_;
      closer = closer_buf;
    }
    std::size_t close_at = src_.find(closer, p);
    if (close_at == kNpos) {
      fail(tag.type == '=' ? "unclosed set-delimiter tag" : "unclosed tag", tag);
    }
    tag.content = src_.substr(p, close_at - p);
    tag.end = close_at + closer.size();
    switch (tag.type) {
      case '!': on_comment(tag); break;
      case '=': on_set_delimiters(tag); break;
      case '#':
      case '^': on_section(tag); break;
      case '/': on_close(tag); break;
      case '>': on_partial(tag); break;
      case '<': on_parent(tag); break;
      case '$': on_block(tag); break;
      default: on_variable(tag); break;
    }
  }
  emit_text(pos_, n);
  if (!open_.empty()) {
    const Open &o = open_.back();
    throw TemplateError(std::string("unclosed ") + container_noun(o.op) + " " + quoted(o.key),
                        o.line, o.column, o.key, t_.options.name);
  }
}

void Compiler::on_set_delimiters(const Tag &tag) {
  std::string_view body = trim(tag.content);
  std::size_t gap = 0;
  while (gap < body.size() && !is_space(body[gap])) ++gap;
  std::string_view open = body.substr(0, gap);
  std::string_view close = trim(body.substr(gap));
  if (open.empty() || close.empty() || has_space(close) || open.find('=') != kNpos ||
      close.find('=') != kNpos) {
    fail("invalid set-delimiter tag: expected two delimiters without spaces or '='", tag);
  }
  if (open.size() > kMaxDelimiterBytes || close.size() > kMaxDelimiterBytes) {
    fail("invalid set-delimiter tag: delimiters longer than " + std::to_string(kMaxDelimiterBytes) +
             " bytes",
         tag);
  }
  consume(tag);
  open_delim_.assign(open);
  close_delim_.assign(close);
  t_.delims.emplace_back(open_delim_, close_delim_);
  delim_index_ = static_cast<std::uint32_t>(t_.delims.size() - 1);
}

void Compiler::on_variable(const Tag &tag) {
  std::string_view name = checked_name(tag);
  emit_text(pos_, tag.start);
  pos_ = tag.end;
  bool escape = tag.type == 0 && t_.options.escape_html;
  Node n = tag_node(escape ? Op::escaped : Op::raw, tag, false);
  n.name = intern_name(name, tag);
  t_.nodes.push_back(n);
}

void Compiler::on_section(const Tag &tag) {
  std::string_view name = checked_name(tag);
  check_depth(tag);
  bool standalone = consume(tag);
  Node n = tag_node(tag.type == '#' ? Op::section : Op::inverted, tag, standalone);
  n.name = intern_name(name, tag);
  n.delims = delim_index_;
  t_.nodes.push_back(n);
  Open o{};
  o.node = static_cast<std::uint32_t>(t_.nodes.size() - 1);
  o.op = n.op;
  o.key = std::string(name);
  o.line = tag.line;
  o.column = tag.column;
  o.body_start = pos_;
  open_.push_back(std::move(o));
}

void Compiler::on_partial(const Tag &tag) {
  Node n;
  partial_key(tag, n);  // validates before any output is emitted
  Span leading;
  bool standalone = consume(tag, &leading);
  Node node = tag_node(Op::partial, tag, standalone);
  node.dynamic = n.dynamic;
  node.name = n.name;
  node.text = n.text;
  if (standalone) {
    node.has_indent = true;
    node.indent = leading;
  }
  t_.nodes.push_back(node);
}

void Compiler::on_parent(const Tag &tag) {
  check_depth(tag);
  Node named;
  std::string key = partial_key(tag, named);
  std::int64_t lw = left_clear(tag.start);
  std::size_t rc = right_clear(tag.end);
  emit_text(pos_, tag.start);
  Node n = tag_node(Op::parent, tag, false);
  n.dynamic = named.dynamic;
  n.name = named.name;
  n.text = named.text;
  // Whether the tag is standalone depends on its end tag too; decided there.
  Open o{};
  o.prev_text = lw > 0 ? text_node_ending_at(tag.start) : -1;
  o.start_left_clear = lw >= 0;
  o.start_at_eol = rc != kNpos;
  if (lw >= 0) o.leading = span(tag.start - static_cast<std::size_t>(lw), std::size_t(lw));
  pos_ = rc != kNpos ? rc : tag.end;  // the rest of the line is inside the parent: ignored
  t_.nodes.push_back(n);
  o.node = static_cast<std::uint32_t>(t_.nodes.size() - 1);
  o.op = Op::parent;
  o.key = std::move(key);
  o.line = tag.line;
  o.column = tag.column;
  o.body_start = pos_;
  open_.push_back(std::move(o));
}

void Compiler::on_block(const Tag &tag) {
  std::string_view name = trim(tag.content);
  if (name.empty()) fail("empty tag name", tag);
  if (has_space(name)) fail("invalid tag name " + quoted(name), tag, std::string(name));
  check_depth(tag);
  Open o{};
  o.op = Op::block;
  o.key = std::string(name);
  o.line = tag.line;
  o.column = tag.column;
  Node n;
  if (in_parent()) {
    // An argument: its content is an inline template. The rest of the start
    // tag's line, if blank, belongs to the tag; the blank start of the next
    // line is the block's own indentation, removed from each of its lines.
    std::size_t rc = right_clear(tag.end);
    n = tag_node(Op::block, tag, true);
    n.argument = true;
    if (rc != kNpos) {
      pos_ = rc;
      o.intrinsic = indentation_at(rc);
    } else {
      pos_ = tag.end;
      force_line_start_ = true;  // its first line is a line of the expansion
    }
  } else {
    std::int64_t lw = left_clear(tag.start);
    std::size_t rc = right_clear(tag.end);
    o.start_left_clear = lw >= 0;
    if (lw >= 0) o.leading = span(tag.start - static_cast<std::size_t>(lw), std::size_t(lw));
    if (lw >= 0 && rc != kNpos) {
      emit_text(pos_, tag.start - static_cast<std::size_t>(lw));
      pos_ = rc;
      o.start_at_eol = true;
      o.intrinsic = indentation_at(rc);
      n = tag_node(Op::block, tag, true);
    } else {
      emit_text(pos_, tag.start);
      o.prev_text = lw > 0 ? text_node_ending_at(tag.start) : -1;
      pos_ = tag.end;
      n = tag_node(Op::block, tag, false);
    }
  }
  n.text = span_of(name);
  t_.nodes.push_back(n);
  o.node = static_cast<std::uint32_t>(t_.nodes.size() - 1);
  o.body_start = pos_;
  open_.push_back(std::move(o));
}

void Compiler::on_close(const Tag &tag) {
  std::string key = closing_key(tag.content);
  if (key.empty()) fail("empty tag name", tag);
  if (open_.empty()) fail("closing tag " + quoted(key) + " without an open section", tag, key);
  Open &o = open_.back();
  if (o.key != key) {
    fail("closing tag " + quoted(key) + " does not match open " + container_noun(o.op) + " " +
             quoted(o.key) + " (line " + std::to_string(o.line) + ")",
         tag, key);
  }
  std::int64_t lw = left_clear(tag.start);
  std::size_t rc = right_clear(tag.end);
  Node &first = t_.nodes[o.node];
  std::size_t body_end = tag.start;
  if (first.op == Op::parent) {
    emit_text(pos_, tag.start);  // ignored: directly inside the parent
    bool pair = o.start_left_clear && rc != kNpos;
    pos_ = rc != kNpos && (pair || lw >= 0) ? rc : tag.end;
  } else if (first.argument) {
    // The content ends at the tag; blank space before it on its line is not
    // content. What follows is inside the parent, so ignored.
    if (lw >= 0) body_end -= static_cast<std::size_t>(lw);
    emit_text(pos_, body_end);
    pos_ = tag.end;
  } else if (lw >= 0 && rc != kNpos) {
    body_end -= static_cast<std::size_t>(lw);
    emit_text(pos_, body_end);
    pos_ = rc;
  } else {
    emit_text(pos_, tag.start);
    pos_ = tag.end;
  }

  const std::uint32_t index = o.node;
  Node &n = t_.nodes[index];  // emit_text may have grown the vector: take it again
  n.end = static_cast<std::uint32_t>(t_.nodes.size());
  switch (n.op) {
    case Op::section:
    case Op::inverted:
      n.text = span(o.body_start, body_end > o.body_start ? body_end - o.body_start : 0);
      break;
    case Op::parent: {
      // Standalone as a pair: start tag opens its line, end tag closes its
      // line. Then it behaves like a standalone partial.
      bool standalone = o.start_left_clear && (o.start_at_eol || rc != kNpos);
      if (standalone) {
        if (o.prev_text >= 0) {
          Node &prev = t_.nodes[static_cast<std::size_t>(o.prev_text)];
          prev.text.len -= o.leading.len;
          if (prev.text.len == 0) prev.line_start = false;
        }
        n.has_indent = true;
        n.indent = o.leading;
        n.line_start = false;
      }
      break;
    }
    case Op::block:
      if (n.argument) {
        force_line_start_ = false;
        if (o.intrinsic.len > 0) {
          dedent(index + 1, n.end, src_.substr(o.intrinsic.off, o.intrinsic.len));
        }
      } else if (o.start_left_clear && rc != kNpos) {
        // A standalone parameter block: an override is indented like the
        // block's default content (the next line's indentation when the start
        // tag ends its line, else the spaces before the start tag).
        n.has_indent = true;
        if (o.start_at_eol) {
          n.indent = o.intrinsic;
        } else {
          n.indent = o.leading;
          n.leading_indent = true;
          n.line_start = true;
          if (o.prev_text >= 0) {
            Node &prev = t_.nodes[static_cast<std::size_t>(o.prev_text)];
            prev.text.len -= o.leading.len;
            if (prev.text.len == 0) prev.line_start = false;
          }
        }
      }
      break;
    default: break;
  }
  open_.pop_back();
}

// Removes `indent` from the start of each line of an argument block. Nested
// argument blocks were handled when they closed and are skipped.
void Compiler::dedent(std::uint32_t begin, std::uint32_t end, std::string_view indent) {
  auto strip = [&](Span &s) {
    std::uint32_t k = 0;
    while (k < s.len && k < indent.size() && src_[s.off + k] == indent[k]) ++k;
    s.off += k;
    s.len -= k;
  };
  for (std::uint32_t i = begin; i < end;) {
    Node &n = t_.nodes[i];
    if (n.op == Op::block && n.argument) {
      i = n.end;
      continue;
    }
    if (n.op == Op::text) {
      dedent_text(n, indent);
    } else if (n.has_indent && n.indent.off + n.indent.len <= src_.size()) {
      strip(n.indent);
    }
    ++i;
  }
}

void Compiler::dedent_text(Node &n, std::string_view indent) {
  std::string_view s = t_.view(n.text);
  std::string out;
  out.reserve(s.size());
  bool at_start = n.line_start;
  for (std::size_t i = 0; i < s.size();) {
    if (at_start) {
      std::size_t k = 0;
      while (k < indent.size() && i + k < s.size() && s[i + k] == indent[k]) ++k;
      i += k;
      at_start = false;
      continue;
    }
    out.push_back(s[i]);
    if (s[i] == '\n') at_start = true;
    ++i;
  }
  if (out.size() == s.size()) return;
  t_.literal_bytes -= s.size() - out.size();
  n.text = Span{static_cast<std::uint32_t>(t_.text.size()), static_cast<std::uint32_t>(out.size())};
  t_.text += out;
}

void check_delimiter(const std::string &delimiter, const char *field) {
  if (delimiter.empty() || delimiter.size() > kMaxDelimiterBytes || has_space(delimiter) ||
      delimiter.find('=') != std::string::npos) {
    throw InvalidInput("delimiter must be 1 to " + std::to_string(kMaxDelimiterBytes) +
                           " bytes, without whitespace or '='",
                       std::string("TemplateOptions::") + field);
  }
}

}  // namespace

Template Template::compile(std::string_view source, const TemplateOptions &options) {
  check_delimiter(options.open_delimiter, "open_delimiter");
  check_delimiter(options.close_delimiter, "close_delimiter");
  if (options.max_depth < 1) throw InvalidInput("must be at least 1", "TemplateOptions::max_depth");
  if (source.size() > kMaxSourceBytes) {
    throw TemplateError("template larger than " + std::to_string(kMaxSourceBytes) + " bytes", 1, 1,
                        {}, options.name);
  }
  auto impl = std::make_shared<Impl>();
  impl->options = options;
  impl->text.assign(source);
  Compiler(source, *impl).run();
  impl->nodes.shrink_to_fit();
  return Template(std::move(impl));
}

const std::string &Template::name() const noexcept {
  static const std::string empty;
  return impl_ ? impl_->options.name : empty;
}

std::vector<TagReference> Template::tag_references() const {
  return impl_ ? impl_->refs : std::vector<TagReference>{};
}

std::vector<std::string> Template::tag_names() const {
  std::vector<std::string> names;
  if (!impl_) return names;
  std::set<std::string_view> seen;
  for (const auto &ref : impl_->refs) {
    if (seen.insert(ref.name).second) names.push_back(ref.name);
  }
  return names;
}

// ---------------------------------------------------------------------------
// Partials

void Partials::add(std::string name, Template tpl) {
  templates_.insert_or_assign(std::move(name), std::move(tpl));
}

void Partials::add(std::string name, std::string_view source, const TemplateOptions &options) {
  TemplateOptions named = options;
  if (named.name.empty()) named.name = name;
  Template tpl = Template::compile(source, named);
  templates_.insert_or_assign(std::move(name), std::move(tpl));
}

const Template *Partials::find(std::string_view name) const noexcept {
  auto it = templates_.find(name);
  return it == templates_.end() ? nullptr : &it->second;
}

}  // namespace complaints
