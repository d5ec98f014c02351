// Starts tensor versions (ServingKind::kTensor): a ModelRunner over supervised maas-worker processes that load the
// backend's plugin, with the load config read as a DeploymentConfig and the server's worker limits.
// Thread-safety: start() may be called from any coroutine; the limits are read when a version starts.
#pragma once

#include <boost/asio/io_context.hpp>

#include "runtime/model_manager.h"
#include "supervisor/process.h"

namespace maas::runtime {

class TensorRunnerFactory : public RunnerFactory {
 public:
  // `limits` must outlive the factory (ModelManager owns both), `supervisor` every runner it makes.
  TensorRunnerFactory(boost::asio::io_context& io, supervisor::Supervisor& supervisor, RuntimeMetrics& metrics,
                      const WorkerLimits& limits)
      : io_(io), supervisor_(supervisor), metrics_(metrics), limits_(limits) {}

  Status check_config(const nlohmann::json& config) const override;
  boost::asio::awaitable<Result<std::shared_ptr<ServedModel>>> start(const LoadSpec& spec,
                                                                     const BackendInfo& backend) override;

 private:
  boost::asio::io_context& io_;
  supervisor::Supervisor& supervisor_;
  RuntimeMetrics& metrics_;
  const WorkerLimits& limits_;
};

}  // namespace maas::runtime
