// The continuous-batching engine: one llama.cpp context with a fixed number of sequence slots. Each decode step
// serves every running sequence (one token each, plus chunks of prompts being read); new requests join between
// steps; a finished or cancelled sequence gives its slot and KV cells back at once. An idle slot keeps its
// prompt's KV cells so that a later prompt with the same prefix reads only the rest (prefix caching).
//
// Threading: submit/cancel/embed/close may be called from any thread; they queue work that run() picks up between
// steps. run() is the engine's own thread and the only one calling llama.cpp on the context; the sink is called
// from it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <variant>

#include "backends/gguf/gguf_model.h"
#include "common/status.h"
#include "llm/generation.h"
#include "llm/generative_backend.h"

namespace maas::backends::gguf {

// The engine is the gguf backend's (gguf_backend.h); its configuration and sink are the generative boundary's.
using EngineConfig = llm::GenerativeConfig;
using EngineSink = llm::GenerationSink;

class Engine {
 public:
  static Result<std::unique_ptr<Engine>> load(const std::filesystem::path& artifact, const EngineConfig& config,
                                              EngineSink& sink);
  ~Engine();

  const llm::ModelInfo& info() const { return info_; }

  void submit(uint64_t id, llm::GenerateRequest request);
  void cancel(uint64_t id);
  void embed(uint64_t id, llm::EmbedRequest request);
  void close();  // run() returns after the current step
  void run();

 private:
  struct Sequence;
  struct Impl;
  using Work = std::variant<std::pair<uint64_t, llm::GenerateRequest>, uint64_t, std::pair<uint64_t, llm::EmbedRequest>>;

  Engine(EngineConfig config, EngineSink& sink);
  void accept(uint64_t id, llm::GenerateRequest request);
  Result<std::vector<Token>> prompt_tokens(const llm::GenerateRequest& request) const;
  std::string echo_text(const llm::GenerateRequest& request, const std::vector<Token>& prompt) const;
  void drop(uint64_t id);
  void admit();
  bool twin_reading(const Sequence& seq) const;
  void step();
  using Part = std::pair<Sequence*, std::vector<std::pair<Token, bool>>>;  // a sequence's tokens in a step (logits?)
  std::vector<Part> plan_step();
  void fill(Sequence& seq, const std::vector<std::pair<Token, bool>>& tokens);
  bool decode();
  void fail_running(int32_t rc);
  bool make_room();
  void sample(Sequence& seq);
  void finish(Sequence& seq, const std::string& reason, bool cancelled);
  void report_stats();
  void remove_finished();
  void run_embed(uint64_t id, const llm::EmbedRequest& request);

  EngineConfig config_;
  EngineSink& sink_;
  llm::ModelInfo info_;
  std::unique_ptr<Impl> impl_;

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Work> inbox_;
  bool closed_ = false;
};

}  // namespace maas::backends::gguf
