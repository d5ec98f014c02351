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
// `columns` of params.input.file (every column when empty): a pipeline reads only what it uses, so a column of a
// type it cannot take (a timestamp beside the features) does not fail the job. A named column the file lacks is
// INVALID_ARGUMENT naming it.
Result<JobInput> read_job_input(jobs::JobContext& job, const std::vector<std::filesystem::path>& outputs,
                                const std::vector<std::string>& columns);

}  // namespace maas::features
