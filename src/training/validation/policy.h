// A model's validation policy (docs/TRAINING.md#validation-policies), read strictly from a client's body into
// its normalized JSON: the holdout dataset version, its label column, metric thresholds and the champion a new
// version must not be worse than (optionally by a paired bootstrap).
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace maas::training::validation {

// {holdout: {dataset, version, split_column?, split_value?}, label?, thresholds: {metric: {min?, max?}},
//  not_worse_than?: {version, metric?, margin, significance?: {confidence, resamples, seed}}}, defaults filled in
// (version "latest", split_value "test", margin 0, significance's 0.95, 1000, 0). INVALID_ARGUMENT naming the
// field otherwise; a metric must be one train.evaluate reports for some task.
Result<nlohmann::json> parse_policy(const nlohmann::json& body);

// The holdout of a policy as train.evaluate's params for one version of `model`.
nlohmann::json evaluation_params(const nlohmann::json& policy, const std::string& model, int64_t version);

}  // namespace maas::training::validation
