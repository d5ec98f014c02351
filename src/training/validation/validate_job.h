// The executor of train.validate jobs, run in maas-job: the candidate version predicts the policy's holdout rows
// (train.evaluate's reading), its metrics are checked against the policy's thresholds, and, when the policy names
// a champion that exists, the candidate's metric is compared with the champion's on the same rows (directly, or
// by train.compare's paired bootstrap). The job succeeds whether or not the version passes: `passed` says which.
//
// Thread-safety: runs on the job's thread.
#pragma once

#include "jobs/executor.h"

namespace maas::training::validation {

inline constexpr const char* kValidateKind = "train.validate";

// Params (validate_kind's): {model, model_version, policy, candidate: train.evaluate's normalized params,
// champion?: the same for the champion, champion_note?}.
// Result: {passed, model, model_version, dataset, rows, metrics, checks: [{check, metric, value, passed, min? |
// max? | champion?...}], reason}.
Status run_validate(jobs::JobContext& job);

}  // namespace maas::training::validation
