// /api/v1/services: create, list, show, change and delete services, and their event timeline.
#pragma once

#include "gateway/gateway.h"
#include "http/router.h"

namespace maas::api {

// `gateway` must outlive the routes.
void add_service_routes(http::Router& router, gateway::Gateway& gateway);

}  // namespace maas::api
