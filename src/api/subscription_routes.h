// The subscriptions API: POST /api/v1/subscriptions, GET /api/v1/subscriptions[/{id}], DELETE
// /api/v1/subscriptions/{id}. docs/ALERTING.md.
#pragma once

#include "alerting/subscriptions.h"
#include "api/blocking.h"
#include "http/router.h"

namespace maas::api {

// Everything passed must outlive the router's use.
void add_subscription_routes(http::Router& router, alerting::Subscriptions& subscriptions, BlockingPool& blocking);

}  // namespace maas::api
