// A model's retraining policy (docs/TRAINING.md#retraining), read strictly from a client's body into its
// normalized JSON: the recipe (a training kind and its params), the dataset whose newest version each run trains
// on, the triggers (a cron schedule, an alert rule firing, a new dataset version), the canary plan through the
// gateway, and the minimum interval between runs.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas::training::retrain {

// {from_version, recipe?: {kind, params}, dataset?, triggers: {schedule?, alert?, dataset?}, canary?: {service,
// weight, interval_seconds, max_error_rate, max_p99_ms, min_requests}, min_interval_seconds}, defaults filled in
// (from_version "latest", weight 10, interval 30 s, max_error_rate 0.05, max_p99_ms 0, min_requests 20,
// min_interval_seconds 3600). INVALID_ARGUMENT naming the field otherwise; `min_interval_seconds` below
// `floor_seconds` (the server's retraining.min_interval_floor_ms) is refused.
Result<nlohmann::json> parse_retrain_policy(const nlohmann::json& body, int64_t floor_seconds);

// The gateway's canary block for a new version of `model` under the policy's plan.
nlohmann::json canary_block(const nlohmann::json& plan, const std::string& model, int64_t version);

}  // namespace maas::training::retrain
