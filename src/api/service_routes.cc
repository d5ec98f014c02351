#include "api/service_routes.h"

#include "api/json_io.h"
#include "common/clock.h"

namespace maas::api {
namespace {
using http::Request;
using http::Response;
using nlohmann::json;
using Awaitable = boost::asio::awaitable<Response>;

}  // namespace

void add_service_routes(http::Router& router, gateway::Gateway& gw) {
  router.add("POST", "/api/v1/services", [&gw](Request& req) -> Awaitable {
    API_ASSIGN_OR_RESPOND(json body, parse_json_body(req));
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
    API_ASSIGN_OR_RESPOND(json body, parse_json_body(req));
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
