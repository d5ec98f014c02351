// /api/v1/jobs: submit, list, show, cancel, a job's logs (and their live tail), the kinds (docs/JOBS.md).
// Deployers and admins submit and cancel (a deployer only its own jobs); every role with read access reads.
#pragma once

#include "api/blocking.h"
#include "http/router.h"
#include "jobs/job_service.h"
#include "logs/log_center.h"

namespace maas::jobs {

// `service`, `center` and `blocking` must outlive the server's requests (not the router: a service outliving
// the io_context its timers belong to would be destroyed too late).
void add_job_routes(http::Router& router, JobService& service, logs::LogCenter& center, api::BlockingPool& blocking);

// A job as the API shows it.
nlohmann::json job_json(const JobView& view);

}  // namespace maas::jobs
