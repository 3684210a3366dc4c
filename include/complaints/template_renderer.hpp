// complaints/template_renderer.hpp - Mustache templates for customer emails.
//
// A template is compiled once (Template::compile) and rendered many times
// against a TemplateValue context. The engine follows the Mustache spec
// (interpolation, sections, inverted sections, comments, partials, set
// delimiters) and its optional modules for lambdas, template inheritance
// ({{<parent}}{{$block}}...{{/block}}{{/parent}}) and dynamic names
// ({{>*name}}). Values are HTML-escaped by default.
//
// Typical use:
//
//   auto layout = Template::compile(layout_source, {.name = "layout"});
//   Partials partials;
//   partials.add("layout", layout);
//   auto email = Template::compile(email_source, {.name = "refund_email"});
//   std::string body = email.render(
//       TemplateValue::object({{"first_name", "Ann"}, {"amount", 12.5}}), &partials);
//
// Thread-safety: a Template and a Partials set are immutable once built and may
// be rendered from many threads at once. TemplateValue is a value type: const
// use from many threads is safe; lambdas stored in it are called from the
// rendering thread and must be safe for however the host shares them.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "complaints/errors.hpp"
#include "complaints/export.hpp"

namespace complaints {

namespace mustache {
struct Access;  // internal: what the engine's parts read of these classes
}

/// A template failed to compile or render: malformed syntax, a missing tag or
/// partial in strict mode, or a limit exceeded. what() reads
/// "line 3, column 7: unclosed section 'items'", prefixed by "template 'name', "
/// when the template has a name. Lines and columns are 1-based; columns count
/// UTF-8 code points (each byte that is not a UTF-8 continuation byte).
class COMPLAINTS_API TemplateError : public InvalidInput {
 public:
  TemplateError(const std::string &message, int line, int column, std::string tag = {},
                std::string template_name = {});

  int line() const noexcept { return line_; }
  int column() const noexcept { return column_; }
  /// The tag name concerned (a missing tag or partial, an unclosed section); may be empty.
  const std::string &tag() const noexcept { return tag_; }
  /// TemplateOptions::name of the template the error is in; may be empty.
  const std::string &template_name() const noexcept { return template_name_; }

 private:
  int line_;
  int column_;
  std::string tag_;
  std::string template_name_;
};

/// The data a template is rendered against: null, bool, integer, double,
/// string, list, object (string keys) or lambda. Copying is cheap for lists,
/// objects and lambdas (their contents are shared, copy-on-write).
///
/// Build contexts with the implicit constructors and the factories:
///   TemplateValue::object({{"name", "Ann"},
///                          {"items", TemplateValue::list({"a", "b"})}})
///
/// Interpolated, a string is written as it is (then escaped), a number in its
/// shortest exact form ("42", "12.5"), a boolean as "true" or "false"; null,
/// lists and objects write nothing.
///
/// Truthiness (sections): null, false, 0, 0.0, NaN, "" and the empty list are
/// falsy; everything else, including an empty object and any lambda, is truthy.
class COMPLAINTS_API TemplateValue {
 public:
  enum class Kind : std::uint8_t { null, boolean, integer, number, string, list, object, lambda };

