// What a train.cv job cross-validates: a train.xgboost submission (the model's parameters and rows) with a `cv`
// block naming the splitter, read strictly in maasd (a 400 naming the field) and again in maas-job from the JSON
// that validation normalized.
//
// Thread-safety: pure functions over values.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
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
// A study's trial that a train.cv job runs (params.study_trial: {"study", "trial", "metric"}, set by the studies
// driver): after each round the job asks maasd (topic kStudyReportTopic, body {"study", "trial", "step", "value"})
// and trains on only when the answer is {"prune": false}, so a trial is pruned exactly at the round the pruner
// decides, however fast the machine runs it.
struct StudyGate {
  std::string study;
  int64_t trial = 0;
  std::string metric_key;  // the curve's column whose value is reported: "test-<metric>-mean"
};
inline constexpr const char* kStudyReportTopic = "studies.report";

// nullopt without params.study_trial; INVALID_ARGUMENT naming the field when it is malformed.
Result<std::optional<StudyGate>> study_gate_from_json(const nlohmann::json& params);
nlohmann::json study_gate_to_json(const StudyGate& gate);

Result<CvSpec> cv_spec_from_json(const nlohmann::json& cv, const nlohmann::json& early_stopping_rounds);
nlohmann::json cv_spec_to_json(const CvSpec& spec);

}  // namespace maas::training::cv
