// Starts maas-graph versions (ServingKind::kGraph) in ModelManager: reads the document, resolves every model step
// (a version number or an alias, at load: reload the graph to follow a moved alias), loads the steps' versions on
// demand, and makes the GraphModel. A graph's load config takes no fields: its steps run with their own.
// Thread-safety: start() may be called from any coroutine; everything it holds is set before serving.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "graph/graph_model.h"
#include "graph/graph_spec.h"
#include "runtime/model_manager.h"

namespace maas::graph {

// The framework name of a graph version, as the registry records it, and its Open Inference platform.
inline constexpr const char* kGraphFramework = "maas-graph";

// What a graph reads a step's registry record through: the version a (model, ref) names now, and its framework.
struct StepRecord {
  int64_t version = 0;
  std::string framework;
};
using StepResolver = std::function<Result<StepRecord>(const std::string& model, const std::string& ref)>;

// The graph.* settings.
struct GraphSettings {
  GraphLimits limits;
  std::chrono::milliseconds step_load_timeout{120'000};  // graph.step_load_timeout_ms
};

// A maas-graph document read and checked, with the record each model step resolved to.
struct CheckedGraph {
  GraphSpec spec;
  std::vector<std::pair<GraphModel::StepKey, StepRecord>> steps;  // each (model, version ref) of model_refs(spec)
};

// A maas-graph document read and checked: parsed within `settings.limits`, every model step resolved to a tensor
// model's version (INVALID_ARGUMENT naming the step otherwise: a missing model, version or alias, a graph or a
// generative model as a step). A graph loads the versions resolved here: an alias that moves meanwhile does not
// bring in a version this did not check.
Result<CheckedGraph> read_graph(const nlohmann::json& document, const GraphSettings& settings,
                                const StepResolver& resolve, const runtime::BackendRegistry& backends);

class GraphRunnerFactory : public runtime::RunnerFactory {
 public:
  // Everything passed must outlive the factory (the component owns them).
  GraphRunnerFactory(GraphSettings settings, StepResolver resolve, StepLoader load, runtime::ModelManager& models,
                     GraphMetrics& metrics)
      : settings_(settings), resolve_(std::move(resolve)), load_(std::move(load)), models_(models), metrics_(metrics) {}

  Status check_config(const nlohmann::json& config) const override;
  boost::asio::awaitable<Result<std::shared_ptr<runtime::ServedModel>>> start(
      const runtime::LoadSpec& spec, const runtime::BackendInfo& backend) override;

 private:
  GraphSettings settings_;
  StepResolver resolve_;
  StepLoader load_;
  runtime::ModelManager& models_;
  GraphMetrics& metrics_;
};

}  // namespace maas::graph
