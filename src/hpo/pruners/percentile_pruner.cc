#include "hpo/pruners/percentile_pruner.h"

#include <algorithm>
#include <cmath>

#include "common/json_fields.h"
#include "hpo/options.h"
#include "hpo/pruners/trial_steps.h"

namespace maas::hpo {
namespace {

// Optuna's _is_first_in_interval_step: no earlier report of the trial lies in the interval of `step`.
bool first_in_interval(const Trial& trial, int64_t step, int64_t warmup, int64_t interval) {
  const int64_t nearest_lower = (step - warmup) / interval * interval + warmup;
  int64_t second_last = -1;
  for (const auto& [s, value] : trial.intermediate) {
    if (s > second_last && s != step) second_last = s;
  }
  return second_last < nearest_lower;
}

}  // namespace

double numpy_percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double position = (static_cast<double>(values.size()) - 1) * q / 100.0;
  const auto below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, values.size() - 1);
  const double t = position - static_cast<double>(below);
  const double a = values[below];
  const double b = values[above];
  // numpy's _lerp: from the nearer end, so that t = 1 gives b exactly.
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

bool PercentilePruner::should_prune(const StudyView& study, const Trial& trial, int64_t) const {
  int64_t complete = 0;
  for (const auto& t : study.trials) complete += t.state == TrialState::kComplete ? 1 : 0;
  if (complete == 0 || complete < options_.n_startup_trials) return false;
  const auto last = last_step(trial);
  if (!last || *last < options_.n_warmup_steps) return false;
  if (!first_in_interval(trial, *last, options_.n_warmup_steps, options_.interval_steps)) return false;
  const bool maximize = study.directions[0] == Direction::kMaximize;
  double best = trial.intermediate.front().second;
  for (const auto& [s, value] : trial.intermediate) best = maximize ? std::max(best, value) : std::min(best, value);
  std::vector<double> at_step;
  for (const auto& t : study.trials) {
    if (t.state != TrialState::kComplete) continue;
    if (const auto value = value_at(t, *last)) at_step.push_back(*value);
  }
  if (at_step.empty() || static_cast<int64_t>(at_step.size()) < options_.n_min_trials) return false;
  const double p = numpy_percentile(std::move(at_step), maximize ? 100 - options_.percentile : options_.percentile);
  return maximize ? best < p : best > p;
}

Result<std::unique_ptr<Pruner>> make_percentile_pruner(const nlohmann::json& config, bool median) {
  const char* name = median ? "median" : "percentile";
  if (median) {
    MAAS_RETURN_IF_ERROR(check_known_fields(
        config, "pruner", {"name", "n_startup_trials", "n_warmup_steps", "interval_steps", "n_min_trials"}));
  } else {
    MAAS_RETURN_IF_ERROR(check_known_fields(
        config, "pruner",
        {"name", "percentile", "n_startup_trials", "n_warmup_steps", "interval_steps", "n_min_trials"}));
    if (!config.contains("percentile")) return invalid_argument("'pruner.percentile' is required (0 to 100)");
  }
  PercentileOptions options;
  MAAS_ASSIGN_OR_RETURN(options.percentile, option_number(config, "pruner", "percentile", 50, 0, 100));
  MAAS_ASSIGN_OR_RETURN(options.n_startup_trials,
                        option_int(config, "pruner", "n_startup_trials", 5, 0, kMaxPrunerSteps));
  MAAS_ASSIGN_OR_RETURN(options.n_warmup_steps, option_int(config, "pruner", "n_warmup_steps", 0, 0, kMaxPrunerSteps));
  MAAS_ASSIGN_OR_RETURN(options.interval_steps, option_int(config, "pruner", "interval_steps", 1, 1, kMaxPrunerSteps));
  MAAS_ASSIGN_OR_RETURN(options.n_min_trials, option_int(config, "pruner", "n_min_trials", 1, 1, kMaxPrunerSteps));
  return std::unique_ptr<Pruner>(std::make_unique<PercentilePruner>(name, options));
}

}  // namespace maas::hpo
