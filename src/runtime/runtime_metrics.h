// The runtime's Prometheus metrics, per model and version, and its event hook (the log center's timeline of
// loads, crashes and restarts).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "metrics/metrics.h"

namespace maas::runtime {

// Something that happened to a served version: "state" (to LOADING, READY, UNAVAILABLE, UNLOADING, FAILED),
// "worker_crashed", "worker_restarted", "replaced".
struct RuntimeEvent {
  std::string model;
  int64_t version = 0;
  std::string event;
  std::string state;   // the new state, for "state"
  std::string reason;  // why, in words
};

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
  metrics::Family<metrics::Counter>& on_demand_loads;   // maas_model_on_demand_loads_total{model,version}
  metrics::Family<metrics::Counter>& evictions;         // maas_model_evictions_total{model,version}
  // Called on the runtime's strands; must not block. Unset: events are only logged.
  std::function<void(const RuntimeEvent&)> on_event;
  void emit(RuntimeEvent event) const {
    if (on_event) on_event(event);
  }

  metrics::Family<metrics::Counter>& worker_cpu;        // maas_worker_cpu_seconds_total{model,version,instance}, sampled at scrape
};

}  // namespace maas::runtime
