// Hyperparameter studies (src/studies, docs/HPO.md): their records in metadata.db and /api/v1/studies, with
// ask-and-tell for clients that run their own objective, and the driver of built-in objectives (train.cv trials in
// the job pool), which needs the job system.
#include <chrono>
#include <memory>

#include "jobs/job_service.h"
#include "server/components/components.h"
#include "server/context.h"
#include "studies/objective_driver.h"
#include "studies/study_routes.h"
#include "studies/study_service.h"
#include "studies/study_store.h"
#include "training/cv/cv_spec.h"

namespace maas::server {
namespace {

constexpr std::chrono::milliseconds kDrivePeriod{250};

class StudiesComponent final : public Component {
 public:
  std::string_view name() const override { return "studies"; }

  Status start(Context& context) override {
    const auto& cfg = context.config();
    auto opened = studies::StudyStore::open(cfg.data_dir / "metadata.db");
    if (!opened.ok()) return Status(opened.status().code(), "cannot open the studies: " + opened.status().message());
    store_ = std::move(*opened);
    service_ = std::make_unique<studies::StudyService>(
        *store_, studies::StudyLimits{.max_studies = cfg.studies_max_studies,
                                      .max_trials_per_study = cfg.studies_max_trials_per_study,
                                      .max_intermediate_values = cfg.studies_max_intermediate_values,
                                      .max_running_trials = cfg.studies_max_running_trials});
    if (auto* jobs = context.services().find<jobs::JobService>()) {
      driver_ = std::make_unique<studies::ObjectiveDriver>(*service_, *jobs, context.io());
      hooks_.register_best = [this](const std::string& study, const std::string& owner) {
        return driver_->register_best(study, owner);
      };
      // Each train.cv trial asks at every round whether to go on.
      jobs->answer(training::cv::kStudyReportTopic,
                   [this](const store::JobRecord& job, const nlohmann::json& question) {
                     return driver_->answer_report(job, question);
                   });
      // Each pass starts trials and ends those whose jobs ended.
      context.every(kDrivePeriod, [this] { driver_->tick(); });
    }
    studies::add_study_routes(context.router(), *service_, hooks_, context.blocking());
    return {};
  }

 private:
  std::unique_ptr<studies::StudyStore> store_;
  std::unique_ptr<studies::StudyService> service_;
  std::unique_ptr<studies::ObjectiveDriver> driver_;
  studies::StudyHooks hooks_;
};

}  // namespace

std::unique_ptr<Component> make_studies_component() { return std::make_unique<StudiesComponent>(); }

}  // namespace maas::server
