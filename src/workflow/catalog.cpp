#include "workflow/catalog.hpp"

#include <algorithm>
#include <array>

namespace complaints::wf {

namespace {

constexpr std::array<std::string_view, 4> templates = {
    "acknowledgement", "complaint_details", "final_resolution", "open_complaints_reminder"};

// The guards the engine runs (engine::act).
constexpr std::array<std::string_view, 2> guards = {guard::no_open_tasks, guard::mandatory_tasks_done};

}  // namespace

bool is_known_guard(std::string_view name) noexcept {
  return std::find(guards.begin(), guards.end(), name) != guards.end();
}

std::span<const std::string_view> builtin_templates() noexcept { return templates; }

}  // namespace complaints::wf
