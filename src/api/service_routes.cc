#include "api/service_routes.h"

#include "api/json_io.h"
#include "common/clock.h"

namespace maas::api {
namespace {
using http::Request;
using http::Response;
using nlohmann::json;
using Awaitable = boost::asio::awaitable<Response>;

Result<json> json_body(const Request& req) {
  auto content_type = req.header("content-type");
  if (content_type && content_type->find("json") == std::string::npos) {
    return Status(StatusCode::kUnsupportedMediaType, "this endpoint takes application/json, not " + *content_type);
  }
  json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return invalid_argument("the request body is not valid JSON");
  if (!body.is_object()) return invalid_argument("the request body must be a JSON object");
  return body;
}

}  // namespace

void add_service_routes(http::Router& router, gateway::Gateway& gw) {
  router.add("POST", "/api/v1/services", [&gw](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(json body, json_body(req));
    auto created = co_await gw.create(body, req.actor);
    if (!created.ok()) co_return Response::error(created.status());
    Response r = Response::json(201, *created);
    r.headers.emplace_back("Location", "/api/v1/services/" + (*created)["name"].get<std::string>());
    co_return r;
  });
  router.add("GET", "/api/v1/services", [&gw](Request&) -> Awaitable {
    co_return Response::json(200, {{"services", gw.list()}});
  });
  router.add("GET", "/api/v1/services/{name}", [&gw](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(json view, gw.show(req.param("name")));
    co_return Response::json(200, view);
  });
  router.add("PATCH", "/api/v1/services/{name}", [&gw](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(json body, json_body(req));
    auto updated = co_await gw.update(req.param("name"), body, req.actor);
    if (!updated.ok()) co_return Response::error(updated.status());
    co_return Response::json(200, *updated);
  });
  router.add("DELETE", "/api/v1/services/{name}", [&gw](Request& req) -> Awaitable {
    API_RESPOND_IF_ERROR(gw.remove(req.param("name"), req.actor));
    co_return Response::no_content();
  });
  router.add("GET", "/api/v1/services/{name}/events", [&gw](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(int limit, limit_param(req, 200));
    API_ASSIGN_OR_RESPOND(auto events, gw.events(req.param("name"), std::clamp(limit, 1, 10000)));
    json items = json::array();
    for (const auto& e : events) {
      items.push_back({{"id", e.id}, {"at", format_rfc3339_ms(e.at_ms)}, {"kind", e.kind}, {"message", e.message},
                       {"detail", e.detail}});
    }
    co_return Response::json(200, {{"events", items}});
  });
}

}  // namespace maas::api
