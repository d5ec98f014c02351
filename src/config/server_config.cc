#include "config/server_config.h"
#include "config/setting.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstring>
#include <thread>

namespace maas::config {

namespace {

Status set_listen(ServerConfig& c, const std::string& v) {
  auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return invalid_argument("server.listen: '" + v + "' is not HOST:PORT (e.g. 127.0.0.1:8080)");
  }
  std::string host = v.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  MAAS_ASSIGN_OR_RETURN(int64_t port, parse_int("server.listen port", v.substr(colon + 1), 0, 65535));
  c.listen_host = host;
  c.listen_port = static_cast<uint16_t>(port);
  return {};
}

const std::vector<Setting>& setting_table() {
  static const std::vector<Setting> kTable = [] {
    std::vector<Setting> table = {
        {{"server.listen", "MAAS_LISTEN", "--listen", "HOST:PORT to listen on (port 0 picks a free one)"}, set_listen},
        {{"server.threads", "MAAS_THREADS", "--threads",
          "I/O threads, one event loop each (0 = half the cores, at least 1: the rest are the model workers')"},
         int_setting(&ServerConfig::threads, "server.threads", 0, 256)},
        {{"server.request_timeout_ms", "MAAS_REQUEST_TIMEOUT_MS", "--request-timeout-ms",
          "deadline of a management request"},
         duration_ms(&ServerConfig::request_timeout_ms, "server.request_timeout_ms")},
        {{"server.upload_timeout_ms", "MAAS_UPLOAD_TIMEOUT_MS", "--upload-timeout-ms",
          "deadline of an artifact upload"},
         duration_ms(&ServerConfig::upload_timeout_ms, "server.upload_timeout_ms")},
        {{"server.idle_timeout_ms", "MAAS_IDLE_TIMEOUT_MS", "--idle-timeout-ms",
          "close a connection idle this long (also the longest stall while reading a body)"},
         duration_ms(&ServerConfig::idle_timeout_ms, "server.idle_timeout_ms")},
        {{"server.header_timeout_ms", "MAAS_HEADER_TIMEOUT_MS", "--header-timeout-ms",
          "time allowed to send a request's headers once started"},
         duration_ms(&ServerConfig::header_timeout_ms, "server.header_timeout_ms")},
        {{"server.drain_timeout_ms", "MAAS_DRAIN_TIMEOUT_MS", "--drain-timeout-ms",
          "on SIGTERM, how long in-flight requests may finish"},
         duration_ms(&ServerConfig::drain_timeout_ms, "server.drain_timeout_ms")},
        {{"server.port_file", "MAAS_PORT_FILE", "--port-file", "write HOST:PORT here once listening"},
         [](ServerConfig& c, const std::string& v) -> Status {
           c.port_file = v;
           return {};
         }},
        {{"server.tls_cert_file", "MAAS_TLS_CERT_FILE", "--tls-cert-file",
          "PEM certificate (chain) to serve HTTPS with; needs server.tls_key_file; re-read on SIGHUP"},
         [](ServerConfig& c, const std::string& v) -> Status {
           c.tls_cert_file = v;
           return {};
         }},
        {{"server.tls_key_file", "MAAS_TLS_KEY_FILE", "--tls-key-file",
          "PEM private key of server.tls_cert_file; re-read on SIGHUP"},
         [](ServerConfig& c, const std::string& v) -> Status {
           c.tls_key_file = v;
           return {};
         }},
        {{"server.tls_client_ca_file", "MAAS_TLS_CLIENT_CA_FILE", "--tls-client-ca-file",
          "PEM CA certificate(s): clients may present a certificate they issued (mutual TLS), which authenticates "
          "as the key bound to its subject; needs server.tls_cert_file; re-read on SIGHUP"},
         [](ServerConfig& c, const std::string& v) -> Status {
           c.tls_client_ca_file = v;
           return {};
         }},
        {{"console.enabled", "MAAS_CONSOLE_ENABLED", "--console-enabled",
          "serve the web console at /ui/: true or false (docs/CONSOLE.md)"},
         flag(&ServerConfig::console_enabled, "console.enabled")},
        {{"console.dir", "MAAS_CONSOLE_DIR", "--console-dir",
          "the console's built assets (default: share/maas/console beside maasd's bin/)"},
         text(&ServerConfig::console_dir, "console.dir", false)},
        {{"auth.jwt_public_keys", "MAAS_JWT_PUBLIC_KEYS", "--jwt-public-keys",
          "comma-separated PEM public keys (RSA >= 2048 bits: RS256; EC P-256: ES256) whose JWTs are accepted beside "
          "API keys; a file's stem is its kid; re-read on SIGHUP"},
         [](ServerConfig& c, const std::string& v) -> Status {
           c.jwt_public_keys.clear();
           for (const auto& path : comma_list(v)) c.jwt_public_keys.emplace_back(path);
           return {};
         }},
        {{"auth.jwt_issuer", "MAAS_JWT_ISSUER", "--jwt-issuer", "the 'iss' every accepted JWT must carry"},
         text(&ServerConfig::jwt_issuer, "auth.jwt_issuer", false)},
        {{"auth.jwt_audience", "MAAS_JWT_AUDIENCE", "--jwt-audience", "the 'aud' every accepted JWT must include"},
         text(&ServerConfig::jwt_audience, "auth.jwt_audience", false)},
        {{"auth.jwt_role_claim", "MAAS_JWT_ROLE_CLAIM", "--jwt-role-claim",
          "the claim naming the caller's role (admin, deployer, invoker, viewer)"},
         text(&ServerConfig::jwt_role_claim, "auth.jwt_role_claim", true)},
        {{"auth.jwt_services_claim", "MAAS_JWT_SERVICES_CLAIM", "--jwt-services-claim",
          "the claim listing the services an invoker may call (absent: all)"},
         text(&ServerConfig::jwt_services_claim, "auth.jwt_services_claim", true)},
        {{"auth.signature_window_s", "MAAS_SIGNATURE_WINDOW_S", "--signature-window-s",
          "a signed request's x-maas-date may be this many seconds from the server's clock; its nonce is refused "
          "again for as long"},
         whole_number(&ServerConfig::signature_window_s, "auth.signature_window_s", 1, 86'400)},
        {{"auth.signature_nonce_cache_size", "MAAS_SIGNATURE_NONCE_CACHE_SIZE", "--signature-nonce-cache-size",
          "signed requests' nonces remembered at most (in memory, per node); when full, signed requests get 503 "
          "until the oldest leave the window"},
         whole_number(&ServerConfig::signature_nonce_cache_size, "auth.signature_nonce_cache_size", 1, 100'000'000)},
        {{"audit.retention_ms", "MAAS_AUDIT_RETENTION_MS", "--audit-retention-ms",
          "audit records older than this are deleted (default 90 days; 0: no age limit)"},
         long_duration_ms(&ServerConfig::audit_retention_ms, "audit.retention_ms")},
        {{"audit.max_rows", "MAAS_AUDIT_MAX_ROWS", "--audit-max-rows",
          "audit records kept at most, the newest (0: no limit)"},
         whole_number(&ServerConfig::audit_max_rows, "audit.max_rows", 0, 1'000'000'000'000)},
        {{"audit.retention_interval_ms", "MAAS_AUDIT_RETENTION_INTERVAL_MS", "--audit-retention-interval-ms",
          "how often audit retention runs"},
         duration_ms(&ServerConfig::audit_retention_interval_ms, "audit.retention_interval_ms")},
        {{"audit.anonymous_records_per_second", "MAAS_AUDIT_ANONYMOUS_RECORDS_PER_SECOND",
          "--audit-anonymous-records-per-second",
          "refused requests without a key recorded in the audit log at most (a token bucket; every one is counted in "
          "maas_audit_anonymous_refusals_total; 0: none recorded)"},
         whole_number(&ServerConfig::audit_anonymous_records_per_second, "audit.anonymous_records_per_second", 0,
                      1'000'000)},
        {{"audit.max_field_bytes", "MAAS_AUDIT_MAX_FIELD_BYTES", "--audit-max-field-bytes",
          "a longer path, actor or request id is cut to this in the audit log, with a marker"},
         whole_number(&ServerConfig::audit_max_field_bytes, "audit.max_field_bytes", 64, 65'536)},
        {{"outbound.deny", "MAAS_OUTBOUND_DENY", "--outbound-deny",
          "comma-separated CIDRs, addresses and host names webhooks, Alertmanager and e-mail relays may not be at "
          "(default: link-local, unspecified and cloud metadata addresses and names; empty: none)"},
         [](ServerConfig& c, const std::string& v) -> Status {
           c.outbound_deny = trimmed_list(v);
           return {};
         }},
        {{"outbound.allow", "MAAS_OUTBOUND_ALLOW", "--outbound-allow",
          "comma-separated CIDRs, addresses and host names allowed although outbound.deny covers them"},
         [](ServerConfig& c, const std::string& v) -> Status {
           c.outbound_allow = trimmed_list(v);
           return {};
         }},
        {{"storage.data_dir", "MAAS_DATA_DIR", "--data-dir", "where metadata and artifacts live"},
         [](ServerConfig& c, const std::string& v) -> Status {
           if (v.empty()) return invalid_argument("storage.data_dir: must not be empty");
           c.data_dir = v;
           return {};
         }},
        {{"storage.gc_interval_ms", "MAAS_GC_INTERVAL_MS", "--gc-interval-ms",
          "how often unreferenced artifacts are garbage-collected"},
         duration_ms(&ServerConfig::gc_interval_ms, "storage.gc_interval_ms")},
        {{"metrics.sample_interval_ms", "MAAS_METRICS_SAMPLE_INTERVAL_MS", "--metrics-sample-interval-ms",
          "how often registry and store sizes are sampled for /metrics"},
         duration_ms(&ServerConfig::metrics_sample_interval_ms, "metrics.sample_interval_ms")},
        {{"datasets.max_concurrent_imports", "MAAS_DATASETS_MAX_CONCURRENT_IMPORTS",
          "--datasets-max-concurrent-imports",
          "dataset uploads received or imported at once; more are refused with 429"},
         whole_number(&ServerConfig::datasets_max_concurrent_imports, "datasets.max_concurrent_imports", 1, 64)},
        {{"datasets.max_concurrent_downloads", "MAAS_DATASETS_MAX_CONCURRENT_DOWNLOADS",
          "--datasets-max-concurrent-downloads",
          "CSV and JSON Lines downloads of datasets streamed at once; more are "
          "refused with 429 (Parquet downloads are plain files and not counted)"},
         whole_number(&ServerConfig::datasets_max_concurrent_downloads, "datasets.max_concurrent_downloads", 1, 4096)},
        {{"datasets.memory_limit", "MAAS_DATASETS_MEMORY_LIMIT", "--datasets-memory-limit",
          "memory of each DuckDB database an import, preview or download opens (e.g. 1GiB; at least 64MiB); past it, "
          "work spills to <data_dir>/data/spill"},
         [](ServerConfig& c, const std::string& v) -> Status {
           MAAS_ASSIGN_OR_RETURN(c.datasets_memory_limit_bytes, parse_size_for("datasets.memory_limit", v));
           if (c.datasets_memory_limit_bytes < (64ull << 20)) {
             return invalid_argument("datasets.memory_limit: must be at least 64MiB, got " + v);
           }
           return {};
         }},
        {{"datasets.threads", "MAAS_DATASETS_THREADS", "--datasets-threads",
          "threads of each DuckDB database (0: one per core)"},
         whole_number(&ServerConfig::datasets_threads, "datasets.threads", 0, 1024)},
        {{"datasets.max_preview_rows", "MAAS_DATASETS_MAX_PREVIEW_ROWS", "--datasets-max-preview-rows",
          "the most rows one preview page may ask for"},
         whole_number(&ServerConfig::datasets_max_preview_rows, "datasets.max_preview_rows", 1, 1'000'000)},
        {{"features.max_fit_rows", "MAAS_FEATURES_MAX_FIT_ROWS", "--features-max-fit-rows",
          "the most rows of a dataset version a features.fit, features.transform or features.search job reads (it "
          "holds them in memory; 1 to 1e10)"},
         whole_number(&ServerConfig::features_max_fit_rows, "features.max_fit_rows", 1, 10'000'000'000)},
        {{"rules.discover_max_body_bytes", "MAAS_RULES_DISCOVER_MAX_BODY_BYTES", "--rules-discover-max-body-bytes",
          "largest body of POST /api/v1/rules/discover (e.g. 64MiB; limits.max_artifact_bytes bounds it too)"},
         size_bytes(&ServerConfig::rules_discover_max_body_bytes, "rules.discover_max_body_bytes")},
        {{"rules.discover_max_concurrent", "MAAS_RULES_DISCOVER_MAX_CONCURRENT", "--rules-discover-max-concurrent",
          "rule discoveries received or run at once; more are refused with 429"},
         whole_number(&ServerConfig::rules_discover_max_concurrent, "rules.discover_max_concurrent", 1, 64)},
        {{"rules.max_pattern_bytes", "MAAS_RULES_MAX_PATTERN_BYTES", "--rules-max-pattern-bytes",
          "largest extraction rule pattern or SQL, and grok pattern once expanded (e.g. 64KiB; 256 to 16MiB)"},
         [](ServerConfig& c, const std::string& v) -> Status {
           MAAS_ASSIGN_OR_RETURN(c.rules_max_pattern_bytes, parse_size_for("rules.max_pattern_bytes", v));
           if (c.rules_max_pattern_bytes < 256 || c.rules_max_pattern_bytes > (16ull << 20)) {
             return invalid_argument("rules.max_pattern_bytes: must be from 256 bytes to 16MiB, got " + v);
           }
           return {};
         }},
        {{"rules.regex_max_mem_bytes", "MAAS_RULES_REGEX_MAX_MEM_BYTES", "--rules-regex-max-mem-bytes",
          "RE2's memory for one compiled rule pattern; a larger pattern is refused (e.g. 8MiB; 64KiB to 1GiB)"},
         [](ServerConfig& c, const std::string& v) -> Status {
           MAAS_ASSIGN_OR_RETURN(c.rules_regex_max_mem_bytes, parse_size_for("rules.regex_max_mem_bytes", v));
           if (c.rules_regex_max_mem_bytes < (64ull << 10) || c.rules_regex_max_mem_bytes > (1ull << 30)) {
             return invalid_argument("rules.regex_max_mem_bytes: must be from 64KiB to 1GiB, got " + v);
           }
           return {};
         }},
        {{"rules.test_max_body_bytes", "MAAS_RULES_TEST_MAX_BODY_BYTES", "--rules-test-max-body-bytes",
          "largest body of POST /api/v1/rules/test (a rule and its sample; e.g. 4MiB)"},
         size_bytes(&ServerConfig::rules_test_max_body_bytes, "rules.test_max_body_bytes")},
        {{"features.timeseries_max_features", "MAAS_FEATURES_TIMESERIES_MAX_FEATURES",
          "--features-timeseries-max-features", "the most features one features.timeseries job computes (1 to 100000)"},
         whole_number(&ServerConfig::features_timeseries_max_features, "features.timeseries_max_features", 1, 100'000)},
        {{"features.online_max_entities", "MAAS_FEATURES_ONLINE_MAX_ENTITIES", "--features-online-max-entities",
          "entities the online store keeps per feature view; past it the least recently used is evicted (1 to 1e9)"},
         whole_number(&ServerConfig::features_online_max_entities, "features.online_max_entities", 1, 1'000'000'000)},
        {{"features.online_ttl_ms", "MAAS_FEATURES_ONLINE_TTL_MS", "--features-online-ttl-ms",
          "an online store entity idle this long is dropped (default a day; 0: never)"},
         long_duration_ms(&ServerConfig::features_online_ttl_ms, "features.online_ttl_ms")},
        {{"features.online_max_window", "MAAS_FEATURES_ONLINE_MAX_WINDOW", "--features-online-max-window",
          "the most rows one online feature's window keeps per entity (lags, row and time windows; 1 to 1e7)"},
         whole_number(&ServerConfig::features_online_max_window, "features.online_max_window", 1, 10'000'000)},
        {{"grpc.port", "MAAS_GRPC_PORT", "--grpc-port",
          "port of the gRPC Open Inference Protocol listener, on server.listen's host (0: none; 8001 is Triton's)"},
         int_setting(&ServerConfig::grpc_port, "grpc.port", 0, 65535)},
        {{"grpc.max_message_bytes", "MAAS_GRPC_MAX_MESSAGE_BYTES", "--grpc-max-message-bytes",
          "largest gRPC message received or sent (e.g. 64MiB; at most 2GiB - 1)"},
         size_bytes(&ServerConfig::grpc_max_message_bytes, "grpc.max_message_bytes")},
        {{"limits.max_json_body_bytes", "MAAS_MAX_JSON_BODY_BYTES", "--max-json-body-bytes",
          "largest JSON request body (e.g. 1MiB)"},
         size_bytes(&ServerConfig::max_json_body_bytes, "limits.max_json_body_bytes")},
        {{"limits.max_infer_body_bytes", "MAAS_MAX_INFER_BODY_BYTES", "--max-infer-body-bytes",
          "largest inference request body, JSON or binary tensors (e.g. 64MiB)"},
         size_bytes(&ServerConfig::max_infer_body_bytes, "limits.max_infer_body_bytes")},
        {{"limits.max_artifact_bytes", "MAAS_MAX_ARTIFACT_BYTES", "--max-artifact-bytes",
          "largest model artifact (e.g. 8GiB)"},
         size_bytes(&ServerConfig::max_artifact_bytes, "limits.max_artifact_bytes")},
        {{"limits.max_header_bytes", "MAAS_MAX_HEADER_BYTES", "--max-header-bytes", "largest request header block"},
         size_bytes(&ServerConfig::max_header_bytes, "limits.max_header_bytes")},
        {{"limits.max_buffered_body_bytes", "MAAS_MAX_BUFFERED_BODY_BYTES", "--max-buffered-body-bytes",
          "request bodies held in memory by all connections together (e.g. 1GiB); a request that would go over is "
          "refused with 503 before its body is read (0: no budget; artifact uploads are not counted)"},
         size_or_zero(&ServerConfig::max_buffered_body_bytes, "limits.max_buffered_body_bytes")},
        {{"limits.max_connections", "MAAS_MAX_CONNECTIONS", "--max-connections",
          "open connections at most; at the limit the oldest idle one is closed for a new client"},
         int_setting(&ServerConfig::max_connections, "limits.max_connections", 1, 1'000'000)},
        {{"limits.max_connections_per_address", "MAAS_MAX_CONNECTIONS_PER_ADDRESS", "--max-connections-per-address",
          "open connections from one client IP address at most; more are closed at accept (0: no limit)"},
         int_setting(&ServerConfig::max_connections_per_address, "limits.max_connections_per_address", 0, 1'000'000)},
        {{"limits.max_tensor_elements", "MAAS_MAX_TENSOR_ELEMENTS", "--max-tensor-elements",
          "elements one tensor may have (a 0 or variable dimension counts as 1): a request's input, a worker's "
          "output, one row of a model's declared input (larger models are refused at upload and load)"},
         [](ServerConfig& c, const std::string& v) -> Status {
           MAAS_ASSIGN_OR_RETURN(int64_t n, parse_int("limits.max_tensor_elements", v, 1,
                                                      static_cast<int64_t>(kMaxTensorElementsCeiling)));
           c.max_tensor_elements = static_cast<uint64_t>(n);
           return {};
         }},
        {{"runtime.load_on_demand", "MAAS_LOAD_ON_DEMAND", "--load-on-demand",
          "an inference request to a registered version that is not loaded loads it (default config) and waits"},
         flag(&ServerConfig::load_on_demand, "runtime.load_on_demand")},
        {{"runtime.memory_budget", "MAAS_MEMORY_BUDGET", "--memory-budget",
          "resident memory of all model workers above which versions loaded on demand are unloaded, least recently "
          "used first (e.g. 8GiB; 0: no budget)"},
         size_or_zero(&ServerConfig::memory_budget_bytes, "runtime.memory_budget")},
        {{"runtime.worker_memory_limit", "MAAS_WORKER_MEMORY_LIMIT", "--worker-memory-limit",
          "each model worker's memory limit (RLIMIT_DATA) unless its deployment config sets memory_limit_bytes: a "
          "size (e.g. 4GiB), auto (half of the memory maasd may use) or 0 (none)"},
         [](ServerConfig& c, const std::string& v) -> Status {
           if (v == "auto") {
             c.worker_memory_limit_bytes.reset();
             return {};
           }
           MAAS_ASSIGN_OR_RETURN(c.worker_memory_limit_bytes, parse_size_for("runtime.worker_memory_limit", v));
           return {};
         }},
        {{"log.level", "MAAS_LOG_LEVEL", "--log-level", "trace, debug, info, warn or error"},
         [](ServerConfig& c, const std::string& v) -> Status {
           for (const char* l : {"trace", "debug", "info", "warn", "error"}) {
             if (v == l) {
               c.log_level = v;
               return {};
             }
           }
           return invalid_argument("log.level: '" + v + "' is not one of trace, debug, info, warn, error");
         }},
        {{"log.access", "MAAS_LOG_ACCESS", "--log-access", "one JSON line per request: true or false"},
         flag(&ServerConfig::access_log, "log.access")},
        {{"log.format", "MAAS_LOG_FORMAT", "--log-format", "json or text"},
         [](ServerConfig& c, const std::string& v) -> Status {
           if (v != "json" && v != "text") return invalid_argument("log.format: '" + v + "' is not json or text");
           c.log_format = v;
           return {};
         }},
    };
    // Each component's section, in a file of its own.
    for (auto& setting : log_settings()) table.push_back(std::move(setting));
    for (auto& setting : job_settings()) table.push_back(std::move(setting));
    for (auto& setting : source_settings()) table.push_back(std::move(setting));
    for (auto& setting : graph_settings()) table.push_back(std::move(setting));
    for (auto& setting : study_settings()) table.push_back(std::move(setting));
    for (auto& setting : shared_memory_settings()) table.push_back(std::move(setting));
    return table;
  }();
  return kTable;
}

void flatten_yaml(const YAML::Node& node, const std::string& prefix, RawSettings& out, std::vector<std::string>& bad) {
  // The alerting section has lists (receivers, rule files): the alerting component reads it itself.
  if (prefix == "alerting") return;
  if (node.IsMap()) {
    for (const auto& kv : node) {
      std::string key = kv.first.as<std::string>();
      flatten_yaml(kv.second, prefix.empty() ? key : prefix + "." + key, out, bad);
    }
  } else if (node.IsScalar()) {
    out[prefix] = node.as<std::string>();
  } else if (node.IsSequence()) {
    // A list of scalars (jobs.plugins, logs.tail_files) reads as the comma-separated form of its setting.
    std::string joined;
    for (const auto& item : node) {
      if (!item.IsScalar()) {
        bad.push_back(prefix);
        return;
      }
      joined += (joined.empty() ? "" : ",") + item.as<std::string>();
    }
    out[prefix] = joined;
  } else if (!node.IsNull()) {
    bad.push_back(prefix);
  }
}

}  // namespace

const std::vector<SettingInfo>& settings() {
  static const std::vector<SettingInfo> kInfos = [] {
    std::vector<SettingInfo> v;
    for (const auto& s : setting_table()) v.push_back(s.info);
    return v;
  }();
  return kInfos;
}

Result<RawSettings> read_yaml_settings(const std::filesystem::path& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path.string());
  } catch (const YAML::BadFile&) {
    return invalid_argument("config file " + path.string() + " cannot be read");
  } catch (const YAML::Exception& e) {
    return invalid_argument("config file " + path.string() + ": " + e.what());
  }
  RawSettings raw;
  std::vector<std::string> bad;
  try {
    if (!root.IsNull() && !root.IsMap()) return invalid_argument("config file " + path.string() + " is not a mapping");
    flatten_yaml(root, "", raw, bad);
  } catch (const YAML::Exception& e) {
    return invalid_argument("config file " + path.string() + ": " + e.what());
  }
  if (!bad.empty()) return invalid_argument("config file " + path.string() + ": '" + bad.front() + "' must be a scalar or a list of scalars");
  for (const auto& [key, value] : raw) {
    bool known = false;
    for (const auto& s : setting_table()) known = known || s.info.key == key;
    // Sections owned by later components are passed through untouched.
    if (!known && key.rfind("alerting.", 0) != 0) {
      return invalid_argument("config file " + path.string() + ": unknown setting '" + key + "'");
    }
  }
  return raw;
}

RawSettings read_env_settings(char** environ_vars) {
  RawSettings raw;
  if (environ_vars == nullptr) return raw;
  for (char** e = environ_vars; *e != nullptr; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (eq == nullptr) continue;
    std::string name(*e, static_cast<size_t>(eq - *e));
    for (const auto& s : setting_table()) {
      if (s.info.env == name) raw[s.info.key] = eq + 1;
    }
  }
  return raw;
}

Result<ServerConfig> build_config(const std::vector<RawSettings>& layers) {
  ServerConfig config;
  for (const auto& layer : layers) {
    for (const auto& s : setting_table()) {
      auto it = layer.find(s.info.key);
      if (it != layer.end()) MAAS_RETURN_IF_ERROR(s.set(config, it->second));
    }
  }
  if (!config.jwt_public_keys.empty() && (config.jwt_issuer.empty() || config.jwt_audience.empty())) {
    return invalid_argument("auth.jwt_public_keys needs auth.jwt_issuer and auth.jwt_audience: a JWT is accepted only "
                            "from the issuer and for the audience named");
  }
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return invalid_argument(config.tls_cert_file.empty() ? "server.tls_key_file is set without server.tls_cert_file"
                                                         : "server.tls_cert_file is set without server.tls_key_file");
  }
  if (!config.tls_client_ca_file.empty() && config.tls_cert_file.empty()) {
    return invalid_argument(
        "server.tls_client_ca_file needs server.tls_cert_file and server.tls_key_file: client "
        "certificates are asked for only over HTTPS");
  }
  if (auto outbound = OutboundPolicy::make(config.outbound_deny, config.outbound_allow); !outbound.ok()) {
    return outbound.status();
  }
  if (config.logs_store == "loki" && config.logs_loki_url.empty()) {
    return invalid_argument("logs.store is loki but logs.loki.url is not set");
  }
  // Half the cores by default: the model workers, which do the compute, need the others. On 2 cores one loop
  // served 1.4x the requests of two (docs/BENCHMARKS.md): every extra thread on a busy core is a context switch
  // on the request path.
  if (config.threads == 0) config.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency() / 2));
  // At least two, so that a one-core machine still runs a job beside serving's reserved slot.
  if (config.jobs_slots == 0) config.jobs_slots = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  if (config.jobs_serving_reserved_slots >= config.jobs_slots) {
    return invalid_argument("jobs.serving_reserved_slots (" + std::to_string(config.jobs_serving_reserved_slots) +
                            ") must be below jobs.slots (" + std::to_string(config.jobs_slots) +
                            "), or no job could ever run");
  }
  if (config.grpc_max_message_bytes > static_cast<uint64_t>(INT32_MAX)) {
    return invalid_argument("grpc.max_message_bytes (" + std::to_string(config.grpc_max_message_bytes) +
                            ") must be at most 2GiB - 1 (gRPC's limit)");
  }
  if (config.max_json_body_bytes > config.max_artifact_bytes) {
    return invalid_argument("limits.max_json_body_bytes must not exceed limits.max_artifact_bytes");
  }
  // A budget smaller than one body the limits allow would refuse that body forever.
  uint64_t largest_buffered = std::max(config.max_json_body_bytes, config.max_infer_body_bytes);
  if (config.max_buffered_body_bytes != 0 && config.max_buffered_body_bytes < largest_buffered) {
    return invalid_argument("limits.max_buffered_body_bytes (" + std::to_string(config.max_buffered_body_bytes) +
                            ") must be 0 or at least the largest buffered body allowed (limits.max_json_body_bytes, "
                            "limits.max_infer_body_bytes: " + std::to_string(largest_buffered) + ")");
  }
  return config;
}

}  // namespace maas::config
