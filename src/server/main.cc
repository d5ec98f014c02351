// maasd: the maas server. Wires configuration, stores, the registry and the HTTP API together and runs until
// SIGTERM/SIGINT, then drains in-flight requests.
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <cstdio>
#include <iostream>
#include <optional>

#include "alerting/config.h"
#include "alerting/engine.h"
#include "alerting/managed_rules.h"
#include "alerting/subscriptions.h"
#include "api/alert_routes.h"
#include "api/blocking.h"
#include "api/http_metrics.h"
#include "api/inference_routes.h"
#include "api/key_routes.h"
#include "api/log_records.h"
#include "api/log_routes.h"
#include "api/openai_routes.h"
#include "api/registry_routes.h"
#include "api/service_routes.h"
#include "api/subscription_routes.h"
#include "api/system_routes.h"
#include "artifacts/artifact_store.h"
#include "auth/key_secret.h"
#include "common/clock.h"
#include "common/files.h"
#include "common/logging.h"
#include "common/version.h"
#include "config/server_config.h"
#include "console/console_routes.h"
#include "data/api/data_api.h"
#include "http/server.h"
#include "http/tls.h"
#include "llm/llm_runner.h"
#include "logs/file_tailer.h"
#include "logs/log_center.h"
#include "metrics/metrics.h"
#include "registry/registry.h"
#include "runtime/model_manager.h"
#include "runtime/model_runner.h"
#include "runtime/runtime_metrics.h"
#include "runtime/worker_memory.h"
#include "server/jobs_wiring.h"
#include "server/periodic_task.h"
#include "server/server_metrics.h"
#include "store/sqlite/sqlite_gateway_store.h"
#include "store/sqlite/sqlite_metadata_store.h"

extern char** environ;

