// Validation before `ready`, maasd's side (docs/TRAINING.md#validation-policies): the policies of models, the
// train.validate kind (validate resolves the candidate, the champion and the holdout and snapshots the policy
// into the job; on_succeeded stores the report on the version and moves a passing one to ready), the registry's
// listener that submits a validation for each new version of a model with a policy, and the registry's guard
// that refuses `ready` to a version that has not passed (unless an admin forces it).
//
// Thread-safety: every method may be called from any thread; the stores, registry, data API, log center and job
// service outlive the Validator. attach() is called once at start, before requests are served.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "data/api/data_api.h"
#include "jobs/job_kind.h"
#include "jobs/job_service.h"
#include "logs/log_center.h"
#include "registry/registry.h"
#include "training/validation/policy_store.h"

namespace maas::training::validation {

class Validator {
 public:
  Validator(PolicyStore& policies, data::api::DataApi& data, registry::Registry& models, logs::LogCenter& logs)
      : policies_(policies), data_(data), models_(models), logs_(logs) {}

  jobs::JobKind kind();
  // Installs the registry's version listener and transition guard; new versions are validated through `jobs`.
  void attach(jobs::JobService& jobs);

  // The model must exist; `body` is read by parse_policy (400s naming the field).
  Result<PolicyRecord> put_policy(const std::string& model, const nlohmann::json& body, const std::string& actor);
  Result<PolicyRecord> get_policy(const std::string& model);
  Status delete_policy(const std::string& model);
  // Submits train.validate for one version (again): 400 when the model has no policy or the version cannot be
  // evaluated on its holdout.
  Result<jobs::JobView> validate_version(const std::string& model, const std::string& ref, const std::string& actor);

 private:
  Result<nlohmann::json> job_params(const nlohmann::json& params);
  Status on_succeeded(const jobs::SucceededJob& job);
  Status guard(const std::string& model, const store::VersionRecord& current, const store::VersionPatch& patch,
               bool force);
  void on_new_version(const std::string& model, int64_t version, const std::string& actor);
  // The report on the version's lineage ("validation"), and the version to ready when it passed and is still
  // registered; an event in the log center either way.
  Status record(const std::string& model, int64_t version, const nlohmann::json& report);

  PolicyStore& policies_;
  data::api::DataApi& data_;
  registry::Registry& models_;
  logs::LogCenter& logs_;
  jobs::JobService* jobs_ = nullptr;
};

}  // namespace maas::training::validation
