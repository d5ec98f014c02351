// Inference: /v2 (the Open Inference Protocol: health, metadata, repository, infer) and /v1 (OpenAI's chat,
// completions and embeddings), on the model manager, through services when a name is one.
#include <memory>

#include "api/inference_routes.h"
#include "api/openai_routes.h"
#include "gateway/gateway.h"
#include "registry/registry.h"
#include "runtime/model_manager.h"
#include "server/components/components.h"
#include "server/components/version_deployer.h"
#include "server/context.h"

namespace maas::server {
namespace {

class InferenceComponent final : public Component {
 public:
  std::string_view name() const override { return "inference"; }

  Status start(Context& context) override {
    auto& services = context.services();
    auto& registry = services.get<registry::Registry>();
    auto& models = services.get<runtime::ModelManager>();
    auto* gateway = services.find<gateway::Gateway>();
    http::Server& server = context.server();
    auto deploy = api::add_inference_routes(
        context.router(), registry, models, context.metrics(), [&server] { return server.draining(); }, gateway,
        context.config().load_on_demand, services.find<api::InferInputHook>(),
        api::SharedMemoryLimits{context.config().shared_memory_max_regions,
                                context.config().shared_memory_max_region_bytes});
    if (auto* deployer = services.find<VersionDeployer>()) deployer->deploy = std::move(deploy);
    api::add_openai_routes(context.router(), registry, models, gateway);
    return {};
  }
};

}  // namespace

std::unique_ptr<Component> make_inference_component() { return std::make_unique<InferenceComponent>(); }

}  // namespace maas::server
