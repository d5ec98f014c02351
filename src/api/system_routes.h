// Health and identity routes: /api/v1/health (public) and /api/v1/version.
#pragma once

#include <cstdint>
#include <functional>

#include "http/router.h"

namespace maas::api {

// `draining` tells health checks that the server is shutting down.
void add_system_routes(http::Router& router, std::function<bool()> draining, int64_t started_at_ms);

}  // namespace maas::api
