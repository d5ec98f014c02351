// The alerting API: active alerts, the rules (the files' read-only, groups created through the API), and silences
// (Alertmanager's silence shape). docs/ALERTING.md.
#pragma once

#include "alerting/engine.h"
#include "alerting/managed_rules.h"
#include "api/blocking.h"
#include "http/router.h"

namespace maas::api {

// Everything passed must outlive the router's use.
void add_alert_routes(http::Router& router, alerting::Engine& engine, alerting::ManagedRules& managed,
                      BlockingPool& blocking);

}  // namespace maas::api
