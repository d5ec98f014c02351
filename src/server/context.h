// What maasd's components share while they start and run: the settings, the HTTP server and its router, the main
// event loop, the metrics registry, a pool for blocking work, periodic tasks, request hooks, and the services
// other components provide (services.h).
//
// Threading: the registering calls (routes, hooks, tasks, services) happen during start-up on the main thread; the
// getters are safe from any thread afterwards. Lifetime: owned by the core (maasd.cc); outlives every component.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/blocking.h"
#include "config/server_config.h"
#include "http/router.h"
#include "http/server.h"
#include "metrics/metrics.h"
#include "server/periodic_task.h"
#include "server/services.h"

namespace maas::server {

class Context {
 public:
  Context(const config::ServerConfig& config, std::string config_path, http::Router& router, metrics::Registry& metrics,
          int64_t started_at_ms);
  ~Context();

  const config::ServerConfig& config() const { return config_; }
  // The YAML file maasd was started with (empty: none), for components that read a section of it themselves.
  const std::string& config_path() const { return config_path_; }
  int64_t started_at_ms() const { return started_at_ms_; }

  http::Router& router() { return router_; }
  http::Server& server() { return *server_; }
  // The main event loop: where components run their timers, strands and processes' channels.
  boost::asio::io_context& io() { return server_->io(); }
  metrics::Registry& metrics() { return metrics_; }
  // Blocking work that can take seconds (hashing or inspecting a multi-GB artifact): off the I/O threads.
  api::BlockingPool& blocking() { return blocking_; }
  Services& services() { return services_; }

  // Runs `task` every `interval` on a thread of its own, from when the server listens until it stops.
  void every(std::chrono::milliseconds interval, std::function<void()> task);
  // Called on an I/O thread after each response is written, in the order added; must not block.
  void on_request_done(std::function<void(const http::CompletedRequest&)> hook);
  // Sees every answered request with its status, including those refused before a handler ran.
  void on_request_observed(http::RequestObserver observer);

  // Known once the server listens: "http://127.0.0.1:8080".
  const std::string& url() const { return url_; }

  // For the core: the request hooks go into the server's options before it is made; then the server is attached
  // (before any component starts); the periodic tasks run from when it listens until it has stopped.
  void install_hooks(http::ServerOptions& options);
  void attach(http::Server& server);
  void set_url(std::string url) { url_ = std::move(url); }
  void start_tasks();
  void stop_tasks();

 private:
  struct Task {
    std::chrono::milliseconds interval;
    std::function<void()> run;
  };

  const config::ServerConfig& config_;
  std::string config_path_;
  http::Router& router_;
  http::Server* server_ = nullptr;
  metrics::Registry& metrics_;
  int64_t started_at_ms_;
  api::BlockingPool blocking_{2};
  Services services_;
  std::vector<Task> tasks_;
  std::vector<std::unique_ptr<PeriodicTask>> running_;
  std::vector<std::function<void(const http::CompletedRequest&)>> done_hooks_;
  std::vector<http::RequestObserver> observers_;
  std::string url_;
};

}  // namespace maas::server
