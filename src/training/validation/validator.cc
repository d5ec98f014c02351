#include "training/validation/validator.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "training/validation/policy.h"
#include "training/validation/validate_job.h"
#include "training/xgboost/evaluate_kind.h"

namespace maas::training::validation {
namespace {

using nlohmann::json;

const json& validation_of(const json& lineage) {
  static const json kNone;
  if (!lineage.is_object()) return kNone;
  auto it = lineage.find("validation");
  return it == lineage.end() ? kNone : *it;
}

bool passed(const json& lineage) {
  const json& report = validation_of(lineage);
  return report.is_object() && report.contains("passed") && report["passed"] == true;
}

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

jobs::JobKind Validator::kind() {
  jobs::JobKind kind;
  kind.name = kValidateKind;
  kind.description = "check a model version against its model's validation policy; passing makes it ready";
  kind.validate = [this](const json& params) { return job_params(params); };
  kind.on_succeeded = [this](const jobs::SucceededJob& job) { return on_succeeded(job); };
  return kind;
}

void Validator::attach(jobs::JobService& jobs) {
  jobs_ = &jobs;
  models_.set_version_listener([this](const std::string& model, int64_t version, const std::string& actor) {
    on_new_version(model, version, actor);
  });
  models_.set_transition_guard([this](const std::string& model, const store::VersionRecord& current,
                                      const store::VersionPatch& patch,
                                      bool force) { return guard(model, current, patch, force); });
}

Result<PolicyRecord> Validator::put_policy(const std::string& model, const json& body, const std::string& actor) {
  MAAS_RETURN_IF_ERROR(models_.get_model(model).status());
  MAAS_ASSIGN_OR_RETURN(json policy, parse_policy(body));
  return policies_.put(model, policy, actor);
}

Result<PolicyRecord> Validator::get_policy(const std::string& model) {
  MAAS_ASSIGN_OR_RETURN(auto record, policies_.find(model));
  if (!record) return not_found("model '" + model + "' has no validation policy");
  return *record;
}

Status Validator::delete_policy(const std::string& model) { return policies_.remove(model); }

Result<jobs::JobView> Validator::validate_version(const std::string& model, const std::string& ref,
                                                  const std::string& actor) {
  if (!jobs_) return unavailable("the job system is not running");
  MAAS_ASSIGN_OR_RETURN(int64_t version, models_.resolve(model, ref));
  jobs::Submission submission;
  submission.kind = kValidateKind;
  submission.params = {{"model", model}, {"model_version", version}};
  submission.owner = actor;
  return jobs_->submit(std::move(submission));
}

Result<json> Validator::job_params(const json& params) {
  if (!params.is_object() || !params.contains("model") || !params["model"].is_string() ||
      !params.contains("model_version") || !params["model_version"].is_number_integer()) {
    return invalid_argument("params must be {model, model_version}: a model version to validate");
  }
  const std::string model = params["model"].get<std::string>();
  const int64_t version = params["model_version"].get<int64_t>();
  MAAS_ASSIGN_OR_RETURN(auto record, policies_.find(model));
  if (!record) return invalid_argument("model '" + model + "' has no validation policy");
  const json& policy = record->policy;
  json out = {{"model", model}, {"model_version", version}, {"policy", policy}};
  MAAS_ASSIGN_OR_RETURN(out["candidate"],
                        validate_evaluation_params(data_, models_, evaluation_params(policy, model, version)));
  if (policy.contains("not_worse_than")) {
    const std::string ref = policy["not_worse_than"]["version"].get<std::string>();
    auto champion = models_.resolve(model, ref);
    if (!champion.ok() && champion.status().code() != StatusCode::kNotFound) return champion.status();
    if (!champion.ok()) {
      out["champion_note"] = "the champion '" + ref + "' does not name a version yet: nothing to compare with";
    } else if (*champion == version) {
      out["champion_note"] = "the candidate is the champion '" + ref + "' itself";
    } else {
      MAAS_ASSIGN_OR_RETURN(out["champion"],
                            validate_evaluation_params(data_, models_, evaluation_params(policy, model, *champion)));
    }
  }
  return out;
}

Status Validator::on_succeeded(const jobs::SucceededJob& job) {
  json report = job.result;
  report["job_id"] = job.id;
  report["policy"] = job.params["policy"];
  return record(job.params["model"].get<std::string>(), job.params["model_version"].get<int64_t>(), report);
}

Status Validator::record(const std::string& model, int64_t version, const json& report) {
  MAAS_ASSIGN_OR_RETURN(registry::VersionView view, models_.get_version(model, std::to_string(version)));
  store::VersionPatch patch;
  patch.lineage = view.version.lineage.is_object() ? view.version.lineage : json::object();
  (*patch.lineage)["validation"] = report;
  const bool ok = report.value("passed", false);
  const std::string reason = report.value("reason", std::string());
  if (ok && view.version.state == store::kStateRegistered) {
    patch.state =
        store::StateChange{std::string(store::kStateReady), "validation",
                           "validation passed (job " + report.value("job_id", std::string()) + "): " + reason};
  }
  MAAS_RETURN_IF_ERROR(models_.update_version(model, std::to_string(version), patch, /*force=*/true).status());
  json line = {{"event", ok ? "validation_passed" : "validation_failed"},
               {"model", model},
               {"version", std::to_string(version)},
               {"reason", reason}};
  if (report.contains("job_id")) line["job_id"] = report["job_id"];
  static const logs::LabelSet kEvents = *logs::LabelSet::make({{"job", logs::kOwnJob}, {"kind", "event"}});
  logs_.emit(kEvents, now_ns(), line.dump(-1, ' ', false, json::error_handler_t::replace));
  return {};
}

void Validator::on_new_version(const std::string& model, int64_t version, const std::string& actor) {
  auto policy = policies_.find(model);
  if (!policy.ok() || !*policy) return;
  auto job = validate_version(model, std::to_string(version), actor);
  if (job.ok()) return;
  // A version that cannot be validated (no recipe, a holdout without its columns) says why on itself.
  json report = {
      {"passed", false}, {"reason", "cannot be validated: " + job.status().message()}, {"policy", (*policy)->policy}};
  if (Status s = record(model, version, report); !s.ok()) {
    spdlog::warn("cannot record the validation of {} version {}: {}", model, version, s.message());
  }
}

Status Validator::guard(const std::string& model, const store::VersionRecord& current, const store::VersionPatch& patch,
                        bool force) {
  if (force) return {};
  if (!patch.state || patch.state->to != store::kStateReady || current.state != store::kStateRegistered) return {};
  MAAS_ASSIGN_OR_RETURN(auto policy, policies_.find(model));
  if (!policy || passed(current.lineage)) return {};
  const json& report = validation_of(current.lineage);
  const std::string why = report.is_object() && report.contains("reason")
                              ? "it failed: " + report["reason"].get<std::string>()
                              : "it has not been validated yet";
  return failed_precondition("model '" + model + "' has a validation policy (GET /api/v1/models/" + model +
                             "/validation-policy) and version " + std::to_string(current.version) +
                             " has not passed it: " + why + ". Validate it (POST .../versions/" +
                             std::to_string(current.version) + "/validate) or, as an admin, send \"force\": true");
}

}  // namespace maas::training::validation
