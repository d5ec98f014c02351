// The set of loaded model versions, whatever serves them: load (the backend registry says which kind of runner a
// framework needs; that kind's factory starts it), reload with no downtime (the new version serves only once it is
// ready; then the old one is unloaded), unload, load on demand, eviction under the memory budget, and lookup.
// One map, one load / find / list / unload for tensor and generative versions alike.
// Thread-safety: the map is guarded by a mutex; served models do their own synchronization.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/element_count.h"
#include "runtime/backend_registry.h"
#include "runtime/runtime_metrics.h"
#include "runtime/served_model.h"
#include "runtime/worker_process.h"
#include "supervisor/process.h"

namespace maas::runtime {

struct LoadSpec {
  std::string model;
  int64_t version = 0;
  std::string framework;
  std::filesystem::path artifact;
  std::string digest;
  nlohmann::json config = nlohmann::json::object();  // the load request's config; its runner kind reads it
  // Added to each of its tensor workers' command lines: what another component attaches to the version (a feature
  // pipeline, features/serving/), from ModelManager's worker-arguments hook.
  std::vector<std::string> worker_args;
};

// What every worker gets unless its load config says otherwise.
struct WorkerLimits {
  uint64_t memory_limit_bytes = 0;  // runtime.worker_memory_limit (a tensor config's memory_limit_bytes 0); 0: none
  uint64_t max_tensor_elements = kDefaultMaxTensorElements;  // limits.max_tensor_elements
};

// What every kind's worker is started with for `spec`: the backend's worker binary and plugin, the artifact and its
// digest, `threads`. The kind adds its own limits and arguments.
WorkerOptions worker_options(const LoadSpec& spec, const BackendInfo& backend, int threads);

// Starts the versions of one serving kind (ServingKind). Implementations are called from any coroutine.
class RunnerFactory {
 public:
  virtual ~RunnerFactory() = default;
  // INVALID_ARGUMENT naming the field of a load config this kind cannot run with.
  virtual Status check_config(const nlohmann::json& config) const = 0;
  // Makes and starts a version; READY when it returns, or the error says why it could not load.
  virtual boost::asio::awaitable<Result<std::shared_ptr<ServedModel>>> start(const LoadSpec& spec,
                                                                             const BackendInfo& backend) = 0;
};

class ModelManager {
 public:
  // Tensor versions are served by ModelRunner (built in), whose workers run under `supervisor`; other kinds by the
  // factories registered for them. `supervisor` must outlive the manager.
  ModelManager(boost::asio::io_context& io, RuntimeMetrics& metrics, BackendRegistry backends,
               supervisor::Supervisor& supervisor);

  const BackendRegistry& backends() const { return backends_; }
  // Versions of `kind` are started by `factory`. Call before serving.
  void register_runner(ServingKind kind, std::unique_ptr<RunnerFactory> factory);
  // A framework served without a plugin (maas-graph), beside those the manifests named. Call before serving.
  void add_builtin_backend(BackendInfo info) { backends_.add(std::move(info)); }
  // What every worker gets unless its deployment config says otherwise: its memory limit
  // (runtime.worker_memory_limit, used when config.memory_limit_bytes is 0; 0: none) and the tensor bound
  // (limits.max_tensor_elements). Call before serving.
  void set_worker_limits(uint64_t memory_limit_bytes, uint64_t max_tensor_elements) {
    limits_.memory_limit_bytes = memory_limit_bytes;
    limits_.max_tensor_elements = max_tensor_elements;
  }
  // What other components attach to a version's workers (a feature pipeline): called at each load with the
  // version, its arguments go to LoadSpec::worker_args; an error refuses the load. Call before serving.
  using WorkerArgsHook = std::function<Result<std::vector<std::string>>(const std::string& model, int64_t version)>;
  void set_worker_args_hook(WorkerArgsHook hook) { worker_args_hook_ = std::move(hook); }
  const WorkerLimits& worker_limits() const { return limits_; }
  // The resident memory (all workers of all loaded versions) above which versions loaded on demand are unloaded,
  // least recently used first; versions loaded explicitly count but are never evicted. 0: no budget.
  void set_memory_budget(uint64_t bytes) { budget_.store(bytes); }

