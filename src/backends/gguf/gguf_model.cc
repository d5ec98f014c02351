#include "backends/gguf/gguf_model.h"

#include <llama.h>

#include <cstdio>
#include <mutex>

#include "backends/gguf/extra_buffers.h"

namespace maas::backends::gguf {
namespace {

void log_warnings(ggml_log_level level, const char* text, void*) {
  if (level >= GGML_LOG_LEVEL_WARN && level != GGML_LOG_LEVEL_CONT) std::fputs(text, stderr);
}

}  // namespace

void init_llama_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    llama_log_set(log_warnings, nullptr);
    llama_backend_init();
  });
}

GgufModel::~GgufModel() {
  if (model_) llama_model_free(model_);
}

std::string GgufModel::meta(const char* key) const {
  char buffer[256];
  int32_t n = llama_model_meta_val_str(model_, key, buffer, sizeof(buffer));
  return n < 0 ? std::string() : std::string(buffer, std::min<size_t>(static_cast<size_t>(n), sizeof(buffer) - 1));
}

Result<std::unique_ptr<GgufModel>> GgufModel::load(const std::filesystem::path& path) {
  init_llama_once();
  std::unique_ptr<GgufModel> m(new GgufModel());
  llama_model_params params = llama_model_default_params();
  params.n_gpu_layers = 0;
  params.use_extra_bufts = use_extra_buffers(path.string());
  m->model_ = llama_model_load_from_file(path.c_str(), params);
  if (!m->model_) return invalid_argument("gguf: llama.cpp could not load " + path.string() + " (see the worker's log)");
  m->vocab_ = llama_model_get_vocab(m->model_);
  llm::ModelInfo& info = m->info_;
  info.architecture = m->meta("general.architecture");
  info.name = m->meta("general.name");
  info.train_context_length = llama_model_n_ctx_train(m->model_);
  info.embedding_length = llama_model_n_embd(m->model_);
  info.vocab_size = llama_vocab_n_tokens(m->vocab_);
  info.parameter_count = static_cast<int64_t>(llama_model_n_params(m->model_));
  if (const char* tmpl = llama_model_chat_template(m->model_, nullptr)) info.chat_template = tmpl;
  info.bos_token = m->render(llama_vocab_bos(m->vocab_), true);
  info.eos_token = m->render(llama_vocab_eos(m->vocab_), true);
  return m;
}

std::string GgufModel::render(Token token, bool special) const {
  if (token < 0) return {};
  char buffer[128];
  int32_t n = llama_token_to_piece(vocab_, token, buffer, sizeof(buffer), 0, special);
  if (n >= 0) return std::string(buffer, static_cast<size_t>(n));
  std::string big(static_cast<size_t>(-n), '\0');
  n = llama_token_to_piece(vocab_, token, big.data(), static_cast<int32_t>(big.size()), 0, special);
  return n < 0 ? std::string() : big.substr(0, static_cast<size_t>(n));
}

std::string GgufModel::piece(Token token) const { return render(token, false); }
std::string GgufModel::piece_bytes(Token token) const { return render(token, true); }

bool GgufModel::is_end_of_generation(Token token) const { return llama_vocab_is_eog(vocab_, token); }

int32_t GgufModel::vocab_size() const { return llama_vocab_n_tokens(vocab_); }

Status GgufModel::check_tokens(const std::vector<Token>& tokens, const std::string& what) const {
  int32_t n = vocab_size();
  for (Token t : tokens) {
    if (t < 0 || t >= n) {
      return invalid_argument(what + " has the token id " + std::to_string(t) +
                              "; this model's vocabulary has ids 0 to " + std::to_string(n - 1));
    }
  }
  return {};
}

Result<std::vector<Token>> GgufModel::tokenize(const std::string& text, bool add_special) const {
  if (text.size() > static_cast<size_t>(INT32_MAX / 2)) return invalid_argument("the prompt is too long");
  std::vector<Token> tokens(text.size() + 8);
  int32_t n = llama_tokenize(vocab_, text.data(), static_cast<int32_t>(text.size()), tokens.data(),
                             static_cast<int32_t>(tokens.size()), add_special, /*parse_special=*/true);
  if (n < 0 && n != INT32_MIN) {
    tokens.resize(static_cast<size_t>(-n));
    n = llama_tokenize(vocab_, text.data(), static_cast<int32_t>(text.size()), tokens.data(),
                       static_cast<int32_t>(tokens.size()), add_special, true);
  }
  if (n < 0) return invalid_argument("the prompt could not be tokenized");
  tokens.resize(static_cast<size_t>(n));
  return tokens;
}

Result<std::string> GgufModel::render_chat(const std::vector<llm::ChatMessage>& messages) const {
  std::vector<llama_chat_message> chat;
  size_t total = 0;
  for (const auto& m : messages) {
    chat.push_back({m.role.c_str(), m.content.c_str()});
    total += m.role.size() + m.content.size();
  }
  // llama.cpp recognises the common templates by their text; a model without one gets ChatML, as llama-server does.
  const char* tmpl = info_.chat_template.empty() ? "chatml" : info_.chat_template.c_str();
  std::string out(2 * total + 256, '\0');
  int32_t n = llama_chat_apply_template(tmpl, chat.data(), chat.size(), true, out.data(), static_cast<int32_t>(out.size()));
  if (n > static_cast<int32_t>(out.size())) {
    out.resize(static_cast<size_t>(n));
    n = llama_chat_apply_template(tmpl, chat.data(), chat.size(), true, out.data(), static_cast<int32_t>(out.size()));
  }
  if (n < 0) return invalid_argument("the model's chat template is not one llama.cpp supports");
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace maas::backends::gguf
