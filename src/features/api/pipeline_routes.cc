// /api/v1/pipelines (docs/FEATURES.md): create a pipeline (a spec, checked whole: a 400 names the field), list, get,
// delete; fit it on a dataset version as a features.fit job (202 with the job); its fitted versions (with the state
// on ?state=true), their tags, and aliases.
#include <boost/asio/awaitable.hpp>
#include <fstream>
#include <sstream>
#include <utility>  // before Asio 1.74's awaitable.hpp, which uses std::exchange without including it

#include "api/json_io.h"
#include "common/json_fields.h"
#include "common/json_parse.h"
#include "common/names.h"
#include "features/api/features_api.h"
#include "features/jobs/fit_job.h"
#include "features/jobs/transform_job.h"
#include "features/pipeline.h"
#include "jobs/job_routes.h"
#include "jobs/job_service.h"

namespace maas::features {
namespace {

using Awaitable = boost::asio::awaitable<http::Response>;
using http::Request;
using http::Response;
using nlohmann::json;

std::string creator(const Request& req) { return req.principal ? req.principal->key_id : req.actor; }

Awaitable create_pipeline(FeaturesApi& api, Request& req) {
  API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_object(req, {"name", "spec", "description", "tags"}));
  API_ASSIGN_OR_RESPOND(auto name, maas::api::optional_string(body, "name", 256));
  if (!name) co_return Response::error(invalid_argument("'name' is required"));
  API_RESPOND_IF_ERROR(validate_name(*name, "pipeline"));
  API_ASSIGN_OR_RESPOND(auto description, maas::api::optional_string(body, "description", 8192));
  API_ASSIGN_OR_RESPOND(auto tags, maas::api::optional_string_map(body, "tags"));
  const json* spec = maas::api::find_field(body, "spec");
  if (spec == nullptr) co_return Response::error(invalid_argument("'spec' is required"));
  API_RESPOND_IF_ERROR(Pipeline::from_spec(*spec).status());
  API_ASSIGN_OR_RESPOND(
      auto record, api.store().create(*name, *spec, description.value_or(""), tags.value_or(Tags{}), creator(req)));
  Response res = Response::json(201, pipeline_json(record));
  res.headers.emplace_back("Location", "/api/v1/pipelines/" + record.name);
  co_return res;
}

// Submits a job of `kind` with `params` and the body's fields `keys`; 202 with the job. Everything is taken by
// value: the coroutine starts after the caller's temporaries are gone.
Awaitable submit(FeaturesApi& api, Request& req, const char* kind, json params, std::vector<const char*> keys) {
  std::vector<const char*> allowed = keys;
  allowed.push_back("priority");
  API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_body(req));
  API_RESPOND_IF_ERROR(check_known_fields(body, "", std::span<const char* const>(allowed)));
  jobs::JobService* service = api.jobs();
  if (service == nullptr) co_return Response::error(unavailable("the job system is not running yet; try again"));
  if (!body.contains("dataset")) co_return Response::error(invalid_argument("'dataset' is required"));
  jobs::Submission submission;
  submission.kind = kind;
  submission.params = std::move(params);
  for (const char* key : keys) {
    if (body.contains(key)) submission.params[key] = body[key];
  }
  if (body.contains("priority")) {
    if (!body["priority"].is_number_integer()) {
      co_return Response::error(invalid_argument("'priority' must be an integer"));
    }
    submission.priority = body["priority"].get<int>();
  }
  submission.owner = creator(req);
  API_ASSIGN_OR_RESPOND(auto job, service->submit(std::move(submission)));
  Response res = Response::json(202, jobs::job_json(job));
  res.headers.emplace_back("Location", "/api/v1/jobs/" + job.record.id);
  co_return res;
}

// A version as the API shows it; with ?state=true, its fitted state read from the artifact store.
Result<json> version_body(FeaturesApi& api, const Request& req, const PipelineVersionRecord& record) {
  json out = pipeline_version_json(record);
  if (req.query_param("state").value_or("") != "true") return out;
  std::ifstream in(api.data().artifacts().blob_path(record.state_digest), std::ios::binary);
  if (!in)
    return internal_error("the fitted state of " + record.name + " version " + std::to_string(record.version) +
                          " is missing from the artifact store");
  std::stringstream text;
  text << in.rdbuf();
  MAAS_ASSIGN_OR_RETURN(out["fitted_state"], parse_json(text.str(), "the fitted state"));
  return out;
}

