// maasd's supervised processes and job system, wired in one place so that main.cc calls it in a line: the process
// limits chosen at start (supervisor.limits, logged) and the Supervisor every model worker and job process runs
// under (make_supervisor), and the job system with the kinds of jobs.plugins and the built-in kinds of maasd's own
// components (artifacts.verify).
//
// Thread-safety: start and stop_now from main's thread. What start() is given must outlive the JobsWiring, the
// io_context included (its timers and process channels are bound to it).
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

#include "config/server_config.h"
#include "http/router.h"
#include "jobs/jobs_component.h"
#include "logs/log_center.h"
#include "metrics/metrics.h"
#include "runtime/model_manager.h"
#include "store/metadata_store.h"
#include "supervisor/process.h"

namespace maas {

// Chooses the process limits (supervisor.limits, logged) and makes the one Supervisor. An error says why maasd
// cannot start.
Result<std::unique_ptr<supervisor::Supervisor>> make_supervisor(const config::ServerConfig& config,
                                                                metrics::Registry& metrics);

class JobsWiring {
 public:
  // Opens the job store, loads the kinds (plugins, then the built-in ones), requeues the jobs a dead maasd left
  // running, adds /api/v1/jobs and starts scheduling job processes under `supervisor` in the CPU slots serving
  // leaves free. An error says why maasd cannot start. `supervisor` must outlive the wiring. `component_kinds`:
  // the built-in kinds other components own (the data center's data.snapshot).
  static Result<std::unique_ptr<JobsWiring>> start(const config::ServerConfig& config, store::MetadataStore& metadata,
                                                   boost::asio::io_context& io, http::Router& router,
                                                   logs::LogCenter& logs, metrics::Registry& metrics,
                                                   runtime::ModelManager& models, supervisor::Supervisor& supervisor,
                                                   std::vector<jobs::JobKind> component_kinds = {});

  jobs::JobService* service() { return jobs_->service(); }

  // At shutdown, once no I/O thread runs: ends every job process (their jobs are requeued at the next start) and
  // any other supervised process.
  void stop_now();

 private:
  explicit JobsWiring(supervisor::Supervisor& supervisor) : supervisor_(supervisor) {}

  supervisor::Supervisor& supervisor_;
  std::unique_ptr<jobs::JobsComponent> jobs_;
};

}  // namespace maas
