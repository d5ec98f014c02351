// The metrics that describe a model of each task, from its predictions over a labelled table: what a training job
// reports as its final metrics and the evaluation job stores on a model version (docs/TRAINING.md lists them).
//
// Thread-safety: a pure function.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "training/xgboost/train_spec.h"

namespace maas::training {

struct Predictions {
  std::vector<double> label;
  std::vector<double> values;  // rows x columns: a probability per class, or one value per row
  size_t columns = 1;
  std::vector<unsigned> group_sizes;  // ranking: the rows of each query, in order
};

// Binary: accuracy, precision, recall, f1 (at 0.5), roc_auc, average_precision, log_loss, brier. Multiclass:
// accuracy, f1_macro, f1_weighted, log_loss, roc_auc_ovr (when every class occurs). Regression: rmse, mae, r2, mape.
// Ranking: ndcg@5, ndcg@10, ndcg. A metric that is undefined on these rows (an AUC over one class) is left out.
Result<nlohmann::json> evaluate(Task task, const Predictions& predictions);

// Every metric evaluate() reports for some task (the names above).
const std::set<std::string>& metric_names();

// Whether a larger value of one of those metrics is better: accuracy, precision, recall, F1, AUCs, average
// precision, R² and NDCG; not for the losses and errors (log_loss, brier, rmse, mae, mape, and train.torch's
// training `loss`).
bool higher_is_better(const std::string& metric);

}  // namespace maas::training
