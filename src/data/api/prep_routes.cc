// Data preparation over recorded versions, as jobs of the job system (prep_jobs.cc): POST
// /api/v1/datasets/{name}/versions/{ref}/clean runs a cleaning recipe into a new version (data.clean), .../split adds
// a train/validation/test column in a new version (data.split), POST .../drift compares two versions (data.drift).
// Each answers 202 with the job, which a client follows (GET /api/v1/jobs/{id}, its events and logs); the request is
// checked against the input's recorded schema first, so a bad recipe is a 400 before any job exists. GET .../drift
// answers the same report at once, computed on the pool under one of datasets.max_concurrent_imports' slots: a read
// for dashboards and small versions.
#include "api/json_io.h"
#include "data/api/routes.h"
#include "data/prep/drift.h"
#include "data/prep/prep_job.h"
#include "jobs/job_routes.h"

namespace maas::data::api {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;

std::string owner_of(const Request& req) { return req.principal ? req.principal->key_id : req.actor; }

// Submits `kind` with the body's fields (less priority; "dataset", the new version's dataset, as "into") and the
// path's version as its params: 202 with the job.
Response submit(DataApi& api, const Request& req, const char* kind, const json& body) {
  json params = {{"dataset", req.param("name")}, {"version", req.param("ref")}};
  for (const auto& [key, value] : body.items()) {
    if (key != "priority") params[key == "dataset" ? "into" : key] = value;
  }
  auto job = submit_data_job(api, kind, std::move(params), body, owner_of(req));
  if (!job.ok()) return error_response(job.status());
  Response res = Response::json(202, jobs::job_json(*job));
  res.headers.emplace_back("Location", "/api/v1/jobs/" + job->record.id);
  return res;
}

Awaitable clean(DataApi& api, Request& req) {
  API_ASSIGN_OR_RESPOND(json body,
                        maas::api::parse_json_object(req, {"steps", "dataset", "description", "tags", "priority"}));
  co_return submit(api, req, prep::kCleanJobKind, body);
}

Awaitable split(DataApi& api, Request& req) {
  API_ASSIGN_OR_RESPOND(
      json body, maas::api::parse_json_object(req, {"method", "fractions", "seed", "column", "split_column", "dataset",
                                                    "description", "tags", "priority"}));
  co_return submit(api, req, prep::kSplitJobKind, body);
}

Awaitable drift_job(DataApi& api, Request& req) {
  API_ASSIGN_OR_RESPOND(
      json body, maas::api::parse_json_object(req, {"part", "against", "columns", "bins", "split_column", "priority"}));
  co_return submit(api, req, prep::kDriftJobKind, body);
}

Awaitable drift_now(DataApi& api, Request& req) {
  json params = {{"dataset", req.param("name")}, {"version", req.param("ref")}};
  for (const char* key : {"part", "against", "columns", "split_column"}) {
    if (auto value = req.query_param(key)) params[key] = *value;
  }
  if (auto bins = req.query_param("bins")) {
    char* end = nullptr;
    long n = std::strtol(bins->c_str(), &end, 10);
    if (bins->empty() || *end != '\0' || n < 2 || n > 100) {
      co_return Response::error(invalid_argument("'bins' must be an integer from 2 to 100"));
    }
    params["bins"] = n;
  }
  API_ASSIGN_OR_RESPOND(json normalized, validate_drift(api, params));
  auto slot = api.imports().try_acquire();
  if (!slot.ok()) co_return error_response(slot.status());
  auto work = [&api, &normalized]() -> Result<json> {
    json answer;
    const json& a = normalized["a"];
    const json& b = normalized["b"];
    MAAS_RETURN_IF_ERROR(api.registry().read_versions(
        {{a["dataset"].get<std::string>(), a["version"].get<int64_t>()},
         {b["dataset"].get<std::string>(), b["version"].get<int64_t>()}},
        [&](engine::Connection& c, const std::vector<std::filesystem::path>& paths) -> Status {
          MAAS_ASSIGN_OR_RETURN(answer, prep::drift_of_versions(c, normalized, paths[0].string(), paths[1].string()));
          return {};
        }));
    return answer;
  };
  auto answer = co_await api.pool().run(std::move(work));
  if (!answer.ok()) co_return error_response(answer.status());
  co_return Response::json(200, *answer);
}

}  // namespace

void add_prep_routes(http::Router& router, DataApi& api) {
  router.add("POST", "/api/v1/datasets/{name}/versions/{ref}/clean",
             [&api](Request& req) -> Awaitable { return clean(api, req); });
  router.add("POST", "/api/v1/datasets/{name}/versions/{ref}/split",
             [&api](Request& req) -> Awaitable { return split(api, req); });
  router.add("POST", "/api/v1/datasets/{name}/versions/{ref}/drift",
             [&api](Request& req) -> Awaitable { return drift_job(api, req); });
  // Reads only: a reader's role may call it.
  router.add(
      "GET", "/api/v1/datasets/{name}/versions/{ref}/drift",
      [&api](Request& req) -> Awaitable { return drift_now(api, req); }, http::BodyMode::kBuffered,
      http::Access::kRead);
}

}  // namespace maas::data::api
