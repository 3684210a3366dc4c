// cli/cmd_store.cpp - the whole store: verify, due work, the outbox, export, erasure, scrub, backup.
#include <sqlite3.h>

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include "commands.hpp"

namespace complaints::cli {

namespace {

std::string system_error(const std::string &what) { return what + ": " + std::strerror(errno); }

// The "code" and "number" of each issue in a page of complaints_issue_list, read in one pass over
// the text without building the documents (a page is 10,000 issues of a kilobyte each). The text is
// the library's JSON, so it is well-formed; keys of nested objects (a case field named "code") are
// told apart by depth.
std::size_t skim_codes(std::string_view text, std::vector<std::string> &codes, long long &last_number) {
  int depth = 0;
  std::size_t found = 0;
  bool want_code = false, want_number = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '{' || ch == '[') {
      ++depth;
    } else if (ch == '}' || ch == ']') {
      --depth;
    } else if (ch == '"') {
      // A string: a key when a ':' follows it.
      const std::size_t begin = ++i;
      bool escaped = false;
      for (; i < text.size() && (escaped || text[i] != '"'); ++i) escaped = !escaped && text[i] == '\\';
      const std::string_view str = text.substr(begin, i - begin);
      if (want_code) {
        codes.emplace_back(str);  // codes never need unescaping: letters, digits and '-'
        ++found;
        want_code = false;
      } else if (depth == 2 && i + 1 < text.size() && text[i + 1] == ':') {
        want_code = str == "code";
        want_number = str == "number";
      }
    } else if (want_number && ch >= '0' && ch <= '9') {
      std::from_chars(text.data() + i, text.data() + text.size(), last_number);
      while (i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9') ++i;
      want_number = false;
    }
  }
  return found;
}

// The codes of every issue the actor may see, by number, a page of 10,000 at a time.
std::vector<std::string> all_codes(Context &c, complaints_desk *desk) {
  std::vector<std::string> codes;
  json filter{{"limit", 10000}};
  for (;;) {
    const std::string text = filter.dump();
    char *out = nullptr;
    const int rc = complaints_issue_list(desk, &out, c.actor(), text.c_str());
    std::string page = out ? out : "";
    complaints_free(out);
    c.check(rc);
    long long last = 0;
    if (skim_codes(page, codes, last) < 10000) break;
    filter["after_number"] = last;
  }
  return codes;
}

// Verifies every issue's chain (or one): prints what it found; 1 when a chain is broken.
int verify(Context &c, complaints_desk *desk, const std::vector<std::string> &codes, bool one) {
  Progress progress(c.global(), "verify", static_cast<long long>(codes.size()));
  long long entries = 0, done = 0;
  json broken = json::array();
  json single;
  for (const auto &code : codes) {
    char *out = nullptr;
    const int rc = complaints_issue_verify(desk, &out, c.actor(), code.c_str());
    std::string text = out ? out : "";
    complaints_free(out);
    if (rc == COMPLAINTS_ENOTFOUND && !one) {
      progress.set(++done);  // deleted forever since the list was read
      continue;
    }
    c.check(rc);
    // {"ok":true,"entries":N,...}: the common answer is read without building a document.
    constexpr std::string_view intact = "{\"ok\":true,\"entries\":";
    long long n = 0;
    if (!one && text.compare(0, intact.size(), intact) == 0 &&
        std::from_chars(text.data() + intact.size(), text.data() + text.size(), n).ec == std::errc()) {
      entries += n;
    } else {
      json check = json::parse(text);
      entries += check["entries"].get<long long>();
      if (!check["ok"].get<bool>()) {
        check["code"] = code;
        broken.push_back(check);
      }
      if (one) single = std::move(check);
    }
    progress.set(++done);
  }
  progress.finish();
  if (c.json_output()) {
    if (one) c.print_json(single);
    else c.print_json(json{{"issues", done}, {"entries", entries}, {"broken", broken}});
  } else {
    for (const auto &b : broken) {
      std::printf("%s: chain broken at entry %s: %s\n", cell(b["code"]).c_str(), cell(b["broken_seq"]).c_str(),
                  cell(b["reason"]).c_str());
    }
    std::printf("%lld issue%s, %lld timeline entries: %s\n", done, done == 1 ? "" : "s", entries,
                broken.empty() ? "every chain intact" : (std::to_string(broken.size()) + " broken").c_str());
  }
  return broken.empty() ? exit_code::ok : exit_code::problem_found;
}

volatile std::sig_atomic_t stop_requested = 0;
extern "C" void on_stop_signal(int) { stop_requested = 1; }

// Seconds from now to an RFC 3339 UTC instant ("2026-01-05T09:00:00.000Z"); 0 when past.
long long seconds_until(const std::string &instant, const std::string &clock) {
  auto parse = [](const std::string &s) -> long long {
    std::tm tm{};
    if (!strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return 0;
    return static_cast<long long>(timegm(&tm));
  };
  const long long now = clock.empty() ? static_cast<long long>(std::time(nullptr)) : parse(clock);
  const long long at = parse(instant);
  return at > now ? at - now + 1 : 0;
}

// One pass: batches until one comes back short. Prints each batch.
long long run_due_batches(Context &c, complaints_desk *desk, int limit, json *collected) {
  long long ran = 0;
  std::vector<std::vector<std::string>> rows;
  for (;;) {
    const json batch = c.call([&](char **out) { return complaints_due_process(desk, out, c.actor(), limit); });
    for (const auto &item : batch) {
      if (collected) collected->push_back(item);
      rows.push_back({cell(item["issue_code"]), cell(item["kind"]), cell(item["name"]), cell(item["due_at"]),
                      cell(item["outcome"]), cell(item["detail"])});
    }
    ran += static_cast<long long>(batch.size());
    if (static_cast<int>(batch.size()) < limit || stop_requested) break;
  }
  if (!c.json_output() && !rows.empty()) {
    print_table(stdout, {"ISSUE", "KIND", "NAME", "DUE", "OUTCOME", "DETAIL"}, rows);
  }
  return ran;
}

}  // namespace

int run_verify(Context &c) {
  complaints_desk *desk = c.desk();
  if (!c.args().positional.empty()) return verify(c, desk, {c.args().positional[0]}, true);
  return verify(c, desk, all_codes(c, desk), false);
}

int run_process_due(Context &c) {
  const int limit = static_cast<int>(c.args().integer("limit", 1, 10000).value_or(100));
  const long long max_sleep = c.args().integer("max-sleep", 1, 86400).value_or(60);
  const bool loop = c.args().has("loop");
  if (!loop && c.args().has("max-sleep")) throw UsageError{"--max-sleep goes with --loop"};
  complaints_desk *desk = c.desk();
  if (!loop) {
    json items = json::array();
    const long long ran = run_due_batches(c, desk, limit, &items);
    if (c.json_output()) c.print_json(items);
    else if (ran == 0) std::printf("nothing due\n");
    return exit_code::ok;
  }
  // Stop between batches on SIGTERM or SIGINT: the item in hand finishes, nothing is cut short.
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: the sleep below wakes at once
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  while (!stop_requested) {
    json items = json::array();
    run_due_batches(c, desk, limit, c.json_output() ? &items : nullptr);
    if (c.json_output() && !items.empty()) c.print_json(items);
    std::fflush(stdout);
    if (stop_requested) break;
    const json next = c.call([&](char **out) { return complaints_due_next(desk, out, c.actor()); });
    long long wait = max_sleep;
    if (!next["next_due"].is_null()) {
      wait = std::min(max_sleep, seconds_until(next["next_due"].get<std::string>(), c.global().clock));
    }
    // Sleeps in one call that a signal interrupts.
    timespec ts{static_cast<std::time_t>(wait), 0};
    if (wait > 0) nanosleep(&ts, nullptr);
  }
  if (!c.json_output()) std::printf("stopped\n");
  return exit_code::ok;
}

int run_outbox_list(Context &c) {
  const int limit = static_cast<int>(c.args().integer("limit", 1, 10000).value_or(100));
  const long long after = c.args().integer("after", 0, INT64_MAX).value_or(0);
  const json items =
      c.call([&](char **out) { return complaints_outbox_pending(c.desk(), out, c.actor(), limit, after); });
  if (c.json_output()) {
    c.print_json(items);
    return exit_code::ok;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto &i : items) {
    rows.push_back({cell(i["id"]), cell(i["kind"]), cell(i["event"]), cell(i["issue_code"]), cell(i["recipient"]),
                    cell(i["channel"]), cell(i["created_at"]), cell(i["subject"])});
  }
  print_table(stdout, {"ID", "KIND", "EVENT", "ISSUE", "RECIPIENT", "CHANNEL", "CREATED", "SUBJECT"}, rows);
  return exit_code::ok;
}

int run_outbox_ack(Context &c) {
  std::vector<std::int64_t> ids;
  for (const auto &text : c.args().positional) {
    long long id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id < 1) {
      throw UsageError{"'" + text + "' is not an outbox item id"};
    }
    ids.push_back(id);
  }
  std::size_t acked = 0;
  c.check(complaints_outbox_ack(c.desk(), &acked, c.actor(), ids.data(), ids.size()));
  if (c.json_output()) c.print_json(json{{"acked", acked}});
  else std::printf("%zu of %zu acknowledged\n", acked, ids.size());
  return exit_code::ok;
}

