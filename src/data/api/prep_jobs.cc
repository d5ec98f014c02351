// maasd's half of data.clean, data.split and data.drift (the executors are data/prep/prep_job.h, in maas-job), and
// their submission by the preparation routes. validate() resolves the input versions to their snapshot files and
// schemas and checks the recipe or the split against them (a 400 names the step and the field), so the job reads
// only what maasd's records name; "pins" lists the input blobs, which the job holds until it ends (the store's
// referenced_digests). on_succeeded() records a clean's or a split's files as the next version of the target dataset,
// keyed on the job's id, and adds {"dataset", "version"} to the job's result; a drift's report is its result.
#include <filesystem>

#include "api/json_io.h"
#include "common/names.h"
#include "data/api/job_outputs.h"
#include "data/api/routes.h"
#include "data/prep/clean.h"
#include "data/prep/drift.h"
#include "data/prep/prep_job.h"
#include "data/prep/split.h"
#include "data/rules/rule_job.h"

namespace maas::data::api {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Status only_keys(const json& params, const char* kind, std::initializer_list<const char*> keys) {
  if (!params.is_object()) return invalid_argument("params must be a JSON object");
  for (const auto& item : params.items()) {
    const std::string& key = item.key();
    if (std::none_of(keys.begin(), keys.end(), [&key](const char* k) { return key == k; })) {
      std::string list;
      for (const char* k : keys) list += (list.empty() ? "" : ", ") + std::string(k);
      return invalid_argument("params." + key + " is not a parameter of " + kind + " (" + list + ")");
    }
  }
  return {};
}

// The version a job reads: {dataset, version, file, schema}, its blob added to `pins`.
Result<json> input_version(DataApi& api, const std::string& dataset, const std::string& ref, json& pins) {
  MAAS_ASSIGN_OR_RETURN(DatasetVersionView view, api.registry().get_version(dataset, ref));
  pins.push_back(view.version.digest);
  return json{{"dataset", view.version.dataset},
              {"version", view.version.version},
              {"file", fs::absolute(api.artifacts().blob_path(view.version.digest)).lexically_normal().string()},
              {"schema", view.version.schema}};
}

// What a clean or a split records besides its rows: the target dataset (default: the input's, which must exist),
// description and tags, checked here and copied into the normalized params.
Status new_version_fields(DataApi& api, const json& params, const std::string& input_dataset, json& out) {
  MAAS_ASSIGN_OR_RETURN(auto into, maas::api::optional_string(params, "into", 256));
  out["into"] = into.value_or(input_dataset);
  MAAS_RETURN_IF_ERROR(validate_name(out["into"].get<std::string>(), "dataset"));
  MAAS_RETURN_IF_ERROR(api.registry().get_dataset(out["into"].get<std::string>()).status());
  MAAS_ASSIGN_OR_RETURN(auto description, maas::api::optional_string(params, "description", 8192));
  out["description"] = description.value_or("");
  MAAS_ASSIGN_OR_RETURN(auto tags, maas::api::optional_string_map(params, "tags"));
  out["tags"] = json::object();
  for (const auto& [k, v] : tags.value_or(store::StringMap{})) out["tags"][k] = v;
  return {};
}

Result<json> validate_clean(DataApi& api, const json& params) {
  MAAS_RETURN_IF_ERROR(
      only_keys(params, prep::kCleanJobKind, {"dataset", "version", "steps", "into", "description", "tags"}));
  MAAS_ASSIGN_OR_RETURN(std::string dataset, rules::string_param(params, "dataset"));
  MAAS_ASSIGN_OR_RETURN(std::string ref, version_ref(params, "version"));
  json out = {{"pins", json::array()}, {"memory_limit_bytes", api.source_settings().memory_limit_bytes}};
  MAAS_ASSIGN_OR_RETURN(out["input"], input_version(api, dataset, ref, out["pins"]));
  MAAS_ASSIGN_OR_RETURN(prep::Recipe recipe,
                        prep::recipe_from_json(json{{"steps", params.contains("steps") ? params["steps"] : json()}}));
  MAAS_RETURN_IF_ERROR(prep::check_recipe(recipe, schema_from_json(out["input"]["schema"])).status());
  out["recipe"] = prep::recipe_to_json(recipe);
  MAAS_RETURN_IF_ERROR(new_version_fields(api, params, dataset, out));
  return out;
}

Result<json> validate_split(DataApi& api, const json& params) {
  MAAS_RETURN_IF_ERROR(only_keys(
      params, prep::kSplitJobKind,
      {"dataset", "version", "method", "fractions", "seed", "column", "split_column", "into", "description", "tags"}));
  MAAS_ASSIGN_OR_RETURN(std::string dataset, rules::string_param(params, "dataset"));
  MAAS_ASSIGN_OR_RETURN(std::string ref, version_ref(params, "version"));
  json out = {{"pins", json::array()}, {"memory_limit_bytes", api.source_settings().memory_limit_bytes}};
  MAAS_ASSIGN_OR_RETURN(out["input"], input_version(api, dataset, ref, out["pins"]));
  json spec_json = params;
  for (const char* key : {"dataset", "version", "into", "description", "tags"}) spec_json.erase(key);
  MAAS_ASSIGN_OR_RETURN(prep::SplitSpec spec, prep::split_spec_from_json(spec_json));
  MAAS_RETURN_IF_ERROR(prep::check_split(spec, schema_from_json(out["input"]["schema"])));
  out["spec"] = prep::split_spec_to_json(spec);
  MAAS_RETURN_IF_ERROR(new_version_fields(api, params, dataset, out));
  return out;
}

// One side of a drift check, with the part (of a split version) checked against its schema.
Result<json> drift_side(DataApi& api, const std::string& dataset, const std::string& ref, const std::string& part,
                        const std::string& split_column, json& pins) {
  MAAS_ASSIGN_OR_RETURN(json side, input_version(api, dataset, ref, pins));
  if (part.empty()) return side;
  if (part != "train" && part != "validation" && part != "test") {
    return invalid_argument("a part is train, validation or test, got '" + part + "'");
  }
  side["part"] = part;
  for (const auto& f : schema_from_json(side["schema"])) {
    if (f.name == split_column) return side;
  }
  return invalid_argument("version " + side["version"].dump() + " of dataset '" + dataset + "' has no column '" +
                          split_column + "' to take the part '" + part + "' from");
}

std::vector<std::string> split_on(const std::string& text, char separator) {
  std::vector<std::string> out;
  for (size_t start = 0;;) {
    size_t at = text.find(separator, start);
    out.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return out;
    start = at + 1;
  }
}

}  // namespace

