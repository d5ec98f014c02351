// One loaded maas-graph version: a ServedModel that runs in maasd itself and has no worker of its own. Each model
// step is a registered version served by its own workers through ModelManager (loaded on demand when the graph
// loads, and again if it was unloaded since); the graph resolves its steps' aliases when it loads, derives its
// signature from theirs, and runs requests through a GraphExecutor with a metric per step.
// Thread-safety: every method may be called from any thread (state and statistics under a mutex). Lifetime:
// owned by shared_ptr (ModelManager and the requests in flight); stop() only marks it, steps stop on their own.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "graph/graph_executor.h"
#include "graph/graph_spec.h"
#include "graph/step_invoker.h"
#include "metrics/metrics.h"
#include "runtime/model_manager.h"
#include "runtime/served_model.h"

namespace maas::graph {

// maas_graph_step_duration_seconds{graph, step}.
struct GraphMetrics {
  explicit GraphMetrics(metrics::Registry& registry);
  metrics::Family<metrics::Histogram>& step_duration;
};

// Loads a step's version (or finds it loaded) by `deadline`.
using StepLoader = std::function<boost::asio::awaitable<Result<std::shared_ptr<runtime::ServedModel>>>(
    const std::string& model, int64_t version, std::chrono::steady_clock::time_point deadline)>;

class GraphModel : public runtime::ServedModel, public StepInvoker, public std::enable_shared_from_this<GraphModel> {
 public:
  // A step's model as the graph resolved it when it loaded.
  struct ResolvedStep {
    int64_t version = 0;
    runtime::ModelSignature signature;
  };
  using StepKey = std::pair<std::string, std::string>;  // (model, version ref as the document wrote it)

  // The graph over `steps` (every model step of `spec` resolved); INVALID_ARGUMENT when its signature cannot be
  // derived. `models`, `loader` and `metrics` must outlive it.
  static Result<std::shared_ptr<GraphModel>> create(std::string model, int64_t version, runtime::BackendInfo backend,
                                                    std::shared_ptr<const GraphSpec> spec,
                                                    std::map<StepKey, ResolvedStep> steps,
                                                    runtime::ModelManager& models, StepLoader loader,
                                                    GraphMetrics& metrics);

  // Runs one request; `trace` (may be null) receives what ran. UNAVAILABLE once stopped.
  boost::asio::awaitable<Result<std::vector<runtime::Tensor>>> infer(std::vector<runtime::Tensor> inputs,
                                                                     RunOptions options, std::shared_ptr<Trace> trace);
  const GraphSpec& spec() const { return *spec_; }

  // ServedModel.
  const std::string& model() const override { return model_; }
  int64_t version() const override { return version_; }
  const runtime::BackendInfo& backend() const override { return backend_; }
  runtime::ModelState state() const override;
  std::string reason() const override;
  runtime::ModelSignature signature() const override { return *signature_; }
  // The signature without a copy, for each request's check.
  std::shared_ptr<const runtime::ModelSignature> shared_signature() const { return signature_; }
  nlohmann::json config_json() const override;
  runtime::ModelStats stats() const override;
  std::vector<runtime::InstanceInfo> instances() const override { return {}; }
  uint64_t resident_bytes() const override { return 0; }  // its steps' workers count as their own versions
  std::chrono::steady_clock::time_point last_used() const override;
  int cpu_slots_in_use() const override { return 0; }
  void stop(bool drain = false) override;
  void kill_now() override {}
  std::shared_ptr<GraphModel> as_graph() override { return shared_from_this(); }

  // StepInvoker.
  Result<int64_t> version_of(const Step& step) const override;
  Result<const runtime::ModelSignature*> signature_of(const Step& step) const override;
  boost::asio::awaitable<Result<std::vector<runtime::Tensor>>> run(const Step& step,
                                                                   std::vector<runtime::Tensor> inputs,
                                                                   const RunOptions& options) override;
  void observe(const std::string& label, double seconds) override;

 private:
  GraphModel(std::string model, int64_t version, runtime::BackendInfo backend, std::shared_ptr<const GraphSpec> spec,
             std::map<StepKey, ResolvedStep> steps, runtime::ModelManager& models, StepLoader loader,
             GraphMetrics& metrics);
  Result<const ResolvedStep*> resolved(const Step& step) const;

  std::string model_;
  int64_t version_;
  runtime::BackendInfo backend_;
  std::shared_ptr<const GraphSpec> spec_;
  std::map<StepKey, ResolvedStep> steps_;  // read-only after construction
  runtime::ModelManager& models_;
  StepLoader loader_;
  GraphMetrics& metrics_;
  std::shared_ptr<const runtime::ModelSignature> signature_;  // set once by create()
  std::atomic<std::chrono::steady_clock::rep> last_used_;

  mutable std::mutex mu_;
  bool stopped_ = false;
  runtime::ModelStats stats_;
};

}  // namespace maas::graph
