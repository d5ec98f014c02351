#include "training/torch/train_kind.h"

#include <algorithm>

#include "common/names.h"
#include "training/model_version.h"
#include "training/torch/train_job.h"
#include "training/torch/train_spec.h"
#include "training/xgboost/dataset_columns.h"

namespace maas::training {
namespace {

using nlohmann::json;

Result<json> validate(data::api::DataApi& api, const json& params) {
  MAAS_ASSIGN_OR_RETURN(TorchTrainSpec spec, torch_spec_from_json(params));
  MAAS_RETURN_IF_ERROR(validate_name(spec.model, "model"));
  MAAS_ASSIGN_OR_RETURN(DatasetColumns train, resolve_dataset(api, spec.train, "the training"));
  MAAS_RETURN_IF_ERROR(check_column(train, spec.train, spec.label, "label", true));
  if (!spec.split_column.empty()) {
    MAAS_RETURN_IF_ERROR(check_column(train, spec.train, spec.split_column, "split", false));
  }
  if (spec.features.empty()) {
    // Every numeric column but the label and split: a string column needs encoding before a network reads it.
    for (const std::string& name : train.order) {
      if (name != spec.label && name != spec.split_column && column_type(train.types[name]) == ColumnType::kNumeric)
        spec.features.push_back(name);
    }
    if (spec.features.empty())
      return invalid_argument("the dataset has no numeric column besides the label to learn from");
  }
  for (const std::string& name : spec.features) {
    if (name == spec.label || name == spec.split_column) {
      return invalid_argument("params.features names '" + name + "', which is the label or split column");
    }
    MAAS_RETURN_IF_ERROR(check_column(train, spec.train, name, "feature", true));
  }
  if (spec.validation) {
    MAAS_ASSIGN_OR_RETURN(DatasetColumns validation, resolve_dataset(api, *spec.validation, "the validation"));
    MAAS_RETURN_IF_ERROR(check_column(validation, *spec.validation, spec.label, "label", true));
    for (const std::string& name : spec.features) {
      MAAS_RETURN_IF_ERROR(check_column(validation, *spec.validation, name, "feature", true));
    }
  }
  MAAS_RETURN_IF_ERROR(check_network(spec, static_cast<int64_t>(spec.features.size())));
  return torch_spec_to_json(spec);
}

// The submission as it can be sent again: the normalized spec without the snapshot paths.
json recipe_of(json params) {
  params.erase("file");
  if (params.contains("validation") && params["validation"].is_object()) params["validation"].erase("file");
  return params;
}

// The training's parameters without the data and the network, which the lineage names apart.
json parameters_of(const json& params) {
  json out = json::object();
  for (const char* key : {"loss", "optimizer", "schedule", "clip_grad_norm", "epochs", "batch_size", "shuffle",
                          "early_stopping", "checkpoint_every"}) {
    if (params.contains(key)) out[key] = params[key];
  }
  return out;
}

json lineage_of(const TorchTrainSpec& spec, const jobs::SucceededJob& job) {
  auto result = [&job](const char* key) { return job.result.contains(key) ? job.result[key] : json(); };
  json lineage = {{"source", "job:" + std::string(kTrainTorchKind)},
                  {"run_id", job.id},
                  {"job_id", job.id},
                  {"dataset", spec.train.dataset + "@" + spec.train.version},
                  {"label", spec.label},
                  {"features", result("features")},
                  {"network", torchnet::net_to_json(spec.network)},
                  {"parameters", parameters_of(job.params)},
                  {"seed", spec.seed},
                  {"threads", result("threads")},
                  {"code_version", code_version()},
                  {"metrics", job.result.contains("metrics") ? job.result["metrics"] : json::object()},
                  {"epochs", result("epochs")},
                  {"steps", result("steps")},
                  {"recipe", recipe_of(job.params)}};
  if (spec.validation) lineage["validation_dataset"] = spec.validation->dataset + "@" + spec.validation->version;
  if (!spec.split_column.empty()) lineage["split_column"] = spec.split_column;
  if (job.result.contains("best_epoch")) lineage["best_epoch"] = job.result["best_epoch"];
  return lineage;
}

Status register_version(data::api::DataApi& api, registry::Registry& models, const jobs::SucceededJob& job) {
  MAAS_ASSIGN_OR_RETURN(TorchTrainSpec spec, torch_spec_from_json(job.params));
  return register_trained_model(
      api, models, job,
      {spec.model, formats::Framework::kTorchscript, kTrainTorchKind, lineage_of(spec, job), spec.description});
}

}  // namespace

jobs::JobKind train_torch_kind(data::api::DataApi& data, registry::Registry& models,
                               std::filesystem::path executor_plugin) {
  jobs::JobKind kind;
  kind.name = kTrainTorchKind;
  kind.description = "train a neural network (LibTorch) on a dataset version and register it as TorchScript";
  kind.executor_plugin = std::move(executor_plugin);
  kind.validate = [&data](const json& params) { return validate(data, params); };
  kind.on_succeeded = [&data, &models](const jobs::SucceededJob& job) { return register_version(data, models, job); };
  return kind;
}

}  // namespace maas::training
