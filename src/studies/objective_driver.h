// Runs the trials of studies with a built-in objective (objective_spec.h) as train.cv jobs in the job pool: up to
// `parallel` at once. Each job asks the study after every round (answer_report, the job protocol's question
// "studies.report") and trains on only if its pruner says so; the final value is told when the job succeeds, a
// failed or cancelled job fails the trial. It keeps no state of its own: the trials (with their job ids) are in the
// StudyStore and the jobs in the job store, so after a restart the next pass continues — a requeued job is followed
// again, a trial asked but not yet given a job gets one. Also registers a study's best trial (a train.xgboost job with
// its parameters).
//
// Thread-safety: tick() runs on one thread at a time (the component's periodic task); register_best may be called
// from any thread. The services outlive the driver.
#pragma once

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "jobs/job_service.h"
#include "studies/study_service.h"

namespace maas::studies {

class ObjectiveDriver {
 public:
  ObjectiveDriver(StudyService& studies, jobs::JobService& jobs, boost::asio::io_context& io)
      : studies_(studies), jobs_(jobs), io_(io) {}

  // One pass over every study with a built-in objective.
  void tick();
  // A train.cv job's question after a round: {"study", "trial", "step", "value"} -> {"prune": bool}. The value is
  // reported to the trial the job runs (FAILED_PRECONDITION for a job that does not run that trial); a trial that is
  // gone or already finished answers prune, so its job stops.
  Result<nlohmann::json> answer_report(const store::JobRecord& job, const nlohmann::json& question);
  // Submits train.xgboost on the objective's full dataset with the best trial's parameters, the model named after
  // the study (or `model`), its description (kept in the version's lineage recipe) naming the study and trial.
  // FAILED_PRECONDITION without an objective or a complete trial. Answers the job as /api/v1/jobs shows it.
  Result<nlohmann::json> register_best(const std::string& study, const std::string& owner);

 private:
  void drive(const StudySnapshot& study);
  void follow(const StudySnapshot& study, const TrialRecord& trial);
  Status submit(const StudySnapshot& study, int64_t number, const nlohmann::json& params);
  void cancel(const std::string& job_id);

  StudyService& studies_;
  jobs::JobService& jobs_;
  boost::asio::io_context& io_;
};

}  // namespace maas::studies
