#include "api/inference_routes.h"

#include "api/model_loading.h"
#include "api/v2_routes.h"

namespace maas::api {
using nlohmann::json;

DeployFunction add_inference_routes(http::Router& router, registry::Registry& registry, runtime::ModelManager& models,
                                    metrics::Registry& metrics, std::function<bool()> draining,
                                    gateway::Gateway* gateway, bool load_on_demand, InferInputHook* input_hook,
                                    SharedMemoryLimits shared_memory) {
  auto c = std::make_shared<V2Context>(V2Context{registry, models, InferenceMetrics(metrics), std::move(draining),
                                                 gateway, load_on_demand, input_hook,
                                                 std::make_unique<SharedMemoryRegions>(shared_memory)});
  // Errors raised before a handler runs (limits, authentication, no route) take the protocol's shape,
  // {"error": "message"}.
  router.set_error_format("/v2", [](const Status& status) {
    return http::Response::json(http_status_for(status.code()), {{"error", status.message()}});
  });
  add_model_status_routes(router, c);
  add_infer_routes(router, c);
  add_repository_routes(router, c);
  add_shared_memory_routes(router, c);
  return [c](const gateway::Target& target) -> boost::asio::awaitable<Status> {
    // Named, not temporaries inside the co_await: GCC 12 destroyed the ternary's json twice there.
    json config = target.config.empty() ? json() : target.config;
    std::string version = std::to_string(target.version);
    auto loaded = co_await deploy_version(*c, target.model, version, config, /*keep_others=*/true);
    co_return loaded.ok() ? Status{} : loaded.status();
  };
}

}  // namespace maas::api
