// The alerting API: active alerts, the loaded rules, and silences (Alertmanager's silence shape). docs/ALERTING.md.
#pragma once

#include "alerting/engine.h"
#include "http/router.h"

namespace maas::api {

// `engine` must outlive the router's use.
void add_alert_routes(http::Router& router, alerting::Engine& engine);

}  // namespace maas::api
