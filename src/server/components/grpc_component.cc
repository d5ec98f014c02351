// The gRPC Open Inference Protocol listener (src/grpc/, docs/GRPC.md), started when grpc.port is set: its calls
// are answered by the /v2 routes the inference component added, with auth's authorization and the request hooks
// (metrics, the request log) of every HTTP request.
#include <memory>

#include "grpc/inference_service.h"
#include "server/components/components.h"
#include "server/context.h"

namespace maas::server {
namespace {

class GrpcComponent final : public Component {
 public:
  std::string_view name() const override { return "grpc"; }

  Status start(Context& context) override {
    const auto& config = context.config();
    if (config.grpc_port == 0) return {};
    grpc_api::ListenerOptions options;
    options.host = config.listen_host;
    options.port = static_cast<uint16_t>(config.grpc_port);
    options.max_message_bytes = config.grpc_max_message_bytes;
    options.tls_cert_file = config.tls_cert_file;
    options.tls_key_file = config.tls_key_file;
    service_ = std::make_unique<grpc_api::InferenceService>(context.server(), context.io(), context.metrics());
    return service_->start(options);
  }

  // The event loops have stopped: calls still waiting on them are answered UNAVAILABLE, then the listener closes.
  void stop() override {
    if (service_) service_->stop();
  }

 private:
  std::unique_ptr<grpc_api::InferenceService> service_;
};

}  // namespace

std::unique_ptr<Component> make_grpc_component() { return std::make_unique<GrpcComponent>(); }

}  // namespace maas::server
