// maas-worker: runs one model version in a process of its own. maasd starts it with a connected Unix socket on
// file descriptor 3; the worker loads the artifact with its backend, says READY (or LOAD_FAILED), then answers
// one message at a time — a WARM_UP once (it builds its own zero-filled input), then batches — until the socket
// closes. A crash, hang or out-of-memory here takes down only this process.
#include <sys/prctl.h>

#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>

#include "common/element_count.h"
#include "common/sha256.h"
#include "runtime/backend.h"
#include "runtime/warm_up.h"
#include "runtime/wire.h"
#include "runtime/worker_memory.h"

namespace {
using namespace maas;
using namespace maas::runtime;

constexpr int kChannelFd = 3;

// Runs the backend once on zeros, as Triton's model warm-up does; the outputs are dropped.
Status warm_up(Backend& backend, uint64_t max_tensor_elements) {
  MAAS_ASSIGN_OR_RETURN(std::optional<ExecuteRequest> request,
                        warm_up_request(backend.signature(), max_tensor_elements));
  if (!request) return {};
  return backend.execute(*request).status();
}

// The answer to one message from maasd.
wire::Message answer(Backend& backend, wire::Message& message, uint64_t max_tensor_elements) {
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
  request.inputs = std::move(message.tensors);
  request.outputs = message.header.value("outputs", std::vector<std::string>{});
  request.parameters = message.header.value("parameters", std::map<std::string, std::string>{});
  auto outputs = backend.execute(request);
  if (!outputs.ok()) return fail(outputs.status());
  reply.kind = wire::Kind::kResult;
  reply.tensors = std::move(*outputs);
  return reply;
}

int serve(Backend& backend, uint64_t max_tensor_elements) {
  for (;;) {
    auto message = wire::read_message(kChannelFd);
    if (!message.ok()) return 0;  // maasd closed the channel: unload and exit
    if (!wire::write_message(kChannelFd, answer(backend, *message, max_tensor_elements)).ok()) return 0;
  }
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

int main(int argc, char** argv) {
  CLI::App app{"maas-worker: runs one model version for maasd (not meant to be started by hand)"};
  std::string framework, artifact, digest;
  int threads = 1;
  uint64_t memory_limit = 0;
  uint64_t max_tensor_elements = kDefaultMaxTensorElements;
  app.add_option("--framework", framework)->required();
  app.add_option("--artifact", artifact)->required();
  app.add_option("--digest", digest, "expected SHA-256; the artifact is re-verified before loading");
  app.add_option("--threads", threads)->check(CLI::Range(1, 256));
  app.add_option("--memory-limit-bytes", memory_limit, "data limit, RLIMIT_DATA (0: none)");
  app.add_option("--max-tensor-elements", max_tensor_elements, "limits.max_tensor_elements")
      ->check(CLI::Range(uint64_t{1}, kMaxTensorElementsCeiling));
  CLI11_PARSE(app, argc, argv);

  // Die with maasd: a worker must never outlive its supervisor.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  std::signal(SIGPIPE, SIG_IGN);
  auto fail = [](const Status& status) {
    wire::Message m;
    m.kind = wire::Kind::kLoadFailed;
    m.header = wire::status_to_json(status);
    (void)wire::write_message(kChannelFd, m);
    return 3;
  };
  if (Status limited = limit_own_memory(memory_limit); !limited.ok()) return fail(limited);
  if (!digest.empty()) {
    auto actual = sha256_file(artifact);
    if (!actual.ok()) return fail(actual.status());
    if (*actual != digest) return fail(internal_error("artifact " + artifact + " does not match its digest sha256:" + digest));
  }
  auto backend = create_backend(framework);
  if (!backend.ok()) return fail(backend.status());
  BackendConfig config;
  config.threads = threads;
  if (auto s = (*backend)->load(artifact, config); !s.ok()) return fail(s);
  if (Status s = check_servable((*backend)->signature(), max_tensor_elements); !s.ok()) return fail(s);
  wire::Message ready;
  ready.kind = wire::Kind::kReady;
  ready.header = {{"signature", wire::signature_to_json((*backend)->signature())}};
  if (!wire::write_message(kChannelFd, ready).ok()) return 0;
  return serve(**backend, max_tensor_elements);
}
