// What a train.xgboost job trains: the submitted parameters read strictly into a TrainSpec, once in maasd (the
// kind's validate, a 400 naming the field) and again in maas-job from the normalized JSON that validate returned.
//
// Thread-safety: pure functions over values.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace maas::training {

// What the objective makes of the label and which metrics describe the model.
enum class Task { kBinary, kMulticlass, kRegression, kRanking };

struct DatasetInput {
  std::string dataset;
  std::string version = "latest";  // a number, an alias or "latest" as submitted; the number once resolved
  std::string file;                // the Parquet snapshot, filled in maasd
};

struct TrainSpec {
  std::string model;  // the registered model the version goes to (created when missing)
  DatasetInput train;
  std::optional<DatasetInput> validation;
  std::string split_column;  // rows whose value is 'train' train, 'validation' evaluate; others are left out
  std::string label;
  std::vector<std::string> features;     // empty when submitted: every column but label, weight, group and split
  std::vector<std::string> categorical;  // the features of string type, filled in maasd from the schema
  std::string weight_column;
  std::string group_column;  // ranking objectives: rows of one query share its value
  // libxgboost's learner parameters, as strings in a fixed order ("objective" first).
  std::map<std::string, std::string> booster;
  int64_t num_boost_round = 100;
  int64_t early_stopping_rounds = 0;  // 0: no early stopping
  int64_t checkpoint_every = 10;      // rounds between checkpoints
  std::string description;

  Task task() const;
  // The metric early stopping watches: the last eval_metric, or the objective's default.
  std::string stopping_metric() const;
};

// Reads a submission: {model, dataset, version?, label, features?, weight_column?, group_column?,
// validation: {dataset, version?}? | split_column?, params: {objective, eta, ...}, num_boost_round?,
// early_stopping_rounds?, checkpoint_every?, description?}. INVALID_ARGUMENT naming the field.
Result<TrainSpec> spec_from_json(const nlohmann::json& params);
nlohmann::json spec_to_json(const TrainSpec& spec);

// A dataset input {dataset, version?, file?} of `holder`; `prefix` names it in messages ("params.validation.").
// Shared with the other training kinds.
Result<DatasetInput> dataset_input_from_json(const nlohmann::json& holder, const char* prefix);
nlohmann::json dataset_input_to_json(const DatasetInput& input);

// True for metrics where higher is better (auc, aucpr, ndcg, map), as xgboost's early stopping decides.
bool metric_maximized(const std::string& metric);

}  // namespace maas::training
