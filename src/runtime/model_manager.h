// The set of loaded model versions: load (spawn and warm up workers), reload with no downtime (the new runner
// serves only once it is ready; then the old one is unloaded), unload, and lookup for inference.
// Thread-safe: the map is guarded by a mutex; runners do their own synchronization.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
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

#include "runtime/engine_model.h"
#include "runtime/model_runner.h"

namespace maas::runtime {

struct LoadSpec {
  std::string model;
  int64_t version = 0;
  std::string framework;
  std::filesystem::path artifact;
  std::string digest;
  DeploymentConfig config;
  nlohmann::json engine_config = nlohmann::json::object();  // the load request's config, for engine-served frameworks
};

class ModelManager {
 public:
  ModelManager(boost::asio::io_context& io, RuntimeMetrics& metrics, std::filesystem::path worker_binary)
      : io_(io), metrics_(metrics), worker_binary_(std::move(worker_binary)) {}

  // Versions of `framework` are served by engines the factory makes, not by ModelRunner. Call before serving.
  void register_engine(const std::string& framework, EngineFactory factory);
  bool is_engine_framework(const std::string& framework) const { return factories_.count(framework) != 0; }

  // Loads a version and makes it the model's serving version once READY. Other versions of the model are
  // unloaded afterwards unless `keep_others`. FAILED_PRECONDITION while the same version is already loading.
  boost::asio::awaitable<Result<std::shared_ptr<ModelRunner>>> load(LoadSpec spec, bool keep_others);
  // Loads a version because a request asked for it (runtime.load_on_demand), as a Triton user expects of a
  // repository with many more models than memory: returns the runner at once when it is loaded, waits for a
  // load already under way (its result is this call's), or loads it with `spec` — after unloading what the memory
  // budget needs — and marks it evictable. DEADLINE_EXCEEDED when `deadline` passes first.
  boost::asio::awaitable<Result<std::shared_ptr<ModelRunner>>> load_on_demand(
      LoadSpec spec, std::chrono::steady_clock::time_point deadline);
  // The resident memory (all workers of all loaded versions) above which versions loaded on demand are unloaded,
  // least recently used first; versions loaded explicitly count but are never evicted. 0: no budget.
  void set_memory_budget(uint64_t bytes) { budget_.store(bytes); }
  // What every worker gets unless its deployment config says otherwise: its memory limit
  // (runtime.worker_memory_limit, used when config.memory_limit_bytes is 0; 0: none) and the tensor bound
  // (limits.max_tensor_elements). Call before serving.
  void set_worker_limits(uint64_t memory_limit_bytes, uint64_t max_tensor_elements) {
    worker_memory_limit_bytes_ = memory_limit_bytes;
    max_tensor_elements_ = max_tensor_elements;
  }
  bool evictable(const std::string& model, int64_t version) const;
  // The same for a version of a registered engine framework (register_engine).
  boost::asio::awaitable<Result<std::shared_ptr<EngineModel>>> load_engine(LoadSpec spec, bool keep_others);
  // Unloads one version, or every version of the model when `version` is empty. NOT_FOUND when none is loaded.
  // New requests no longer reach it; what is queued on it is still answered (ModelRunner::stop(drain)).
  Status unload(const std::string& model, std::optional<int64_t> version);
  // The runner for a version, or the model's serving version when `version` is empty; null when not loaded.
  std::shared_ptr<ModelRunner> find(const std::string& model, std::optional<int64_t> version) const;
  std::vector<std::shared_ptr<ModelRunner>> list() const;
  // The same for engine-served versions.
  std::shared_ptr<EngineModel> find_engine(const std::string& model, std::optional<int64_t> version) const;
  std::vector<std::shared_ptr<EngineModel>> list_engines() const;
  // CPU slots serving uses now: the threads of every live worker (an engine counts one), for the job pool that
  // serving shares (jobs.slots).
  int cpu_slots_in_use() const;
  bool is_loaded(const std::string& model, int64_t version) const {
    return find(model, version) != nullptr || find_engine(model, version) != nullptr;
  }
  void stop_all();
  // Kills every worker at once. Only for shutdown, once the io_context has stopped running.
  void kill_all_now();

 private:
  boost::asio::io_context& io_;
  RuntimeMetrics& metrics_;
  std::filesystem::path worker_binary_;
  uint64_t worker_memory_limit_bytes_ = 0;
  uint64_t max_tensor_elements_ = kDefaultMaxTensorElements;
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int64_t>, std::shared_ptr<ModelRunner>> runners_;
  std::map<std::pair<std::string, int64_t>, std::shared_ptr<EngineModel>> engines_;
  std::map<std::string, EngineFactory> factories_;
  std::map<std::string, int64_t> serving_;  // model -> version that unversioned requests go to
  std::set<std::pair<std::string, int64_t>> loading_;
  std::set<std::pair<std::string, int64_t>> evictable_;  // loaded on demand
  // Callers of load_on_demand waiting for a load under way: woken with its result.
  struct LoadWaiter {
    explicit LoadWaiter(boost::asio::any_io_executor ex) : timer(std::move(ex)) {}
    boost::asio::steady_timer timer;
    std::optional<Status> result;  // set on the waiter's executor
  };
  std::map<std::pair<std::string, int64_t>, std::vector<std::shared_ptr<LoadWaiter>>> waiters_;
  std::atomic<uint64_t> budget_{0};

  // Under mu_: the load of `key` ended with `status`; wakes its waiters.
  void end_loading_locked(const std::pair<std::string, int64_t>& key, const Status& status);
  // Unloads versions loaded on demand, least recently used first (never `keep`), until the workers' resident
  // memory plus `incoming` fits the budget.
  void enforce_budget(const std::pair<std::string, int64_t>& keep, uint64_t incoming);

  // Marks `key` as loading; FAILED_PRECONDITION when it already is.
  Status begin_loading(const std::pair<std::string, int64_t>& key);
  // Under mu_: takes the model's other versions out of both maps (they are stopped by the caller).
  void retire_others(const std::string& model, int64_t keep, std::vector<std::shared_ptr<ModelRunner>>* runners,
                     std::vector<std::shared_ptr<EngineModel>>* engines);
};

}  // namespace maas::runtime
