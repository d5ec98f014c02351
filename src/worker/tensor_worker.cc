// maas-worker's loop for a tensor backend (worker/serve.h).
#include "common/element_count.h"
#include "runtime/warm_up.h"
#include "runtime/wire.h"
#include "supervisor/channel.h"
#include "worker/serve.h"

namespace maas::worker {
namespace {
using namespace maas::runtime;

// Runs the backend once on zeros, as Triton's model warm-up does; the outputs are dropped.
Status warm_up(Backend& backend, uint64_t max_tensor_elements) {
  MAAS_ASSIGN_OR_RETURN(std::optional<ExecuteRequest> request,
                        warm_up_request(backend.signature(), max_tensor_elements));
  if (!request) return {};
  return backend.execute(*request).status();
}

// The answer to one message from maasd.
wire::Message answer(Backend& backend, wire::Message& message, uint64_t max_tensor_elements,
                     const features::ServingPipeline* pipeline) {
  wire::Message reply;
  reply.request_id = message.request_id;
  auto fail = [&reply](const Status& status) {
    reply.kind = wire::Kind::kError;
    reply.header = wire::status_to_json(status);
    return std::move(reply);
  };
  if (message.kind == wire::Kind::kWarmUp) {
    Status warmed = warm_up(backend, max_tensor_elements);
    if (!warmed.ok()) return fail(warmed);
    reply.kind = wire::Kind::kResult;
    return reply;
  }
  if (message.kind != wire::Kind::kExecute) return fail(invalid_argument("worker: unexpected message kind"));
  if (auto d = message.header.find("deadline_ns");
      d != message.header.end() && d->is_number_integer() &&
      std::chrono::steady_clock::now() >= wire::deadline_from_ns(d->get<int64_t>())) {
    // Nobody waits for this answer any more: skip the work.
    return fail(deadline_exceeded("worker: the request's deadline passed before it ran"));
  }
  ExecuteRequest request;
  if (pipeline != nullptr) {
    auto features = pipeline->to_model_input(message.tensors, backend.signature().inputs.front());
    if (!features.ok()) return fail(features.status());
    request.inputs.push_back(std::move(*features));
  } else {
    request.inputs = std::move(message.tensors);
  }
  request.outputs = message.header.value("outputs", std::vector<std::string>{});
  request.parameters = message.header.value("parameters", std::map<std::string, std::string>{});
  auto outputs = backend.execute(request);
  if (!outputs.ok()) return fail(outputs.status());
  reply.kind = wire::Kind::kResult;
  reply.tensors = std::move(*outputs);
  return reply;
}

// A model whose declared inputs no request could fill (limits.max_tensor_elements) is refused at load: it was
// uploaded before the registry checked, or under a larger limit.
Status check_servable(const ModelSignature& signature, uint64_t max_tensor_elements) {
  for (const auto& spec : signature.inputs) {
    if (spec.shape_known) MAAS_RETURN_IF_ERROR(check_declared_input(spec.name, spec.shape, max_tensor_elements));
  }
  return {};
}

}  // namespace

int serve_tensor(std::unique_ptr<Backend> backend, const std::filesystem::path& artifact, int threads,
                 uint64_t max_tensor_elements, const features::ServingPipeline* pipeline) {
  BackendConfig config;
  config.threads = threads;
  if (Status s = backend->load(artifact, config); !s.ok()) return report_load_failure(s);
  if (Status s = check_servable(backend->signature(), max_tensor_elements); !s.ok()) return report_load_failure(s);
  ModelSignature signature = backend->signature();
  if (pipeline != nullptr) {
    if (Status s = pipeline->check_model(signature); !s.ok()) return report_load_failure(s);
    signature = pipeline->client_signature(signature);
  }
  wire::Message ready;
  ready.kind = wire::Kind::kReady;
  ready.header = {{"signature", wire::signature_to_json(signature)}};
  if (!wire::write_message(supervisor::kChannelFd, ready).ok()) return 0;
  for (;;) {
    auto message = wire::read_message(supervisor::kChannelFd);
    if (!message.ok()) return 0;  // maasd closed the channel: unload and exit
    if (!wire::write_message(supervisor::kChannelFd, answer(*backend, *message, max_tensor_elements, pipeline)).ok())
      return 0;
  }
}

}  // namespace maas::worker
