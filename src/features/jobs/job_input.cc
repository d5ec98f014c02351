#include "features/jobs/job_input.h"

#include <string>
#include <vector>

#include "data/engine/sql_text.h"
#include "features/dataset/table_io.h"
#include "jobs/params.h"

namespace maas::features {

namespace {

std::string select_list(const std::vector<std::string>& columns) {
  if (columns.empty()) return "*";
  std::string list;
  for (const std::string& name : columns) list += (list.empty() ? "" : ", ") + data::engine::quote_identifier(name);
  return list;
}

}  // namespace

Result<JobInput> read_job_input(jobs::JobContext& job, const std::vector<std::filesystem::path>& outputs,
                                const std::vector<std::string>& columns) {
  const nlohmann::json& params = job.params();
  if (!params.contains("input") || !params["input"].is_object()) return invalid_argument("params.input is required");
  MAAS_ASSIGN_OR_RETURN(std::string file, jobs::string_param(params["input"], "file"));
  data::engine::EngineOptions engine;
  engine.memory_limit_bytes = jobs::unsigned_param(params, "memory_limit_bytes", engine.memory_limit_bytes);
  engine.threads = std::max(1, job.cpu_slots());
  engine.file_access = data::engine::FileAccess{outputs, {}};
  engine.file_access->paths.emplace_back(file);
  JobInput in;
  MAAS_ASSIGN_OR_RETURN(in.database, data::engine::Database::open(engine));
  MAAS_ASSIGN_OR_RETURN(auto connection, in.database->connect());
  in.connection = std::make_unique<data::engine::Connection>(std::move(connection));
  job.progress(0.05, "reading the dataset");
  const size_t max_rows = static_cast<size_t>(jobs::unsigned_param(params, "max_rows", 10'000'000));
  MAAS_ASSIGN_OR_RETURN(in.table, read_table(*in.connection,
                                             "SELECT " + select_list(columns) + " FROM read_parquet(" +
                                                 data::engine::quote_literal(file) + ")",
                                             max_rows));
  job.log(jobs::LogLevel::kInfo, std::to_string(in.table.rows()) + " rows read");
  return in;
}

}  // namespace maas::features
