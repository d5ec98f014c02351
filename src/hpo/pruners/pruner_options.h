// Reading a pruner's options from its config object (`{"name": "median", "n_startup_trials": 5, ...}`): integers in a
// range with a default, errors naming the field. Shared by the pruners in this folder.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/status.h"

namespace maas::hpo {

// `config[field]` as an integer in [min, max]; `fallback` when absent or null.
Result<int64_t> pruner_int(const nlohmann::json& config, const char* field, int64_t fallback, int64_t min, int64_t max);
// `config[field]` as a number in [min, max]; `fallback` when absent or null.
Result<double> pruner_number(const nlohmann::json& config, const char* field, double fallback, double min, double max);
// An integer in [1, max], or nullopt for "auto"; `fallback` when absent or null.
Result<std::optional<int64_t>> pruner_int_or_auto(const nlohmann::json& config, const char* field,
                                                  std::optional<int64_t> fallback, int64_t max);

// One past the steps a trial may report in Optuna's pruners: bounds every resource option.
inline constexpr int64_t kMaxPrunerSteps = int64_t{1} << 40;

}  // namespace maas::hpo
