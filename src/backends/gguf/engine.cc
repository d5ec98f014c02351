#include "backends/gguf/engine.h"

#include <llama.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include "backends/gguf/chat_tools.h"
#include "backends/gguf/cpu_threadpool.h"
#include "backends/gguf/embedder.h"
#include "backends/gguf/sampler.h"
#include "llm/prefix_cache.h"
#include "llm/text_stream.h"

namespace maas::backends::gguf {
namespace {

constexpr int kDefaultMaxContext = 4096;
// Slots are separate KV streams, and llama.cpp copies one into another whole (every cell of every layer): for a
// handful of tokens computing them is as cheap, for a shared system prompt the copy is far cheaper.
constexpr size_t kMinCopyTokens = 16;

void add_token(llama_batch& batch, Token token, llama_pos pos, llama_seq_id seq, bool logits) {
  int i = batch.n_tokens++;
  batch.token[i] = token;
  batch.pos[i] = pos;
  batch.n_seq_id[i] = 1;
  batch.seq_id[i][0] = seq;
  batch.logits[i] = logits;
}

}  // namespace

struct Engine::Sequence {
  uint64_t id = 0;
  llm::GenerateRequest request;
  std::vector<Token> prompt;
  int slot = -1;
  size_t prefilled = 0;        // prompt tokens in the KV cache
  int64_t cached = 0;          // of those, reused from an earlier request
  Token last = -1;             // the token to feed next step, once the prompt is read
  int64_t generated = 0;
  int64_t max_tokens = 0;
  int batch_index = -1;        // where this step's logits are, -1 when it has none
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
  std::deque<std::unique_ptr<Sequence>> waiting;
  std::vector<std::unique_ptr<Sequence>> running;
  llm::EngineStats last_stats{-1, -1, -1, -1};

  ~Impl() {
    if (batch.token) llama_batch_free(batch);
    if (ctx) llama_free(ctx);
  }
  llama_memory_t memory() const { return llama_get_memory(ctx); }
};

Engine::Engine(EngineConfig config, EngineSink& sink) : config_(config), sink_(sink), impl_(std::make_unique<Impl>()) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::load(const std::filesystem::path& artifact, const EngineConfig& config,
                                             EngineSink& sink) {
  std::unique_ptr<Engine> engine(new Engine(config, sink));
  Impl& impl = *engine->impl_;
  MAAS_ASSIGN_OR_RETURN(impl.model, GgufModel::load(artifact));
  int per_seq = config.context_per_sequence;
  int trained = static_cast<int>(impl.model->info().train_context_length);
  if (per_seq <= 0) per_seq = std::min(trained > 0 ? trained : kDefaultMaxContext, kDefaultMaxContext);
  llama_context_params p = llama_context_default_params();
  p.n_seq_max = static_cast<uint32_t>(config.max_sequences);
  p.n_ctx = static_cast<uint32_t>(per_seq * config.max_sequences);
  p.n_batch = static_cast<uint32_t>(config.batch_tokens);
  p.n_ubatch = static_cast<uint32_t>(config.batch_tokens);
  p.n_threads = config.threads;
  p.n_threads_batch = config.threads;
  // One KV stream per sequence: a sequence's attention never spans cells of another, so what it computes does not
  // depend on who else is running (and prefix reuse stays within a slot).
  p.kv_unified = false;
  p.no_perf = true;
  impl.ctx = llama_init_from_model(impl.model->model(), p);
  if (!impl.ctx) return invalid_argument("gguf: llama.cpp could not create a context of " + std::to_string(p.n_ctx) + " tokens");
  MAAS_ASSIGN_OR_RETURN(impl.threads, CpuThreadpool::create(config.threads));
  impl.threads->attach(impl.ctx);
  impl.n_ctx_seq = static_cast<int>(llama_n_ctx_seq(impl.ctx));
  impl.batch = llama_batch_init(config.batch_tokens, 0, 1);
  impl.cache = std::make_unique<llm::PrefixCache>(static_cast<size_t>(config.max_sequences),
                                                  config.prefix_cache && !config.deterministic, kMinCopyTokens);
  impl.chat_tools = std::make_unique<ChatTools>(*impl.model);
  engine->info_ = impl.model->info();
  engine->info_.context_length = impl.n_ctx_seq;
  engine->info_.max_sequences = config.max_sequences;
  engine->info_.deterministic = config.deterministic;
  return engine;
}

void Engine::submit(uint64_t id, llm::GenerateRequest request) {
  std::lock_guard lock(mu_);
  inbox_.emplace_back(std::make_pair(id, std::move(request)));
  wake_.notify_one();
}

void Engine::cancel(uint64_t id) {
  std::lock_guard lock(mu_);
  inbox_.emplace_back(id);
  wake_.notify_one();
}

void Engine::embed(uint64_t id, llm::EmbedRequest request) {
  std::lock_guard lock(mu_);
  inbox_.emplace_back(std::make_pair(id, std::move(request)));
  wake_.notify_one();
}

void Engine::close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  wake_.notify_one();
}


