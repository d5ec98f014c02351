// The online feature store (src/features/online): /api/v1/feature-views, the per-entity windowed features in
// memory, their memory and entity gauges, and a periodic sweep that drops entities idle past
// features.online_ttl_ms.
#include <algorithm>
#include <chrono>
#include <memory>

#include "features/online/online_api.h"
#include "registry/registry.h"
#include "server/components/components.h"
#include "server/context.h"

namespace maas::server {
namespace {

class OnlineFeaturesComponent final : public Component {
 public:
  std::string_view name() const override { return "online_features"; }

  Status start(Context& context) override {
    auto& registry = context.services().get<registry::Registry>();
    auto opened = features::online::OnlineFeatures::open(
        context.config(), [&registry](const std::string& model, const std::string& ref) -> Result<int64_t> {
          MAAS_ASSIGN_OR_RETURN(auto view, registry.get_version(model, ref));  // NOT_FOUND for a missing version
          return view.version.version;
        });
    if (!opened.ok()) {
      return Status(opened.status().code(), "cannot open the online feature store: " + opened.status().message());
    }
    online_ = std::move(*opened);
    online_->add_routes(context.router());
    context.services().provide(*online_);
    context.services().provide<api::InferInputHook>(online_->inference());
    auto& memory = context.metrics().gauge("maas_online_features_memory_bytes",
                                           "Bytes the online feature store holds for its entities (an estimate)", {});
    auto& entities = context.metrics().gauge("maas_online_features_entities",
                                             "Entities the online feature store holds, all views together", {});
    context.metrics().add_collector([this, &memory, &entities] {
      memory.with({}).set(static_cast<double>(online_->store().memory_bytes()));
      entities.with({}).set(static_cast<double>(online_->store().entities()));
    });
    const int64_t ttl_ms = context.config().features_online_ttl_ms;
    if (ttl_ms > 0) {
      // Sweep a few times per TTL, at most once a second and at least once a minute.
      const auto interval = std::chrono::milliseconds(std::clamp<int64_t>(ttl_ms / 4, 1000, 60'000));
      context.every(interval, [this] { online_->store().expire(); });
    }
    return {};
  }

 private:
  std::unique_ptr<features::online::OnlineFeatures> online_;
};

}  // namespace

std::unique_ptr<Component> make_online_features_component() { return std::make_unique<OnlineFeaturesComponent>(); }

}  // namespace maas::server
