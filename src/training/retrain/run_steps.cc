// A retraining run's steps (retrainer.h): each tick reads what its jobs, its version and its service say now and
// moves the stored record on; nothing is kept in memory between ticks, so a restarted maasd picks every run up.
#include <spdlog/spdlog.h>

#include "common/clock.h"
#include "training/retrain/policy.h"
#include "training/retrain/retrainer.h"
#include "training/validation/validate_job.h"

namespace maas::training::retrain {
namespace {

using nlohmann::json;

const logs::LabelSet& event_labels() {
  static const logs::LabelSet kEvents = *logs::LabelSet::make({{"job", logs::kOwnJob}, {"kind", "event"}});
  return kEvents;
}

bool final_job_state(const std::string& state) {
  return state == store::kJobSucceeded || state == store::kJobFailed || state == store::kJobCancelled;
}

// The version a training job registered: the one whose lineage names the job as its run.
Result<std::optional<int64_t>> version_of_job(registry::Registry& models, const std::string& model,
                                              const std::string& job_id) {
  MAAS_ASSIGN_OR_RETURN(registry::VersionPage page, models.list_versions(model, store::VersionQuery{}, ""));
  for (const registry::VersionView& v : page.versions) {
    const json& lineage = v.version.lineage;
    if (lineage.is_object() && lineage.contains("run_id") && lineage["run_id"] == job_id) {
      return std::optional<int64_t>(v.version.version);
    }
  }
  return std::optional<int64_t>();
}

}  // namespace

void Retrainer::begin_step(json& run, const std::string& step, const std::string& state) {
  const std::string now = format_rfc3339_ms(now_unix_ms());
  json& steps = run["steps"];
  if (!steps.empty() && steps.back()["state"] == "running") {
    steps.back()["state"] = "succeeded";
    steps.back()["finished_at"] = now;
  }
  steps.push_back({{"step", step}, {"state", state}, {"started_at", now}});
}

void Retrainer::emit(const json& run, const std::string& event, const std::string& message) {
  json line = {
      {"event", event}, {"model", run["model"]}, {"run_id", run["id"]}, {"state", run["state"]}, {"message", message}};
  for (const char* key : {"version", "train_job", "validate_job", "dataset"}) {
    if (run.contains(key)) line[key] = run[key];
  }
  logs_.emit(event_labels(), now_unix_ms() * 1'000'000, line.dump(-1, ' ', false, json::error_handler_t::replace));
  if (run.contains("canary") && hooks_.service_event) {
    line.erase("event");
    hooks_.service_event(run["canary"]["service"].get<std::string>(), event, message, line);
  }
}

Status Retrainer::finish(json& run, const std::string& outcome, const std::string& reason) {
  const std::string now = format_rfc3339_ms(now_unix_ms());
  json& steps = run["steps"];
  if (!steps.empty() && steps.back()["state"] == "running") {
    const bool ok = outcome == "promoted" || outcome == "validated";
    steps.back()["state"] = ok ? "succeeded" : "failed";
    steps.back()["finished_at"] = now;
    if (!ok) steps.back()["message"] = reason;
  }
  run["finished"] = true;
  run["state"] = outcome;
  run["outcome"] = outcome;
  run["reason"] = reason;
  run["finished_at"] = now;
  MAAS_RETURN_IF_ERROR(store_.update_run(run));
  emit(run, "retraining_" + outcome, "retraining run " + run["id"].get<std::string>() + " " + outcome + ": " + reason);
  return {};
}

Status Retrainer::advance(json& run) {
  const std::string state = run.value("state", std::string());
  if (state == "training") return advance_training(run);
  if (state == "validating") return advance_validation(run);
  if (state == "canary") return advance_canary(run);
  return finish(run, "interrupted", "the run was in an unknown state '" + state + "'");
}

Status Retrainer::advance_training(json& run) {
  if (!run.contains("train_job")) {
    return finish(run, "interrupted", "maasd stopped before the run's training job was submitted");
  }
  const std::string id = run["train_job"].get<std::string>();
  auto job = jobs_.get(id);
  if (!job.ok()) {
    if (job.status().code() != StatusCode::kNotFound) return job.status();
    return finish(run, "interrupted", "its training job " + id + " no longer exists");
  }
  const store::JobRecord& record = job->record;
  if (!final_job_state(record.state)) {
    run["steps"].back()["progress"] = record.progress;
    return {};
  }
  if (record.state != store::kJobSucceeded) {
    return finish(run, "failed", "the training job " + id + " " + record.state + ": " + record.error);
  }
  const std::string model = run["model"].get<std::string>();
  MAAS_ASSIGN_OR_RETURN(auto version, version_of_job(models_, model, id));
  if (!version) return finish(run, "failed", "the training job " + id + " registered no version of " + model);
  run["version"] = *version;
  run["state"] = "validating";
  begin_step(run, "validate", "running");
  run["steps"].back()["version"] = *version;
  MAAS_RETURN_IF_ERROR(store_.update_run(run));
  emit(run, "retraining_trained",
       "training job " + id + " registered version " + std::to_string(*version) + "; validating it");
  return {};
}

Status Retrainer::advance_validation(json& run) {
  const std::string model = run["model"].get<std::string>();
  const int64_t version = run["version"].get<int64_t>();
  MAAS_ASSIGN_OR_RETURN(registry::VersionView view, models_.get_version(model, std::to_string(version)));
  const json& lineage = view.version.lineage;
  if (lineage.is_object() && lineage.contains("validation") && lineage["validation"].is_object()) {
    const json& report = lineage["validation"];
    if (report.contains("job_id")) {
      run["validate_job"] = report["job_id"];
      run["steps"].back()["job_id"] = report["job_id"];
    }
    const std::string reason =
        report.contains("reason") && report["reason"].is_string() ? report["reason"].get<std::string>() : std::string();
    if (!(report.contains("passed") && report["passed"] == true)) {
      return finish(run, "not_validated",
                    "version " + std::to_string(version) + " failed its validation and stays registered: " + reason);
    }
    if (!run.contains("canary")) {
      return finish(run, "validated", "version " + std::to_string(version) + " passed its validation: " + reason);
    }
    return start_canary(run);
  }
  // No report yet: the validator's job may still run, or may have failed (then no report ever comes).
  store::JobQuery query;
  query.kind = validation::kValidateKind;
  query.limit = 200;
  MAAS_ASSIGN_OR_RETURN(auto jobs, jobs_.list(query));
  for (const jobs::JobView& job : jobs) {
    const json& p = job.record.params;
    if (!p.is_object() || p.value("model", std::string()) != model || !p.contains("model_version") ||
        p["model_version"] != version) {
      continue;
    }
    run["validate_job"] = job.record.id;
    run["steps"].back()["job_id"] = job.record.id;
    if (job.record.state == store::kJobFailed || job.record.state == store::kJobCancelled) {
      return finish(run, "failed",
                    "the validation job " + job.record.id + " " + job.record.state + ": " + job.record.error);
    }
    return store_.update_run(run);
  }
  if (auto policy = validator_.get_policy(model); !policy.ok() && policy.status().code() == StatusCode::kNotFound) {
    return finish(run, "failed",
                  "model '" + model + "' has no validation policy any more: nothing validates version " +
                      std::to_string(version));
  }
  return {};
}

Status Retrainer::start_canary(json& run) {
  const std::string model = run["model"].get<std::string>();
  const int64_t version = run["version"].get<int64_t>();
  const json& plan = run["canary"];
  const std::string service = plan["service"].get<std::string>();
  if (!hooks_.start_canary) return finish(run, "failed", "this server has no gateway to roll the canary out");
  run["state"] = "canary";
  begin_step(run, "canary", "running");
  run["steps"].back()["service"] = service;
  Status s = hooks_.start_canary(service, canary_block(plan, model, version), run["created_by"].get<std::string>());
  if (s.code() == StatusCode::kUnavailable) return s;  // not stored: the run is still `validating` next time
  if (!s.ok()) return finish(run, "failed", "the canary on service '" + service + "' was refused: " + s.message());
  MAAS_RETURN_IF_ERROR(store_.update_run(run));
  emit(run, "retraining_canary_started",
       "version " + std::to_string(version) + " passed its validation; canary on service '" + service + "' at " +
           plan["weight"].dump() + "%");
  return {};
}

Status Retrainer::advance_canary(json& run) {
  const std::string service = run["canary"]["service"].get<std::string>();
  const std::string model = run["model"].get<std::string>();
  const int64_t version = run["version"].get<int64_t>();
  if (!hooks_.canary_phase) return finish(run, "interrupted", "this server has no gateway any more");
  const json phase = hooks_.canary_phase(service, model, version);
  const std::string name = phase.value("phase", std::string("gone"));
  const std::string reason =
      phase.contains("reason") && phase["reason"].is_string() ? phase["reason"].get<std::string>() : "";
  if (name == "promoted") {
    return finish(run, "promoted", "version " + std::to_string(version) + " was promoted on service '" + service + "'");
  }
  if (name == "rolled_back") {
    return finish(run, "rolled_back",
                  "version " + std::to_string(version) + " was rolled back on service '" + service + "': " + reason);
  }
  if (name == "progressing") return {};
  return finish(run, "interrupted",
                "the canary of version " + std::to_string(version) + " on service '" + service + "' is gone" +
                    (reason.empty() ? std::string() : ": " + reason));
}

}  // namespace maas::training::retrain