Result<json> validate_drift(DataApi& api, const json& params) {
  MAAS_RETURN_IF_ERROR(only_keys(params, prep::kDriftJobKind,
                                 {"dataset", "version", "part", "against", "columns", "bins", "split_column"}));
  MAAS_ASSIGN_OR_RETURN(std::string dataset, rules::string_param(params, "dataset"));
  MAAS_ASSIGN_OR_RETURN(std::string ref, version_ref(params, "version"));
  MAAS_ASSIGN_OR_RETURN(auto split_column, maas::api::optional_string(params, "split_column", 256));
  MAAS_ASSIGN_OR_RETURN(auto part, maas::api::optional_string(params, "part", 16));
  const std::string column = split_column.value_or("split");
  json out = {{"pins", json::array()},
              {"split_column", column},
              {"memory_limit_bytes", api.source_settings().memory_limit_bytes}};
  MAAS_ASSIGN_OR_RETURN(out["a"], drift_side(api, dataset, ref, part.value_or(""), column, out["pins"]));
  if (!params.contains("against") || !params["against"].is_string()) {
    return invalid_argument("'against' (<dataset>:<version>[:<part>]) is required");
  }
  const std::vector<std::string> against = split_on(params["against"].get<std::string>(), ':');
  if (against.size() < 2 || against.size() > 3 || against[0].empty() || against[1].empty()) {
    return invalid_argument("'against' is <dataset>:<version>[:<part>], e.g. orders:3 or orders:3:test");
  }
  MAAS_ASSIGN_OR_RETURN(
      out["b"], drift_side(api, against[0], against[1], against.size() == 3 ? against[2] : "", column, out["pins"]));
  out["columns"] = json::array();
  if (auto c = params.find("columns"); c != params.end() && !c->is_null()) {
    if (c->is_string()) {
      if (!c->get<std::string>().empty()) out["columns"] = split_on(c->get<std::string>(), ',');
    } else if (c->is_array() && std::all_of(c->begin(), c->end(), [](const json& v) { return v.is_string(); })) {
      out["columns"] = *c;
    } else {
      return invalid_argument("'columns' is a list of column names (or one comma-separated string)");
    }
  }
  out["bins"] = 10;
  if (auto bins = params.find("bins"); bins != params.end() && !bins->is_null()) {
    if (!bins->is_number_integer() || bins->get<int64_t>() < 2 || bins->get<int64_t>() > 100) {
      return invalid_argument("'bins' must be an integer from 2 to 100");
    }
    out["bins"] = *bins;
  }
  return out;
}

