#include "training/xgboost/train_kind.h"

#include <algorithm>

#include "common/names.h"
#include "training/model_version.h"
#include "training/xgboost/dataset_columns.h"
#include "training/xgboost/train_job.h"
#include "training/xgboost/train_spec.h"

namespace maas::training {
namespace {

using nlohmann::json;

Result<json> validate(data::api::DataApi& api, const json& params) {
  MAAS_ASSIGN_OR_RETURN(TrainSpec spec, spec_from_json(params));
  MAAS_RETURN_IF_ERROR(validate_name(spec.model, "model"));
  spec.categorical.clear();
  MAAS_ASSIGN_OR_RETURN(DatasetColumns train, resolve_dataset(api, spec.train, "the training"));
  MAAS_RETURN_IF_ERROR(check_column(train, spec.train, spec.label, "label", true));
  if (!spec.weight_column.empty())
    MAAS_RETURN_IF_ERROR(check_column(train, spec.train, spec.weight_column, "weight", true));
  if (!spec.group_column.empty())
    MAAS_RETURN_IF_ERROR(check_column(train, spec.train, spec.group_column, "group", false));
  if (!spec.split_column.empty())
    MAAS_RETURN_IF_ERROR(check_column(train, spec.train, spec.split_column, "split", false));
  const std::vector<std::string> reserved = {spec.label, spec.weight_column, spec.group_column, spec.split_column};
  if (spec.features.empty()) {
    for (const std::string& name : train.order) {
      if (std::find(reserved.begin(), reserved.end(), name) == reserved.end()) spec.features.push_back(name);
    }
    if (spec.features.empty()) return invalid_argument("the dataset has no column besides the label to learn from");
  }
  for (const std::string& name : spec.features) {
    if (std::find(reserved.begin(), reserved.end(), name) != reserved.end()) {
      return invalid_argument("params.features names '" + name +
                              "', which is the label, weight, group or split column");
    }
    MAAS_RETURN_IF_ERROR(check_column(train, spec.train, name, "feature", false));
    if (column_type(train.types[name]) == ColumnType::kString) spec.categorical.push_back(name);
  }
  if (spec.validation) {
    MAAS_ASSIGN_OR_RETURN(DatasetColumns validation, resolve_dataset(api, *spec.validation, "the validation"));
    MAAS_RETURN_IF_ERROR(check_column(validation, *spec.validation, spec.label, "label", true));
    for (const std::string& name : spec.features) {
      MAAS_RETURN_IF_ERROR(check_column(validation, *spec.validation, name, "feature", false));
    }
    for (const std::string& name : {spec.weight_column, spec.group_column}) {
      if (!name.empty()) MAAS_RETURN_IF_ERROR(check_column(validation, *spec.validation, name, "validation", false));
    }
  }
  return spec_to_json(spec);
}

// The submission as it can be sent again (POST /api/v1/jobs with it as params re-runs the training): the
// normalized parameters without the snapshot paths, which validate resolves again from the pinned versions.
json recipe_of(json params) {
  params.erase("file");
  if (params.contains("validation") && params["validation"].is_object()) params["validation"].erase("file");
  params.erase("categorical");
  return params;
}

json lineage_of(const TrainSpec& spec, const jobs::SucceededJob& job) {
  json parameters = json::object();
  for (const auto& [key, value] : spec.booster) parameters[key] = value;
  parameters["num_boost_round"] = std::to_string(spec.num_boost_round);
  parameters["early_stopping_rounds"] = std::to_string(spec.early_stopping_rounds);
  json lineage = {{"source", "job:" + std::string(kTrainXgboostKind)},
                  {"run_id", job.id},
                  {"job_id", job.id},
                  {"dataset", spec.train.dataset + "@" + spec.train.version},
                  {"label", spec.label},
                  {"parameters", parameters},
                  {"seed", spec.booster.at("seed")},
                  {"code_version", code_version()},
                  {"features", job.result.contains("features") ? job.result["features"] : json::array()},
                  {"metrics", job.result.contains("metrics") ? job.result["metrics"] : json::object()},
                  {"rounds", job.result.contains("rounds") ? job.result["rounds"] : json()},
                  {"recipe", recipe_of(job.params)}};
  if (spec.validation) lineage["validation_dataset"] = spec.validation->dataset + "@" + spec.validation->version;
  if (!spec.split_column.empty()) lineage["split_column"] = spec.split_column;
  if (job.result.contains("best_iteration")) lineage["best_iteration"] = job.result["best_iteration"];
  return lineage;
}

Status register_version(data::api::DataApi& api, registry::Registry& models, const jobs::SucceededJob& job) {
  MAAS_ASSIGN_OR_RETURN(TrainSpec spec, spec_from_json(job.params));
  return register_trained_model(
      api, models, job,
      {spec.model, formats::Framework::kXgboost, kTrainXgboostKind, lineage_of(spec, job), spec.description});
}

}  // namespace

Result<json> validate_train_params(data::api::DataApi& data, const json& params) { return validate(data, params); }

jobs::JobKind train_xgboost_kind(data::api::DataApi& data, registry::Registry& models) {
  jobs::JobKind kind;
  kind.name = kTrainXgboostKind;
  kind.description = "train an XGBoost model on a dataset version and register it as a model version";
  kind.validate = [&data](const json& params) { return validate(data, params); };
  kind.on_succeeded = [&data, &models](const jobs::SucceededJob& job) { return register_version(data, models, job); };
  return kind;
}

}  // namespace maas::training
