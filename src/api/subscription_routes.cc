#include "api/subscription_routes.h"

#include "api/json_io.h"

namespace maas::api {
namespace {

using http::Request;
using http::Response;
using json = nlohmann::json;
using Awaitable = boost::asio::awaitable<Response>;

boost::asio::awaitable<Response> create(alerting::Subscriptions& subs, BlockingPool& blocking, Request& req) {
  API_ASSIGN_OR_RESPOND(json body, parse_json_body(req));
  API_ASSIGN_OR_RESPOND(alerting::Subscription s, alerting::parse_subscription(body));
  s.created_by = req.principal ? req.principal->name : "";
  auto work = [&subs, &s] { return subs.create(s); };
  auto created = co_await blocking.run(std::move(work));
  if (!created.ok()) co_return Response::error(created.status());
  co_return Response::json(201, alerting::subscription_json(*created));
}

}  // namespace

void add_subscription_routes(http::Router& router, alerting::Subscriptions& subscriptions, BlockingPool& blocking) {
  auto* subs = &subscriptions;
  auto* b = &blocking;
  // Subscribing makes maasd send data to an address the caller chooses: a deployer's or admin's action.
  router.add(
      "POST", "/api/v1/subscriptions", [subs, b](Request& req) -> Awaitable { return create(*subs, *b, req); },
      http::BodyMode::kBuffered, http::Access::kDeploy);
  router.add("GET", "/api/v1/subscriptions", [subs](Request&) -> Awaitable {
    json out = json::array();
    for (const auto& s : subs->list()) out.push_back(alerting::subscription_json(s));
    co_return Response::json(200, {{"subscriptions", std::move(out)}});
  });
  router.add("GET", "/api/v1/subscriptions/{id}", [subs](Request& req) -> Awaitable {
    auto s = subs->get(req.param("id"));
    if (!s.ok()) co_return Response::error(s.status());
    co_return Response::json(200, alerting::subscription_json(*s));
  });
  router.add(
      "DELETE", "/api/v1/subscriptions/{id}",
      [subs, b](Request& req) -> Awaitable {
        const std::string& id = req.param("id");
        auto work = [subs, &id] { return subs->remove(id); };
        Status s = co_await b->run(std::move(work));
        if (!s.ok()) co_return Response::error(s);
        co_return Response::no_content();
      },
      http::BodyMode::kBuffered, http::Access::kDeploy);
}

}  // namespace maas::api
