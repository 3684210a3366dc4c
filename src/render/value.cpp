// Mustache engine, values: TemplateValue (a copy-on-write tree of scalars,
// lists, objects and lambdas) and TemplateError.
#include <algorithm>
#include <limits>

#include "domain/check.hpp"
#include "render/compiled.hpp"

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
  return mustache::Access::member(*this, key, hash);
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

}  // namespace complaints
