#include "data/sources/snapshot_job.h"

#include "data/sources/secret_box.h"
#include "data/sources/source_reader.h"
#include "data/sources/source_store.h"

namespace maas::data::sources {
namespace {

using nlohmann::json;

Result<std::string> string_param(const json& params, const char* key) {
  auto it = params.find(key);
  if (it == params.end() || !it->is_string()) return invalid_argument(std::string("params.") + key + " is missing");
  return it->get<std::string>();
}

}  // namespace

Status run_snapshot(jobs::JobContext& job) {
  const json& params = job.params();
  MAAS_ASSIGN_OR_RETURN(std::string name, string_param(params, "source"));
  MAAS_ASSIGN_OR_RETURN(std::string data_dir, string_param(params, "data_dir"));
  MAAS_ASSIGN_OR_RETURN(auto sources, SourceStore::open(std::filesystem::path(data_dir) / "metadata.db"));
  MAAS_ASSIGN_OR_RETURN(Source source, sources->get(name));
  ReadRequest request;
  request.source = &source;
  if (!source.sealed_secret.empty()) {
    MAAS_ASSIGN_OR_RETURN(std::string secret, read_installation_secret(data_dir));
    MAAS_ASSIGN_OR_RETURN(request.password, open_secret(secret, source.sealed_secret));
  }
  if (auto roots = params.find("file_roots"); roots != params.end() && roots->is_array()) {
    for (const auto& root : *roots) {
      if (root.is_string()) request.roots.emplace_back(root.get<std::string>());
    }
  }
  request.since = params.contains("since") ? params["since"] : json();
  request.out_dir = job.scratch_dir();
  request.data_dir = data_dir;
  request.cancelled = [&job] { return job.cancelled(); };
  request.progress = [&job](int64_t rows) {
    job.progress(0.5, std::to_string(rows) + " rows read", {{"rows", static_cast<double>(rows)}});
  };
  if (auto m = params.find("memory_limit_bytes"); m != params.end() && m->is_number_unsigned()) {
    request.memory_limit_bytes = m->get<uint64_t>();
  }
  request.threads = std::max(1, job.cpu_slots());
  if (auto file = params.find("logs_file"); file != params.end() && file->is_string()) {
    request.logs_file = file->get<std::string>();
    request.logs_watermark = params.contains("logs_watermark") ? params["logs_watermark"] : json();
  }
  job.log(jobs::LogLevel::kInfo,
          "snapshot of source '" + name + "' (" + source.kind + ")" +
              (request.since.is_null() ? ", full" : ", after watermark " + request.since.dump()));
  MAAS_ASSIGN_OR_RETURN(ReadOutcome outcome, read_source(request));
  job.log(jobs::LogLevel::kInfo, std::to_string(outcome.rows) + " rows read");
  job.progress(1.0, std::to_string(outcome.rows) + " rows read", {{"rows", static_cast<double>(outcome.rows)}});
  if (outcome.rejected_rows > 0) {
    job.log(jobs::LogLevel::kWarn,
            std::to_string(outcome.rejected_rows) + " lines rejected (kept as the version's rejects)");
  }
  job.set_result(
      {{"rows", outcome.rows},
       {"file", outcome.file.empty() ? json(nullptr) : json(outcome.file.string())},
       {"format", outcome.format},
       {"watermark", outcome.watermark},
       {"rejected_rows", outcome.rejected_rows},
       {"rejects_file", outcome.rejects_file.empty() ? json(nullptr) : json(outcome.rejects_file.string())}});
  return {};
}

}  // namespace maas::data::sources
