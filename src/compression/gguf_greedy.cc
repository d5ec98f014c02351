#include "compression/gguf_greedy.h"

#include <llama.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>

#include "backends/gguf/extra_buffers.h"

namespace maas::compression {
namespace {

void quiet_log(ggml_log_level level, const char* text, void*) {
  if (level == GGML_LOG_LEVEL_ERROR) fputs(text, stderr);
}

struct ModelFree {
  void operator()(llama_model* m) const { llama_model_free(m); }
};
struct ContextFree {
  void operator()(llama_context* c) const { llama_free(c); }
};

}  // namespace

void init_llama() {
  static std::once_flag once;
  std::call_once(once, [] {
    llama_log_set(quiet_log, nullptr);
    llama_backend_init();
  });
}

Result<GreedyRun> run_greedy(const std::string& gguf_file, const std::string& prompt, int tokens, int threads) {
  init_llama();
  llama_model_params model_params = llama_model_default_params();
  model_params.n_gpu_layers = 0;
  model_params.use_extra_bufts = backends::gguf::use_extra_buffers(gguf_file);  // as the gguf backend loads it
  std::unique_ptr<llama_model, ModelFree> model(llama_model_load_from_file(gguf_file.c_str(), model_params));
  if (!model) return invalid_argument("llama.cpp cannot load " + gguf_file);
  const llama_vocab* vocab = llama_model_get_vocab(model.get());
  std::vector<llama_token> input(prompt.size() + 8);
  int32_t n = llama_tokenize(vocab, prompt.data(), static_cast<int32_t>(prompt.size()), input.data(),
                             static_cast<int32_t>(input.size()), true, false);
  if (n <= 0) return invalid_argument("the prompt tokenizes to nothing");
  input.resize(n);
  llama_context_params context_params = llama_context_default_params();
  context_params.n_ctx = static_cast<uint32_t>(n + tokens + 1);
  context_params.n_batch = static_cast<uint32_t>(n);
  context_params.n_threads = context_params.n_threads_batch = std::max(1, threads);
  std::unique_ptr<llama_context, ContextFree> context(llama_init_from_model(model.get(), context_params));
  if (!context) return internal_error("llama.cpp cannot make a context for " + gguf_file);
  if (llama_decode(context.get(), llama_batch_get_one(input.data(), n)) != 0)
    return internal_error("llama.cpp failed to decode the prompt");
  const int32_t vocab_size = llama_vocab_n_tokens(vocab);
  GreedyRun run;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < tokens; ++i) {
    const float* logits = llama_get_logits_ith(context.get(), -1);
    llama_token next = static_cast<llama_token>(std::max_element(logits, logits + vocab_size) - logits);
    run.tokens.push_back(next);
    if (llama_vocab_is_eog(vocab, next) || i + 1 == tokens) break;
    if (llama_decode(context.get(), llama_batch_get_one(&next, 1)) != 0)
      return internal_error("llama.cpp failed to decode a generated token");
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.tokens_per_second = seconds > 0 ? static_cast<double>(run.tokens.size()) / seconds : 0;
  return run;
}

}  // namespace maas::compression
