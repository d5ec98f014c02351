// The server's own routes and series: health (503 while draining), version, the route list, /metrics; HTTP,
// process and connection metrics.
#include <memory>

#include "api/http_metrics.h"
#include "api/system_routes.h"
#include "server/components/components.h"
#include "server/context.h"

namespace maas::server {
namespace {

class SystemComponent final : public Component {
 public:
  std::string_view name() const override { return "system"; }

  Status start(Context& context) override {
    http::Server& server = context.server();
    api::add_system_routes(
        context.router(), [&server] { return server.draining(); }, context.started_at_ms(), context.metrics());
    http_metrics_ = std::make_unique<api::HttpMetrics>(context.metrics());
    context.on_request_done(
        [metrics = http_metrics_.get()](const http::CompletedRequest& done) { metrics->record(done); });
    api::add_process_metrics(context.metrics(), context.started_at_ms());
    api::add_server_metrics(context.metrics(), server);
    return {};
  }

 private:
  std::unique_ptr<api::HttpMetrics> http_metrics_;
};

}  // namespace

std::unique_ptr<Component> make_system_component() { return std::make_unique<SystemComponent>(); }

}  // namespace maas::server
