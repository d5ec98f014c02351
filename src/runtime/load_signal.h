// What an autoscaler reads from a served version: its replicas and its load, integrated over time so that two
// readings a moment apart give the exact average in between, however short the requests are (a sampled gauge
// would see 0 between sub-millisecond requests).
#pragma once

#include <chrono>
#include <cstdint>

namespace maas::runtime {

// A level (requests in the runner, requests queued) and its integral over time. Not thread-safe: the runner keeps
// it on its strand, so the hot path takes no lock for it.
class TimeIntegral {
 public:
  using Clock = std::chrono::steady_clock;
  explicit TimeIntegral(Clock::time_point start = Clock::now()) : last_(start) {}

  void set(int64_t level, Clock::time_point now) {
    area_ += static_cast<double>(level_) * std::chrono::duration<double>(now - last_).count();
    level_ = level;
    last_ = now;
  }
  void add(int64_t delta, Clock::time_point now) { set(level_ + delta, now); }
  int64_t level() const { return level_; }
  // level·seconds from the start until `now` (not before the last change).
  double area_at(Clock::time_point now) const {
    return area_ + static_cast<double>(level_) * std::chrono::duration<double>(now - last_).count();
  }

 private:
  int64_t level_ = 0;
  double area_ = 0;
  Clock::time_point last_;
};

// One reading of a version's load (ModelRunner::sample_load). The average concurrency between two readings a and
// b is (b.concurrency_area - a.concurrency_area) / (b.at - a.at) in seconds; the same for the queue.
struct LoadSample {
  std::chrono::steady_clock::time_point at;
  int desired_replicas = 0;  // what the runner is scaling to (starting replicas count)
  int ready_replicas = 0;    // warmed up and serving
  int64_t in_flight = 0;     // requests in the runner now: queued or running
  int64_t queued = 0;
  double concurrency_area = 0;  // in_flight integrated over time (request·seconds)
  double queue_area = 0;        // queued integrated over time
};

}  // namespace maas::runtime
