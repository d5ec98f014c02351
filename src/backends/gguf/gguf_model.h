// A GGUF language model loaded with llama.cpp: its metadata, tokenizer and chat template. The weights are shared
// by every context made from it (the engine's decoding context, the embedding context).
// Thread-safety: tokenize/detokenize/render_chat may be called from any thread (llama.cpp's vocab is read-only).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "llm/generation.h"

struct llama_model;
struct llama_vocab;

namespace maas::backends::gguf {

using Token = int32_t;

class GgufModel {
 public:
  static Result<std::unique_ptr<GgufModel>> load(const std::filesystem::path& path);
  ~GgufModel();
  GgufModel(const GgufModel&) = delete;
  GgufModel& operator=(const GgufModel&) = delete;

  llama_model* model() const { return model_; }
  const llama_vocab* vocab() const { return vocab_; }
  // Architecture, sizes, chat template, special tokens; context_length/max_sequences are the engine's to fill.
  const llm::ModelInfo& info() const { return info_; }

  // Text -> tokens, with BOS when the model wants it; special tokens in the text are parsed as such.
  Result<std::vector<Token>> tokenize(const std::string& text, bool add_special) const;
  // One token's bytes (possibly part of a UTF-8 character); special tokens render as nothing.
  std::string piece(Token token) const;
  // The same, except that special tokens render as their text ("</s>"), as logprobs show them.
  std::string piece_bytes(Token token) const;
  bool is_end_of_generation(Token token) const;
  // INVALID_ARGUMENT naming `what` when a token id is not in the vocabulary.
  Status check_tokens(const std::vector<Token>& tokens, const std::string& what) const;
  int32_t vocab_size() const;
  // The chat rendered with the model's template (ChatML when the model has none), ending with the assistant's turn.
  Result<std::string> render_chat(const std::vector<llm::ChatMessage>& messages) const;

 private:
  GgufModel() = default;
  std::string meta(const char* key) const;
  std::string render(Token token, bool special) const;

  llama_model* model_ = nullptr;
  const llama_vocab* vocab_ = nullptr;
  llm::ModelInfo info_;
};

// llama.cpp's process-wide state (backends, logging to spdlog-free stderr lines at warning and above).
void init_llama_once();

}  // namespace maas::backends::gguf
