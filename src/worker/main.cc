// maas-worker: runs one model version in a process of its own. maasd starts it with a connected Unix socket on
// file descriptor 3; the worker loads the artifact with its backend, says READY (or LOAD_FAILED), then executes
// batches one at a time until the socket closes. A crash, hang or out-of-memory here takes down only this process.
#include <sys/prctl.h>
#include <sys/resource.h>

#include <csignal>
#include <iostream>

#include <CLI/CLI.hpp>

#include "common/sha256.h"
#include "runtime/backend.h"
#include "runtime/wire.h"

namespace {
using namespace maas;
using namespace maas::runtime;

constexpr int kChannelFd = 3;

int serve(Backend& backend) {
  for (;;) {
    auto message = wire::read_message(kChannelFd);
    if (!message.ok()) return 0;  // maasd closed the channel: unload and exit
    wire::Message reply;
    reply.request_id = message->request_id;
    if (message->kind != wire::Kind::kExecute) {
      reply.kind = wire::Kind::kError;
      reply.header = wire::status_to_json(invalid_argument("worker: unexpected message kind"));
    } else if (auto d = message->header.find("deadline_ns");
               d != message->header.end() && d->is_number_integer() &&
               std::chrono::steady_clock::now() >= wire::deadline_from_ns(d->get<int64_t>())) {
      // Nobody waits for this answer any more: skip the work.
      reply.kind = wire::Kind::kError;
      reply.header = wire::status_to_json(deadline_exceeded("worker: the request's deadline passed before it ran"));
    } else {
      ExecuteRequest request;
      request.inputs = std::move(message->tensors);
      request.outputs = message->header.value("outputs", std::vector<std::string>{});
      request.parameters = message->header.value("parameters", std::map<std::string, std::string>{});
      auto outputs = backend.execute(request);
      if (outputs.ok()) {
        reply.kind = wire::Kind::kResult;
        reply.tensors = std::move(*outputs);
      } else {
        reply.kind = wire::Kind::kError;
        reply.header = wire::status_to_json(outputs.status());
      }
    }
    if (!wire::write_message(kChannelFd, reply).ok()) return 0;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"maas-worker: runs one model version for maasd (not meant to be started by hand)"};
  std::string framework, artifact, digest;
  int threads = 1;
  uint64_t memory_limit = 0;
  app.add_option("--framework", framework)->required();
  app.add_option("--artifact", artifact)->required();
  app.add_option("--digest", digest, "expected SHA-256; the artifact is re-verified before loading");
  app.add_option("--threads", threads)->check(CLI::Range(1, 256));
  app.add_option("--memory-limit-bytes", memory_limit, "address-space limit (0: none)");
  CLI11_PARSE(app, argc, argv);

  // Die with maasd: a worker must never outlive its supervisor.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  std::signal(SIGPIPE, SIG_IGN);
  if (memory_limit > 0) {
    rlimit limit{memory_limit, memory_limit};
    setrlimit(RLIMIT_AS, &limit);
  }
  auto fail = [](const Status& status) {
    wire::Message m;
    m.kind = wire::Kind::kLoadFailed;
    m.header = wire::status_to_json(status);
    (void)wire::write_message(kChannelFd, m);
    return 3;
  };
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
  wire::Message ready;
  ready.kind = wire::Kind::kReady;
  ready.header = {{"signature", wire::signature_to_json((*backend)->signature())}};
  if (!wire::write_message(kChannelFd, ready).ok()) return 0;
  return serve(**backend);
}