namespace maas {
namespace {

void collect_garbage(registry::Registry& registry) {
  auto report = registry.collect_garbage();
  if (!report.ok()) {
    spdlog::warn("garbage collection failed: {}", report.status().to_string());
  } else if (report->removed_blobs > 0) {
    spdlog::info("garbage collection removed {} blobs ({} bytes)", report->removed_blobs, report->removed_bytes);
  }
}

int run(const config::ServerConfig& cfg, const std::string& config_path) {
  setup_logging(cfg.log_level, cfg.log_format, cfg.access_log);
  alerting::AlertingConfig alerting_config;
  if (!config_path.empty()) {
    auto loaded = alerting::load_alerting_config(config_path);
    if (!loaded.ok()) {
      spdlog::critical("{}", loaded.status().message());
      return 2;
    }
    alerting_config = std::move(*loaded);
  }
  // Validated with the configuration: make() cannot fail here.
  auto outbound = std::make_shared<const OutboundPolicy>(*OutboundPolicy::make(cfg.outbound_deny, cfg.outbound_allow));
  if (auto s = alerting::check_destinations(alerting_config, *outbound); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 2;
  }
  alerting_config.outbound = outbound;
  int64_t started_at = now_unix_ms();
  // Everything maasd creates is its owner's alone (0600 files, 0700 directories), as PostgreSQL does; a data dir
  // an older maasd left open to others is closed now.
  ::umask(077);
  if (auto s = ensure_directory(cfg.data_dir); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 1;
  }
  if (auto fixed = restrict_to_owner(cfg.data_dir); !fixed.ok()) {
    spdlog::critical("cannot make the data dir private: {}", fixed.status().message());
    return 1;
  } else if (*fixed > 0) {
    spdlog::warn("took the group's and others' permissions off {} files and directories in {}", *fixed,
                 cfg.data_dir.string());
  }
  const auto metadata_path = cfg.data_dir / "metadata.db";
  auto metadata = store::sqlite::SqliteMetadataStore::open(metadata_path);
  if (!metadata.ok()) {
    spdlog::critical("cannot open the metadata store: {}", metadata.status().message());
    return 1;
  }
  auto artifacts = artifacts::ArtifactStore::open(cfg.data_dir / "artifacts", cfg.max_artifact_bytes);
  if (!artifacts.ok()) {
    spdlog::critical("cannot open the artifact store: {}", artifacts.status().message());
    return 1;
  }
  auto gateway_store = store::sqlite::SqliteGatewayStore::open(cfg.data_dir / "metadata.db");
  if (!gateway_store.ok()) {
    spdlog::critical("cannot open the gateway store: {}", gateway_store.status().message());
    return 1;
  }
  auto key_secret = auth::open_key_secret(cfg.data_dir / "keys.secret", **gateway_store);
  if (!key_secret.ok()) {
    spdlog::critical("cannot read the API keys' secret: {}", key_secret.status().message());
    return 1;
  }
  auth::KeyService keys(**gateway_store, *key_secret);
  if (auto s = keys.load(); !s.ok()) {
    spdlog::critical("cannot read the API keys: {}", s.message());
    return 1;
  }
  std::shared_ptr<auth::JwtVerifier> jwt;
  if (!cfg.jwt_public_keys.empty()) {
    auto created = auth::JwtVerifier::create(
        {cfg.jwt_public_keys, cfg.jwt_issuer, cfg.jwt_audience, cfg.jwt_role_claim, cfg.jwt_services_claim});
    if (!created.ok()) {
      spdlog::critical("cannot set up JWT verification: {}", created.status().message());
      return 1;
    }
    jwt = std::move(*created);
    keys.set_jwt_verifier(jwt);
    spdlog::info("accepting JWTs from issuer '{}' for audience '{}' signed by {} key(s)", cfg.jwt_issuer,
                 cfg.jwt_audience, cfg.jwt_public_keys.size());
  }
  {
    const char* env_key = std::getenv("MAAS_ADMIN_KEY");
    auto key_file = cfg.data_dir / "admin.key";
    auto generated =
        keys.bootstrap_admin(env_key && *env_key ? std::optional<std::string>(env_key) : std::nullopt, key_file);
    if (!generated.ok()) {
      spdlog::critical("cannot set up the first admin key: {}", generated.status().message());
      return 1;
    }
    if (*generated) {
      // Printed once, at the first start: afterwards only the 0600 file holds it.
      std::fprintf(stderr, "\nmaasd: the first admin API key (also in %s, mode 0600; shown only now):\n\n  %s\n\n",
                   key_file.c_str(), (*generated)->c_str());
    }
  }
  registry::Registry registry(**metadata, **artifacts);
  registry.set_max_tensor_elements(cfg.max_tensor_elements);
  // A crash between storing a blob and recording its version leaves an orphan blob; collect it now.
  if (auto gc = registry.collect_garbage(); gc.ok() && gc->removed_blobs > 0) {
    spdlog::info("removed {} orphaned blobs left by an earlier crash", gc->removed_blobs);
  }

  logs::LogCenterOptions log_options;
  log_options.store.dir = cfg.data_dir / "logs" / "segments";
  log_options.store.archive_dir =
      cfg.logs_archive_dir.empty() ? cfg.data_dir / "logs" / "archive" : std::filesystem::path(cfg.logs_archive_dir);
  log_options.store.segment_bytes = cfg.logs_segment_bytes;
  log_options.store.segment_max_age_ms = cfg.logs_segment_max_age_ms;
  log_options.store.retention_ms = cfg.logs_retention_ms;
  log_options.store.retention_bytes = cfg.logs_retention_bytes;
  log_options.store.archive = cfg.logs_archive;
  log_options.store.archive_retention_ms = cfg.logs_archive_retention_ms;
  log_options.store.fsync = cfg.logs_fsync;
  log_options.store.max_streams = static_cast<size_t>(cfg.logs_max_streams);
  log_options.queue_records = static_cast<size_t>(cfg.logs_queue_records);
  log_options.flush_interval = std::chrono::milliseconds(cfg.logs_flush_interval_ms);
  log_options.retention_interval = std::chrono::milliseconds(cfg.logs_retention_interval_ms);
  if (cfg.logs_store == "loki") {
    logs::LokiOptions loki;
    loki.url = cfg.logs_loki_url;
    loki.tenant = cfg.logs_loki_tenant;
    loki.bearer_token = cfg.logs_loki_bearer_token;
    loki.buffer_entries = static_cast<size_t>(cfg.logs_loki_buffer_entries);
    log_options.loki = loki;
  }
  auto log_center = logs::LogCenter::open(log_options);
  if (!log_center.ok()) {
    spdlog::critical("cannot open the log store: {}", log_center.status().message());
    return 1;
  }
  logs::LogCenter& center = **log_center;
  std::optional<logs::FileTailer> followed_files;
  if (!cfg.logs_tail_files.empty()) {
    followed_files.emplace(center, cfg.logs_tail_files, std::chrono::milliseconds(cfg.logs_tail_interval_ms));
  }

  api::BlockingPool blocking(2);
  api::BlockingPool log_work(2);  // log pushes and queries, apart from artifact work
  http::Router router;
  // The data center's routes (src/data/api/); declared before the server, so it outlives it.
  auto data_api = data::api::add_data_routes(router, cfg, **artifacts, [&registry] { collect_garbage(registry); });
  if (!data_api.ok()) {
    spdlog::critical("cannot open the data center: {}", data_api.status().message());
    return 1;
  }
  http::ServerOptions options;
  options.host = cfg.listen_host;
  options.port = cfg.listen_port;
  options.threads = cfg.threads;
  options.header_timeout = std::chrono::milliseconds(cfg.header_timeout_ms);
  options.idle_timeout = std::chrono::milliseconds(cfg.idle_timeout_ms);
  options.request_timeout = std::chrono::milliseconds(cfg.request_timeout_ms);
  options.upload_timeout = std::chrono::milliseconds(cfg.upload_timeout_ms);
  options.drain_timeout = std::chrono::milliseconds(cfg.drain_timeout_ms);
  options.max_json_body_bytes = cfg.max_json_body_bytes;
  options.max_infer_body_bytes = cfg.max_infer_body_bytes;
  options.max_streamed_body_bytes = cfg.max_artifact_bytes;
  options.max_header_bytes = cfg.max_header_bytes;
  options.max_buffered_body_bytes = cfg.max_buffered_body_bytes;
  options.max_connections = cfg.max_connections;
  options.max_connections_per_address = cfg.max_connections_per_address;
  options.tls_cert_file = cfg.tls_cert_file;
  options.tls_key_file = cfg.tls_key_file;
  // Metrics outlive the server: runners still referenced by pending coroutines report to them until the
  // server's io_context is gone.
  metrics::Registry metrics;
  auth::AuditOptions audit_options;
  audit_options.anonymous_per_second = static_cast<double>(cfg.audit_anonymous_records_per_second);
  audit_options.max_field_bytes = static_cast<size_t>(cfg.audit_max_field_bytes);
  audit_options.retention_ms = cfg.audit_retention_ms;
  audit_options.max_rows = cfg.audit_max_rows;
  audit_options.retention_interval = std::chrono::milliseconds(cfg.audit_retention_interval_ms);
  auth::AuditLog audit(**gateway_store, metrics, audit_options);
  runtime::RuntimeMetrics runtime_metrics(metrics);
  api::HttpMetrics http_metrics(metrics);
  api::add_process_metrics(metrics, started_at);
  StoreSizeMetrics store_sizes(metrics);
  store_sizes.sample(**metadata, **artifacts, metadata_path);
  add_log_metrics(metrics, center);
  options.on_request_done = [&http_metrics, &center, record = cfg.logs_requests](const http::CompletedRequest& done) {
    http_metrics.record(done);
    if (record) api::record_request(center, done);
  };
  runtime_metrics.on_event = [&center](const runtime::RuntimeEvent& e) { api::record_event(center, e); };
  http::Server server(options, router);
  api::add_server_metrics(metrics, server);
  server.set_authenticator(
      [&keys](const http::Request& req, http::Access access) { return keys.authorize(req, access); });
  if (jwt) {
    server.on_hangup([jwt] {
      if (auto s = jwt->reload(); s.ok()) {
        spdlog::info("SIGHUP: reloaded the JWT public keys");
      } else {
        spdlog::error("SIGHUP: JWT key reload failed, keeping the current keys: {}", s.message());
      }
    });
  }

  // Workers are started from the binaries that sit beside maasd; the backend registry says which serves what.
  auto bin_dir = std::filesystem::canonical("/proc/self/exe").parent_path();
  auto backends = runtime::BackendRegistry::discover(bin_dir / "backends", bin_dir / "maas-worker");
  if (!backends.ok()) {
    spdlog::critical("{}", backends.status().message());
    return 2;
  }
  for (const auto& b : backends->list()) {
    spdlog::info("backend {}: {} runner, plugin {}", b.framework, runtime::serving_kind_name(b.kind),
                 b.library.string());
  }
  // Every process maas runs beside itself — model workers of every kind, job processes — runs under one
  // supervisor: one table, one set of limits (supervisor.limits), one restart policy.
  auto processes = make_supervisor(cfg, metrics);
  if (!processes.ok()) {
    spdlog::critical("{}", processes.status().message());
    return 1;
  }
  runtime::ModelManager models(server.io(), runtime_metrics, std::move(*backends), **processes);
  models.set_memory_budget(cfg.memory_budget_bytes);
  const uint64_t worker_memory_limit = cfg.worker_memory_limit_bytes.value_or(runtime::default_worker_memory_limit());
  models.set_worker_limits(worker_memory_limit, cfg.max_tensor_elements);
  spdlog::info("model workers: memory limit {} bytes (RLIMIT_DATA{}), tensors up to {} elements", worker_memory_limit,
               cfg.worker_memory_limit_bytes ? "" : ", auto: half of the memory maasd may use",
               cfg.max_tensor_elements);
  // Generative versions (GGUF) are served by the LLM runner.
  llm::LlmMetrics llm_metrics(metrics);
  models.register_runner(
      runtime::ServingKind::kGenerative,
      std::make_unique<llm::LlmRunnerFactory>(server.io(), **processes, llm_metrics, runtime_metrics));
  registry.set_deployment_check([&models](const std::string& m, int64_t v) { return models.is_loaded(m, v); });
  metrics.add_collector([&models, &runtime_metrics] {
    for (const auto& r : models.list()) {
      auto instances = r->instances();
      for (const auto& instance : instances) {
        metrics::Labels labels{r->model(), std::to_string(r->version()), std::to_string(instance.index)};
        runtime_metrics.worker_rss.with(labels).set(static_cast<double>(instance.rss_bytes));
        runtime_metrics.worker_cpu.with(labels).set_sampled(instance.cpu_seconds);
      }
    }
  });
  auto draining = [&server] { return server.draining(); };
  api::add_system_routes(router, draining, started_at, metrics);
  if (auto s = console::add_console_routes(router, {cfg.console_enabled, cfg.console_dir}); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 2;
  }
  api::add_registry_routes(router, registry, blocking);
  // Services: the gateway loads their versions through the same path as the repository's load endpoint.
  api::DeployFunction deploy;
  gateway::GatewayHooks hooks;
  hooks.resolve = [&registry](const std::string& m, const std::string& ref) { return registry.resolve(m, ref); };
  hooks.deploy = [&deploy](const gateway::Target& t) { return deploy(t); };
  hooks.is_loaded = [&models](const std::string& m, int64_t v) { return models.is_loaded(m, v); };
  hooks.model_exists = [&registry](const std::string& m) { return registry.get_model(m).ok(); };
  hooks.undeploy = [&models](const std::string& m, int64_t v) { return models.unload(m, v); };
  hooks.sample_load =
      [&models](const gateway::Target& t) -> boost::asio::awaitable<std::optional<gateway::ReplicaLoad>> {
    auto served = models.find(t.model, t.version);
    auto runner = served ? served->as_tensor() : nullptr;
    if (!runner) co_return std::nullopt;
    runtime::LoadSample s = co_await runner->sample_load();
    co_return gateway::ReplicaLoad{s.at, s.desired_replicas, s.ready_replicas, s.concurrency_area, s.queue_area};
  };
  hooks.scale = [&models](const gateway::Target& t, int replicas) {
    if (auto served = models.find(t.model, t.version)) {
      if (auto runner = served->as_tensor()) runner->scale_to(replicas);
    }
  };
  gateway::Gateway gateway(**gateway_store, hooks, metrics, server.io());
  if (auto s = gateway.restore(); !s.ok()) {
    spdlog::critical("cannot read the services: {}", s.message());
    return 1;
  }
  server.set_observer([&audit, &gateway](const http::Request& req, int status, std::chrono::microseconds) {
    audit.observe(req, status);
    // Refused before any handler ran: no key, a bad one, or a role without the route's access.
    if (!req.principal && (status == 401 || status == 403)) {
      gateway.count_rejection("", status == 401 ? "unauthenticated" : "forbidden");
    }
  });
  deploy = api::add_inference_routes(router, registry, models, metrics, draining, &gateway, cfg.load_on_demand);
  // Always running: rule groups may arrive through the API on a server whose config names no rule file.
  alerting::Engine alerts(std::move(alerting_config), metrics, &center.store());
  alerts.set_on_transition([&center](const alerting::Alert& a) { api::record_alert(center, a); });
  auto managed_rules = alerting::ManagedRules::open(cfg.data_dir / "alerting" / "rules.json", alerts);
  if (!managed_rules.ok()) {
    spdlog::critical("cannot read the rule groups created through the API: {}", managed_rules.status().message());
    return 1;
  }
  api::add_alert_routes(router, alerts, **managed_rules, blocking);
  alerting::SubscriptionOptions subscription_options;
  subscription_options.file = cfg.data_dir / "alerting" / "subscriptions.json";
  subscription_options.delivery.outbound = outbound;
  auto subscriptions = alerting::Subscriptions::open(subscription_options, center, metrics);
  if (!subscriptions.ok()) {
    spdlog::critical("cannot read the subscriptions: {}", subscriptions.status().message());
    return 1;
  }
  api::add_subscription_routes(router, **subscriptions, blocking);
  api::add_log_routes(
      router, center, log_work,
      {cfg.max_infer_body_bytes, cfg.logs_creation_grace_period_ms * 1'000'000, cfg.logs_accept_maasd_pushes},
      [&registry](const std::string& model, const std::string& ref) -> Result<int64_t> {
        MAAS_ASSIGN_OR_RETURN(auto view, registry.get_version(model, ref));
        return view.version.version;
      });
  api::add_key_routes(router, keys, audit, **gateway_store);
  api::add_service_routes(router, gateway);
  api::add_openai_routes(router, registry, models, &gateway);
  // After the server: the job system's processes and timers live on its I/O context, so they must go first.
  auto jobs = JobsWiring::start(cfg, **metadata, server.io(), router, center, metrics, models, **processes,
                                (*data_api)->job_kinds());
  if (!jobs.ok()) {
    spdlog::critical("{}", jobs.status().message());
    return 1;
  }
  (*data_api)->attach_jobs((*jobs)->service());
  (*data_api)->attach_logs(&center);

  if (auto s = server.start(); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 1;
  }
  std::string address = cfg.listen_host + ":" + std::to_string(server.port());
  // Plain HTTP keeps the bare HOST:PORT that scripts already read; with TLS the scheme says how to connect.
  std::string scheme = options.tls() ? "https" : "http";
  // Logged before the port file is written: whoever waits for the file may read the log next.
  spdlog::info("maasd {} listening on {}://{} (data dir {}, {} threads)", kVersion, scheme, address,
               cfg.data_dir.string(), cfg.threads);
  if (!cfg.port_file.empty()) {
    std::string line = options.tls() ? scheme + "://" + address : address;
    if (auto s = write_file_atomic(cfg.port_file, line + "\n"); !s.ok()) {
      spdlog::critical("cannot write the port file: {}", s.message());
      return 1;
    }
  }
  alerts.start(scheme + "://" + address);
  {
    PeriodicTask gc(std::chrono::milliseconds(cfg.gc_interval_ms), [&registry] { collect_garbage(registry); });
    PeriodicTask sizes(std::chrono::milliseconds(cfg.metrics_sample_interval_ms),
                       [&] { store_sizes.sample(**metadata, **artifacts, metadata_path); });
    gateway.start();
    auto redeploy = gateway.redeploy();
    boost::asio::co_spawn(server.io(), std::move(redeploy), boost::asio::detached);
    server.run();
    gateway.stop();
  }
  // The I/O threads have stopped: end the workers and job processes now rather than leaving it to their death
  // signal (the jobs are requeued at the next start).
  models.kill_all_now();
  (*jobs)->stop_now();
  spdlog::info("maasd stopped");
  flush_logs();
  return 0;
}

}  // namespace
}  // namespace maas

