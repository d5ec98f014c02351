#include "runtime/circuit_breaker.h"

#include <vector>

#include <gtest/gtest.h>

namespace maas::runtime {
namespace {
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

CircuitBreakerConfig config() {
  CircuitBreakerConfig c;
  c.consecutive_failures = 3;
  c.base_ejection_ms = 1000;
  c.max_ejection_ms = 2500;
  c.half_open_probes = 1;
  return c;
}

TEST(CircuitBreaker, OpensAfterConsecutiveFailuresOnly) {
  CircuitBreaker b(config());
  Clock::time_point t{};
  b.record_failure(t);
  b.record_failure(t);
  b.record_success(t);  // the run is broken
  b.record_failure(t);
  b.record_failure(t);
  EXPECT_EQ(b.state(t), CircuitState::kClosed);
  EXPECT_TRUE(b.try_acquire(t));
  b.record_failure(t);
  EXPECT_EQ(b.state(t), CircuitState::kOpen);
  EXPECT_FALSE(b.try_acquire(t + 999ms));
}

TEST(CircuitBreaker, HalfOpensAfterEjectionAndLetsOneProbeThrough) {
  CircuitBreaker b(config());
  Clock::time_point t{};
  for (int i = 0; i < 3; ++i) b.record_failure(t);
  EXPECT_EQ(b.state(t + 1s), CircuitState::kHalfOpen);
  EXPECT_TRUE(b.try_acquire(t + 1s));
  EXPECT_FALSE(b.try_acquire(t + 1s));  // the probe is out
  b.record_success(t + 1s);
  EXPECT_EQ(b.state(t + 1s), CircuitState::kClosed);
  EXPECT_TRUE(b.try_acquire(t + 1s));
}

TEST(CircuitBreaker, FailedProbeReopensForLongerUpToTheMaximum) {
  CircuitBreaker b(config());
  Clock::time_point t{};
  for (int i = 0; i < 3; ++i) b.record_failure(t);
  EXPECT_EQ(b.open_until(), t + 1s);
  ASSERT_TRUE(b.try_acquire(t + 1s));
  b.record_failure(t + 1s);  // one failure while half-open is enough
  EXPECT_EQ(b.state(t + 1s), CircuitState::kOpen);
  EXPECT_EQ(b.open_until(), t + 1s + 2s);  // second ejection: twice the base
  ASSERT_TRUE(b.try_acquire(t + 3s));
  b.record_failure(t + 3s);
  EXPECT_EQ(b.open_until(), t + 3s + 2500ms);  // capped at max_ejection_ms
  EXPECT_EQ(b.ejections(), 3);
}

TEST(CircuitBreaker, ReportsEveryTransition) {
  std::vector<std::pair<CircuitState, CircuitState>> seen;
  CircuitBreaker b(config(), [&](CircuitState from, CircuitState to) { seen.emplace_back(from, to); });
  Clock::time_point t{};
  for (int i = 0; i < 3; ++i) b.record_failure(t);
  ASSERT_TRUE(b.try_acquire(t + 1s));
  b.record_success(t + 1s);
  using S = CircuitState;
  EXPECT_EQ(seen, (std::vector<std::pair<S, S>>{{S::kClosed, S::kOpen}, {S::kOpen, S::kHalfOpen}, {S::kHalfOpen, S::kClosed}}));
  EXPECT_EQ(b.transitions(), 3u);
}

TEST(CircuitBreaker, ZeroConsecutiveFailuresTurnsItOff) {
  auto c = config();
  c.consecutive_failures = 0;
  CircuitBreaker b(c);
  for (int i = 0; i < 100; ++i) b.record_failure(Clock::time_point{});
  EXPECT_EQ(b.state(Clock::time_point{}), CircuitState::kClosed);
}

CircuitBreakerConfig share_config() {
  CircuitBreakerConfig c = config();
  c.consecutive_failures = 0;  // only the share opens it
  c.failure_percentage_threshold = 50;
  c.failure_percentage_request_volume = 10;
  c.interval_ms = 10'000;
  return c;
}

TEST(CircuitBreaker, OpensOnTheFailureShareOnceTheIntervalHoldsTheRequestVolume) {
  CircuitBreaker b(share_config());
  Clock::time_point t{};
  for (int i = 0; i < 4; ++i) {
    b.record_failure(t);
    b.record_success(t);
  }
  b.record_failure(t);  // 5 of 9 failed: over the share, under the volume
  EXPECT_EQ(b.state(t), CircuitState::kClosed);
  b.record_success(t);  // 5 of 10: the share is reached, but by a success
  EXPECT_EQ(b.state(t), CircuitState::kClosed);
  b.record_success(t);
  b.record_failure(t);  // 6 of 12
  EXPECT_EQ(b.state(t), CircuitState::kOpen);
}

TEST(CircuitBreaker, TheFailureShareIsCountedPerInterval) {
  CircuitBreaker b(share_config());
  Clock::time_point t{};
  for (int i = 0; i < 9; ++i) b.record_failure(t);
  EXPECT_EQ(b.state(t), CircuitState::kClosed);
  // A new interval: the nine failures before it no longer count.
  for (int i = 0; i < 9; ++i) b.record_success(t + 10s);
  b.record_failure(t + 10s);
  EXPECT_EQ(b.state(t + 10s), CircuitState::kClosed);
}

TEST(CircuitBreaker, ARecoveredReplicaIsNotJudgedOnTheShareThatEjectedIt) {
  CircuitBreaker b(share_config());
  Clock::time_point t{};
  for (int i = 0; i < 10; ++i) b.record_failure(t);
  ASSERT_EQ(b.state(t), CircuitState::kOpen);
  ASSERT_TRUE(b.try_acquire(t + 1s));  // the half-open probe
  b.record_success(t + 1s);
  ASSERT_EQ(b.state(t + 1s), CircuitState::kClosed);
  b.record_failure(t + 1s);
  EXPECT_EQ(b.state(t + 1s), CircuitState::kClosed);
}

TEST(CircuitBreaker, BothTriggersWorkTogether) {
  CircuitBreakerConfig c = share_config();
  c.consecutive_failures = 3;
  CircuitBreaker b(c);
  Clock::time_point t{};
  for (int i = 0; i < 3; ++i) b.record_failure(t);
  EXPECT_EQ(b.state(t), CircuitState::kOpen);
}

TEST(RetryBudget, AllowsAShareOfRecentRequestsWithAFloor) {
  RetryBudget budget(20, 1);
  Clock::time_point t{};
  EXPECT_TRUE(budget.try_retry(t));  // the floor
  EXPECT_FALSE(budget.try_retry(t));
  for (int i = 0; i < 20; ++i) budget.record_request(t);
  EXPECT_TRUE(budget.try_retry(t));  // 20% of 20 = 4, one used
  EXPECT_TRUE(budget.try_retry(t));
  EXPECT_TRUE(budget.try_retry(t));
  EXPECT_FALSE(budget.try_retry(t));
  // The previous window still counts; two windows later everything is forgotten.
  EXPECT_FALSE(budget.try_retry(t + 10s));
  EXPECT_TRUE(budget.try_retry(t + 30s));
}

}  // namespace
}  // namespace maas::runtime
