// Metrics of predicted probabilities, as scikit-learn 1.2 computes them: log_loss (clipped to [eps, 1-eps] with
// eps the float64 machine epsilon, sklearn 1.2's eps="auto", then each row renormalized), brier_score_loss and
// calibration_curve (uniform or quantile bins).
//
// Thread-safety: pure functions.
#pragma once

#include "training/metrics/labels.h"

namespace maas::training::metrics {

// Labels are 0..cols-1. One column: the probability of label 1 of a binary problem.
Result<double> log_loss(Labels y_true, ScoreMatrix probabilities);
// Binary: the mean squared difference between `probabilities` of label `pos_label` and the outcome.
Result<double> brier(Labels y_true, Values probabilities, int64_t pos_label = 1);

enum class BinStrategy { kUniform, kQuantile };
struct CalibrationCurve {
  std::vector<double> fraction_of_positives;  // per non-empty bin, in bin order
  std::vector<double> mean_predicted;
};
Result<CalibrationCurve> calibration_curve(Labels y_true, Values probabilities, size_t bins, BinStrategy strategy,
                                           int64_t pos_label = 1);

}  // namespace maas::training::metrics
