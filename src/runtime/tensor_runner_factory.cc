#include "runtime/tensor_runner_factory.h"

#include "runtime/model_runner.h"

namespace maas::runtime {

Status TensorRunnerFactory::check_config(const nlohmann::json& config) const {
  return parse_deployment_config(config).status();
}

boost::asio::awaitable<Result<std::shared_ptr<ServedModel>>> TensorRunnerFactory::start(const LoadSpec& spec,
                                                                                         const BackendInfo& backend) {
  auto config = parse_deployment_config(spec.config);
  if (!config.ok()) co_return config.status();
  WorkerOptions worker = worker_options(spec, backend, config->threads);
  worker.memory_limit_bytes = config->memory_limit_bytes > 0 ? config->memory_limit_bytes : limits_.memory_limit_bytes;
  worker.max_tensor_elements = limits_.max_tensor_elements;
  // The worker refuses a model whose inputs claim more, and bounds its warm-up by it.
  worker.extra_args = {"--max-tensor-elements", std::to_string(limits_.max_tensor_elements)};
  worker.extra_args.insert(worker.extra_args.end(), spec.worker_args.begin(), spec.worker_args.end());
  auto runner = std::make_shared<ModelRunner>(io_, supervisor_, spec.model, spec.version, backend, worker, *config,
                                              metrics_);
  Status started = co_await runner->start();
  if (!started.ok()) {
    runner->stop();
    co_return started;
  }
  co_return std::shared_ptr<ServedModel>(runner);
}

}  // namespace maas::runtime
