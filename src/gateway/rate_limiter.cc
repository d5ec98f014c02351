#include "gateway/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace maas::gateway {

LimitDecision LocalRateLimiter::acquire(const std::string& key, double rps, double burst, double cost) {
  auto now = Clock::now();
  std::lock_guard lock(mu_);
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
  LimitDecision d;
  d.limit = burst;
  if (b.tokens >= cost) {
    b.tokens -= cost;
    d.allowed = true;
  } else {
    d.allowed = false;
    d.retry_after_seconds = rps > 0 ? (cost - b.tokens) / rps : 3600;
  }
  d.remaining = std::floor(b.tokens);
  d.reset_seconds = rps > 0 ? (burst - b.tokens) / rps : 0;
  return d;
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
