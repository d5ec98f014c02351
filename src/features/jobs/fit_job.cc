#include "features/jobs/fit_job.h"

#include <filesystem>
#include <fstream>

#include "features/jobs/job_input.h"
#include "features/pipeline.h"
#include "jobs/params.h"

namespace maas::features {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using jobs::string_param;

json schema_json(const Pipeline& pipeline) { return pipeline.state()["input_schema"]; }

}  // namespace

Status run_fit_job(jobs::JobContext& job) {
  const json& params = job.params();
  MAAS_ASSIGN_OR_RETURN(std::string name, string_param(params, "pipeline"));
  if (!params.contains("spec") || !params.contains("input") || !params["input"].is_object()) {
    return invalid_argument("params.spec and params.input are required");
  }
  const json& input = params["input"];
  MAAS_ASSIGN_OR_RETURN(Pipeline pipeline, Pipeline::from_spec(params["spec"]));
  job.log(jobs::LogLevel::kInfo, "fitting pipeline '" + name + "' on dataset '" + input.value("dataset", "") +
                                     "' version " + std::to_string(input.value("version", int64_t{0})));
  MAAS_ASSIGN_OR_RETURN(JobInput in, read_job_input(job, {}, pipeline.columns_fit_reads()));
  const Table& table = in.table;
  if (table.rows() == 0) return invalid_argument("the dataset version has no rows to fit the pipeline on");
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
