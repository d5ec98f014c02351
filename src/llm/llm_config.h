// How a GGUF version is served: the load request's "config" object for a gguf model. Validated once at load.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas::llm {

struct LlmConfig {
  int threads = 1;                 // decode threads in the worker
  int max_sequences = 4;           // sequences decoded together (continuous-batching slots)
  int context = 0;                 // KV cells per sequence; 0: the model's training context, at most 4096
  int batch_tokens = 512;          // tokens per decode step
  int prefill_tokens = 0;          // prompt tokens read per decode step, across prompts; 0: batch_tokens
  bool prefix_cache = true;        // reuse the KV cells of earlier prompts that share a prefix with a new one
  int kv_cells = 0;                // one KV cache of this many cells shared by all sequences; 0: one per sequence
  int max_preemptions = 4;         // times a sequence may be preempted when the shared KV cache is full (then 429)
  int max_waiting = 256;           // requests queued for a slot in the worker
  int max_streams = 1024;          // open streams per version in maasd (beyond: 429)
  int max_choices = 8;             // choices one request may ask for: n x prompts (beyond: 400)
  bool deterministic = false;      // batch-invariant decoding: outputs never depend on concurrent requests
  int64_t load_timeout_ms = 300'000;
  uint64_t memory_limit_bytes = 0;
};

// INVALID_ARGUMENT naming the field for a bad value or an unknown key.
Result<LlmConfig> parse_llm_config(const nlohmann::json& j);
nlohmann::json llm_config_json(const LlmConfig& c);

}  // namespace maas::llm
