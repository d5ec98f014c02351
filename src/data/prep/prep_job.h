// The executors of data.clean, data.split and data.drift, run in maas-job: each reads its pinned input versions'
// snapshot files (named in its params by maasd, which holds their blobs while the job lives) on a DuckDB database
// that may touch only those files and the job's scratch directory, reports progress step by step, logs each step,
// and stops its query when the job is cancelled. Clean and split write their rows (and a clean's rejects) into the
// scratch directory and report the files; maasd's half (data/api/prep_jobs.cc) records them as a new version.
// Drift reports its whole answer as the job's result.
//
// Thread-safety: runs on the job's one thread (a watcher thread interrupts the query on cancel).
#pragma once

#include "jobs/executor.h"

namespace maas::data::prep {

inline constexpr const char* kCleanJobKind = "data.clean";
inline constexpr const char* kSplitJobKind = "data.split";
inline constexpr const char* kDriftJobKind = "data.drift";

// Params: input {dataset, version, file}, recipe {steps}, memory_limit_bytes. Result: {rows, rejected_rows, file,
// rejects_file, steps}.
Status run_clean_job(jobs::JobContext& job);
// Params: input, spec (split_spec_to_json), memory_limit_bytes. Result: {rows, counts, file}.
Status run_split_job(jobs::JobContext& job);
// Params: a and b ({dataset, version, file, schema, part?}), split_column, columns, bins, memory_limit_bytes.
// Result: drift()'s answer with a, b and bins.
Status run_drift_job(jobs::JobContext& job);

}  // namespace maas::data::prep
