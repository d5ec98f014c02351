// maasd's half of train.torch (the executor is train_job.h, in maas-job). validate() reads the submission
// strictly, resolves the dataset versions to their snapshot files, checks the columns against their schemas and
// the network's shapes against the number of features (a 400 naming the field or column); on_succeeded()
// registers the exported TorchScript module as a version of params.model with its lineage (datasets, spec, seed,
// threads, job, code version, metrics), once per job (model_version.h).
//
// Thread-safety: the kind's functions may run on any thread; the DataApi and Registry outlive it.
#pragma once

#include <filesystem>

#include "data/api/data_api.h"
#include "jobs/job_kind.h"
#include "registry/registry.h"

namespace maas::training {

// `executor_plugin`: libmaas_jobs_torch.so, which maas-job loads to run the job.
jobs::JobKind train_torch_kind(data::api::DataApi& data, registry::Registry& models,
                               std::filesystem::path executor_plugin);

}  // namespace maas::training
