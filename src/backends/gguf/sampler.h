// A llama.cpp sampler chain built from one request's sampling parameters (OpenAI's names mapped onto llama.cpp's
// samplers). The chain also accepts each sampled token, so penalties and grammars see the history.
#pragma once

#include <memory>
#include <string>

#include "backends/gguf/gguf_model.h"
#include "llm/generation.h"

struct llama_sampler;

namespace maas::backends::gguf {

struct SamplerDeleter {
  void operator()(llama_sampler* s) const;
};
using SamplerPtr = std::unique_ptr<llama_sampler, SamplerDeleter>;

// INVALID_ARGUMENT for values out of range or a grammar llama.cpp cannot parse. `logit_bias` (token ids already
// checked) is added to the logits first, so every later sampler, the grammar and the greedy pick see it.
Result<SamplerPtr> make_sampler(const GgufModel& model, const llm::SamplingParams& params, const std::string& grammar,
                                const std::vector<std::pair<int32_t, float>>& logit_bias);

// The log-softmax of the logits at one position, after `logit_bias`: the model's distribution, before
// temperature, top-k/p, penalties or a grammar. Fills `chosen` and the `top` most likely tokens (by logprob).
void token_logprob(const GgufModel& model, const float* logits,
                   const std::vector<std::pair<int32_t, float>>& logit_bias, Token chosen, int top,
                   llm::TokenLogprob* out);

}  // namespace maas::backends::gguf
