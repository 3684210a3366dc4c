// Mustache engine: TemplateValue, the compiler (source -> flat node list) and
// the renderer (node list + context -> text).
//
// A compiled template is a flat vector of nodes; containers (sections, parents,
// blocks) store the index one past their last descendant, so the renderer
// walks ranges and recurses only into containers. Text lives in one pool
// string (a copy of the source, plus text rewritten by block dedenting) and
// nodes refer to it by offset, so rendering allocates nothing but the output.
// Context, indentation and inheritance frames are linked lists on the C++
// stack for the same reason.
//
// Whitespace follows the spec: a non-interpolation tag alone on its line
// ("standalone") takes the line with it; a standalone partial or parent
// indents every line of what it expands to. For inheritance we follow the
// spec's tests and its whitespace notes: a parent or parameter block whose
// start tag opens its line and whose end tag closes its line is standalone as
// a pair, and an overriding block is re-indented to the place it fills.
#include "complaints/template_renderer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

#include "domain/check.hpp"

namespace complaints {

// ---------------------------------------------------------------------------
// TemplateError

static std::string template_error_where(int line, int column, const std::string &name) {
  std::string where;
  if (!name.empty()) where = "template '" + check::excerpt(name) + "', ";
  where += "line " + std::to_string(line) + ", column " + std::to_string(column);
  return where;
}

TemplateError::TemplateError(const std::string &message, int line, int column, std::string tag,
                             std::string template_name)
    : InvalidInput(message, template_error_where(line, column, template_name)),
      line_(line),
      column_(column),
      tag_(std::move(tag)),
      template_name_(std::move(template_name)) {}

// ---------------------------------------------------------------------------
// TemplateValue

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

}  // namespace mustache

struct TemplateValue::Body {
  std::vector<TemplateValue> items;                      // list
  std::vector<mustache::Member> members;                 // object: by (hash, key), unique
  std::function<std::string()> lambda0;                  // lambda without text
  std::function<std::string(std::string_view)> lambda1;  // lambda taking the section text
};

namespace {

using mustache::Member;

// Orders by (hash, key); of equal keys keeps the one given last.
std::vector<Member> sorted_members(std::vector<Member> members) {
  std::stable_sort(members.begin(), members.end(), [](const Member &a, const Member &b) {
    return a.hash != b.hash ? a.hash < b.hash : a.key < b.key;
  });
  std::size_t out = 0;
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i + 1 < members.size() && members[i + 1].key == members[i].key) continue;
    if (out != i) members[out] = std::move(members[i]);
    ++out;
  }
  members.resize(out);
  return members;
}

}  // namespace

TemplateValue::TemplateValue(const char *value) {
  if (value != nullptr) {
    kind_ = Kind::string;
    string_ = value;
  }
}

TemplateValue::TemplateValue(std::string_view value) : kind_(Kind::string), string_(value) {}

TemplateValue::TemplateValue(std::string value) noexcept
    : kind_(Kind::string), string_(std::move(value)) {}

TemplateValue TemplateValue::list(std::initializer_list<TemplateValue> items) {
  return list(std::vector<TemplateValue>(items));
}

TemplateValue TemplateValue::list(std::vector<TemplateValue> items) {
  TemplateValue v;
  v.kind_ = Kind::list;
  v.body_ = std::make_shared<Body>();
  v.body_->items = std::move(items);
  return v;
}

TemplateValue TemplateValue::object(
    std::initializer_list<std::pair<std::string_view, TemplateValue>> members) {
  std::vector<Member> copy;
  copy.reserve(members.size());
  for (const auto &m : members) {
    copy.push_back(Member{mustache::hash_key(m.first), std::string(m.first), m.second});
  }
  TemplateValue v;
  v.kind_ = Kind::object;
  v.body_ = std::make_shared<Body>();
  v.body_->members = sorted_members(std::move(copy));
  return v;
}

