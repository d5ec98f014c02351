#include "training/xgboost/evaluate_kind.h"

#include "jobs/params.h"
#include "training/xgboost/dataset_columns.h"
#include "training/xgboost/evaluate_job.h"

namespace maas::training {
namespace {

using nlohmann::json;

Result<json> validate(data::api::DataApi& api, registry::Registry& models, const json& params) {
  MAAS_RETURN_IF_ERROR(jobs::check_param_keys(
      params, kEvaluateKind, {"model", "model_version", "dataset", "version", "split_column", "split_value", "label"}));
  MAAS_ASSIGN_OR_RETURN(std::string model, jobs::ref_param(params, "model", nullptr));
  MAAS_ASSIGN_OR_RETURN(std::string model_ref, jobs::ref_param(params, "model_version", "latest"));
  MAAS_ASSIGN_OR_RETURN(registry::VersionView version, models.get_version(model, model_ref));
  const json& lineage = version.version.lineage;
  if (!lineage.is_object() || !lineage.contains("recipe") || !lineage.contains("features") ||
      !lineage["recipe"].is_object() || !lineage["features"].is_array()) {
    return invalid_argument("model '" + model + "' version " + std::to_string(version.version.version) +
                            " was not trained by maas: train.evaluate needs the recipe and features a train.xgboost "
                            "job records in its lineage");
  }
  const json& recipe = lineage["recipe"];
  DatasetInput holdout;
  MAAS_ASSIGN_OR_RETURN(holdout.dataset, jobs::ref_param(params, "dataset", nullptr));
  MAAS_ASSIGN_OR_RETURN(holdout.version, jobs::ref_param(params, "version", "latest"));
  MAAS_ASSIGN_OR_RETURN(DatasetColumns columns, resolve_dataset(api, holdout, "the holdout"));
  // The holdout's label column: the training label unless it is named otherwise there.
  MAAS_ASSIGN_OR_RETURN(const std::string label, jobs::ref_param(params, "label", recipe.value("label", "").c_str()));
  MAAS_RETURN_IF_ERROR(check_column(columns, holdout, label, "label", true));
  json features = json::array(), categorical = json::array(), categories = json::object();
  for (const json& f : lineage["features"]) {
    const std::string name = f.value("name", "");
    MAAS_RETURN_IF_ERROR(check_column(columns, holdout, name, "feature", false));
    features.push_back(name);
    if (f.value("type", "") == "categorical") {
      categorical.push_back(name);
      categories[name] = f.contains("categories") ? f["categories"] : json::array();
    }
  }
  json out = {{"model", model},
              {"model_version", version.version.version},
              {"model_file", models.artifacts().blob_path(version.version.digest).string()},
              {"dataset", holdout.dataset},
              {"version", std::stoll(holdout.version)},
              {"file", holdout.file},
              {"label", label},
              {"features", features},
              {"categorical", categorical},
              {"categories", categories},
              {"objective", recipe["params"].value("objective", "")}};
  if (recipe.contains("group_column")) {
    MAAS_RETURN_IF_ERROR(check_column(columns, holdout, recipe["group_column"].get<std::string>(), "group", false));
    out["group_column"] = recipe["group_column"];
  }
  if (params.contains("split_column")) {
    MAAS_ASSIGN_OR_RETURN(std::string split, jobs::ref_param(params, "split_column", nullptr));
    MAAS_RETURN_IF_ERROR(check_column(columns, holdout, split, "split", false));
    out["split_column"] = split;
    MAAS_ASSIGN_OR_RETURN(out["split_value"], jobs::ref_param(params, "split_value", "test"));
  }
  return out;
}

}  // namespace

Result<json> validate_evaluation_params(data::api::DataApi& data, registry::Registry& models, const json& params) {
  return validate(data, models, params);
}

Status store_evaluation(registry::Registry& models, const jobs::SucceededJob& job) {
  const std::string model = job.params["model"].get<std::string>();
  const std::string ref = std::to_string(job.params["model_version"].get<int64_t>());
  const json metrics = job.result.contains("metrics") ? job.result["metrics"] : json::object();
  store::Evaluation evaluation;
  evaluation.job_id = job.id;
  evaluation.entry = {{"dataset", job.params["dataset"].get<std::string>() + "@" +
                                      std::to_string(job.params["version"].get<int64_t>())},
                      {"rows", job.result.value("rows", int64_t{0})},
                      {"metrics", metrics}};
  for (const auto& [name, value] : metrics.items()) evaluation.metrics["holdout:" + name] = value;
  return models.add_evaluation(model, ref, evaluation).status();
}

jobs::JobKind evaluate_kind(data::api::DataApi& data, registry::Registry& models) {
  jobs::JobKind kind;
  kind.name = kEvaluateKind;
  kind.description = "evaluate a trained model version on a holdout dataset version and store the metrics on it";
  kind.validate = [&data, &models](const json& params) { return validate(data, models, params); };
  kind.on_succeeded = [&models](const jobs::SucceededJob& job) { return store_evaluation(models, job); };
  return kind;
}

}  // namespace maas::training
