// The executor of train.cv jobs, run in maas-job: k-fold cross-validation of an XGBoost recipe as xgb.cv runs it.
// The folds come from scikit-learn's splitters (folds.h); one booster per fold trains in lockstep, round by round,
// each evaluated on its training and test rows; the mean and standard deviation over the folds of each metric is
// the round's progress and a row of the curve; early stopping watches the mean test metric. At the end each fold's
// model (of the best round, with early stopping) predicts its test rows and the task's metrics are computed per
// fold, then their mean and standard deviation. Checkpoints hold every fold's booster.
//
// Thread-safety: runs on the job's thread; libxgboost uses cpu_slots threads of its own.
#pragma once

#include "jobs/executor.h"

namespace maas::training::cv {

inline constexpr const char* kCvKind = "train.cv";

// Params: {train: the normalized train.xgboost spec, cv: cv_spec_to_json, early_stopping_rounds}.
// Result: {strategy, rows, folds: [{fold, train_rows, test_rows, metrics}], metrics: {name: {mean, std}},
// curve: [{round, train-<m>-mean, train-<m>-std, test-<m>-mean, test-<m>-std}], rounds, stopping_metric,
// best_iteration?, best_score?}.
Status run_cv(jobs::JobContext& job);

}  // namespace maas::training::cv
