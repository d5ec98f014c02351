#include "server/maasd.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "common/clock.h"
#include "common/files.h"
#include "common/logging.h"
#include "common/version.h"
#include "http/tls.h"
#include "server/context.h"

extern char** environ;

namespace maas::server {
namespace {

http::ServerOptions server_options(const config::ServerConfig& cfg) {
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
  options.tls_client_ca_file = cfg.tls_client_ca_file;
  return options;
}

// Everything maasd creates is its owner's alone (0600 files, 0700 directories), as PostgreSQL does; a data dir
// an older maasd left open to others is closed now.
Status make_private_data_dir(const std::filesystem::path& dir) {
  ::umask(077);
  MAAS_RETURN_IF_ERROR(ensure_directory(dir));
  auto fixed = restrict_to_owner(dir);
  if (!fixed.ok())
    return Status(fixed.status().code(), "cannot make the data dir private: " + fixed.status().message());
  if (*fixed > 0) {
    spdlog::warn("took the group's and others' permissions off {} files and directories in {}", *fixed, dir.string());
  }
  return {};
}

// Listening: logged before the port file is written, since whoever waits for the file may read the log next.
// Plain HTTP keeps the bare HOST:PORT in the port file that scripts already read; with TLS the scheme says how to
// connect.
Status announce(const config::ServerConfig& cfg, const http::Server& server, Context& context) {
  std::string address = cfg.listen_host + ":" + std::to_string(server.port());
  bool tls = !cfg.tls_cert_file.empty();
  context.set_url((tls ? "https://" : "http://") + address);
  spdlog::info("maasd {} listening on {} (data dir {}, {} threads)", kVersion, context.url(), cfg.data_dir.string(),
               cfg.threads);
  if (cfg.port_file.empty()) return {};
  auto written = write_file_atomic(cfg.port_file, (tls ? context.url() : address) + "\n");
  if (!written.ok()) return Status(written.code(), "cannot write the port file: " + written.message());
  return {};
}

}  // namespace

Maasd::~Maasd() {
  while (!components_.empty()) components_.pop_back();
}

void Maasd::add(std::unique_ptr<Component> component) { components_.push_back(std::move(component)); }

Status Maasd::each(const std::function<Status(Component&)>& step, size_t* done) {
  for (size_t i = 0; i < components_.size(); ++i) {
    if (done) *done = i;
    Status s = step(*components_[i]);
    if (!s.ok()) return Status(s.code(), std::string(components_[i]->name()) + ": " + s.message());
  }
  if (done) *done = components_.size();
  return {};
}

int Maasd::run(const config::ServerConfig& cfg, const std::string& config_path) {
  setup_logging(cfg.log_level, cfg.log_format, cfg.access_log);
  http::Router router;
  // Metrics outlive the server and the components: collectors and runners report to them until the end.
  metrics::Registry metrics;
  Context context(cfg, config_path, router, metrics, now_unix_ms());
  if (auto s = each([&context](Component& c) { return c.configure(context); }); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 2;
  }
  if (auto s = make_private_data_dir(cfg.data_dir); !s.ok()) {
    spdlog::critical("{}", s.message());
    return 1;
  }
  auto options = server_options(cfg);
  context.install_hooks(options);
  http::Server server(options, router);
  context.attach(server);
  size_t started = 0;
  Status status = each([&context](Component& c) { return c.start(context); }, &started);
  if (status.ok()) status = server.start();
  if (status.ok()) status = announce(cfg, server, context);
  if (status.ok()) {
    context.start_tasks();
    for (auto& c : components_) c->serving(context);
    server.run();
    context.stop_tasks();
  } else {
    spdlog::critical("{}", status.message());
  }
  // The I/O threads have stopped. Components end their processes and timers, newest first; then the suspended
  // coroutines release what they hold while every component is still alive; then the components go.
  for (size_t i = started; i-- > 0;) components_[i]->stop();
  server.destroy_handlers();
  while (!components_.empty()) components_.pop_back();
  if (status.ok()) spdlog::info("maasd stopped");
  flush_logs();
  return status.ok() ? 0 : 1;
}

int Maasd::serve(int argc, char** argv) {
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
    if (auto tls = http::load_tls_context(cfg->tls_cert_file, cfg->tls_key_file, cfg->tls_client_ca_file); !tls.ok()) {
      std::cerr << "maasd: invalid configuration: " << tls.status().message() << "\n";
      return 2;
    }
  }
  return run(*cfg, config_path);
}

}  // namespace maas::server
