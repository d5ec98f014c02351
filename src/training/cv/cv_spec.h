// What a train.cv job cross-validates: a train.xgboost submission (the model's parameters and rows) with a `cv`
// block naming the splitter, read strictly in maasd (a 400 naming the field) and again in maas-job from the JSON
// that validation normalized.
//
// Thread-safety: pure functions over values.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "training/cv/folds.h"

namespace maas::training::cv {

struct CvSpec {
  FoldOptions folds;
  std::string group_column;           // GroupKFold: each row's group
  std::string time_column;            // TimeSeriesSplit: the rows' order (ties keep the file's order)
  int64_t early_stopping_rounds = 0;  // on the mean test metric over the folds, as xgb.cv
};

// Reads params.cv: {strategy? (kfold), folds? (5), shuffle? (false), seed? (0), group_column? (group),
// time_column? (timeseries), gap?, test_size?, max_train_size? (timeseries)} and the submission's
// early_stopping_rounds. INVALID_ARGUMENT naming the field.
Result<CvSpec> cv_spec_from_json(const nlohmann::json& cv, const nlohmann::json& early_stopping_rounds);
nlohmann::json cv_spec_to_json(const CvSpec& spec);

}  // namespace maas::training::cv
