// The set of loaded model versions: load (spawn and warm up workers), reload with no downtime (the new runner
// serves only once it is ready; then the old one is unloaded), unload, and lookup for inference.
// Thread-safe: the map is guarded by a mutex; runners do their own synchronization.
#pragma once

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

#include "runtime/model_runner.h"

namespace maas::runtime {

struct LoadSpec {
  std::string model;
  int64_t version = 0;
  std::string framework;
  std::filesystem::path artifact;
  std::string digest;
  DeploymentConfig config;
};

class ModelManager {
 public:
  ModelManager(boost::asio::io_context& io, RuntimeMetrics& metrics, std::filesystem::path worker_binary)
      : io_(io), metrics_(metrics), worker_binary_(std::move(worker_binary)) {}

  // Loads a version and makes it the model's serving version once READY. Other versions of the model are
  // unloaded afterwards unless `keep_others`. FAILED_PRECONDITION while the same version is already loading.
  boost::asio::awaitable<Result<std::shared_ptr<ModelRunner>>> load(LoadSpec spec, bool keep_others);
  // Unloads one version, or every version of the model when `version` is empty. NOT_FOUND when none is loaded.
  Status unload(const std::string& model, std::optional<int64_t> version);
  // The runner for a version, or the model's serving version when `version` is empty; null when not loaded.
  std::shared_ptr<ModelRunner> find(const std::string& model, std::optional<int64_t> version) const;
  std::vector<std::shared_ptr<ModelRunner>> list() const;
  bool is_loaded(const std::string& model, int64_t version) const { return find(model, version) != nullptr; }
  void stop_all();
  // Kills every worker at once. Only for shutdown, once the io_context has stopped running.
  void kill_all_now();

 private:
  boost::asio::io_context& io_;
  RuntimeMetrics& metrics_;
  std::filesystem::path worker_binary_;
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int64_t>, std::shared_ptr<ModelRunner>> runners_;
  std::map<std::string, int64_t> serving_;  // model -> version that unversioned requests go to
  std::set<std::pair<std::string, int64_t>> loading_;
};

}  // namespace maas::runtime
