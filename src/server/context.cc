#include "server/context.h"

namespace maas::server {

Context::Context(const config::ServerConfig& config, std::string config_path, http::Router& router,
                 metrics::Registry& metrics, int64_t started_at_ms)
    : config_(config),
      config_path_(std::move(config_path)),
      router_(router),
      metrics_(metrics),
      started_at_ms_(started_at_ms) {}

Context::~Context() { stop_tasks(); }

void Context::every(std::chrono::milliseconds interval, std::function<void()> task) {
  tasks_.push_back({interval, std::move(task)});
}

void Context::on_request_done(std::function<void(const http::CompletedRequest&)> hook) {
  done_hooks_.push_back(std::move(hook));
}

void Context::on_request_observed(http::RequestObserver observer) { observers_.push_back(std::move(observer)); }

void Context::install_hooks(http::ServerOptions& options) {
  // Read-only once the server runs: the lists are filled during start-up only.
  options.on_request_done = [this](const http::CompletedRequest& done) {
    for (const auto& hook : done_hooks_) hook(done);
  };
}

void Context::attach(http::Server& server) {
  server_ = &server;
  server.set_observer([this](const http::Request& req, int status, std::chrono::microseconds duration) {
    for (const auto& observer : observers_) observer(req, status, duration);
  });
}

void Context::start_tasks() {
  for (const auto& task : tasks_) running_.push_back(std::make_unique<PeriodicTask>(task.interval, task.run));
}

void Context::stop_tasks() { running_.clear(); }

}  // namespace maas::server
