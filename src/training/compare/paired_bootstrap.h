// A paired bootstrap comparison of two models' predictions over the same labelled rows: each resample draws the
// rows with replacement (numpy's RandomState(seed).randint(0, rows, rows), so numpy can repeat it) and computes
// one metric for both models on those rows; the differences give a percentile confidence interval and a two-sided
// p-value (docs/TRAINING.md, train.compare).
//
// Thread-safety: a pure function.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "training/evaluation.h"

namespace maas::training::compare {

struct BootstrapOptions {
  std::string metric;  // a name training/evaluation.h reports for the task
  int64_t resamples = 1000;
  uint32_t seed = 0;
  double confidence = 0.95;
};

struct BootstrapResult {
  double a = 0;  // the metric of each model on all the rows
  double b = 0;
  double difference = 0;  // b - a
  double ci_low = 0;      // percentiles of the resampled differences (numpy's linear interpolation)
  double ci_high = 0;
  // 2 x the share of resamples whose difference is not of the observed difference's sign, at most 1 (1 when the
  // observed difference is 0).
  double p_value = 1;
  int64_t used = 0;  // resamples on which the metric was defined for both models
  bool higher_is_better = true;
};

// The metrics a comparison may use for a task (what training/evaluation.h reports), the first the default.
std::vector<std::string> comparable_metrics(Task task);

// Called every 100 resamples with how many are done; returning false stops the comparison (UNAVAILABLE).
using ResampleProgress = std::function<bool(int64_t done)>;

// INVALID_ARGUMENT when the models' rows differ or the metric is undefined on all the rows (an AUC over one class).
Result<BootstrapResult> paired_bootstrap(Task task, const Predictions& a, const Predictions& b,
                                         const BootstrapOptions& options, const ResampleProgress& progress = {});

}  // namespace maas::training::compare
