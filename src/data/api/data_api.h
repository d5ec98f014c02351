// maasd's data-center API (docs/DATA.md): /api/v1/datasets (datasets, versions made by uploading CSV, TSV, JSON Lines
// or Parquet, aliases, previews, downloads, rejected rows), /api/v1/sources (sources, pushed rows, snapshots run as
// data.snapshot jobs) and POST /api/v1/rules/discover. DataApi owns what these
// routes share: the dataset store and registry, a blocking pool of its own for DuckDB and discovery work (never the
// event loops'), and the bounds on imports, downloads and discoveries in flight.
//
// Lifetime: the DataApi must outlive the HTTP server (its routes refer to it); the artifact store must outlive the
// DataApi. All members are safe to use from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "api/blocking.h"
#include "artifacts/artifact_store.h"
#include "common/status.h"
#include "config/server_config.h"
#include "data/api/work_slots.h"
#include "data/datasets/dataset_registry.h"
#include "data/rules/rule.h"
#include "data/rules/rule_store.h"
#include "data/sources/source_store.h"
#include "http/router.h"
#include "jobs/job_kind.h"
#include "jobs/job_service.h"
#include "logs/log_center.h"
#include "store/dataset_store.h"

namespace maas::data::api {

struct DataApiLimits {
  int64_t max_preview_rows = 10'000;
  uint64_t discover_max_body_bytes = 64ull << 20;
  uint64_t push_max_body_bytes = 16ull << 20;
  rules::RuleLimits rules;  // rules.max_pattern_bytes, rules.regex_max_mem_bytes
  uint64_t rules_test_max_body_bytes = 4ull << 20;
  engine::EngineOptions rule_engine;  // a rule test's database: datasets.memory_limit and .threads
};

// What sources and their snapshot jobs need of maasd's configuration.
struct SourceSettings {
  std::filesystem::path data_dir;
  sources::FileRoots file_roots;
  uint64_t memory_limit_bytes = 1ull << 30;  // each snapshot job's DuckDB (files)
};

class DataApi {
 public:
  // Opens the dataset tables in <data_dir>/metadata.db and the registry (spilling under <data_dir>/data/spill).
  // `collect_garbage` removes the blobs nothing references any more; it runs on the pool after a delete.
  static Result<std::unique_ptr<DataApi>> open(const config::ServerConfig& cfg, artifacts::ArtifactStore& artifacts,
                                               std::function<void()> collect_garbage);
  ~DataApi();

  void add_routes(http::Router& router);

  // The job kinds the data center owns (data.snapshot), for the job system to register before it starts.
  std::vector<jobs::JobKind> job_kinds();
  // A kind owned elsewhere whose maasd half works on the data center (features.timeseries): job_kinds() returns it
  // with the data center's own. Call before the job system starts.
  void add_job_kind(jobs::JobKind kind) { added_kinds_.push_back(std::move(kind)); }
  // Once the job system runs: snapshots are submitted to it (until then they are refused with 503). `service`
  // must outlive the routes.
  void attach_jobs(jobs::JobService* service) { jobs_.store(service); }
  jobs::JobService* jobs() { return jobs_.load(); }
  // maasd's log center, which logs sources query; until attached they are refused with 503.
  void attach_logs(logs::LogCenter* center) { logs_.store(center); }
  logs::LogCenter* log_center() { return logs_.load(); }

  DatasetRegistry& registry() { return *registry_; }
  artifacts::ArtifactStore& artifacts() { return artifacts_; }
  maas::api::BlockingPool& pool() { return *pool_; }
  WorkSlots& imports() { return imports_; }
  WorkSlots& downloads() { return downloads_; }
  WorkSlots& discoveries() { return discoveries_; }
  sources::SourceStore& sources() { return *sources_; }
  rules::RuleStore& rules() { return *rules_; }
  const SourceSettings& source_settings() const { return source_settings_; }
  // Held while a push source's rows file is appended to (one writer at a time keeps lines whole).
  std::mutex& push_mutex() { return push_mutex_; }
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
  SourceSettings source_settings_;
  std::unique_ptr<sources::SourceStore> sources_;
  std::unique_ptr<rules::RuleStore> rules_;
  std::atomic<jobs::JobService*> jobs_{nullptr};
  std::atomic<logs::LogCenter*> logs_{nullptr};
  std::mutex push_mutex_;
  std::vector<jobs::JobKind> added_kinds_;
  // Last, so it is joined first: work still on it uses the registry.
  std::unique_ptr<maas::api::BlockingPool> pool_;
};

// Opens the DataApi and registers its routes: maasd's one call. The result must outlive the server.
Result<std::unique_ptr<DataApi>> add_data_routes(http::Router& router, const config::ServerConfig& cfg,
                                                 artifacts::ArtifactStore& artifacts,
                                                 std::function<void()> collect_garbage);

}  // namespace maas::data::api
