// What the fuzz targets check after each input besides "no crash" (issue 11,
// item 12): a silent corruption is a crash too. Each check that fails calls
// finding(), which prints what broke and aborts, so libFuzzer keeps the input
// and a replay fails.
//
//  - Only complaints::Error may escape the C++ API, and never one with
//    Errc::internal (the C API's COMPLAINTS_EINTERNAL).
//  - An error's message is not empty, and it and its place are printable
//    (valid UTF-8 without control characters; what the headers promise).
//  - A refused call leaves the store's dump (Desk::dump) exactly as it was,
//    and fires no event.
//  - Every issue's timeline chain verifies (Desk::verify_timeline).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "complaints/complaints.hpp"

namespace fuzz {

/// Prints "fuzz finding: <what>" and <detail> to stderr, then aborts.
[[noreturn]] void finding(std::string_view what, std::string_view detail = {});

/// Valid UTF-8 with no C0 (but '\n' where `newlines`), DEL, C1, U+2028/U+2029
/// or bidirectional control characters. An oracle of its own: it does not
/// call the library's check::printable it judges.
bool printable(std::string_view text, bool newlines = false);

/// A refusal as the headers promise it: a code other than ok and internal, a
/// message that is not empty, message and place printable.
void check_error(const complaints::Error &e);

/// Counts the events a desk fires, to tell whether a call fired any.
class EventCount {
 public:
  explicit EventCount(complaints::Desk &desk);
  std::uint64_t count() const { return count_; }

 private:
  std::uint64_t count_ = 0;
  boost::signals2::scoped_connection connection_;
};

/// Verifies the timeline chain of every issue on the desk (as `staff`, who
/// must see them all).
void check_chains(complaints::Desk &desk, const complaints::Actor &staff);

/// The checks around one refused call: the dump it started from, and the
/// number of events fired before it.
struct Before {
  std::string dump;
  std::uint64_t events;
};
Before before(complaints::Desk &desk, const EventCount &events);
/// A refused call (`what` names it) changed nothing and fired nothing.
void check_refusal(complaints::Desk &desk, const EventCount &events, const Before &b, std::string_view what);

/// Runs `call` (a call of the C++ API on `desk`, named `what`). A
/// complaints::Error is a refusal: checked as above, and run() returns false.
/// Any other exception is a finding. Returns true when the call succeeded.
template <typename F>
bool run(complaints::Desk &desk, const EventCount &events, std::string_view what, F &&call) {
  Before b = before(desk, events);
  try {
    std::forward<F>(call)();
    return true;
  } catch (const complaints::Error &e) {
    check_error(e);
    check_refusal(desk, events, b, what);
    return false;
  } catch (const std::exception &e) {
    finding(std::string(what) + ": an exception that is not a complaints::Error escaped", e.what());
  } catch (...) {
    finding(std::string(what) + ": an exception that is not a std::exception escaped");
  }
}

}  // namespace fuzz