namespace {

// Writes the export's chunks to a file (or stdout) and counts its rows for the progress bar.
struct ExportWriter {
  std::FILE *file;
  Progress *progress;
  bool csv;
  bool in_quotes = false;
  bool header_seen = false;
  long long rows = 0;
  int error = 0;
};

extern "C" int export_chunk(void *user, const char *chunk, size_t size) {
  auto *w = static_cast<ExportWriter *>(user);
  if (std::fwrite(chunk, 1, size, w->file) != size) {
    w->error = errno ? errno : EIO;
    return 1;
  }
  for (std::size_t i = 0; i < size; ++i) {
    const char ch = chunk[i];
    if (w->csv && ch == '"') w->in_quotes = !w->in_quotes;
    if (ch == '\n' && !w->in_quotes) {
      if (w->csv && !w->header_seen) w->header_seen = true;
      else ++w->rows;
    }
  }
  w->progress->set(w->rows);
  return 0;
}

}  // namespace

int run_export(Context &c) {
  json options = list_filter(c.args());
  const std::string format = c.args().value("format").value_or("csv");
  if (format != "csv" && format != "json_lines") throw UsageError{"--format: csv or json_lines"};
  options["format"] = format;
  if (auto p = c.args().integer("page-issues", 1, 10000)) options["page_issues"] = *p;
  const std::string path = c.args().positional[0];
  const bool to_stdout = path == "-";
  complaints_desk *desk = c.desk();
  const std::string partial = path + ".partial";
  std::FILE *file = to_stdout ? stdout : std::fopen(partial.c_str(), "wb");
  if (!file) throw Failure{exit_code::system, system_error(partial)};
  Progress progress(c.global(), "export", 0);
  ExportWriter writer{file, &progress, format == "csv"};
  char *summary_text = nullptr;
  const std::string text = options.dump();
  const int rc = complaints_export_callback(desk, &summary_text, c.actor(), text.c_str(), export_chunk, &writer);
  std::string summary_doc = summary_text ? summary_text : "";
  complaints_free(summary_text);
  bool written = rc == COMPLAINTS_OK && std::fflush(file) == 0;
  if (!to_stdout) {
    written = written && fsync(fileno(file)) == 0;
    written = (std::fclose(file) == 0) && written;
    if (written && std::rename(partial.c_str(), path.c_str()) != 0) written = false;
    if (!written) std::remove(partial.c_str());
  }
  progress.finish();
  if (writer.error) throw Failure{exit_code::system, path + ": " + std::strerror(writer.error)};
  c.check(rc);
  if (!written) throw Failure{exit_code::system, system_error(path)};
  const json summary = json::parse(summary_doc);
  if (to_stdout) return exit_code::ok;
  if (c.json_output()) c.print_json(summary);
  else std::printf("%s rows to %s\n", cell(summary["rows"]).c_str(), path.c_str());
  return exit_code::ok;
}

