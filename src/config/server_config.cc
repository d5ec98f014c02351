#include "config/server_config.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <cstring>
#include <algorithm>
#include <functional>
#include <thread>

namespace maas::config {
namespace {

// "a,b,,c" -> {"a", "b", "c"}: a setting that lists paths (empty items are skipped).
std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) items.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

// comma_list with the blanks around each item removed ("a, b" -> {"a", "b"}).
std::vector<std::string> trimmed_list(const std::string& text) {
  std::vector<std::string> items;
  for (auto& item : comma_list(text)) {
    size_t first = item.find_first_not_of(" \t"), last = item.find_last_not_of(" \t");
    if (first != std::string::npos) items.push_back(item.substr(first, last - first + 1));
  }
  return items;
}

Result<int64_t> parse_int(const std::string& key, const std::string& text, int64_t min, int64_t max) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return invalid_argument(key + ": '" + text + "' is not a whole number");
  }
  if (value < min || value > max) {
    return invalid_argument(key + ": " + text + " is out of range [" + std::to_string(min) + ", " +
                            std::to_string(max) + "]");
  }
  return value;
}

Result<uint64_t> parse_size_for(const std::string& key, const std::string& text) {
  auto size = parse_size(text);
  if (!size.ok()) return invalid_argument(key + ": " + size.status().message());
  return size;
}

using Setter = std::function<Status(ServerConfig&, const std::string&)>;

struct Setting {
  SettingInfo info;
  Setter set;
};

Setter duration_ms(int64_t ServerConfig::*field, const char* key) {
  return [field, key](ServerConfig& c, const std::string& v) -> Status {
    MAAS_ASSIGN_OR_RETURN(c.*field, parse_int(key, v, 1, 7LL * 24 * 3600 * 1000));
    return {};
  };
}

Setter size_bytes(uint64_t ServerConfig::*field, const char* key) {
  return [field, key](ServerConfig& c, const std::string& v) -> Status {
    MAAS_ASSIGN_OR_RETURN(c.*field, parse_size_for(key, v));
    if (c.*field == 0) return invalid_argument(std::string(key) + ": must be greater than 0");
    return {};
  };
}

Setter flag(bool ServerConfig::*field, const char* key) {
  return [field, key](ServerConfig& c, const std::string& v) -> Status {
    if (v != "true" && v != "false") return invalid_argument(std::string(key) + ": '" + v + "' is not true or false");
    c.*field = v == "true";
    return {};
  };
}

// A string; `required`: it must not be empty.
Setter text(std::string ServerConfig::*field, const char* key, bool required) {
  return [field, key, required](ServerConfig& c, const std::string& v) -> Status {
    if (required && v.empty()) return invalid_argument(std::string(key) + ": must not be empty");
    c.*field = v;
    return {};
  };
}

// A duration where 0 means "no limit" and years are fine (retention).
Setter long_duration_ms(int64_t ServerConfig::*field, const char* key) {
  return [field, key](ServerConfig& c, const std::string& v) -> Status {
    MAAS_ASSIGN_OR_RETURN(c.*field, parse_int(key, v, 0, 100LL * 365 * 24 * 3600 * 1000));
    return {};
  };
}