TemplateValue TemplateValue::object(std::vector<std::pair<std::string, TemplateValue>> members) {
  std::vector<Member> moved;
  moved.reserve(members.size());
  for (auto &m : members) {
    std::uint32_t hash = mustache::hash_key(m.first);
    moved.push_back(Member{hash, std::move(m.first), std::move(m.second)});
  }
  TemplateValue v;
  v.kind_ = Kind::object;
  v.body_ = std::make_shared<Body>();
  v.body_->members = sorted_members(std::move(moved));
  return v;
}

TemplateValue TemplateValue::lambda(std::function<std::string()> fn) {
  TemplateValue v;
  v.kind_ = Kind::lambda;
  v.body_ = std::make_shared<Body>();
  v.body_->lambda0 = std::move(fn);
  return v;
}

TemplateValue TemplateValue::lambda(std::function<std::string(std::string_view)> fn) {
  TemplateValue v;
  v.kind_ = Kind::lambda;
  v.body_ = std::make_shared<Body>();
  v.body_->lambda1 = std::move(fn);
  return v;
}

std::int64_t TemplateValue::as_integer() const noexcept {
  if (kind_ == Kind::integer) return scalar_.integer;
  if (kind_ == Kind::number) {
    // Out-of-range and NaN conversions are undefined behaviour: clamp first.
    double d = scalar_.number;
    if (!(d == d)) return 0;
    if (d >= 9223372036854775807.0) return std::numeric_limits<std::int64_t>::max();
    if (d <= -9223372036854775808.0) return std::numeric_limits<std::int64_t>::min();
    return static_cast<std::int64_t>(d);
  }
  return 0;
}

double TemplateValue::as_double() const noexcept {
  if (kind_ == Kind::number) return scalar_.number;
  if (kind_ == Kind::integer) return static_cast<double>(scalar_.integer);
  return 0.0;
}

std::size_t TemplateValue::size() const noexcept {
  if (kind_ == Kind::list) return body_->items.size();
  if (kind_ == Kind::object) return body_->members.size();
  return 0;
}

const TemplateValue &TemplateValue::operator[](std::size_t index) const {
  if (kind_ != Kind::list) throw InvalidInput("value is not a list");
  if (index >= body_->items.size()) {
    throw InvalidInput("list index " + std::to_string(index) + " out of range (size " +
                       std::to_string(body_->items.size()) + ")");
  }
  return body_->items[index];
}

const TemplateValue *TemplateValue::find(std::string_view key) const noexcept {
  return find_hashed(key, mustache::hash_key(key));
}

