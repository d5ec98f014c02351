// ReplicaSet: max_ejection_percent (the first open breakers are skipped, at least one, the rest keep serving),
// which replica a scale-down retires first, the lowest free index, and the snapshot the statistics show.
#include "runtime/replica_set.h"

#include <gtest/gtest.h>

namespace maas::runtime {
namespace {
using Clock = std::chrono::steady_clock;

ReplicaSet::Item replica(int index, bool open = false) {
  auto r = std::make_shared<Replica>();
  r->index = index;
  CircuitBreakerConfig config;
  config.consecutive_failures = 1;
  r->breaker = std::make_unique<CircuitBreaker>(config);
  if (open) r->breaker->record_failure(Clock::now());
  return r;
}

TEST(ReplicaSet, AtMostTheEjectionShareOfReplicasIsSkippedAndAlwaysAtLeastOne) {
  auto now = Clock::now();
  ReplicaSet half(50);
  std::vector<ReplicaSet::Item> r = {replica(0, true), replica(1, true), replica(2, true), replica(3)};
  for (const auto& x : r) half.add(x);
  EXPECT_TRUE(half.ejected(*r[0], now));
  EXPECT_TRUE(half.ejected(*r[1], now));
  EXPECT_FALSE(half.ejected(*r[2], now));  // beyond 50% of 4: it keeps serving
  EXPECT_FALSE(half.ejected(*r[3], now));  // closed

  ReplicaSet single(10);  // 10% of one replica rounds down to 0, but one may always be ejected
  auto only = replica(0, true);
  single.add(only);
  EXPECT_TRUE(single.ejected(*only, now));

  ReplicaSet never(0);
  never.add(only);
  EXPECT_FALSE(never.ejected(*only, now));
}

TEST(ReplicaSet, ReplicasWithoutALiveWorkerAreNeitherAliveNorUsable) {
  ReplicaSet set(50);
  auto a = replica(0);
  a->ready = true;
  set.add(a);
  EXPECT_FALSE(a->alive());
  EXPECT_FALSE(set.any_alive());
  EXPECT_FALSE(set.any_usable(Clock::now()));
  EXPECT_EQ(set.serving(), 0);
}

TEST(ReplicaSet, AScaleDownRetiresAStartingReplicaThenAnIdleOneThenABusyOneHighestIndexFirst) {
  ReplicaSet set(50);
  auto busy = replica(0), idle_low = replica(1), idle_high = replica(2), starting = replica(3), gone = replica(4);
  busy->ready = idle_low->ready = idle_high->ready = true;
  busy->busy = true;
  starting->starting = true;
  gone->retiring = true;
  for (const auto& x : {busy, idle_low, idle_high, starting, gone}) set.add(x);
  EXPECT_EQ(set.retire_candidate(), starting);
  starting->retiring = true;
  EXPECT_EQ(set.retire_candidate(), idle_high);
  idle_high->retiring = true;
  EXPECT_EQ(set.retire_candidate(), idle_low);
  idle_low->retiring = true;
  EXPECT_EQ(set.retire_candidate(), busy);
  busy->retiring = true;
  EXPECT_EQ(set.retire_candidate(), nullptr);
  EXPECT_EQ(set.not_retiring(), 0);
}

TEST(ReplicaSet, TheLowestFreeIndexIsReusedAndRemovedReplicasGo) {
  ReplicaSet set(50);
  auto a = replica(0), b = replica(1), c = replica(2);
  for (const auto& x : {a, b, c}) set.add(x);
  EXPECT_EQ(set.lowest_free_index(), 3);
  set.remove(b);
  EXPECT_EQ(set.lowest_free_index(), 1);
  EXPECT_EQ(set.all().size(), 2u);
}

TEST(ReplicaSet, StartingAndBusyAreSeenAndTheSnapshotShowsEachReplica) {
  ReplicaSet set(50);
  auto a = replica(0, /*open=*/true), b = replica(1);
  b->starting = true;
  b->busy = true;
  b->restarts = 2;
  set.add(a);
  set.add(b);
  EXPECT_TRUE(set.any_starting());
  EXPECT_TRUE(set.any_busy());
  auto snapshot = set.snapshot();
  ASSERT_EQ(snapshot.size(), 2u);
  EXPECT_EQ(snapshot[0].circuit, CircuitState::kOpen);
  EXPECT_EQ(snapshot[0].ejections, 1);
  EXPECT_EQ(snapshot[1].index, 1);
  EXPECT_EQ(snapshot[1].restarts, 2u);
  EXPECT_TRUE(snapshot[1].busy);
  EXPECT_FALSE(snapshot[1].alive);
  EXPECT_EQ(snapshot[1].pid, 0);
}

}  // namespace
}  // namespace maas::runtime
