#include "features/jobs/transform_job.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/json_parse.h"
#include "data/engine/sql_text.h"
#include "features/dataset/table_io.h"
#include "features/jobs/job_input.h"
#include "features/pipeline.h"
#include "jobs/params.h"

namespace maas::features {

namespace fs = std::filesystem;
using jobs::string_param;
using nlohmann::json;

Status run_transform_job(jobs::JobContext& job) {
  const json& params = job.params();
  MAAS_ASSIGN_OR_RETURN(std::string name, string_param(params, "pipeline"));
  MAAS_ASSIGN_OR_RETURN(std::string state_path, string_param(params, "state_file"));
  if (!params.contains("spec") || !params.contains("input") || !params["input"].is_object()) {
    return invalid_argument("params.spec and params.input are required");
  }
  const json& input = params["input"];
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
  MAAS_ASSIGN_OR_RETURN(JobInput in, read_job_input(job, {rows_file}, pipeline.input_columns()));
  const Table& table = in.table;
  data::engine::Connection& connection = *in.connection;
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