const TemplateValue *TemplateValue::find_hashed(std::string_view key,
                                                std::uint32_t hash) const noexcept {
  if (kind_ != Kind::object) return nullptr;
  const auto &members = body_->members;
  // Binary search on the hash alone; keys sharing a hash sit together.
  std::size_t lo = 0;
  std::size_t hi = members.size();
  while (lo < hi) {
    std::size_t mid = (lo + hi) / 2;
    if (members[mid].hash < hash) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  for (; lo < members.size() && members[lo].hash == hash; ++lo) {
    if (std::string_view(members[lo].key) == key) return &members[lo].value;
  }
  return nullptr;
}

TemplateValue::Body &TemplateValue::unique_body() {
  // Copy-on-write: a body shared with other values is cloned before a change.
  if (body_.use_count() != 1) body_ = std::make_shared<Body>(*body_);
  return *body_;
}

void TemplateValue::set(std::string key, TemplateValue value) {
  if (kind_ == Kind::null) {
    kind_ = Kind::object;
    body_ = std::make_shared<Body>();
  }
  if (kind_ != Kind::object) throw InvalidInput("set() on a value that is not an object", key);
  auto &members = unique_body().members;
  const std::uint32_t hash = mustache::hash_key(key);
  auto it = std::lower_bound(members.begin(), members.end(), key,
                             [hash](const Member &m, const std::string &k) {
                               return mustache::member_before(m, hash, k);
                             });
  if (it != members.end() && it->key == key) {
    it->value = std::move(value);
  } else {
    members.insert(it, Member{hash, std::move(key), std::move(value)});
  }
}

void TemplateValue::push_back(TemplateValue value) {
  if (kind_ == Kind::null) {
    kind_ = Kind::list;
    body_ = std::make_shared<Body>();
  }
  if (kind_ != Kind::list) throw InvalidInput("push_back() on a value that is not a list");
  unique_body().items.push_back(std::move(value));
}

std::string TemplateValue::call(std::string_view section_text) const {
  if (kind_ != Kind::lambda) throw InvalidInput("value is not a lambda");
  if (body_->lambda1) return body_->lambda1(section_text);
  if (body_->lambda0) return body_->lambda0();
  return {};
}

// ---------------------------------------------------------------------------
// Compiled form

namespace mustache {

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

using mustache::Name;
using mustache::Node;
using mustache::Op;
using mustache::Part;
using mustache::Span;

struct Template::Impl {
  std::string text;  // the source, then any rewritten text; nodes refer into it
  std::vector<Node> nodes;
  std::vector<Name> names;
  std::vector<Part> parts;
  std::vector<std::pair<std::string, std::string>> delims;  // [0] = the defaults
  std::vector<TagReference> refs;
  TemplateOptions options;
  std::size_t literal_bytes = 0;

  std::string_view view(Span s) const noexcept { return {text.data() + s.off, s.len}; }
};

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

// Parent tags being expanded, innermost first; their argument blocks override
// the blocks of the templates they expand, the outermost parent winning.
struct Frame {
  const Template::Impl *tpl;
  std::uint32_t parent;  // index of the parent node in tpl
  const Frame *outer;
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
    throw TemplateError(std::string("missing ") + what + " " + quoted(name), n.line, n.column, std::string(name),
                        t.options.name);
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
      v = c->value->find_hashed(first, parts[0].hash);
    }
    for (std::uint32_t i = 1; v != nullptr && i < name.part_count; ++i) {
      v = v->find_hashed(t.view(parts[i].text), parts[i].hash);
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
    const Impl &r = *result.impl_;
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
    return p->impl_.get();  // null for a default-constructed Template: renders nothing
  }

  static std::uint32_t find_argument(const Impl &t, std::uint32_t parent, std::string_view name) {
    const Node &p = t.nodes[parent];
    for (std::uint32_t i = parent + 1; i < p.end;) {
      const Node &c = t.nodes[i];
      if (c.op == Op::block && c.argument && t.view(c.text) == name) return i;
      bool container =
          c.op == Op::section || c.op == Op::inverted || c.op == Op::parent || c.op == Op::block;
      i = container ? c.end : i + 1;
    }
    return 0;
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
      const std::size_t size = v->size();
      for (std::size_t k = 0; k < size; ++k) {
        Context item{&(*v)[k], ctx};
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
  std::string_view name = t.view(n.text);
  const Frame *owner = nullptr;
  std::uint32_t found = 0;
  for (const Frame *f = frames; f != nullptr; f = f->outer) {
    std::uint32_t a = find_argument(*f->tpl, f->parent, name);
    if (a != 0) {  // keep looking: the outermost override wins
      owner = f;
      found = a;
    }
  }
  Nest nest(*this, t, n);
  if (owner != nullptr) {
    // The override is rendered where the block stands (its context), indented
    // like the block when the block is standalone.
    Indent mine{t.view(n.indent), indent};
    const Indent *inner = !n.has_indent ? nullptr : n.indent.len == 0 ? indent : &mine;
    if (!n.has_indent && indent != nullptr && n.line_start) write_indent(indent);
    const Impl &o = *owner->tpl;
    render(o, found + 1, o.nodes[found].end, ctx, inner, frames);
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
