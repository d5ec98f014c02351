#include "llm/prefix_cache.h"

#include <algorithm>

namespace maas::llm {
namespace {

size_t common_prefix(const std::vector<PrefixCache::Token>& a, const std::vector<PrefixCache::Token>& b) {
  auto [ia, ib] =
      std::mismatch(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(std::min(a.size(), b.size())), b.begin());
  return static_cast<size_t>(ia - a.begin());
}

}  // namespace

PrefixCache::PrefixCache(size_t slots, bool reuse, size_t min_copy)
    : slots_(slots), reuse_(reuse), min_copy_(min_copy) {}

PrefixCache::Plan PrefixCache::plan(const std::vector<Token>& prompt) const {
  Plan plan;
  if (prompt.empty()) return plan;
  const size_t last = prompt.size() - 1;
  int lru = -1;
  size_t own = 0;
  for (size_t i = 0; i < slots_.size(); ++i) {
    const Slot& slot = slots_[i];
    if (slot.busy) continue;
    int index = static_cast<int>(i);
    if (lru < 0 || slot.used < slots_[static_cast<size_t>(lru)].used) lru = index;
    size_t prefix = reuse_ ? std::min(common_prefix(slot.tokens, prompt), last) : 0;
    bool older = plan.slot >= 0 && slot.used < slots_[static_cast<size_t>(plan.slot)].used;
    if (plan.slot < 0 || prefix > own || (prefix == own && older)) {
      plan.slot = index;
      own = prefix;
    }
  }
  plan.keep = own;
  if (plan.slot < 0 || !reuse_) return plan;
  int source = -1;
  size_t longest = own;
  for (size_t i = 0; i < slots_.size(); ++i) {
    size_t prefix = std::min(common_prefix(slots_[i].tokens, prompt), last);
    if (prefix > longest) {
      source = static_cast<int>(i);
      longest = prefix;
    }
  }
  if (source >= 0 && (longest - own >= min_copy_ || longest == last)) {
    // The copy replaces the destination's cells, so the destination is the free slot whose cells matter least.
    plan.slot = lru;
    plan.copy_from = source;
    plan.keep = longest;
  }
  return plan;
}

void PrefixCache::take(const Plan& plan, const std::vector<Token>& prompt) {
  Slot& slot = slots_[static_cast<size_t>(plan.slot)];
  slot.tokens.assign(prompt.begin(), prompt.begin() + static_cast<std::ptrdiff_t>(plan.keep));
  slot.busy = true;
  slot.used = ++clock_;
}

void PrefixCache::release(int index, size_t keep) {
  Slot& slot = slots_[static_cast<size_t>(index)];
  slot.tokens.resize(reuse_ ? std::min(keep, slot.tokens.size()) : 0);
  slot.busy = false;
  slot.used = ++clock_;
}

int PrefixCache::idle_with_cells() const {
  int found = -1;
  for (size_t i = 0; i < slots_.size(); ++i) {
    const Slot& slot = slots_[i];
    if (slot.busy || slot.tokens.empty()) continue;
    if (found < 0 || slot.used < slots_[static_cast<size_t>(found)].used) found = static_cast<int>(i);
  }
  return found;
}

}  // namespace maas::llm
