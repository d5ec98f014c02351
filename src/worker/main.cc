// maas-worker: runs one model version in a process of its own, with the one backend plugin its framework needs
// (backends/plugin.h; maasd passes the path from its backend registry). maasd starts it with a connected Unix
// socket on file descriptor 3; the worker loads the plugin, caps its own data, re-verifies the artifact, then the
// plugin's kind picks the loop: a tensor backend answers one message at a time (tensor_worker.cc), a generative
// one streams (generative_worker.cc). A crash, hang or out-of-memory here takes down only this process.
#include <sys/prctl.h>

#include <csignal>

#include <CLI/CLI.hpp>

#include "backends/plugin_loader.h"
#include "common/element_count.h"
#include "common/sha256.h"
#include "runtime/wire.h"
#include "runtime/worker_memory.h"
#include "supervisor/channel.h"
#include "worker/serve.h"

namespace maas::worker {

int report_load_failure(const Status& status) {
  runtime::wire::Message m;
  m.kind = runtime::wire::Kind::kLoadFailed;
  m.header = runtime::wire::status_to_json(status);
  (void)runtime::wire::write_message(supervisor::kChannelFd, m);
  return 3;
}

}  // namespace maas::worker

int main(int argc, char** argv) {
  using namespace maas;
  CLI::App app{"maas-worker: runs one model version for maasd (not meant to be started by hand)"};
  std::string backend, framework, artifact, digest;
  int threads = 1;
  uint64_t memory_limit = 0;
  uint64_t max_tensor_elements = kDefaultMaxTensorElements;
  llm::GenerativeConfig generative;
  std::string pipeline_spec, pipeline_state, pipeline_digest;
  app.add_option("--backend", backend, "the backend plugin, libmaas_backend_<framework>.so")->required();
  app.add_option("--framework", framework, "the framework the plugin must serve")->required();
  app.add_option("--artifact", artifact)->required();
  app.add_option("--digest", digest, "expected SHA-256; the artifact is re-verified before loading");
  app.add_option("--threads", threads)->check(CLI::Range(1, 256));
  app.add_option("--memory-limit-bytes", memory_limit, "data limit, RLIMIT_DATA (0: none)");
  app.add_option("--max-tensor-elements", max_tensor_elements, "limits.max_tensor_elements (tensor backends)")
      ->check(CLI::Range(uint64_t{1}, kMaxTensorElementsCeiling));
  // The feature pipeline a tensor model is served with (features/serving/): its spec and its fitted state's blob.
  app.add_option("--pipeline-spec", pipeline_spec, "the pipeline's spec (JSON)");
  app.add_option("--pipeline-state", pipeline_state, "the pipeline's fitted state (JSON file)");
  app.add_option("--pipeline-digest", pipeline_digest, "the fitted state's SHA-256");
  // A generative backend's engine (llm_config.h).
  app.add_option("--max-sequences", generative.max_sequences)->check(CLI::Range(1, 256));
  app.add_option("--context", generative.context_per_sequence, "KV cells per sequence (0: the model's, at most 4096)")
      ->check(CLI::Range(0, 1 << 20));
  app.add_option("--batch-tokens", generative.batch_tokens)->check(CLI::Range(16, 1 << 16));
  app.add_option("--max-waiting", generative.max_waiting)->check(CLI::Range(0, 1 << 20));
  app.add_option("--prefill-tokens", generative.prefill_tokens, "prompt tokens per step (0: --batch-tokens)")
      ->check(CLI::Range(0, 1 << 16));
  app.add_option("--kv-cells", generative.kv_cells, "one KV cache shared by all sequences (0: one per sequence)")
      ->check(CLI::Range(0, 1 << 24));
  app.add_option("--max-preemptions", generative.max_preemptions)->check(CLI::Range(0, 1000));
  app.add_flag("--deterministic", generative.deterministic, "batch-invariant decoding");
  bool no_prefix_cache = false;
  app.add_flag("--no-prefix-cache", no_prefix_cache, "no reuse of earlier prompts' KV cells");
  CLI11_PARSE(app, argc, argv);
  generative.prefix_cache = !no_prefix_cache;

  // Die with maasd: a worker must never outlive its supervisor.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  std::signal(SIGPIPE, SIG_IGN);
  // The plugin first: its libraries' data is then part of what the worker holds at start, which the memory limit
  // comes on top of (runtime/worker_memory.h), whichever framework it is.
  auto plugin = backends::load_backend_plugin(backend, framework);
  if (!plugin.ok()) return worker::report_load_failure(plugin.status());
  if (Status limited = runtime::limit_own_memory(memory_limit); !limited.ok()) return worker::report_load_failure(limited);
  if (!digest.empty()) {
    auto actual = sha256_file(artifact);
    if (!actual.ok()) return worker::report_load_failure(actual.status());
    if (*actual != digest) {
      return worker::report_load_failure(
          internal_error("artifact " + artifact + " does not match its digest sha256:" + digest));
    }
  }
  if ((*plugin)->create_tensor) {
    std::optional<features::ServingPipeline> pipeline;
    if (!pipeline_state.empty()) {
      auto loaded = features::ServingPipeline::load_files(pipeline_spec, pipeline_state, pipeline_digest);
      if (!loaded.ok()) return worker::report_load_failure(loaded.status());
      pipeline.emplace(std::move(*loaded));
    }
    return worker::serve_tensor((*plugin)->create_tensor(), artifact, threads, max_tensor_elements,
                                pipeline ? &*pipeline : nullptr);
  }
  if (!pipeline_state.empty()) {
    return worker::report_load_failure(invalid_argument("a generative model cannot be served with a pipeline"));
  }
  generative.threads = threads;
  return worker::serve_generative((*plugin)->create_generative(), artifact, generative);
}
