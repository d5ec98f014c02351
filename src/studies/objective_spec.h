// A built-in objective: `"objective": {"kind": "train.cv", "params": {...}, "metric": "logloss", "parallel": 2}` —
// each trial a train.cv job whose params are `params` with the trial's parameters filled in (objective_params), its
// rounds' `test-<metric>-mean` reported as intermediate values and its final one told. Pure; no I/O.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "hpo/search_space.h"

namespace maas::studies {

inline constexpr int64_t kMaxObjectiveParallel = 64;

// The objective read strictly and normalized ({kind, params, metric, parallel}); INVALID_ARGUMENT naming the field.
// Needs one objective.
Result<nlohmann::json> parse_objective(const nlohmann::json& objective, const hpo::SearchSpace& space,
                                       size_t objectives);

// The job params of a trial: a searched parameter named like a train.cv field (num_boost_round,
// early_stopping_rounds) sets that field; any other sets the XGBoost learner parameter of that name (params.params).
nlohmann::json objective_params(const nlohmann::json& objective, const nlohmann::json& trial_params);

// The progress-metric and curve key a round's value is read from: "test-<metric>-mean".
std::string objective_metric_key(const nlohmann::json& objective);

}  // namespace maas::studies
