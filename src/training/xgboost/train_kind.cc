#include "training/xgboost/train_kind.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/names.h"
#include "common/sha256.h"
#include "common/version.h"
#include "training/xgboost/dataset_columns.h"
#include "training/xgboost/train_job.h"
#include "training/xgboost/train_spec.h"

namespace maas::training {
namespace {

namespace fs = std::filesystem;
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

// The version this job registered before, found by the job id in its lineage or, when maasd died between the
// upload and the lineage, by its model's digest on a version without lineage.
Result<std::optional<int64_t>> registered_version(registry::Registry& models, const std::string& model,
                                                  const std::string& job_id, const std::string& digest) {
  MAAS_ASSIGN_OR_RETURN(registry::VersionPage page, models.list_versions(model, store::VersionQuery{}, ""));
  for (const registry::VersionView& v : page.versions) {
    const json& lineage = v.version.lineage;
    if (lineage.is_object() && lineage.contains("run_id") && lineage["run_id"] == job_id)
      return std::optional<int64_t>(v.version.version);
    if ((!lineage.is_object() || lineage.empty()) && v.version.digest == digest)
      return std::optional<int64_t>(v.version.version);
  }
  return std::optional<int64_t>();
}

Status ensure_model(registry::Registry& models, const TrainSpec& spec) {
  auto found = models.get_model(spec.model);
  if (found.ok() || found.status().code() != StatusCode::kNotFound) return found.status();
  store::NewModel model;
  model.name = spec.model;
  model.description = "trained by maas (train.xgboost)";
  auto created = models.create_model(model);
  if (!created.ok() && created.status().code() != StatusCode::kAlreadyExists) return created.status();
  return {};
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
                  {"code_version", std::string("maas ") + kVersion + " (" + kGitCommit + ")"},
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
  if (!job.result.is_object() || !job.result.contains("model_file") || !job.result["model_file"].is_string()) {
    return internal_error("the training job reported no model file");
  }
  const fs::path job_dir = (api.source_settings().data_dir / "jobs" / job.id).lexically_normal();
  const fs::path file = fs::path(job.result["model_file"].get<std::string>()).lexically_normal();
  auto [mismatch, _] = std::mismatch(job_dir.begin(), job_dir.end(), file.begin(), file.end());
  if (mismatch != job_dir.end()) return internal_error("the training job's model file is outside its directory");
  MAAS_ASSIGN_OR_RETURN(std::string digest, sha256_file(file));
  MAAS_RETURN_IF_ERROR(ensure_model(models, spec));
  MAAS_ASSIGN_OR_RETURN(std::optional<int64_t> version, registered_version(models, spec.model, job.id, digest));
  if (!version) {
    MAAS_ASSIGN_OR_RETURN(auto upload, models.begin_upload());
    std::ifstream in(file, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) return internal_error("cannot read " + file.string());
    MAAS_RETURN_IF_ERROR(upload->write(bytes.data(), bytes.size()));
    MAAS_ASSIGN_OR_RETURN(registry::VersionView view,
                          models.finish_upload(spec.model, *upload, formats::Framework::kXgboost, job.owner));
    version = view.version.version;
  }
  store::VersionPatch patch;
  patch.lineage = lineage_of(spec, job);
  if (job.result.contains("metrics") && job.result["metrics"].is_object()) patch.metrics = job.result["metrics"];
  patch.description = spec.description.empty() ? "trained by job " + job.id : spec.description;
  return models.update_version(spec.model, std::to_string(*version), patch).status();
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
