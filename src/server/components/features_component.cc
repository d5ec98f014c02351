// Feature pipelines (src/features/api): /api/v1/pipelines over the data center's datasets and artifact store; its
// job kinds (features.fit, features.transform) go to the job system, which starts later and gives the API its
// JobService.
#include <memory>

#include "data/api/data_api.h"
#include "features/api/features_api.h"
#include "registry/registry.h"
#include "server/components/components.h"
#include "server/context.h"

namespace maas::server {
namespace {

class FeaturesComponent final : public Component {
 public:
  std::string_view name() const override { return "features"; }

  Status start(Context& context) override {
    auto& data = context.services().get<data::api::DataApi>();
    auto opened = features::FeaturesApi::open(context.config(), data, context.services().get<registry::Registry>());
    if (!opened.ok()) {
      return Status(opened.status().code(), "cannot open the feature pipelines: " + opened.status().message());
    }
    features_ = std::move(*opened);
    features_->add_routes(context.router());
    context.services().provide(*features_);
    return {};
  }

 private:
  std::unique_ptr<features::FeaturesApi> features_;
};

}  // namespace

std::unique_ptr<Component> make_features_component() { return std::make_unique<FeaturesComponent>(); }

}  // namespace maas::server