// Everything below runs on the engine's thread.

void Engine::run() {
  Impl& impl = *impl_;
  for (;;) {
    std::deque<Work> work;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return closed_ || !inbox_.empty() || !impl.running.empty() || !impl.waiting.empty(); });
      if (closed_) return;
      work.swap(inbox_);
    }
    for (auto& item : work) {
      if (auto* generate = std::get_if<0>(&item)) {
        accept(generate->first, std::move(generate->second));
      } else if (auto* id = std::get_if<1>(&item)) {
        drop(*id);
      } else {
        auto& e = std::get<2>(item);
        run_embed(e.first, e.second);
      }
    }
    sink_.flush();  // acceptances and errors before a step that may take a while
    remove_finished();
    admit();
    if (!impl.running.empty()) step();
    report_stats();
    sink_.flush();
  }
}

void Engine::accept(uint64_t id, llm::GenerateRequest request) {
  Impl& impl = *impl_;
  // First, before the work below (grammar conversion, templates, tokenizing) stalls every running sequence.
  if (static_cast<int>(impl.waiting.size()) >= config_.max_waiting) {
    return sink_.failed(id, Status(StatusCode::kResourceExhausted, "too many requests are waiting for this model (" +
                                                                       std::to_string(config_.max_waiting) + ")"));
  }
  auto seq = std::make_unique<Sequence>();
  seq->id = id;
  SamplerGrammar grammar;
  grammar.text = request.grammar;
  if (!request.json_schema.empty()) {
    auto converted = json_schema_grammar(request.json_schema);
    if (!converted.ok()) return sink_.failed(id, converted.status());
    grammar.text = std::move(*converted);
  }
  if (ChatTools::wants(request)) {
    auto chat = impl.chat_tools->render(request);
    if (!chat.ok()) return sink_.failed(id, chat.status());
    seq->prompt = std::move(chat->tokens);
    // A turn with tool history but no tools offered has no tool grammar: its response_format's stays.
    if (!chat->grammar.empty()) {
      grammar = {chat->grammar, chat->lazy, chat->trigger_patterns, chat->trigger_tokens, chat->grammar_prefill};
    }
    request.stop.insert(request.stop.end(), chat->stops.begin(), chat->stops.end());
    seq->tools = std::move(chat->stream);
    seq->preserved = std::move(chat->preserved);
  } else {
    auto tokens = prompt_tokens(request);
    if (!tokens.ok()) return sink_.failed(id, tokens.status());
    seq->prompt = std::move(*tokens);
  }
  for (const auto& [token, bias] : request.logit_bias) {
    if (Status s = impl.model->check_tokens({token}, "logit_bias"); !s.ok()) return sink_.failed(id, s);
  }
  int64_t n_prompt = static_cast<int64_t>(seq->prompt.size());
  if (n_prompt == 0) return sink_.failed(id, invalid_argument("the prompt is empty"));
  if (n_prompt >= impl.n_ctx_seq) {
    return sink_.failed(id, invalid_argument("this model's maximum context length is " + std::to_string(impl.n_ctx_seq) +
                                             " tokens, but the prompt has " + std::to_string(n_prompt) + " tokens"));
  }
  int64_t room = impl.n_ctx_seq - n_prompt;
  if (request.max_tokens && *request.max_tokens > room) {
    return sink_.failed(id, invalid_argument("this model's maximum context length is " + std::to_string(impl.n_ctx_seq) +
                                             " tokens; the prompt has " + std::to_string(n_prompt) +
                                             " tokens and max_tokens asks for " + std::to_string(*request.max_tokens) +
                                             " more"));
  }
  seq->max_tokens = request.max_tokens ? *request.max_tokens : room;
  auto sampler = make_sampler(*impl.model, request.sampling, grammar, request.logit_bias);
  if (!sampler.ok()) return sink_.failed(id, sampler.status());
  seq->sampler = std::move(*sampler);
  seq->text = llm::TextStream(request.stop);
  seq->request = std::move(request);
  sink_.accepted(id, n_prompt);
  if (seq->request.echo) sink_.tokens(id, echo_text(seq->request, seq->prompt), 0, {}, {});
  impl.waiting.push_back(std::move(seq));
}

