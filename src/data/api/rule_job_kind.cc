// maasd's half of data.rule (the executor is data/rules/rule_job.h, in maas-job), and POST /api/v1/rules/{name}/run's
// submission. validate() fixes everything the job reads from maasd's records — the rule version's whole spec, the
// input version's snapshot file or the source's name, maasd's data dir and file roots — never a submitter's paths;
// on_succeeded() records the job's rows file (and rejects file) as the next version of the target dataset, with the
// rule version and the input as its lineage, keyed on the job's id so that a requeued job records one version.
#include <filesystem>

#include "common/names.h"
#include "data/api/job_outputs.h"
#include "data/api/routes.h"
#include "data/rules/rule_job.h"

namespace maas::data::api {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Result<json> validate(DataApi& api, const json& params) {
  if (!params.is_object()) return invalid_argument("params must be a JSON object");
  for (const auto& [key, value] : params.items()) {
    if (key != "rule" && key != "rule_version" && key != "dataset" && key != "version" && key != "source" &&
        key != "into" && key != "description") {
      return invalid_argument("params." + key +
                              " is not a parameter of data.rule (rule, rule_version, dataset, version, source, into, "
                              "description)");
    }
  }
  MAAS_ASSIGN_OR_RETURN(std::string name, rules::string_param(params, "rule"));
  int64_t rule_version = 0;
  if (auto v = params.find("rule_version"); v != params.end() && !v->is_null()) {
    if (!v->is_number_integer() || v->get<int64_t>() < 1) {
      return invalid_argument("params.rule_version must be a positive integer");
    }
    rule_version = v->get<int64_t>();
  }
  MAAS_ASSIGN_OR_RETURN(rules::RuleRecord rule, api.rules().get(name, rule_version));
  if (params.contains("dataset") == params.contains("source")) {
    return invalid_argument("name the input: 'dataset' (with an optional 'version') or 'source'");
  }
  json input, pins = json::array();
  if (params.contains("dataset")) {
    MAAS_ASSIGN_OR_RETURN(std::string dataset, rules::string_param(params, "dataset"));
    MAAS_ASSIGN_OR_RETURN(std::string ref, version_ref(params, "version"));
    MAAS_ASSIGN_OR_RETURN(DatasetVersionView view, api.registry().get_version(dataset, ref));
    input = {{"dataset", dataset},
             {"version", view.version.version},
             {"file", fs::absolute(api.artifacts().blob_path(view.version.digest)).lexically_normal().string()}};
    pins.push_back(view.version.digest);  // the job holds its input until it ends (referenced_digests)
  } else {
    if (params.contains("version")) return invalid_argument("'version' applies to a dataset input, not a source");
    MAAS_ASSIGN_OR_RETURN(std::string source_name, rules::string_param(params, "source"));
    MAAS_ASSIGN_OR_RETURN(sources::Source source, api.sources().get(source_name));
    if (source.kind == "logs") {
      return invalid_argument("a logs source is read by its snapshot: snapshot '" + source_name +
                              "' into a dataset and run the rule over that dataset");
    }
    input = {{"source", source_name}};
  }
  MAAS_ASSIGN_OR_RETURN(std::string into, rules::string_param(params, "into"));
  MAAS_RETURN_IF_ERROR(validate_name(into, "dataset"));
  json roots = json::array();
  for (const auto& root : api.source_settings().file_roots) roots.push_back(root.string());
  json out = {{"rule", rule.name},
              {"rule_version", rule.version},
              {"spec", rule.spec},
              {"input", input},
              {"into", into},
              {"pins", pins},
              {"data_dir", api.source_settings().data_dir.string()},
              {"file_roots", roots},
              {"memory_limit_bytes", api.source_settings().memory_limit_bytes},
              {"max_pattern_bytes", api.limits().rules.max_pattern_bytes},
              {"regex_max_mem_bytes", static_cast<uint64_t>(api.limits().rules.regex_max_mem_bytes)}};
  if (params.contains("description")) {
    MAAS_ASSIGN_OR_RETURN(std::string description, rules::string_param(params, "description"));
    out["description"] = description;
  }
  return out;
}

Status record_version(DataApi& api, const jobs::SucceededJob& job) {
  const json& p = job.params;
  const json& result = job.result;
  const std::string into = p["into"].get<std::string>();
  MAAS_ASSIGN_OR_RETURN(auto done, version_of_job(api.registry(), into, job.id));
  if (done) return {};
  if (!result.is_object() || !result.contains("rows") || !result["rows"].is_number_integer()) {
    return internal_error("the rule job reported no row count");
  }
  MAAS_ASSIGN_OR_RETURN(const fs::path rows_file, job_output_file(api, job.id, result["file"]));
  std::optional<fs::path> rejects_file;
  if (result.contains("rejects_file") && !result["rejects_file"].is_null()) {
    MAAS_ASSIGN_OR_RETURN(rejects_file, job_output_file(api, job.id, result["rejects_file"]));
  }
  const std::string rule = p["rule"].get<std::string>() + "@" + std::to_string(p["rule_version"].get<int64_t>());
  MAAS_RETURN_IF_ERROR(ensure_dataset(api, into, "rows extracted by rule " + p["rule"].get<std::string>()));
  const json& input = p["input"];
  DeriveRequest request;
  request.dataset = into;
  request.read_inputs = false;  // the job read its input; the version may be gone since
  if (input.contains("dataset")) {
    request.inputs = {{input["dataset"].get<std::string>(), input["version"].get<int64_t>()}};
    request.lineage.source =
        "dataset:" + input["dataset"].get<std::string>() + "@" + std::to_string(input["version"].get<int64_t>());
  } else {
    request.lineage.source = "source:" + input["source"].get<std::string>();
  }
  request.lineage.rule = rule;
  request.lineage.job_id = job.id;
  request.description = p.contains("description") ? p["description"].get<std::string>() : "";
  request.created_by = job.owner;
  json details = {{"rule", {{"name", p["rule"]}, {"version", p["rule_version"]}, {"type", p["spec"]["type"]}}},
                  {"input", {{"rows", result["input_rows"]}}}};
  for (const auto& [key, value] : input.items()) {
    if (key != "file") details["input"][key] = value;
  }
  DerivedTable table;
  table.rows = result["rows"].get<int64_t>();
  table.rejected_rows = result.value("rejected_rows", int64_t{0});
  table.details = std::move(details);
  return api.registry().derive_version(request, adopt_job_output(rows_file, rejects_file, table)).status();
}

}  // namespace

Result<std::string> version_ref(const json& params, const char* key) {
  auto it = params.find(key);
  if (it == params.end() || it->is_null()) return std::string("latest");
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  if (it->is_string()) return it->get<std::string>();
  return invalid_argument(std::string("params.") + key + " must be a version number or reference");
}

jobs::JobKind rule_job_kind(DataApi& api) {
  jobs::JobKind kind;
  kind.name = rules::kRuleJobKind;
  kind.description = "run an extraction rule over a dataset version or a source into a new dataset version";
  kind.validate = [&api](const json& params) { return validate(api, params); };
  kind.on_succeeded = [&api](const jobs::SucceededJob& job) { return record_version(api, job); };
  return kind;
}

Result<jobs::JobView> submit_rule_run(DataApi& api, const std::string& rule, const json& body,
                                      const std::string& owner) {
  json params = {{"rule", rule}};
  for (const char* key : {"rule_version", "dataset", "version", "source", "into", "description"}) {
    if (body.contains(key)) params[key] = body[key];
  }
  return submit_data_job(api, rules::kRuleJobKind, std::move(params), body, owner);
}

}  // namespace maas::data::api
