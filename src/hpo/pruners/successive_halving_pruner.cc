#include "hpo/pruners/successive_halving_pruner.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "common/json_fields.h"
#include "hpo/options.h"
#include "hpo/pruners/trial_steps.h"

namespace maas::hpo {
namespace {

// min_resource * factor^exponent, saturating (a rung past every step a trial can report).
int64_t rung_step(int64_t min_resource, int64_t factor, int64_t exponent) {
  int64_t step = min_resource;
  for (int64_t i = 0; i < exponent; ++i) {
    if (step > std::numeric_limits<int64_t>::max() / factor) return std::numeric_limits<int64_t>::max();
    step *= factor;
  }
  return step;
}

std::optional<int64_t> estimate_min_resource(const StudyView& study) {
  std::optional<int64_t> highest;
  for (const auto& t : study.trials) {
    if (t.state != TrialState::kComplete || t.intermediate.empty()) continue;
    highest = std::max(highest.value_or(0), t.intermediate.back().first);
  }
  if (!highest) return std::nullopt;
  return std::max<int64_t>(*highest / 100, 1);
}

// Optuna's _is_trial_promotable_to_next_rung.
bool promotable(double value, std::vector<double> competing, int64_t factor, bool maximize) {
  auto index = static_cast<int64_t>(competing.size()) / factor - 1;
  // The first factor - 1 trials of a rung: promoted only when the best so far (trials are not paused and resumed).
  if (index == -1) index = 0;
  std::sort(competing.begin(), competing.end());
  if (maximize) return value >= competing[competing.size() - 1 - static_cast<size_t>(index)];
  return value <= competing[static_cast<size_t>(index)];
}

}  // namespace

bool SuccessiveHalvingPruner::should_prune(const StudyView& study, const Trial& trial, int64_t) const {
  const auto step = last_step(trial);
  if (!step) return false;
  const double value = trial.intermediate.back().second;
  const auto min_resource = options_.min_resource ? options_.min_resource : estimate_min_resource(study);
  if (!min_resource) return false;
  const auto rung_at = [&](int64_t rung) {
    return rung_step(*min_resource, options_.reduction_factor, options_.min_early_stopping_rate + rung);
  };
  // The rungs the trial completed with its earlier reports.
  const int64_t earlier = trial.intermediate.size() >= 2 ? trial.intermediate[trial.intermediate.size() - 2].first : -1;
  int64_t rung = 0;
  while (earlier >= rung_at(rung)) ++rung;
  const bool maximize = study.directions[0] == Direction::kMaximize;
  while (*step >= rung_at(rung)) {
    std::vector<double> competing;
    for (const auto& other : study.trials) {
      if (other.number == trial.number) continue;
      if (const auto v = value_from(other, rung_at(rung))) competing.push_back(*v);
    }
    competing.push_back(value);
    if (static_cast<int64_t>(competing.size()) <= options_.bootstrap_count) return true;
    if (!promotable(value, std::move(competing), options_.reduction_factor, maximize)) return true;
    ++rung;
  }
  return false;
}

Result<std::unique_ptr<Pruner>> make_successive_halving_pruner(const nlohmann::json& config) {
  MAAS_RETURN_IF_ERROR(check_known_fields(
      config, "pruner", {"name", "min_resource", "reduction_factor", "min_early_stopping_rate", "bootstrap_count"}));
  HalvingOptions options;
  MAAS_ASSIGN_OR_RETURN(options.min_resource,
                        option_int_or_auto(config, "pruner", "min_resource", std::nullopt, kMaxPrunerSteps));
  MAAS_ASSIGN_OR_RETURN(options.reduction_factor, option_int(config, "pruner", "reduction_factor", 4, 2, 1000));
  MAAS_ASSIGN_OR_RETURN(options.min_early_stopping_rate,
                        option_int(config, "pruner", "min_early_stopping_rate", 0, 0, 60));
  MAAS_ASSIGN_OR_RETURN(options.bootstrap_count, option_int(config, "pruner", "bootstrap_count", 0, 0, 1'000'000));
  if (options.bootstrap_count > 0 && !options.min_resource) {
    return invalid_argument("'pruner.bootstrap_count' needs an integer 'pruner.min_resource', not \"auto\"");
  }
  return std::unique_ptr<Pruner>(std::make_unique<SuccessiveHalvingPruner>(options));
}

}  // namespace maas::hpo