Result<std::vector<Token>> Engine::prompt_tokens(const llm::GenerateRequest& request) const {
  const GgufModel& model = *impl_->model;
  if (!request.prompt_tokens.empty()) {
    MAAS_RETURN_IF_ERROR(model.check_tokens(request.prompt_tokens, "the prompt"));
    return request.prompt_tokens;
  }
  if (request.prompt) return model.tokenize(*request.prompt, /*add_special=*/true);
  MAAS_ASSIGN_OR_RETURN(std::string text, model.render_chat(request.messages));
  // A chat template writes the BOS itself when the model wants one.
  return model.tokenize(text, /*add_special=*/text.rfind(info_.bos_token, 0) != 0);
}

std::string Engine::echo_text(const llm::GenerateRequest& request, const std::vector<Token>& prompt) const {
  if (request.prompt) return *request.prompt;
  std::string text;
  for (Token t : prompt) text += impl_->model->piece(t);
  // Token pieces may split a UTF-8 character; the output is JSON text.
  return llm::TextStream::whole(text);
}

void Engine::drop(uint64_t id) {
  Impl& impl = *impl_;
  for (auto it = impl.waiting.begin(); it != impl.waiting.end(); ++it) {
    if ((*it)->id == id) {
      impl.waiting.erase(it);
      return;
    }
  }
  for (auto& seq : impl.running) {
    if (seq->id == id) return finish(*seq, "", /*cancelled=*/true);
  }
}

// A running sequence is reading the same prompt (the choices of an n > 1 request, or identical requests): after
// this step its cells can be copied rather than computed again.
bool Engine::twin_reading(const Sequence& seq) const {
  if (!impl_->cache->reuses()) return false;
  return std::any_of(impl_->running.begin(), impl_->running.end(), [&](const auto& other) {
    return other->slot >= 0 && other->prefilled < other->prompt.size() && other->prompt == seq.prompt;
  });
}

void Engine::admit() {
  Impl& impl = *impl_;
  while (!impl.waiting.empty()) {
    auto& seq = impl.waiting.front();
    if (twin_reading(*seq)) return;
    // The free slot with the longest cached prefix of this prompt, or a copy of another slot's longer one.
    llm::PrefixCache::Plan plan = impl.cache->plan(seq->prompt);
    if (plan.slot < 0) return;
    if (plan.copy_from >= 0) {
      // Slots are separate KV streams: llama.cpp copies a whole stream (the buffer at the next decode, before
      // that decode writes any cell), and the cells past `keep` are dropped from the copy below.
      llama_memory_seq_cp(impl.memory(), plan.copy_from, plan.slot, -1, -1);
    }
    llama_memory_seq_rm(impl.memory(), plan.slot, static_cast<llama_pos>(plan.keep), -1);
    impl.cache->take(plan, seq->prompt);
    seq->slot = plan.slot;
    seq->prefilled = plan.keep;
    seq->cached = static_cast<int64_t>(plan.keep);
    impl.running.push_back(std::move(seq));
    impl.waiting.pop_front();
  }
}

