// The model registry: the metadata store and the content-addressed artifact store in the data directory,
// /api/v1/models, garbage collection (at start, after a crash may have left orphans, then periodically) and the
// stores' sizes for /metrics.
#include <memory>

#include "api/registry_routes.h"
#include "registry/registry.h"
#include "server/components/collect_garbage.h"
#include "server/components/components.h"
#include "server/context.h"
#include "server/server_metrics.h"
#include "store/sqlite/sqlite_metadata_store.h"

namespace maas::server {
namespace {

class RegistryComponent final : public Component {
 public:
  std::string_view name() const override { return "registry"; }

  Status start(Context& context) override {
    const auto& cfg = context.config();
    db_ = cfg.data_dir / "metadata.db";
    auto metadata = store::sqlite::SqliteMetadataStore::open(db_);
    if (!metadata.ok()) {
      return Status(metadata.status().code(), "cannot open the metadata store: " + metadata.status().message());
    }
    metadata_ = std::move(*metadata);
    auto artifacts = artifacts::ArtifactStore::open(cfg.data_dir / "artifacts", cfg.max_artifact_bytes);
    if (!artifacts.ok()) {
      return Status(artifacts.status().code(), "cannot open the artifact store: " + artifacts.status().message());
    }
    artifacts_ = std::move(*artifacts);
    registry_ = std::make_unique<registry::Registry>(*metadata_, *artifacts_);
    registry_->set_max_tensor_elements(cfg.max_tensor_elements);
    // A crash between storing a blob and recording its version leaves an orphan blob; collect it now.
    if (auto gc = registry_->collect_garbage(); gc.ok() && gc->removed_blobs > 0) {
      spdlog::info("removed {} orphaned blobs left by an earlier crash", gc->removed_blobs);
    }
    context.services().provide(*metadata_);
    context.services().provide(*artifacts_);
    context.services().provide(*registry_);

    sizes_ = std::make_unique<StoreSizeMetrics>(context.metrics());
    sizes_->sample(*metadata_, *artifacts_, db_);
    context.every(std::chrono::milliseconds(cfg.gc_interval_ms), [this] { collect_garbage(*registry_); });
    context.every(std::chrono::milliseconds(cfg.metrics_sample_interval_ms),
                  [this] { sizes_->sample(*metadata_, *artifacts_, db_); });
    api::add_registry_routes(context.router(), *registry_, context.blocking());
    return {};
  }

 private:
  std::filesystem::path db_;
  std::unique_ptr<store::MetadataStore> metadata_;
  std::unique_ptr<artifacts::ArtifactStore> artifacts_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<StoreSizeMetrics> sizes_;
};

}  // namespace

std::unique_ptr<Component> make_registry_component() { return std::make_unique<RegistryComponent>(); }

}  // namespace maas::server
