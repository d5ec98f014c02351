#include "features/jobs/fit_job.h"

#include <filesystem>
#include <fstream>

#include "data/engine/database.h"
#include "data/engine/sql_text.h"
#include "features/dataset/table_io.h"
#include "features/pipeline.h"
#include "jobs/params.h"

namespace maas::features {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using jobs::string_param;
using jobs::unsigned_param;

json schema_json(const Pipeline& pipeline) { return pipeline.state()["input_schema"]; }

}  // namespace

Status run_fit_job(jobs::JobContext& job) {
  const json& params = job.params();
  MAAS_ASSIGN_OR_RETURN(std::string name, string_param(params, "pipeline"));
  if (!params.contains("spec") || !params.contains("input") || !params["input"].is_object()) {
    return invalid_argument("params.spec and params.input are required");
  }
  const json& input = params["input"];
  MAAS_ASSIGN_OR_RETURN(std::string file, string_param(input, "file"));
  MAAS_ASSIGN_OR_RETURN(Pipeline pipeline, Pipeline::from_spec(params["spec"]));
  job.log(jobs::LogLevel::kInfo, "fitting pipeline '" + name + "' on dataset '" + input.value("dataset", "") +
                                     "' version " + std::to_string(input.value("version", int64_t{0})));
  data::engine::EngineOptions engine;
  engine.memory_limit_bytes = unsigned_param(params, "memory_limit_bytes", engine.memory_limit_bytes);
  engine.threads = std::max(1, job.cpu_slots());
  engine.file_access = data::engine::FileAccess{{fs::path(file)}, {}};
  MAAS_ASSIGN_OR_RETURN(auto database, data::engine::Database::open(engine));
  MAAS_ASSIGN_OR_RETURN(data::engine::Connection connection, database->connect());
  job.progress(0.05, "reading the dataset");
  const size_t max_rows = static_cast<size_t>(unsigned_param(params, "max_rows", 10'000'000));
  MAAS_ASSIGN_OR_RETURN(
      Table table,
      read_table(connection, "SELECT * FROM read_parquet(" + data::engine::quote_literal(file) + ")", max_rows));
  if (table.rows() == 0) return invalid_argument("the dataset version has no rows to fit the pipeline on");
  job.log(jobs::LogLevel::kInfo, std::to_string(table.rows()) + " rows read");
  auto progress = [&job](size_t step, size_t steps, const std::string& transformer) {
    job.progress(0.2 + 0.7 * static_cast<double>(step) / static_cast<double>(steps),
                 "fitting step " + std::to_string(step + 1) + " of " + std::to_string(steps) + " (" + transformer + ")",
                 {{"steps_done", static_cast<double>(step)}});
  };
  MAAS_RETURN_IF_ERROR(pipeline.fit(table, progress));
  const fs::path state_file = job.scratch_dir() / "state.json";
  {
    std::ofstream out(state_file, std::ios::binary | std::ios::trunc);
    out << pipeline.state().dump();
    if (!out.good()) return internal_error("cannot write " + state_file.string());
  }
  job.progress(1.0, "fitted", {{"rows", static_cast<double>(table.rows())}});
  job.set_result({{"file", state_file.string()},
                  {"rows", table.rows()},
                  {"input_schema", schema_json(pipeline)},
                  {"output_columns", pipeline.output_columns()}});
  return {};
}

}  // namespace maas::features
