// A per-replica circuit breaker (Envoy's outlier detection for one host) and a retry budget (Envoy's
// retry_budget). Both are plain state machines that take the time as an argument, so tests drive them with a
// fake clock.
//
// Threading: not thread-safe; a ModelRunner uses them on its strand only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

namespace maas::runtime {

struct CircuitBreakerConfig {
  int consecutive_failures = 5;  // failures in a row that open the breaker; 0 turns this trigger off
  // Envoy's failure_percentage: the breaker also opens when at least this share (%) of the replica's requests in
  // the current interval failed, once the interval holds failure_percentage_request_volume requests. 0: off.
  int failure_percentage_threshold = 0;
  int failure_percentage_request_volume = 50;
  int64_t interval_ms = 10'000;
  int64_t base_ejection_ms = 10'000;  // first ejection; the n-th lasts n times as long ...
  int64_t max_ejection_ms = 300'000;  // ... up to this
  int max_ejection_percent = 50;      // at most this share of a version's replicas is skipped (at least one)
  int half_open_probes = 1;           // requests let through at once while half-open
  int retry_budget_percent = 20;      // retries allowed, as a share of the requests of the last 10 s
  int min_retries = 3;                // retries always allowed per 10 s, however few the requests
};

enum class CircuitState { kClosed = 0, kOpen = 1, kHalfOpen = 2 };
std::string_view circuit_state_name(CircuitState state);  // "closed", "open", "half_open"

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;
  using Listener = std::function<void(CircuitState from, CircuitState to)>;

  explicit CircuitBreaker(CircuitBreakerConfig config, Listener on_transition = {});

  // The state at `now`: an open breaker whose ejection time is over becomes half-open here.
  CircuitState state(Clock::time_point now);
  // Whether a request may go to this replica now; a half-open breaker lets `half_open_probes` through, then waits
  // for their outcome. A caller that gets true must report the outcome with record_*.
  bool try_acquire(Clock::time_point now);
  void record_success(Clock::time_point now);
  void record_failure(Clock::time_point now);

  CircuitState current() const { return state_; }  // as last evaluated, without moving open -> half-open
  Clock::time_point open_until() const { return open_until_; }
  int ejections() const { return ejections_; }
  int consecutive_failures() const { return consecutive_failures_; }
  uint64_t transitions() const { return transitions_; }

 private:
  void move_to(CircuitState to);
  void open(Clock::time_point now);

  bool enabled() const { return config_.consecutive_failures > 0 || config_.failure_percentage_threshold > 0; }
  // Counts one outcome in the current interval; true when the failure share now opens the breaker.
  bool count_outcome(Clock::time_point now, bool failed);

  CircuitBreakerConfig config_;
  Listener on_transition_;
  CircuitState state_ = CircuitState::kClosed;
  int consecutive_failures_ = 0;
  int ejections_ = 0;  // the ejection-time multiplier; decays while the replica stays healthy
  int probes_in_flight_ = 0;
  Clock::time_point open_until_{};
  Clock::time_point healthy_since_{};
  uint64_t transitions_ = 0;
  Clock::time_point interval_start_{};
  uint64_t interval_requests_ = 0, interval_failures_ = 0;
};

// Retries <= max(min_retries, percent of the requests) counted over the current and the previous 10 s window.
class RetryBudget {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kWindow{10};

  RetryBudget(int percent, int min_retries) : percent_(percent), min_retries_(min_retries) {}
  void record_request(Clock::time_point now);
  // True (and counted) when one more retry fits the budget.
  bool try_retry(Clock::time_point now);

 private:
  void roll(Clock::time_point now);

  int percent_;
  int min_retries_;
  Clock::time_point window_start_{};
  uint64_t requests_ = 0, retries_ = 0;            // this window
  uint64_t last_requests_ = 0, last_retries_ = 0;  // the previous one
};

}  // namespace maas::runtime
