#include "gateway/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace maas::gateway {

LocalRateLimiter::Bucket& LocalRateLimiter::refill_locked(const std::string& key, double rps, double burst,
                                                          Clock::time_point now) {
  if (buckets_.size() >= kSweepAt) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      double elapsed = std::chrono::duration<double>(now - it->second.updated).count();
      it = it->second.tokens + elapsed * it->second.rps >= it->second.burst ? buckets_.erase(it) : std::next(it);
    }
  }
  auto [it, inserted] = buckets_.try_emplace(key);
  Bucket& b = it->second;
  if (inserted || b.rps != rps || b.burst != burst) {
    // New, or its limits changed: start full at the new size (a changed limit applies at once).
    b.tokens = inserted ? burst : std::min(b.tokens, burst);
    b.rps = rps;
    b.burst = burst;
    b.updated = now;
  }
  double elapsed = std::chrono::duration<double>(now - b.updated).count();
  b.tokens = std::min(burst, b.tokens + elapsed * rps);
  b.updated = now;
  return b;
}

LimitDecision LocalRateLimiter::decide(const Bucket& b, bool allowed, double need) {
  LimitDecision d;
  d.limit = b.burst;
  d.allowed = allowed;
  if (!allowed) d.retry_after_seconds = b.rps > 0 ? (need - b.tokens) / b.rps : 3600;
  d.remaining = std::max(0.0, std::floor(b.tokens));
  d.reset_seconds = b.rps > 0 ? (b.burst - b.tokens) / b.rps : 0;
  return d;
}

LimitDecision LocalRateLimiter::acquire(const std::string& key, double rps, double burst, double cost) {
  std::lock_guard lock(mu_);
  Bucket& b = refill_locked(key, rps, burst, Clock::now());
  bool allowed = b.tokens >= cost;
  if (allowed) b.tokens -= cost;
  return decide(b, allowed, cost);
}

LimitDecision LocalRateLimiter::peek(const std::string& key, double rps, double burst) {
  std::lock_guard lock(mu_);
  Bucket& b = refill_locked(key, rps, burst, Clock::now());
  return decide(b, b.tokens >= 1, 1);
}

void LocalRateLimiter::charge(const std::string& key, double rps, double burst, double cost) {
  std::lock_guard lock(mu_);
  Bucket& b = refill_locked(key, rps, burst, Clock::now());
  b.tokens = std::max(-burst, b.tokens - cost);
}

void LocalRateLimiter::sweep() {
  auto now = Clock::now();
  std::lock_guard lock(mu_);
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    double elapsed = std::chrono::duration<double>(now - it->second.updated).count();
    it = it->second.tokens + elapsed * it->second.rps >= it->second.burst ? buckets_.erase(it) : std::next(it);
  }
}

size_t LocalRateLimiter::size() const {
  std::lock_guard lock(mu_);
  return buckets_.size();
}

}  // namespace maas::gateway
