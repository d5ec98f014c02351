#include "api/http_metrics.h"

#include <unistd.h>

#include <filesystem>

#include "runtime/worker_process.h"

namespace maas::api {

HttpMetrics::HttpMetrics(metrics::Registry& r)
    : requests_(r.counter("maas_http_requests_total", "HTTP requests answered, by method, route pattern and status code",
                          {"method", "route", "code"})),
      duration_(r.histogram("maas_http_request_duration_seconds",
                            "Time from the request header to the last byte of the response", {"method", "route"},
                            metrics::latency_buckets())),
      received_bytes_(r.counter("maas_http_request_body_bytes_total", "Request body bytes received, by route",
                                {"route"})),
      sent_bytes_(r.counter("maas_http_response_body_bytes_total", "Response body bytes sent, by route", {"route"})) {}

void HttpMetrics::record(const http::CompletedRequest& done) {
  // The route pattern, not the path, keeps the number of series bounded whatever clients send.
  const std::string& route = done.request.route.empty() ? std::string("unmatched") : done.request.route;
  const std::string method = done.request.route.empty() ? std::string("other") : done.request.method;
  requests_.with({method, route, std::to_string(done.status)}).inc();
  duration_.with({method, route}).observe(std::chrono::duration<double>(done.duration).count());
  received_bytes_.with({route}).inc(static_cast<double>(done.bytes_in));
  sent_bytes_.with({route}).inc(static_cast<double>(done.bytes_out));
}

void add_server_metrics(metrics::Registry& registry, const http::Server& server) {
  auto& open = registry.gauge("maas_http_open_connections", "Open HTTP connections (idle ones included)", {});
  auto& buffered = registry.gauge("maas_http_buffered_body_bytes",
                                  "Request body bytes held in memory now, against limits.max_buffered_body_bytes", {});
  auto& refused = registry.counter("maas_http_connections_refused_total",
                                   "Connections refused at accept, by reason: max_connections (all busy: 503), "
                                   "per_address_limit (closed)",
                                   {"reason"});
  auto& closed = registry.counter("maas_http_connections_closed_total",
                                  "Connections the server closed, by reason: idle_evicted (the oldest idle one, for a "
                                  "new client at max_connections), header_timeout (headers not in within "
                                  "server.header_timeout_ms)",
                                  {"reason"});
  auto& over_budget = registry.counter("maas_http_body_budget_refusals_total",
                                       "Requests refused with 503 because their body would exceed "
                                       "limits.max_buffered_body_bytes",
                                       {});
  registry.add_collector([&open, &buffered, &refused, &closed, &over_budget, &server] {
    using http::ConnectionEvent;
    http::ServerStats stats = server.stats();
    open.with({}).set(static_cast<double>(stats.open_connections));
    buffered.with({}).set(static_cast<double>(stats.buffered_body_bytes));
    auto sample = [&stats](metrics::Counter& counter, ConnectionEvent event) {
      counter.set_sampled(static_cast<double>(stats.count(event)));
    };
    sample(refused.with({"max_connections"}), ConnectionEvent::kRefusedFull);
    sample(refused.with({"per_address_limit"}), ConnectionEvent::kRefusedPerAddress);
    sample(closed.with({"idle_evicted"}), ConnectionEvent::kEvictedIdle);
    sample(closed.with({"header_timeout"}), ConnectionEvent::kHeaderTimeout);
    sample(over_budget.with({}), ConnectionEvent::kBodyBudget);
  });
}

void add_process_metrics(metrics::Registry& registry, int64_t started_at_ms) {
  auto& cpu = registry.counter("process_cpu_seconds_total", "CPU time (user + system) of the maasd process", {});
  auto& rss = registry.gauge("process_resident_memory_bytes", "Resident memory of the maasd process", {});
  auto& fds = registry.gauge("process_open_fds", "Open file descriptors of the maasd process", {});
  auto& start = registry.gauge("process_start_time_seconds", "Start time of the maasd process since the Unix epoch", {});
  start.with({}).set(static_cast<double>(started_at_ms) / 1000.0);
  registry.add_collector([&cpu, &rss, &fds] {
    pid_t self = ::getpid();
    cpu.with({}).set_sampled(runtime::process_cpu_seconds(self));
    rss.with({}).set(static_cast<double>(runtime::process_rss_bytes(self)));
    std::error_code ec;
    double open = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++open;
    fds.with({}).set(open);
  });
}

}  // namespace maas::api
