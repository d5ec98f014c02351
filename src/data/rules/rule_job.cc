#include "data/rules/rule_job.h"

#include <filesystem>

#include "data/datasets/schema.h"
#include "data/engine/database.h"
#include "data/engine/sql_text.h"
#include "data/rules/apply.h"
#include "data/rules/sample_run.h"
#include "data/sources/secret_box.h"
#include "data/sources/source_reader.h"
#include "data/sources/source_store.h"

namespace maas::data::rules {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using jobs::unsigned_param;

struct InputFile {
  fs::path path;
  std::string relation;
};

// A source's rows, all of them, into the scratch directory (as a snapshot job reads them).
Result<InputFile> read_source_rows(jobs::JobContext& job, const std::string& name, const std::string& data_dir) {
  MAAS_ASSIGN_OR_RETURN(auto store, sources::SourceStore::open(fs::path(data_dir) / "metadata.db"));
  MAAS_ASSIGN_OR_RETURN(sources::Source source, store->get(name));
  sources::ReadRequest request;
  request.source = &source;
  if (!source.sealed_secret.empty()) {
    MAAS_ASSIGN_OR_RETURN(std::string secret, sources::read_installation_secret(data_dir));
    MAAS_ASSIGN_OR_RETURN(request.password, sources::open_secret(secret, source.sealed_secret));
  }
  const json& params = job.params();
  if (auto roots = params.find("file_roots"); roots != params.end() && roots->is_array()) {
    for (const auto& root : *roots) {
      if (root.is_string()) request.roots.emplace_back(root.get<std::string>());
    }
  }
  request.out_dir = fs::path(job.scratch_dir()) / "source";
  std::error_code ec;
  fs::create_directories(request.out_dir, ec);
  if (ec) return internal_error("cannot create " + request.out_dir.string() + ": " + ec.message());
  request.data_dir = data_dir;
  request.cancelled = [&job] { return job.cancelled(); };
  request.progress = [&job](int64_t rows) {
    job.progress(0.3, std::to_string(rows) + " source rows read", {{"source_rows", static_cast<double>(rows)}});
  };
  request.memory_limit_bytes = unsigned_param(params, "memory_limit_bytes", request.memory_limit_bytes);
  request.threads = std::max(1, job.cpu_slots());
  MAAS_ASSIGN_OR_RETURN(sources::ReadOutcome outcome, sources::read_source(request));
  if (outcome.rejected_rows > 0) {
    job.log(jobs::LogLevel::kWarn, std::to_string(outcome.rejected_rows) +
                                       " source lines could not be read and are left out (a snapshot of the source "
                                       "keeps them as its version's rejects)");
  }
  if (outcome.file.empty()) return invalid_argument("source '" + name + "' has no rows to run the rule over");
  InputFile out{outcome.file, ""};
  out.relation = outcome.format == "parquet"
                     ? parquet_relation(outcome.file.string())
                     : "read_json(" + engine::quote_literal(outcome.file.string()) + ", format = 'newline_delimited')";
  return out;
}

}  // namespace

Status run_rule_job(jobs::JobContext& job) {
  const json& params = job.params();
  MAAS_ASSIGN_OR_RETURN(std::string name, string_param(params, "rule"));
  MAAS_ASSIGN_OR_RETURN(std::string data_dir, string_param(params, "data_dir"));
  RuleLimits limits;
  limits.max_pattern_bytes = unsigned_param(params, "max_pattern_bytes", limits.max_pattern_bytes);
  limits.regex_max_mem_bytes = static_cast<int64_t>(
      unsigned_param(params, "regex_max_mem_bytes", static_cast<uint64_t>(limits.regex_max_mem_bytes)));
  if (!params.contains("spec") || !params.contains("input") || !params["input"].is_object()) {
    return invalid_argument("params.spec and params.input are required");
  }
  MAAS_ASSIGN_OR_RETURN(RuleSpec rule, rule_from_json(params["spec"], limits));
  const json& input = params["input"];
  InputFile in;
  if (input.contains("source")) {
    MAAS_ASSIGN_OR_RETURN(std::string source, string_param(input, "source"));
    job.log(jobs::LogLevel::kInfo, "rule '" + name + "' over source '" + source + "'");
    MAAS_ASSIGN_OR_RETURN(in, read_source_rows(job, source, data_dir));
  } else {
    MAAS_ASSIGN_OR_RETURN(std::string file, string_param(input, "file"));
    job.log(jobs::LogLevel::kInfo, "rule '" + name + "' over dataset '" + input.value("dataset", "") + "' version " +
                                       std::to_string(input.value("version", int64_t{0})));
    in = {file, parquet_relation(file)};
  }
  if (job.cancelled()) return unavailable("cancelled before the rule ran");
  const fs::path scratch = job.scratch_dir();
  const fs::path rows = scratch / "rows.parquet", rejects = scratch / "rejects.parquet", work = scratch / "work.jsonl";
  engine::EngineOptions engine;
  engine.memory_limit_bytes = unsigned_param(params, "memory_limit_bytes", engine.memory_limit_bytes);
  engine.threads = std::max(1, job.cpu_slots());
  engine.temp_directory = scratch / "spill";
  engine.file_access = engine::FileAccess{rule_output_files(rows, rejects, work), {}};
  engine.file_access->paths.push_back(in.path);
  MAAS_ASSIGN_OR_RETURN(auto database, engine::Database::open(engine));
  MAAS_ASSIGN_OR_RETURN(engine::Connection connection, database->connect());
  job.progress(0.5, "running the rule");
  MAAS_ASSIGN_OR_RETURN(ApplyResult applied, apply_rule(connection, rule, limits, in.relation, {rows, rejects, work}));
  job.log(jobs::LogLevel::kInfo, std::to_string(applied.rows) + " rows produced, " +
                                     std::to_string(applied.rejected_rows) + " rejected, of " +
                                     std::to_string(applied.input_rows));
  job.progress(
      1.0, std::to_string(applied.rows) + " rows",
      {{"rows", static_cast<double>(applied.rows)}, {"rejected_rows", static_cast<double>(applied.rejected_rows)}});
  job.set_result({{"input_rows", applied.input_rows},
                  {"rows", applied.rows},
                  {"rejected_rows", applied.rejected_rows},
                  {"file", rows.string()},
                  {"rejects_file", applied.wrote_rejects ? json(rejects.string()) : json(nullptr)}});
  return {};
}

}  // namespace maas::data::rules
