// Validating generated workflows of growing size: the time should grow like
// the document (a ratio near 2 per doubling), not like its square.
//   RESULT workflow_validate n=<statuses + actions> ms=<best of the rounds> ratio=<time / time at n/2>
//   RESULT workflow_validate_growth per_doubling=<geometric mean of the ratios>
// Run: build/release/bench/bench_workflow [--quick] [largest n, default 16000]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "complaints/workflow.hpp"

using namespace complaints;

namespace {

// `n` statuses and actions, half each: statuses in stages of ten plus a closed
// one; actions starting from status lists, categories and anywhere, leading to
// a status, a status input narrowed by categories or by a list, a stage input
// and a stage's status of a category. Every status is reachable and can close.
WorkflowDef generated(std::size_t n) {
  using C = StatusCategory;
  const C in_stage[] = {C::open, C::active, C::pending, C::resolved};
  const std::size_t statuses = n / 2, actions = n - n / 2;
  WorkflowDef def;
  def.name = "generated";
  def.initial = "S0";
  for (std::size_t i = 0; i + 1 < statuses; ++i) {
    def.statuses.push_back({"S" + std::to_string(i), "#808080", i % 10 == 0 ? C::open : in_stage[1 + i % 3]});
    if (i % 10 == 0) def.stages.push_back({"Stage " + std::to_string(i / 10), {}});
    def.stages.back().statuses.push_back(def.statuses.back().name);
  }
  def.statuses.push_back({"Closed", "#808080", C::closed});
  auto input = [](const char *name, InputType type, std::vector<std::string> one_of, std::vector<C> categories) {
    InputDef in;
    in.name = name;
    in.type = type;
    in.required = true;
    in.one_of = std::move(one_of);
    in.categories = std::move(categories);
    return in;
  };
  auto target = [](TargetDef::Kind kind, std::string status, std::string input, C category) {
    return TargetDef{kind, std::move(status), std::move(input), category};
  };
  for (std::size_t i = 0; def.actions.size() < actions; ++i) {
    ActionDef a;
    a.name = "a" + std::to_string(i);
    a.allow = {AllowRule{Role::office, {}}};
    std::string s = "S" + std::to_string(i % (statuses - 1)), t = "S" + std::to_string((i * 7 + 3) % (statuses - 1));
    switch (i % 8) {
      case 0:  // the first stage's first status of any stage
        a.from_any = true;
        a.inputs = {input("stage", InputType::stage, {}, {})};
        a.to = target(TargetDef::Kind::input_stage, "", "stage", C::open);
        break;
      case 1:
      case 2:
      case 3:  // the open status of a stage leads to its other statuses
        a.from_categories = {C::open};
        a.to = target(TargetDef::Kind::stage_category, "", "", in_stage[i % 8]);
        break;
      case 4:
        a.from_categories = {C::open, C::active, C::pending, C::resolved};
        a.to = target(TargetDef::Kind::status, "Closed", "", C::open);
        break;
      case 5:
        a.from = {s, t};
        a.to = target(TargetDef::Kind::status, t, "", C::open);
        break;
      case 6:
        a.from_categories = {C::active, C::resolved};
        a.inputs = {input("status", InputType::status, {}, {C::pending, C::active})};
        a.to = target(TargetDef::Kind::input_status, "", "status", C::open);
        break;
      default:
        a.from = {s};
        a.from_categories = {C::pending};
        a.inputs = {input("status", InputType::status, {s, t}, {})};
        a.to = target(TargetDef::Kind::input_status, "", "status", C::open);
        break;
    }
    def.actions.push_back(std::move(a));
  }
  return def;
}

}  // namespace

int main(int argc, char **argv) {
  bool quick = false;
  std::size_t largest = 16000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) quick = true;
    else largest = std::strtoul(argv[i], nullptr, 10);
  }
  const int rounds = quick ? 1 : 15;
  double previous = 0, log_sum = 0;
  int doublings = 0;
  for (std::size_t n = 1000; n <= largest; n *= 2) {
    WorkflowDef def = generated(n);
    double best = 1e300;
    for (int r = 0; r < rounds; ++r) {
      auto start = std::chrono::steady_clock::now();
      auto problems = Workflow::validate(def);
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      if (!problems.empty()) {
        std::fprintf(stderr, "n=%zu: the generated workflow is invalid: %s: %s\n", n, problems[0].path.c_str(),
                     problems[0].message.c_str());
        return 1;
      }
      best = std::min(best, ms);
    }
    if (previous > 0) {
      std::printf("RESULT workflow_validate n=%zu ms=%.2f ratio=%.2f\n", n, best, best / previous);
      log_sum += std::log(best / previous);
      ++doublings;
    } else {
      std::printf("RESULT workflow_validate n=%zu ms=%.2f\n", n, best);
    }
    std::fflush(stdout);
    previous = best;
  }
  if (doublings > 0) std::printf("RESULT workflow_validate_growth per_doubling=%.2f\n", std::exp(log_sum / doublings));
  return 0;
}
