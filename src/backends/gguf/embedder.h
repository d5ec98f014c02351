// Sentence embeddings from a GGUF model: the mean of the last hidden states over the input's tokens, L2-normalised
// (what OpenAI's embeddings look like). Works for embedding models and generative models alike, in a context of its
// own beside the engine's. Used on the engine's thread only.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backends/gguf/cpu_threadpool.h"
#include "backends/gguf/gguf_model.h"

struct llama_context;

namespace maas::backends::gguf {

class Embedder {
 public:
  // Decodes on `pool`, which must outlive the embedder.
  static Result<std::unique_ptr<Embedder>> create(const GgufModel& model, int context, int threads, CpuThreadpool& pool);
  ~Embedder();

  // One vector per input; *tokens counts the tokens read. INVALID_ARGUMENT for an input longer than the context.
  Result<std::vector<std::vector<float>>> embed(const llm::EmbedRequest& request, int64_t* tokens);

 private:
  Embedder(const GgufModel& model, int context) : model_(model), context_(context) {}
  const GgufModel& model_;
  int context_;
  llama_context* ctx_ = nullptr;
};

}  // namespace maas::backends::gguf
