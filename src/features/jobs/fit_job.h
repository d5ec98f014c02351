// The executor of features.fit jobs, run in maas-job: reads a dataset version's snapshot (Parquet) on a DuckDB
// database that may touch only that file, fits the pipeline spec on its rows (progress per step), writes the fitted
// state (docs/FEATURES.md) to the job's scratch directory and reports {file, rows, input_schema, output_columns}.
// maasd's half of the kind (features/api/fit_job_kind.cc) stores the state as a blob and records the pipeline
// version once the job has succeeded.
//
// Thread-safety: runs on the job's one thread.
#pragma once

#include "jobs/executor.h"

namespace maas::features {

inline constexpr const char* kFitJobKind = "features.fit";

// Params (filled by the kind's validate in maasd): pipeline, spec, input {dataset, version, file}, max_rows,
// memory_limit_bytes.
Status run_fit_job(jobs::JobContext& job);

}  // namespace maas::features
