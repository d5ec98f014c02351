// Inference graphs (src/graph/, docs/GRAPHS.md): maas-graph versions served by the model manager in maasd itself,
// their steps by their own versions' workers; the registry's check of a graph at upload; the step metric.
#include <memory>

#include "api/v2_context.h"
#include "graph/graph_runner_factory.h"
#include "registry/registry.h"
#include "runtime/model_manager.h"
#include "server/components/components.h"
#include "server/context.h"

namespace maas::server {
namespace {
namespace asio = boost::asio;

// A step's version, loaded on demand unless it already is.
asio::awaitable<Result<std::shared_ptr<runtime::ServedModel>>> load_step(
    registry::Registry& registry, runtime::ModelManager& models, std::string model, int64_t version,
    std::chrono::steady_clock::time_point deadline) {
  if (auto served = models.find(model, version)) co_return served;
  auto record = registry.get_version(model, std::to_string(version));
  if (!record.ok()) co_return record.status();
  runtime::LoadSpec spec = api::load_spec(registry, model, record->version);
  auto served = co_await models.load_on_demand(std::move(spec), deadline);
  co_return served;
}

class GraphComponent final : public Component {
 public:
  std::string_view name() const override { return "graph"; }

  Status start(Context& context) override {
    const auto& cfg = context.config();
    settings_.limits = {static_cast<int>(cfg.graph_max_steps), static_cast<int>(cfg.graph_max_depth),
                        static_cast<int>(cfg.graph_max_fan_out)};
    settings_.step_load_timeout = std::chrono::milliseconds(cfg.graph_step_load_timeout_ms);
    auto& registry = context.services().get<registry::Registry>();
    auto& models = context.services().get<runtime::ModelManager>();
    metrics_ = std::make_unique<graph::GraphMetrics>(context.metrics());
    graph::StepResolver resolve = [&registry](const std::string& model,
                                              const std::string& ref) -> Result<graph::StepRecord> {
      MAAS_ASSIGN_OR_RETURN(auto view, registry.get_version(model, ref));
      return graph::StepRecord{view.version.version, view.version.framework};
    };
    graph::StepLoader load = [&registry, &models](const std::string& model, int64_t version,
                                                  std::chrono::steady_clock::time_point deadline) {
      return load_step(registry, models, model, version, deadline);
    };
    models.add_builtin_backend({graph::kGraphFramework, "maas_graph", runtime::ServingKind::kGraph,
                                std::filesystem::path(), std::filesystem::path()});
    models.register_runner(runtime::ServingKind::kGraph,
                           std::make_unique<graph::GraphRunnerFactory>(settings_, resolve, load, models, *metrics_));
    // A graph whose steps name no registered tensor version, or over the limits, is refused at upload.
    registry.set_upload_check(
        [this, resolve, &models](const std::string&, const formats::ArtifactInfo& info) -> Status {
          if (info.framework != formats::Framework::kGraph) return {};
          return graph::read_graph(info.details.at("graph"), settings_, resolve, models.backends()).status();
        });
    return {};
  }

 private:
  graph::GraphSettings settings_;
  std::unique_ptr<graph::GraphMetrics> metrics_;
};

}  // namespace

std::unique_ptr<Component> make_graph_component() { return std::make_unique<GraphComponent>(); }

}  // namespace maas::server