  TemplateValue() noexcept {}
  TemplateValue(std::nullptr_t) noexcept {}
  TemplateValue(bool value) noexcept : kind_(Kind::boolean) { scalar_.boolean = value; }
  /// Any integer type but bool and the character types. Unsigned values above
  /// INT64_MAX are stored as a double.
  template <typename T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char> &&
             !std::is_same_v<T, wchar_t> && !std::is_same_v<T, char8_t> &&
             !std::is_same_v<T, char16_t> && !std::is_same_v<T, char32_t>)
  TemplateValue(T value) noexcept {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
      if (value > static_cast<T>(INT64_MAX)) {
        kind_ = Kind::number;
        scalar_.number = static_cast<double>(value);
        return;
      }
    }
    kind_ = Kind::integer;
    scalar_.integer = static_cast<std::int64_t>(value);
  }
  TemplateValue(double value) noexcept : kind_(Kind::number) { scalar_.number = value; }
  /// A null pointer gives a null value.
  TemplateValue(const char *value);
  TemplateValue(std::string_view value);
  TemplateValue(std::string value) noexcept;

  /// A list; sections iterate over it.
  static TemplateValue list(std::initializer_list<TemplateValue> items);
  static TemplateValue list(std::vector<TemplateValue> items);
  /// An object. When a key appears twice the later value wins.
  static TemplateValue object(
      std::initializer_list<std::pair<std::string_view, TemplateValue>> members);
  static TemplateValue object(std::vector<std::pair<std::string, TemplateValue>> members);

  /// A lambda (Mustache spec, ~lambdas). In an interpolation tag ({{name}}) it
  /// is called and its result is rendered as a template with the default
  /// delimiters, then escaped unless the tag is {{{name}}} or {{&name}}. In a
  /// section ({{#name}}...{{/name}}) the one-argument form receives the raw,
  /// unrendered text between the tags (without the tags' own lines when they
  /// stand alone; the zero-argument form is simply called) and its
  /// result is rendered, with the delimiters in force, in place of the
  /// section. An inverted section treats a lambda as truthy and never calls
  /// it. The one-argument form receives "" in an interpolation tag.
  /// Exceptions thrown by `fn` propagate out of render() unchanged.
  static TemplateValue lambda(std::function<std::string()> fn);
  static TemplateValue lambda(std::function<std::string(std::string_view section_text)> fn);

  Kind kind() const noexcept { return kind_; }
  bool is_null() const noexcept { return kind_ == Kind::null; }
  /// The value of a boolean; false for any other kind.
  bool as_bool() const noexcept { return kind_ == Kind::boolean && scalar_.boolean; }
  /// The value of an integer (a double is truncated); 0 for other kinds.
  std::int64_t as_integer() const noexcept;
  /// The value of a number or integer; 0.0 for other kinds.
  double as_double() const noexcept;
  /// The text of a string; "" for other kinds. Valid while this value lives unchanged.
  std::string_view as_string() const noexcept {
    return kind_ == Kind::string ? std::string_view(string_) : std::string_view();
  }

  /// Items of a list or members of an object; 0 for other kinds.
  std::size_t size() const noexcept;
  /// Item `index` of a list. Throws InvalidInput when this is not a list or
  /// the index is out of range.
  const TemplateValue &operator[](std::size_t index) const;
  /// Member `key` of an object, or nullptr (also when this is not an object).
  /// The pointer is valid while this value lives unchanged.
  const TemplateValue *find(std::string_view key) const noexcept;

  /// Sets member `key` of an object (a null value becomes an empty object
  /// first). Throws InvalidInput for any other kind.
  void set(std::string key, TemplateValue value);
  /// Appends to a list (a null value becomes an empty list first). Throws
  /// InvalidInput for any other kind.
  void push_back(TemplateValue value);

  /// Calls a lambda with `section_text` (ignored by the zero-argument form).
  /// Throws InvalidInput when this is not a lambda; exceptions of the callable propagate.
  std::string call(std::string_view section_text) const;

 private:
  friend struct mustache::Access;
  struct Body;
  Body &unique_body();
  const TemplateValue *find_hashed(std::string_view key, std::uint32_t hash) const noexcept;

  Kind kind_ = Kind::null;
  union Scalar {
    bool boolean;
    std::int64_t integer;
    double number;
  } scalar_{};
  std::string string_;
  std::shared_ptr<Body> body_;  // list, object or lambda; shared between copies
};

