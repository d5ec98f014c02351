// The executor of features.timeseries jobs, run in maas-job: reads the input version's snapshot through DuckDB
// (the entity, time and feature columns), computes the spec's features (compute.h) and writes the input's rows
// with the feature columns added to a Parquet file in the job's scratch directory, reporting
// {input_rows, rows, file, features}. maasd's half (timeseries_kind.h) records the file as the next version.
//
// Thread-safety: runs on the job's one thread.
#pragma once

#include "jobs/executor.h"

namespace maas::features::timeseries {

inline constexpr const char* kTimeseriesJobKind = "features.timeseries";

// Params (filled by the kind's validate in maasd): spec, input {dataset, version, file}, into, memory_limit_bytes,
// max_features.
Status run_timeseries_job(jobs::JobContext& job);

}  // namespace maas::features::timeseries
