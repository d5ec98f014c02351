// The model manager: model workers of every kind, started from the binaries beside maasd, the backends their
// plugins' manifests declare, memory limits and budget, the workers' series, and their events in the log center.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <memory>
#include <optional>

#include "api/log_records.h"
#include "features/api/features_api.h"
#include "logs/log_center.h"
#include "registry/registry.h"
#include "runtime/model_manager.h"
#include "runtime/runtime_metrics.h"
#include "runtime/worker_memory.h"
#include "server/components/components.h"
#include "server/context.h"
#include "supervisor/process.h"

namespace maas::server {
namespace {

class RuntimeComponent final : public Component {
 public:
  std::string_view name() const override { return "runtime"; }

  // The backend registry says which plugin serves what; an invalid manifest is a configuration error.
  Status configure(Context& /*context*/) override {
    auto bin_dir = std::filesystem::canonical("/proc/self/exe").parent_path();
    auto backends = runtime::BackendRegistry::discover(bin_dir / "backends", bin_dir / "maas-worker");
    if (!backends.ok()) return backends.status();
    for (const auto& b : backends->list()) {
      spdlog::info("backend {}: {} runner, plugin {}", b.framework, runtime::serving_kind_name(b.kind),
                   b.library.string());
    }
    backends_ = std::move(*backends);
    return {};
  }

  Status start(Context& context) override {
    const auto& cfg = context.config();
    metrics_ = std::make_unique<runtime::RuntimeMetrics>(context.metrics());
    if (auto* center = context.services().find<logs::LogCenter>()) {
      metrics_->on_event = [center](const runtime::RuntimeEvent& e) { api::record_event(*center, e); };
    }
    models_ = std::make_unique<runtime::ModelManager>(context.io(), *metrics_, std::move(*backends_),
                                                      context.services().get<supervisor::Supervisor>());
    models_->set_memory_budget(cfg.memory_budget_bytes);
    const uint64_t worker_memory_limit = cfg.worker_memory_limit_bytes.value_or(runtime::default_worker_memory_limit());
    models_->set_worker_limits(worker_memory_limit, cfg.max_tensor_elements);
    spdlog::info("model workers: memory limit {} bytes (RLIMIT_DATA{}), tensors up to {} elements", worker_memory_limit,
                 cfg.worker_memory_limit_bytes ? "" : ", auto: half of the memory maasd may use",
                 cfg.max_tensor_elements);
    // A version with a feature pipeline attached gets it in its workers (features/serving/).
    if (auto* features = context.services().find<features::FeaturesApi>()) {
      models_->set_worker_args_hook(
          [features](const std::string& m, int64_t v) { return features->worker_args(m, v); });
    }
    // A deployed version cannot be deleted from the registry.
    context.services().get<registry::Registry>().set_deployment_check(
        [models = models_.get()](const std::string& m, int64_t v) { return models->is_loaded(m, v); });
    context.metrics().add_collector([models = models_.get(), metrics = metrics_.get()] {
      for (const auto& r : models->list()) {
        auto instances = r->instances();
        for (const auto& instance : instances) {
          metrics::Labels labels{r->model(), std::to_string(r->version()), std::to_string(instance.index)};
          metrics->worker_rss.with(labels).set(static_cast<double>(instance.rss_bytes));
          metrics->worker_cpu.with(labels).set_sampled(instance.cpu_seconds);
        }
      }
    });
    context.services().provide(*metrics_);
    context.services().provide(*models_);
    return {};
  }

  // The I/O threads have stopped: end the workers now rather than leaving it to their death signal.
  void stop() override {
    if (models_) models_->kill_all_now();
  }

 private:
  std::optional<runtime::BackendRegistry> backends_;
  std::unique_ptr<runtime::RuntimeMetrics> metrics_;
  std::unique_ptr<runtime::ModelManager> models_;
};

}  // namespace

std::unique_ptr<Component> make_runtime_component() { return std::make_unique<RuntimeComponent>(); }

}  // namespace maas::server
