#include "runtime/model_manager.h"

#include <spdlog/spdlog.h>

namespace maas::runtime {

boost::asio::awaitable<Result<std::shared_ptr<ModelRunner>>> ModelManager::load(LoadSpec spec, bool keep_others) {
  auto key = std::make_pair(spec.model, spec.version);
  {
    std::lock_guard lock(mu_);
    if (loading_.count(key) != 0) {
      co_return failed_precondition("model " + spec.model + " version " + std::to_string(spec.version) +
                                    " is already loading");
    }
    loading_.insert(key);
  }
  WorkerOptions worker;
  worker.worker_binary = worker_binary_;
  worker.framework = spec.framework;
  worker.artifact = spec.artifact;
  worker.digest = spec.digest;
  worker.threads = spec.config.threads;
  worker.memory_limit_bytes = spec.config.memory_limit_bytes;
  auto runner = std::make_shared<ModelRunner>(io_, spec.model, spec.version, worker, spec.config, metrics_);
  Status started = co_await runner->start();
  std::vector<std::shared_ptr<ModelRunner>> retired;
  {
    std::lock_guard lock(mu_);
    loading_.erase(key);
    if (!started.ok()) {
      runner->stop();
      co_return started;
    }
    // The swap is atomic for callers: they see the old runner or the new, ready one.
    auto& slot = runners_[key];
    if (slot) retired.push_back(slot);
    slot = runner;
    serving_[spec.model] = spec.version;
    if (!keep_others) {
      for (auto it = runners_.begin(); it != runners_.end();) {
        if (it->first.first == spec.model && it->first.second != spec.version) {
          retired.push_back(it->second);
          it = runners_.erase(it);
        } else {
          ++it;
        }
      }
    }
  }
  for (auto& old : retired) {
    spdlog::info("model {}: version {} replaced by version {}", spec.model, old->version(), spec.version);
    metrics_.emit({spec.model, old->version(), "replaced", "", "replaced by version " + std::to_string(spec.version)});
    old->stop();
  }
  co_return runner;
}

Status ModelManager::unload(const std::string& model, std::optional<int64_t> version) {
  std::vector<std::shared_ptr<ModelRunner>> removed;
  {
    std::lock_guard lock(mu_);
    for (auto it = runners_.begin(); it != runners_.end();) {
      if (it->first.first == model && (!version || it->first.second == *version)) {
        removed.push_back(it->second);
        it = runners_.erase(it);
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
    }
  }
  if (removed.empty()) {
    return not_found("model " + model + (version ? " version " + std::to_string(*version) : "") + " is not loaded");
  }
  for (auto& r : removed) r->stop();
  return {};
}

std::shared_ptr<ModelRunner> ModelManager::find(const std::string& model, std::optional<int64_t> version) const {
  std::lock_guard lock(mu_);
  int64_t v = 0;
  if (version) {
    v = *version;
  } else {
    auto it = serving_.find(model);
    if (it == serving_.end()) return nullptr;
    v = it->second;
  }
  auto it = runners_.find({model, v});
  return it == runners_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<ModelRunner>> ModelManager::list() const {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<ModelRunner>> out;
  for (const auto& [k, r] : runners_) out.push_back(r);
  return out;
}

void ModelManager::stop_all() {
  std::lock_guard lock(mu_);
  for (auto& [k, r] : runners_) r->stop();
  runners_.clear();
  serving_.clear();
}

}  // namespace maas::runtime

namespace maas::runtime {

void ModelManager::kill_all_now() {
  std::lock_guard lock(mu_);
  for (auto& [k, r] : runners_) r->kill_workers_now();
}

}  // namespace maas::runtime
