// Internal to the library and its own tools (not installed, not exported):
// C handles and the C++ Desk they wrap, and what every translation unit of
// the C API shares: the guard that turns exceptions into codes and messages,
// the argument checks and the JSON output. The C API fuzz target opens each
// input's desk over a copy of a store it set up once, and reads the store's
// dump and verifies timelines through the Desk around calls made through
// complaints.h.
#pragma once

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "complaints.h"
#include "complaints/actor.hpp"
#include "complaints/clock.hpp"
#include "complaints/desk.hpp"
#include "complaints/errors.hpp"
#include "complaints/storage.hpp"
#include "domain/check.hpp"
#include "json/json.hpp"

struct complaints_actor {
  complaints::Actor actor;
};

namespace complaints::capi {

// What a failed call left for complaints_desk_errmsg / errwhere.
struct Failure {
  std::string message;
  std::string where;
};

// A handle's last failure. Written under the mutex; readers take a reference
// to the immutable Failure, so a message stays readable after another thread
// replaces it.
struct ErrorSlot {
  std::atomic<bool> set{false};
  std::mutex mutex;
  std::shared_ptr<const Failure> failure;

  void record(std::shared_ptr<const Failure> f) {
    std::lock_guard lock(mutex);
    failure = std::move(f);
    set.store(true, std::memory_order_release);
  }
  void clear() {
    if (!set.load(std::memory_order_acquire)) return;  // the common case: nothing to do
    std::lock_guard lock(mutex);
    failure.reset();
    set.store(false, std::memory_order_release);
  }
  std::shared_ptr<const Failure> get() {
    if (!set.load(std::memory_order_acquire)) return nullptr;
    std::lock_guard lock(mutex);
    return failure;
  }
};

}  // namespace complaints::capi

// What every handle on one open desk shares (complaints.cpp): the Desk, its
// clock and the event subscriptions. It closes with its last handle.
struct complaints_store;

// A handle: the shared store plus this handle's own last failure.
struct complaints_desk {
  explicit complaints_desk(std::shared_ptr<complaints_store> s);
  std::shared_ptr<complaints_store> store;
  complaints::Desk &desk;
  complaints::capi::ErrorSlot error;
};

namespace complaints::capi {

/// The Desk behind `handle` (which must be a live handle, not NULL); it lives
/// as long as the store's last handle.
Desk &desk_of(complaints_desk *handle) noexcept;

/// A handle on a new desk over `storage`, as complaints_desk_open_* make one:
/// with `clock` (may be null: the system clock) as the clock
/// complaints_desk_set_clock moves. Close it with complaints_desk_close.
/// Throws what the Desk constructor throws.
complaints_desk *open_desk(std::unique_ptr<Storage> storage, std::shared_ptr<ManualClock> clock);

// Failures of calls made without a handle (a NULL desk, or the functions that
// take none), for complaints_desk_errmsg(NULL) and the char **errmsg outputs.
// One variable for every translation unit of the C API.
inline thread_local std::shared_ptr<const Failure> handleless_failure;

// A NULL or unknown argument: the host misused the API.
// Its text reads like an Error's: "where: message".
class Misuse : public std::exception {
 public:
  Misuse(const std::string &message, std::string where)
      : where_(std::move(where)), what_(where_.empty() ? message : where_ + ": " + message) {}
  const char *what() const noexcept override { return what_.c_str(); }
  const std::string &where() const { return where_; }

