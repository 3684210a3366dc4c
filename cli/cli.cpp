// cli/cli.cpp - what every command shares: options, the desk, errors, output.
#include "cli.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>

namespace complaints::cli {

namespace {

long long now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// Open options as the C API reads them.
std::string open_options(const Global &g, Store store) {
  json o = json::object();
  if (!g.clock.empty()) o["clock"] = g.clock;
  if (!g.postgres.empty()) {
    if (!g.schema.empty()) o["schema"] = g.schema;
    if (store != Store::create) o["create_schema"] = false;
  } else if (store == Store::read) {
    o["read_only"] = true;
  }
  return o.dump();
}

// UTF-8 code points counted for alignment; bytes below 0x20 and 0x7f escaped.
std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      static const char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::size_t display_width(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// At most `width` code points, the last one an ellipsis when cut.
std::string cut(const std::string &s, std::size_t width) {
  if (display_width(s) <= width) return s;
  std::size_t points = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (points == width - 1) break;
      ++points;
    }
  }
  return s.substr(0, i) + "\xE2\x80\xA6";
}

}  // namespace

std::optional<std::string> Args::value(std::string_view name) const {
  auto it = values.find(name);
  if (it == values.end()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::all(std::string_view name) const {
  auto it = values.find(name);
  return it == values.end() ? std::vector<std::string>{} : it->second;
}

std::optional<long long> Args::integer(std::string_view name, long long lo, long long hi) const {
  auto v = value(name);
  if (!v) return std::nullopt;
  long long n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < lo || n > hi) {
    throw UsageError{"--" + std::string(name) + ": '" + printable(*v) + "' is not a whole number from " +
                     std::to_string(lo) + " to " + std::to_string(hi)};
  }
  return n;
}

Context::Context(const Global &global, const Command &command, Args args)
    : global_(global), command_(command), args_(std::move(args)) {
  char *err = nullptr;
  const int code = complaints_actor_new(&actor_, global_.actor_id.c_str(), global_.role, global_.permissions, &err);
  if (code != COMPLAINTS_OK) {
    std::string message = err ? err : complaints_strerror(code);
    complaints_free(err);
    throw Failure{exit_code::of_library(code), "--as: " + message};
  }
}

Context::~Context() {
  complaints_desk_close(desk_);
  complaints_actor_free(actor_);
}

complaints_desk *Context::desk() {
  if (desk_) return desk_;
  const Store store = command_.store;
  const std::string options = open_options(global_, store);
  char *err = nullptr;
  int code;
  if (!global_.postgres.empty()) {
    code = complaints_desk_open_postgres(&desk_, global_.postgres.c_str(), options.c_str(), &err);
  } else {
    // Only init creates a database: anything else on a missing file is an error, and no file appears.
    std::error_code ec;
    if (store != Store::create && !std::filesystem::exists(global_.db, ec)) {
      throw Failure{exit_code::of_library(COMPLAINTS_ENOTFOUND),
                    "db: '" + printable(global_.db) + "' does not exist (create it with `complaints init`)"};
    }
    code = complaints_desk_open_sqlite(&desk_, global_.db.c_str(), options.c_str(), &err);
  }
  if (code != COMPLAINTS_OK) {
    std::string message = err ? err : complaints_strerror(code);
    complaints_free(err);
    desk_ = nullptr;
    throw Failure{exit_code::of_library(code), "open: " + message};
  }
  return desk_;
}

const complaints_actor *Context::named_actor() const {
  if (!global_.actor_given) {
    throw UsageError{std::string(command_.name) + " needs a named actor: --as ID --role ROLE [--perm ...]"};
  }
  return actor_;
}

void Context::check(int code) const {
  if (code == COMPLAINTS_OK) return;
  std::string message = desk_ ? complaints_desk_errmsg(desk_) : "";
  if (message.empty()) message = complaints_strerror(code);
  const char *where = desk_ ? complaints_desk_errwhere(desk_) : "";
  std::string text = std::string(complaints_strerror(code)) + ": " + message;
  if (where && *where && message.find(where) == std::string::npos) text += " (at " + std::string(where) + ")";
  throw Failure{exit_code::of_library(code), text};
}

void Context::print_json(const json &doc) const {
  std::string text = doc.dump(-1, ' ', false, json::error_handler_t::replace);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
}

std::string cell(const json &value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

void print_table(std::FILE *out, const std::vector<std::string> &header,
                 const std::vector<std::vector<std::string>> &rows, std::size_t max_width) {
  std::vector<std::vector<std::string>> shown;
  shown.reserve(rows.size() + 1);
  shown.push_back(header);
  for (const auto &row : rows) {
    std::vector<std::string> r;
    for (const auto &c : row) r.push_back(cut(printable(c), max_width));
    shown.push_back(std::move(r));
  }
  std::vector<std::size_t> widths(header.size(), 0);
  for (const auto &row : shown) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  }
  for (const auto &row : shown) {
    std::string line;
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - display_width(row[i]) + 2, ' ');
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), out);
  }
}

Progress::Progress(const Global &global, std::string label, long long total)
    : enabled_(global.progress && isatty(STDERR_FILENO) == 1), label_(std::move(label)), total_(total),
      started_ms_(now_ms()) {}

Progress::~Progress() {
  if (!finished_ && enabled_ && drawn_ms_ >= 0) std::fputc('\n', stderr);
}

void Progress::set(long long done) {
  done_ = done;
  if (!enabled_) return;
  const long long now = now_ms();
  if (drawn_ms_ >= 0 && now - drawn_ms_ < 100) return;
  drawn_ms_ = now;
  draw(false);
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (!enabled_) return;
  draw(true);
  std::fputc('\n', stderr);
}

void Progress::draw(bool final) {
  constexpr int bar = 30;
  const double seconds = static_cast<double>(now_ms() - started_ms_) / 1000.0;
  const double rate = seconds > 0 ? static_cast<double>(done_) / seconds : 0.0;
  std::string line = "\r" + label_ + " ";
  if (total_ > 0) {
    const long long filled = std::min<long long>(bar, done_ * bar / total_);
    line += "[" + std::string(static_cast<std::size_t>(filled), '#') +
            std::string(static_cast<std::size_t>(bar - filled), '.') + "] ";
    line += std::to_string(done_) + "/" + std::to_string(total_);
    line += " (" + std::to_string(done_ * 100 / total_) + "%)";
  } else {
    line += std::to_string(done_);
  }
  char tail[64];
  std::snprintf(tail, sizeof tail, " %.0f/s%s", rate, final ? "" : "   ");
  line += tail;
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace complaints::cli
