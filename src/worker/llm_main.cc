// maas-llm-worker: serves one GGUF model with the continuous-batching engine. maasd starts it like maas-worker
// (socket on fd 3, READY or LOAD_FAILED first), but the channel is multiplexed: GENERATE/CANCEL/EMBED come in at any
// time, tagged with a stream id, and TOKENS/DONE/... go out as the engine produces them (see llm/generation.h).
// A reader thread feeds the engine; the engine's thread decodes and writes.
#include <sys/prctl.h>

#include <csignal>
#include <mutex>
#include <thread>

#include <CLI/CLI.hpp>

#include "backends/gguf/engine.h"
#include "common/sha256.h"
#include "runtime/wire.h"
#include "runtime/worker_memory.h"

namespace {
using namespace maas;
using namespace maas::backends::gguf;
namespace wire = maas::runtime::wire;
using nlohmann::json;

constexpr int kChannelFd = 3;

class ChannelSink : public EngineSink {
 public:
  void accepted(uint64_t id, int64_t prompt_tokens) override {
    send(llm::MessageKind::kAccepted, id, {{"prompt_tokens", prompt_tokens}});
  }
  void tokens(uint64_t id, const std::string& text, int64_t count) override {
    send(llm::MessageKind::kTokens, id, {{"text", text}, {"tokens", count}});
  }
  void done(uint64_t id, const llm::Completion& completion) override {
    send(llm::MessageKind::kDone, id, llm::to_json(completion));
  }
  void failed(uint64_t id, const Status& status) override {
    send(llm::MessageKind::kStreamError, id, wire::status_to_json(status));
  }
  void embeddings(uint64_t id, const std::vector<std::vector<float>>& vectors, int64_t prompt_tokens) override {
    send(llm::MessageKind::kEmbeddings, id, {{"data", vectors}, {"prompt_tokens", prompt_tokens}});
  }
  void stats(const llm::EngineStats& stats) override { send(llm::MessageKind::kStats, 0, llm::to_json(stats)); }

  void flush() override {
    std::lock_guard lock(mu_);
    if (pending_.empty()) return;
    // A failed write means maasd is gone; the reader thread sees the same and stops the engine.
    (void)wire::write_bytes(kChannelFd, pending_);
    pending_.clear();
  }

  // Queued until the next flush: the engine flushes once per step, so maasd gets one write (and wakes once) per
  // step rather than once per token and stream.
  void send(llm::MessageKind kind, uint64_t id, json header) {
    wire::Message m;
    m.kind = static_cast<wire::Kind>(kind);
    m.request_id = id;
    m.header = std::move(header);
    wire::Frame frame;
    std::string head = wire::encode_head(m, &frame);
    std::lock_guard lock(mu_);
    pending_.append(reinterpret_cast<const char*>(&frame), sizeof(frame));
    pending_ += head;
  }

 private:
  std::mutex mu_;
  std::string pending_;  // whole frames
};

void read_requests(Engine& engine, ChannelSink& sink) {
  for (;;) {
    auto message = wire::read_message(kChannelFd);
    if (!message.ok()) break;  // maasd closed the channel
    auto kind = static_cast<llm::MessageKind>(message->kind);
    uint64_t id = message->request_id;
    if (kind == llm::MessageKind::kGenerate) {
      auto request = llm::generate_request_from_json(message->header);
      if (request.ok()) {
        engine.submit(id, std::move(*request));
      } else {
        sink.failed(id, request.status());
        sink.flush();
      }
    } else if (kind == llm::MessageKind::kCancel) {
      engine.cancel(id);
    } else if (kind == llm::MessageKind::kEmbed) {
      llm::EmbedRequest request;
      request.inputs = message->header.value("inputs", std::vector<std::string>{});
      engine.embed(id, std::move(request));
    } else {
      sink.failed(id, invalid_argument("maas-llm-worker: unexpected message kind " + std::to_string(static_cast<uint32_t>(message->kind))));
      sink.flush();
    }
  }
  engine.close();
}

int fail(const Status& status) {
  wire::Message m;
  m.kind = wire::Kind::kLoadFailed;
  m.header = wire::status_to_json(status);
  (void)wire::write_message(kChannelFd, m);
  return 3;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"maas-llm-worker: serves one GGUF model for maasd (not meant to be started by hand)"};
  std::string framework, artifact, digest;
  uint64_t memory_limit = 0;
  EngineConfig config;
  app.add_option("--framework", framework);
  app.add_option("--artifact", artifact)->required();
  app.add_option("--digest", digest, "expected SHA-256; the artifact is re-verified before loading");
  app.add_option("--threads", config.threads)->check(CLI::Range(1, 256));
  app.add_option("--memory-limit-bytes", memory_limit, "data limit, RLIMIT_DATA (0: none)");
  app.add_option("--max-sequences", config.max_sequences)->check(CLI::Range(1, 256));
  app.add_option("--context", config.context_per_sequence, "KV cells per sequence (0: the model's, at most 4096)")
      ->check(CLI::Range(0, 1 << 20));
  app.add_option("--batch-tokens", config.batch_tokens)->check(CLI::Range(16, 1 << 16));
  app.add_option("--max-waiting", config.max_waiting)->check(CLI::Range(0, 1 << 20));
  app.add_flag("--deterministic", config.deterministic, "batch-invariant decoding");
  CLI11_PARSE(app, argc, argv);

  prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive maasd
  std::signal(SIGPIPE, SIG_IGN);
  if (Status limited = runtime::limit_own_memory(memory_limit); !limited.ok()) return fail(limited);
  if (!digest.empty()) {
    auto actual = sha256_file(artifact);
    if (!actual.ok()) return fail(actual.status());
    if (*actual != digest) return fail(internal_error("artifact " + artifact + " does not match its digest sha256:" + digest));
  }
  ChannelSink sink;
  auto engine = Engine::load(artifact, config, sink);
  if (!engine.ok()) return fail(engine.status());
  sink.send(static_cast<llm::MessageKind>(wire::Kind::kReady), 0,
            {{"signature", wire::signature_to_json({})}, {"model", llm::to_json((*engine)->info())}});
  sink.flush();
  std::thread reader(read_requests, std::ref(**engine), std::ref(sink));
  (*engine)->run();
  reader.join();
  return 0;
}
