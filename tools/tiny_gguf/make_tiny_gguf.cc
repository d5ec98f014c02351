// maas-tiny-gguf: writes a llama-architecture GGUF model with random weights and a real tokenizer, for tests and
// benchmarks where no trained weights can be downloaded. The tokenizer and its metadata are copied from a
// vocab-only GGUF of the llama.cpp release; the weights are drawn from a seeded normal distribution, so the same
// arguments always give the same file.
#include <ggml.h>
#include <gguf.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace {

// A ChatML template: llama.cpp recognises it by its markers and renders chats with it.
constexpr const char* kChatTemplate =
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

struct Shape {
  int layers = 2;
  int width = 64;
  int ff = 0;
  int heads = 0;
  int kv_heads = 0;
  int context = 2048;
};

class Writer {
 public:
  Writer(ggml_context* ctx, gguf_context* gguf, uint32_t seed, ggml_type type)
      : ctx_(ctx), gguf_(gguf), rng_(seed), type_(type) {}

  void norm(const std::string& name, int64_t n) {
    ggml_tensor* t = ggml_new_tensor_1d(ctx_, GGML_TYPE_F32, n);
    auto* data = static_cast<float*>(t->data);
    for (int64_t i = 0; i < n; ++i) data[i] = 1.0f;
    add(t, name);
  }

  void matrix(const std::string& name, int64_t in, int64_t out, float stddev) {
    ggml_tensor* t = ggml_new_tensor_2d(ctx_, type_, in, out);
    std::normal_distribution<float> normal(0.0f, stddev);
    std::vector<float> row(static_cast<size_t>(in));
    for (int64_t r = 0; r < out; ++r) {
      for (auto& x : row) x = normal(rng_);
      if (type_ == GGML_TYPE_F16) {
        ggml_fp32_to_fp16_row(row.data(), static_cast<ggml_fp16_t*>(t->data) + r * in, in);
      } else {
        std::copy(row.begin(), row.end(), static_cast<float*>(t->data) + r * in);
      }
    }
    add(t, name);
    parameters += in * out;
  }

  int64_t parameters = 0;

 private:
  void add(ggml_tensor* t, const std::string& name) {
    ggml_set_name(t, name.c_str());
    gguf_add_tensor(gguf_, t);
  }

