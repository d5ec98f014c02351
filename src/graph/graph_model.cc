#include "graph/graph_model.h"

#include "graph/graph_signature.h"
#include "runtime/model_runner.h"

namespace maas::graph {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

GraphMetrics::GraphMetrics(metrics::Registry& registry)
    : step_duration(registry.histogram("maas_graph_step_duration_seconds",
                                       "Time of one model step of an inference graph (its queue and compute), by "
                                       "graph and step (<node>.<step>)",
                                       {"graph", "step"}, metrics::latency_buckets())) {}

GraphModel::GraphModel(std::string model, int64_t version, runtime::BackendInfo backend,
                       std::shared_ptr<const GraphSpec> spec, std::map<StepKey, ResolvedStep> steps,
                       runtime::ModelManager& models, StepLoader loader, GraphMetrics& metrics)
    : model_(std::move(model)),
      version_(version),
      backend_(std::move(backend)),
      spec_(std::move(spec)),
      steps_(std::move(steps)),
      models_(models),
      loader_(std::move(loader)),
      metrics_(metrics),
      last_used_(Clock::now().time_since_epoch().count()) {}

Result<std::shared_ptr<GraphModel>> GraphModel::create(std::string model, int64_t version, runtime::BackendInfo backend,
                                                       std::shared_ptr<const GraphSpec> spec,
                                                       std::map<StepKey, ResolvedStep> steps,
                                                       runtime::ModelManager& models, StepLoader loader,
                                                       GraphMetrics& metrics) {
  std::shared_ptr<GraphModel> graph(new GraphModel(std::move(model), version, std::move(backend), std::move(spec),
                                                   std::move(steps), models, std::move(loader), metrics));
  MAAS_ASSIGN_OR_RETURN(auto signature, derive_signature(*graph->spec_, *graph));
  graph->signature_ = std::make_shared<const runtime::ModelSignature>(std::move(signature));
  return graph;
}

asio::awaitable<Result<std::vector<runtime::Tensor>>> GraphModel::infer(std::vector<runtime::Tensor> inputs,
                                                                        RunOptions options,
                                                                        std::shared_ptr<Trace> trace) {
  {
    std::lock_guard lock(mu_);
    if (stopped_) {
      co_return unavailable("graph '" + model_ + "' version " + std::to_string(version_) + " is unloading");
    }
  }
  const auto started = Clock::now();
  last_used_.store(started.time_since_epoch().count(), std::memory_order_relaxed);
  GraphExecutor executor(spec_, shared_from_this());
  auto outputs = co_await executor.run(std::move(inputs), std::move(options), std::move(trace));
  std::lock_guard lock(mu_);
  (outputs.ok() ? stats_.success : stats_.fail).add(Clock::now() - started);
  if (outputs.ok()) {
    ++stats_.inference_count;
    stats_.last_inference_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
  }
  co_return outputs;
}

runtime::ModelState GraphModel::state() const {
  std::lock_guard lock(mu_);
  return stopped_ ? runtime::ModelState::kUnloading : runtime::ModelState::kReady;
}

std::string GraphModel::reason() const {
  std::lock_guard lock(mu_);
  return stopped_ ? "unloading" : "";
}

nlohmann::json GraphModel::config_json() const {
  auto steps = nlohmann::json::array();
  for (const auto& [key, step] : steps_) {
    steps.push_back({{"model", key.first}, {"ref", key.second}, {"version", step.version}});
  }
  return {{"root", spec_->root}, {"steps", std::move(steps)}};
}

runtime::ModelStats GraphModel::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

Clock::time_point GraphModel::last_used() const {
  return Clock::time_point(Clock::duration(last_used_.load(std::memory_order_relaxed)));
}

void GraphModel::stop(bool /*drain*/) {
  std::lock_guard lock(mu_);
  stopped_ = true;
}

Result<const GraphModel::ResolvedStep*> GraphModel::resolved(const Step& step) const {
  auto it = steps_.find({step.model, step.version});
  if (it == steps_.end()) return internal_error("graph step '" + step.name + "' was not resolved at load");
  return &it->second;
}

Result<int64_t> GraphModel::version_of(const Step& step) const {
  MAAS_ASSIGN_OR_RETURN(const ResolvedStep* r, resolved(step));
  return r->version;
}

Result<const runtime::ModelSignature*> GraphModel::signature_of(const Step& step) const {
  MAAS_ASSIGN_OR_RETURN(const ResolvedStep* r, resolved(step));
  return &r->signature;
}

asio::awaitable<Result<std::vector<runtime::Tensor>>> GraphModel::run(const Step& step,
                                                                      std::vector<runtime::Tensor> inputs,
                                                                      const RunOptions& options) {
  auto version = version_of(step);
  if (!version.ok()) co_return version.status();
  auto served = models_.find(step.model, *version);
  if (!served) {
    // Unloaded (or evicted) since the graph loaded: its version loads again, as on demand.
    auto loaded = co_await loader_(step.model, *version, options.deadline);
    if (!loaded.ok()) co_return loaded.status();
    served = *loaded;
  }
  auto runner = served->as_tensor();
  if (!runner) co_return invalid_argument("model '" + step.model + "' is not a tensor model; a graph step must be one");
  runtime::ExecuteRequest request;
  request.inputs = std::move(inputs);
  auto outputs = co_await runner->infer(std::move(request), options.priority, options.deadline);
  co_return outputs;
}

void GraphModel::observe(const std::string& label, double seconds) {
  metrics_.step_duration.with({model_, label}).observe(seconds);
}

}  // namespace maas::graph
