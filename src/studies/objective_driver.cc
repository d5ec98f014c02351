#include "studies/objective_driver.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <cmath>
#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without including it

#include "jobs/job_routes.h"
#include "store/job_store.h"
#include "studies/objective_spec.h"

namespace maas::studies {
namespace {

constexpr const char* kDriverOwner = "studies";

// The objective's value a finished train.cv job gives: its best score under early stopping, else the last round's.
std::optional<double> final_value(const nlohmann::json& result, const std::string& key) {
  if (!result.is_object()) return std::nullopt;
  if (const auto it = result.find("best_score"); it != result.end() && it->is_number()) return it->get<double>();
  const auto curve = result.find("curve");
  if (curve == result.end() || !curve->is_array() || curve->empty()) return std::nullopt;
  const auto& last = curve->back();
  if (!last.is_object() || !last.contains(key) || !last[key].is_number()) return std::nullopt;
  return last[key].get<double>();
}

// The curve's (round, value) pairs: every round, including those that ended between two looks at the job.
std::vector<std::pair<int64_t, double>> curve_values(const nlohmann::json& result, const std::string& key) {
  std::vector<std::pair<int64_t, double>> out;
  const auto curve = result.find("curve");
  if (curve == result.end() || !curve->is_array()) return out;
  for (const auto& row : *curve) {
    if (!row.is_object() || !row.contains("round") || !row["round"].is_number_integer()) continue;
    if (!row.contains(key) || !row[key].is_number()) continue;
    out.emplace_back(row["round"].get<int64_t>(), row[key].get<double>());
  }
  return out;
}

std::string job_owner(const StudySnapshot& study) {
  return study.record.created_by.empty() ? kDriverOwner : study.record.created_by;
}

}  // namespace

Result<nlohmann::json> ObjectiveDriver::answer_report(const store::JobRecord& job, const nlohmann::json& question) {
  const auto field = [&](const char* key) { return question.is_object() ? question.find(key) : question.end(); };
  const auto study = field("study"), trial = field("trial"), step = field("step"), value = field("value");
  if (!question.is_object() || study == question.end() || !study->is_string() || trial == question.end() ||
      !trial->is_number_integer() || step == question.end() || !step->is_number_integer() || step->get<int64_t>() < 0 ||
      value == question.end() || !value->is_number() || !std::isfinite(value->get<double>())) {
    return invalid_argument("a study report is {\"study\", \"trial\", \"step\" (>= 0), \"value\" (finite)}");
  }
  const std::string& name = study->get_ref<const std::string&>();
  const int64_t number = trial->get<int64_t>();
  const nlohmann::json stop = {{"prune", true}};
  auto snapshot = studies_.get(name);
  if (!snapshot.ok() && snapshot.status().code() == StatusCode::kNotFound) return stop;  // deleted: nobody reads on
  if (!snapshot.ok()) return snapshot.status();
  auto record = studies_.trial(name, number);
  if (!record.ok() && record.status().code() == StatusCode::kNotFound) return stop;
  if (!record.ok()) return record.status();
  // Only the trial's job reports to it; one submitted a moment ago may ask before the driver recorded its id.
  const bool its_job = record->job_id == job.id || (record->job_id.empty() && job.owner == job_owner(*snapshot));
  if (!its_job) {
    return failed_precondition(fmt::format("job {} does not run trial {} of study '{}'", job.id, number, name));
  }
  if (record->trial.state != hpo::TrialState::kRunning) return stop;
  auto prune = studies_.report(name, number, step->get<int64_t>(), value->get<double>());
  if (!prune.ok() && prune.status().code() == StatusCode::kFailedPrecondition) return stop;  // finished meanwhile
  if (!prune.ok()) return prune.status();
  return nlohmann::json{{"prune", *prune}};
}

void ObjectiveDriver::tick() {
  auto studies = studies_.list_with_objective();
  if (!studies.ok()) {
    spdlog::warn("studies: cannot list the studies: {}", studies.status().message());
    return;
  }
  for (const auto& study : *studies) drive(study);
}

void ObjectiveDriver::drive(const StudySnapshot& study) {
  int64_t running = 0;
  bool queue_full = false;
  for (const auto& trial : study.trials) {
    if (trial.trial.state != hpo::TrialState::kRunning) continue;
    if (trial.job_id.empty()) {
      // Asked before a restart or refused by a full queue: its job now (its number and parameters stay). It counts
      // against `parallel` whatever the submit answers, so a full queue does not make every pass ask another trial.
      const Status submitted = submit(study, trial.trial.number, trial.trial.params);
      queue_full = queue_full || submitted.code() == StatusCode::kResourceExhausted;
    } else {
      follow(study, trial);
    }
    ++running;
  }
  // A full queue: the next pass tries again. A spent budget: only the running trials are followed, nothing asked.
  if (queue_full || !budget_left(study).ok()) return;
  const int64_t parallel = study.spec.objective.at("parallel").get<int64_t>();
  for (; running < parallel; ++running) {
    auto asked = studies_.ask(study.record.name, /*by_driver=*/true);
    if (!asked.ok()) return;  // the budget is spent, or a limit: the next pass tries again
    if (!submit(study, asked->number, asked->params).ok()) return;
  }
}

Status ObjectiveDriver::submit(const StudySnapshot& study, int64_t number, const nlohmann::json& params) {
  jobs::Submission submission;
  submission.kind = study.spec.objective.at("kind").get<std::string>();
  submission.params = objective_params(study.spec.objective, params);
  // The job asks the study at each round (answer_report) and waits for the pruner's decision.
  submission.params["study_trial"] = {
      {"study", study.record.name}, {"trial", number}, {"metric", objective_metric_key(study.spec.objective)}};
  submission.owner = job_owner(study);
  auto job = jobs_.submit(std::move(submission));
  if (!job.ok()) {
    // Parameters the kind refuses fail the trial; a full queue (429) is tried again on the next pass.
    if (job.status().code() != StatusCode::kResourceExhausted) {
      spdlog::warn("studies: trial {} of '{}' cannot start: {}", number, study.record.name, job.status().message());
      (void)studies_.tell(study.record.name, number, {{"state", "failed"}});
    }
    return job.status();
  }
  Status recorded = studies_.set_job(study.record.name, number, job->record.id);
  if (!recorded.ok()) {
    // A job no trial names would run unfollowed; the trial, still without one, is submitted again next pass.
    spdlog::warn("studies: trial {} of '{}' cannot record its job {}: {}", number, study.record.name, job->record.id,
                 recorded.message());
    cancel(job->record.id);
  }
  return recorded;
}

void ObjectiveDriver::follow(const StudySnapshot& study, const TrialRecord& trial) {
  const auto& name = study.record.name;
  const int64_t number = trial.trial.number;
  auto job = jobs_.get(trial.job_id);
  if (!job.ok()) {
    // Only a job that is gone fails the trial; a store error is tried again next pass.
    if (job.status().code() == StatusCode::kNotFound) (void)studies_.tell(name, number, {{"state", "failed"}});
    return;
  }
  const auto& record = job->record;
  const std::string key = objective_metric_key(study.spec.objective);
  if (record.state == store::kJobSucceeded) {
    const auto value = final_value(record.result, key);
    if (!value) {
      spdlog::warn("studies: job {} of trial {} of '{}' has no {}", record.id, number, name, key);
      (void)studies_.tell(name, number, {{"state", "failed"}});
      return;
    }
    (void)studies_.add_intermediate(name, number, curve_values(record.result, key));
    (void)studies_.tell(name, number, {{"values", {*value}}});
    return;
  }
  if (store::is_terminal_job_state(record.state)) {
    (void)studies_.tell(name, number, {{"state", "failed"}});
    return;
  }
  // A job that asks the study at each round (every job submitted since the gate exists) is not reported for here.
  if (record.params.is_object() && record.params.contains("study_trial")) return;
  const auto& metrics = record.progress_metrics;
  if (!metrics.is_object() || !metrics.contains("round") || !metrics.contains(key)) return;
  if (!metrics["round"].is_number() || !metrics[key].is_number()) return;
  const auto round = static_cast<int64_t>(metrics["round"].get<double>());
  const double value = metrics[key].get<double>();
  if (!std::isfinite(value)) return;
  if (!trial.trial.intermediate.empty() && trial.trial.intermediate.back().first >= round) return;
  auto prune = studies_.report(name, number, round, value);
  if (prune.ok() && *prune) cancel(record.id);
}

void ObjectiveDriver::cancel(const std::string& job_id) {
  boost::asio::co_spawn(
      io_,
      [this, job_id]() -> boost::asio::awaitable<void> {
        auto cancelled = co_await jobs_.cancel(job_id);
        if (!cancelled.ok()) spdlog::debug("studies: cancel of job {}: {}", job_id, cancelled.status().message());
      },
      boost::asio::detached);
}

Result<nlohmann::json> ObjectiveDriver::register_best(const std::string& name, const std::string& owner) {
  MAAS_ASSIGN_OR_RETURN(auto study, studies_.get(name));
  if (study.spec.objective.is_null()) {
    return failed_precondition(fmt::format("study '{}' has no built-in objective: register its model yourself", name));
  }
  const auto best = best_trials(study.spec, study.trials);
  if (best.empty()) return failed_precondition(fmt::format("study '{}' has no complete trial yet", name));
  const auto& trial = *best.front();
  nlohmann::json params = objective_params(study.spec.objective, trial.trial.params);
  params.erase("cv");
  // Early stopping needs validation rows: the full dataset trains for the rounds the trial's CV kept.
  params.erase("early_stopping_rounds");
  if (auto job = jobs_.get(trial.job_id); job.ok() && job->record.result.is_object()) {
    if (const auto it = job->record.result.find("rounds"); it != job->record.result.end() && it->is_number_integer()) {
      params["num_boost_round"] = *it;
    }
  }
  params["model"] = name;
  params["description"] = fmt::format("best trial {} of study '{}' ({} = {})", trial.trial.number, name,
                                      objective_metric_key(study.spec.objective), trial.trial.values.at(0));
  jobs::Submission submission;
  submission.kind = "train.xgboost";
  submission.params = std::move(params);
  submission.owner = owner;
  MAAS_ASSIGN_OR_RETURN(auto job, jobs_.submit(std::move(submission)));
  return jobs::job_json(job);
}

}  // namespace maas::studies
