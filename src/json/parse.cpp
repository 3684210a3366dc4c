#include "json/parse.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "complaints/desk.hpp"
#include "complaints/errors.hpp"
#include "domain/check.hpp"

namespace complaints {

namespace {

using Json = nlohmann::json;

// What was wrong, where, and the parser's byte position (0 when the refusal
// came from the builder, which is not told positions).
struct Problem {
  std::string where;
  std::string what;
  std::size_t byte = 0;
};

// Builds the document from nlohmann's SAX events, as nlohmann's own DOM
// builder does, refusing what that one lets through. For each open
// container it keeps the key or index being read, so a refusal names its
// place; the path is only spelled out when something is refused.
class Builder {
 public:
  Builder(std::string_view text, const JsonNaming &naming) : text_(text), name_(naming) {}

  Json &document() { return root_; }
  Problem &problem() { return problem_; }

  // --- nlohmann's SAX interface ---------------------------------------------------------------
  bool null() { return value(nullptr); }
  bool boolean(bool v) { return value(v); }
  bool number_integer(Json::number_integer_t v) { return value(v); }  // negative: fits int64
  bool number_unsigned(Json::number_unsigned_t v) {
    if (v > static_cast<std::uint64_t>(INT64_MAX)) return refuse(place(), "is beyond the range of a 64-bit integer");
    return value(v);
  }
  bool number_float(Json::number_float_t v, const Json::string_t &literal) {
    // nlohmann reads an integer past 64 bits as a double: a literal without
    // fraction or exponent is such an integer.
    if (literal.find_first_of(".eE") == std::string::npos)
      return refuse(place(), "is beyond the range of a 64-bit integer");
    return value(v);  // finite: nlohmann reports an overflowing double as a parse error
  }
  bool string(Json::string_t &v) { return value(v); }
  bool binary(Json::binary_t &) { return refuse(place(), "is binary data"); }  // (JSON text has none)
  bool start_object(std::size_t) { return open(false); }
  bool end_object() { return close(); }
  bool start_array(std::size_t) { return open(true); }
  bool end_array() { return close(); }

  bool key(Json::string_t &k) {
    Frame &f = frames_[depth_ - 1];
    auto [it, inserted] = f.object->try_emplace(k);
    if (!inserted) {
      std::string at = place();  // the object: no key is being read
      return refuse(append_key(at, k), "is a duplicate key");
    }
    f.key = &it->first;
    f.slot = &it->second;
    return true;
  }

  bool parse_error(std::size_t position, const std::string &, const nlohmann::detail::exception &e) {
    problem_.byte = position;
    std::string_view read = text_.substr(0, std::min(position, text_.size()));
    // Inside an object with no key being read, the failing string is a key.
    bool in_key = depth_ > 0 && !frames_[depth_ - 1].array && !frames_[depth_ - 1].key;
    if (e.id == 406) {  // out_of_range: a number beyond a double
      problem_.where = where(place());
      problem_.what = "is beyond the range of a double";
    } else if (check::utf8_prefix(read) < read.size()) {
      problem_.where = where(place());
      problem_.what = in_key ? "has a key that is not valid UTF-8" : "is not valid UTF-8";
    } else if (!read.empty() && static_cast<unsigned char>(read.back()) < 0x20 && position <= text_.size()) {
      problem_.where = where(place());
      problem_.what = in_key ? "has a key with an unescaped control character" : "has an unescaped control character";
    } else {
      problem_.where = std::string(name_.root);
      problem_.what = name_.workflow ? "malformed JSON" : "is not JSON";
    }
    return false;
  }

 private:
  // An open object or array: where its next value goes, and which one it is.
  struct Frame {
    Json::object_t *object = nullptr;
    Json::array_t *array = nullptr;
    const std::string *key = nullptr;  // object: the key being read (nullptr between keys)
    Json *slot = nullptr;              // object: where that key's value goes
    std::size_t index = 0;             // array: the element being read
  };

  // The new value's home: the root, the current key's slot, or the end of the current array.
  template <typename V>
  Json *place_value(V &&v) {
    if (depth_ == 0) {
      root_ = Json(std::forward<V>(v));
      return &root_;
    }
    Frame &f = frames_[depth_ - 1];
    if (f.array) return &f.array->emplace_back(std::forward<V>(v));
    *f.slot = Json(std::forward<V>(v));
    return f.slot;
  }

  // The current container's value is complete.
  void done() {
    if (depth_ == 0) return;
    Frame &f = frames_[depth_ - 1];
    if (f.array)
      ++f.index;
    else
      f.key = nullptr;
  }

  template <typename V>
  bool value(V &&v) {
    place_value(std::forward<V>(v));
    done();
    return true;
  }

  bool open(bool array) {
    if (depth_ == limits::json_depth)
      return refuse(place(), fmt::format("nests objects and arrays deeper than {} levels", limits::json_depth));
    Json *made = place_value(array ? Json::value_t::array : Json::value_t::object);
    Frame f;
    if (array)
      f.array = made->get_ptr<Json::array_t *>();
    else
      f.object = made->get_ptr<Json::object_t *>();
    frames_[depth_++] = f;
    return true;
  }

  bool close() {
    --depth_;
    done();
    return true;
  }

  static std::string &append_key(std::string &path, std::string_view key) {
    if (!path.empty()) path += '.';
    path += check::excerpt(key);
    return path;
  }

  // The path of the value being read ("" for the root, before the prefix's name).
  std::string place() const {
    std::string path(name_.prefix);
    for (std::size_t i = 0; i < depth_; ++i) {
      const Frame &f = frames_[i];
      if (f.array)
        path += fmt::format("[{}]", f.index);
      else if (f.key)
        append_key(path, *f.key);
      else
        break;  // between keys: the object itself
    }
    return path;
  }

  std::string where(std::string path) const { return path.empty() ? std::string(name_.root) : path; }

  bool refuse(std::string path, std::string what) {
    problem_.where = where(std::move(path));
    problem_.what = std::move(what);
    return false;
  }

  std::string_view text_;
  const JsonNaming &name_;
  Json root_;
  Frame frames_[limits::json_depth];
  std::size_t depth_ = 0;
  Problem problem_;
};

// 1-based line and column of a byte offset, for workflow documents.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

nlohmann::json parse_json(std::string_view text, const JsonNaming &naming) {
  Builder builder(text, naming);
  if (Json::sax_parse(text.data(), text.data() + text.size(), &builder)) return std::move(builder.document());
  Problem &p = builder.problem();
  if (naming.workflow) {
    std::string message = std::move(p.what);
    if (p.byte) {
      auto [line, column] = line_column(text, p.byte - 1);
      message += fmt::format(" at line {}, column {}", line, column);
    }
    throw InvalidWorkflow(std::move(p.where), std::move(message));
  }
  throw InvalidInput(p.byte ? fmt::format("{} (at byte {})", p.what, p.byte) : std::move(p.what), std::move(p.where));
}

}  // namespace complaints
