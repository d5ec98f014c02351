// The job system's series at /metrics (docs/METRICS.md, "Jobs"): jobs by state, submissions and runs by kind and
// result, CPU slots held and free, the time jobs wait in the queue.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <functional>
#include <string>

#include "metrics/metrics.h"

namespace maas::jobs {

// What the collector samples at each scrape.
struct JobGauges {
  int queued = 0;
  int running = 0;
  int cancelling = 0;
  int slots_in_use = 0;
  int slots_available = 0;  // for jobs now: the pool minus serving's share
};

class JobMetrics {
 public:
  // `sample` runs at each scrape; the registry must outlive this object's use of it.
  JobMetrics(metrics::Registry& registry, std::function<JobGauges()> sample);

  void submitted(const std::string& kind) { submitted_.with({kind}).inc(); }
  // result: succeeded, failed, cancelled, retried (an attempt failed, another follows), interrupted (maasd stopped)
  void ran(const std::string& kind, const std::string& result) { runs_.with({kind, result}).inc(); }
  void waited(const std::string& kind, double seconds) { queue_wait_.with({kind}).observe(seconds); }

 private:
  metrics::Family<metrics::Counter>& submitted_;
  metrics::Family<metrics::Counter>& runs_;
  metrics::Family<metrics::Histogram>& queue_wait_;
};

}  // namespace maas::jobs