int run_delete_forever(Context &c) {
  const complaints_actor *actor = c.named_actor();
  const char *code = c.args().positional[0].c_str();
  const json deleted = c.call([&](char **out) { return complaints_issue_delete(c.desk(), out, actor, code); });
  if (c.json_output()) {
    c.print_json(deleted);
  } else {
    std::printf("%s deleted forever: %s comments, %s attachments, %s timeline entries, %s outbox items%s\n", code,
                cell(deleted["comments"]).c_str(), cell(deleted["attachments"]).c_str(),
                cell(deleted["timeline_entries"]).c_str(), cell(deleted["outbox_items"]).c_str(),
                deleted["files_scrubbed"].get<bool>() ? "; files scrubbed"
                                                      : "; scrub owed (another connection reads): run `complaints scrub`");
    for (const auto &key : deleted["storage_keys"]) std::printf("delete the attachment file %s\n", cell(key).c_str());
  }
  return exit_code::ok;
}

int run_scrub(Context &c) {
  int scrubbed = 0;
  c.check(complaints_desk_scrub(c.desk(), &scrubbed));
  if (c.json_output()) c.print_json(json{{"scrubbed", scrubbed == 1}});
  else std::printf(scrubbed ? "scrubbed\n" : "not yet: another connection's read holds the old pages; run again\n");
  return scrubbed ? exit_code::ok : exit_code::problem_found;
}