 private:
  std::string where_;
  std::string what_;
};

inline int code_of(Errc c) {
  switch (c) {
    case Errc::ok: return COMPLAINTS_OK;
    case Errc::not_found: return COMPLAINTS_ENOTFOUND;
    case Errc::forbidden: return COMPLAINTS_EFORBIDDEN;
    case Errc::invalid_input: return COMPLAINTS_EINVALID;
    case Errc::conflict: return COMPLAINTS_ECONFLICT;
    case Errc::invalid_workflow: return COMPLAINTS_EWORKFLOW;
    case Errc::storage: return COMPLAINTS_ESTORAGE;
    case Errc::invalid_state: return COMPLAINTS_ESTATE;
    case Errc::internal: return COMPLAINTS_EINTERNAL;
  }
  return COMPLAINTS_EINTERNAL;
}

inline int fail(complaints_desk *desk, int code, std::string message, std::string where) noexcept {
  try {
    if (desk)
      desk->error.record(std::make_shared<const Failure>(Failure{std::move(message), std::move(where)}));
    else
      handleless_failure = std::make_shared<const Failure>(Failure{std::move(message), std::move(where)});
  } catch (...) {
    // Out of memory while reporting: the code still says what happened.
    if (desk)
      desk->error.clear();
    else
      handleless_failure.reset();
  }
  return code;
}

// Runs `body`, turning every exception into a code and a message on the
// handle (or, without one, the thread's): no exception crosses the C API. A
// success clears that message, unless `keep_message` (a call that only reads
// the handle).
template <typename F>
int shielded(complaints_desk *desk, F &&body, bool keep_message = false) noexcept {
  try {
    body();
    if (keep_message) return COMPLAINTS_OK;
    if (desk)
      desk->error.clear();
    else
      handleless_failure.reset();  // a function that takes no handle succeeded
    return COMPLAINTS_OK;
  } catch (const Error &e) {
    return fail(desk, code_of(e.code()), e.what(), e.where());
  } catch (const Misuse &e) {
    return fail(desk, COMPLAINTS_EMISUSE, e.what(), e.where());
  } catch (const std::bad_alloc &) {
    return fail(desk, COMPLAINTS_ENOMEM, "out of memory", "");
  } catch (const std::exception &e) {  // (its text is no Error's: make it printable here)
    return fail(desk, COMPLAINTS_EINTERNAL, "internal error: " + check::printable(e.what()), "");
  } catch (...) {
    return fail(desk, COMPLAINTS_EINTERNAL, "internal error", "");
  }
}

template <typename T>
T &need(T *p, const char *name) {
  if (!p) throw Misuse("must not be NULL", name);
  return *p;
}

inline std::string_view need_text(const char *p, const char *name) {
  if (!p) throw Misuse("must not be NULL", name);
  return p;
}

// Clears an output pointer at entry, so a failing call always leaves it NULL.
template <typename T>
T **out_param(T **out, const char *name) {
  need(out, name);
  *out = nullptr;
  return out;
}

inline char *dup(const std::string &s) {
  auto *p = static_cast<char *>(std::malloc(s.size() + 1));
  if (!p) throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size() + 1);
  return p;
}

// Writes `value` as JSON into *out. The document is built in a per-thread
// buffer kept between calls, so each call allocates only the copy it returns.
// shielded() for a function that takes no handle and reports through an
// optional char **errmsg. (Messages already name the place: "options.sync: ...".)
template <typename F>
int shielded_handleless(char **errmsg, F &&body) noexcept {
  if (errmsg) *errmsg = nullptr;
  int rc = shielded(nullptr, std::forward<F>(body));
  if (rc != COMPLAINTS_OK && errmsg && handleless_failure) {
    const std::string &m = handleless_failure->message;
    if (auto *text = static_cast<char *>(std::malloc(m.size() + 1))) {
      std::memcpy(text, m.c_str(), m.size() + 1);
      *errmsg = text;
    }
  }
  return rc;
}

template <typename T>
void give(char **out, const T &value) {
  thread_local std::string buffer;
  buffer.clear();
  json::Writer w(buffer);
  json::write(w, value);
  *out = dup(w.finish());
  if (buffer.capacity() > (1 << 20)) std::string().swap(buffer);  // do not keep a huge document alive
}

// Copies an attachment's bytes into *out (malloc'd, the caller's) and *len;
// InvalidState when the host keeps the file (a storage key).
inline void give_bytes(unsigned char **out, size_t *len, const Attachment &a) {
  if (!a.storage_key.empty())
    throw InvalidState(fmt::format("attachment {} is kept by the host under '{}'", a.id, check::excerpt(a.storage_key)),
                       "id");
  auto *p = static_cast<unsigned char *>(std::malloc(a.bytes.empty() ? 1 : a.bytes.size()));
  if (!p) throw std::bad_alloc();
  std::memcpy(p, a.bytes.data(), a.bytes.size());
  *out = p;
  *len = a.bytes.size();
}

inline const Actor &actor_of(const complaints_actor *a) { return need(a, "actor").actor; }

// A C `limit`: the Desk checks its range (0 and below are refused with the
// same message as one too large).
inline std::size_t count_of(int limit) { return limit < 0 ? 0 : static_cast<std::size_t>(limit); }

inline nlohmann::json doc(const char *text, const char *name) { return json::parse(need_text(text, name), name); }

}  // namespace complaints::capi
