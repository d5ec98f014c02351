// maasd's side of feature pipelines (docs/FEATURES.md): /api/v1/pipelines (pipelines, fitted versions, aliases,
// tags; fitting as features.fit jobs) over the PipelineStore in metadata.db, the data center's datasets and the
// artifact store. `FeaturesApi` owns the store; the routes and the job kind hold references to it.
//
// Thread-safety: the store is thread-safe; attach_jobs may race with requests (an atomic pointer).
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "data/api/data_api.h"
#include "features/store/pipeline_store.h"
#include "http/router.h"
#include "jobs/job_kind.h"
#include "registry/registry.h"

namespace maas::jobs {
class JobService;
}

namespace maas::features {

class FeaturesApi {
 public:
  // Opens the pipeline tables in <data_dir>/metadata.db; the datasets and blobs are the data center's.
  // The model registry is where versions are attached to (model_pipeline_routes.cc).
  static Result<std::unique_ptr<FeaturesApi>> open(const config::ServerConfig& cfg, data::api::DataApi& data,
                                                   registry::Registry& registry);

  void add_routes(http::Router& router);
  // features.fit, features.transform and features.search, for the job system to register before it starts.
  std::vector<jobs::JobKind> job_kinds();
  // Once the job system runs; until then a fit is refused with 503.
  void attach_jobs(jobs::JobService* service) { jobs_.store(service); }
  jobs::JobService* jobs() { return jobs_.load(); }

  // The arguments a model version's workers need to serve it with its attached pipeline (worker/serve.h): none
  // when it has none. ModelManager's worker-arguments hook.
  Result<std::vector<std::string>> worker_args(const std::string& model, int64_t version);

  PipelineStore& store() { return *store_; }
  registry::Registry& registry() { return registry_; }
  data::api::DataApi& data() { return data_; }
  uint64_t max_fit_rows() const { return max_fit_rows_; }

 private:
  FeaturesApi(data::api::DataApi& data, registry::Registry& registry, std::unique_ptr<PipelineStore> store,
              uint64_t max_fit_rows)
      : data_(data), registry_(registry), store_(std::move(store)), max_fit_rows_(max_fit_rows) {}

  data::api::DataApi& data_;
  registry::Registry& registry_;
  std::unique_ptr<PipelineStore> store_;
  uint64_t max_fit_rows_;
  std::atomic<jobs::JobService*> jobs_{nullptr};
};

// The features.fit kind (fit_job_kind.cc) and features.transform (transform_job_kind.cc).
jobs::JobKind fit_job_kind(FeaturesApi& api);
jobs::JobKind transform_job_kind(FeaturesApi& api);
// INVALID_ARGUMENT naming the column when dataset version `version` lacks a column `pipeline` was fitted on, or holds
// text where it had numbers (or the reverse): what features.transform and predict.batch refuse at submission.
Status check_pipeline_input(const PipelineVersionRecord& pipeline, const store::DatasetVersionRecord& version);
// The routes (pipeline_routes.cc; model_pipeline_routes.cc: attaching pipeline versions to model versions).
void add_pipeline_routes(http::Router& router, FeaturesApi& api);
void add_model_pipeline_routes(http::Router& router, FeaturesApi& api);

}  // namespace maas::features
