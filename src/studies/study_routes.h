// /api/v1/studies (docs/HPO.md): create, list, get, delete; ask (POST …/trials), trials (GET, paged), report and
// tell; register (built-in objectives). JSON in and out; errors name the field.
//
// Thread-safety: the handlers call the StudyService (thread-safe) and the hooks; both and the pool must outlive the
// router.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "api/blocking.h"
#include "common/status.h"
#include "http/router.h"
#include "studies/study_service.h"

namespace maas::studies {

// What the built-in objectives add to the routes (none: the routes answer 409 for register).
struct StudyHooks {
  // POST /api/v1/studies/{s}/register: the job that trains the best trial on the full dataset ({"job": {...}}).
  std::function<Result<nlohmann::json>(const std::string& name, const std::string& owner)> register_best;
};

// Ask, report and tell run on `blocking` (they wait for the study's mutex while another samples).
void add_study_routes(http::Router& router, StudyService& service, const StudyHooks& hooks,
                      api::BlockingPool& blocking);

nlohmann::json trial_json(const TrialRecord& record);
nlohmann::json study_json(const StudySnapshot& study);

}  // namespace maas::studies
