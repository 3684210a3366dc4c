#include "workflow/catalog.hpp"

#include <array>
#include <charconv>

#include "complaints/workflow.hpp"

namespace complaints::wf {

namespace {

const std::vector<EffectSpec> &specs() {
  static const std::vector<EffectSpec> table = {
      // Payment holds (SPEC R4): withhold the responsible (or all assigned) fieldworkers' payout,
      // release it where the actor may, or reapply holds released earlier.
      {"withhold", {{"fieldworkers", ParamKind::choice, false, {"responsible", "all"}}}},
      {"release", {}},
      {"reapply", {}},
      // Customer messages (SPEC R7): queue a templated message.
      {"send_template",
       {{"template", ParamKind::template_name, true, {}},
        {"to", ParamKind::choice, false, {"customer", "fieldworkers"}}}},
      // SLAs (SPEC R8.3).
      {"sla",
       {{"op", ParamKind::choice, true, {"start", "stop", "pause", "resume", "reset"}},
        {"sla", ParamKind::text, true, {}},
        {"within", ParamKind::duration, false, {}},
        {"business_days", ParamKind::boolean, false, {}}}},
      // Timers (SPEC R8.1): take an action later as the system actor.
      {"set_timer",
       {{"timer", ParamKind::text, true, {}},
        {"after", ParamKind::duration, true, {}},
        {"action", ParamKind::action_name, true, {}}}},
      {"cancel_timer", {{"timer", ParamKind::text, true, {}}}},
      // Case ownership (seed 003/004).
      {"assign", {{"input", ParamKind::user_input, true, {}}}},
      {"unassign", {}},
      // Tasks (SPEC R8.4).
      {"create_task",
       {{"task", ParamKind::text, true, {}},
        {"group", ParamKind::text, false, {}},
        {"mandatory", ParamKind::boolean, false, {}}}},
      // Follow-up appointment date (seed 001: scheduling a follow-up).
      {"set_follow_up", {{"input", ParamKind::date_input, true, {}}}},
  };
  return table;
}

constexpr std::array<std::string_view, 4> templates = {
    "acknowledgement", "complaint_details", "final_resolution", "open_complaints_reminder"};

}  // namespace

const EffectSpec *effect_spec(std::string_view type) noexcept {
  for (const auto &s : specs())
    if (s.type == type) return &s;
  return nullptr;
}

std::span<const EffectSpec> effect_specs() noexcept { return specs(); }

bool is_known_guard(std::string_view name) noexcept {
  return name == guard::no_open_tasks || name == guard::mandatory_tasks_done;
}

std::span<const std::string_view> builtin_templates() noexcept { return templates; }

std::optional<std::chrono::minutes> parse_duration(std::string_view text) noexcept {
  if (text.size() < 2) return std::nullopt;
  char unit = text.back();
  std::string_view digits = text.substr(0, text.size() - 1);
  long long n = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || n <= 0) return std::nullopt;
  long long minutes = unit == 'm' ? n : unit == 'h' ? n * 60 : unit == 'd' ? n * 1440 : -1;
  if (minutes <= 0 || minutes > 10LL * 366 * 1440) return std::nullopt;
  return std::chrono::minutes(minutes);
}

}  // namespace complaints::wf
