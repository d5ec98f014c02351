// maasd's half of data.snapshot (the executor is data/sources/snapshot_job.h, in maas-job). validate() fixes what
// the job may touch — maasd's data dir and sources.file_roots, never a submitter's — and the watermark it starts
// from; on_succeeded() imports the job's rows file as the dataset's next version, with the new watermark in its
// lineage, in one SQLite transaction: a crash before it leaves no version (the job requeues and reads again from
// the same watermark), after it a version a requeued job finds by its id and does not record twice.
#include "common/names.h"
#include "data/api/data_api.h"
#include "data/api/job_outputs.h"
#include "data/api/routes.h"
#include "data/sources/snapshot_job.h"

namespace maas::data::api {
namespace {

using nlohmann::json;

std::string lineage_source(const std::string& source) { return "source:" + source; }

}  // namespace

Result<json> latest_source_watermark(DatasetRegistry& registry, const std::string& dataset, const std::string& source) {
  std::string page_token;
  for (;;) {
    store::DatasetVersionQuery query;
    query.limit = 100;
    auto page = registry.list_versions(dataset, query, page_token);
    if (!page.ok() && page.status().code() == StatusCode::kNotFound) return json();
    if (!page.ok()) return page.status();
    for (const auto& view : page->versions) {
      const auto& lineage = view.version.lineage;
      if (lineage.source != lineage_source(source)) continue;
      const json& input = lineage.details.contains("input") ? lineage.details["input"] : json();
      if (input.is_object() && input.contains("watermark") && !input["watermark"].is_null()) return input["watermark"];
    }
    if (page->next_page_token.empty()) return json();
    page_token = page->next_page_token;
  }
}

Result<std::optional<int64_t>> version_of_job(DatasetRegistry& registry, const std::string& dataset,
                                              const std::string& job_id) {
  store::DatasetVersionQuery query;
  query.limit = 100;
  auto page = registry.list_versions(dataset, query, "");
  if (!page.ok() && page.status().code() == StatusCode::kNotFound) return std::optional<int64_t>();
  if (!page.ok()) return page.status();
  for (const auto& view : page->versions) {
    if (view.version.lineage.job_id == job_id) return std::optional<int64_t>(view.version.version);
  }
  return std::optional<int64_t>();
}

Result<std::filesystem::path> job_output_file(const DataApi& api, const std::string& job_id, const json& value) {
  const std::filesystem::path job_dir = api.source_settings().data_dir / "jobs" / job_id;
  if (!value.is_string()) return internal_error("the job reported no output file");
  const std::filesystem::path file = std::filesystem::path(value.get<std::string>()).lexically_normal();
  auto [a, b] = std::mismatch(job_dir.begin(), job_dir.end(), file.begin(), file.end());
  if (a != job_dir.end()) return internal_error("the job's output file is outside its directory");
  return file;
}

Status ensure_dataset(DataApi& api, const std::string& name, const std::string& description) {
  auto d = api.registry().get_dataset(name);
  if (d.ok() || d.status().code() != StatusCode::kNotFound) return d.status();
  store::NewDataset created;
  created.name = name;
  created.description = description;
  if (auto c = api.registry().create_dataset(created); !c.ok() && c.status().code() != StatusCode::kAlreadyExists) {
    return c.status();
  }
  return {};
}

namespace {

Result<std::string> required_string(const json& params, const char* key) {
  auto it = params.find(key);
  if (it == params.end() || !it->is_string())
    return invalid_argument(std::string("params.") + key + " must be a string");
  return it->get<std::string>();
}

Result<json> validate(DataApi& api, const json& params) {
  if (!params.is_object()) return invalid_argument("params must be a JSON object");
  for (const auto& [key, value] : params.items()) {
    if (key != "source" && key != "dataset" && key != "mode" && key != "logs_file" && key != "logs_watermark") {
      return invalid_argument("params." + key + " is not a parameter of data.snapshot (source, dataset, mode)");
    }
  }
  MAAS_ASSIGN_OR_RETURN(std::string name, required_string(params, "source"));
  MAAS_ASSIGN_OR_RETURN(sources::Source source, api.sources().get(name));
  const auto& settings = api.source_settings();
  // A logs source's rows were queried by the snapshot route into a file of maasd's own: only such a file.
  json logs_file;
  if (source.kind == "logs" || params.contains("logs_file")) {
    const std::filesystem::path logs_dir = settings.data_dir / "sources" / "logs";
    auto file = params.find("logs_file");
    if (source.kind != "logs" || file == params.end() || !file->is_string() ||
        std::filesystem::path(file->get<std::string>()).parent_path() != logs_dir ||
        !std::filesystem::is_regular_file(file->get<std::string>())) {
      return invalid_argument("a logs source is snapshotted by POST /api/v1/sources/" + name + "/snapshot");
    }
    logs_file = *file;
  }
  std::string dataset = params.contains("dataset") ? "" : name;
  if (dataset.empty()) {
    MAAS_ASSIGN_OR_RETURN(dataset, required_string(params, "dataset"));
  }
  MAAS_RETURN_IF_ERROR(validate_name(dataset, "dataset"));
  const bool can_follow =
      sources::follows_offset(source.kind) || source.kind == "logs" || !sources::watermark_column(source).empty();
  std::string mode = can_follow ? "incremental" : "full";
  if (params.contains("mode")) {
    MAAS_ASSIGN_OR_RETURN(mode, required_string(params, "mode"));
  }
  if (mode != "full" && mode != "incremental") return invalid_argument("params.mode must be 'full' or 'incremental'");
  if (mode == "incremental" && !can_follow) {
    return invalid_argument("source '" + name + "' has no watermark_column: only full snapshots");
  }
  json since;
  if (mode == "incremental") {
    MAAS_ASSIGN_OR_RETURN(since, latest_source_watermark(api.registry(), dataset, name));
  }
  json roots = json::array();
  for (const auto& root : settings.file_roots) roots.push_back(root.string());
  json out = {{"source", name},      {"kind", source.kind},
              {"dataset", dataset},  {"mode", mode},
              {"since", since},      {"data_dir", settings.data_dir.string()},
              {"file_roots", roots}, {"memory_limit_bytes", settings.memory_limit_bytes}};
  if (!logs_file.is_null()) {
    out["logs_file"] = logs_file;
    out["logs_watermark"] = params.contains("logs_watermark") ? params["logs_watermark"] : json();
  }
  return out;
}

Status import_rows(DataApi& api, const jobs::SucceededJob& job) {
  const json& result = job.result;
  if (!result.is_object() || !result.contains("rows") || !result["rows"].is_number_integer()) {
    return internal_error("the snapshot job reported no row count");
  }
  if (result["rows"].get<int64_t>() == 0) return {};  // nothing new: no version
  const std::string source = job.params["source"].get<std::string>();
  const std::string dataset = job.params["dataset"].get<std::string>();
  MAAS_ASSIGN_OR_RETURN(auto done, version_of_job(api.registry(), dataset, job.id));
  if (done) return {};
  if (job.params["mode"] == "incremental") {
    MAAS_ASSIGN_OR_RETURN(json latest, latest_source_watermark(api.registry(), dataset, source));
    if (latest != job.params["since"]) {
      return failed_precondition("another snapshot of '" + source + "' into '" + dataset +
                                 "' recorded rows past this one's starting watermark; snapshot again");
    }
  }
  // The rows file must be the job's own, in its directory under the data dir.
  MAAS_ASSIGN_OR_RETURN(const std::filesystem::path file, job_output_file(api, job.id, result["file"]));
  MAAS_RETURN_IF_ERROR(ensure_dataset(api, dataset, "snapshots of source " + source));
  ImportRequest request;
  request.options.format = result["format"] == "parquet" ? FileFormat::kParquet : FileFormat::kJsonl;
  request.source = lineage_source(source);
  request.input = {{"source", source},
                   {"kind", job.params.value("kind", "")},
                   {"mode", job.params["mode"]},
                   {"since", job.params["since"]},
                   {"watermark", result["watermark"]},
                   {"rows_read", result["rows"]}};
  request.created_by = job.owner;
  request.job_id = job.id;
  if (result.contains("rejects_file") && result["rejects_file"].is_string()) {
    MAAS_ASSIGN_OR_RETURN(request.rejects_file, job_output_file(api, job.id, result["rejects_file"]));
    request.rejected_rows = result.contains("rejected_rows") && result["rejected_rows"].is_number_integer()
                                ? result["rejected_rows"].get<int64_t>()
                                : 0;
  }
  return api.registry().import_version(dataset, file, request).status();
}

Status record_version(DataApi& api, const jobs::SucceededJob& job) {
  Status s = import_rows(api, job);
  // A logs source's query result is the job's alone; once its rows are recorded it is spent.
  if (s.ok() && job.params.contains("logs_file") && job.params["logs_file"].is_string()) {
    std::error_code ec;
    std::filesystem::remove(job.params["logs_file"].get<std::string>(), ec);
  }
  return s;
}

}  // namespace

std::vector<jobs::JobKind> DataApi::job_kinds() {
  jobs::JobKind snapshot;
  snapshot.name = sources::kSnapshotJobKind;
  snapshot.description = "snapshot a source into a dataset version (full, or the rows past its watermark)";
  snapshot.validate = [this](const json& params) { return validate(*this, params); };
  snapshot.on_succeeded = [this](const jobs::SucceededJob& job) { return record_version(*this, job); };
  std::vector<jobs::JobKind> kinds;
  kinds.push_back(std::move(snapshot));
  kinds.push_back(rule_job_kind(*this));
  for (auto& kind : prep_job_kinds(*this)) kinds.push_back(std::move(kind));
  for (auto& kind : added_kinds_) kinds.push_back(std::move(kind));
  added_kinds_.clear();
  return kinds;
}

}  // namespace maas::data::api
