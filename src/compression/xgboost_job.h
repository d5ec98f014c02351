// The executor of compress.xgboost, built into maas-job: predicts the holdout with the first k rounds of the source
// model for every k (xgboost's iteration_range), keeps the fewest rounds whose metric is within the tolerance of the
// best, and writes those rounds as a model of their own (XGBoosterSlice). maasd's half (xgboost_kind.h) registers it.
//
// Thread-safety: runs on the job's thread.
#pragma once

#include "jobs/executor.h"

namespace maas::compression {

inline constexpr const char* kCompressXgboostKind = "compress.xgboost";

// Params: what train.evaluate's validate makes of the model and the holdout, plus framework, source_bytes,
// metric? (default: log_loss for classifiers, rmse for regression, ndcg for ranking) and tolerance.
// Result: {model_file, metrics: {"holdout:<name>": value} of the trimmed model, report: {size_bytes, latency,
// rounds, metric: {name, higher_is_better, tolerance, best, best_rounds, chosen, curve}, metrics_before}}.
Status run_compress_xgboost(jobs::JobContext& job);

}  // namespace maas::compression
