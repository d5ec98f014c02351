// /api/v1/keys (create, list, show, revoke), /api/v1/audit, /api/v1/routes and /api/v1/whoami: the management side
// of authentication. Admin only, except the route table, which any reader may see, and whoami, any key's own.
#pragma once

#include "auth/audit.h"
#include "auth/keys.h"
#include "http/router.h"

namespace maas::api {

// `keys`, `audit` and `router` must outlive the routes.
void add_key_routes(http::Router& router, auth::KeyService& keys, auth::AuditLog& audit, store::GatewayStore& store);

}  // namespace maas::api
