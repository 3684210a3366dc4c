// complaints/events.hpp - in-process notifications of committed changes (SPEC R6.4).
//
// Each kind of event has a Boost.Signals2 signal. A signal fires only after
// the change it describes has committed, on the thread that made the change,
// once the desk's internal lock is released (so a slot may call back into the
// Desk). A rolled-back change fires nothing.
//
// A slot that throws cannot undo or corrupt the committed change: the
// exception is caught, the remaining slots still run, and the exception is
// handed to the error handler (set_error_handler; by default it is dropped
// and only counted by slot_errors()). The operation that caused the event
// still returns normally.
//
// Thread-safety: connecting and disconnecting slots is safe from any thread
// (Signals2 guarantees it); slots may run concurrently when several threads
// change the desk.
#pragma once

#include "complaints/export.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/signals2/signal.hpp>

#include "complaints/event.hpp"

namespace complaints {

namespace detail {
/// Runs every slot even when one throws; passes each exception to the handler.
struct GuardedCombiner {
  using result_type = void;
  std::shared_ptr<std::function<void(const std::exception_ptr &)>> on_error;

  template <typename It>
  void operator()(It first, It last) const {
    for (; first != last; ++first) {
      try {
        *first;
      } catch (...) {
        if (on_error && *on_error) (*on_error)(std::current_exception());
      }
    }
  }
};
}  // namespace detail

class COMPLAINTS_API Events {
 public:
  using Signal = boost::signals2::signal<void(const Event &), detail::GuardedCombiner>;

  Events();
  Events(const Events &) = delete;
  Events &operator=(const Events &) = delete;

  /// The signal of one kind of event.
  Signal &on(EventKind kind) { return *by_kind_[static_cast<std::size_t>(kind)]; }
  /// A signal that fires for every event, after the kind's own signal.
  Signal &any() { return *any_; }

  /// Receives each exception thrown by a slot. Must not throw; set before
  /// connecting slots from other threads.
  void set_error_handler(std::function<void(const std::exception_ptr &)> handler);
  /// Number of exceptions slots have thrown so far.
  std::uint64_t slot_errors() const noexcept { return errors_.load(); }

  /// Fires an event (library use: called after commit).
  void emit(const Event &e);

 private:
  std::shared_ptr<std::function<void(const std::exception_ptr &)>> handler_;
  std::atomic<std::uint64_t> errors_{0};
  std::function<void(const std::exception_ptr &)> user_handler_;
  std::array<std::unique_ptr<Signal>, event_kind_count> by_kind_;
  std::unique_ptr<Signal> any_;
};

}  // namespace complaints
