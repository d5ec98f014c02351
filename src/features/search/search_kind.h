// maasd's half of features.search (the executor is search_job.h, in maas-job). validate() reads the search's
// options strictly and checks them against the dataset version's recorded schema — the label and the keys exist,
// there is a numeric column to build features from, the version has rows — each a 400 naming what is wrong, and
// fixes the version's snapshot file; the report is the job's result (nothing is recorded elsewhere).
//
// Lifetime: the kind refers to `api`, which must outlive the job system.
#pragma once

#include <cstdint>

#include "data/api/data_api.h"
#include "jobs/job_kind.h"

namespace maas::features::search {

// `max_rows`: features.max_fit_rows, the most rows the job reads.
jobs::JobKind search_job_kind(data::api::DataApi& api, uint64_t max_rows);

}  // namespace maas::features::search
