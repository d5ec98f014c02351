#include "backends/gguf/sampler.h"

#include <random>

#include <llama.h>

namespace maas::backends::gguf {

void SamplerDeleter::operator()(llama_sampler* s) const { llama_sampler_free(s); }

Result<SamplerPtr> make_sampler(const GgufModel& model, const llm::SamplingParams& p, const std::string& grammar) {
  SamplerPtr chain(llama_sampler_chain_init(llama_sampler_chain_default_params()));
  // Penalties look at every candidate, so they are only in the chain when asked for.
  if (p.repeat_penalty != 1.0 || p.frequency_penalty != 0.0 || p.presence_penalty != 0.0) {
    llama_sampler_chain_add(chain.get(), llama_sampler_init_penalties(llama_vocab_n_tokens(model.vocab()), p.penalty_last_n,
                                                                      static_cast<float>(p.repeat_penalty),
                                                                      static_cast<float>(p.frequency_penalty),
                                                                      static_cast<float>(p.presence_penalty)));
  }
  if (!grammar.empty()) {
    llama_sampler* g = llama_sampler_init_grammar(model.vocab(), grammar.c_str(), "root");
    if (!g) return invalid_argument("the grammar could not be parsed");
    llama_sampler_chain_add(chain.get(), g);
  }
  if (p.temperature <= 0.0) {
    llama_sampler_chain_add(chain.get(), llama_sampler_init_greedy());
    return chain;
  }
  if (p.top_k > 0) llama_sampler_chain_add(chain.get(), llama_sampler_init_top_k(p.top_k));
  if (p.top_p < 1.0) llama_sampler_chain_add(chain.get(), llama_sampler_init_top_p(static_cast<float>(p.top_p), 1));
  if (p.min_p > 0.0) llama_sampler_chain_add(chain.get(), llama_sampler_init_min_p(static_cast<float>(p.min_p), 1));
  llama_sampler_chain_add(chain.get(), llama_sampler_init_temp(static_cast<float>(p.temperature)));
  uint32_t seed = p.seed ? *p.seed : std::random_device{}();
  llama_sampler_chain_add(chain.get(), llama_sampler_init_dist(seed));
  return chain;
}

}  // namespace maas::backends::gguf
