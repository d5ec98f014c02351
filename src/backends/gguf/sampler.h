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

// INVALID_ARGUMENT for values out of range or a grammar llama.cpp cannot parse.
Result<SamplerPtr> make_sampler(const GgufModel& model, const llm::SamplingParams& params, const std::string& grammar);

}  // namespace maas::backends::gguf
