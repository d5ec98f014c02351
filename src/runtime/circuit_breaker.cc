#include "runtime/circuit_breaker.h"

#include <algorithm>

namespace maas::runtime {

std::string_view circuit_state_name(CircuitState state) {
  switch (state) {
    case CircuitState::kClosed: return "closed";
    case CircuitState::kOpen: return "open";
    case CircuitState::kHalfOpen: return "half_open";
  }
  return "unknown";
}

CircuitBreaker::CircuitBreaker(CircuitBreakerConfig config, Listener on_transition)
    : config_(config), on_transition_(std::move(on_transition)) {}

void CircuitBreaker::move_to(CircuitState to) {
  if (to == state_) return;
  CircuitState from = state_;
  state_ = to;
  ++transitions_;
  if (on_transition_) on_transition_(from, to);
}

void CircuitBreaker::open(Clock::time_point now) {
  ++ejections_;
  int64_t ms = std::min<int64_t>(config_.max_ejection_ms, config_.base_ejection_ms * ejections_);
  open_until_ = now + std::chrono::milliseconds(ms);
  probes_in_flight_ = 0;
  consecutive_failures_ = 0;
  interval_requests_ = interval_failures_ = 0;  // a probed replica starts over, not judged on what ejected it
  interval_start_ = now;
  move_to(CircuitState::kOpen);
}

CircuitState CircuitBreaker::state(Clock::time_point now) {
  if (state_ == CircuitState::kOpen && now >= open_until_) move_to(CircuitState::kHalfOpen);
  return state_;
}

bool CircuitBreaker::try_acquire(Clock::time_point now) {
  switch (state(now)) {
    case CircuitState::kClosed: return true;
    case CircuitState::kOpen: return false;
    case CircuitState::kHalfOpen:
      if (probes_in_flight_ >= std::max(1, config_.half_open_probes)) return false;
      ++probes_in_flight_;
      return true;
  }
  return false;
}

bool CircuitBreaker::count_outcome(Clock::time_point now, bool failed) {
  if (now - interval_start_ >= std::chrono::milliseconds(config_.interval_ms)) {
    interval_start_ = now;
    interval_requests_ = interval_failures_ = 0;
  }
  ++interval_requests_;
  if (failed) ++interval_failures_;
  // Judged as outcomes arrive rather than only at the interval's end (Envoy's sweep): a replica failing most of
  // its requests is ejected within the request volume, not up to an interval later.
  return failed && config_.failure_percentage_threshold > 0 &&
         interval_requests_ >= static_cast<uint64_t>(std::max(1, config_.failure_percentage_request_volume)) &&
         interval_failures_ * 100 >= interval_requests_ * static_cast<uint64_t>(config_.failure_percentage_threshold);
}

void CircuitBreaker::record_success(Clock::time_point now) {
  consecutive_failures_ = 0;
  if (state_ == CircuitState::kClosed) count_outcome(now, false);
  if (state_ == CircuitState::kHalfOpen) {
    probes_in_flight_ = 0;
    healthy_since_ = now;
    move_to(CircuitState::kClosed);
  } else if (state_ == CircuitState::kClosed && ejections_ > 0 &&
             now - healthy_since_ >= std::chrono::milliseconds(config_.base_ejection_ms)) {
    // Healthy for a while: the next ejection is shorter again (Envoy decrements its multiplier the same way).
    --ejections_;
    healthy_since_ = now;
  }
}

void CircuitBreaker::record_failure(Clock::time_point now) {
  if (!enabled()) return;
  switch (state(now)) {
    case CircuitState::kOpen: return;  // a late answer from before the ejection
    case CircuitState::kHalfOpen: open(now); return;
    case CircuitState::kClosed: {
      bool by_share = count_outcome(now, true);
      bool in_a_row = config_.consecutive_failures > 0 && ++consecutive_failures_ >= config_.consecutive_failures;
      if (by_share || in_a_row) open(now);
      return;
    }
  }
}

void RetryBudget::roll(Clock::time_point now) {
  if (now - window_start_ < kWindow) return;
  bool adjacent = now - window_start_ < 2 * kWindow;
  last_requests_ = adjacent ? requests_ : 0;
  last_retries_ = adjacent ? retries_ : 0;
  requests_ = retries_ = 0;
  window_start_ = now;
}

void RetryBudget::record_request(Clock::time_point now) {
  roll(now);
  ++requests_;
}

bool RetryBudget::try_retry(Clock::time_point now) {
  roll(now);
  uint64_t requests = requests_ + last_requests_;
  uint64_t allowed = std::max<uint64_t>(static_cast<uint64_t>(min_retries_),
                                        requests * static_cast<uint64_t>(std::max(0, percent_)) / 100);
  if (retries_ + last_retries_ >= allowed) return false;
  ++retries_;
  return true;
}

}  // namespace maas::runtime