int main(int argc, char** argv) {
  using namespace maas;
  CLI::App app{
      "maasd: the maas model-serving server.\n"
      "Settings come from defaults, then --config YAML, then MAAS_* environment variables, then flags."};
  app.set_version_flag("--version", std::string("maasd ") + kVersion + " (" + kGitCommit + ")");
  std::string config_path;
  app.add_option("--config", config_path, "YAML configuration file")->check(CLI::ExistingFile);
  config::RawSettings flags;
  for (const auto& s : config::settings()) {
    std::string env_note = s.help + " [" + s.key + ", env " + s.env + "]";
    app.add_option_function<std::string>(
        s.flag, [&flags, key = s.key](const std::string& v) { flags[key] = v; }, env_note);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  std::vector<config::RawSettings> layers;
  if (!config_path.empty()) {
    auto yaml = config::read_yaml_settings(config_path);
    if (!yaml.ok()) {
      std::cerr << "maasd: " << yaml.status().message() << "\n";
      return 2;
    }
    layers.push_back(*yaml);
  }
  layers.push_back(config::read_env_settings(environ));
  layers.push_back(flags);
  auto cfg = config::build_config(layers);
  if (!cfg.ok()) {
    std::cerr << "maasd: invalid configuration: " << cfg.status().message() << "\n";
    return 2;
  }
  // The TLS files are read now too, so that a bad one is a configuration error like any other bad setting.
  if (!cfg->tls_cert_file.empty()) {
    if (auto tls = http::load_tls_context(cfg->tls_cert_file, cfg->tls_key_file); !tls.ok()) {
      std::cerr << "maasd: invalid configuration: " << tls.status().message() << "\n";
      return 2;
    }
  }
  return run(*cfg, config_path);
}
