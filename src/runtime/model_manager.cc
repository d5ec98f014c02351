#include "runtime/model_manager.h"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace maas::runtime {

void ModelManager::register_engine(const std::string& framework, EngineFactory factory) {
  std::lock_guard lock(mu_);
  factories_[framework] = std::move(factory);
}

Status ModelManager::begin_loading(const std::pair<std::string, int64_t>& key) {
  std::lock_guard lock(mu_);
  if (loading_.count(key) != 0) {
    return failed_precondition("model " + key.first + " version " + std::to_string(key.second) + " is already loading");
  }
  loading_.insert(key);
  return {};
}

void ModelManager::end_loading_locked(const std::pair<std::string, int64_t>& key, const Status& status) {
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

void ModelManager::retire_others(const std::string& model, int64_t keep, std::vector<std::shared_ptr<ModelRunner>>* runners,
                                 std::vector<std::shared_ptr<EngineModel>>* engines) {
  for (auto it = runners_.begin(); it != runners_.end();) {
    if (it->first.first == model && it->first.second != keep) {
      runners->push_back(it->second);
      it = runners_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto it = engines_.begin(); it != engines_.end();) {
    if (it->first.first == model && it->first.second != keep) {
      engines->push_back(it->second);
      it = engines_.erase(it);
    } else {
      ++it;
    }
  }
}

boost::asio::awaitable<Result<std::shared_ptr<ModelRunner>>> ModelManager::load(LoadSpec spec, bool keep_others) {
  if (is_engine_framework(spec.framework)) co_return internal_error("a " + spec.framework + " version loads with load_engine");
  auto key = std::make_pair(spec.model, spec.version);
  if (Status s = begin_loading(key); !s.ok()) co_return s;
  WorkerOptions worker;
  worker.worker_binary = worker_binary_;
  worker.framework = spec.framework;
  worker.artifact = spec.artifact;
  worker.digest = spec.digest;
  worker.threads = spec.config.threads;
  worker.memory_limit_bytes =
      spec.config.memory_limit_bytes > 0 ? spec.config.memory_limit_bytes : worker_memory_limit_bytes_;
  worker.max_tensor_elements = max_tensor_elements_;
  // The worker refuses a model whose inputs claim more, and bounds its warm-up by it.
  worker.extra_args = {"--max-tensor-elements", std::to_string(max_tensor_elements_)};
  auto runner = std::make_shared<ModelRunner>(io_, spec.model, spec.version, worker, spec.config, metrics_);
  Status started = co_await runner->start();
  std::vector<std::shared_ptr<ModelRunner>> retired;
  std::vector<std::shared_ptr<EngineModel>> retired_engines;
  {
    std::lock_guard lock(mu_);
    end_loading_locked(key, started);
    if (!started.ok()) {
      runner->stop();
      co_return started;
    }
    evictable_.erase(key);  // loaded explicitly (load_on_demand marks its own loads afterwards)
    // The swap is atomic for callers: they see the old runner or the new, ready one.
    auto& slot = runners_[key];
    if (slot) retired.push_back(slot);
    slot = runner;
    serving_[spec.model] = spec.version;
    if (!keep_others) retire_others(spec.model, spec.version, &retired, &retired_engines);
  }
  for (auto& old : retired) {
    spdlog::info("model {}: version {} replaced by version {}", spec.model, old->version(), spec.version);
    metrics_.emit({spec.model, old->version(), "replaced", "", "replaced by version " + std::to_string(spec.version)});
    old->stop(/*drain=*/true);  // its queued requests are still answered
  }
  for (auto& old : retired_engines) old->stop();
  co_return runner;
}

boost::asio::awaitable<Result<std::shared_ptr<EngineModel>>> ModelManager::load_engine(LoadSpec spec, bool keep_others) {
  EngineFactory factory;
  {
    std::lock_guard lock(mu_);
    auto it = factories_.find(spec.framework);
    if (it == factories_.end()) co_return not_found("no engine serves framework '" + spec.framework + "' in this build");
    factory = it->second;
  }
  auto key = std::make_pair(spec.model, spec.version);
  if (Status s = begin_loading(key); !s.ok()) co_return s;
  auto engine = co_await factory(spec);
  std::vector<std::shared_ptr<ModelRunner>> retired;
  std::vector<std::shared_ptr<EngineModel>> retired_engines;
  {
    std::lock_guard lock(mu_);
    end_loading_locked(key, engine.ok() ? Status() : engine.status());
    if (!engine.ok()) co_return engine.status();
    auto& slot = engines_[key];
    if (slot) retired_engines.push_back(slot);
    slot = *engine;
    serving_[spec.model] = spec.version;
    if (!keep_others) retire_others(spec.model, spec.version, &retired, &retired_engines);
  }
  for (auto& old : retired) old->stop(/*drain=*/true);
  for (auto& old : retired_engines) {
    spdlog::info("model {}: version {} replaced by version {}", spec.model, old->version(), spec.version);
    old->stop();
  }
  co_return *engine;
}

Status ModelManager::unload(const std::string& model, std::optional<int64_t> version) {
  std::vector<std::shared_ptr<ModelRunner>> removed;
  std::vector<std::shared_ptr<EngineModel>> removed_engines;
  {
    std::lock_guard lock(mu_);
    for (auto it = runners_.begin(); it != runners_.end();) {
      if (it->first.first == model && (!version || it->first.second == *version)) {
        removed.push_back(it->second);
        evictable_.erase(it->first);
        it = runners_.erase(it);
      } else {
        ++it;
      }
    }
    for (auto it = engines_.begin(); it != engines_.end();) {
      if (it->first.first == model && (!version || it->first.second == *version)) {
        removed_engines.push_back(it->second);
        it = engines_.erase(it);
      } else {
        ++it;
      }
    }
    auto s = serving_.find(model);
    if (s != serving_.end() && (!version || s->second == *version)) {
      serving_.erase(s);
      // Another loaded version of the model, if any, takes over (the newest).
      for (const auto& [k, r] : runners_) {
        if (k.first == model) serving_[model] = k.second;
      }
      for (const auto& [k, e] : engines_) {
        if (k.first == model) serving_[model] = k.second;
      }
    }
  }
  if (removed.empty() && removed_engines.empty()) {
    return not_found("model " + model + (version ? " version " + std::to_string(*version) : "") + " is not loaded");
  }
  for (auto& r : removed) r->stop(/*drain=*/true);  // as Triton: in-flight requests complete
  for (auto& e : removed_engines) e->stop();
  return {};
}

boost::asio::awaitable<Result<std::shared_ptr<ModelRunner>>> ModelManager::load_on_demand(
    LoadSpec spec, std::chrono::steady_clock::time_point deadline) {
  auto key = std::make_pair(spec.model, spec.version);
  for (;;) {
    std::shared_ptr<LoadWaiter> waiter;
    {
      std::lock_guard lock(mu_);
      if (auto it = runners_.find(key); it != runners_.end()) co_return it->second;
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
    if (auto it = runners_.find(key); it != runners_.end() && it->second == *loaded) evictable_.insert(key);
  }
  metrics_.on_demand_loads.with({model, std::to_string(version)}).inc();
  metrics_.emit({model, version, "loaded_on_demand", "READY", "a request asked for it"});
  spdlog::info("model {}: version {} loaded on demand", model, version);
  enforce_budget(key, 0);
  co_return *loaded;
}

void ModelManager::enforce_budget(const std::pair<std::string, int64_t>& keep, uint64_t incoming) {
  uint64_t budget = budget_.load();
  if (budget == 0) return;
  for (;;) {
    // The loaded runners, taken under the lock; their memory is read from /proc outside it (find() takes the same
    // lock on every request).
    std::vector<std::shared_ptr<ModelRunner>> loaded;
    std::vector<std::shared_ptr<ModelRunner>> candidates;
    {
      std::lock_guard lock(mu_);
      for (const auto& [k, r] : runners_) {
        loaded.push_back(r);
        if (k != keep && evictable_.count(k) != 0) candidates.push_back(r);
      }
    }
    uint64_t total = incoming;
    for (const auto& r : loaded) total += r->resident_bytes();
    if (total <= budget) return;
    std::shared_ptr<ModelRunner> victim;
    for (const auto& r : candidates) {
      if (!victim || r->last_used() < victim->last_used()) victim = r;
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

namespace {

template <typename Map>
typename Map::mapped_type find_in(const Map& map, const std::map<std::string, int64_t>& serving, const std::string& model,
                                  std::optional<int64_t> version) {
  int64_t v = 0;
  if (version) {
    v = *version;
  } else {
    auto it = serving.find(model);
    if (it == serving.end()) return nullptr;
    v = it->second;
  }
  auto it = map.find({model, v});
  return it == map.end() ? nullptr : it->second;
}

}  // namespace

std::shared_ptr<ModelRunner> ModelManager::find(const std::string& model, std::optional<int64_t> version) const {
  std::lock_guard lock(mu_);
  return find_in(runners_, serving_, model, version);
}

std::shared_ptr<EngineModel> ModelManager::find_engine(const std::string& model, std::optional<int64_t> version) const {
  std::lock_guard lock(mu_);
  return find_in(engines_, serving_, model, version);
}

std::vector<std::shared_ptr<ModelRunner>> ModelManager::list() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<ModelRunner>> out;
  for (const auto& [k, r] : runners_) out.push_back(r);
  return out;
}

std::vector<std::shared_ptr<EngineModel>> ModelManager::list_engines() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<EngineModel>> out;
  for (const auto& [k, e] : engines_) out.push_back(e);
  return out;
}

int ModelManager::cpu_slots_in_use() const {
  int slots = 0;
  for (const auto& runner : list()) {
    for (const auto& instance : runner->instances()) slots += instance.alive ? std::max(1, runner->config().threads) : 0;
  }
  return slots + static_cast<int>(list_engines().size());
}

void ModelManager::stop_all() {
  std::lock_guard lock(mu_);
  for (auto& [k, r] : runners_) r->stop();
  for (auto& [k, e] : engines_) e->stop();
  runners_.clear();
  engines_.clear();
  serving_.clear();
}

void ModelManager::kill_all_now() {
  std::lock_guard lock(mu_);
  for (auto& [k, r] : runners_) r->kill_workers_now();
  // Engine workers die with maasd (PR_SET_PDEATHSIG); their objects go with the map.
  engines_.clear();
}

}  // namespace maas::runtime
