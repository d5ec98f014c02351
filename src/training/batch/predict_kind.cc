#include "training/batch/predict_kind.h"

#include <filesystem>

#include "api/json_io.h"
#include "common/names.h"
#include "data/api/job_outputs.h"
#include "jobs/params.h"
#include "training/batch/predict_job.h"
#include "training/xgboost/dataset_columns.h"

namespace maas::training::batch {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int64_t kDefaultChunkRows = 4096;
constexpr int64_t kMaxChunkRows = 1'000'000;

struct Deps {
  data::api::DataApi& data;
  registry::Registry& models;
  features::FeaturesApi* features;
  const runtime::BackendRegistry& backends;
};

Result<std::vector<std::string>> column_list(const json& params, const char* key) {
  std::vector<std::string> out;
  const json* value = maas::api::find_field(params, key);
  if (value == nullptr) return out;
  if (!value->is_array()) return invalid_argument(std::string("params.") + key + " must be an array of column names");
  for (const json& name : *value) {
    if (!name.is_string() || name.get_ref<const std::string&>().empty()) {
      return invalid_argument(std::string("params.") + key + " must be an array of column names");
    }
    out.push_back(name.get<std::string>());
  }
  return out;
}

// The feature columns of a model with no pipeline: params.features, else those its training recorded (with the
// categories a categorical one was coded by). Each checked against the dataset version.
Result<json> model_features(const json& params, const store::VersionRecord& version, const DatasetColumns& columns,
                            const DatasetInput& input) {
  MAAS_ASSIGN_OR_RETURN(std::vector<std::string> named, column_list(params, "features"));
  json out = json::array();
  for (const std::string& name : named) {
    MAAS_RETURN_IF_ERROR(check_column(columns, input, name, "feature", true));
    out.push_back({{"name", name}});
  }
  const json& lineage = version.lineage;
  if (named.empty() && lineage.is_object() && lineage.contains("features") && lineage["features"].is_array()) {
    for (const json& f : lineage["features"]) {
      json feature = {{"name", f.is_string() ? f : f.value("name", json(""))}};
      const bool categorical = f.is_object() && f.value("type", "") == "categorical";
      if (categorical) feature["categories"] = f.value("categories", json::array());
      MAAS_RETURN_IF_ERROR(check_column(columns, input, feature["name"].get<std::string>(), "feature", !categorical));
      out.push_back(std::move(feature));
    }
  }
  if (out.empty()) {
    return invalid_argument("model '" + version.model + "' version " + std::to_string(version.version) +
                            " has no pipeline attached and no recorded features: name its input columns, in order, "
                            "in params.features");
  }
  return out;
}

// The pipeline attached to the version, checked against the dataset version; null when none is attached.
Result<json> attached_pipeline(const Deps& deps, const store::VersionRecord& version, const std::string& dataset,
                               const std::string& ref) {
  if (deps.features == nullptr) return json();
  MAAS_ASSIGN_OR_RETURN(auto attached, deps.features->store().attachment(version.model, version.version));
  if (!attached) return json();
  MAAS_ASSIGN_OR_RETURN(auto pipeline,
                        deps.features->store().get_version(attached->pipeline, attached->pipeline_version));
  MAAS_ASSIGN_OR_RETURN(data::DatasetVersionView view, deps.data.registry().get_version(dataset, ref));
  MAAS_RETURN_IF_ERROR(features::check_pipeline_input(pipeline, view.version));
  json columns = json::array();
  for (const json& column : pipeline.input_schema) columns.push_back(column.value("name", ""));
  return json{{"name", pipeline.name},
              {"version", pipeline.version},
              {"spec", pipeline.spec},
              {"state_file", fs::absolute(deps.data.artifacts().blob_path(pipeline.state_digest)).string()},
              {"state_digest", pipeline.state_digest},
              {"columns", columns}};
}

Result<json> validate(const Deps& deps, const json& params) {
  MAAS_RETURN_IF_ERROR(jobs::check_param_keys(params, kPredictBatchKind,
                                              {"model", "model_version", "dataset", "version", "into", "columns",
                                               "features", "parameters", "chunk_rows", "description"}));
  MAAS_ASSIGN_OR_RETURN(std::string model, jobs::string_param(params, "model"));
  MAAS_ASSIGN_OR_RETURN(std::string model_ref, data::api::version_ref(params, "model_version"));
  MAAS_ASSIGN_OR_RETURN(registry::VersionView view, deps.models.get_version(model, model_ref));
  const store::VersionRecord& version = view.version;
  MAAS_ASSIGN_OR_RETURN(const runtime::BackendInfo* backend, deps.backends.require(version.framework));
  if (backend->kind != runtime::ServingKind::kTensor) {
    return invalid_argument("model '" + model + "' version " + std::to_string(version.version) + " is a " +
                            version.framework + " model, served by generation: batch prediction runs tensor models");
  }
  if (const json* inputs = maas::api::find_field(version.signature, "inputs");
      inputs != nullptr && inputs->is_array() && inputs->size() > 1) {
    return invalid_argument("model '" + model + "' has " + std::to_string(inputs->size()) +
                            " inputs: batch prediction feeds a model's one input (the feature matrix)");
  }
  DatasetInput input;
  MAAS_ASSIGN_OR_RETURN(input.dataset, jobs::string_param(params, "dataset"));
  MAAS_ASSIGN_OR_RETURN(input.version, data::api::version_ref(params, "version"));
  MAAS_ASSIGN_OR_RETURN(DatasetColumns columns, resolve_dataset(deps.data, input, "the input"));
  MAAS_ASSIGN_OR_RETURN(std::vector<std::string> passthrough, column_list(params, "columns"));
  for (const std::string& name : passthrough) {
    if (!columns.types.contains(name)) MAAS_RETURN_IF_ERROR(check_column(columns, input, name, "passthrough", false));
  }
  json out = {{"model", model},
              {"model_version", version.version},
              {"framework", version.framework},
              {"backend_library", fs::absolute(backend->library).string()},
              {"model_file", fs::absolute(deps.models.artifacts().blob_path(version.digest)).string()},
              {"model_digest", version.digest},
              {"dataset", input.dataset},
              {"version", std::stoll(input.version)},
              {"file", input.file},
              {"columns", passthrough}};
  MAAS_ASSIGN_OR_RETURN(json pipeline, attached_pipeline(deps, version, input.dataset, input.version));
  if (!pipeline.is_null()) {
    if (params.contains("features")) {
      return invalid_argument("model '" + model + "' is served with pipeline '" + pipeline["name"].get<std::string>() +
                              "', which names its input columns: leave params.features out");
    }
    out["pipeline"] = std::move(pipeline);
  } else {
    MAAS_ASSIGN_OR_RETURN(out["features"], model_features(params, version, columns, input));
  }
  if (params.contains("into")) {
    MAAS_ASSIGN_OR_RETURN(out["into"], jobs::string_param(params, "into"));
  } else {
    out["into"] = model + "-predictions";
  }
  MAAS_RETURN_IF_ERROR(validate_name(out["into"].get<std::string>(), "dataset"));
  out["parameters"] = json::object();
  if (const json* parameters = maas::api::find_field(params, "parameters")) {
    if (!parameters->is_object()) return invalid_argument("params.parameters must be an object of strings");
    for (const auto& [name, value] : parameters->items()) {
      if (!value.is_string()) return invalid_argument("params.parameters." + name + " must be a string");
      out["parameters"][name] = value;
    }
  }
  out["chunk_rows"] = kDefaultChunkRows;
  if (const json* chunk = maas::api::find_field(params, "chunk_rows")) {
    if (!chunk->is_number_integer() || chunk->get<int64_t>() < 1 || chunk->get<int64_t>() > kMaxChunkRows) {
      return invalid_argument("params.chunk_rows must be an integer from 1 to " + std::to_string(kMaxChunkRows));
    }
    out["chunk_rows"] = *chunk;
  }
  if (params.contains("description")) {
    MAAS_ASSIGN_OR_RETURN(out["description"], jobs::string_param(params, "description"));
  }
  return out;
}

Status record_version(const Deps& deps, const jobs::SucceededJob& job) {
  const json& p = job.params;
  const json& result = job.result;
  const std::string into = p["into"].get<std::string>();
  MAAS_ASSIGN_OR_RETURN(auto done, data::api::version_of_job(deps.data.registry(), into, job.id));
  if (done) return {};
  if (!result.is_object() || !result.contains("rows") || !result["rows"].is_number_integer()) {
    return internal_error("the predict.batch job reported no row count");
  }
  MAAS_ASSIGN_OR_RETURN(const fs::path rows_file, data::api::job_output_file(deps.data, job.id, result["file"]));
  const std::string model = p["model"].get<std::string>() + "@" + std::to_string(p["model_version"].get<int64_t>());
  MAAS_RETURN_IF_ERROR(data::api::ensure_dataset(deps.data, into, "predictions of model " + model));
  const std::string input = p["dataset"].get<std::string>() + "@" + std::to_string(p["version"].get<int64_t>());
  data::DeriveRequest request;
  request.dataset = into;
  request.inputs = {{p["dataset"].get<std::string>(), p["version"].get<int64_t>()}};
  request.lineage.source = "dataset:" + input;
  request.lineage.rule = "model:" + model;
  request.lineage.job_id = job.id;
  request.description = p.contains("description") ? p["description"].get<std::string>() : "";
  request.created_by = job.owner;
  data::DerivedTable table;
  table.rows = result["rows"].get<int64_t>();
  table.details = {{"model", {{"name", p["model"]}, {"version", p["model_version"]}}},
                   {"input", input},
                   {"prediction_columns", result.value("prediction_columns", json::array())}};
  if (p.contains("pipeline")) {
    table.details["pipeline"] = {{"name", p["pipeline"]["name"]}, {"version", p["pipeline"]["version"]}};
  }
  MAAS_ASSIGN_OR_RETURN(auto recorded, deps.data.registry().derive_version(
                                           request, data::adopt_job_output(rows_file, std::nullopt, table)));
  (*job.recorded)["dataset"] = {{"name", into}, {"version", recorded.version.version}};
  return {};
}

}  // namespace

jobs::JobKind predict_batch_kind(data::api::DataApi& data, registry::Registry& models, features::FeaturesApi* features,
                                 const runtime::BackendRegistry& backends) {
  jobs::JobKind kind;
  kind.name = kPredictBatchKind;
  kind.description =
      "predict with a model version (and its pipeline) over a dataset version into a new dataset version";
  Deps deps{data, models, features, backends};
  kind.validate = [deps](const json& params) { return validate(deps, params); };
  kind.on_succeeded = [deps](const jobs::SucceededJob& job) { return record_version(deps, job); };
  return kind;
}

}  // namespace maas::training::batch
