// The job system as one unit for maasd's main: its configuration section (jobs.*), its store, the kinds of the
// plugins in jobs.plugins, its service, routes and metrics, its start and stop. main calls create(), lets the
// components that own built-in kinds add them to kinds(), then start(), and stop_now() at shutdown.
//
// Thread-safety: create, kinds, start and stop_now from main's thread; the rest is the service's (job_service.h).
#pragma once

#include <functional>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "config/server_config.h"
#include "http/router.h"
#include "jobs/job_service.h"
#include "jobs/kind_registry.h"
#include "store/job_store.h"

namespace maas::jobs {

class JobsComponent {
 public:
  // Opens the job store (<data_dir>/metadata.db) and loads the kinds of jobs.plugins.
  static Result<std::unique_ptr<JobsComponent>> create(const config::ServerConfig& config);
  ~JobsComponent();

  KindRegistry& kinds() { return kinds_; }

  // Requeues the jobs a dead maasd left running, adds the routes and starts scheduling. `serving_slots_in_use`
  // says how many CPU slots the model workers use now (may be empty: serving then keeps its reserve only).
  Status start(boost::asio::io_context& io, http::Router& router, supervisor::Supervisor& supervisor,
               logs::LogCenter& logs, metrics::Registry& metrics, std::function<int()> serving_slots_in_use);
  // At shutdown, once no thread runs the io_context: ends every job process (their jobs are requeued at the next
  // start).
  void stop_now();

  JobService* service() { return service_.get(); }

 private:
  JobsComponent(const config::ServerConfig& config, std::unique_ptr<store::JobStore> store)
      : config_(config), store_(std::move(store)) {}

  const config::ServerConfig& config_;
  std::unique_ptr<store::JobStore> store_;
  KindRegistry kinds_;
  std::unique_ptr<api::BlockingPool> log_queries_;
  std::shared_ptr<JobService> service_;
};

}  // namespace maas::jobs
