// The generative runner: versions whose backend serves generatively (GGUF) run in LLM workers under the one
// manager and supervisor; their series.
#include <memory>

#include "llm/llm_runner.h"
#include "runtime/model_manager.h"
#include "runtime/runtime_metrics.h"
#include "server/components/components.h"
#include "server/context.h"
#include "supervisor/process.h"

namespace maas::server {
namespace {

class LlmComponent final : public Component {
 public:
  std::string_view name() const override { return "llm"; }

  Status start(Context& context) override {
    auto& services = context.services();
    metrics_ = std::make_unique<llm::LlmMetrics>(context.metrics());
    services.get<runtime::ModelManager>().register_runner(
        runtime::ServingKind::kGenerative,
        std::make_unique<llm::LlmRunnerFactory>(context.io(), services.get<supervisor::Supervisor>(), *metrics_,
                                                services.get<runtime::RuntimeMetrics>()));
    return {};
  }

 private:
  std::unique_ptr<llm::LlmMetrics> metrics_;
};

}  // namespace

std::unique_ptr<Component> make_llm_component() { return std::make_unique<LlmComponent>(); }

}  // namespace maas::server
