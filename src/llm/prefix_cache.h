// The prefix cache of a slot-based engine: which tokens each slot's KV cells hold, which free slot a new prompt
// takes and how much of the prompt is already computed, in this slot or in another one whose cells can be copied.
// Pure bookkeeping (no model calls): the engine applies a Plan to its KV cache.
//
// Threading: not synchronised; the engine's thread owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace maas::llm {

class PrefixCache {
 public:
  using Token = int32_t;

  struct Plan {
    int slot = -1;       // the free slot the prompt takes; -1 when none is free
    int copy_from = -1;  // a slot whose cells are copied into `slot` first; -1: none
    size_t keep = 0;     // prompt tokens whose cells are reused (never the last: its logits give the first token)
  };

  // `reuse` false: nothing is reused or kept (every plan keeps 0 tokens). `min_copy` is the fewest tokens a copy
  // must add over the slot's own prefix (a copy moves a whole slot's cells), unless it covers the whole prompt.
  PrefixCache(size_t slots, bool reuse, size_t min_copy);

  // The free slot holding the longest prefix of `prompt` (ties: the least recently used, so a hot prefix outlives
  // unrelated requests), or, when another slot (busy or not) holds at least `min_copy` more, the least recently
  // used free slot with a copy of that one.
  Plan plan(const std::vector<Token>& prompt) const;
  // The prompt runs in plan.slot, whose cells now hold prompt[0, keep).
  void take(const Plan& plan, const std::vector<Token>& prompt);
  // The slot's sequence ended; its cells keep their first `keep` tokens (0 when reuse is off).
  void release(int slot, size_t keep);
  // The least recently used free slot that holds cells, -1 when none does; evict() forgets its cells.
  int idle_with_cells() const;
  void evict(int slot) { slots_[static_cast<size_t>(slot)].tokens.clear(); }

  // The tokens whose cells the slot holds; the engine appends what it decodes.
  std::vector<Token>& tokens(int slot) { return slots_[static_cast<size_t>(slot)].tokens; }
  size_t size() const { return slots_.size(); }
  bool reuses() const { return reuse_; }

 private:
  struct Slot {
    std::vector<Token> tokens;
    bool busy = false;
    uint64_t used = 0;  // when it was last taken or released: the LRU order
  };

  std::vector<Slot> slots_;
  bool reuse_;
  size_t min_copy_;
  uint64_t clock_ = 0;
};

}  // namespace maas::llm
