// The logs.* settings: the log center's store (embedded or a remote Loki), retention and archive, the files it
// follows, what it records (src/logs/, docs/LOGS.md).
#include "config/setting.h"

namespace maas::config {

std::vector<Setting> log_settings() {
  return {
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
      {{"logs.retention_bytes", "MAAS_LOGS_RETENTION_BYTES", "--logs-retention-bytes",
        "live log data above this size are archived, oldest first (0: no size limit)"},
       size_or_zero(&ServerConfig::logs_retention_bytes, "logs.retention_bytes")},
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
       absolute_paths(&ServerConfig::logs_tail_files, "logs.tail_files")},
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
  };
}

}  // namespace maas::config
