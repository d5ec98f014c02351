// maasd's half of train.cv (the executor is cv_job.h, in maas-job). validate() reads the submission — a
// train.xgboost recipe without model, validation or split column, plus a `cv` block — checks it against the dataset
// version as train.xgboost does, and checks the group and time columns; the result stays on the job (nothing is
// registered).
//
// Thread-safety: validate may run on any thread; the DataApi outlives the kind.
#pragma once

#include "data/api/data_api.h"
#include "jobs/job_kind.h"

namespace maas::training::cv {

jobs::JobKind cv_kind(data::api::DataApi& data);

}  // namespace maas::training::cv
