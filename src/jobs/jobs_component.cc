#include "jobs/jobs_component.h"

#include <spdlog/spdlog.h>

#include "jobs/job_routes.h"
#include "store/sqlite/sqlite_job_store.h"

namespace maas::jobs {

Result<std::unique_ptr<JobsComponent>> JobsComponent::create(const config::ServerConfig& config) {
  auto store = store::sqlite::SqliteJobStore::open(config.data_dir / "metadata.db");
  if (!store.ok()) return Status(store.status().code(), "cannot open the job store: " + store.status().message());
  std::unique_ptr<JobsComponent> component(new JobsComponent(config, std::move(*store)));
  for (const auto& plugin : config.jobs_plugins) {
    MAAS_RETURN_IF_ERROR(component->kinds_.load_plugin(plugin));
    // A plugin's code now runs inside maasd: say so where an operator looks.
    spdlog::warn("loaded the job plugin {} into maasd", plugin.string());
  }
  return component;
}

JobsComponent::~JobsComponent() { stop_now(); }

Status JobsComponent::start(boost::asio::io_context& io, http::Router& router, supervisor::Supervisor& supervisor,
                            logs::LogCenter& logs, metrics::Registry& metrics,
                            std::function<int()> serving_slots_in_use) {
  JobServiceOptions options;
  // maas-job sits beside maasd, as the model workers do.
  options.job_binary = std::filesystem::canonical("/proc/self/exe").parent_path() / "maas-job";
  options.files_dir = config_.data_dir / "jobs";
  options.limits = {config_.jobs_slots, config_.jobs_serving_reserved_slots, config_.jobs_guaranteed_slots,
                    config_.jobs_max_running_per_key};
  options.max_queued_per_key = config_.jobs_max_queued_per_key;
  options.cancel_grace = std::chrono::milliseconds(config_.jobs_cancel_grace_ms);
  options.nice = config_.jobs_nice;
  options.progress_interval = std::chrono::milliseconds(config_.jobs_progress_interval_ms);
  options.max_checkpoint_bytes = config_.jobs_max_checkpoint_bytes;
  options.retention = std::chrono::milliseconds(config_.jobs_retention_ms);
  options.serving_slots_in_use = std::move(serving_slots_in_use);
  service_ = std::make_shared<JobService>(io, *store_, kinds_, supervisor, logs, metrics, std::move(options));
  if (Status s = service_->start(); !s.ok()) {
    return Status(s.code(), "cannot start the job system: " + s.message());
  }
  log_queries_ = std::make_unique<api::BlockingPool>(1);
  add_job_routes(router, *service_, logs, *log_queries_);
  std::vector<std::string> names;
  for (const JobKind* k : kinds_.list()) names.push_back(k->name);
  spdlog::info("jobs: {} CPU slots, {} reserved for serving; kinds: {}", config_.jobs_slots,
               config_.jobs_serving_reserved_slots, fmt::join(names, ", "));
  return {};
}

void JobsComponent::stop_now() {
  if (service_) service_->stop_now();
}

}  // namespace maas::jobs
