// maasd's half of train.evaluate (the executor is evaluate_job.h): validate() resolves the model version (one that
// train.xgboost registered: its lineage holds the recipe and the features) and the holdout dataset version, and
// checks the holdout has the model's columns; on_succeeded() stores the metrics on the model version as
// "holdout:<metric>" and appends the evaluation to its lineage's "evaluations", once per job id, in one metadata
// transaction (store_evaluation), so evaluations of one version that finish together all land.
//
// Thread-safety: the kind's functions may run on any thread; the DataApi and Registry outlive it.
#pragma once

#include "data/api/data_api.h"
#include "jobs/job_kind.h"
#include "registry/registry.h"

namespace maas::training {

// The kind's validate(): the model version and holdout resolved into what run_evaluate reads; train.compare
// resolves each of its two versions with it.
Result<nlohmann::json> validate_evaluation_params(data::api::DataApi& data, registry::Registry& models,
                                                  const nlohmann::json& params);

jobs::JobKind evaluate_kind(data::api::DataApi& data, registry::Registry& models);

// The kind's on_succeeded: stores a succeeded job's metrics on the version it evaluated (Registry::add_evaluation).
Status store_evaluation(registry::Registry& models, const jobs::SucceededJob& job);

}  // namespace maas::training
