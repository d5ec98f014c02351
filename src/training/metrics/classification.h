// Metrics of hard class predictions, as scikit-learn 1.2 computes them: accuracy_score,
// precision_recall_fscore_support (binary/micro/macro/weighted, zero_division) and confusion_matrix.
//
// Thread-safety: pure functions.
#pragma once

#include "training/metrics/labels.h"

namespace maas::training::metrics {

struct PrecisionRecallF1 {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

Result<double> accuracy(Labels y_true, Labels y_pred);

// Over the labels present in either list; kBinary scores `pos_label` only and refuses more than two labels.
Result<PrecisionRecallF1> precision_recall_f1(Labels y_true, Labels y_pred, Average average,
                                              ZeroDivision zero_division = ZeroDivision::kZero, int64_t pos_label = 1);

struct ConfusionMatrix {
  std::vector<int64_t> labels;  // ascending: row i is true labels[i], column j predicted labels[j]
  std::vector<std::vector<int64_t>> counts;
};

Result<ConfusionMatrix> confusion_matrix(Labels y_true, Labels y_pred);

}  // namespace maas::training::metrics
