// maasd's half of features.fit (the executor is features/jobs/fit_job.h, in maas-job). validate() fixes what the
// job reads from maasd's records — the pipeline's spec, the dataset version's snapshot file — never a submitter's
// paths, and refuses at submission a dataset version that lacks a column the spec names (a 400 naming it).
// on_succeeded() stores the fitted state as a blob and records the next pipeline version, keyed on the job's id
// so that a requeued job records one version.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "data/api/job_outputs.h"
#include "features/api/features_api.h"
#include "features/jobs/fit_job.h"
#include "jobs/params.h"

namespace maas::features {
namespace {

namespace fs = std::filesystem;
using jobs::string_param;
using nlohmann::json;

// The columns the spec reads (each transformer's, and each step's target).
std::set<std::string> spec_columns(const json& spec) {
  std::set<std::string> out;
  for (const auto& t : spec.value("transformers", json::array())) {
    for (const auto& c : t.value("columns", json::array())) out.insert(c.get<std::string>());
    for (const auto& s : t.value("steps", json::array())) {
      if (auto target = s.find("target"); target != s.end() && target->is_string())
        out.insert(target->get<std::string>());
    }
  }
  return out;
}

Status check_columns(const json& spec, const store::DatasetVersionRecord& version) {
  std::set<std::string> present;
  std::string listed;
  for (const auto& field : version.schema) {
    present.insert(field.value("name", ""));
    listed += (listed.empty() ? "" : ", ") + field.value("name", "");
  }
  for (const std::string& column : spec_columns(spec)) {
    if (!present.contains(column)) {
      return invalid_argument("dataset '" + version.dataset + "' version " + std::to_string(version.version) +
                              " has no column '" + column + "', which the pipeline uses (it has: " + listed + ")");
    }
  }
  return {};
}

Result<json> validate(FeaturesApi& api, const json& params) {
  if (!params.is_object()) return invalid_argument("params must be a JSON object");
  for (const auto& [key, value] : params.items()) {
    if (key != "pipeline" && key != "dataset" && key != "version") {
      return invalid_argument("params." + key + " is not a parameter of features.fit (pipeline, dataset, version)");
    }
  }
  MAAS_ASSIGN_OR_RETURN(std::string name, string_param(params, "pipeline"));
  MAAS_ASSIGN_OR_RETURN(PipelineRecord pipeline, api.store().get(name));
  MAAS_ASSIGN_OR_RETURN(std::string dataset, string_param(params, "dataset"));
  MAAS_ASSIGN_OR_RETURN(std::string ref, data::api::version_ref(params, "version"));
  MAAS_ASSIGN_OR_RETURN(data::DatasetVersionView view, api.data().registry().get_version(dataset, ref));
  MAAS_RETURN_IF_ERROR(check_columns(pipeline.spec, view.version));
  if (view.version.row_count == 0) {
    return invalid_argument("dataset '" + dataset + "' version " + std::to_string(view.version.version) +
                            " has no rows to fit the pipeline on");
  }
  const std::string file =
      fs::absolute(api.data().artifacts().blob_path(view.version.digest)).lexically_normal().string();
  return json{{"pipeline", name},
              {"spec", pipeline.spec},
              {"input", {{"dataset", dataset}, {"version", view.version.version}, {"file", file}}},
              {"max_rows", api.max_fit_rows()},
              {"memory_limit_bytes", api.data().source_settings().memory_limit_bytes}};
}

Status record_version(FeaturesApi& api, const jobs::SucceededJob& job) {
  const json& p = job.params;
  const json& result = job.result;
  if (!result.is_object() || !result.contains("output_columns") || !result.contains("input_schema")) {
    return internal_error("the fit job reported no schemas");
  }
  MAAS_ASSIGN_OR_RETURN(const fs::path state_file, data::api::job_output_file(api.data(), job.id, result["file"]));
  std::ifstream in(state_file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) return internal_error("cannot read the fitted state " + state_file.string());
  const std::string state = text.str();
  MAAS_ASSIGN_OR_RETURN(auto upload, api.data().artifacts().begin_upload());
  MAAS_RETURN_IF_ERROR(upload->write(state.data(), state.size()));
  MAAS_RETURN_IF_ERROR(upload->finish().status());
  // The pin keeps garbage collection off the blob until the version that references it is recorded.
  MAAS_ASSIGN_OR_RETURN(artifacts::Pin pin, api.data().artifacts().commit(*upload));
  NewPipelineVersion version;
  version.spec = p["spec"];
  version.state_digest = pin.digest();
  version.state_size_bytes = static_cast<int64_t>(state.size());
  version.dataset = p["input"]["dataset"].get<std::string>();
  version.dataset_version = p["input"]["version"].get<int64_t>();
  version.input_schema = result["input_schema"];
  version.output_columns = result["output_columns"];
  version.job_id = job.id;
  version.created_by = job.owner;
  return api.store().add_version(p["pipeline"].get<std::string>(), version).status();
}

}  // namespace

jobs::JobKind fit_job_kind(FeaturesApi& api) {
  jobs::JobKind kind;
  kind.name = kFitJobKind;
  kind.description = "fit a feature pipeline on a dataset version into a new pipeline version";
  kind.validate = [&api](const json& params) { return validate(api, params); };
  kind.on_succeeded = [&api](const jobs::SucceededJob& job) { return record_version(api, job); };
  return kind;
}

}  // namespace maas::features
