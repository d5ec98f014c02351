#include "graph/graph_runner_factory.h"

#include "common/files.h"
#include "common/json_parse.h"
#include "formats/format.h"

namespace maas::graph {
namespace asio = boost::asio;

Result<CheckedGraph> read_graph(const nlohmann::json& document, const GraphSettings& settings,
                                const StepResolver& resolve, const runtime::BackendRegistry& backends) {
  CheckedGraph graph;
  MAAS_ASSIGN_OR_RETURN(graph.spec, parse_graph(document, settings.limits));
  for (auto& [model, ref] : model_refs(graph.spec)) {
    auto record = resolve(model, ref);
    if (!record.ok()) {
      return invalid_argument("maas-graph: step model '" + model + "' version '" + ref +
                              "': " + record.status().message());
    }
    const runtime::BackendInfo* backend = backends.find(record->framework);
    if (record->framework == kGraphFramework || backend == nullptr || backend->kind != runtime::ServingKind::kTensor) {
      return invalid_argument("maas-graph: step model '" + model + "' version " + std::to_string(record->version) +
                              " is " + record->framework +
                              "; a step must be a tensor model (a nested graph is a node of the same document)");
    }
    graph.steps.emplace_back(GraphModel::StepKey{std::move(model), std::move(ref)}, std::move(*record));
  }
  return graph;
}

Status GraphRunnerFactory::check_config(const nlohmann::json& config) const {
  if (config.is_null() || (config.is_object() && config.empty())) return {};
  return invalid_argument("a maas-graph version takes no load config: its steps run with their own deployments");
}

asio::awaitable<Result<std::shared_ptr<runtime::ServedModel>>> GraphRunnerFactory::start(
    const runtime::LoadSpec& load, const runtime::BackendInfo& backend) {
  auto text = read_file(load.artifact, formats::kMaxGraphDocumentBytes);
  if (!text.ok()) co_return text.status();
  auto document = parse_json(*text, "the graph document");
  if (!document.ok()) co_return document.status();
  auto checked = read_graph(*document, settings_, resolve_, models_.backends());
  if (!checked.ok()) co_return checked.status();
  const auto deadline = std::chrono::steady_clock::now() + settings_.step_load_timeout;
  std::map<GraphModel::StepKey, GraphModel::ResolvedStep> steps;
  for (const auto& [key, record] : checked->steps) {
    const std::string& model = key.first;
    auto served = co_await load_(model, record.version, deadline);
    if (!served.ok()) {
      co_return Status(served.status().code(), "graph step model '" + model + "' version " +
                                                   std::to_string(record.version) + ": " + served.status().message());
    }
    steps[key] = {record.version, (*served)->signature()};
  }
  auto shared_spec = std::make_shared<const GraphSpec>(std::move(checked->spec));
  auto graph = GraphModel::create(load.model, load.version, backend, std::move(shared_spec), std::move(steps), models_,
                                  load_, metrics_);
  if (!graph.ok()) co_return graph.status();
  co_return std::shared_ptr<runtime::ServedModel>(std::move(*graph));
}

}  // namespace maas::graph
