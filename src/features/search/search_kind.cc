#include "features/search/search_kind.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "common/json_fields.h"
#include "data/api/job_outputs.h"
#include "features/search/options.h"
#include "features/search/search_job.h"
#include "jobs/params.h"

namespace maas::features::search {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The DuckDB types the feature tables read as numbers (features/dataset/table_io.h).
bool numeric_type(const std::string& type) {
  static constexpr const char* kNumeric[] = {"BOOLEAN",  "TINYINT",   "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
                                             "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "FLOAT",  "DOUBLE"};
  return type.rfind("DECIMAL", 0) == 0 ||
         std::any_of(std::begin(kNumeric), std::end(kNumeric), [&](const char* t) { return type == t; });
}

Status check_schema(const SearchOptions& options, const store::DatasetVersionRecord& version) {
  std::map<std::string, std::string> types;
  std::string listed;
  for (const auto& field : version.schema) {
    if (!field.is_object() || !field.contains("name") || !field["name"].is_string()) continue;
    const std::string name = field["name"].get<std::string>();
    types[name] = field.contains("type") && field["type"].is_string() ? field["type"].get<std::string>() : "";
    listed += (listed.empty() ? "" : ", ") + name;
  }
  const std::string where = "dataset '" + version.dataset + "' version " + std::to_string(version.version);
  if (!types.contains(options.label)) {
    return invalid_argument(where + " has no label column '" + options.label + "' (it has: " + listed + ")");
  }
  if (options.task == Task::kRegression && !numeric_type(types[options.label])) {
    return invalid_argument("the label '" + options.label + "' is " + types[options.label] +
                            "; a regression label must be numeric (or ask for task \"classification\")");
  }
  for (const std::string& key : options.keys) {
    if (!types.contains(key)) return invalid_argument(where + " has no key column '" + key + "'");
  }
  const bool any_numeric = std::any_of(types.begin(), types.end(), [&](const auto& column) {
    return column.first != options.label && numeric_type(column.second) &&
           std::find(options.keys.begin(), options.keys.end(), column.first) == options.keys.end();
  });
  if (!any_numeric) {
    return invalid_argument(where + " has no numeric column besides the label '" + options.label +
                            "' to build features from (it has: " + listed + ")");
  }
  return {};
}

Result<json> validate(data::api::DataApi& api, uint64_t max_rows, const json& params) {
  if (!params.is_object()) return invalid_argument("params must be a JSON object");
  std::vector<const char*> fields(std::begin(kSearchOptionFields), std::end(kSearchOptionFields));
  fields.push_back("dataset");
  fields.push_back("version");
  MAAS_RETURN_IF_ERROR(check_known_fields(params, "params", fields));
  MAAS_ASSIGN_OR_RETURN(SearchOptions options, parse_search_options(params));
  MAAS_ASSIGN_OR_RETURN(std::string dataset, jobs::string_param(params, "dataset"));
  MAAS_ASSIGN_OR_RETURN(std::string ref, data::api::version_ref(params, "version"));
  MAAS_ASSIGN_OR_RETURN(data::DatasetVersionView view, api.registry().get_version(dataset, ref));
  if (view.version.row_count == 0) {
    return invalid_argument("dataset '" + dataset + "' version " + std::to_string(view.version.version) +
                            " has no rows to search features on");
  }
  MAAS_RETURN_IF_ERROR(check_schema(options, view.version));
  json out = params;
  out.erase("dataset");
  out["version"] = view.version.version;
  out["input"] = {{"dataset", dataset},
                  {"version", view.version.version},
                  {"file", fs::absolute(api.artifacts().blob_path(view.version.digest)).lexically_normal().string()}};
  // The columns the job reads: numbers and text, what a search can use; a timestamp or a list beside them is left
  // in the file rather than failing the read.
  out["columns"] = json::array();
  for (const auto& field : view.version.schema) {
    if (!field.is_object() || !field.contains("name") || !field["name"].is_string()) continue;
    const std::string type =
        field.contains("type") && field["type"].is_string() ? field["type"].get<std::string>() : "";
    if (numeric_type(type) || type == "VARCHAR") out["columns"].push_back(field["name"]);
  }
  out["max_rows"] = max_rows;
  out["memory_limit_bytes"] = api.source_settings().memory_limit_bytes;
  return out;
}

}  // namespace

jobs::JobKind search_job_kind(data::api::DataApi& api, uint64_t max_rows) {
  jobs::JobKind kind;
  kind.name = kSearchJobKind;
  kind.description = "search a dataset version for features that improve a model's cross-validated score";
  kind.validate = [&api, max_rows](const json& params) { return validate(api, max_rows, params); };
  return kind;
}

}  // namespace maas::features::search
