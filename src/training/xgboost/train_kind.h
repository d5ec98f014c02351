// maasd's half of train.xgboost (the executor is train_job.h, in maas-job). validate() reads the submission
// strictly, resolves the dataset versions to their snapshot files and checks the columns against their schemas (a
// 400 naming the column: a missing label, a DATE feature, an empty version); on_succeeded() registers the trained
// model as a version of params.model with its lineage (datasets, parameters, seed, job, code version, metrics),
// once per job: a requeued job that reaches it again finds its version by the job id (or, after a crash between
// upload and lineage, by the model's digest) instead of registering a second.
//
// Thread-safety: the kind's functions may run on any thread; the DataApi and Registry outlive it.
#pragma once

#include "data/api/data_api.h"
#include "jobs/job_kind.h"
#include "registry/registry.h"

namespace maas::training {

// The kind's validate(): the submission read strictly and checked against the dataset versions' schemas, with the
// snapshot files resolved and the default features filled in; train.cv validates its recipe with it too.
Result<nlohmann::json> validate_train_params(data::api::DataApi& data, const nlohmann::json& params);

jobs::JobKind train_xgboost_kind(data::api::DataApi& data, registry::Registry& models);

}  // namespace maas::training
