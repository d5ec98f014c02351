// One loaded tensor version (ServingKind::kTensor): its worker replicas, its bounded priority queue and its
// dynamic batcher.
// Requests are queued, cut into batches (Triton's max_batch_size, max_queue_delay_us, preferred_batch_sizes),
// sent to an idle worker, and the outputs split back to each request. A worker that crashes or hangs fails only
// its in-flight batch (503) and is restarted by the supervisor's restart policy (supervisor/restart.h); the version is UNAVAILABLE, with the reason, while no
// worker is up. Each instance has a circuit breaker (circuit_breaker.h): a replica that keeps failing is ejected
// for a while, then probed; a request whose replica crashed is retried once on another, within a retry budget.
// A full queue sheds its lowest-priority request for a higher-priority newcomer. The replica count changes live
// (scale_to: new replicas serve once warmed up, retired ones finish their batch first); at 0 replicas the version
// stays READY, requests wait in the queue and the first one starts a replica (a cold start, Knative's activator).
// Its ideas live in their own files: the queue and its shedding (request_queue.h), the batcher (batcher.h), the
// replicas and their health (replica_set.h), the statistics (runner_stats.h); this class puts them together.
//
// Threading: state lives on the runner's strand; infer() may be called from any coroutine and resumes on the
// caller's executor. Lifetime: owned by shared_ptr; stop() before the last reference goes.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "runtime/circuit_breaker.h"
#include "runtime/deployment_config.h"
#include "runtime/load_signal.h"
#include "runtime/replica_set.h"
#include "runtime/request_queue.h"
#include "runtime/runner_stats.h"
#include "runtime/runtime_metrics.h"
#include "runtime/served_model.h"
#include "runtime/worker_process.h"

namespace maas::runtime {

class ModelRunner : public ServedModel, public std::enable_shared_from_this<ModelRunner> {
 public:
  // Its workers run under `supervisor`, which must outlive it.
  ModelRunner(boost::asio::io_context& io, supervisor::Supervisor& supervisor, std::string model, int64_t version,
              BackendInfo backend, WorkerOptions worker, DeploymentConfig config, RuntimeMetrics& metrics);
  ~ModelRunner() override;

  // Starts every instance and warms it up. The error says why the model could not load.
  boost::asio::awaitable<Status> start();
  // Queues one request; resolves with its outputs or an error (503 when the queue is full and nothing of lower
  // priority can be shed, when it is shed itself, when no worker is up or every breaker is open; 504 past the
  // deadline; 400 for inputs the model rejects). `priority`: lower runs first and is shed last. `timing`, when
  // given, receives where the request's time went (zero parts when it never reached a worker).
  boost::asio::awaitable<Result<std::vector<Tensor>>> infer(ExecuteRequest request, int priority,
                                                            std::chrono::steady_clock::time_point deadline,
                                                            RequestTiming* timing = nullptr);
  // Changes the number of replicas to `replicas` (0: scale to zero) on the runner's strand: starts new instances
  // (serving once warmed up) or retires some, starting or idle ones first; a busy one finishes its batch first.
  // Refused (ignored) after stop(); a scale-up is ignored for a few seconds after a replica failed to start, and
  // 0 becomes 1 while requests are queued.
  void scale_to(int replicas);
  // The version's replicas and load, read on its strand (the autoscaler's signal).
  boost::asio::awaitable<LoadSample> sample_load();
  // Stops the workers. Queued requests fail at once, or with `drain` are served first (new ones are refused
  // meanwhile; each queued request is bounded by its deadline) — a reload or a service's release of a version.
  void stop(bool drain = false) override;
  // Kills the workers directly; only when no thread runs the io_context any more (shutdown).
  void kill_now() override;

