// The Open Inference Protocol's route groups, each in its own file; api/inference_routes.cc puts them together.
// Internal to src/api.
#pragma once

#include <memory>

#include "api/v2_context.h"
#include "http/router.h"

namespace maas::api {

// /v2/models/{model}[/versions/{version}]/infer: a loaded version, or a service by its name.
void add_infer_routes(http::Router& router, std::shared_ptr<V2Context> c);
// Health, server metadata, model metadata, readiness and statistics.
void add_model_status_routes(http::Router& router, std::shared_ptr<V2Context> c);
// The model repository extension: index, load, unload.
void add_repository_routes(http::Router& router, std::shared_ptr<V2Context> c);
// Triton's system shared memory extension: register, status, unregister (shared_memory_routes.cc).
void add_shared_memory_routes(http::Router& router, const std::shared_ptr<V2Context>& c);

}  // namespace maas::api
