// The executor of features.transform jobs, run in maas-job: applies a fitted pipeline version (its spec and the
// state blob maasd names) to a dataset version's snapshot on a DuckDB database that may touch only that file and the
// output, and writes the transformed rows as Parquet to the job's scratch directory, reporting {file, rows}. maasd's
// half (features/api/transform_job_kind.cc) records the file as the next version of the target dataset, with the
// input version and the pipeline version as its lineage.
//
// Thread-safety: runs on the job's one thread.
#pragma once

#include "jobs/executor.h"

namespace maas::features {

inline constexpr const char* kTransformJobKind = "features.transform";

// Params (filled by the kind's validate in maasd): pipeline, pipeline_version, spec, state_file, input {dataset,
// version, file}, into, max_rows, memory_limit_bytes.
Status run_transform_job(jobs::JobContext& job);

}  // namespace maas::features