namespace {

// Records a clean's or a split's files as the next version of params.into, once per job id.
Status record_derived(DataApi& api, const jobs::SucceededJob& job, const std::string& what, json details) {
  const json& p = job.params;
  const json& result = job.result;
  const std::string into = p["into"].get<std::string>();
  auto note = [&job, &into](int64_t version) { *job.recorded = {{"dataset", into}, {"version", version}}; };
  MAAS_ASSIGN_OR_RETURN(auto done, version_of_job(api.registry(), into, job.id));
  if (done) {
    note(*done);
    return {};
  }
  if (!result.is_object() || !result.contains("rows") || !result["rows"].is_number_integer()) {
    return internal_error("the " + what + " job reported no row count");
  }
  MAAS_ASSIGN_OR_RETURN(const fs::path rows_file, job_output_file(api, job.id, result["file"]));
  std::optional<fs::path> rejects_file;
  if (result.contains("rejects_file") && !result["rejects_file"].is_null()) {
    MAAS_ASSIGN_OR_RETURN(rejects_file, job_output_file(api, job.id, result["rejects_file"]));
  }
  const json& input = p["input"];
  DeriveRequest request;
  request.dataset = into;
  request.read_inputs = false;  // the job read its input, which it held; the version may be gone since
  request.inputs = {{input["dataset"].get<std::string>(), input["version"].get<int64_t>()}};
  request.lineage.source = what + ":" + input["dataset"].get<std::string>() + "@" + input["version"].dump();
  request.lineage.job_id = job.id;
  request.description =
      p.contains("description") && p["description"].is_string() ? p["description"].get<std::string>() : "";
  MAAS_ASSIGN_OR_RETURN(auto tags, maas::api::optional_string_map(p, "tags"));
  request.tags = tags.value_or(store::StringMap{});
  request.created_by = job.owner;
  DerivedTable table;
  table.rows = result["rows"].get<int64_t>();
  table.rejected_rows = result.contains("rejected_rows") && result["rejected_rows"].is_number_integer()
                            ? result["rejected_rows"].get<int64_t>()
                            : 0;
  table.details = std::move(details);
  MAAS_ASSIGN_OR_RETURN(DatasetVersionView view,
                        api.registry().derive_version(request, adopt_job_output(rows_file, rejects_file, table)));
  note(view.version.version);
  return {};
}

}  // namespace

std::vector<jobs::JobKind> prep_job_kinds(DataApi& api) {
  jobs::JobKind clean;
  clean.name = prep::kCleanJobKind;
  clean.description = "clean a dataset version with a recipe into a new version";
  clean.validate = [&api](const json& params) { return validate_clean(api, params); };
  clean.on_succeeded = [&api](const jobs::SucceededJob& job) {
    json steps = job.result.is_object() && job.result.contains("steps") ? job.result["steps"] : json::array();
    return record_derived(api, job, "clean", {{"clean", {{"recipe", job.params["recipe"]}, {"steps", steps}}}});
  };
  jobs::JobKind split;
  split.name = prep::kSplitJobKind;
  split.description = "split a dataset version into train/validation/test in a new version";
  split.validate = [&api](const json& params) { return validate_split(api, params); };
  split.on_succeeded = [&api](const jobs::SucceededJob& job) {
    json details = {{"split", job.params["spec"]}};
    details["split"]["counts"] =
        job.result.is_object() && job.result.contains("counts") ? job.result["counts"] : json();
    return record_derived(api, job, "split", std::move(details));
  };
  jobs::JobKind drift;
  drift.name = prep::kDriftJobKind;
  drift.description = "compare two dataset versions (or parts of a split): PSI and Kolmogorov-Smirnov per column";
  drift.validate = [&api](const json& params) { return validate_drift(api, params); };
  std::vector<jobs::JobKind> kinds;
  kinds.push_back(std::move(clean));
  kinds.push_back(std::move(split));
  kinds.push_back(std::move(drift));
  return kinds;
}

Result<jobs::JobView> submit_data_job(DataApi& api, const std::string& kind, json params, const json& body,
                                      const std::string& owner) {
  jobs::JobService* service = api.jobs();
  if (service == nullptr) return unavailable("the job system is not running yet; try again");
  jobs::Submission submission;
  submission.kind = kind;
  submission.params = std::move(params);
  if (body.contains("priority")) {
    if (!body["priority"].is_number_integer()) return invalid_argument("'priority' must be an integer");
    submission.priority = body["priority"].get<int>();
  }
  submission.owner = owner;
  return service->submit(std::move(submission));
}

}  // namespace maas::data::api
