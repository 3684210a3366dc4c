// The invariants every fuzz target checks (invariants.hpp).
#include "invariants.hpp"

#include <cstdio>
#include <cstdlib>

namespace fuzz {

void finding(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "fuzz finding: %.*s\n", static_cast<int>(what.size()), what.data());
  if (!detail.empty()) std::fprintf(stderr, "%.*s\n", static_cast<int>(detail.size()), detail.data());
  std::fflush(stderr);
  std::abort();
}

namespace {

// Every byte outside printable ASCII as \xNN: the report of a text that failed printable().
std::string escaped(std::string_view text) {
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7f) {
      out += ch;
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return out;
}

}  // namespace

bool printable(std::string_view text, bool newlines) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = byte(i);
    if (c < 0x80) {
      if ((c < 0x20 && !(newlines && c == '\n')) || c == 0x7f) return false;
      ++i;
      continue;
    }
    std::size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
    if (n == 0 || c > 0xf4 || i + n > text.size()) return false;
    std::uint32_t cp = c & (0x3fu >> (n - 1));
    for (std::size_t k = 1; k < n; ++k) {
      if ((byte(i + k) & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (byte(i + k) & 0x3f);
    }
    static constexpr std::uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;  // overlong, surrogate
    if (cp >= 0x80 && cp <= 0x9f) return false;                                          // C1
    if (cp == 0x2028 || cp == 0x2029 || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
        (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
      return false;  // separators, bidirectional controls
    i += n;
  }
  return true;
}

void check_error(const complaints::Error &e) {
  if (e.code() == complaints::Errc::internal) finding("an internal error", e.what());
  if (e.code() == complaints::Errc::ok) finding("an error with code ok", e.what());
  if (e.message().empty()) finding("an error without a message", e.where());
  // InvalidWorkflow puts a newline before each problem; nothing else may hold one.
  bool newlines = e.code() == complaints::Errc::invalid_workflow;
  if (!printable(e.what(), newlines) || !printable(e.message(), newlines))
    finding("an error message that is not printable", escaped(e.what()));
  if (!printable(e.where())) finding("an error place that is not printable", escaped(e.where()));
}

EventCount::EventCount(complaints::Desk &desk)
    : connection_(desk.events().any().connect([this](const complaints::Event &) { ++count_; })) {}

void check_chains(complaints::Desk &desk, const complaints::Actor &staff) {
  complaints::IssueFilter all;
  all.limit = 10000;
  for (const complaints::Issue &issue : desk.list(staff, all)) {
    complaints::ChainCheck c = desk.verify_timeline(staff, issue.code);
    if (!c.ok) finding("a timeline chain does not verify: " + issue.code, c.reason);
  }
}

Before before(complaints::Desk &desk, const EventCount &events) { return {desk.dump(), events.count()}; }

void check_refusal(complaints::Desk &desk, const EventCount &events, const Before &b, std::string_view what) {
  if (events.count() != b.events) finding(std::string(what) + ": a refused call fired an event");
  std::string after = desk.dump();
  if (after != b.dump) {
    // The first difference, to start the diagnosis from.
    std::size_t at = 0;
    while (at < after.size() && at < b.dump.size() && after[at] == b.dump[at]) ++at;
    std::size_t from = at > 200 ? at - 200 : 0;
    finding(std::string(what) + ": a refused call changed the store",
            "before: ..." + b.dump.substr(from, 400) + "\nafter:  ..." + after.substr(from, 400));
  }
}

}  // namespace fuzz
