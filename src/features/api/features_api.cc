#include "features/api/features_api.h"

#include "config/server_config.h"
#include "features/search/search_kind.h"

namespace maas::features {

Result<std::unique_ptr<FeaturesApi>> FeaturesApi::open(const config::ServerConfig& cfg, data::api::DataApi& data,
                                                       registry::Registry& registry) {
  MAAS_ASSIGN_OR_RETURN(auto store, PipelineStore::open(cfg.data_dir / "metadata.db"));
  return std::unique_ptr<FeaturesApi>(new FeaturesApi(data, registry, std::move(store), cfg.features_max_fit_rows));
}

void FeaturesApi::add_routes(http::Router& router) {
  add_pipeline_routes(router, *this);
  add_model_pipeline_routes(router, *this);
}

std::vector<jobs::JobKind> FeaturesApi::job_kinds() {
  return {fit_job_kind(*this), transform_job_kind(*this), search::search_job_kind(data_, max_fit_rows_)};
}

}  // namespace maas::features
