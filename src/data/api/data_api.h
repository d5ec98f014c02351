// maasd's data-center API (docs/DATA.md): /api/v1/datasets (datasets, versions made by uploading CSV, TSV, JSON Lines
// or Parquet, aliases, previews, downloads, rejected rows) and POST /api/v1/rules/discover. DataApi owns what these
// routes share: the dataset store and registry, a blocking pool of its own for DuckDB and discovery work (never the
// event loops'), and the bounds on imports, downloads and discoveries in flight.
//
// Lifetime: the DataApi must outlive the HTTP server (its routes refer to it); the artifact store must outlive the
// DataApi. All members are safe to use from any thread.
#pragma once

#include <functional>
#include <memory>

#include "api/blocking.h"
#include "artifacts/artifact_store.h"
#include "common/status.h"
#include "config/server_config.h"
#include "data/api/work_slots.h"
#include "data/datasets/dataset_registry.h"
#include "http/router.h"
#include "store/dataset_store.h"

namespace maas::data::api {

struct DataApiLimits {
  int64_t max_preview_rows = 10'000;
  uint64_t discover_max_body_bytes = 64ull << 20;
};

class DataApi {
 public:
  // Opens the dataset tables in <data_dir>/metadata.db and the registry (spilling under <data_dir>/data/spill).
  // `collect_garbage` removes the blobs nothing references any more; it runs on the pool after a delete.
  static Result<std::unique_ptr<DataApi>> open(const config::ServerConfig& cfg, artifacts::ArtifactStore& artifacts,
                                               std::function<void()> collect_garbage);
  ~DataApi();

  void add_routes(http::Router& router);

  DatasetRegistry& registry() { return *registry_; }
  artifacts::ArtifactStore& artifacts() { return artifacts_; }
  maas::api::BlockingPool& pool() { return *pool_; }
  WorkSlots& imports() { return imports_; }
  WorkSlots& downloads() { return downloads_; }
  WorkSlots& discoveries() { return discoveries_; }
  const DataApiLimits& limits() const { return limits_; }
  void collect_garbage() { collect_garbage_(); }

 private:
  DataApi(const config::ServerConfig& cfg, artifacts::ArtifactStore& artifacts, std::function<void()> collect_garbage);

  artifacts::ArtifactStore& artifacts_;
  std::function<void()> collect_garbage_;
  DataApiLimits limits_;
  WorkSlots imports_;
  WorkSlots downloads_;
  WorkSlots discoveries_;
  std::unique_ptr<store::DatasetStore> store_;
  std::unique_ptr<DatasetRegistry> registry_;
  // Last, so it is joined first: work still on it uses the registry.
  std::unique_ptr<maas::api::BlockingPool> pool_;
};

// Opens the DataApi and registers its routes: maasd's one call. The result must outlive the server.
Result<std::unique_ptr<DataApi>> add_data_routes(http::Router& router, const config::ServerConfig& cfg,
                                                 artifacts::ArtifactStore& artifacts,
                                                 std::function<void()> collect_garbage);

}  // namespace maas::data::api
