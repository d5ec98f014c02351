#include "config/server_config.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <cstring>
#include <functional>
#include <thread>

namespace maas::config {
namespace {

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
      {{"server.threads", "MAAS_THREADS", "--threads", "I/O threads (0 = one per core)"},
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
      {{"storage.data_dir", "MAAS_DATA_DIR", "--data-dir", "where metadata and artifacts live"},
       [](ServerConfig& c, const std::string& v) -> Status {
         if (v.empty()) return invalid_argument("storage.data_dir: must not be empty");
         c.data_dir = v;
         return {};
       }},
      {{"storage.gc_interval_ms", "MAAS_GC_INTERVAL_MS", "--gc-interval-ms",
        "how often unreferenced artifacts are garbage-collected"},
       duration_ms(&ServerConfig::gc_interval_ms, "storage.gc_interval_ms")},
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
      {{"limits.max_connections", "MAAS_MAX_CONNECTIONS", "--max-connections", "open connections at most"},
       [](ServerConfig& c, const std::string& v) -> Status {
         MAAS_ASSIGN_OR_RETURN(int64_t n, parse_int("limits.max_connections", v, 1, 1'000'000));
         c.max_connections = static_cast<int>(n);
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
       [](ServerConfig& c, const std::string& v) -> Status {
         if (v != "true" && v != "false") return invalid_argument("log.access: '" + v + "' is not true or false");
         c.access_log = v == "true";
         return {};
       }},
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
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return invalid_argument(config.tls_cert_file.empty() ? "server.tls_key_file is set without server.tls_cert_file"
                                                         : "server.tls_cert_file is set without server.tls_key_file");
  }
  if (config.threads == 0) config.threads = std::max(1u, std::thread::hardware_concurrency());
  if (config.max_json_body_bytes > config.max_artifact_bytes) {
    return invalid_argument("limits.max_json_body_bytes must not exceed limits.max_artifact_bytes");
  }
  return config;
}

}  // namespace maas::config
