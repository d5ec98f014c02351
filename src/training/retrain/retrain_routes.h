// The routes of retraining (docs/TRAINING.md#retraining): PUT/GET/DELETE /api/v1/models/{name}/retraining (the
// policy), POST .../retraining/run (a run now) and GET .../retraining/runs[/{id}] (the runs' records). Deployers
// and admins write; every role with read access reads.
#pragma once

#include "api/blocking.h"
#include "http/router.h"
#include "training/retrain/retrainer.h"

namespace maas::training::retrain {

// `retrainer` and `blocking` must outlive the server's requests.
void add_retrain_routes(http::Router& router, Retrainer& retrainer, api::BlockingPool& blocking);

}  // namespace maas::training::retrain
