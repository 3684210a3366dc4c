#include "timeline/chain.hpp"

#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "domain/sha256.hpp"

namespace complaints::chain {

namespace {

void put(std::string &out, std::string_view field) {
  std::uint64_t n = field.size();
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  out.append(field);
}

}  // namespace

std::string hash_entry(const TimelineEntry &e) {
  std::string buf;
  buf.reserve(256 + e.note.size());
  put(buf, e.prev_hash);
  put(buf, e.issue_code);
  put(buf, std::to_string(e.seq));
  put(buf, std::to_string(to_millis(e.at)));
  put(buf, e.actor_id);
  put(buf, to_string(e.actor_role));
  put(buf, e.kind);
  put(buf, e.action);
  put(buf, std::to_string(e.changes.size()));
  for (const auto &c : e.changes) {
    put(buf, c.field);
    put(buf, c.before);
    put(buf, c.after);
  }
  put(buf, e.note);
  put(buf, e.internal ? "1" : "0");
  return crypto::sha256_hex(buf);
}

void link(TimelineEntry &entry, std::int64_t head_seq, const std::string &head_hash) {
  entry.seq = head_seq + 1;
  entry.prev_hash = head_hash;
  entry.hash = hash_entry(entry);
}

ChainCheck verify(const std::vector<TimelineEntry> &entries, std::int64_t head_seq, const std::string &head_hash) {
  ChainCheck out;
  std::string prev;
  std::int64_t expected_seq = 1;
  auto broken = [&](std::int64_t seq, std::string reason) {
    out.ok = false;
    out.broken_seq = seq;
    out.reason = std::move(reason);
    return out;
  };
  for (const auto &e : entries) {
    ++out.entries;
    if (e.seq != expected_seq)
      return broken(expected_seq, fmt::format("entry {} is missing (found {} instead)", expected_seq, e.seq));
    if (e.prev_hash != prev) return broken(e.seq, "does not link to the entry before it");
    if (hash_entry(e) != e.hash) return broken(e.seq, "its content does not match its hash");
    prev = e.hash;
    ++expected_seq;
  }
  // The issue records its newest entry: removing entries from the end breaks here.
  if (head_seq != expected_seq - 1)
    return broken(expected_seq, fmt::format("the issue's timeline ends at entry {}, but {} entries remain",
                                            head_seq, expected_seq - 1));
  if (head_hash != prev) return broken(head_seq, "the newest entry is not the one the issue recorded");
  return out;
}

}  // namespace complaints::chain