bool Engine::decode() {
  Impl& impl = *impl_;
  if (impl.batch.n_tokens == 0) return true;
  int32_t rc = llama_decode(impl.ctx, impl.batch);
  if (rc == 0) return true;
  Status error = internal_error("llama_decode failed with code " + std::to_string(rc));
  for (auto& seq : impl.running) {
    if (seq->slot >= 0) {
      sink_.failed(seq->id, error);
      finish(*seq, "", true);
    }
  }
  remove_finished();
  return false;
}

void Engine::step() {
  Impl& impl = *impl_;
  // Plan this step: every generating sequence's next token first, then prompt chunks while the budget lasts.
  // Deterministic mode decodes each sequence's part on its own, so a sequence sees the same batch shapes whether
  // or not others run.
  std::vector<std::pair<Sequence*, std::vector<std::pair<Token, bool>>>> parts;
  // Chunked prefill: prompts get at most prefill_tokens of a step, so a long one is read over several steps, each
  // of which also gives every running sequence its next token.
  const int prefill =
      config_.prefill_tokens > 0 ? std::min(config_.prefill_tokens, config_.batch_tokens) : config_.batch_tokens;
  int budget = config_.batch_tokens;
  for (auto& seq : impl.running) {
    seq->batch_index = -1;
    if (seq->prefilled == seq->prompt.size()) {
      parts.push_back({seq.get(), {{seq->last, true}}});
      --budget;
    }
  }
  budget = std::min(budget, prefill);
  for (auto& seq : impl.running) {
    if (config_.deterministic) budget = prefill;
    if (seq->prefilled == seq->prompt.size() || budget <= 0) continue;
    size_t n = std::min<size_t>(static_cast<size_t>(budget), seq->prompt.size() - seq->prefilled);
    std::vector<std::pair<Token, bool>> chunk;
    for (size_t i = 0; i < n; ++i) {
      size_t at = seq->prefilled + i;
      chunk.push_back({seq->prompt[at], at + 1 == seq->prompt.size()});
    }
    budget -= static_cast<int>(n);
    parts.push_back({seq.get(), std::move(chunk)});
  }
  // In slot (sequence id) order: with one KV stream per sequence, llama.cpp cuts a batch into ubatches of
  // consecutive sequence ids (split_equal), so sequences in arrival order — slots picked by prefix reuse — cost a
  // whole forward pass per run of consecutive ids instead of one per step.
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first->slot < b.first->slot; });
  auto fill = [&](Sequence& seq, const std::vector<std::pair<Token, bool>>& tokens) {
    std::vector<Token>& cells = impl.cache->tokens(seq.slot);
    for (auto [token, logits] : tokens) {
      if (logits) seq.batch_index = impl.batch.n_tokens;
      add_token(impl.batch, token, static_cast<llama_pos>(cells.size()), seq.slot, logits);
      cells.push_back(token);
      if (seq.prefilled < seq.prompt.size()) ++seq.prefilled;
    }
  };
  if (config_.deterministic) {
    for (auto& [seq, tokens] : parts) {
      impl.batch.n_tokens = 0;
      fill(*seq, tokens);
      if (!decode()) return;
      sample(*seq);
    }
  } else {
    impl.batch.n_tokens = 0;
    for (auto& [seq, tokens] : parts) fill(*seq, tokens);
    if (!decode()) return;
    for (auto& [seq, tokens] : parts) sample(*seq);
  }
  remove_finished();
}

void Engine::remove_finished() {
  auto& running = impl_->running;
  running.erase(std::remove_if(running.begin(), running.end(), [](const auto& s) { return s->slot < 0; }), running.end());
}

