#include <llama.h>

#include <algorithm>

#include "backends/gguf/engine.h"
#include "backends/gguf/engine_state.h"

namespace maas::backends::gguf {
namespace {

void add_token(llama_batch& batch, Token token, llama_pos pos, llama_seq_id seq, bool logits) {
  int i = batch.n_tokens++;
  batch.token[i] = token;
  batch.pos[i] = pos;
  batch.n_seq_id[i] = 1;
  batch.seq_id[i][0] = seq;
  batch.logits[i] = static_cast<int8_t>(logits);
}

}  // namespace

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
  // After a preemption the shared KV cache is full: nothing joins until a sequence ends and frees cells.
  if (impl.admission_paused) return;
  while (!impl.waiting.empty()) {
    auto& seq = impl.waiting.front();
    if (twin_reading(*seq)) return;
    // The free slot with the longest cached prefix of this prompt, or a copy of another slot's longer one.
    llm::PrefixCache::Plan plan = impl.cache->plan(seq->prompt);
    if (plan.slot < 0) return;
    if (plan.copy_from >= 0) {
      // Separate KV streams: llama.cpp copies a whole stream (the buffer at the next decode, before that decode
      // writes any cell). One shared cache: the cells gain the slot's id, and its own old ones must go first.
      llama_memory_seq_rm(impl.memory(), plan.slot, -1, -1);
      llama_memory_seq_cp(impl.memory(), plan.copy_from, plan.slot, -1, -1);
    }
    // The cells past `keep` (of the slot's own or copied ones) go.
    llama_memory_seq_rm(impl.memory(), plan.slot, static_cast<llama_pos>(plan.keep), -1);
    impl.cache->take(plan, seq->prompt);
    seq->slot = plan.slot;
    seq->prefilled = plan.keep;
    seq->admitted = ++impl.admissions;
    if (seq->preemptions == 0) seq->cached = static_cast<int64_t>(plan.keep);
    impl.running.push_back(std::move(seq));
    impl.waiting.pop_front();
  }
}

bool Engine::decode() {
  Impl& impl = *impl_;
  if (impl.batch.n_tokens == 0) return true;
  int32_t rc = llama_decode(impl.ctx, impl.batch);
  if (rc == 0) return true;
  fail_running(rc);
  return false;
}

void Engine::fail_running(int32_t rc) {
  Impl& impl = *impl_;
  Status error = internal_error("llama_decode failed with code " + std::to_string(rc));
  for (auto& seq : impl.running) {
    if (seq->slot >= 0) {
      sink_.failed(seq->id, error);
      finish(*seq, "", true);
    }
  }
  remove_finished();
}

// Every generating sequence's next token first, then prompt chunks while the budget lasts, in slot order.
std::vector<Engine::Part> Engine::plan_step() {
  Impl& impl = *impl_;
  std::vector<Part> parts;
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
    // Deterministic mode decodes each part on its own: a prompt is chunked the same whoever else runs.
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
  return parts;
}

void Engine::fill(Sequence& seq, const std::vector<std::pair<Token, bool>>& tokens) {
  Impl& impl = *impl_;
  std::vector<Token>& cells = impl.cache->tokens(seq.slot);
  for (auto [token, logits] : tokens) {
    if (logits) seq.batch_index = impl.batch.n_tokens;
    add_token(impl.batch, token, static_cast<llama_pos>(cells.size()), seq.slot, logits);
    cells.push_back(token);
    if (seq.prefilled < seq.prompt.size()) ++seq.prefilled;
  }
}

void Engine::step() {
  Impl& impl = *impl_;
  if (config_.deterministic) {
    for (auto& [seq, tokens] : plan_step()) {
      impl.batch.n_tokens = 0;
      fill(*seq, tokens);
      if (!decode()) return;
      sample(*seq);
    }
    return remove_finished();
  }
  for (;;) {
    std::vector<Part> parts = plan_step();
    std::vector<std::pair<size_t, size_t>> before;  // each part's cells and prefilled tokens, to undo a refusal
    impl.batch.n_tokens = 0;
    for (auto& [seq, tokens] : parts) {
      before.emplace_back(impl.cache->tokens(seq->slot).size(), seq->prefilled);
      fill(*seq, tokens);
    }
    int32_t rc = impl.batch.n_tokens == 0 ? 0 : llama_decode(impl.ctx, impl.batch);
    if (rc == 0) {
      for (auto& [seq, tokens] : parts) sample(*seq);
      return remove_finished();
    }
    // 1: no room in the KV cache for the batch, refused before anything was computed or written.
    if (rc == 1) {
      for (size_t i = 0; i < parts.size(); ++i) {
        impl.cache->tokens(parts[i].first->slot).resize(before[i].first);
        parts[i].first->prefilled = before[i].second;
      }
      if (make_room()) continue;
    }
    return fail_running(rc);
  }
}

// The shared KV cache is full: the least recently used idle slot's cells go, else the sequence admitted last is
// preempted — its cells freed, itself first in the queue to read its prompt and output again. False when nothing
// more can be freed (one KV cache per sequence never fills: a sequence's context is checked when it arrives).
bool Engine::make_room() {
  Impl& impl = *impl_;
  if (config_.kv_cells == 0) return false;
  if (int idle = impl.cache->idle_with_cells(); idle >= 0) {
    llama_memory_seq_rm(impl.memory(), idle, -1, -1);
    impl.cache->evict(idle);
    return true;
  }
  if (impl.running.size() < 2) return false;
  auto youngest = std::max_element(impl.running.begin(), impl.running.end(),
                                   [](const auto& a, const auto& b) { return a->admitted < b->admitted; });
  std::unique_ptr<Sequence> seq = std::move(*youngest);
  impl.running.erase(youngest);
  std::vector<Token>& cells = impl.cache->tokens(seq->slot);
  if (seq->prefilled == seq->prompt.size()) {
    // Generating: it reads again what its cells held and then the token it was to feed next, whose logits give
    // the token this step would have sampled; its sampler has seen its output already.
    seq->prompt.assign(cells.begin(), cells.end());
    seq->prompt.push_back(seq->last);
  }
  llama_memory_seq_rm(impl.memory(), seq->slot, -1, -1);
  impl.cache->release(seq->slot, 0);
  seq->slot = -1;
  seq->prefilled = 0;
  seq->batch_index = -1;
  impl.admission_paused = true;
  ++impl.preemptions;
  if (++seq->preemptions > config_.max_preemptions) {
    sink_.failed(seq->id, Status(StatusCode::kResourceExhausted, "the KV cache is full: this request was preempted " +
                                                                     std::to_string(seq->preemptions) +
                                                                     " times (max_preemptions)"));
    return true;
  }
  impl.waiting.push_front(std::move(seq));
  return true;
}

void Engine::remove_finished() {
  auto& running = impl_->running;
  running.erase(std::remove_if(running.begin(), running.end(), [](const auto& s) { return s->slot < 0; }),
                running.end());
}

}  // namespace maas::backends::gguf
