// The job system (src/jobs): its store, the kinds of jobs.plugins and the built-in kinds of maasd's own
// subsystems (artifacts.verify), requeue of the jobs a dead maasd left running, /api/v1/jobs, and job processes
// under the one supervisor in the CPU slots serving leaves free.
#include "jobs/jobs_component.h"

#include <filesystem>
#include <memory>

#include "artifacts/verify_job.h"
#include "compression/gguf_kind.h"
#include "compression/xgboost_kind.h"
#include "data/api/data_api.h"
#include "features/api/features_api.h"
#include "logs/log_center.h"
#include "registry/registry.h"
#include "runtime/model_manager.h"
#include "server/components/components.h"
#include "server/context.h"
#include "store/metadata_store.h"
#include "supervisor/process.h"
#include "training/batch/predict_kind.h"
#include "training/compare/compare_kind.h"
#include "training/cv/cv_kind.h"
#include "training/torch/train_kind.h"
#include "training/validation/validation_routes.h"
#include "training/validation/validator.h"
#include "training/xgboost/evaluate_kind.h"
#include "training/xgboost/train_kind.h"

namespace maas::server {
namespace {

class JobSystemComponent final : public Component {
 public:
  std::string_view name() const override { return "jobs"; }

  Status start(Context& context) override {
    const auto& cfg = context.config();
    auto& services = context.services();
    MAAS_ASSIGN_OR_RETURN(jobs_, jobs::JobsComponent::create(cfg));
    // Built-in kinds come from the subsystems that own them (docs/JOBS.md).
    auto& metadata = services.get<store::MetadataStore>();
    MAAS_RETURN_IF_ERROR(jobs_->kinds().add(
        artifacts::verify_job_kind(cfg.data_dir / "artifacts", [&metadata] { return metadata.referenced_digests(); })));
    auto* data = services.find<data::api::DataApi>();
    if (data) {
      for (auto& kind : data->job_kinds()) MAAS_RETURN_IF_ERROR(jobs_->kinds().add(std::move(kind)));
      // Training reads dataset versions, so it runs where the data center does.
      auto& model_registry = services.get<registry::Registry>();
      MAAS_RETURN_IF_ERROR(jobs_->kinds().add(training::train_xgboost_kind(*data, model_registry)));
      MAAS_RETURN_IF_ERROR(jobs_->kinds().add(training::evaluate_kind(*data, model_registry)));
      // train.torch's executor is a plugin beside maas-job, so that only its processes load LibTorch.
      const auto bin_dir = std::filesystem::canonical("/proc/self/exe").parent_path();
      MAAS_RETURN_IF_ERROR(jobs_->kinds().add(
          training::train_torch_kind(*data, model_registry, bin_dir / "jobs" / "libmaas_jobs_torch.so")));
      MAAS_RETURN_IF_ERROR(jobs_->kinds().add(training::cv::cv_kind(*data)));
      MAAS_RETURN_IF_ERROR(jobs_->kinds().add(training::compare::compare_kind(*data, model_registry)));
      MAAS_RETURN_IF_ERROR(jobs_->kinds().add(compression::xgboost_kind(*data, model_registry)));
      // compress.gguf's executor is a plugin that loads llama.cpp, built only with llama.cpp.
      if (const auto gguf = bin_dir / "jobs" / "libmaas_jobs_gguf.so"; std::filesystem::exists(gguf)) {
        MAAS_RETURN_IF_ERROR(jobs_->kinds().add(compression::gguf_kind(*data, model_registry, gguf)));
      }
      // Validation before ready: its policies, train.validate, and the registry's listener and guard (below).
      MAAS_ASSIGN_OR_RETURN(policies_, training::validation::PolicyStore::open(cfg.data_dir / "metadata.db"));
      validator_ = std::make_unique<training::validation::Validator>(*policies_, *data, model_registry,
                                                                     services.get<logs::LogCenter>());
      MAAS_RETURN_IF_ERROR(jobs_->kinds().add(validator_->kind()));
    }
    auto* features = services.find<features::FeaturesApi>();
    auto& models = services.get<runtime::ModelManager>();
    if (data) {
      MAAS_RETURN_IF_ERROR(jobs_->kinds().add(
          training::batch::predict_batch_kind(*data, services.get<registry::Registry>(), features, models.backends())));
    }
    if (features) {
      for (auto& kind : features->job_kinds()) MAAS_RETURN_IF_ERROR(jobs_->kinds().add(std::move(kind)));
    }
    MAAS_RETURN_IF_ERROR(jobs_->start(context.io(), context.router(), services.get<supervisor::Supervisor>(),
                                      services.get<logs::LogCenter>(), context.metrics(),
                                      [&models] { return models.cpu_slots_in_use(); }));
    services.provide(*jobs_->service());            // the studies' built-in objectives submit jobs
    if (data) data->attach_jobs(jobs_->service());  // snapshots are submitted as jobs
    if (validator_) {
      validator_->attach(*jobs_->service());  // new versions of models with a policy are validated as jobs
      training::validation::add_validation_routes(context.router(), *validator_, context.blocking());
      services.provide(*validator_);  // retraining waits for its reports
    }
    if (features) features->attach_jobs(jobs_->service());  // fits are jobs
    return {};
  }

  // The I/O threads have stopped: end every job process (their jobs are requeued at the next start).
  void stop() override {
    if (jobs_) jobs_->stop_now();
  }

 private:
  // Before jobs_: the job service's on_succeeded hooks reach the validator until it is destroyed.
  std::unique_ptr<training::validation::PolicyStore> policies_;
  std::unique_ptr<training::validation::Validator> validator_;
  std::unique_ptr<jobs::JobsComponent> jobs_;
};

}  // namespace

std::unique_ptr<Component> make_jobs_component() { return std::make_unique<JobSystemComponent>(); }

}  // namespace maas::server
