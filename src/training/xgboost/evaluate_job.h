// The executor of train.evaluate jobs, run in maas-job: predicts with a registered XGBoost model version over the
// rows of a holdout dataset version (its features read as the model was trained: the same columns, string columns
// coded by the training categories) and computes the metrics of the model's task (training/evaluation.h). maasd's
// half (evaluate_kind.h) stores them on the model version.
//
// Thread-safety: runs on the job's thread.
#pragma once

#include <nlohmann/json.hpp>

#include "jobs/executor.h"
#include "training/evaluation.h"

namespace maas::training {

inline constexpr const char* kEvaluateKind = "train.evaluate";

// Params (from evaluate_kind's validate): model, model_version, model_file, dataset, version, file, label,
// features, categorical, categories ({column: [values]}), objective, group_column?, split_column?, split_value?.
// Result: {metrics, rows, model, model_version, dataset, version}.
Status run_evaluate(jobs::JobContext& job);

struct HoldoutPredictions {
  Task task = Task::kBinary;
  Predictions predictions;  // in the holdout rows' order
};

// The model's predictions over the holdout rows with their labels, from params as evaluate_kind's validate
// normalizes them; train.compare predicts two versions' so.
Result<HoldoutPredictions> predict_holdout(jobs::JobContext& job, const nlohmann::json& params);

}  // namespace maas::training