void Engine::sample(Sequence& seq) {
  Impl& impl = *impl_;
  if (seq.batch_index < 0 || seq.slot < 0) return;
  Token token = sample_token(seq.sampler, impl.ctx, seq.batch_index);
  if (impl.model->is_end_of_generation(token)) return finish(seq, "stop", false);
  std::vector<llm::TokenLogprob> logprobs;
  if (seq.request.logprobs >= 0) {
    logprobs.emplace_back();
    token_logprob(*impl.model, llama_get_logits_ith(impl.ctx, seq.batch_index), seq.request.logit_bias, token,
                  seq.request.logprobs, &logprobs.back());
  }
  seq.batch_index = -1;
  ++seq.generated;
  seq.last = token;
  bool stopped = false;
  const std::string piece = seq.preserved.contains(token) ? impl.model->piece_bytes(token) : impl.model->piece(token);
  std::string text = seq.text.push(piece, &stopped);
  if (seq.tools) {
    ChatDelta delta = seq.tools->push(text, /*last=*/false);
    sink_.tokens(seq.id, delta.content, 1, logprobs, delta.tool_calls);
  } else {
    sink_.tokens(seq.id, text, 1, logprobs, {});
  }
  if (stopped) return finish(seq, "stop", false);
  if (seq.generated >= seq.max_tokens) return finish(seq, "length", false);
}

void Engine::finish(Sequence& seq, const std::string& reason, bool cancelled) {
  Impl& impl = *impl_;
  // The prompt's and the generated tokens' cells stay for prefix reuse (a conversation's next turn starts with
  // both); a cancelled sequence's cells may be mid-prompt and go.
  size_t keep = cancelled ? 0 : impl.cache->tokens(seq.slot).size();
  impl.cache->release(seq.slot, keep);
  llama_memory_seq_rm(impl.memory(), seq.slot, static_cast<llama_pos>(impl.cache->tokens(seq.slot).size()), -1);
  seq.slot = -1;
  if (cancelled) return;
  std::string rest = seq.text.finish();
  if (reason == "stop") rest.clear();
  llm::Completion c;
  c.finish_reason = reason;
  if (seq.tools) {
    // The last push parses strictly: what the stream could only guess at is settled now.
    ChatDelta delta = seq.tools->push(rest, /*last=*/true);
    if (!delta.content.empty() || !delta.tool_calls.empty())
      sink_.tokens(seq.id, delta.content, 0, {}, delta.tool_calls);
    if (seq.tools->has_tool_calls() && reason == "stop") c.finish_reason = "tool_calls";
  } else if (!rest.empty()) {
    sink_.tokens(seq.id, rest, 0, {}, {});
  }
  c.prompt_tokens = static_cast<int64_t>(seq.prompt.size());
  c.completion_tokens = seq.generated;
  c.cached_tokens = seq.cached;
  sink_.done(seq.id, c);
}

void Engine::report_stats() {
  Impl& impl = *impl_;
  llm::EngineStats s;
  s.running = static_cast<int64_t>(impl.running.size());
  s.waiting = static_cast<int64_t>(impl.waiting.size());
  for (const auto& seq : impl.running) s.kv_used_cells += static_cast<int64_t>(impl.cache->tokens(seq->slot).size());
  s.kv_total_cells = static_cast<int64_t>(impl.n_ctx_seq) * static_cast<int64_t>(impl.cache->size());
  const auto& l = impl.last_stats;
  if (s.running == l.running && s.waiting == l.waiting && s.kv_used_cells == l.kv_used_cells) return;
  // KV usage changes every step; send it when the set of sequences changes or it moved by a sixteenth of a slot.
  bool same_set = s.running == l.running && s.waiting == l.waiting;
  if (same_set && std::abs(s.kv_used_cells - l.kv_used_cells) < impl.n_ctx_seq / 16) return;
  impl.last_stats = s;
  sink_.stats(s);
}

void Engine::run_embed(uint64_t id, const llm::EmbedRequest& request) {
  Impl& impl = *impl_;
  if (!impl.embedder) {
    auto made = Embedder::create(*impl.model, impl.n_ctx_seq, config_.threads, *impl.threads);
    if (!made.ok()) return sink_.failed(id, made.status());
    impl.embedder = std::move(*made);
  }
  int64_t tokens = 0;
  auto vectors = impl.embedder->embed(request, &tokens);
  if (!vectors.ok()) return sink_.failed(id, vectors.status());
  sink_.embeddings(id, *vectors, tokens);
}

}  // namespace maas::backends::gguf
