#include "server/jobs_wiring.h"

#include <spdlog/spdlog.h>

#include "artifacts/verify_job.h"

namespace maas {

Result<std::unique_ptr<supervisor::Supervisor>> make_supervisor(const config::ServerConfig& config,
                                                                metrics::Registry& metrics) {
  MAAS_ASSIGN_OR_RETURN(auto limiter, supervisor::ResourceLimiter::create(config.process_limits));
  spdlog::info("process limits: {}", limiter->description());
  return std::make_unique<supervisor::Supervisor>(std::move(limiter), &metrics);
}

Result<std::unique_ptr<JobsWiring>> JobsWiring::start(const config::ServerConfig& config,
                                                      store::MetadataStore& metadata, boost::asio::io_context& io,
                                                      http::Router& router, logs::LogCenter& logs,
                                                      metrics::Registry& metrics, runtime::ModelManager& models,
                                                      supervisor::Supervisor& supervisor,
                                                      std::vector<jobs::JobKind> component_kinds) {
  std::unique_ptr<JobsWiring> wiring(new JobsWiring(supervisor));
  MAAS_ASSIGN_OR_RETURN(wiring->jobs_, jobs::JobsComponent::create(config));
  // Built-in kinds come from the components that own them (docs/JOBS.md).
  MAAS_RETURN_IF_ERROR(wiring->jobs_->kinds().add(artifacts::verify_job_kind(
      config.data_dir / "artifacts", [&metadata] { return metadata.referenced_digests(); })));
  for (auto& kind : component_kinds) MAAS_RETURN_IF_ERROR(wiring->jobs_->kinds().add(std::move(kind)));
  MAAS_RETURN_IF_ERROR(wiring->jobs_->start(io, router, wiring->supervisor_, logs, metrics,
                                            [&models] { return models.cpu_slots_in_use(); }));
  return wiring;
}

void JobsWiring::stop_now() {
  jobs_->stop_now();
  supervisor_.kill_all();
}

}  // namespace maas
