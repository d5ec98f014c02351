// The one restart and retry delay of maas: 250 ms after the first failure, doubling up to 30 s, as systemd's
// RestartSec with a steps limit. Model and LLM workers restart by it; the job system retries by it.
//
// Thread-safety: immutable after construction; share freely.
#pragma once

#include <chrono>
#include <cstdint>

namespace maas::supervisor {

class Backoff {
 public:
  constexpr Backoff() = default;
  constexpr Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max) : initial_(initial), max_(max) {}

  // The delay before retry number `failures` (1 after the first failure): initial * 2^(failures-1), at most max.
  std::chrono::milliseconds delay(uint64_t failures) const;

  std::chrono::milliseconds initial() const { return initial_; }
  std::chrono::milliseconds max() const { return max_; }

 private:
  std::chrono::milliseconds initial_{250};
  std::chrono::milliseconds max_{30'000};
};

// How often a supervised thing is started again after it fails, and how long to wait in between.
struct RestartPolicy {
  Backoff backoff;
  uint32_t max_attempts = 0;  // attempts in all, the first included; 0: no limit (a worker restarts for ever)

  // True when attempt number `attempts` (1-based) may be followed by another.
  bool may_retry(uint32_t attempts) const { return max_attempts == 0 || attempts < max_attempts; }
};

}  // namespace maas::supervisor
