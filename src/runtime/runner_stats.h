// A loaded version's statistics: Triton's statistics extension (ModelStats, what /v2/models/{m}/stats shows) and
// its Prometheus series (docs/METRICS.md), which it resolves once so that the request path neither builds label
// vectors nor takes the families' locks.
//
// Threading: every method may be called from any thread (metric children are thread-safe; ModelStats is behind a
// mutex). The version's series stay registered after it goes (a reload of the same version shares them); its
// per-replica series are removed with drop_instance().
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "runtime/circuit_breaker.h"
#include "runtime/runtime_metrics.h"
#include "runtime/served_model.h"

namespace maas::runtime {

class RunnerStats {
 public:
  using Clock = std::chrono::steady_clock;

  RunnerStats(RuntimeMetrics& metrics, std::string model, std::string version);
  ~RunnerStats();  // the version's queue depth reads 0 once it is gone

  // A request refused: its caller's deadline passed (timed_out), every replica was ejected or the queue was full
  // (rejected), or it was shed from a full queue for one of higher priority (shed); or one retried elsewhere.
  void timed_out() { series_.timeout->inc(); }
  void rejected() { series_.rejected->inc(); }
  void shed() { series_.shed->inc(); }
  void retried() { series_.retries->inc(); }
  void worker_restarted();
  void queue_depth(size_t depth) { series_.queue_depth->set(static_cast<double>(depth)); }

  // When a batch ran, before its requests are answered.
  void batch_ran(std::chrono::nanoseconds compute, int64_t rows);
  struct BatchTiming {
    Clock::time_point started;       // taken from the queue
    Clock::time_point input_done;    // joined into one request
    Clock::time_point compute_done;  // the worker answered
    Clock::time_point finished;      // every request answered
    int64_t rows = 0;
  };
  struct Answered {
    Clock::time_point enqueued;
    bool ok = false;
  };
  // After a batch's requests are answered: the batch's counts and durations and each answered request's (those
  // requeued for a retry are counted where they are answered).
  void batch_answered(const BatchTiming& timing, const std::vector<Answered>& answered);

  // A replica's circuit breaker series (maas_replica_circuit_*).
  metrics::Gauge* circuit_gauge(int index);
  void circuit_transition(int index, CircuitState to);
  // Removes a replica index's series (memory, CPU, circuit state): the index may be taken again by a later one.
  void drop_instance(int index);

  ModelStats snapshot() const;

 private:
  struct Series {
    metrics::Counter* success;
    metrics::Counter* failure;
    metrics::Counter* timeout;
    metrics::Counter* rejected;
    metrics::Counter* shed;
    metrics::Counter* retries;
    metrics::Histogram* queue_seconds;
    metrics::Histogram* compute_seconds;
    metrics::Histogram* total_seconds;
    metrics::Histogram* batch_size;
    metrics::Gauge* queue_depth;
    metrics::Counter* worker_restarts;
  };

  RuntimeMetrics& metrics_;
  std::string model_;
  std::string version_;
  Series series_;
  mutable std::mutex mu_;
  ModelStats stats_;
};

}  // namespace maas::runtime
