#include "training/cv/cv_kind.h"

#include <algorithm>

#include "training/cv/cv_job.h"
#include "training/cv/cv_spec.h"
#include "training/xgboost/dataset_columns.h"
#include "training/xgboost/train_kind.h"

namespace maas::training::cv {
namespace {

using nlohmann::json;

// The recipe's model name, which train.xgboost requires and train.cv never uses (nothing is registered).
constexpr const char* kUnregistered = "cross-validation";

// A column of the rows' schema: the group and time columns may be of any type DuckDB sorts.
Status check_present(const DatasetColumns& columns, const std::string& name, const char* field) {
  if (columns.types.contains(name)) return {};
  std::string names;
  for (const std::string& c : columns.order) names += (names.empty() ? "" : ", ") + c;
  return invalid_argument(std::string("params.cv.") + field + " '" + name + "' is not a column of the dataset (" +
                          names + ")");
}

Result<json> validate(data::api::DataApi& api, const json& params) {
  if (!params.is_object()) return invalid_argument("params must be a JSON object");
  for (const char* key : {"model", "validation", "split_column"}) {
    if (params.contains(key)) {
      return invalid_argument(std::string("params.") + key +
                              " is not a parameter of train.cv: it registers no model, and its folds are its "
                              "validation rows");
    }
  }
  if (!params.contains("cv")) return invalid_argument("params.cv is required: {strategy, folds, ...}");
  const json early_stopping = params.contains("early_stopping_rounds") ? params["early_stopping_rounds"] : json();
  MAAS_ASSIGN_OR_RETURN(CvSpec cv, cv_spec_from_json(params["cv"], early_stopping));
  MAAS_ASSIGN_OR_RETURN(std::optional<StudyGate> gate, study_gate_from_json(params));
  json recipe = params;
  recipe.erase("cv");
  recipe.erase("early_stopping_rounds");
  recipe.erase("study_trial");
  recipe["model"] = kUnregistered;
  // The default features leave out the group and time columns, as they are not features of sklearn's X either.
  DatasetInput input;
  if (params.contains("dataset") && params["dataset"].is_string()) {
    input.dataset = params["dataset"].get<std::string>();
    if (params.contains("version")) {
      input.version = params["version"].is_number_integer() ? std::to_string(params["version"].get<int64_t>())
                      : params["version"].is_string()       ? params["version"].get<std::string>()
                                                            : "";
    }
    if (input.version.empty()) return invalid_argument("params.version must be a version number, an alias or 'latest'");
    MAAS_ASSIGN_OR_RETURN(DatasetColumns columns, resolve_dataset(api, input, "the training"));
    if (!cv.group_column.empty()) MAAS_RETURN_IF_ERROR(check_present(columns, cv.group_column, "group_column"));
    if (!cv.time_column.empty()) MAAS_RETURN_IF_ERROR(check_present(columns, cv.time_column, "time_column"));
    if (!recipe.contains("features") && (!cv.group_column.empty() || !cv.time_column.empty())) {
      std::vector<std::string> reserved = {cv.group_column, cv.time_column};
      for (const char* key : {"label", "weight_column", "group_column"}) {
        if (params.contains(key) && params[key].is_string()) reserved.push_back(params[key].get<std::string>());
      }
      json features = json::array();
      for (const std::string& name : columns.order) {
        if (std::find(reserved.begin(), reserved.end(), name) == reserved.end()) features.push_back(name);
      }
      if (features.empty()) return invalid_argument("the dataset has no column left to learn from");
      recipe["features"] = features;
    }
  }
  MAAS_ASSIGN_OR_RETURN(json train, validate_train_params(api, recipe));
  MAAS_ASSIGN_OR_RETURN(TrainSpec spec, spec_from_json(train));
  if (spec.task() == Task::kRanking) {
    return invalid_argument(
        "train.cv does not cross-validate ranking objectives yet (their query groups would "
        "be split across folds)");
  }
  if (cv.folds.strategy == FoldStrategy::kStratified && spec.task() == Task::kRegression) {
    return invalid_argument("params.cv.strategy 'stratified' needs a classification objective; use kfold");
  }
  json normalized = {
      {"train", train}, {"cv", cv_spec_to_json(cv)}, {"early_stopping_rounds", cv.early_stopping_rounds}};
  if (gate) normalized["study_trial"] = study_gate_to_json(*gate);
  return normalized;
}

}  // namespace

jobs::JobKind cv_kind(data::api::DataApi& data) {
  jobs::JobKind kind;
  kind.name = kCvKind;
  kind.description = "cross-validate an XGBoost recipe on a dataset version (k-fold, stratified, grouped, time series)";
  kind.validate = [&data](const json& params) { return validate(data, params); };
  return kind;
}

}  // namespace maas::training::cv
