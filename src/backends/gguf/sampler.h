// A llama.cpp sampler chain built from one request's sampling parameters (OpenAI's names mapped onto llama.cpp's
// samplers). The chain also accepts each sampled token, so penalties and grammars see the history.
#pragma once

#include <llama.h>

#include <memory>
#include <string>
#include <vector>

#include "backends/gguf/gguf_model.h"
#include "llm/generation.h"

struct llama_sampler;
struct llama_context;

namespace maas::backends::gguf {

struct SamplerDeleter {
  void operator()(llama_sampler* s) const;
};
using SamplerPtr = std::unique_ptr<llama_sampler, SamplerDeleter>;

// A GBNF grammar the output must follow. A lazy one applies from the first trigger (a regex over the output so far,
// or a token) on; `prefill` is what the prompt already wrote of it (a chat template's opening of the turn).
struct SamplerGrammar {
  std::string text;  // empty: unconstrained
  bool lazy = false;
  std::vector<std::string> trigger_patterns;
  std::vector<Token> trigger_tokens;
  std::vector<Token> prefill;
};

// A request's samplers: the chain (logit bias, penalties, truncation, the pick) and the grammar apart from it, so
// that the grammar is checked against the picked token first and applied to the whole vocabulary only when it
// rejects it (as llama.cpp's common sampler does): the same tokens, without a grammar pass over every candidate at
// every step.
struct Sampler {
  SamplerPtr chain;
  SamplerPtr grammar;                        // null: unconstrained
  std::vector<llama_token_data> candidates;  // reused between steps
};

// INVALID_ARGUMENT for values out of range or a grammar llama.cpp cannot parse. `logit_bias` (token ids already
// checked) is added to the logits first, so every later sampler, the grammar and the greedy pick see it.
Result<Sampler> make_sampler(const GgufModel& model, const llm::SamplingParams& params, const SamplerGrammar& grammar,
                             const std::vector<std::pair<int32_t, float>>& logit_bias);

// The next token from the logits at `index` of the last decode; the samplers accept it.
Token sample_token(Sampler& sampler, llama_context* ctx, int32_t index);

// The log-softmax of the logits at one position, after `logit_bias`: the model's distribution, before
// temperature, top-k/p, penalties or a grammar. Fills `chosen` and the `top` most likely tokens (by logprob).
void token_logprob(const GgufModel& model, const float* logits,
                   const std::vector<std::pair<int32_t, float>>& logit_bias, Token chosen, int top,
                   llm::TokenLogprob* out);

}  // namespace maas::backends::gguf
