// Desk::Impl and the helpers every Desk operation shares; the operations
// themselves are in desk.cpp (issues, settings, records, outbox),
// desk_holds.cpp, desk_discussion.cpp and the other desk_*.cpp.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <set>

#include <fmt/format.h>

#include "complaints/desk.hpp"
#include "access/access.hpp"
#include "core/op.hpp"
#include "domain/check.hpp"
#include "engine/caches.hpp"
#include "engine/change.hpp"
#include "timeline/chain.hpp"

namespace complaints {

inline constexpr std::string_view initialized_key = "desk.initialized";

inline void check_record_ref(const RecordRef &ref, std::string_view field) {
  if (!record_kind_from_string(to_string(ref.kind)))
    throw InvalidInput("is not a known record kind", std::string(field) + ".kind");
  try {
    check::id(ref.id, "id", limits::id_bytes);
  } catch (const InvalidInput &e) {  // the path is built only for a bad id: payroll runs check one per line
    throw InvalidInput(e.message(), std::string(field) + "." + e.where());
  }
}

inline std::string date_text(const std::optional<Date> &d) { return d ? d->to_string() : ""; }

// A connection that serves reads beside the desk's own (Storage::open_reader),
// with caches of its own so that readers share nothing.
struct Reader {
  std::unique_ptr<Storage> storage;
  engine::Caches caches;
};

// The desk's readers: opened on first need, up to a limit, and reused.
class ReaderPool {
 public:
  // Lends a reader, opening one when none is idle and the limit allows, else
  // waiting for one; nullptr when the desk has none to lend (a limit of 0, or a
  // backend without readers).
  std::unique_ptr<Reader> lend(Storage &storage);
  // Takes a reader back; a reader whose operation failed in storage is closed
  // instead, so the next one starts on a fresh connection.
  void give_back(std::unique_ptr<Reader> reader, bool failed);

  std::size_t limit = 0;

 private:
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Reader>> idle_;
  std::size_t open_ = 0;
  bool unsupported_ = false;
};

// How long to wait before retry `attempt`: a random while, up to 2^attempt
// ms, and never more than 256 ms. Without it the loser of a conflict starts again while the winner's
// next operation is under way, and can lose to it every time. Drawn from
// the system's entropy at each retry, not from a generator seeded once:
// app servers forked from one process would inherit its state (or, seeded
// by thread id, share their main thread's) and wait the same whiles,
// conflicting again in step. A retry is rare; the draw costs microseconds.
inline std::chrono::microseconds retry_wait(int attempt) {
  std::random_device entropy;
  std::uniform_int_distribution<int> us(0, 1000 << std::min(attempt, 8));
  return std::chrono::microseconds(us(entropy));
}

struct Desk::Impl {
  std::unique_ptr<Storage> storage;
  std::shared_ptr<const Clock> clock;
  Events events;
  std::mutex mutex;

  // Workflows, templates, message settings and the calendar, parsed once per settings revision.
  engine::Caches caches;
  std::atomic<std::uint64_t> next_serial = 1;
  ReaderPool readers;

  // Template names a workflow may name: the built-in ones and those saved here.
  static ValidationContext validation_context(StorageTransaction &txn) {
    return ValidationContext{txn.message_template_names()};
  }

  // How many times run() tries an operation whose transaction the backend
  // aborted to keep concurrent ones serializable (TransientStorageError):
  // the waits between them add up to at most about 2.3 s (retry_wait), 1.2 s
  // on average, for an operation that lost every time.
  static constexpr int transient_attempts = 16;

  // Runs `body` in a transaction under the desk lock; commits writes, then fires
  // the events the body collected, after the lock is released. A read runs on
  // a reader of its own when the pool lends one, without the lock. When the
  // backend aborts the transaction for a conflict with a concurrent one
  // (TransientStorageError), the whole body runs again from a fresh
  // transaction, at most transient_attempts times in all; only the attempt
  // that commits fires its events.
  template <typename F>
  auto run(TxnMode mode, F &&body) {
    for (int attempt = 1;; ++attempt) {
      try {
        if (mode == TxnMode::read)
          if (auto reader = readers.lend(*storage)) return run_on(std::move(reader), body);
        return run_once(mode, body);
      } catch (const TransientStorageError &) {
        if (attempt == transient_attempts) throw;
        back_off(attempt);
      }
    }
  }

