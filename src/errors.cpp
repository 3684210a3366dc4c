#include "complaints/errors.hpp"

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

Error::Error(Errc code, const std::string &message, std::string where)
    : std::runtime_error(located(where, message)),
      code_(code),
      where_(std::move(where)),
      message_(message) {}

Error::Error(Errc code, const std::string &message, std::string where, const std::string &what)
    : std::runtime_error(what), code_(code), where_(std::move(where)), message_(message) {}

static std::string summarize(const std::vector<WorkflowProblem> &problems) {
  std::string text = "invalid workflow (" + std::to_string(problems.size()) + " problem" +
                     (problems.size() == 1 ? "" : "s") + ")";
  for (const auto &p : problems) text += "\n  " + p.path + ": " + p.message;
  return text;
}

InvalidWorkflow::InvalidWorkflow(std::vector<WorkflowProblem> problems)
    : Error(Errc::invalid_workflow, summarize(problems), problems.empty() ? "" : problems.front().path,
            summarize(problems)),
      problems_(std::move(problems)) {}

}  // namespace complaints