Setter whole_number(int64_t ServerConfig::*field, const char* key, int64_t min, int64_t max) {
  return [field, key, min, max](ServerConfig& c, const std::string& v) -> Status {
    MAAS_ASSIGN_OR_RETURN(c.*field, parse_int(key, v, min, max));
    return {};
  };
}

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
  static const std::vector<Setting> kTable = {
      {{"server.listen", "MAAS_LISTEN", "--listen", "HOST:PORT to listen on (port 0 picks a free one)"}, set_listen},
      {{"server.threads", "MAAS_THREADS", "--threads", "I/O threads, one event loop each (0 = half the cores, at least 1: the rest are the model workers')"},
       [](ServerConfig& c, const std::string& v) -> Status {
         MAAS_ASSIGN_OR_RETURN(int64_t n, parse_int("server.threads", v, 0, 256));
         c.threads = static_cast<int>(n);
         return {};
       }},
      {{"server.request_timeout_ms", "MAAS_REQUEST_TIMEOUT_MS", "--request-timeout-ms",
        "deadline of a management request"},
       duration_ms(&ServerConfig::request_timeout_ms, "server.request_timeout_ms")},
      {{"server.upload_timeout_ms", "MAAS_UPLOAD_TIMEOUT_MS", "--upload-timeout-ms", "deadline of an artifact upload"},
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
       [](ServerConfig& c, const std::string& v) -> Status {
         MAAS_ASSIGN_OR_RETURN(c.max_buffered_body_bytes, parse_size_for("limits.max_buffered_body_bytes", v));
         return {};
       }},
      {{"limits.max_connections", "MAAS_MAX_CONNECTIONS", "--max-connections",
        "open connections at most; at the limit the oldest idle one is closed for a new client"},
       [](ServerConfig& c, const std::string& v) -> Status {
         MAAS_ASSIGN_OR_RETURN(int64_t n, parse_int("limits.max_connections", v, 1, 1'000'000));
         c.max_connections = static_cast<int>(n);
         return {};
       }},
      {{"limits.max_connections_per_address", "MAAS_MAX_CONNECTIONS_PER_ADDRESS", "--max-connections-per-address",
        "open connections from one client IP address at most; more are closed at accept (0: no limit)"},
       [](ServerConfig& c, const std::string& v) -> Status {
         MAAS_ASSIGN_OR_RETURN(int64_t n, parse_int("limits.max_connections_per_address", v, 0, 1'000'000));
         c.max_connections_per_address = static_cast<int>(n);
          return {};
        }},
      {{"limits.max_tensor_elements", "MAAS_MAX_TENSOR_ELEMENTS", "--max-tensor-elements",
        "elements one tensor may have (a 0 or variable dimension counts as 1): a request's input, a worker's "
        "output, one row of a model's declared input (larger models are refused at upload and load)"},
       [](ServerConfig& c, const std::string& v) -> Status {
         MAAS_ASSIGN_OR_RETURN(int64_t n, parse_int("limits.max_tensor_elements", v, 1,
                                                    static_cast<int64_t>(kMaxTensorElementsCeiling)));
         c.max_tensor_elements = static_cast<uint64_t>(n);
         return {};
       }},
      {{"logs.requests", "MAAS_LOGS_REQUESTS", "--logs-requests", "record every request in the log center: true or false"},
       flag(&ServerConfig::logs_requests, "logs.requests")},
      {{"logs.store", "MAAS_LOGS_STORE", "--logs-store",
        "where log records are stored: embedded (maasd's own engine) or loki (a remote Loki at logs.loki.url)"},
       [](ServerConfig& c, const std::string& v) -> Status {
         if (v != "embedded" && v != "loki") return invalid_argument("logs.store: '" + v + "' is not embedded or loki");
         c.logs_store = v;
         return {};
       }},
      {{"logs.loki.url", "MAAS_LOGS_LOKI_URL", "--logs-loki-url",
        "the remote Loki's base URL (http://host:3100) when logs.store is loki"},
       [](ServerConfig& c, const std::string& v) -> Status {
         if (v.rfind("http://", 0) != 0 || v.size() <= 7) return invalid_argument("logs.loki.url: '" + v + "' is not an http:// URL");
         c.logs_loki_url = v.back() == '/' ? v.substr(0, v.size() - 1) : v;
         return {};
       }},
      {{"logs.loki.tenant", "MAAS_LOGS_LOKI_TENANT", "--logs-loki-tenant", "sent as X-Scope-OrgID to the remote Loki"},
       text(&ServerConfig::logs_loki_tenant, "logs.loki.tenant", false)},
      {{"logs.loki.bearer_token", "MAAS_LOGS_LOKI_BEARER_TOKEN", "--logs-loki-bearer-token",
        "sent as Authorization: Bearer to the remote Loki (prefer the environment variable to the YAML)"},
       text(&ServerConfig::logs_loki_bearer_token, "logs.loki.bearer_token", false)},
      {{"logs.loki.buffer_entries", "MAAS_LOGS_LOKI_BUFFER_ENTRIES", "--logs-loki-buffer-entries",
        "records waiting to be pushed to the remote Loki; more are refused and counted"},
       whole_number(&ServerConfig::logs_loki_buffer_entries, "logs.loki.buffer_entries", 1, 10'000'000)},
      {{"logs.archive_dir", "MAAS_LOGS_ARCHIVE_DIR", "--logs-archive-dir",
        "where expired log segments are archived (default <data_dir>/logs/archive)"},
       [](ServerConfig& c, const std::string& v) -> Status {
         c.logs_archive_dir = v;
         return {};
       }},
      {{"logs.segment_bytes", "MAAS_LOGS_SEGMENT_BYTES", "--logs-segment-bytes", "a log segment is sealed at this size"},
       size_bytes(&ServerConfig::logs_segment_bytes, "logs.segment_bytes")},
      {{"logs.segment_max_age_ms", "MAAS_LOGS_SEGMENT_MAX_AGE_MS", "--logs-segment-max-age-ms",
        "a log segment is sealed after this long, so retention can take it"},
       duration_ms(&ServerConfig::logs_segment_max_age_ms, "logs.segment_max_age_ms")},
      {{"logs.retention_ms", "MAAS_LOGS_RETENTION_MS", "--logs-retention-ms",
        "log segments older than this are archived (0: no age limit)"},
       long_duration_ms(&ServerConfig::logs_retention_ms, "logs.retention_ms")},
      {{"runtime.load_on_demand", "MAAS_LOAD_ON_DEMAND", "--load-on-demand",
        "an inference request to a registered version that is not loaded loads it (default config) and waits"},
       flag(&ServerConfig::load_on_demand, "runtime.load_on_demand")},
      {{"runtime.memory_budget", "MAAS_MEMORY_BUDGET", "--memory-budget",
        "resident memory of all model workers above which versions loaded on demand are unloaded, least recently "
        "used first (e.g. 8GiB; 0: no budget)"},
       [](ServerConfig& c, const std::string& v) -> Status {
         MAAS_ASSIGN_OR_RETURN(c.memory_budget_bytes, parse_size_for("runtime.memory_budget", v));
         return {};
       }},
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
      {{"logs.retention_bytes", "MAAS_LOGS_RETENTION_BYTES", "--logs-retention-bytes",
        "live log data above this size are archived, oldest first (0: no size limit)"},
       [](ServerConfig& c, const std::string& v) -> Status {
         MAAS_ASSIGN_OR_RETURN(c.logs_retention_bytes, parse_size_for("logs.retention_bytes", v));
         return {};
       }},
      {{"logs.archive", "MAAS_LOGS_ARCHIVE", "--logs-archive",
        "archive expired log segments (true) or delete them (false)"},
       flag(&ServerConfig::logs_archive, "logs.archive")},
      {{"logs.archive_retention_ms", "MAAS_LOGS_ARCHIVE_RETENTION_MS", "--logs-archive-retention-ms",
        "archives older than this are deleted (0: kept)"},
       long_duration_ms(&ServerConfig::logs_archive_retention_ms, "logs.archive_retention_ms")},
      {{"logs.fsync", "MAAS_LOGS_FSYNC", "--logs-fsync", "fsync each log append before acknowledging it"},
       flag(&ServerConfig::logs_fsync, "logs.fsync")},
      {{"logs.queue_records", "MAAS_LOGS_QUEUE_RECORDS", "--logs-queue-records",
        "maas's own records waiting to be written at most; more are dropped and counted"},
       whole_number(&ServerConfig::logs_queue_records, "logs.queue_records", 1, 10'000'000)},
      {{"logs.max_streams", "MAAS_LOGS_MAX_STREAMS", "--logs-max-streams",
        "distinct log streams (label sets) at most; pushes that would add more are refused"},
       whole_number(&ServerConfig::logs_max_streams, "logs.max_streams", 1, 10'000'000)},
      {{"logs.tail_files", "MAAS_LOGS_TAIL_FILES", "--logs-tail-files",
        "comma-separated log files to follow into the log center (as tail -F)"},
       [](ServerConfig& c, const std::string& v) -> Status {
         c.logs_tail_files.clear();
         for (const auto& path : comma_list(v)) {
           if (path.front() != '/') return invalid_argument("logs.tail_files: '" + path + "' is not an absolute path");
           c.logs_tail_files.emplace_back(path);
         }
         return {};
       }},
      {{"logs.tail_interval_ms", "MAAS_LOGS_TAIL_INTERVAL_MS", "--logs-tail-interval-ms",
        "how often followed files are checked for new lines"},
       duration_ms(&ServerConfig::logs_tail_interval_ms, "logs.tail_interval_ms")},
      {{"logs.flush_interval_ms", "MAAS_LOGS_FLUSH_INTERVAL_MS", "--logs-flush-interval-ms",
        "how often maas's own records are written"},
       duration_ms(&ServerConfig::logs_flush_interval_ms, "logs.flush_interval_ms")},
      {{"logs.retention_interval_ms", "MAAS_LOGS_RETENTION_INTERVAL_MS", "--logs-retention-interval-ms",
        "how often log retention runs"},
       duration_ms(&ServerConfig::logs_retention_interval_ms, "logs.retention_interval_ms")},
      {{"logs.creation_grace_period_ms", "MAAS_LOGS_CREATION_GRACE_PERIOD_MS", "--logs-creation-grace-period-ms",
        "pushed entries further ahead of maasd's clock are refused (Loki's creation_grace_period)"},
       long_duration_ms(&ServerConfig::logs_creation_grace_period_ms, "logs.creation_grace_period_ms")},
      {{"logs.accept_maasd_pushes", "MAAS_LOGS_ACCEPT_MAASD_PUSHES", "--logs-accept-maasd-pushes",
        "accept pushed streams labelled job=\"maasd\" (when this maasd is another maasd's Loki); they are stored "
        "with pushed_by=<key id> and never read as this maasd's own"},
       flag(&ServerConfig::logs_accept_maasd_pushes, "logs.accept_maasd_pushes")},
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

Result<uint64_t> parse_size(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0) return invalid_argument("'" + text + "' is not a size (e.g. 1024, 512KiB, 8GiB)");
  uint64_t number = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + i, number);
  if (ec != std::errc()) return invalid_argument("'" + text + "' is too large");
  std::string unit = text.substr(i);
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  static const std::pair<const char*, uint64_t> kUnits[] = {
      {"", 1},           {"B", 1},           {"KiB", 1ull << 10}, {"MiB", 1ull << 20}, {"GiB", 1ull << 30},
      {"TiB", 1ull << 40}, {"KB", 1000},      {"MB", 1000'000},   {"GB", 1000'000'000}, {"K", 1ull << 10},
      {"M", 1ull << 20}, {"G", 1ull << 30}};
  for (const auto& [name, factor] : kUnits) {
    if (unit == name) {
      if (number > UINT64_MAX / factor) return invalid_argument("'" + text + "' is too large");
      return number * factor;
    }
  }
  return invalid_argument("'" + text + "' has an unknown unit; use B, KiB, MiB, GiB, TiB, KB, MB or GB");
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
  if (!bad.empty()) return invalid_argument("config file " + path.string() + ": '" + bad.front() + "' must be a scalar");
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