  static void back_off(int attempt) { std::this_thread::sleep_for(retry_wait(attempt)); }

  template <typename F>
  auto run_once(TxnMode mode, F &body) {
    std::vector<Event> fired;
    auto result = [&] {
      std::lock_guard lock(mutex);
      auto txn = storage->begin(mode);
      // A write starts from the settings as it finds them (one read of the
      // revision) and keeps the users cached across operations; a read looks
      // users up afresh, once each.
      UserCache fresh;
      bool writes = mode == TxnMode::write;
      Op op{*txn, clock->now(), {}, &caches, next_serial++, writes ? &caches.users() : &fresh};
      if (writes) caches.sync(op);
      auto value = body(op);
      txn->commit();
      fired = std::move(op.events);
      return value;
    }();
    for (const auto &e : fired) events.emit(e);
    return result;
  }

  // A read on a lent reader: its caches follow the settings revision as a
  // write's do, since the writes happen on another connection.
  template <typename F>
  auto run_on(std::unique_ptr<Reader> reader, F &body) {
    bool failed = true;
    try {
      std::vector<Event> fired;
      auto result = [&] {
        auto txn = reader->storage->begin(TxnMode::read);
        UserCache fresh;
        Op op{*txn, clock->now(), {}, &reader->caches, next_serial++, &fresh};
        reader->caches.sync(op);
        auto value = body(op);
        txn->commit();
        fired = std::move(op.events);
        return value;
      }();
      failed = false;
      readers.give_back(std::move(reader), false);
      for (const auto &e : fired) events.emit(e);
      return result;
    } catch (const StorageError &) {
      if (failed) readers.give_back(std::move(reader), true);
      throw;
    } catch (...) {
      if (failed) readers.give_back(std::move(reader), false);
      throw;
    }
  }

  // The issue and its record, or NotFound when it does not exist or the actor may not see it.
  static std::pair<IssueRow, Record> visible_issue(StorageTransaction &txn, const Actor &actor, std::string_view code) {
    std::int64_t number = parse_issue_code(code);
    auto found = txn.issue_with_record(number);
    if (!found || !access::sees_issue(actor, found->first.issue, found->second))
      throw NotFound(fmt::format("no issue {}", format_issue_code(number)), "code");
    return *std::move(found);
  }

  // The issue alone, for reads that need no record: staff see every issue, so
  // only other readers pay for loading the record.
  static IssueRow visible_row(StorageTransaction &txn, const Actor &actor, std::string_view code) {
    if (access::needs_record(actor)) return visible_issue(txn, actor, code).first;
    std::int64_t number = parse_issue_code(code);
    auto row = txn.issue(number);
    if (!row) throw NotFound(fmt::format("no issue {}", format_issue_code(number)), "code");
    return *std::move(row);
  }


  // Checks every criterion of `filter` but its limit (InvalidInput naming it;
  // Forbidden at "fields" for a customer) and adds the actor's scope: the
  // issues Desk::list, and everything that lists issues, may show the actor.
  static IssueQuery issue_query(const Actor &actor, const IssueFilter &filter);

  // The issue as `actor` may read it: customers do not see its case fields.
  static Issue seen_by(const Actor &actor, Issue issue) {
    if (actor.role == Role::customer) issue.fields.clear();
    return issue;
  }
  static std::vector<Issue> seen_by(const Actor &actor, std::vector<Issue> issues) {
    if (actor.role == Role::customer)
      for (auto &i : issues) i.fields.clear();
    return issues;
  }

  // The issue's timeline as `actor` may read it (Desk::timeline, Desk::task_case).
  static std::vector<TimelineEntry> timeline_as_seen(const Actor &actor, std::vector<TimelineEntry> entries);

  // desk_discussion.cpp: adding and removing watchers and links.
  std::vector<std::string> change_watchers(const Actor &actor, std::string_view code, std::string_view user_id,
                                           bool add);
  void change_link(const Actor &actor, std::string_view code, std::string_view other, LinkKind kind, bool add);

  static void check_version(const Issue &issue, const std::optional<std::int64_t> &expected) {
    if (expected && *expected != issue.version)
      throw Conflict(fmt::format("issue {} is at version {}, not {}", issue.code, issue.version, *expected),
                     "expected_version");
  }
};

}  // namespace complaints
