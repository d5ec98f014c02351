#include "gateway/autoscaler.h"

#include <algorithm>
#include <cmath>

namespace maas::gateway {
using nlohmann::json;

namespace {
double seconds(Autoscaler::Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Replicas to carry `load` at `target` each; a load a hair above a multiple (float noise) does not add one.
int replicas_for(double load, double target) {
  return static_cast<int>(std::ceil(load / target - 1e-9));
}
}  // namespace

json ScaleDecision::detail(const AutoscalingSpec& spec) const {
  return {{"current", current},
          {"ready", ready},
          {"desired", desired},
          {"metric", spec.metric},
          {"target", spec.target},
          {"stable_average", stable_average},
          {"panic_average", panic_average},
          {"stable_window_s", spec.stable_window_s},
          {"panic_window_s", spec.panic_window_s},
          {"panic", panic},
          {"min_replicas", spec.min_replicas},
          {"max_replicas", spec.max_replicas},
          {"why", why}};
}

Autoscaler::Autoscaler(AutoscalingSpec spec, Clock::time_point now)
    : spec_(std::move(spec)), started_(now), last_active_(now) {}

void Autoscaler::observe(Clock::time_point from, Clock::time_point to, double average) {
  if (to <= from) return;
  observations_.push_back({from, to, average});
  if (average > 0) last_active_ = to;
  // Only the stable window is ever read again (the panic window is the shorter).
  auto horizon = to - std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(spec_.stable_window_s));
  while (!observations_.empty() && observations_.front().to <= horizon) observations_.pop_front();
}

double Autoscaler::average(Clock::time_point now, double window_s) const {
  auto start = now - std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(window_s));
  double weighted = 0, covered = 0;
  for (const auto& o : observations_) {
    auto from = std::max(o.from, start), to = std::min(o.to, now);
    if (to <= from) continue;
    double d = seconds(to - from);
    weighted += o.average * d;
    covered += d;
  }
  return covered > 0 ? weighted / covered : 0;
}

ScaleDecision Autoscaler::decide(Clock::time_point now, int current, int ready) {
  ScaleDecision d;
  d.current = current;
  d.ready = ready;
  d.stable_average = average(now, spec_.stable_window_s);
  d.panic_average = average(now, spec_.panic_window_s);
  // As KPA: rates and the panic ratio against the replicas that serve, at least one.
  int base = std::max(1, ready);
  int stable = replicas_for(d.stable_average, spec_.target);
  int panic = replicas_for(d.panic_average, spec_.target);
  int up_limit = static_cast<int>(std::ceil(spec_.max_scale_up_rate * base));
  int down_limit = static_cast<int>(std::floor(current / spec_.max_scale_down_rate));
  stable = std::clamp(stable, down_limit, std::max(down_limit, up_limit));
  panic = std::clamp(panic, down_limit, std::max(down_limit, up_limit));

  bool over = d.panic_average / (spec_.target * base) >= spec_.panic_threshold_percent / 100;
  if (over) {
    if (!panic_seen_) max_panic_replicas_ = 0;
    panic_seen_ = now;
  } else if (panic_seen_ && seconds(now - *panic_seen_) >= spec_.stable_window_s) {
    // The surge has been in the stable average for a whole window: it decides again.
    panic_seen_.reset();
    max_panic_replicas_ = 0;
  }
  d.panic = panic_seen_.has_value();
  int desired = stable;
  d.why = "stable window average";
  if (d.panic) {
    // Panicking: up at once on the panic window, and never down.
    desired = std::max({stable, panic, current, max_panic_replicas_});
    max_panic_replicas_ = desired;
    d.why = "panic: the panic window's load is at least " + json(spec_.panic_threshold_percent).dump() +
            "% of the target of the ready replicas";
  }
  if (desired < current && seconds(now - started_) < spec_.stable_window_s) {
    // Not a whole stable window observed yet: what is missing would read as idle.
    desired = current;
    d.why = "no scale-down before one stable window is observed";
  }
  if (desired == 0 && spec_.min_replicas == 0) {
    if (seconds(now - last_active_) < spec_.scale_to_zero_grace_s) {
      desired = current > 0 ? 1 : 0;
      if (current > 0) d.why = "idle, within the scale-to-zero grace period";
    } else if (current > 0) {
      d.why = "idle for the stable window and the scale-to-zero grace period";
    }
  }
  int floor = spec_.min_replicas;
  if (desired < floor) {
    desired = floor;
    if (current != floor) d.why = "min_replicas";
  } else if (desired > spec_.max_replicas) {
    desired = spec_.max_replicas;
    d.why += " (capped at max_replicas)";
  }
  d.desired = desired;
  return d;
}

}  // namespace maas::gateway
