#include "training/retrain/retrain_routes.h"

#include <charconv>

#include "api/json_io.h"
#include "common/clock.h"

namespace maas::training::retrain {
namespace {

using http::Request;
using http::Response;
using nlohmann::json;
using Awaitable = boost::asio::awaitable<Response>;

json policy_json(const PolicyRow& row) {
  json out = row.policy;
  out["model"] = row.model;
  out["updated_by"] = row.updated_by;
  out["updated_at"] = format_rfc3339_ms(row.updated_at_ms);
  if (row.trigger_state.contains("next_fire_ms")) {
    out["next_fire_at"] = format_rfc3339_ms(row.trigger_state["next_fire_ms"].get<int64_t>());
  }
  if (row.trigger_state.contains("last_run_at_ms")) {
    out["last_run_at"] = format_rfc3339_ms(row.trigger_state["last_run_at_ms"].get<int64_t>());
  }
  return out;
}

Result<int> limit_of(const Request& req) {
  const std::string text = req.query_param("limit").value_or("50");
  int limit = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
  if (ec != std::errc() || end != text.data() + text.size() || limit < 1 || limit > 1000) {
    return invalid_argument("limit must be a whole number from 1 to 1000");
  }
  return limit;
}

}  // namespace

void add_retrain_routes(http::Router& router, Retrainer& retrainer, api::BlockingPool& blocking) {
  Retrainer& r = retrainer;
  router.add(
      "PUT", "/api/v1/models/{name}/retraining",
      [&r, &blocking](Request& req) -> Awaitable {
        API_ASSIGN_OR_RESPOND(json body, api::parse_json_body(req));
        auto put = [&r, &req, &body] { return r.put_policy(req.param("name"), body, req.actor); };
        auto row = co_await blocking.run(std::move(put));
        if (!row.ok()) co_return Response::error(row.status());
        co_return Response::json(200, policy_json(*row));
      },
      http::BodyMode::kBuffered, http::Access::kDeploy);
  router.add(
      "GET", "/api/v1/models/{name}/retraining",
      [&r](Request& req) -> Awaitable {
        API_ASSIGN_OR_RESPOND(auto row, r.get_policy(req.param("name")));
        co_return Response::json(200, policy_json(row));
      },
      http::BodyMode::kBuffered, http::Access::kRead);
  router.add(
      "DELETE", "/api/v1/models/{name}/retraining",
      [&r](Request& req) -> Awaitable {
        API_RESPOND_IF_ERROR(r.delete_policy(req.param("name")));
        co_return Response::no_content();
      },
      http::BodyMode::kBuffered, http::Access::kDeploy);
  router.add(
      "POST", "/api/v1/models/{name}/retraining/run",
      [&r, &blocking](Request& req) -> Awaitable {
        auto start = [&r, &req] { return r.run_now(req.param("name"), req.actor); };
        auto run = co_await blocking.run(std::move(start));
        if (!run.ok()) co_return Response::error(run.status());
        co_return Response::json(202, *run);
      },
      http::BodyMode::kBuffered, http::Access::kDeploy);
  router.add(
      "GET", "/api/v1/models/{name}/retraining/runs",
      [&r](Request& req) -> Awaitable {
        API_ASSIGN_OR_RESPOND(int limit, limit_of(req));
        API_ASSIGN_OR_RESPOND(auto runs, r.runs(req.param("name"), limit));
        co_return Response::json(200, json{{"runs", runs}});
      },
      http::BodyMode::kBuffered, http::Access::kRead);
  router.add(
      "GET", "/api/v1/models/{name}/retraining/runs/{id}",
      [&r](Request& req) -> Awaitable {
        API_ASSIGN_OR_RESPOND(auto run, r.run(req.param("name"), req.param("id")));
        co_return Response::json(200, run);
      },
      http::BodyMode::kBuffered, http::Access::kRead);
}

}  // namespace maas::training::retrain
