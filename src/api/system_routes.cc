#include "api/system_routes.h"

#include "common/clock.h"
#include "common/version.h"

namespace maas::api {

void add_system_routes(http::Router& router, std::function<bool()> draining, int64_t started_at_ms) {
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
}

}  // namespace maas::api
