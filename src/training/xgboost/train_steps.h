// The steps of training one booster that train.xgboost and train.cv share: the label checks libxgboost cannot make
// before it trains, the learner's configuration from a TrainSpec, and the reading of libxgboost's evaluation line.
//
// Thread-safety: pure functions, or calls on the booster they are given (one thread at a time per booster).
#pragma once

#include <map>
#include <string>

#include "training/xgboost/train_spec.h"
#include "training/xgboost/training_table.h"
#include "training/xgboost/xgboost_handles.h"

namespace maas::training {

// INVALID_ARGUMENT naming the label column for a label that does not fit the objective (a class outside
// 0..num_class-1, a negative count for Poisson or Tweedie, a non-finite value).
Status check_labels(const TrainSpec& spec, const TrainingTable& table);

// The spec's learner parameters (every eval_metric, the last one watched) and nthread.
Status configure(Booster& booster, const TrainSpec& spec, int threads);

// "[3]\ttrain-logloss:0.1\tvalidation-logloss:0.2" -> {"train-logloss": 0.1, "validation-logloss": 0.2}
std::map<std::string, double> parse_evaluation(const std::string& line);

}  // namespace maas::training
