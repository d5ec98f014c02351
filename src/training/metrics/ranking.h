// Metrics of scores that rank samples, as scikit-learn 1.2 computes them: roc_auc_score (binary; multiclass
// one-vs-rest, macro or weighted), average_precision_score (PR AUC, binary) and ndcg_score (ties averaged).
//
// Thread-safety: pure functions.
#pragma once

#include <optional>

#include "training/metrics/labels.h"

namespace maas::training::metrics {

// `scores` higher for the positive class `pos_label`; every other label is negative. INVALID_ARGUMENT when
// y_true holds one class only (the AUC is undefined).
Result<double> roc_auc(Labels y_true, Values scores, int64_t pos_label = 1);
// One-vs-rest over the classes of y_true: column c of `probabilities` is the probability of the c-th smallest
// label; rows must sum to 1. `average` is kMacro or kWeighted (by the count of each class).
Result<double> roc_auc_ovr(Labels y_true, ScoreMatrix probabilities, Average average);
// The step-wise area under the precision-recall curve (sklearn's average_precision_score).
Result<double> average_precision(Labels y_true, Values scores, int64_t pos_label = 1);

// One query: the graded relevance of its documents and the scores that rank them.
struct RankedQuery {
  Values relevance;  // >= 0
  Values scores;
};
// The mean over queries of DCG@k / ideal DCG@k with linear gains and 1/log2(rank+1) discounts; documents with equal
// scores share the mean of their gains. A query without relevant documents scores 0. `k` absent: all documents.
Result<double> ndcg(std::span<const RankedQuery> queries, std::optional<size_t> k);

}  // namespace maas::training::metrics
