// The data center's API (src/data/api): datasets, sources and rule discovery, on the registry's artifact store;
// its job kinds (data.snapshot) go to the job system, which starts later and gives the API its JobService.
#include <memory>

#include "data/api/data_api.h"
#include "features/timeseries/timeseries_kind.h"
#include "logs/log_center.h"
#include "server/components/collect_garbage.h"
#include "server/components/components.h"
#include "server/context.h"

namespace maas::server {
namespace {

class DataComponent final : public Component {
 public:
  std::string_view name() const override { return "data"; }

  Status start(Context& context) override {
    auto& registry = context.services().get<registry::Registry>();
    auto opened = data::api::add_data_routes(context.router(), context.config(),
                                             context.services().get<artifacts::ArtifactStore>(),
                                             [&registry] { collect_garbage(registry); });
    if (!opened.ok()) {
      return Status(opened.status().code(), "cannot open the data center: " + opened.status().message());
    }
    data_ = std::move(*opened);
    data_->attach_logs(&context.services().get<logs::LogCenter>());  // logs sources read the log center
    data_->add_job_kind(features::timeseries::timeseries_job_kind(
        *data_, static_cast<size_t>(context.config().features_timeseries_max_features)));  // docs/FEATURES.md
    context.services().provide(*data_);
    return {};
  }

 private:
  std::unique_ptr<data::api::DataApi> data_;
};

}  // namespace

std::unique_ptr<Component> make_data_component() { return std::make_unique<DataComponent>(); }

}  // namespace maas::server
