#include "api/system_routes.h"

#include "common/clock.h"
#include "common/version.h"

namespace maas::api {

void add_system_routes(http::Router& router, std::function<bool()> draining, int64_t started_at_ms,
                       metrics::Registry& metrics) {
  router.add(
      "GET", "/api/v1/health",
      [draining](http::Request&) -> boost::asio::awaitable<http::Response> {
        if (draining()) co_return http::Response::json(503, {{"status", "draining"}});
        co_return http::Response::json(200, {{"status", "ok"}});
      },
      http::BodyMode::kBuffered, http::Access::kPublic);

  router.add("GET", "/api/v1/version", [started_at_ms](http::Request&) -> boost::asio::awaitable<http::Response> {
    co_return http::Response::json(200, {{"name", "maas"},
                                         {"version", kVersion},
                                         {"git_commit", kGitCommit},
                                         {"build_type", kBuildType},
                                         {"started_at", format_rfc3339_ms(started_at_ms)},
                                         {"uptime_seconds", (now_unix_ms() - started_at_ms) / 1000}});
  });

  // Prometheus's text format; viewers may read it (it names models and services, never keys).
  router.add("GET", "/metrics", [&metrics](http::Request&) -> boost::asio::awaitable<http::Response> {
    http::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics.render();
    co_return r;
  });
}

}  // namespace maas::api
