// complaints/errors.hpp - the one exception hierarchy of the library.
//
// Every failure the library reports is a complaints::Error (or a subclass)
// carrying a stable Errc code, a message that says what was wrong, and
// where: the field name, JSON path or template position it concerns.
// Codes are never renumbered; the C API maps them to negative integers.
//
// what(), message() and where() are always valid UTF-8 without control
// characters (but the newline InvalidWorkflow puts before each problem), so
// they are safe to print or log: a host's value quoted in them is an excerpt
// (at most 40 characters, then "...") in which control characters, line and
// paragraph separators, bidirectional controls and bytes that are not UTF-8
// are escaped (\x1b, \u202e, \xff). An Error built by a host is cleaned the
// same way.
//
// Thread-safety: the types here are plain values; safe to copy across threads.
#pragma once

#include "complaints/export.hpp"

#include <string>
#include <stdexcept>
#include <vector>

namespace complaints {

/// Stable error codes. The numeric values are part of the ABI.
enum class Errc : int {
  ok = 0,
  not_found = 1,         ///< no such issue, record, workflow, template... (or not visible to the actor)
  forbidden = 2,         ///< the actor's role or permissions do not allow the operation
  invalid_input = 3,     ///< a value given by the host is malformed, out of range or unknown
  conflict = 4,          ///< the issue changed since the caller read it (stale version)
  invalid_workflow = 5,  ///< a workflow definition is invalid, or uses an effect this build lacks
  storage = 6,           ///< the storage backend failed (I/O, database locked past the timeout...)
  invalid_state = 7,     ///< the operation does not apply to the current state (action not available
                         ///< from this status, a guard failed, a hold cannot be released yet)
  internal = 8,          ///< a bug in the library; please report it
};

/// Short static name of a code, e.g. "not_found". Never returns null.
COMPLAINTS_API const char *to_string(Errc code) noexcept;

/// Base of every exception the library throws.
class COMPLAINTS_API Error : public std::runtime_error {
 public:
  /// `where` names the field, JSON path or position the error concerns; may be empty.
  /// Both are kept made printable (escaped as above).
  Error(Errc code, const std::string &message, std::string where = {});

  Errc code() const noexcept { return code_; }
  /// The field, JSON path or position concerned ("" when not applicable).
  const std::string &where() const noexcept { return where_; }
  /// The message without the location prefix.
  const std::string &message() const noexcept { return message_; }

 protected:
  /// For subclasses whose what() text is composed differently.
  Error(Errc code, const std::string &message, std::string where, const std::string &what);

 private:
  Errc code_;
  std::string where_;
  std::string message_;
};

class COMPLAINTS_API NotFound : public Error {
 public:
  explicit NotFound(const std::string &message, std::string where = {})
      : Error(Errc::not_found, message, std::move(where)) {}
};

class COMPLAINTS_API Forbidden : public Error {
 public:
  explicit Forbidden(const std::string &message, std::string where = {})
      : Error(Errc::forbidden, message, std::move(where)) {}
};

class COMPLAINTS_API InvalidInput : public Error {
 public:
  explicit InvalidInput(const std::string &message, std::string where = {})
      : Error(Errc::invalid_input, message, std::move(where)) {}
};

class COMPLAINTS_API Conflict : public Error {
 public:
  explicit Conflict(const std::string &message, std::string where = {})
      : Error(Errc::conflict, message, std::move(where)) {}
};

class COMPLAINTS_API InvalidState : public Error {
 public:
  explicit InvalidState(const std::string &message, std::string where = {})
      : Error(Errc::invalid_state, message, std::move(where)) {}
};

class COMPLAINTS_API StorageError : public Error {
 public:
  explicit StorageError(const std::string &message, std::string where = {})
      : Error(Errc::storage, message, std::move(where)) {}
};

/// A storage failure that running the same work again from a fresh
/// transaction may cure: the backend aborted the transaction to keep
/// concurrent transactions serializable (PostgreSQL's serialization failure,
/// SQLSTATE 40001, or a deadlock, 40P01). Nothing of the transaction was
/// committed. Desk operations retry it themselves a bounded number of times
/// (docs/architecture.md); a host sees it only when every retry failed.
class COMPLAINTS_API TransientStorageError : public StorageError {
 public:
  explicit TransientStorageError(const std::string &message, std::string where = {})
      : StorageError(message, std::move(where)) {}
};

/// One problem found in a workflow definition.
struct WorkflowProblem {
  std::string path;     ///< JSON path, e.g. "$.actions[2].from[0]"
  std::string message;  ///< what is wrong there
  bool operator==(const WorkflowProblem &) const = default;
};

/// A workflow failed validation. Carries every problem found, not just the first;
/// where() is the path of the first one. Each problem's path and message are
/// made printable too.
class COMPLAINTS_API InvalidWorkflow : public Error {
 public:
  explicit InvalidWorkflow(std::vector<WorkflowProblem> problems);
  /// One problem at one path.
  InvalidWorkflow(std::string path, std::string message)
      : InvalidWorkflow(std::vector<WorkflowProblem>{{std::move(path), std::move(message)}}) {}
  const std::vector<WorkflowProblem> &problems() const noexcept { return problems_; }

 private:
  std::vector<WorkflowProblem> problems_;
};

}  // namespace complaints