  ggml_context* ctx_;
  gguf_context* gguf_;
  std::mt19937 rng_;
  ggml_type type_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"maas-tiny-gguf: a llama-architecture GGUF model with random weights, for tests and benchmarks"};
  std::string out, vocab_path = MAAS_DEFAULT_VOCAB, type_name = "f16", name = "maas-tiny";
  Shape s;
  uint32_t seed = 42;
  app.add_option("--out", out, "the GGUF file to write")->required();
  app.add_option("--vocab", vocab_path, "vocab-only GGUF whose tokenizer is copied")->capture_default_str();
  app.add_option("--layers", s.layers)->check(CLI::Range(1, 128))->capture_default_str();
  app.add_option("--width", s.width, "embedding length")->check(CLI::Range(32, 16384))->capture_default_str();
  app.add_option("--ff", s.ff, "feed-forward length (default 4 x width)");
  app.add_option("--heads", s.heads, "attention heads (default width / 32)");
  app.add_option("--kv-heads", s.kv_heads, "key/value heads (default: heads)");
  app.add_option("--context", s.context, "training context length")->check(CLI::Range(64, 1 << 20))->capture_default_str();
  app.add_option("--type", type_name, "weight type: f16 or f32")->check(CLI::IsMember({"f16", "f32"}))->capture_default_str();
  app.add_option("--seed", seed)->capture_default_str();
  app.add_option("--name", name)->capture_default_str();
  std::string template_path;
  app.add_option("--chat-template-file", template_path,
                 "a jinja chat template for tokenizer.chat_template (default: ChatML)")
      ->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);
  if (s.ff <= 0) s.ff = 4 * s.width;
  if (s.heads <= 0) s.heads = std::max(1, s.width / 32);
  if (s.kv_heads <= 0) s.kv_heads = s.heads;
  if (s.width % s.heads != 0 || s.heads % s.kv_heads != 0) {
    std::fprintf(stderr, "error: width must be a multiple of heads, and heads of kv-heads\n");
    return 2;
  }

  gguf_context* vocab = gguf_init_from_file(vocab_path.c_str(), {/*no_alloc=*/true, /*ctx=*/nullptr});
  if (!vocab) {
    std::fprintf(stderr, "error: cannot read the vocabulary %s\n", vocab_path.c_str());
    return 1;
  }
  int64_t tokens_key = gguf_find_key(vocab, "tokenizer.ggml.tokens");
  if (tokens_key < 0) {
    std::fprintf(stderr, "error: %s has no tokenizer.ggml.tokens\n", vocab_path.c_str());
    return 1;
  }
  const auto n_vocab = static_cast<int64_t>(gguf_get_arr_n(vocab, tokens_key));
  const int64_t head_dim = s.width / s.heads, kv_width = head_dim * s.kv_heads;

  gguf_context* g = gguf_init_empty();
  gguf_set_kv(g, vocab);
  gguf_free(vocab);
  gguf_set_val_str(g, "general.architecture", "llama");
  gguf_set_val_str(g, "general.name", name.c_str());
  ggml_type type = type_name == "f16" ? GGML_TYPE_F16 : GGML_TYPE_F32;
  gguf_set_val_u32(g, "general.file_type", type == GGML_TYPE_F16 ? 1 : 0);
  gguf_set_val_u32(g, "llama.context_length", static_cast<uint32_t>(s.context));
  gguf_set_val_u32(g, "llama.embedding_length", static_cast<uint32_t>(s.width));
  gguf_set_val_u32(g, "llama.block_count", static_cast<uint32_t>(s.layers));
  gguf_set_val_u32(g, "llama.feed_forward_length", static_cast<uint32_t>(s.ff));
  gguf_set_val_u32(g, "llama.attention.head_count", static_cast<uint32_t>(s.heads));
  gguf_set_val_u32(g, "llama.attention.head_count_kv", static_cast<uint32_t>(s.kv_heads));
  gguf_set_val_f32(g, "llama.attention.layer_norm_rms_epsilon", 1e-5f);
  gguf_set_val_u32(g, "llama.rope.dimension_count", static_cast<uint32_t>(head_dim));
  gguf_set_val_f32(g, "llama.rope.freq_base", 10000.0f);
  gguf_set_val_u32(g, "llama.vocab_size", static_cast<uint32_t>(n_vocab));
  std::string chat_template = kChatTemplate;
  if (!template_path.empty()) {
    std::ifstream in(template_path, std::ios::binary);
    chat_template.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  gguf_set_val_str(g, "tokenizer.chat_template", chat_template.c_str());

  const size_t element = type == GGML_TYPE_F16 ? 2 : 4;
  const int64_t per_layer = 2 * s.width * s.width + 2 * s.width * kv_width + 3 * s.width * s.ff;
  size_t bytes = static_cast<size_t>(2 * n_vocab * s.width + s.layers * per_layer) * element +
                 static_cast<size_t>((2 * s.layers + 1) * s.width) * 4 + static_cast<size_t>(16 * s.layers + 16) * ggml_tensor_overhead() + (1 << 20);
  ggml_context* ctx = ggml_init({bytes, nullptr, false});
  Writer w(ctx, g, seed, type);
  const float stddev = 1.0f / std::sqrt(static_cast<float>(s.width));
  w.matrix("token_embd.weight", s.width, n_vocab, 1.0f);
  // An output projection of its own (tied embeddings make a random model repeat its input), scaled so that logits
  // have a spread of about 3: peaked next-token distributions, so greedy decoding rarely meets near-ties.
  w.matrix("output.weight", s.width, n_vocab, 3.0f * stddev);
  for (int l = 0; l < s.layers; ++l) {
    std::string p = "blk." + std::to_string(l) + ".";
    w.norm(p + "attn_norm.weight", s.width);
    w.matrix(p + "attn_q.weight", s.width, s.width, stddev);
    w.matrix(p + "attn_k.weight", s.width, kv_width, stddev);
    w.matrix(p + "attn_v.weight", s.width, kv_width, stddev);
    w.matrix(p + "attn_output.weight", s.width, s.width, stddev);
    w.norm(p + "ffn_norm.weight", s.width);
    w.matrix(p + "ffn_gate.weight", s.width, s.ff, stddev);
    w.matrix(p + "ffn_up.weight", s.width, s.ff, stddev);
    w.matrix(p + "ffn_down.weight", s.ff, s.width, 1.0f / std::sqrt(static_cast<float>(s.ff)));
  }
  w.norm("output_norm.weight", s.width);
  bool ok = gguf_write_to_file(g, out.c_str(), false);
  gguf_free(g);
  ggml_free(ctx);
  if (!ok) {
    std::fprintf(stderr, "error: cannot write %s\n", out.c_str());
    return 1;
  }
  std::printf("%s: llama, %d layers x %d wide, ff %d, %d heads (%d kv), vocab %lld, %.1fM parameters\n", out.c_str(),
              s.layers, s.width, s.ff, s.heads, s.kv_heads, static_cast<long long>(n_vocab), static_cast<double>(w.parameters) / 1e6);
  return 0;
}
