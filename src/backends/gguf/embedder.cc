#include "backends/gguf/embedder.h"

#include <cmath>

#include <llama.h>

namespace maas::backends::gguf {

Result<std::unique_ptr<Embedder>> Embedder::create(const GgufModel& model, int context, int threads, CpuThreadpool& pool) {
  std::unique_ptr<Embedder> e(new Embedder(model, context));
  llama_context_params p = llama_context_default_params();
  p.n_ctx = static_cast<uint32_t>(context);
  p.n_batch = p.n_ubatch = static_cast<uint32_t>(context);  // a whole input in one pass, as pooling needs
  p.n_seq_max = 1;
  p.n_threads = p.n_threads_batch = threads;
  p.embeddings = true;
  p.pooling_type = LLAMA_POOLING_TYPE_MEAN;
  p.no_perf = true;
  e->ctx_ = llama_init_from_model(model.model(), p);
  if (!e->ctx_) return invalid_argument("gguf: this model cannot produce embeddings");
  pool.attach(e->ctx_);
  return e;
}

Embedder::~Embedder() {
  if (ctx_) llama_free(ctx_);
}

Result<std::vector<std::vector<float>>> Embedder::embed(const llm::EmbedRequest& request, int64_t* tokens) {
  std::vector<std::vector<float>> out;
  *tokens = 0;
  const auto n_embd = static_cast<size_t>(model_.info().embedding_length);
  size_t count = request.token_inputs.empty() ? request.inputs.size() : request.token_inputs.size();
  for (size_t i = 0; i < count; ++i) {
    std::vector<Token> ids;
    if (request.token_inputs.empty()) {
      MAAS_ASSIGN_OR_RETURN(ids, model_.tokenize(request.inputs[i], true));
    } else {
      ids = request.token_inputs[i];
      MAAS_RETURN_IF_ERROR(model_.check_tokens(ids, "input " + std::to_string(i)));
    }
    if (ids.empty()) return invalid_argument("input " + std::to_string(i) + " is empty");
    if (ids.size() > static_cast<size_t>(context_)) {
      return invalid_argument("input " + std::to_string(i) + " has " + std::to_string(ids.size()) +
                              " tokens; this model's maximum context length is " + std::to_string(context_));
    }
    *tokens += static_cast<int64_t>(ids.size());
    llama_memory_clear(llama_get_memory(ctx_), true);
    llama_batch batch = llama_batch_init(static_cast<int32_t>(ids.size()), 0, 1);
    for (size_t t = 0; t < ids.size(); ++t) {
      batch.token[t] = ids[t];
      batch.pos[t] = static_cast<llama_pos>(t);
      batch.n_seq_id[t] = 1;
      batch.seq_id[t][0] = 0;
      batch.logits[t] = true;
    }
    batch.n_tokens = static_cast<int32_t>(ids.size());
    int32_t rc = llama_decode(ctx_, batch);
    llama_batch_free(batch);
    if (rc != 0) return internal_error("llama_decode failed with code " + std::to_string(rc) + " while embedding");
    const float* pooled = llama_get_embeddings_seq(ctx_, 0);
    if (!pooled) return internal_error("llama.cpp returned no pooled embedding");
    std::vector<float> v(pooled, pooled + n_embd);
    double norm = 0;
    for (float x : v) norm += static_cast<double>(x) * x;
    norm = std::sqrt(norm);
    if (norm > 0) {
      for (float& x : v) x = static_cast<float>(x / norm);
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace maas::backends::gguf