  const std::string& model() const override { return model_; }
  int64_t version() const override { return version_; }
  const BackendInfo& backend() const override { return backend_; }
  const DeploymentConfig& config() const { return config_; }
  nlohmann::json config_json() const override { return deployment_config_json(config_); }
  int cpu_slots_in_use() const override;
  std::shared_ptr<ModelRunner> as_tensor() override { return shared_from_this(); }
  // limits.max_tensor_elements: what a request to this version may claim per input (its workers are bound by it).
  uint64_t max_tensor_elements() const { return worker_.max_tensor_elements; }
  // Snapshots, safe from any thread.
  ModelState state() const override;
  std::string reason() const override;
  ModelSignature signature() const override;
  // The same without copying it (the request path reads it per request).
  std::shared_ptr<const ModelSignature> shared_signature() const;
  ModelStats stats() const override;
  std::vector<InstanceInfo> instances() const override;
  uint64_t resident_bytes() const override;
  std::chrono::steady_clock::time_point last_used() const override {
    return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(last_used_.load(std::memory_order_relaxed)));
  }

 private:
  using Pending = RequestQueue::Item;
  using Instance = Replica;

  void set_state(ModelState state, std::string reason);
  bool idle() const;  // nothing queued, no batch running
  void halt();        // stop() itself: fail the queue, stop the workers
  std::shared_ptr<Instance> make_instance(int index);
  void resize(int replicas);
  void retire_one();
  void remove_instance(const std::shared_ptr<Instance>& instance);
  // The coroutines that run on the strand on their own (grow, run_batch, restart) take `self`: their frame keeps
  // the runner alive until they end — callers that held it may let go the moment their request is answered, while
  // the batch's bookkeeping (and an unload's drain) still runs.
  boost::asio::awaitable<void> grow(std::shared_ptr<ModelRunner> self, std::shared_ptr<Instance> instance);
  boost::asio::awaitable<LoadSample> load_on_strand();
  // A request arrived at 0 replicas: start one; the request waits in the queue meanwhile.
  void activate();
  void publish_queue_depth();
  void enqueue(Pending pending);
  void dispatch();
  boost::asio::awaitable<void> run_batch(std::shared_ptr<ModelRunner> self, std::shared_ptr<Instance> instance,
                                         std::vector<Pending> batch);
  boost::asio::awaitable<void> restart(std::shared_ptr<ModelRunner> self, std::shared_ptr<Instance> instance);
  boost::asio::awaitable<Status> start_instance(std::shared_ptr<Instance> instance);
  // Answers one request (the first answer counts) and takes it out of the in-flight level.
  void complete(const Pending& pending, Result<std::vector<Tensor>> result, const RequestTiming* ran = nullptr);
  void fail_queue(const Status& status);
  void on_circuit_transition(Instance& instance, CircuitState to);
  // Requeues a request whose replica failed, once, within the retry budget and its deadline; false otherwise.
  bool retry(const Pending& pending, const Instance& failed);
  void snapshot_instances_locked();
  bool batching() const { return config_.max_batch_size > 1 && shared_signature()->batchable; }

  boost::asio::io_context& io_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  supervisor::Supervisor& supervisor_;
  std::string model_;
  int64_t version_;
  BackendInfo backend_;
  WorkerOptions worker_;
  DeploymentConfig config_;
  RuntimeMetrics& metrics_;  // events; the series are stats_'s
  std::string version_label_;
  RunnerStats stats_;

  // Strand-only state.
  ReplicaSet instances_;
  RequestQueue queue_;
  RetryBudget retry_budget_;
  boost::asio::steady_timer delay_timer_;
  bool delay_armed_ = false;
  bool stopping_ = false;
  bool draining_ = false;  // stop(drain): refusing newcomers until the queue is served
  int desired_ = 0;  // the replicas it is scaling to (starting ones count, retiring ones do not)
  int max_index_ = 0;  // 1 + the highest instance index ever used: the metric series to remove at the end
  std::chrono::steady_clock::time_point scale_up_blocked_until_{};
  TimeIntegral in_flight_;  // requests from enqueue() to their answer
  TimeIntegral queue_level_;

  std::atomic<std::chrono::steady_clock::rep> last_used_{std::chrono::steady_clock::now().time_since_epoch().count()};

  mutable std::mutex mu_;  // guards the snapshots below
  ModelState state_ = ModelState::kLoading;
  std::string reason_;
  std::shared_ptr<const ModelSignature> signature_ = std::make_shared<const ModelSignature>();
  std::vector<InstanceInfo> instance_info_;
};

}  // namespace maas::runtime