/// How a template is compiled and rendered.
struct COMPLAINTS_API TemplateOptions {
  /// The delimiters in force at the start of the template (and for lambda
  /// results in interpolation tags). 1 to 32 bytes, without whitespace or '='
  /// (set-delimiter tags obey the same rule).
  /// With "{" and "}", {name} is escaped, {{name}} is raw and sections read
  /// {#items}...{/items}; write a literal brace through a set-delimiter tag
  /// ({=<% %>=} ... <%={ }=%>).
  std::string open_delimiter = "{{";
  std::string close_delimiter = "}}";
  /// HTML-escape & < > " ' in {{name}} tags. Off for plain-text output.
  bool escape_html = true;
  /// Strict mode: a tag whose name is missing from the context (including a
  /// section, an inverted section, a dotted name with a missing or null part
  /// on the way, or a dynamic name), and a partial or parent missing from
  /// Partials, throw TemplateError instead of rendering empty. A tag whose
  /// value is present but null renders empty as usual.
  bool strict = false;
  /// Names the template in error messages ("template 'refund_email', line 3, ...").
  std::string name;
  /// Deepest nesting of sections allowed in the source, and of sections,
  /// partials, parents, blocks and lambdas at render time (counted from the
  /// template render() is called on). Guards the stack against deep or
  /// recursive templates. Must be at least 1.
  int max_depth = 100;
  /// Most template nodes one render() may visit (each section iteration and
  /// partial expansion counts); guards against templates whose work grows
  /// exponentially (partials that include themselves twice, nested sections
  /// over the same list). 0 means unlimited.
  std::uint64_t max_render_steps = 50'000'000;
};

/// One tag of a template that reads the context: {{name}}, {{{name}}},
/// {{&name}}, {{#name}}, {{^name}}, and the name after '*' in {{>*name}} and
/// {{<*name}}.
struct COMPLAINTS_API TagReference {
  std::string name;  ///< as written, e.g. "customer.first_name"
  int line = 0;      ///< 1-based
  int column = 0;    ///< 1-based, in code points
  bool operator==(const TagReference &) const = default;
};

class Partials;

/// A compiled template. Cheap to copy (the compiled form is shared and
/// immutable). A default-constructed Template renders "".
///
/// Thread-safety: all const methods may be called concurrently.
class COMPLAINTS_API Template {
 public:
  Template() = default;

  /// Compiles `source` (any bytes: invalid UTF-8 and NUL are copied through).
  /// Throws TemplateError for malformed syntax: an unclosed tag or section, a
  /// closing tag that does not match, an empty or invalid tag name, a bad
  /// set-delimiter tag, sections nested deeper than options.max_depth.
  /// Throws InvalidInput for invalid options (delimiters, max_depth).
  static Template compile(std::string_view source, const TemplateOptions &options = {});

  /// Renders against `context`, expanding {{>name}} and {{<name}} from
  /// `partials` (may be null: no partials). Missing tags and partials render
  /// empty unless the template is strict. Throws TemplateError for a strict
  /// miss, a limit exceeded (max_depth, max_render_steps) or a lambda result
  /// that does not compile; exceptions thrown by lambdas propagate. Neither the
  /// template, the context nor `partials` are modified.
  std::string render(const TemplateValue &context, const Partials *partials = nullptr) const;

  /// As render(), appending to `out` (reuse one buffer across renders to avoid
  /// allocating). If it throws, `out` is restored to its size on entry.
  void render_to(std::string &out, const TemplateValue &context,
                 const Partials *partials = nullptr) const;

  /// Distinct names of the context the template reads (see TagReference), in
  /// order of first appearance, dotted names as written, including those inside
  /// sections, blocks and parent tags. Excludes the implicit iterator ".",
  /// partial and block names. For checking templates against a catalogue of
  /// merge tags.
  std::vector<std::string> tag_names() const;
  /// Every such tag with its position, in source order (duplicates included).
  std::vector<TagReference> tag_references() const;

  /// TemplateOptions::name given at compile time.
  const std::string &name() const noexcept;

  struct Impl;  // internal

 private:
  friend struct mustache::Access;
  explicit Template(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

/// Named templates for {{>name}} partials and {{<name}} parents.
///
/// Thread-safety: const methods may be called concurrently; add() must not
/// run concurrently with anything else on the same object.
class COMPLAINTS_API Partials {
 public:
  /// Adds or replaces the template called `name`.
  void add(std::string name, Template tpl);
  /// Compiles `source` and adds it as `name` (options.name defaults to
  /// `name`). Throws TemplateError as Template::compile does.
  void add(std::string name, std::string_view source, const TemplateOptions &options = {});

  /// The template called `name`, or nullptr. Valid until the next add().
  const Template *find(std::string_view name) const noexcept;
  std::size_t size() const noexcept { return templates_.size(); }

 private:
  std::map<std::string, Template, std::less<>> templates_;
};

}  // namespace complaints
