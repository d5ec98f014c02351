#include "runtime/runtime_metrics.h"

namespace maas::runtime {

RuntimeMetrics::RuntimeMetrics(metrics::Registry& r)
    : requests(r.counter("maas_model_requests_total", "Inference requests answered by a model version, by result",
                         {"model", "version", "result"})),
      queue_seconds(r.histogram("maas_model_queue_duration_seconds", "Time requests waited in the batching queue",
                                {"model", "version"}, metrics::latency_buckets())),
      compute_seconds(r.histogram("maas_model_compute_duration_seconds", "Time a batch spent in its worker",
                                  {"model", "version"}, metrics::latency_buckets())),
      total_seconds(r.histogram("maas_model_request_duration_seconds", "Time from queueing to answer",
                                {"model", "version"}, metrics::latency_buckets())),
      batch_size(r.histogram("maas_model_batch_size", "Rows per executed batch", {"model", "version"},
                             {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024})),
      queue_depth(r.gauge("maas_model_queue_depth", "Requests waiting in the batching queue", {"model", "version"})),
      worker_restarts(r.counter("maas_worker_restarts_total", "Worker processes restarted after a crash or hang",
                                {"model", "version"})),
      worker_rss(r.gauge("maas_worker_resident_memory_bytes", "Resident memory of each worker process",
                         {"model", "version", "instance"})),
      circuit_state(r.gauge("maas_replica_circuit_state",
                            "Circuit breaker of each worker instance: 0 closed, 1 open (ejected), 2 half-open",
                            {"model", "version", "instance"})),
      circuit_transitions(r.counter("maas_replica_circuit_transitions_total",
                                    "Circuit breaker transitions of each worker instance, by the state entered",
                                    {"model", "version", "instance", "state"})),
      retries(r.counter("maas_model_retries_total",
                        "Requests retried on another instance after theirs failed (bounded by the retry budget)",
                        {"model", "version"})),
      on_demand_loads(r.counter("maas_model_on_demand_loads_total",
                                "Versions loaded because a request asked for them (runtime.load_on_demand)",
                                {"model", "version"})),
      evictions(r.counter("maas_model_evictions_total",
                          "Versions loaded on demand that were unloaded to keep the workers within runtime.memory_budget",
                          {"model", "version"})),
      worker_cpu(r.counter("maas_worker_cpu_seconds_total", "CPU time (user + system) used by each worker process",
                         {"model", "version", "instance"})) {}

}  // namespace maas::runtime
