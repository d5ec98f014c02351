// A short greedy run of a GGUF model through libllama, the way compress.gguf measures a model before and after
// quantization: the prompt decoded in one batch, then `tokens` tokens each the argmax of the last logits, one
// sequence, on `threads` CPU threads. Only the generation is timed (not the load, not the prompt).
//
// Thread-safety: one run at a time per process (llama.cpp's backend is initialized once, here).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace maas::compression {

struct GreedyRun {
  std::vector<int32_t> tokens;  // the generated tokens (fewer than asked when the model ends the sequence)
  double tokens_per_second = 0;
};

// llama.cpp's backend, initialized once per process with its log quieted to errors.
void init_llama();

Result<GreedyRun> run_greedy(const std::string& gguf_file, const std::string& prompt, int tokens, int threads);

}  // namespace maas::compression
