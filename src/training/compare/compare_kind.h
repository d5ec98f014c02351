// maasd's half of train.compare (the executor is compare_job.h): validate() resolves both model versions and the
// holdout dataset version as train.evaluate does (each version must have been trained by maas), checks that the
// two share the label and task, and reads the bootstrap's options. The result stays on the job.
//
// Thread-safety: validate may run on any thread; the DataApi and Registry outlive the kind.
#pragma once

#include "data/api/data_api.h"
#include "jobs/job_kind.h"
#include "registry/registry.h"

namespace maas::training::compare {

jobs::JobKind compare_kind(data::api::DataApi& data, registry::Registry& models);

}  // namespace maas::training::compare
