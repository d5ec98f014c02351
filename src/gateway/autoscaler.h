// Autoscaling of a service's versions, after Knative's pod autoscaler (KPA): the load per replica averaged over a
// stable window (default 60 s) and a panic window (default 10% of it). Normally the replica count follows the
// stable average; when the panic window sees at least panic_threshold_percent of what the ready replicas are meant
// to carry, the autoscaler panics: it scales up at once on the panic average and does not scale down until a
// whole stable window has passed without that. Scale-up and scale-down rates and min/max bound every step; with
// min_replicas 0 a version idle for a stable window and scale_to_zero_grace_s goes to 0 replicas (the runner
// starts one again when a request arrives).
//
// Pure decision logic: no clock of its own, no I/O. Not thread-safe: one owner (the gateway's controller).
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace maas::gateway {

// A service's "autoscaling" object (parsed with the rest of the spec in service.cc).
struct AutoscalingSpec {
  int min_replicas = 1;                  // 0: scale to zero when idle
  int max_replicas = 4;
  std::string metric = "concurrency";    // concurrency (requests queued or running) | queue_depth (waiting only)
  double target = 1;                     // of the metric, per replica
  double stable_window_s = 60;
  double panic_window_s = 6;             // default: 10% of the stable window
  double panic_threshold_percent = 200;  // of the target, on the panic window, to panic
  double scale_to_zero_grace_s = 30;     // idle this long (and a stable window) before 0 replicas
  double max_scale_up_rate = 1000;       // at most ×rate the ready replicas in one step
  double max_scale_down_rate = 2;        // at least ÷rate the current replicas in one step
};

// A version's replicas and load as the runtime reports them (runtime::LoadSample, through GatewayHooks).
struct ReplicaLoad {
  std::chrono::steady_clock::time_point at;
  int desired = 0;  // what the version is scaling to
  int ready = 0;    // replicas serving
  double concurrency_area = 0;  // requests queued or running, integrated over time (request·seconds)
  double queue_area = 0;        // requests waiting, integrated over time
};

// One decision and what it was made from (a service event's detail when it changes the replicas).
struct ScaleDecision {
  int current = 0;  // what the version is scaling to now
  int ready = 0;    // replicas serving now
  int desired = 0;
  double stable_average = 0;  // the metric over the stable window
  double panic_average = 0;   // over the panic window
  bool panic = false;
  std::string why;  // in words: which rule decided
  nlohmann::json detail(const AutoscalingSpec& spec) const;
};

class Autoscaler {
 public:
  using Clock = std::chrono::steady_clock;
  Autoscaler(AutoscalingSpec spec, Clock::time_point now);

  // A new spec (the service changed); the observations are kept.
  void set_spec(const AutoscalingSpec& spec) { spec_ = spec; }
  const AutoscalingSpec& spec() const { return spec_; }
  // The metric's average over [from, to] (the runner integrates it, so nothing between readings is missed).
  void observe(Clock::time_point from, Clock::time_point to, double average);
  // The replica count for now, given what the version is scaling to (`current`) and how many replicas serve.
  ScaleDecision decide(Clock::time_point now, int current, int ready);

 private:
  struct Observation {
    Clock::time_point from, to;
    double average;
  };
  // The time-weighted average of the observations within [now - window, now]; 0 without any.
  double average(Clock::time_point now, double window_s) const;

  AutoscalingSpec spec_;
  Clock::time_point started_;
  Clock::time_point last_active_;  // the end of the last observation with load
  std::deque<Observation> observations_;
  std::optional<Clock::time_point> panic_seen_;  // while panicking: the last time the panic condition held
  int max_panic_replicas_ = 0;
};

}  // namespace maas::gateway
