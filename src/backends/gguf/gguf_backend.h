// The gguf backend: GGUF language models through llama.cpp, as a generative backend (llm/generative_backend.h) —
// the continuous-batching Engine behind the streaming boundary. llama.cpp's headers stay in gguf/*.cc.
// Threading: as llm::GenerativeBackend.
#pragma once

#include <memory>

#include "backends/gguf/engine.h"
#include "llm/generative_backend.h"

namespace maas::backends::gguf {

class GgufBackend : public llm::GenerativeBackend {
 public:
  Status load(const std::filesystem::path& artifact, const llm::GenerativeConfig& config,
              llm::GenerationSink& sink) override;
  llm::ModelInfo info() const override { return engine_->info(); }
  void submit(uint64_t id, llm::GenerateRequest request) override { engine_->submit(id, std::move(request)); }
  void cancel(uint64_t id) override { engine_->cancel(id); }
  void embed(uint64_t id, llm::EmbedRequest request) override { engine_->embed(id, std::move(request)); }
  void close() override { engine_->close(); }
  void run() override { engine_->run(); }

 private:
  std::unique_ptr<Engine> engine_;
};

}  // namespace maas::backends::gguf
