// maasd's half of compress.xgboost (the executor is xgboost_job.h, in maas-job): validate() resolves the source
// XGBoost version (one train.xgboost registered: its lineage holds the features the holdout is read with, as
// train.evaluate needs), the holdout dataset version, the metric and its tolerance; on_succeeded() registers the
// trimmed model as a new version of the same model (source_version.h).
//
// Thread-safety: the kind's functions may run on any thread; the DataApi and Registry outlive it.
#pragma once

#include "data/api/data_api.h"
#include "jobs/job_kind.h"
#include "registry/registry.h"

namespace maas::compression {

jobs::JobKind xgboost_kind(data::api::DataApi& data, registry::Registry& models);

}  // namespace maas::compression
