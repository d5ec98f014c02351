// A loaded version's worker replicas and their health: each replica's worker process, its place in the
// dispatcher (starting, ready, busy, retiring) and its circuit breaker (circuit_breaker.h), and the questions the
// runner asks of them all — which may take a batch now, whether any is up, which to retire first. Envoy's
// max_ejection_percent is applied here: at most that share of the replicas (at least one) is skipped for an open
// breaker at once; any further open ones keep serving.
//
// Threading: not thread-safe; a ModelRunner keeps its replicas on its strand.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "metrics/metrics.h"
#include "runtime/circuit_breaker.h"
#include "runtime/served_model.h"
#include "runtime/worker_process.h"

namespace maas::runtime {

struct Replica {
  int index = 0;  // stable while the replica lives; the lowest free one is reused (the metrics' instance label)
  std::unique_ptr<WorkerProcess> process;
  bool busy = false;      // running a batch
  bool starting = false;  // its worker is being spawned and warmed up
  bool ready = false;     // warmed up: the dispatcher may give it batches
  bool retiring = false;  // scaled down: no new batches; stopped once idle
  uint64_t restarts = 0;
  std::unique_ptr<CircuitBreaker> breaker;
  std::unique_ptr<boost::asio::steady_timer> breaker_timer;  // wakes the dispatcher when the ejection ends
  metrics::Gauge* circuit_gauge = nullptr;

  bool alive() const { return process && process->alive(); }
  bool serving() const { return ready && !retiring && alive(); }
};

class ReplicaSet {
 public:
  using Clock = std::chrono::steady_clock;
  using Item = std::shared_ptr<Replica>;

  explicit ReplicaSet(int max_ejection_percent) : max_ejection_percent_(max_ejection_percent) {}

  const std::vector<Item>& all() const { return replicas_; }
  void add(Item replica) { replicas_.push_back(std::move(replica)); }
  void remove(const Item& replica);

  // Whether the dispatcher skips `replica` now: its breaker is open and it is among the first open ones (by
  // position) that max_ejection_percent allows to be skipped.
  bool ejected(const Replica& replica, Clock::time_point now) const;
  // Whether some replica other than index `except` is serving and not ejected.
  bool any_usable(Clock::time_point now, int except = -1) const;
  // Whether some replica that is not retiring has a live worker.
  bool any_alive() const;
  // Whether some replica that is not retiring is still starting.
  bool any_starting() const;
  bool any_busy() const;
  int not_retiring() const;
  int serving() const;
  // The lowest index no replica has.
  int lowest_free_index() const;
  // The replica to retire first: one still starting (it serves nothing yet), then an idle one, then a busy one;
  // the highest index among equals, so the indexes in use stay low. Null when all are retiring.
  Item retire_candidate() const;
  // Each replica as /v2/models/{m}/stats shows it (resident memory read now for live workers).
  std::vector<InstanceInfo> snapshot() const;

 private:
  int max_ejection_percent_;
  std::vector<Item> replicas_;
};

}  // namespace maas::runtime
