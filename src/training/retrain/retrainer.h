// Retraining, maasd's side (docs/TRAINING.md#retraining): the policies of models, the runs they start (manually,
// on a cron schedule, when an alert rule fires, on a new version of the dataset) and a loop that moves each run
// along: the recipe's training job on the newest dataset version -> the model's validation policy (train.validate,
// submitted by the validator for the new version) -> on pass, the new version as a canary of the policy's service
// through the gateway's canary controller, which promotes or rolls it back. Every step is a run record in the store,
// an event in the log center and, with a canary plan, on the service's timeline. Runs are driven from their stored
// records only, so a restarted maasd carries on with them (the job system requeues their jobs), or marks one
// interrupted with the reason.
//
// Thread-safety: every public method may be called from any thread. start() runs the loop on a thread of its own;
// stop() joins it. The store, job service, registry, data API, validator and log center outlive the Retrainer.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "data/api/data_api.h"
#include "jobs/job_service.h"
#include "logs/log_center.h"
#include "registry/registry.h"
#include "training/retrain/run_store.h"
#include "training/validation/validator.h"

namespace maas::training::retrain {

// What retraining needs of the gateway and the alerting engine (the server wires them; tests may fake them).
struct RetrainHooks {
  // The firing time (ms) of the newest firing alert of a rule, or nothing while none fires.
  std::function<std::optional<int64_t>(const std::string& rule)> alert_fired_at;
  // OK when the service exists and routes a version of `model`.
  std::function<Status(const std::string& service, const std::string& model)> check_service;
  // Sets the service's canary block (the gateway's PATCH) as `actor`. UNAVAILABLE (maasd is stopping) leaves the
  // run validating, so that the next maasd starts its canary; any other error fails the run.
  std::function<Status(const std::string& service, const nlohmann::json& canary, const std::string& actor)>
      start_canary;
  // The canary of `version` on the service: {"phase": "progressing" | "promoted" | "rolled_back" | "gone", "reason"?}.
  std::function<nlohmann::json(const std::string& service, const std::string& model, int64_t version)> canary_phase;
  // An event on the service's timeline.
  std::function<void(const std::string& service, const std::string& kind, const std::string& message,
                     const nlohmann::json& detail)>
      service_event;
};

struct RetrainLimits {
  int64_t max_policies = 1000;
  int runs_kept = 100;  // finished runs kept per model
  int64_t min_interval_floor_seconds = 60;
  std::chrono::milliseconds tick{1000};
};

class Retrainer {
 public:
  Retrainer(RunStore& store, jobs::JobService& jobs, registry::Registry& models, data::api::DataApi& data,
            validation::Validator& validator, logs::LogCenter& logs, RetrainHooks hooks, RetrainLimits limits);
  ~Retrainer();

  void start();
  void stop();

  // The model must exist and have a validation policy; the recipe defaults to from_version's lineage and is
  // checked by its kind on the dataset's newest version. 400s name the field.
  Result<PolicyRow> put_policy(const std::string& model, const nlohmann::json& body, const std::string& actor);
  Result<PolicyRow> get_policy(const std::string& model);
  Status delete_policy(const std::string& model);
  // A run now (trigger "manual"): 409 while one runs or within the minimum interval, 404 without a policy.
  Result<nlohmann::json> run_now(const std::string& model, const std::string& actor);
  Result<std::vector<nlohmann::json>> runs(const std::string& model, int limit);
  Result<nlohmann::json> run(const std::string& model, const std::string& id);

  // One pass of the loop (triggers, then every unfinished run); the loop calls it every tick.
  void tick();

 private:
  void loop();
  // Starts a run of the policy: its record, then its training job. Refusals (another run, too soon) are returned.
  Result<nlohmann::json> start_run(const PolicyRow& policy, const nlohmann::json& trigger, const std::string& actor);
  void check_triggers(PolicyRow& policy, int64_t now_ms);
  Status advance(nlohmann::json& run);             // run_steps.cc
  Status advance_training(nlohmann::json& run);    // run_steps.cc
  Status advance_validation(nlohmann::json& run);  // run_steps.cc
  Status advance_canary(nlohmann::json& run);      // run_steps.cc
  Status start_canary(nlohmann::json& run);        // run_steps.cc
  // A new step (the previous one ends), a finished run, an event: all in the record, then stored.
  void begin_step(nlohmann::json& run, const std::string& step, const std::string& state);
  Status finish(nlohmann::json& run, const std::string& outcome, const std::string& reason);
  void emit(const nlohmann::json& run, const std::string& event, const std::string& message);
  bool active(const std::string& model);

  RunStore& store_;
  jobs::JobService& jobs_;
  registry::Registry& models_;
  data::api::DataApi& data_;
  validation::Validator& validator_;
  logs::LogCenter& logs_;
  RetrainHooks hooks_;
  RetrainLimits limits_;

  std::mutex run_mu_;  // one tick or manual start at a time: no two runs of one model
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace maas::training::retrain
