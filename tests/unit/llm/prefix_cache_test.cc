#include "llm/prefix_cache.h"

#include <gtest/gtest.h>

namespace maas::llm {
namespace {

using Tokens = std::vector<PrefixCache::Token>;

Tokens count(int from, int n) {
  Tokens t;
  for (int i = 0; i < n; ++i) t.push_back(from + i);
  return t;
}

Tokens concat(Tokens a, const Tokens& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Runs `prompt` to the end in the slot the cache picks, holding its cells afterwards; returns the plan.
PrefixCache::Plan run(PrefixCache& cache, const Tokens& prompt) {
  PrefixCache::Plan plan = cache.plan(prompt);
  cache.take(plan, prompt);
  auto& cells = cache.tokens(plan.slot);
  cells.assign(prompt.begin(), prompt.end());
  cache.release(plan.slot, cells.size());
  return plan;
}

TEST(PrefixCache, AFreeSlotWithTheLongestPrefixIsTakenAndTheLastTokenIsNeverKept) {
  PrefixCache cache(2, true, 16);
  Tokens system = count(100, 40);
  run(cache, concat(system, {1}));
  auto plan = cache.plan(concat(system, {2, 3}));
  EXPECT_EQ(plan.copy_from, -1);
  EXPECT_EQ(plan.keep, 40u);
  auto same = cache.plan(concat(system, {1}));
  EXPECT_EQ(same.keep, 40u);  // the whole prompt is cached, but its last token is decoded again
}

TEST(PrefixCache, AnUnrelatedPromptTakesTheLeastRecentlyUsedSlotSoTheHotPrefixSurvives) {
  PrefixCache cache(2, true, 16);
  Tokens system = count(100, 40);
  auto first = run(cache, concat(system, {1}));
  auto other = run(cache, count(500, 10));
  EXPECT_NE(other.slot, first.slot);
  auto again = cache.plan(concat(system, {2}));
  EXPECT_EQ(again.slot, first.slot);
  EXPECT_EQ(again.keep, 40u);
}

TEST(PrefixCache, ALongerPrefixInABusySlotIsCopiedIntoTheLeastRecentlyUsedFreeSlot) {
  PrefixCache cache(3, true, 16);
  Tokens system = count(100, 40);
  auto first = cache.plan(concat(system, {1}));
  cache.take(first, concat(system, {1}));
  cache.tokens(first.slot) = concat(system, {1, 7, 8});  // read and generating
  auto second = cache.plan(concat(system, {2}));
  EXPECT_NE(second.slot, first.slot);
  EXPECT_EQ(second.copy_from, first.slot);
  EXPECT_EQ(second.keep, 40u);
}

TEST(PrefixCache, AShortGainIsComputedUnlessTheCopyCoversTheWholePrompt) {
  PrefixCache cache(2, true, 16);
  Tokens prompt = count(100, 10);
  auto first = cache.plan(prompt);
  cache.take(first, prompt);
  cache.tokens(first.slot) = prompt;
  auto shorter_gain = cache.plan(concat(count(100, 8), {1, 2}));
  EXPECT_EQ(shorter_gain.copy_from, -1);
  EXPECT_EQ(shorter_gain.keep, 0u);
  auto twin = cache.plan(prompt);  // the same prompt: everything but the last token comes from the copy
  EXPECT_EQ(twin.copy_from, first.slot);
  EXPECT_EQ(twin.keep, 9u);
}

TEST(PrefixCache, OffReusesNothingAndKeepsNothing) {
  PrefixCache cache(2, false, 16);
  Tokens prompt = count(100, 40);
  auto first = run(cache, prompt);
  EXPECT_TRUE(cache.tokens(first.slot).empty());
  auto again = cache.plan(prompt);
  EXPECT_EQ(again.keep, 0u);
  EXPECT_EQ(again.copy_from, -1);
}

TEST(PrefixCache, TheLeastRecentlyUsedIdleSlotWithCellsIsEvictedFirst) {
  PrefixCache cache(3, true, 1);
  auto older = run(cache, count(100, 5));
  auto newer = run(cache, count(200, 5));
  auto busy = cache.plan(count(300, 5));
  cache.take(busy, count(300, 5));
  EXPECT_EQ(cache.idle_with_cells(), older.slot);
  cache.evict(older.slot);
  EXPECT_EQ(cache.idle_with_cells(), newer.slot);
  cache.evict(newer.slot);
  EXPECT_EQ(cache.idle_with_cells(), -1);  // the busy slot's cells are never offered
}

TEST(PrefixCache, NoFreeSlotNoPlan) {
  PrefixCache cache(1, true, 16);
  auto first = cache.plan(count(1, 4));
  cache.take(first, count(1, 4));
  EXPECT_EQ(cache.plan(count(1, 4)).slot, -1);
}

}  // namespace
}  // namespace maas::llm
