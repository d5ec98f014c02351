// Health, identity and metrics routes: /api/v1/health (public), /api/v1/version and /metrics.
#pragma once

#include <cstdint>
#include <functional>

#include "http/router.h"
#include "metrics/metrics.h"

namespace maas::api {

// `draining` tells health checks that the server is shutting down.
void add_system_routes(http::Router& router, std::function<bool()> draining, int64_t started_at_ms,
                       metrics::Registry& metrics);

}  // namespace maas::api
