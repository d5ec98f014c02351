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
#include "backends/gguf/engine_state.h"
#include "backends/gguf/sampler.h"
#include "llm/prefix_cache.h"
#include "llm/text_stream.h"

namespace maas::backends::gguf {
namespace {

constexpr int kDefaultMaxContext = 4096;
// Slots are separate KV streams, and llama.cpp copies one into another whole (every cell of every layer): for a
// handful of tokens computing them is as cheap, for a shared system prompt the copy is far cheaper.
constexpr size_t kMinCopyTokens = 16;

}  // namespace

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
  const bool shared_kv = config.kv_cells > 0;
  if (shared_kv && config.kv_cells < per_seq) {
    return invalid_argument("gguf: kv_cells (" + std::to_string(config.kv_cells) +
                            ") must hold one sequence's context (" + std::to_string(per_seq) + ")");
  }
  llama_context_params p = llama_context_default_params();
  p.n_seq_max = static_cast<uint32_t>(config.max_sequences);
  p.n_ctx = static_cast<uint32_t>(shared_kv ? config.kv_cells : per_seq * config.max_sequences);
  p.n_batch = static_cast<uint32_t>(config.batch_tokens);
  p.n_ubatch = static_cast<uint32_t>(config.batch_tokens);
  p.n_threads = config.threads;
  p.n_threads_batch = config.threads;
  // One KV stream per sequence: a sequence's attention never spans cells of another, so what it computes does not
  // depend on who else is running. With kv_cells, one stream that sequences share (and fill: then preemption).
  p.kv_unified = shared_kv;
  p.no_perf = true;
  impl.ctx = llama_init_from_model(impl.model->model(), p);
  if (!impl.ctx) return invalid_argument("gguf: llama.cpp could not create a context of " + std::to_string(p.n_ctx) + " tokens");
  MAAS_ASSIGN_OR_RETURN(impl.threads, CpuThreadpool::create(config.threads));
  impl.threads->attach(impl.ctx);
  impl.n_ctx_seq = shared_kv ? per_seq : static_cast<int>(llama_n_ctx_seq(impl.ctx));
  impl.batch = llama_batch_init(config.batch_tokens, 0, 1);
  // In one shared stream a copy only adds the sequence id to the cells: worth it for a single token.
  impl.cache =
      std::make_unique<llm::PrefixCache>(static_cast<size_t>(config.max_sequences),
                                         config.prefix_cache && !config.deterministic, shared_kv ? 1 : kMinCopyTokens);
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
  seq->prompt_tokens = n_prompt;
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
  impl.admission_paused = false;
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
  c.prompt_tokens = seq.prompt_tokens;
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
  s.kv_total_cells = static_cast<int64_t>(llama_n_ctx(impl.ctx));
  s.preemptions = impl.preemptions;
  const auto& l = impl.last_stats;
  bool same_set = s.running == l.running && s.waiting == l.waiting && s.preemptions == l.preemptions;
  if (same_set && s.kv_used_cells == l.kv_used_cells) return;
  // KV usage changes every step; send it when the set of sequences changes or it moved by a sixteenth of a slot.
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
