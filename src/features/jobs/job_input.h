// What the features.fit and features.transform executors share: a DuckDB database confined to the job's files, and
// the input dataset version's snapshot read into a feature Table. Owned by the job's one thread.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "data/engine/database.h"
#include "features/table.h"
#include "jobs/executor.h"

namespace maas::features {

struct JobInput {
  std::unique_ptr<data::engine::Database> database;  // may touch only the input and the job's outputs
  std::unique_ptr<data::engine::Connection> connection;
  Table table;  // the input's rows (params.input.file, at most params.max_rows)
};

// Opens the database (params.memory_limit_bytes, the job's CPU slots; `outputs` the files it may write) and reads
// params.input.file.
Result<JobInput> read_job_input(jobs::JobContext& job, const std::vector<std::filesystem::path>& outputs);

}  // namespace maas::features
