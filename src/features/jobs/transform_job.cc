#include "features/jobs/transform_job.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/json_parse.h"
#include "data/engine/database.h"
#include "data/engine/sql_text.h"
#include "features/dataset/table_io.h"
#include "features/pipeline.h"
#include "jobs/params.h"

namespace maas::features {

namespace fs = std::filesystem;
using jobs::string_param;
using jobs::unsigned_param;
using nlohmann::json;

Status run_transform_job(jobs::JobContext& job) {
  const json& params = job.params();
  MAAS_ASSIGN_OR_RETURN(std::string name, string_param(params, "pipeline"));
  MAAS_ASSIGN_OR_RETURN(std::string state_path, string_param(params, "state_file"));
  if (!params.contains("spec") || !params.contains("input") || !params["input"].is_object()) {
    return invalid_argument("params.spec and params.input are required");
  }
  const json& input = params["input"];
  MAAS_ASSIGN_OR_RETURN(std::string file, string_param(input, "file"));
  MAAS_ASSIGN_OR_RETURN(Pipeline pipeline, Pipeline::from_spec(params["spec"]));
  std::ifstream state_in(state_path, std::ios::binary);
  if (!state_in) return internal_error("cannot read the fitted state " + state_path);
  std::stringstream state_text;
  state_text << state_in.rdbuf();
  MAAS_ASSIGN_OR_RETURN(json state, parse_json(state_text.str(), "the fitted state"));
  MAAS_RETURN_IF_ERROR(pipeline.load_state(state));
  job.log(jobs::LogLevel::kInfo, "applying pipeline '" + name + "' version " +
                                     std::to_string(params.value("pipeline_version", int64_t{0})) + " to dataset '" +
                                     input.value("dataset", "") + "' version " +
                                     std::to_string(input.value("version", int64_t{0})));
  const fs::path rows_file = job.scratch_dir() / "rows.parquet";
  data::engine::EngineOptions engine;
  engine.memory_limit_bytes = unsigned_param(params, "memory_limit_bytes", engine.memory_limit_bytes);
  engine.threads = std::max(1, job.cpu_slots());
  engine.file_access = data::engine::FileAccess{{fs::path(file), rows_file}, {}};
  MAAS_ASSIGN_OR_RETURN(auto database, data::engine::Database::open(engine));
  MAAS_ASSIGN_OR_RETURN(data::engine::Connection connection, database->connect());
  job.progress(0.1, "reading the dataset");
  const size_t max_rows = static_cast<size_t>(unsigned_param(params, "max_rows", 10'000'000));
  MAAS_ASSIGN_OR_RETURN(
      Table table,
      read_table(connection, "SELECT * FROM read_parquet(" + data::engine::quote_literal(file) + ")", max_rows));
  if (job.cancelled()) return unavailable("cancelled before the transform");
  job.progress(0.4, "transforming " + std::to_string(table.rows()) + " rows");
  MAAS_ASSIGN_OR_RETURN(Table out, pipeline.transform(table));
  job.progress(0.7, "writing the features");
  MAAS_RETURN_IF_ERROR(write_table(connection, out, "features"));
  MAAS_RETURN_IF_ERROR(connection.execute("COPY features TO " + data::engine::quote_literal(rows_file.string()) +
                                          " (FORMAT parquet, COMPRESSION zstd, USE_TMP_FILE false)"));
  job.progress(1.0, std::to_string(out.rows()) + " rows", {{"rows", static_cast<double>(out.rows())}});
  job.set_result({{"file", rows_file.string()}, {"rows", out.rows()}, {"input_rows", table.rows()}});
  return {};
}

}  // namespace maas::features