Result<int64_t> version_number(const std::string& text) {
  long long n = 0;
  if (!parse_version_number(text, &n)) return invalid_argument("'" + text + "' is not a version number");
  return static_cast<int64_t>(n);
}

}  // namespace

void add_pipeline_routes(http::Router& router, FeaturesApi& api) {
  router.add("POST", "/api/v1/pipelines", [&api](Request& req) -> Awaitable { return create_pipeline(api, req); });
  router.add("GET", "/api/v1/pipelines", [&api](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(int limit, maas::api::limit_param(req, 100));
    API_ASSIGN_OR_RESPOND(auto list, api.store().list(req.query_param("page_token").value_or(""), limit));
    json out = json::array();
    for (const auto& p : list) out.push_back(pipeline_json(p));
    json next = static_cast<int>(list.size()) == limit && limit > 0 ? json(list.back().name) : json(nullptr);
    co_return Response::json(200, {{"pipelines", out}, {"next_page_token", next}});
  });
  router.add("GET", "/api/v1/pipelines/{name}", [&api](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(auto record, api.store().get(req.param("name")));
    co_return Response::json(200, pipeline_json(record));
  });
  router.add("DELETE", "/api/v1/pipelines/{name}", [&api](Request& req) -> Awaitable {
    API_RESPOND_IF_ERROR(api.store().remove(req.param("name")));
    api.data().collect_garbage();
    co_return Response::no_content();
  });
  router.add("POST", "/api/v1/pipelines/{name}/fit", [&api](Request& req) -> Awaitable {
    return submit(api, req, kFitJobKind, {{"pipeline", req.param("name")}},
                  std::vector<const char*>{"dataset", "version"});
  });
  router.add("POST", "/api/v1/pipelines/{name}/versions/{ref}/transform", [&api](Request& req) -> Awaitable {
    return submit(api, req, kTransformJobKind,
                  {{"pipeline", req.param("name")}, {"pipeline_version", req.param("ref")}},
                  std::vector<const char*>{"dataset", "version", "into", "description"});
  });
  router.add("GET", "/api/v1/pipelines/{name}/versions", [&api](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(auto list, api.store().versions(req.param("name")));
    json out = json::array();
    for (const auto& v : list) out.push_back(pipeline_version_json(v));
    co_return Response::json(200, {{"versions", out}});
  });
  router.add("GET", "/api/v1/pipelines/{name}/versions/{ref}", [&api](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(auto record, api.store().resolve(req.param("name"), req.param("ref")));
    API_ASSIGN_OR_RESPOND(json body, version_body(api, req, record));
    co_return Response::json(200, body);
  });
  router.add("PATCH", "/api/v1/pipelines/{name}/versions/{ref}", [&api](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_object(req, {"tags"}));
    API_ASSIGN_OR_RESPOND(auto tags, maas::api::optional_string_map(body, "tags"));
    API_ASSIGN_OR_RESPOND(int64_t version, version_number(req.param("ref")));
    if (tags) API_RESPOND_IF_ERROR(api.store().set_version_tags(req.param("name"), version, *tags));
    API_ASSIGN_OR_RESPOND(auto record, api.store().get_version(req.param("name"), version));
    co_return Response::json(200, pipeline_version_json(record));
  });
  router.add("PUT", "/api/v1/pipelines/{name}/aliases/{alias}", [&api](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(json body, maas::api::parse_json_object(req, {"version"}));
    const json* v = maas::api::find_field(body, "version");
    auto version = v ? maas::api::int64_of(*v) : std::nullopt;
    if (!version || *version < 1) co_return Response::error(invalid_argument("'version' must be a positive integer"));
    API_RESPOND_IF_ERROR(api.store().set_alias(req.param("name"), req.param("alias"), *version));
    co_return Response::json(200, {{"alias", req.param("alias")}, {"version", *version}});
  });
  router.add("DELETE", "/api/v1/pipelines/{name}/aliases/{alias}", [&api](Request& req) -> Awaitable {
    API_RESPOND_IF_ERROR(api.store().remove_alias(req.param("name"), req.param("alias")));
    co_return Response::no_content();
  });
}

}  // namespace maas::features
