// The executor of train.xgboost jobs, run in maas-job: reads the training (and validation) rows of a dataset
// version, trains a booster round by round through libxgboost's C API with nthread = the job's CPU slots, reports
// each round's evaluation as progress, checkpoints the booster every checkpoint_every rounds (a requeued job
// resumes from its round), stops early on the validation metric, and writes the model (xgboost JSON) into the
// scratch directory with its final metrics. maasd's half (train_kind.h) registers it as a model version.
//
// Thread-safety: runs on the job's thread; libxgboost uses cpu_slots threads of its own.
#pragma once

#include "jobs/executor.h"

namespace maas::training {

inline constexpr const char* kTrainXgboostKind = "train.xgboost";

// Params: what train_kind's validate normalized (train_spec.h, with the snapshot files resolved).
// Result: {model_file, rounds, best_iteration, best_score, stopping_metric, metrics, evaluated_on, features,
// num_features, num_class, train_rows, validation_rows}.
Status run_train_xgboost(jobs::JobContext& job);

}  // namespace maas::training
