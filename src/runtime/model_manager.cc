#include "runtime/model_manager.h"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "runtime/tensor_runner_factory.h"

namespace maas::runtime {

WorkerOptions worker_options(const LoadSpec& spec, const BackendInfo& backend, int threads) {
  WorkerOptions worker;
  worker.worker_binary = backend.worker;
  worker.backend_library = backend.library;
  worker.framework = spec.framework;
  worker.artifact = spec.artifact;
  worker.digest = spec.digest;
  worker.threads = threads;
  return worker;
}

ModelManager::ModelManager(boost::asio::io_context& io, RuntimeMetrics& metrics, BackendRegistry backends,
                           supervisor::Supervisor& supervisor)
    : io_(io), metrics_(metrics), backends_(std::move(backends)) {
  factories_[ServingKind::kTensor] = std::make_unique<TensorRunnerFactory>(io_, supervisor, metrics_, limits_);
}

void ModelManager::register_runner(ServingKind kind, std::unique_ptr<RunnerFactory> factory) {
  factories_[kind] = std::move(factory);
}

Result<std::pair<const BackendInfo*, RunnerFactory*>> ModelManager::factory_for(const std::string& framework) const {
  MAAS_ASSIGN_OR_RETURN(const BackendInfo* backend, backends_.require(framework));
  auto it = factories_.find(backend->kind);
  if (it == factories_.end()) {
    return failed_precondition("framework '" + framework + "' is served by " +
                               std::string(serving_kind_name(backend->kind)) + " runners, which this maasd has not");
  }
  return std::make_pair(backend, it->second.get());
}

Status ModelManager::check_config(const std::string& framework, const nlohmann::json& config) const {
  MAAS_ASSIGN_OR_RETURN(auto factory, factory_for(framework));
  return factory.second->check_config(config);
}

Status ModelManager::begin_loading(const Key& key) {
  std::lock_guard lock(mu_);
  if (loading_.count(key) != 0) {
    return failed_precondition("model " + key.first + " version " + std::to_string(key.second) + " is already loading");
  }
  loading_.insert(key);
  return {};
}

void ModelManager::end_loading_locked(const Key& key, const Status& status) {
  loading_.erase(key);
  auto it = waiters_.find(key);
  if (it == waiters_.end()) return;
  for (auto& w : it->second) {
    boost::asio::post(w->timer.get_executor(), [w, status] {
      w->result = status;
      w->timer.cancel();
    });
  }
  waiters_.erase(it);
}

bool ModelManager::evictable(const std::string& model, int64_t version) const {
  std::lock_guard lock(mu_);
  return evictable_.count({model, version}) != 0;
}

void ModelManager::retire_others(const std::string& model, int64_t keep,
                                 std::vector<std::shared_ptr<ServedModel>>* retired) {
  for (auto it = models_.begin(); it != models_.end();) {
    if (it->first.first == model && it->first.second != keep) {
      retired->push_back(it->second);
      evictable_.erase(it->first);
      it = models_.erase(it);
    } else {
      ++it;
    }
  }
}

boost::asio::awaitable<Result<std::shared_ptr<ServedModel>>> ModelManager::load(LoadSpec spec, bool keep_others) {
  auto factory = factory_for(spec.framework);
  if (!factory.ok()) co_return factory.status();
  if (worker_args_hook_) {
    auto args = worker_args_hook_(spec.model, spec.version);
    if (!args.ok()) co_return args.status();
    spec.worker_args = std::move(*args);
  }
  auto key = std::make_pair(spec.model, spec.version);
  if (Status s = begin_loading(key); !s.ok()) co_return s;
  auto started = co_await factory->second->start(spec, *factory->first);
  std::vector<std::shared_ptr<ServedModel>> retired;
  {
    std::lock_guard lock(mu_);
    end_loading_locked(key, started.status());
    if (!started.ok()) co_return started.status();
    evictable_.erase(key);  // loaded explicitly (load_on_demand marks its own loads afterwards)
    // The swap is atomic for callers: they see the old version or the new, ready one.
    auto& slot = models_[key];
    if (slot) retired.push_back(slot);
    slot = *started;
    serving_[spec.model] = spec.version;
    if (!keep_others) retire_others(spec.model, spec.version, &retired);
  }
  for (auto& old : retired) {
    spdlog::info("model {}: version {} replaced by version {}", spec.model, old->version(), spec.version);
    metrics_.emit({spec.model, old->version(), "replaced", "", "replaced by version " + std::to_string(spec.version)});
    old->stop(/*drain=*/true);  // what is in flight on it is still answered
  }
  co_return *started;
}

Status ModelManager::unload(const std::string& model, std::optional<int64_t> version) {
  std::vector<std::shared_ptr<ServedModel>> removed;
  {
    std::lock_guard lock(mu_);
    for (auto it = models_.begin(); it != models_.end();) {
      if (it->first.first == model && (!version || it->first.second == *version)) {
        removed.push_back(it->second);
        evictable_.erase(it->first);
        it = models_.erase(it);
      } else {
        ++it;
      }
    }
    auto s = serving_.find(model);
    if (s != serving_.end() && (!version || s->second == *version)) {
      serving_.erase(s);
      // Another loaded version of the model, if any, takes over (the newest).
      for (const auto& [k, m] : models_) {
        if (k.first == model) serving_[model] = k.second;
      }
    }
  }
  if (removed.empty()) {
    return not_found("model " + model + (version ? " version " + std::to_string(*version) : "") + " is not loaded");
  }
  for (auto& m : removed) m->stop(/*drain=*/true);  // as Triton: in-flight requests complete
  return {};
}

boost::asio::awaitable<Result<std::shared_ptr<ServedModel>>> ModelManager::load_on_demand(
    LoadSpec spec, std::chrono::steady_clock::time_point deadline) {
  auto key = std::make_pair(spec.model, spec.version);
  for (;;) {
    std::shared_ptr<LoadWaiter> waiter;
    {
      std::lock_guard lock(mu_);
      if (auto it = models_.find(key); it != models_.end()) co_return it->second;
      if (loading_.count(key) == 0) break;  // nobody loads it: this call will
      waiter = std::make_shared<LoadWaiter>(co_await boost::asio::this_coro::executor);
      waiter->timer.expires_at(deadline);
      waiters_[key].push_back(waiter);
    }
    boost::system::error_code ec;
    co_await waiter->timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (!waiter->result) {
      co_return deadline_exceeded("model " + spec.model + " version " + std::to_string(spec.version) +
                                  " was still loading at the request's deadline");
    }
    if (!waiter->result->ok()) co_return *waiter->result;
    // Loaded: found on the next turn (or unloaded again meanwhile, and then this call loads it).
  }
  std::error_code size_ec;
  auto artifact_bytes = std::filesystem::file_size(spec.artifact, size_ec);
  // The artifact's size is what the new workers will hold at least; make room for that much first.
  enforce_budget(key, size_ec ? 0 : artifact_bytes);
  std::string model = spec.model;
  int64_t version = spec.version;
  auto loaded = co_await load(std::move(spec), /*keep_others=*/true);
  if (!loaded.ok()) co_return loaded.status();
  {
    std::lock_guard lock(mu_);
    if (auto it = models_.find(key); it != models_.end() && it->second == *loaded) evictable_.insert(key);
  }
  metrics_.on_demand_loads.with({model, std::to_string(version)}).inc();
  metrics_.emit({model, version, "loaded_on_demand", "READY", "a request asked for it"});
  spdlog::info("model {}: version {} loaded on demand", model, version);
  enforce_budget(key, 0);
  co_return *loaded;
}

void ModelManager::enforce_budget(const Key& keep, uint64_t incoming) {
  uint64_t budget = budget_.load();
  if (budget == 0) return;
  for (;;) {
    // The loaded versions, taken under the lock; their memory is read from /proc outside it (find() takes the
    // same lock on every request).
    std::vector<std::shared_ptr<ServedModel>> loaded;
    std::vector<std::shared_ptr<ServedModel>> candidates;
    {
      std::lock_guard lock(mu_);
      for (const auto& [k, m] : models_) {
        loaded.push_back(m);
        if (k != keep && evictable_.count(k) != 0) candidates.push_back(m);
      }
    }
    uint64_t total = incoming;
    for (const auto& m : loaded) total += m->resident_bytes();
    if (total <= budget) return;
    std::shared_ptr<ServedModel> victim;
    for (const auto& m : candidates) {
      if (!victim || m->last_used() < victim->last_used()) victim = m;
    }
    if (!victim) {
      spdlog::warn("model workers hold {} bytes, over the memory budget of {}, and no version loaded on demand is "
                   "left to unload",
                   total, budget);
      return;
    }
    std::string reason = "evicted, least recently used, to keep the workers within the memory budget (" +
                         std::to_string(total) + " of " + std::to_string(budget) + " bytes)";
    spdlog::info("model {}: version {} {}", victim->model(), victim->version(), reason);
    if (!unload(victim->model(), victim->version()).ok()) return;  // unloaded by someone else meanwhile
    metrics_.evictions.with({victim->model(), std::to_string(victim->version())}).inc();
    metrics_.emit({victim->model(), victim->version(), "evicted", "UNLOADING", reason});
  }
}

std::shared_ptr<ServedModel> ModelManager::find(const std::string& model, std::optional<int64_t> version) const {
  std::lock_guard lock(mu_);
  int64_t v = 0;
  if (version) {
    v = *version;
  } else {
    auto it = serving_.find(model);
    if (it == serving_.end()) return nullptr;
    v = it->second;
  }
  auto it = models_.find({model, v});
  return it == models_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<ServedModel>> ModelManager::list() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<ServedModel>> out;
  for (const auto& [k, m] : models_) out.push_back(m);
  return out;
}

int ModelManager::cpu_slots_in_use() const {
  int slots = 0;
  for (const auto& m : list()) slots += m->cpu_slots_in_use();
  return slots;
}

void ModelManager::stop_all() {
  std::lock_guard lock(mu_);
  for (auto& [k, m] : models_) m->stop();
  models_.clear();
  serving_.clear();
}

void ModelManager::kill_all_now() {
  std::lock_guard lock(mu_);
  for (auto& [k, m] : models_) m->kill_now();
}

}  // namespace maas::runtime
