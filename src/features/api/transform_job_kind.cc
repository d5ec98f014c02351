// maasd's half of features.transform (the executor is features/jobs/transform_job.h, in maas-job). validate() fixes
// what the job reads from maasd's records — the pipeline version's spec and state blob, the dataset version's
// snapshot file — and refuses at submission a dataset version without a column the pipeline was fitted on, or with
// text where it had numbers (a 400 naming the column). on_succeeded() records the job's rows file as the next
// version of the target dataset, with the input version and the pipeline version as its lineage, keyed on the job's
// id so that a requeued job records one version.
#include <filesystem>

#include "common/names.h"
#include "data/api/job_outputs.h"
#include "features/api/features_api.h"
#include "features/jobs/transform_job.h"
#include "jobs/params.h"

namespace maas::features {
namespace {

namespace fs = std::filesystem;
using jobs::string_param;
using nlohmann::json;

Result<json> validate(FeaturesApi& api, const json& params) {
  if (!params.is_object()) return invalid_argument("params must be a JSON object");
  for (const auto& [key, value] : params.items()) {
    if (key != "pipeline" && key != "pipeline_version" && key != "dataset" && key != "version" && key != "into" &&
        key != "description") {
      return invalid_argument("params." + key +
                              " is not a parameter of features.transform (pipeline, pipeline_version, dataset, "
                              "version, into, description)");
    }
  }
  MAAS_ASSIGN_OR_RETURN(std::string name, string_param(params, "pipeline"));
  MAAS_ASSIGN_OR_RETURN(std::string pipeline_ref, data::api::version_ref(params, "pipeline_version"));
  MAAS_ASSIGN_OR_RETURN(PipelineVersionRecord pipeline, api.store().resolve(name, pipeline_ref));
  MAAS_ASSIGN_OR_RETURN(std::string dataset, string_param(params, "dataset"));
  MAAS_ASSIGN_OR_RETURN(std::string ref, data::api::version_ref(params, "version"));
  MAAS_ASSIGN_OR_RETURN(data::DatasetVersionView view, api.data().registry().get_version(dataset, ref));
  MAAS_RETURN_IF_ERROR(check_pipeline_input(pipeline, view.version));
  MAAS_ASSIGN_OR_RETURN(std::string into, string_param(params, "into"));
  MAAS_RETURN_IF_ERROR(validate_name(into, "dataset"));
  auto path = [&api](const std::string& digest) {
    return fs::absolute(api.data().artifacts().blob_path(digest)).lexically_normal().string();
  };
  json out = {{"pipeline", name},
              {"pipeline_version", pipeline.version},
              {"spec", pipeline.spec},
              {"state_file", path(pipeline.state_digest)},
              {"input", {{"dataset", dataset}, {"version", view.version.version}, {"file", path(view.version.digest)}}},
              {"into", into},
              {"max_rows", api.max_fit_rows()},
              {"memory_limit_bytes", api.data().source_settings().memory_limit_bytes}};
  if (params.contains("description")) {
    MAAS_ASSIGN_OR_RETURN(out["description"], string_param(params, "description"));
  }
  return out;
}

Status record_version(FeaturesApi& api, const jobs::SucceededJob& job) {
  const json& p = job.params;
  const json& result = job.result;
  const std::string into = p["into"].get<std::string>();
  MAAS_ASSIGN_OR_RETURN(auto done, data::api::version_of_job(api.data().registry(), into, job.id));
  if (done) return {};
  if (!result.is_object() || !result.contains("rows") || !result["rows"].is_number_integer()) {
    return internal_error("the transform job reported no row count");
  }
  MAAS_ASSIGN_OR_RETURN(const fs::path rows_file, data::api::job_output_file(api.data(), job.id, result["file"]));
  const std::string pipeline = p["pipeline"].get<std::string>();
  const int64_t pipeline_version = p["pipeline_version"].get<int64_t>();
  MAAS_RETURN_IF_ERROR(data::api::ensure_dataset(api.data(), into, "features made by pipeline " + pipeline));
  const json& input = p["input"];
  data::DeriveRequest request;
  request.dataset = into;
  request.inputs = {{input["dataset"].get<std::string>(), input["version"].get<int64_t>()}};
  request.lineage.source =
      "dataset:" + input["dataset"].get<std::string>() + "@" + std::to_string(input["version"].get<int64_t>());
  request.lineage.rule = "pipeline:" + pipeline + "@" + std::to_string(pipeline_version);
  request.lineage.job_id = job.id;
  request.description = p.contains("description") ? p["description"].get<std::string>() : "";
  request.created_by = job.owner;
  const json details = {{"pipeline", {{"name", pipeline}, {"version", pipeline_version}}},
                        {"input", {{"rows", result["input_rows"]}}}};
  data::DerivedTable table;
  table.rows = result["rows"].get<int64_t>();
  table.details = details;
  return api.data().registry().derive_version(request, data::adopt_job_output(rows_file, std::nullopt, table)).status();
}

}  // namespace

Status check_pipeline_input(const PipelineVersionRecord& pipeline, const store::DatasetVersionRecord& version) {
  std::map<std::string, std::string> types;
  for (const auto& field : version.schema) types[field.value("name", "")] = field.value("type", "");
  for (const auto& column : pipeline.input_schema) {
    const std::string name = column.value("name", "");
    const auto it = types.find(name);
    const std::string where = "dataset '" + version.dataset + "' version " + std::to_string(version.version);
    if (it == types.end()) return invalid_argument(where + " has no column '" + name + "', which the pipeline uses");
    const bool text = it->second == "VARCHAR";
    if (text != (column.value("type", "") == "text")) {
      return invalid_argument(where + ": column '" + name + "' is " + it->second + ", but the pipeline was fitted on " +
                              column.value("type", "") + "s");
    }
  }
  return {};
}

jobs::JobKind transform_job_kind(FeaturesApi& api) {
  jobs::JobKind kind;
  kind.name = kTransformJobKind;
  kind.description = "apply a fitted feature pipeline version to a dataset version into a new dataset version";
  kind.validate = [&api](const json& params) { return validate(api, params); };
  kind.on_succeeded = [&api](const jobs::SucceededJob& job) { return record_version(api, job); };
  return kind;
}

}  // namespace maas::features
