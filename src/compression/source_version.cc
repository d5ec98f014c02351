#include "compression/source_version.h"

#include "jobs/params.h"
#include "training/model_version.h"

namespace maas::compression {

using nlohmann::json;

Result<json> resolve_source(registry::Registry& models, const json& params, std::string_view kind,
                            formats::Framework framework) {
  MAAS_ASSIGN_OR_RETURN(std::string model, jobs::ref_param(params, "model", nullptr));
  MAAS_ASSIGN_OR_RETURN(std::string ref, jobs::ref_param(params, "model_version", "latest"));
  MAAS_ASSIGN_OR_RETURN(registry::VersionView found, models.get_version(model, ref));
  const store::VersionRecord& version = found.version;
  if (version.framework != formats::framework_name(framework)) {
    return invalid_argument("model '" + model + "' version " + std::to_string(version.version) + " is " +
                            version.framework + ": " + std::string(kind) + " compresses " +
                            std::string(formats::framework_name(framework)) + " models");
  }
  return json{{"model", model},
              {"model_version", version.version},
              {"framework", version.framework},
              {"model_file", models.artifacts().blob_path(version.digest).string()},
              {"source_bytes", version.size_bytes}};
}

Status register_compressed(data::api::DataApi& api, registry::Registry& models, const jobs::SucceededJob& job,
                           const json& parameters) {
  const std::string model = job.params["model"].get<std::string>();
  const int64_t parent = job.params["model_version"].get<int64_t>();
  auto framework = formats::parse_framework(job.params["framework"].get<std::string>());
  if (!framework) return internal_error("the job's params name no known framework");
  json lineage = {{"source", "job:" + job.kind},
                  {"run_id", job.id},
                  {"job_id", job.id},
                  {"parent", model + "@" + std::to_string(parent)},
                  {"parent_version", parent},
                  {"method", job.kind},
                  {"parameters", parameters},
                  {"report", job.result.contains("report") ? job.result["report"] : json::object()},
                  {"code_version", training::code_version()}};
  // The compressed model reads what its source read: train.evaluate and the training center look for these.
  MAAS_ASSIGN_OR_RETURN(registry::VersionView source, models.get_version(model, std::to_string(parent)));
  for (const char* key : {"recipe", "features", "label"}) {
    if (source.version.lineage.is_object() && source.version.lineage.contains(key))
      lineage[key] = source.version.lineage[key];
  }
  const std::string description = "compressed from version " + std::to_string(parent) + " by " + job.kind;
  int64_t version = 0;
  MAAS_RETURN_IF_ERROR(training::register_trained_model(api, models, job,
                                                        {model, *framework, job.kind, lineage, description}, &version));
  (*job.recorded)["version"] = {{"model", model}, {"version", version}};
  return {};
}

}  // namespace maas::compression
