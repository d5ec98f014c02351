#include "features/timeseries/timeseries_kind.h"

#include <filesystem>

#include "common/json_fields.h"
#include "common/names.h"
#include "data/api/job_outputs.h"
#include "features/timeseries/spec.h"
#include "features/timeseries/timeseries_job.h"

namespace maas::features::timeseries {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Result<std::string> string_param(const json& params, const char* key) {
  auto it = params.find(key);
  if (it == params.end() || !it->is_string() || it->get<std::string>().empty()) {
    return invalid_argument(std::string("params.") + key + " must be a non-empty string");
  }
  return it->get<std::string>();
}

// A version given as a number or a reference ("latest", an alias); absent: latest.
Result<std::string> version_ref(const json& params) {
  auto it = params.find("version");
  if (it == params.end() || it->is_null()) return std::string("latest");
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  if (it->is_string()) return it->get<std::string>();
  return invalid_argument("params.version must be a version number or reference");
}

std::string type_of(const json& schema, const std::string& column) {
  for (const auto& field : schema) {
    if (field.is_object() && field.contains("name") && field["name"] == column && field.contains("type") &&
        field["type"].is_string()) {
      return field["type"].get<std::string>();
    }
  }
  return "";
}

// The spec's columns against the version's schema: the same checks the executor makes on the file, early.
Status check_columns(const FeatureSpec& spec, const json& schema, const std::string& dataset) {
  const std::string where = "dataset '" + dataset + "'";
  if (!spec.entity.empty() && type_of(schema, spec.entity).empty()) {
    return invalid_argument(where + " has no entity column '" + spec.entity + "'");
  }
  const std::string time = type_of(schema, spec.time);
  if (time.empty()) return invalid_argument(where + " has no time column '" + spec.time + "'");
  if (!is_time_type(time)) {
    return invalid_argument("the time column '" + spec.time + "' is " + time + ", not a TIMESTAMP or DATE");
  }
  for (const Feature& f : spec.features) {
    if (!type_of(schema, f.name).empty()) {
      return invalid_argument("feature '" + f.name + "': " + where + " has a column of that name already");
    }
    if (f.kind == FeatureKind::kCalendar) continue;
    const std::string type = type_of(schema, f.column);
    if (type.empty())
      return invalid_argument("feature '" + f.name + "': " + where + " has no column '" + f.column + "'");
    if (!is_numeric_type(type)) {
      return invalid_argument("feature '" + f.name + "': the column '" + f.column + "' is " + type + ", not numeric");
    }
  }
  return {};
}

Result<json> validate(data::api::DataApi& api, size_t max_features, const json& params) {
  MAAS_RETURN_IF_ERROR(check_known_fields(params, "params", {"dataset", "version", "spec", "into", "description"}));
  MAAS_ASSIGN_OR_RETURN(std::string dataset, string_param(params, "dataset"));
  MAAS_ASSIGN_OR_RETURN(std::string ref, version_ref(params));
  if (!params.contains("spec")) return invalid_argument("params.spec is required: {entity, time, features}");
  MAAS_ASSIGN_OR_RETURN(FeatureSpec spec, parse_feature_spec(params["spec"], max_features));
  MAAS_ASSIGN_OR_RETURN(data::DatasetVersionView view, api.registry().get_version(dataset, ref));
  if (view.version.row_count == 0) {
    return invalid_argument("dataset '" + dataset + "' version " + std::to_string(view.version.version) +
                            " has no rows to compute features over");
  }
  MAAS_RETURN_IF_ERROR(check_columns(spec, view.version.schema, dataset));
  MAAS_ASSIGN_OR_RETURN(std::string into, string_param(params, "into"));
  MAAS_RETURN_IF_ERROR(validate_name(into, "dataset"));
  json out = {{"dataset", dataset},
              {"version", view.version.version},
              {"spec", params["spec"]},
              {"into", into},
              {"input",
               {{"dataset", dataset},
                {"version", view.version.version},
                {"file", fs::absolute(api.artifacts().blob_path(view.version.digest)).lexically_normal().string()}}},
              {"memory_limit_bytes", api.source_settings().memory_limit_bytes},
              {"max_features", max_features}};
  if (params.contains("description")) {
    MAAS_ASSIGN_OR_RETURN(std::string description, string_param(params, "description"));
    out["description"] = description;
  }
  return out;
}

Status record_version(data::api::DataApi& api, const jobs::SucceededJob& job) {
  const json& p = job.params;
  const json& result = job.result;
  const std::string into = p["into"].get<std::string>();
  MAAS_ASSIGN_OR_RETURN(auto done, data::api::version_of_job(api.registry(), into, job.id));
  if (done) return {};
  if (!result.is_object() || !result.contains("rows") || !result["rows"].is_number_integer()) {
    return internal_error("the features job reported no row count");
  }
  MAAS_ASSIGN_OR_RETURN(const fs::path file, data::api::job_output_file(api, job.id, result["file"]));
  const std::string dataset = p["input"]["dataset"].get<std::string>();
  const int64_t version = p["input"]["version"].get<int64_t>();
  MAAS_RETURN_IF_ERROR(data::api::ensure_dataset(api, into, "time-series features of " + dataset));
  data::DeriveRequest request;
  request.dataset = into;
  request.inputs = {{dataset, version}};
  request.lineage.source = "dataset:" + dataset + "@" + std::to_string(version);
  request.lineage.rule = kTimeseriesJobKind;
  request.lineage.job_id = job.id;
  request.description = p.contains("description") ? p["description"].get<std::string>() : "";
  request.created_by = job.owner;
  const json details = {{"features_spec", p["spec"]}, {"input", {{"dataset", dataset}, {"version", version}}}};
  data::DerivedTable table;
  table.rows = result["rows"].get<int64_t>();
  table.details = details;
  return api.registry().derive_version(request, data::adopt_job_output(file, std::nullopt, table)).status();
}

}  // namespace

jobs::JobKind timeseries_job_kind(data::api::DataApi& api, size_t max_features) {
  jobs::JobKind kind;
  kind.name = kTimeseriesJobKind;
  kind.description = "compute time-series features over a dataset version into a new dataset version";
  kind.validate = [&api, max_features](const json& params) { return validate(api, max_features, params); };
  kind.on_succeeded = [&api](const jobs::SucceededJob& job) { return record_version(api, job); };
  return kind;
}

}  // namespace maas::features::timeseries
