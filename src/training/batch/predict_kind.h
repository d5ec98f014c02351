// maasd's half of predict.batch (the executor is predict_job.h, in maas-job). validate() resolves the model version
// to its artifact and its framework's plugin, refuses at submission what cannot run (a generative model such as
// GGUF, a model with no known input columns, a dataset version without a column the model or its attached pipeline
// reads: each a 400 naming it), and fixes what the job reads. on_succeeded() records the job's Parquet file as the
// next version of the target dataset (profiled as every version is), its lineage naming the input dataset version,
// the model version and the pipeline version, keyed on the job's id so that a requeued job records one version.
//
// Thread-safety: the kind's functions may run on any thread; what it is given outlives it.
#pragma once

#include "data/api/data_api.h"
#include "features/api/features_api.h"
#include "jobs/job_kind.h"
#include "registry/registry.h"
#include "runtime/backend_registry.h"

namespace maas::training::batch {

// `features` may be null (a maasd without the features component: no version has a pipeline attached).
jobs::JobKind predict_batch_kind(data::api::DataApi& data, registry::Registry& models, features::FeaturesApi* features,
                                 const runtime::BackendRegistry& backends);

}  // namespace maas::training::batch
