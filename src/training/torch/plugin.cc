// libmaas_jobs_torch.so: the executor of train.torch, a job plugin so that only its jobs' processes load LibTorch
// (linking it into maas-job would add about a second to the start of every job). Its kind is built into maasd
// (train_kind.h), whose executor_plugin names this file.
#include "jobs/plugin.h"

#include "training/torch/train_job.h"

MAAS_JOBS_PLUGIN(registrar) {
  registrar.add_executor(maas::training::kTrainTorchKind, maas::training::run_train_torch);
}
