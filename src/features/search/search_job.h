// The executor of features.search jobs, run in maas-job: reads the dataset version's snapshot (features/jobs/
// job_input.h), runs the search (search.h) with nthread = the job's CPU slots, progress per phase (generate, score,
// forward step k of n), its log lines and cancel, and sets the report as the job's result. maasd's half is
// search_kind.h.
//
// Thread-safety: runs on the job's one thread.
#pragma once

#include "jobs/executor.h"

namespace maas::features::search {

inline constexpr const char* kSearchJobKind = "features.search";

// Params (filled by the kind's validate in maasd): the search's options (options.h), input {dataset, version,
// file}, max_rows, memory_limit_bytes.
Status run_search_job(jobs::JobContext& job);

}  // namespace maas::features::search
