// Services: routing rules, limits, canaries and shadows, autoscaling (src/gateway), /api/v1/services, and the
// count of requests refused before a handler ran.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <memory>

#include "api/service_routes.h"
#include "gateway/gateway.h"
#include "registry/registry.h"
#include "runtime/model_manager.h"
#include "runtime/model_runner.h"
#include "server/components/components.h"
#include "server/components/version_deployer.h"
#include "server/context.h"
#include "store/gateway_store.h"

namespace maas::server {
namespace {

gateway::GatewayHooks make_hooks(registry::Registry& registry, runtime::ModelManager& models,
                                 VersionDeployer& deployer) {
  gateway::GatewayHooks hooks;
  hooks.resolve = [&registry](const std::string& m, const std::string& ref) { return registry.resolve(m, ref); };
  hooks.deploy = [&deployer](const gateway::Target& t) { return deployer.deploy(t); };
  hooks.is_loaded = [&models](const std::string& m, int64_t v) { return models.is_loaded(m, v); };
  hooks.model_exists = [&registry](const std::string& m) { return registry.get_model(m).ok(); };
  hooks.undeploy = [&models](const std::string& m, int64_t v) { return models.unload(m, v); };
  hooks.sample_load =
      [&models](const gateway::Target& t) -> boost::asio::awaitable<std::optional<gateway::ReplicaLoad>> {
    auto served = models.find(t.model, t.version);
    auto runner = served ? served->as_tensor() : nullptr;
    if (!runner) co_return std::nullopt;
    runtime::LoadSample s = co_await runner->sample_load();
    co_return gateway::ReplicaLoad{s.at, s.desired_replicas, s.ready_replicas, s.concurrency_area, s.queue_area};
  };
  hooks.scale = [&models](const gateway::Target& t, int replicas) {
    if (auto served = models.find(t.model, t.version)) {
      if (auto runner = served->as_tensor()) runner->scale_to(replicas);
    }
  };
  return hooks;
}

class GatewayComponent final : public Component {
 public:
  std::string_view name() const override { return "gateway"; }

  Status start(Context& context) override {
    auto& services = context.services();
    auto hooks = make_hooks(services.get<registry::Registry>(), services.get<runtime::ModelManager>(), deployer_);
    gateway_ = std::make_unique<gateway::Gateway>(services.get<store::GatewayStore>(), std::move(hooks),
                                                  context.metrics(), context.io());
    if (auto s = gateway_->restore(); !s.ok()) return Status(s.code(), "cannot read the services: " + s.message());
    context.on_request_observed(
        [gateway = gateway_.get()](const http::Request& req, int status, std::chrono::microseconds) {
          // Refused before any handler ran: no key, a bad one, or a role without the route's access.
          if (!req.principal && (status == 401 || status == 403)) {
            gateway->count_rejection("", status == 401 ? "unauthenticated" : "forbidden");
          }
        });
    api::add_service_routes(context.router(), *gateway_);
    services.provide(*gateway_);
    services.provide(deployer_);
    return {};
  }

  void serving(Context& context) override {
    gateway_->start();
    auto redeploy = gateway_->redeploy();
    boost::asio::co_spawn(context.io(), std::move(redeploy), boost::asio::detached);
  }

  void stop() override {
    if (gateway_) gateway_->stop();
  }

 private:
  VersionDeployer deployer_;
  std::unique_ptr<gateway::Gateway> gateway_;
};

}  // namespace

std::unique_ptr<Component> make_gateway_component() { return std::make_unique<GatewayComponent>(); }

}  // namespace maas::server
