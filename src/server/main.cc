// maasd: the maas server. Wires configuration, stores, the registry and the HTTP API together and runs until
// SIGTERM/SIGINT, then drains in-flight requests.
#include <CLI/CLI.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

#include "api/blocking.h"
#include "api/inference_routes.h"
#include "api/key_routes.h"
#include "api/service_routes.h"
#include "api/openai_routes.h"
#include "api/registry_routes.h"
#include "api/system_routes.h"
#include "artifacts/artifact_store.h"
#include "common/clock.h"
#include "common/files.h"
#include "common/logging.h"
#include "common/version.h"
#include "config/server_config.h"
#include "http/server.h"
#include "http/tls.h"
#include "llm/llm_runner.h"
#include "metrics/metrics.h"
#include "registry/registry.h"
#include "runtime/model_manager.h"
#include "runtime/runtime_metrics.h"
#include "store/sqlite/sqlite_gateway_store.h"
#include "store/sqlite/sqlite_metadata_store.h"

extern char** environ;

namespace maas {
namespace {

// Collects unreferenced blobs every interval until stopped.
class PeriodicGc {
 public:
  PeriodicGc(registry::Registry& registry, std::chrono::milliseconds interval)
      : thread_([this, &registry, interval] {
          std::unique_lock lock(mu_);
          while (!cv_.wait_for(lock, interval, [this] { return stop_; })) {
            lock.unlock();
            auto report = registry.collect_garbage();
            if (!report.ok()) {
              spdlog::warn("garbage collection failed: {}", report.status().to_string());
            } else if (report->removed_blobs > 0) {
              spdlog::info("garbage collection removed {} blobs ({} bytes)", report->removed_blobs, report->removed_bytes);
            }
            lock.lock();
          }
        }) {}
  ~PeriodicGc() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

int run(const config::ServerConfig& cfg) {
  setup_logging(cfg.log_level, cfg.log_format, cfg.access_log);
  int64_t started_at = now_unix_ms();
  if (auto s = ensure_directory(cfg.data_dir); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 1;
  }
  auto metadata = store::sqlite::SqliteMetadataStore::open(cfg.data_dir / "metadata.db");
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
  auth::KeyService keys(**gateway_store);
  if (auto s = keys.load(); !s.ok()) {
    spdlog::critical("cannot read the API keys: {}", s.message());
    return 1;
  }
  {
    const char* env_key = std::getenv("MAAS_ADMIN_KEY");
    auto key_file = cfg.data_dir / "admin.key";
    auto generated = keys.bootstrap_admin(env_key && *env_key ? std::optional<std::string>(env_key) : std::nullopt,
                                          key_file);
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
  auth::AuditLog audit(**gateway_store);
  registry::Registry registry(**metadata, **artifacts);
  // A crash between storing a blob and recording its version leaves an orphan blob; collect it now.
  if (auto gc = registry.collect_garbage(); gc.ok() && gc->removed_blobs > 0) {
    spdlog::info("removed {} orphaned blobs left by an earlier crash", gc->removed_blobs);
  }

  api::BlockingPool blocking(2);
  http::Router router;
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
  options.max_connections = cfg.max_connections;
  options.tls_cert_file = cfg.tls_cert_file;
  options.tls_key_file = cfg.tls_key_file;
  // Metrics outlive the server: runners still referenced by pending coroutines report to them until the
  // server's io_context is gone.
  metrics::Registry metrics;
  runtime::RuntimeMetrics runtime_metrics(metrics);
  http::Server server(options, router);
  server.set_authenticator([&keys](const http::Request& req, http::Access access) { return keys.authorize(req, access); });

  // Workers are started from the binary that sits beside maasd.
  auto worker_binary = std::filesystem::canonical("/proc/self/exe").parent_path() / "maas-worker";
  runtime::ModelManager models(server.io(), runtime_metrics, worker_binary);
  // GGUF versions are served by the LLM engine in maas-llm-worker, when this build has it.
  llm::LlmMetrics llm_metrics(metrics);
  auto llm_worker = worker_binary.parent_path() / "maas-llm-worker";
  if (std::filesystem::exists(llm_worker)) {
    models.register_engine("gguf", llm::llm_engine_factory(server.io(), llm_worker, llm_metrics));
  }
  registry.set_deployment_check([&models](const std::string& m, int64_t v) { return models.is_loaded(m, v); });
  metrics.add_collector([&models, &runtime_metrics] {
    for (const auto& r : models.list()) {
      auto instances = r->instances();
      for (size_t i = 0; i < instances.size(); ++i) {
        metrics::Labels labels{r->model(), std::to_string(r->version()), std::to_string(i)};
        runtime_metrics.worker_rss.with(labels).set(static_cast<double>(instances[i].rss_bytes));
        runtime_metrics.worker_cpu.with(labels).set(instances[i].cpu_seconds);
      }
    }
  });
  auto draining = [&server] { return server.draining(); };
  api::add_system_routes(router, draining, started_at);
  api::add_registry_routes(router, registry, blocking);
  // Services: the gateway loads their versions through the same path as the repository's load endpoint.
  api::DeployFunction deploy;
  gateway::GatewayHooks hooks;
  hooks.resolve = [&registry](const std::string& m, const std::string& ref) { return registry.resolve(m, ref); };
  hooks.deploy = [&deploy](const gateway::Target& t) { return deploy(t); };
  hooks.is_loaded = [&models](const std::string& m, int64_t v) { return models.is_loaded(m, v); };
  hooks.model_exists = [&registry](const std::string& m) { return registry.get_model(m).ok(); };
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
  deploy = api::add_inference_routes(router, registry, models, metrics, draining, &gateway);
  api::add_key_routes(router, keys, audit, **gateway_store);
  api::add_service_routes(router, gateway);
  api::add_openai_routes(router, registry, models, &gateway);

  if (auto s = server.start(); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 1;
  }
  std::string address = cfg.listen_host + ":" + std::to_string(server.port());
  // Plain HTTP keeps the bare HOST:PORT that scripts already read; with TLS the scheme says how to connect.
  std::string scheme = options.tls() ? "https" : "http";
  if (!cfg.port_file.empty()) {
    std::string line = options.tls() ? scheme + "://" + address : address;
    if (auto s = write_file_atomic(cfg.port_file, line + "\n"); !s.ok()) {
      spdlog::critical("cannot write the port file: {}", s.message());
      return 1;
    }
  }
  spdlog::info("maasd {} listening on {}://{} (data dir {}, {} threads)", kVersion, scheme, address,
               cfg.data_dir.string(), cfg.threads);
  {
    PeriodicGc gc(registry, std::chrono::milliseconds(cfg.gc_interval_ms));
    gateway.start();
    auto redeploy = gateway.redeploy();
    boost::asio::co_spawn(server.io(), std::move(redeploy), boost::asio::detached);
    server.run();
    gateway.stop();
  }
  // The I/O threads have stopped: end the workers now rather than leaving it to their death signal.
  models.kill_all_now();
  spdlog::info("maasd stopped");
  return 0;
}

}  // namespace
}  // namespace maas

int main(int argc, char** argv) {
  using namespace maas;
  CLI::App app{"maasd: the maas model-serving server.\n"
               "Settings come from defaults, then --config YAML, then MAAS_* environment variables, then flags."};
  app.set_version_flag("--version", std::string("maasd ") + kVersion + " (" + kGitCommit + ")");
  std::string config_path;
  app.add_option("--config", config_path, "YAML configuration file")->check(CLI::ExistingFile);
  config::RawSettings flags;
  for (const auto& s : config::settings()) {
    std::string env_note = s.help + " [" + s.key + ", env " + s.env + "]";
    app.add_option_function<std::string>(s.flag, [&flags, key = s.key](const std::string& v) { flags[key] = v; }, env_note);
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
  return run(*cfg);
}
