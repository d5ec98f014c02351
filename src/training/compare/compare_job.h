// The executor of train.compare jobs, run in maas-job: two registered XGBoost model versions predict the same
// holdout rows (train.evaluate's reading, one table per model since their features may differ), then a paired
// bootstrap (paired_bootstrap.h) compares one metric of the two: each one's value, the difference, its confidence
// interval and p-value, and which model wins (or a tie).
//
// Thread-safety: runs on the job's thread.
#pragma once

#include "jobs/executor.h"

namespace maas::training::compare {

inline constexpr const char* kCompareKind = "train.compare";

// Params (compare_kind's validate): {a, b: evaluate_kind's normalized params, metric, resamples, seed, confidence}.
// Result: {metric, higher_is_better, a: {model, version, value}, b: {...}, difference, ci: [low, high],
// confidence, p_value, resamples, used_resamples, seed, rows, dataset, winner: "a" | "b" | "tie"}.
Status run_compare(jobs::JobContext& job);

}  // namespace maas::training::compare
