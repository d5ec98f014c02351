// The log center's HTTP API: Loki's push and query endpoints (so log shippers and Grafana can use maasd as
// Loki), a live tail over Server-Sent Events, and the store's statistics and retention. See docs/LOGS.md.
#pragma once

#include <functional>
#include <string>

#include "api/blocking.h"
#include "http/router.h"
#include "logs/log_center.h"

namespace maas::api {

// Resolves a version reference (a number or an alias) of a model to its number.
using VersionResolver = std::function<Result<int64_t>(const std::string& model, const std::string& ref)>;

// `center` and `blocking` must outlive the router's use. `max_push_bytes` bounds a push body after gunzip.
void add_log_routes(http::Router& router, logs::LogCenter& center, BlockingPool& blocking, uint64_t max_push_bytes,
                    VersionResolver resolve_version);

}  // namespace maas::api
