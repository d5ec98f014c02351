// One metric by name over JSON arrays: the form the evaluation job and the sklearn-fidelity test share.
//   {"metric": "f1", "y_true": [...], "y_pred": [...], "average": "macro", "zero_division": 1}
//   {"metric": "roc_auc", "y_true": [...], "scores": [[p0, p1, p2], ...], "average": "weighted"}
//   {"metric": "ndcg", "queries": [{"relevance": [...], "scores": [...]}], "k": 5}
// Names: accuracy, precision, recall, f1, confusion_matrix, roc_auc, average_precision, log_loss, brier,
// calibration_curve, rmse, mae, r2, mape, ndcg.
//
// Thread-safety: a pure function.
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas::training::metrics {

// INVALID_ARGUMENT naming the field for a malformed request or an unknown metric.
Result<nlohmann::json> compute_metric(const nlohmann::json& request);

}  // namespace maas::training::metrics
