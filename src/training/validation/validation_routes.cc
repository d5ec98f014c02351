#include "training/validation/validation_routes.h"

#include "api/json_io.h"
#include "common/clock.h"
#include "jobs/job_routes.h"

namespace maas::training::validation {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;
using Awaitable = boost::asio::awaitable<Response>;

json policy_json(const PolicyRecord& record) {
  json out = record.policy;
  out["model"] = record.model;
  out["updated_by"] = record.updated_by;
  out["updated_at"] = format_rfc3339_ms(record.updated_at_ms);
  return out;
}

}  // namespace

void add_validation_routes(http::Router& router, Validator& validator, api::BlockingPool& blocking) {
  Validator& v = validator;
  router.add(
      "PUT", "/api/v1/models/{name}/validation-policy",
      [&v, &blocking](Request& req) -> Awaitable {
        API_ASSIGN_OR_RESPOND(json body, api::parse_json_body(req));
        auto put = [&v, &req, &body] { return v.put_policy(req.param("name"), body, req.actor); };
        auto record = co_await blocking.run(std::move(put));
        if (!record.ok()) co_return Response::error(record.status());
        co_return Response::json(200, policy_json(*record));
      },
      http::BodyMode::kBuffered, http::Access::kDeploy);
  router.add(
      "GET", "/api/v1/models/{name}/validation-policy",
      [&v](Request& req) -> Awaitable {
        API_ASSIGN_OR_RESPOND(auto record, v.get_policy(req.param("name")));
        co_return Response::json(200, policy_json(record));
      },
      http::BodyMode::kBuffered, http::Access::kRead);
  router.add(
      "DELETE", "/api/v1/models/{name}/validation-policy",
      [&v](Request& req) -> Awaitable {
        API_RESPOND_IF_ERROR(v.delete_policy(req.param("name")));
        co_return Response::no_content();
      },
      http::BodyMode::kBuffered, http::Access::kDeploy);
  router.add(
      "POST", "/api/v1/models/{name}/versions/{ref}/validate",
      [&v, &blocking](Request& req) -> Awaitable {
        auto submit = [&v, &req] { return v.validate_version(req.param("name"), req.param("ref"), req.actor); };
        auto job = co_await blocking.run(std::move(submit));
        if (!job.ok()) co_return Response::error(job.status());
        co_return Response::json(202, jobs::job_json(*job));
      },
      http::BodyMode::kBuffered, http::Access::kDeploy);
}

}  // namespace maas::training::validation
