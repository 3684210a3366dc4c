#include "workflow/catalog.hpp"

#include <algorithm>
#include <array>

namespace complaints::wf {

namespace {

constexpr std::array<std::string_view, 4> templates = {
    "acknowledgement", "complaint_details", "final_resolution", "open_complaints_reminder"};

// Named by seed 003's workflows, run once tasks exist (SPEC R8.4).
constexpr std::array<std::string_view, 3> planned = {"create_task", "no_open_tasks", "mandatory_tasks_done"};

}  // namespace

bool is_planned(std::string_view name) noexcept {
  return std::find(planned.begin(), planned.end(), name) != planned.end();
}

bool is_known_guard(std::string_view) noexcept { return false; }

std::span<const std::string_view> builtin_templates() noexcept { return templates; }

}  // namespace complaints::wf
