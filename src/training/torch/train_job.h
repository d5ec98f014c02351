// The executor of train.torch jobs, run in maas-job: reads the training (and validation) rows of a dataset version,
// builds the network (script_net.h), trains it in LibTorch with torch::set_num_threads(the job's CPU slots) and a
// seeded generator and shuffle (the same seed and threads give the same weights), reports each epoch's loss and
// validation metric as progress, checkpoints the weights, optimizer state, position and generator every
// checkpoint_every steps (a requeued job resumes where it stopped and ends with the weights an uninterrupted run
// would), stops early on the validation metric, and exports the module as TorchScript into the scratch directory
// with its final metrics. maasd's half (train_kind.h) registers it as a model version.
//
// Thread-safety: runs on the job's thread; LibTorch uses cpu_slots threads of its own.
#pragma once

#include "jobs/executor.h"

namespace maas::training {

inline constexpr const char* kTrainTorchKind = "train.torch";

// Params: what train_kind's validate normalized (train_spec.h, with the snapshot files resolved).
// Result: {model_file, epochs, steps, best_epoch?, metrics, evaluated_on, features, num_outputs, train_rows,
// validation_rows, threads, train_seconds (the epochs of this attempt, for the bench), export_max_abs_diff}.
Status run_train_torch(jobs::JobContext& job);

}  // namespace maas::training
