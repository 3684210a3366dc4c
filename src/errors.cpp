#include "complaints/errors.hpp"

#include "domain/check.hpp"

namespace complaints {

const char *to_string(Errc code) noexcept {
  switch (code) {
    case Errc::ok: return "ok";
    case Errc::not_found: return "not_found";
    case Errc::forbidden: return "forbidden";
    case Errc::invalid_input: return "invalid_input";
    case Errc::conflict: return "conflict";
    case Errc::invalid_workflow: return "invalid_workflow";
    case Errc::storage: return "storage";
    case Errc::invalid_state: return "invalid_state";
    case Errc::internal: return "internal";
  }
  return "unknown";
}

static std::string located(const std::string &where, const std::string &message) {
  return where.empty() ? message : where + ": " + message;
}

// Message and place are made printable here, whatever a caller passed: a
// host's bytes that a message forgot to excerpt still reach no terminal or
// log raw (SPEC R14).
Error::Error(Errc code, const std::string &message, std::string where)
    : std::runtime_error(""), code_(code), where_(check::printable(where)), message_(check::printable(message)) {
  std::runtime_error::operator=(std::runtime_error(located(where_, message_)));
}

// (InvalidWorkflow's: its message and what() put a newline before each problem.)
Error::Error(Errc code, const std::string &message, std::string where, const std::string &what)
    : std::runtime_error(check::printable(what, true)),
      code_(code),
      where_(check::printable(where)),
      message_(check::printable(message, true)) {}

static std::string summarize(const std::vector<WorkflowProblem> &problems) {
  std::string text = "invalid workflow (" + std::to_string(problems.size()) + " problem" +
                     (problems.size() == 1 ? "" : "s") + ")";
  for (const auto &p : problems) text += "\n  " + check::printable(p.path) + ": " + check::printable(p.message);
  return text;
}

InvalidWorkflow::InvalidWorkflow(std::vector<WorkflowProblem> problems)
    : Error(Errc::invalid_workflow, summarize(problems), problems.empty() ? "" : problems.front().path,
            summarize(problems)),
      problems_(std::move(problems)) {
  for (auto &p : problems_) {
    p.path = check::printable(p.path);
    p.message = check::printable(p.message);
  }
}

}  // namespace complaints
