// Token buckets: `rps` tokens a second up to `burst`, one token a request (or one per LLM token for
// tokens-per-minute limits). Behind an interface so that a Redis-backed limiter shared by a cluster can replace
// the local one without touching callers.
//
// Request limits take their token up front (acquire). Token limits cannot: a generation's size is known only when
// it ends. So a request is admitted while the bucket is not empty (peek) and its tokens are charged afterwards
// (charge), which may leave the bucket in debt — the next requests wait until it refills, so the long-run rate
// holds exactly (as OpenAI's and LiteLLM's tokens-per-minute limits behave).
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
  // Whether the bucket holds at least one token, taking none.
  virtual LimitDecision peek(const std::string& key, double rps, double burst) = 0;
  // Takes `cost` tokens whatever the bucket holds; the debt is bounded by one `burst`.
  virtual void charge(const std::string& key, double rps, double burst, double cost) = 0;
};

// One process's buckets, in memory. Buckets idle long enough to be full again are dropped by sweep().
class LocalRateLimiter final : public RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  LimitDecision acquire(const std::string& key, double rps, double burst, double cost = 1) override;
  LimitDecision peek(const std::string& key, double rps, double burst) override;
  void charge(const std::string& key, double rps, double burst, double cost) override;
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
  // The bucket for `key`, refilled up to now (created full, resized when its limits changed). Holds mu_.
  Bucket& refill_locked(const std::string& key, double rps, double burst, Clock::time_point now);
  static LimitDecision decide(const Bucket& b, bool allowed, double need);

  static constexpr size_t kSweepAt = 100'000;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace maas::gateway
