// The Open Inference Protocol (KServe v2) over HTTP: health, server and model metadata, readiness, infer (JSON and
// Triton's binary tensor extension; services through the gateway's rules), the model repository extension (index,
// load, unload) and statistics. Each group is a file of its own (api/v2_routes.h); this puts them together.
#pragma once

#include "api/blocking.h"
#include "api/infer_input_hook.h"
#include "api/shared_memory_regions.h"
#include "gateway/gateway.h"
#include "http/router.h"
#include "metrics/metrics.h"
#include "registry/registry.h"
#include "runtime/model_manager.h"

namespace maas::api {

// Everything passed must outlive the router.
// Loads a service's target (keeping the model's other versions loaded).
using DeployFunction = std::function<boost::asio::awaitable<Status>(const gateway::Target&)>;

// Returns the function that loads versions for services. With `gateway`, a name in /v2/models/{name} that is a
// service is served through it. With `load_on_demand`, an inference request to a registered version that is not
// loaded loads it (ModelManager::load_on_demand) instead of getting a 404. `input_hook` (may be null) rewrites each
// infer request's inputs before the signature check (infer_input_hook.h). `shared_memory` bounds the regions of
// Triton's system shared memory extension (shared_memory_regions.h).
DeployFunction add_inference_routes(http::Router& router, registry::Registry& registry, runtime::ModelManager& models,
                                    metrics::Registry& metrics, std::function<bool()> draining,
                                    gateway::Gateway* gateway, bool load_on_demand = false,
                                    InferInputHook* input_hook = nullptr, SharedMemoryLimits shared_memory = {});

}  // namespace maas::api
