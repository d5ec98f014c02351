// The executor of data.snapshot jobs, run in maas-job: reads the job's source (its record from metadata.db, its
// credential opened with the installation's secret) past the watermark the job was given into one rows file in the
// job's scratch directory, and reports {rows, file, format, watermark}. maasd's half of the kind
// (data/api/snapshot_kind.cc) turns that file into a dataset version once the job has succeeded.
//
// Thread-safety: runs on the job's one thread.
#pragma once

#include "jobs/executor.h"

namespace maas::data::sources {

inline constexpr const char* kSnapshotJobKind = "data.snapshot";

// Params (filled by the kind's validate in maasd): source, dataset, mode, since, data_dir, file_roots,
// memory_limit_bytes, threads.
Status run_snapshot(jobs::JobContext& job);

}  // namespace maas::data::sources
