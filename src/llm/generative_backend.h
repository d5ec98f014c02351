// The boundary of a generative (streaming) backend, Triton's decoupled model: it loads one model, takes requests
// tagged with a stream id at any time, and reports what each stream produces through a sink as it goes. The
// batching of streams (llama.cpp's continuous batching) is the backend's own; the worker process that runs it and
// the channel to maasd are not (src/worker/). A new streaming backend is a folder under src/backends/ that
// implements this and declares itself with MAAS_GENERATIVE_BACKEND_PLUGIN (backends/plugin.h).
//
// Threading: submit, cancel, embed and close may be called from any thread (the worker's reader thread); run() is
// the backend's own thread until close(), and the sink is called from it. The sink outlives the backend.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"
#include "llm/generation.h"

namespace maas::llm {

// How the worker runs the model (the load config's engine fields, llm_config.h).
struct GenerativeConfig {
  int threads = 1;
  int max_sequences = 4;          // streams decoded at once
  int context_per_sequence = 0;   // KV cells per sequence; 0: the model's training context, at most 4096
  int batch_tokens = 512;         // tokens per decode step
  int prefill_tokens = 0;         // prompt tokens per decode step, across prompts (chunked prefill); 0: batch_tokens
  bool prefix_cache = true;       // reuse earlier prompts' KV cells for a shared prefix
  int kv_cells = 0;               // > 0: one KV cache of this many cells for all sequences, preempting when full
  int max_preemptions = 4;        // then a sequence fails with RESOURCE_EXHAUSTED
  int max_waiting = 256;          // accepted streams waiting for a slot; beyond it RESOURCE_EXHAUSTED
  bool deterministic = false;     // batch-invariant: a stream's output never depends on the others
};

// Where a backend's results go. Called on the backend's thread; a sink may hold results until flush().
class GenerationSink {
 public:
  virtual ~GenerationSink() = default;
  virtual void accepted(uint64_t id, int64_t prompt_tokens) = 0;
  // `logprobs`: one per token counted, when the request asked for them; else empty. `tool_calls`: pieces of the
  // calls the text so far makes (a chat with tools, whose `text` is then the message's content only).
  virtual void tokens(uint64_t id, const std::string& text, int64_t count, const std::vector<TokenLogprob>& logprobs,
                      const std::vector<ToolCallDelta>& tool_calls) = 0;
  virtual void done(uint64_t id, const Completion& completion) = 0;
  virtual void failed(uint64_t id, const Status& status) = 0;
  virtual void embeddings(uint64_t id, const std::vector<std::vector<float>>& vectors, int64_t prompt_tokens) = 0;
  virtual void stats(const EngineStats& stats) = 0;
  // The calls since the last flush may be delivered now; called after each step and before the backend sleeps.
  virtual void flush() {}
};

class GenerativeBackend {
 public:
  virtual ~GenerativeBackend() = default;

  // Loads the model; INVALID_ARGUMENT when the file is not one this backend can run.
  virtual Status load(const std::filesystem::path& artifact, const GenerativeConfig& config, GenerationSink& sink) = 0;
  // What the worker tells maasd about the model with READY.
  virtual ModelInfo info() const = 0;

  // A stream: its first event is accepted() or failed(), then tokens() until done() or failed().
  virtual void submit(uint64_t id, GenerateRequest request) = 0;
  // Ends a stream at once (the client went away); nothing more is reported for it.
  virtual void cancel(uint64_t id) = 0;
  // Embeddings of the inputs: embeddings() or failed().
  virtual void embed(uint64_t id, EmbedRequest request) = 0;
  // run() returns after the current step.
  virtual void close() = 0;
  virtual void run() = 0;
};

}  // namespace maas::llm
