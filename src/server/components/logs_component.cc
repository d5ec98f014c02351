// The log center: its store (local segments, or Loki), files it tails, the request log, its own series, and
// Loki's push and query API (/loki/api/v1/...).
#include <memory>
#include <optional>

#include "api/blocking.h"
#include "api/log_records.h"
#include "api/log_routes.h"
#include "logs/file_tailer.h"
#include "logs/log_center.h"
#include "registry/registry.h"
#include "server/components/components.h"
#include "server/context.h"
#include "server/server_metrics.h"

namespace maas::server {
namespace {

logs::LogCenterOptions log_center_options(const config::ServerConfig& cfg) {
  logs::LogCenterOptions options;
  options.store.dir = cfg.data_dir / "logs" / "segments";
  options.store.archive_dir =
      cfg.logs_archive_dir.empty() ? cfg.data_dir / "logs" / "archive" : std::filesystem::path(cfg.logs_archive_dir);
  options.store.segment_bytes = cfg.logs_segment_bytes;
  options.store.segment_max_age_ms = cfg.logs_segment_max_age_ms;
  options.store.retention_ms = cfg.logs_retention_ms;
  options.store.retention_bytes = cfg.logs_retention_bytes;
  options.store.archive = cfg.logs_archive;
  options.store.archive_retention_ms = cfg.logs_archive_retention_ms;
  options.store.fsync = cfg.logs_fsync;
  options.store.max_streams = static_cast<size_t>(cfg.logs_max_streams);
  options.queue_records = static_cast<size_t>(cfg.logs_queue_records);
  options.flush_interval = std::chrono::milliseconds(cfg.logs_flush_interval_ms);
  options.retention_interval = std::chrono::milliseconds(cfg.logs_retention_interval_ms);
  if (cfg.logs_store == "loki") {
    logs::LokiOptions loki;
    loki.url = cfg.logs_loki_url;
    loki.tenant = cfg.logs_loki_tenant;
    loki.bearer_token = cfg.logs_loki_bearer_token;
    loki.buffer_entries = static_cast<size_t>(cfg.logs_loki_buffer_entries);
    options.loki = loki;
  }
  return options;
}

class LogsComponent final : public Component {
 public:
  std::string_view name() const override { return "logs"; }

  Status start(Context& context) override {
    const auto& cfg = context.config();
    auto opened = logs::LogCenter::open(log_center_options(cfg));
    if (!opened.ok()) return Status(opened.status().code(), "cannot open the log store: " + opened.status().message());
    center_ = std::move(*opened);
    if (!cfg.logs_tail_files.empty()) {
      followed_files_.emplace(*center_, cfg.logs_tail_files, std::chrono::milliseconds(cfg.logs_tail_interval_ms));
    }
    add_log_metrics(context.metrics(), *center_);
    if (cfg.logs_requests) {
      context.on_request_done(
          [center = center_.get()](const http::CompletedRequest& done) { api::record_request(*center, done); });
    }
    auto& registry = context.services().get<registry::Registry>();
    api::add_log_routes(
        context.router(), *center_, work_,
        {cfg.max_infer_body_bytes, cfg.logs_creation_grace_period_ms * 1'000'000, cfg.logs_accept_maasd_pushes},
        [&registry](const std::string& model, const std::string& ref) -> Result<int64_t> {
          MAAS_ASSIGN_OR_RETURN(auto view, registry.get_version(model, ref));
          return view.version.version;
        });
    context.services().provide(*center_);
    return {};
  }

 private:
  std::unique_ptr<logs::LogCenter> center_;
  std::optional<logs::FileTailer> followed_files_;
  api::BlockingPool work_{2};  // log pushes and queries, apart from artifact work
};

}  // namespace

std::unique_ptr<Component> make_logs_component() { return std::make_unique<LogsComponent>(); }

}  // namespace maas::server
