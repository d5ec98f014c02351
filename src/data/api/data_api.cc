#include "data/api/data_api.h"

#include "data/api/routes.h"
#include "store/sqlite/sqlite_dataset_store.h"

namespace maas::data::api {

DataApi::DataApi(const config::ServerConfig& cfg, artifacts::ArtifactStore& artifacts,
                 std::function<void()> collect_garbage)
    : artifacts_(artifacts),
      collect_garbage_(std::move(collect_garbage)),
      limits_{cfg.datasets_max_preview_rows,
              cfg.rules_discover_max_body_bytes,
              cfg.sources_push_max_body_bytes,
              rules::RuleLimits{cfg.rules_max_pattern_bytes, static_cast<int64_t>(cfg.rules_regex_max_mem_bytes)},
              cfg.rules_test_max_body_bytes,
              engine::EngineOptions{}},
      imports_("dataset imports", "datasets.max_concurrent_imports", cfg.datasets_max_concurrent_imports),
      downloads_("dataset downloads", "datasets.max_concurrent_downloads", cfg.datasets_max_concurrent_downloads),
      discoveries_("rule discoveries", "rules.discover_max_concurrent", cfg.rules_discover_max_concurrent) {}

DataApi::~DataApi() = default;

Result<std::unique_ptr<DataApi>> DataApi::open(const config::ServerConfig& cfg, artifacts::ArtifactStore& artifacts,
                                               std::function<void()> collect_garbage) {
  std::unique_ptr<DataApi> api(new DataApi(cfg, artifacts, std::move(collect_garbage)));
  MAAS_ASSIGN_OR_RETURN(api->store_, store::sqlite::SqliteDatasetStore::open(cfg.data_dir / "metadata.db"));
  DatasetRegistryOptions options;
  options.engine.memory_limit_bytes = cfg.datasets_memory_limit_bytes;
  options.engine.threads = static_cast<int>(cfg.datasets_threads);
  options.spill_root = cfg.data_dir / "data" / "spill";
  MAAS_ASSIGN_OR_RETURN(api->registry_, DatasetRegistry::make(*api->store_, artifacts, options));
  MAAS_ASSIGN_OR_RETURN(api->sources_, sources::SourceStore::open(cfg.data_dir / "metadata.db"));
  MAAS_ASSIGN_OR_RETURN(api->rules_, rules::RuleStore::open(cfg.data_dir / "metadata.db"));
  api->limits_.rule_engine.memory_limit_bytes = cfg.datasets_memory_limit_bytes;
  api->limits_.rule_engine.threads = static_cast<int>(cfg.datasets_threads);
  api->source_settings_ = {cfg.data_dir, cfg.sources_file_roots, cfg.datasets_memory_limit_bytes};
  // Each import and each discovery holds a thread for its whole run; previews, download chunks and deletes share the
  // two more, so a long import never holds them up.
  api->pool_ = std::make_unique<maas::api::BlockingPool>(
      static_cast<int>(cfg.datasets_max_concurrent_imports + cfg.rules_discover_max_concurrent + 2));
  return api;
}

void DataApi::add_routes(http::Router& router) {
  add_dataset_routes(router, *this);
  add_upload_route(router, *this);
  add_read_routes(router, *this);
  add_prep_routes(router, *this);
  add_discover_route(router, *this);
  add_rule_routes(router, *this);
  add_source_routes(router, *this);
  add_push_route(router, *this);
}

Result<std::unique_ptr<DataApi>> add_data_routes(http::Router& router, const config::ServerConfig& cfg,
                                                 artifacts::ArtifactStore& artifacts,
                                                 std::function<void()> collect_garbage) {
  MAAS_ASSIGN_OR_RETURN(auto api, DataApi::open(cfg, artifacts, std::move(collect_garbage)));
  api->add_routes(router);
  return api;
}

http::Response error_response(const Status& status) {
  http::Response r = http::Response::error(status);
  if (status.code() == StatusCode::kResourceExhausted) r.headers.emplace_back("Retry-After", "1");
  return r;
}

}  // namespace maas::data::api
