// maas-worker's loop for a generative backend (worker/serve.h): the channel is multiplexed — GENERATE / CANCEL /
// EMBED come in at any time, tagged with a stream id, and TOKENS / DONE / ... go out as the backend produces them
// (llm/generation.h). A reader thread feeds the backend; the backend's thread decodes and writes.
#include <mutex>
#include <thread>

#include "runtime/wire.h"
#include "supervisor/channel.h"
#include "worker/serve.h"

namespace maas::worker {
namespace {
namespace wire = maas::runtime::wire;
using nlohmann::json;
using supervisor::kChannelFd;

class ChannelSink : public llm::GenerationSink {
 public:
  void accepted(uint64_t id, int64_t prompt_tokens) override {
    send(llm::MessageKind::kAccepted, id, {{"prompt_tokens", prompt_tokens}});
  }
  void tokens(uint64_t id, const std::string& text, int64_t count, const std::vector<llm::TokenLogprob>& logprobs,
              const std::vector<llm::ToolCallDelta>& tool_calls) override {
    json body = {{"text", text}, {"tokens", count}};
    if (!logprobs.empty()) body["logprobs"] = llm::to_json(logprobs);
    if (!tool_calls.empty()) body["tool_calls"] = llm::to_json(tool_calls);
    send(llm::MessageKind::kTokens, id, std::move(body));
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
    // A failed write means maasd is gone; the reader thread sees the same and stops the backend.
    (void)wire::write_bytes(kChannelFd, pending_);
    pending_.clear();
  }

  // Queued until the next flush: the backend flushes once per step, so maasd gets one write (and wakes once) per
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

void read_requests(llm::GenerativeBackend& backend, ChannelSink& sink) {
  for (;;) {
    auto message = wire::read_message(kChannelFd);
    if (!message.ok()) break;  // maasd closed the channel
    auto kind = static_cast<llm::MessageKind>(message->kind);
    uint64_t id = message->request_id;
    if (kind == llm::MessageKind::kGenerate) {
      auto request = llm::generate_request_from_json(message->header);
      if (request.ok()) {
        backend.submit(id, std::move(*request));
      } else {
        sink.failed(id, request.status());
        sink.flush();
      }
    } else if (kind == llm::MessageKind::kCancel) {
      backend.cancel(id);
    } else if (kind == llm::MessageKind::kEmbed) {
      llm::EmbedRequest request;
      try {
        request.inputs = message->header.value("inputs", std::vector<std::string>{});
        request.token_inputs = message->header.value("token_inputs", std::vector<std::vector<int32_t>>{});
      } catch (const json::exception& e) {
        sink.failed(id, invalid_argument(std::string("malformed embed request: ") + e.what()));
        sink.flush();
        continue;
      }
      backend.embed(id, std::move(request));
    } else {
      sink.failed(id, invalid_argument("maas-worker: unexpected message kind " +
                                       std::to_string(static_cast<uint32_t>(message->kind))));
      sink.flush();
    }
  }
  backend.close();
}

}  // namespace

int serve_generative(std::unique_ptr<llm::GenerativeBackend> backend, const std::filesystem::path& artifact,
                     const llm::GenerativeConfig& config) {
  ChannelSink sink;
  auto owned = std::move(backend);  // goes before the sink it reports to
  if (Status loaded = owned->load(artifact, config, sink); !loaded.ok()) return report_load_failure(loaded);
  sink.send(static_cast<llm::MessageKind>(wire::Kind::kReady), 0,
            {{"signature", wire::signature_to_json({})}, {"model", llm::to_json(owned->info())}});
  sink.flush();
  std::thread reader(read_requests, std::ref(*owned), std::ref(sink));
  owned->run();
  reader.join();
  return 0;
}

}  // namespace maas::worker
