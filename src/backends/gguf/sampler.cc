#include "backends/gguf/sampler.h"

#include <llama.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <numeric>
#include <random>

namespace maas::backends::gguf {

void SamplerDeleter::operator()(llama_sampler* s) const { llama_sampler_free(s); }

namespace {

llama_sampler* grammar_sampler(const GgufModel& model, const SamplerGrammar& grammar) {
  if (!grammar.lazy) return llama_sampler_init_grammar(model.vocab(), grammar.text.c_str(), "root");
  std::vector<const char*> patterns;
  patterns.reserve(grammar.trigger_patterns.size());
  for (const auto& p : grammar.trigger_patterns) patterns.push_back(p.c_str());
  return llama_sampler_init_grammar_lazy_patterns(model.vocab(), grammar.text.c_str(), "root", patterns.data(),
                                                  patterns.size(), grammar.trigger_tokens.data(),
                                                  grammar.trigger_tokens.size());
}

}  // namespace

Result<Sampler> make_sampler(const GgufModel& model, const llm::SamplingParams& p, const SamplerGrammar& grammar,
                             const std::vector<std::pair<int32_t, float>>& logit_bias) {
  Sampler out;
  SamplerPtr& chain = out.chain;
  chain.reset(llama_sampler_chain_init(llama_sampler_chain_default_params()));
  if (!logit_bias.empty()) {
    std::vector<llama_logit_bias> biases;
    biases.reserve(logit_bias.size());
    for (auto [token, bias] : logit_bias) biases.push_back({token, bias});
    llama_sampler_chain_add(chain.get(), llama_sampler_init_logit_bias(
                                             model.vocab_size(), static_cast<int32_t>(biases.size()), biases.data()));
  }
  // Penalties look at every candidate, so they are only in the chain when asked for.
  if (p.repeat_penalty != 1.0 || p.frequency_penalty != 0.0 || p.presence_penalty != 0.0) {
    llama_sampler_chain_add(chain.get(), llama_sampler_init_penalties(llama_vocab_n_tokens(model.vocab()), p.penalty_last_n,
                                                                      static_cast<float>(p.repeat_penalty),
                                                                      static_cast<float>(p.frequency_penalty),
                                                                      static_cast<float>(p.presence_penalty)));
  }
  if (!grammar.text.empty()) {
    llama_sampler* g = grammar_sampler(model, grammar);
    if (!g) return invalid_argument("the grammar could not be parsed");
    // The grammar state as if it had seen the prefill: a token it rejects here means the template and its grammar
    // disagree (llama.cpp's grammar sampler aborts on accepting a rejected token, so each is checked first).
    for (Token t : grammar.prefill) {
      llama_token_data data{t, 0.0f, 0.0f};
      llama_token_data_array one{&data, 1, -1, false};
      llama_sampler_apply(g, &one);
      if (data.logit == -INFINITY) {
        llama_sampler_free(g);
        return invalid_argument("this model's chat template and its tool-call grammar disagree");
      }
      try {
        llama_sampler_accept(g, t);
      } catch (const std::exception&) {
        llama_sampler_free(g);
        return invalid_argument("this model's chat template and its tool-call grammar disagree");
      }
    }
    out.grammar.reset(g);
  }
  if (p.temperature <= 0.0) {
    llama_sampler_chain_add(chain.get(), llama_sampler_init_greedy());
    return out;
  }
  if (p.top_k > 0) llama_sampler_chain_add(chain.get(), llama_sampler_init_top_k(p.top_k));
  if (p.top_p < 1.0) llama_sampler_chain_add(chain.get(), llama_sampler_init_top_p(static_cast<float>(p.top_p), 1));
  if (p.min_p > 0.0) llama_sampler_chain_add(chain.get(), llama_sampler_init_min_p(static_cast<float>(p.min_p), 1));
  llama_sampler_chain_add(chain.get(), llama_sampler_init_temp(static_cast<float>(p.temperature)));
  uint32_t seed = p.seed ? *p.seed : std::random_device{}();
  llama_sampler_chain_add(chain.get(), llama_sampler_init_dist(seed));
  return out;
}

Token sample_token(Sampler& s, llama_context* ctx, int32_t index) {
  if (!s.grammar) return llama_sampler_sample(s.chain.get(), ctx, index);
  const float* logits = llama_get_logits_ith(ctx, index);
  const int32_t n = llama_vocab_n_tokens(llama_model_get_vocab(llama_get_model(ctx)));
  auto fill = [&] {
    s.candidates.resize(static_cast<size_t>(n));
    for (int32_t i = 0; i < n; ++i) s.candidates[static_cast<size_t>(i)] = {i, logits[i], 0.0f};
    return llama_token_data_array{s.candidates.data(), s.candidates.size(), -1, false};
  };
  llama_token_data_array all = fill();
  llama_sampler_apply(s.chain.get(), &all);
  Token token = all.data[all.selected].id;
  llama_token_data one{token, 1.0f, 0.0f};
  llama_token_data_array single{&one, 1, -1, false};
  llama_sampler_apply(s.grammar.get(), &single);
  if (one.logit == -INFINITY) {
    // Rejected: the grammar over every candidate, then the chain picks among what it allows.
    all = fill();
    llama_sampler_apply(s.grammar.get(), &all);
    llama_sampler_apply(s.chain.get(), &all);
    token = all.data[all.selected].id;
  }
  llama_sampler_accept(s.grammar.get(), token);
  llama_sampler_accept(s.chain.get(), token);
  return token;
}

void token_logprob(const GgufModel& model, const float* logits,
                   const std::vector<std::pair<int32_t, float>>& logit_bias, Token chosen, int top,
                   llm::TokenLogprob* out) {
  const auto n = static_cast<size_t>(model.vocab_size());
  std::vector<float> biased(logits, logits + n);
  for (auto [token, bias] : logit_bias) biased[static_cast<size_t>(token)] += bias;
  float max = *std::max_element(biased.begin(), biased.end());
  double sum = 0;
  for (float x : biased) sum += std::exp(static_cast<double>(x - max));
  const double log_sum = static_cast<double>(max) + std::log(sum);
  auto choice = [&](Token t) {
    return llm::TokenChoice{t, model.piece_bytes(t), static_cast<double>(biased[static_cast<size_t>(t)]) - log_sum};
  };
  out->chosen = choice(chosen);
  out->top.clear();
  if (top <= 0) return;
  std::vector<Token> order(n);
  std::iota(order.begin(), order.end(), 0);
  auto k = std::min<size_t>(static_cast<size_t>(top), n);
  // Ties by token id, so that the list does not depend on the sort's implementation.
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(), [&](Token a, Token b) {
    float x = biased[static_cast<size_t>(a)], y = biased[static_cast<size_t>(b)];
    return x != y ? x > y : a < b;
  });
  for (size_t i = 0; i < k; ++i) out->top.push_back(choice(order[i]));
}

}  // namespace maas::backends::gguf
