// maasd's half of features.timeseries (the executor is timeseries_job.h, in maas-job). validate() parses the spec
// and checks it against the input version's recorded schema (a 400 at submission for an unknown or non-numeric
// column or a time column of another type), and fixes the version's snapshot file; on_succeeded() records the job's
// file as the next version of `into`, with the input version and the spec as its lineage, keyed on the job's id.
//
// Lifetime: the kind refers to `api`, which must outlive the job system.
#pragma once

#include "data/api/data_api.h"
#include "jobs/job_kind.h"

namespace maas::features::timeseries {

// `max_features`: features.timeseries_max_features, the most features one spec may ask for.
jobs::JobKind timeseries_job_kind(data::api::DataApi& api, size_t max_features);

}  // namespace maas::features::timeseries
