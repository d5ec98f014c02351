// Lookups in a trial's intermediate values (ascending steps, one value each), shared by the pruners.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

#include "hpo/trial.h"

namespace maas::hpo {

// One past the steps a trial may report in Optuna's pruners: bounds every resource option.
inline constexpr int64_t kMaxPrunerSteps = int64_t{1} << 40;

// The highest step the trial reported (Optuna's last_step); nullopt when none.
inline std::optional<int64_t> last_step(const Trial& trial) {
  if (trial.intermediate.empty()) return std::nullopt;
  return trial.intermediate.back().first;
}

// The value reported at exactly `step`.
inline std::optional<double> value_at(const Trial& trial, int64_t step) {
  const auto it = std::lower_bound(trial.intermediate.begin(), trial.intermediate.end(), step,
                                   [](const auto& entry, int64_t s) { return entry.first < s; });
  if (it == trial.intermediate.end() || it->first != step) return std::nullopt;
  return it->second;
}

// The value at the first step at or after `step`.
inline std::optional<double> value_from(const Trial& trial, int64_t step) {
  const auto it = std::lower_bound(trial.intermediate.begin(), trial.intermediate.end(), step,
                                   [](const auto& entry, int64_t s) { return entry.first < s; });
  if (it == trial.intermediate.end()) return std::nullopt;
  return it->second;
}

}  // namespace maas::hpo
