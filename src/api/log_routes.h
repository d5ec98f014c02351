// The log center's HTTP API: Loki's push and query endpoints (so log shippers and Grafana can use maasd as
// Loki), a live tail over Server-Sent Events, and the store's statistics and retention. See docs/LOGS.md.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "api/blocking.h"
#include "http/router.h"
#include "logs/log_center.h"

namespace maas::api {

// Resolves a version reference (a number or an alias) of a model to its number.
using VersionResolver = std::function<Result<int64_t>(const std::string& model, const std::string& ref)>;

struct LogRouteOptions {
  uint64_t max_push_bytes = 64ull << 20;        // a push body after gunzip
  int64_t creation_grace_ns = 600'000'000'000;  // logs.creation_grace_period_ms
  bool accept_maasd_pushes = false;             // logs.accept_maasd_pushes (logs/loki_push.h: PushRules)
};

// `center` and `blocking` must outlive the router's use.
void add_log_routes(http::Router& router, logs::LogCenter& center, BlockingPool& blocking, LogRouteOptions options,
                    VersionResolver resolve_version);

}  // namespace maas::api
