// How the gateway loads a service's versions: through the same path as the repository's load endpoint. The
// gateway component provides it empty; the inference component, which owns that path, fills it in before the
// server listens.
// Threading: set once during start-up; called on the main event loop afterwards.
#pragma once

#include "api/inference_routes.h"

namespace maas::server {

struct VersionDeployer {
  api::DeployFunction deploy;
};

}  // namespace maas::server
