// The runtime's Prometheus metrics, per model and version.
#pragma once

#include "metrics/metrics.h"

namespace maas::runtime {

struct RuntimeMetrics {
  explicit RuntimeMetrics(metrics::Registry& registry);

  metrics::Family<metrics::Counter>& requests;          // maas_model_requests_total{model,version,result}
  metrics::Family<metrics::Histogram>& queue_seconds;   // maas_model_queue_duration_seconds
  metrics::Family<metrics::Histogram>& compute_seconds; // maas_model_compute_duration_seconds
  metrics::Family<metrics::Histogram>& total_seconds;   // maas_model_request_duration_seconds
  metrics::Family<metrics::Histogram>& batch_size;      // maas_model_batch_size
  metrics::Family<metrics::Gauge>& queue_depth;         // maas_model_queue_depth
  metrics::Family<metrics::Counter>& worker_restarts;   // maas_worker_restarts_total
  metrics::Family<metrics::Gauge>& worker_rss;          // maas_worker_resident_memory_bytes{model,version,instance}
  metrics::Family<metrics::Gauge>& circuit_state;       // maas_replica_circuit_state{model,version,instance}: 0/1/2
  metrics::Family<metrics::Counter>& circuit_transitions;  // maas_replica_circuit_transitions_total{...,state}
  metrics::Family<metrics::Counter>& retries;           // maas_model_retries_total{model,version}
  metrics::Family<metrics::Gauge>& worker_cpu;          // maas_worker_cpu_seconds{model,version,instance}, sampled at scrape
};

}  // namespace maas::runtime
