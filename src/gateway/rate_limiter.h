// Token buckets: `rps` tokens a second up to `burst`, one token a request (or one per LLM token for
// tokens-per-minute limits). Behind an interface so that a Redis-backed limiter shared by a cluster can replace
// the local one without touching callers.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace maas::gateway {

struct LimitDecision {
  bool allowed = true;
  double limit = 0;           // the bucket's capacity (burst)
  double remaining = 0;       // whole tokens left after this request
  double reset_seconds = 0;   // until the bucket is full again
  double retry_after_seconds = 0;  // until one token is there (when refused)
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Takes `cost` tokens from the bucket named `key` (created full on first use) if it holds them.
  virtual LimitDecision acquire(const std::string& key, double rps, double burst, double cost = 1) = 0;
};

// One process's buckets, in memory. Buckets idle long enough to be full again are dropped by sweep().
class LocalRateLimiter final : public RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  LimitDecision acquire(const std::string& key, double rps, double burst, double cost = 1) override;
  // Forgets buckets that are full (they would be re-created full); bounds memory under key churn.
  void sweep();
  size_t size() const;

 private:
  struct Bucket {
    double tokens = 0;
    double rps = 0;
    double burst = 0;
    Clock::time_point updated;
  };
  static constexpr size_t kSweepAt = 100'000;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace maas::gateway
