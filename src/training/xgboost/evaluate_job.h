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
#include "training/xgboost/xgboost_handles.h"

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

// A model version loaded beside the holdout rows it is to predict (labels in `labelled.label`, no values yet):
// what predict_holdout predicts with, and what compress.xgboost predicts with at every number of rounds.
struct HoldoutModel {
  HoldoutPredictions labelled;
  DMatrix matrix;
  Booster booster;
};
Result<HoldoutModel> load_holdout_model(jobs::JobContext& job, const nlohmann::json& params);

// The model's predictions over the holdout rows with their labels, from params as evaluate_kind's validate
// normalizes them; train.compare predicts two versions' so.
Result<HoldoutPredictions> predict_holdout(jobs::JobContext& job, const nlohmann::json& params);

}  // namespace maas::training