namespace {

struct SqliteClose {
  void operator()(sqlite3 *db) const { sqlite3_close(db); }
};
using SqlitePtr = std::unique_ptr<sqlite3, SqliteClose>;

SqlitePtr open_sqlite(const std::string &path, int flags, std::string &error) {
  sqlite3 *db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  SqlitePtr owned(db);
  if (rc != SQLITE_OK) {
    error = path + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
    owned.reset();
  }
  return owned;
}

}  // namespace

int run_backup(Context &c) {
  if (!c.global().postgres.empty()) {
    throw UsageError{"backup copies a SQLite file; back PostgreSQL up with pg_dump or pg_basebackup"};
  }
  const std::string &source = c.global().db;
  const std::string target = c.args().positional[0];
  std::error_code ec;
  if (!std::filesystem::exists(source, ec)) {
    throw Failure{exit_code::of_library(COMPLAINTS_ENOTFOUND), "db: '" + source + "' does not exist"};
  }
  if (std::filesystem::equivalent(source, target, ec)) throw UsageError{"FILE is the database itself"};
  const std::string partial = target + ".partial";
  std::filesystem::remove(partial, ec);
  std::string error;
  SqlitePtr src = open_sqlite(source, SQLITE_OPEN_READONLY, error);
  SqlitePtr dst = src ? open_sqlite(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error) : nullptr;
  int rc = SQLITE_ERROR;
  if (src && dst) {
    sqlite3_busy_timeout(src.get(), 10000);
    // One read transaction on the source for the whole copy: the copy is the database as of its
    // start, whatever other connections write meanwhile (in WAL mode they are not blocked).
    rc = sqlite3_exec(src.get(), "BEGIN; SELECT count(*) FROM sqlite_schema;", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) error = source + ": " + sqlite3_errmsg(src.get());
  }
  if (rc == SQLITE_OK) {
    sqlite3_backup *backup = sqlite3_backup_init(dst.get(), "main", src.get(), "main");
    if (!backup) {
      error = partial + ": " + sqlite3_errmsg(dst.get());
      rc = SQLITE_ERROR;
    } else {
      std::optional<Progress> progress;
      while ((rc = sqlite3_backup_step(backup, 1024)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        if (rc != SQLITE_OK) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (!progress) progress.emplace(c.global(), "backup (pages)", sqlite3_backup_pagecount(backup));
        progress->set(sqlite3_backup_pagecount(backup) - sqlite3_backup_remaining(backup));
      }
      if (progress && rc == SQLITE_DONE) {
        progress->set(sqlite3_backup_pagecount(backup));
        progress->finish();
      }
      sqlite3_backup_finish(backup);
      if (rc != SQLITE_DONE) error = partial + ": " + sqlite3_errmsg(dst.get());
    }
    sqlite3_exec(src.get(), "COMMIT", nullptr, nullptr, nullptr);
  }
  // Closing the copy syncs it; only a complete copy takes the target's name.
  const bool closed = !dst || sqlite3_close(dst.release()) == SQLITE_OK;
  if (rc != SQLITE_DONE || !closed) {
    std::filesystem::remove(partial, ec);
    throw Failure{exit_code::of_library(COMPLAINTS_ESTORAGE), "backup: " + (error.empty() ? partial : error)};
  }
  if (std::rename(partial.c_str(), target.c_str()) != 0) {
    std::filesystem::remove(partial, ec);
    throw Failure{exit_code::system, system_error(target)};
  }
  if (!c.json_output()) std::printf("copied %s to %s\n", source.c_str(), target.c_str());
  if (c.args().has("no-verify")) {
    if (c.json_output()) c.print_json(json{{"backup", target}});
    return exit_code::ok;
  }
  // Verify the copy, read-only, as a restore would find it.
  Global copy_global = c.global();
  copy_global.db = target;
  static const Command verify_copy{"verify", "", "", {}, 0, 0, Store::read, run_verify};
  Context copy(copy_global, verify_copy, Args{});
  complaints_desk *desk = copy.desk();
  return verify(copy, desk, all_codes(copy, desk), false);
}

}  // namespace complaints::cli
