// maasd's own HTTP and process metrics: requests by route and code, latency, bytes, and the server process's
// CPU, memory, file descriptors and start time (the names Prometheus client libraries use, so stock dashboards
// work).
#pragma once

#include "http/server.h"
#include "metrics/metrics.h"

namespace maas::api {

// Thread-safe: record() is called from every I/O thread.
class HttpMetrics {
 public:
  explicit HttpMetrics(metrics::Registry& registry);
  void record(const http::CompletedRequest& done);

 private:
  metrics::Family<metrics::Counter>& requests_;        // maas_http_requests_total{method,route,code}
  metrics::Family<metrics::Histogram>& duration_;      // maas_http_request_duration_seconds{method,route}
  metrics::Family<metrics::Counter>& received_bytes_;  // maas_http_request_body_bytes_total{route}
  metrics::Family<metrics::Counter>& sent_bytes_;      // maas_http_response_body_bytes_total{route}
};

// Registers the HTTP server's own gauges and refusal counters, sampled from `server` at each scrape (the server
// must outlive the registry's scrapes): maas_http_open_connections, maas_http_buffered_body_bytes,
// maas_http_connections_refused_total{reason}, maas_http_connections_closed_total{reason},
// maas_http_body_budget_refusals_total.
void add_server_metrics(metrics::Registry& registry, const http::Server& server);

// Registers process_cpu_seconds_total, process_resident_memory_bytes, process_open_fds and
// process_start_time_seconds for this process, sampled at each scrape.
void add_process_metrics(metrics::Registry& registry, int64_t started_at_ms);

}  // namespace maas::api
