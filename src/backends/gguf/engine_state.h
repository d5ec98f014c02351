// The engine's state, shared by its two halves: engine.cc (requests in, tokens out) and engine_step.cc (which
// sequences a step decodes, prefix reuse, and room in the KV cache).
//
// Threading: the engine's thread only (engine.h).
#pragma once

#include <llama.h>

#include <deque>
#include <memory>
#include <set>
#include <vector>

#include "backends/gguf/chat_tools.h"
#include "backends/gguf/cpu_threadpool.h"
#include "backends/gguf/embedder.h"
#include "backends/gguf/engine.h"
#include "backends/gguf/sampler.h"
#include "llm/prefix_cache.h"
#include "llm/text_stream.h"

namespace maas::backends::gguf {

struct Engine::Sequence {
  uint64_t id = 0;
  llm::GenerateRequest request;
  std::vector<Token> prompt;  // what is read before generating: the prompt, after a preemption the output too
  int slot = -1;
  size_t prefilled = 0;       // prompt tokens in the KV cache
  int64_t cached = 0;         // of those, reused from an earlier request
  int64_t prompt_tokens = 0;  // the request's: `prompt` also holds the output after a preemption
  uint64_t admitted = 0;      // admission order: the last admitted is preempted first
  int preemptions = 0;
  Token last = -1;  // the token to feed next step, once the prompt is read
  int64_t generated = 0;
  int64_t max_tokens = 0;
  int batch_index = -1;  // where this step's logits are, -1 when it has none
  Sampler sampler;
  llm::TextStream text;
  std::unique_ptr<ToolCallStream> tools;  // a chat with tools: the output parsed into content and calls
  std::set<Token> preserved;              // special tokens whose text is part of the tool-call syntax
};

struct Engine::Impl {
  std::unique_ptr<GgufModel> model;
  std::unique_ptr<CpuThreadpool> threads;  // declared before the contexts: they are freed before it
  llama_context* ctx = nullptr;
  std::unique_ptr<Embedder> embedder;  // made on first use, on the same threads
  std::unique_ptr<ChatTools> chat_tools;
  llama_batch batch{};
  int n_ctx_seq = 0;
  std::unique_ptr<llm::PrefixCache> cache;  // per slot (sequence id): the tokens its KV cells hold
  uint64_t admissions = 0;
  bool admission_paused = false;  // a preemption found the shared KV cache full; until a sequence ends
  std::deque<std::unique_ptr<Sequence>> waiting;
  std::vector<std::unique_ptr<Sequence>> running;
  int64_t preemptions = 0;
  llm::EngineStats last_stats{-1, -1, -1, -1, -1};

  ~Impl() {
    if (batch.token) llama_batch_free(batch);
    if (ctx) llama_free(ctx);
  }
  llama_memory_t memory() const { return llama_get_memory(ctx); }
};

}  // namespace maas::backends::gguf
