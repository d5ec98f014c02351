#include "jobs/job_metrics.h"

namespace maas::jobs {

JobMetrics::JobMetrics(metrics::Registry& registry, std::function<JobGauges()> sample)
    : submitted_(registry.counter("maas_jobs_submitted_total", "Jobs submitted, by kind", {"kind"})),
      runs_(registry.counter("maas_job_runs_total",
                             "Job attempts that ended, by kind and result: succeeded, failed, cancelled, retried (it "
                             "failed and will be tried again), interrupted (maasd stopped under it)",
                             {"kind", "result"})),
      queue_wait_(registry.histogram("maas_job_queue_wait_seconds",
                                     "Time from a job's submission (or its retry becoming due) to its start", {"kind"},
                                     {0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 14400})) {
  auto& jobs = registry.gauge("maas_jobs", "Jobs that are not finished, by state", {"state"});
  auto& slots = registry.gauge("maas_job_slots",
                               "CPU slots of the job pool: in_use by running jobs; available to jobs now (the pool "
                               "less serving's share)",
                               {"state"});
  registry.add_collector([&jobs, &slots, sample = std::move(sample)] {
    JobGauges g = sample();
    jobs.with({"queued"}).set(g.queued);
    jobs.with({"running"}).set(g.running);
    jobs.with({"cancelling"}).set(g.cancelling);
    slots.with({"in_use"}).set(g.slots_in_use);
    slots.with({"available"}).set(g.slots_available);
  });
}

}  // namespace maas::jobs
