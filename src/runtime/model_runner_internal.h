// The parts of ModelRunner that its two source files share (model_runner.cc: queue, batches, workers;
// model_runner_scaling.cc: replicas): a queued request and a replica. Private to the runtime component.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "runtime/circuit_breaker.h"
#include "runtime/model_runner.h"
#include "runtime/worker_process.h"

namespace maas::runtime {

using Clock = std::chrono::steady_clock;

struct ModelRunner::Pending {
  explicit Pending(boost::asio::any_io_executor caller) : waiter(std::move(caller)) {}
  ExecuteRequest request;
  int64_t rows = 1;
  std::string key;
  int priority = 0;
  Clock::time_point enqueued;
  Clock::time_point deadline;
  int attempts = 0;         // retries so far (at most one)
  int avoid_instance = -1;  // the instance that failed it: a retry goes elsewhere
  // Written once on the runner's strand, read on the caller's executor after `done` is set there.
  std::mutex mu;
  std::optional<Result<std::vector<Tensor>>> result;
  boost::asio::steady_timer waiter;  // the caller sleeps on it until completion or its deadline
  bool done = false;          // caller's executor only
  std::atomic<bool> abandoned{false};
};

struct ModelRunner::Instance {
  int index = 0;
  std::unique_ptr<WorkerProcess> process;
  bool busy = false;
  bool starting = false;  // its worker is being spawned and warmed up
  bool ready = false;     // warmed up: the dispatcher may give it batches
  bool retiring = false;  // scaled down: no new batches; stopped once idle
  uint64_t restarts = 0;
  std::unique_ptr<CircuitBreaker> breaker;
  std::unique_ptr<boost::asio::steady_timer> breaker_timer;  // wakes the dispatcher when the ejection ends
  metrics::Gauge* circuit_gauge = nullptr;
};

}  // namespace maas::runtime
