// The /api/v1 routes of the model registry: models, versions (with streamed uploads), aliases, store admin.
#pragma once

#include "api/blocking.h"
#include "http/router.h"
#include "registry/registry.h"

namespace maas::api {

// `registry` and `blocking` must outlive the router.
void add_registry_routes(http::Router& router, registry::Registry& registry, BlockingPool& blocking);

}  // namespace maas::api