  // Whether a version of `framework` could load with `config`: FAILED_PRECONDITION when no backend serves the
  // framework, INVALID_ARGUMENT naming the field of a config its kind cannot run with.
  Status check_config(const std::string& framework, const nlohmann::json& config) const;
  // Loads a version and makes it the model's serving version once READY. Other versions of the model are
  // unloaded afterwards unless `keep_others`. FAILED_PRECONDITION while the same version is already loading.
  boost::asio::awaitable<Result<std::shared_ptr<ServedModel>>> load(LoadSpec spec, bool keep_others);
  // Loads a version because a request asked for it (runtime.load_on_demand), as a Triton user expects of a
  // repository with many more models than memory: returns it at once when it is loaded, waits for a load already
  // under way (its result is this call's), or loads it with `spec` — after unloading what the memory budget
  // needs — and marks it evictable. DEADLINE_EXCEEDED when `deadline` passes first.
  boost::asio::awaitable<Result<std::shared_ptr<ServedModel>>> load_on_demand(
      LoadSpec spec, std::chrono::steady_clock::time_point deadline);
  bool evictable(const std::string& model, int64_t version) const;
  // Unloads one version, or every version of the model when `version` is empty. NOT_FOUND when none is loaded.
  // New requests no longer reach it; what is in flight on it is still answered (ServedModel::stop(drain)).
  Status unload(const std::string& model, std::optional<int64_t> version);
  // A loaded version, or the model's serving version when `version` is empty; null when not loaded.
  std::shared_ptr<ServedModel> find(const std::string& model, std::optional<int64_t> version) const;
  std::vector<std::shared_ptr<ServedModel>> list() const;
  bool is_loaded(const std::string& model, int64_t version) const { return find(model, version) != nullptr; }
  // CPU slots serving uses now: the threads of every live worker, for the job pool that serving shares
  // (jobs.slots).
  int cpu_slots_in_use() const;
  void stop_all();
  // Kills every worker at once. Only for shutdown, once the io_context has stopped running.
  void kill_all_now();

 private:
  using Key = std::pair<std::string, int64_t>;
  // Callers of load_on_demand waiting for a load under way: woken with its result.
  struct LoadWaiter {
    explicit LoadWaiter(boost::asio::any_io_executor ex) : timer(std::move(ex)) {}
    boost::asio::steady_timer timer;
    std::optional<Status> result;  // set on the waiter's executor
  };

  // The factory for a framework's kind: FAILED_PRECONDITION when none serves it.
  Result<std::pair<const BackendInfo*, RunnerFactory*>> factory_for(const std::string& framework) const;
  // Marks `key` as loading; FAILED_PRECONDITION when it already is.
  Status begin_loading(const Key& key);
  // Under mu_: the load of `key` ended with `status`; wakes its waiters.
  void end_loading_locked(const Key& key, const Status& status);
  // Under mu_: takes the model's other versions out of the map (they are stopped by the caller).
  void retire_others(const std::string& model, int64_t keep, std::vector<std::shared_ptr<ServedModel>>* retired);
  // Unloads versions loaded on demand, least recently used first (never `keep`), until the workers' resident
  // memory plus `incoming` fits the budget.
  void enforce_budget(const Key& keep, uint64_t incoming);

  boost::asio::io_context& io_;
  RuntimeMetrics& metrics_;
  BackendRegistry backends_;
  WorkerLimits limits_;
  WorkerArgsHook worker_args_hook_;                                  // set before serving, then read-only
  std::map<ServingKind, std::unique_ptr<RunnerFactory>> factories_;  // filled before serving, then read-only
  mutable std::mutex mu_;
  std::map<Key, std::shared_ptr<ServedModel>> models_;
  std::map<std::string, int64_t> serving_;  // model -> version that unversioned requests go to
  std::set<Key> loading_;
  std::set<Key> evictable_;  // loaded on demand
  std::map<Key, std::vector<std::shared_ptr<LoadWaiter>>> waiters_;
  std::atomic<uint64_t> budget_{0};
};

}  // namespace maas::runtime
