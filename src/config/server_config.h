// The typed configuration of maasd, loaded in one place from defaults, a YAML file, MAAS_* environment
// variables and command-line flags (later sources win), and validated before anything starts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/outbound_policy.h"
#include "common/element_count.h"
#include "common/status.h"

namespace maas::config {

struct ServerConfig {
  // server.*
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 8080;
  int threads = 0;  // 0: half the cores, at least 1
  int64_t request_timeout_ms = 30'000;
  int64_t upload_timeout_ms = 3'600'000;
  int64_t idle_timeout_ms = 60'000;
  int64_t header_timeout_ms = 10'000;
  int64_t drain_timeout_ms = 30'000;
  std::string port_file;  // when set, "host:port" ("https://host:port" with TLS) is written there once listening
  std::string tls_cert_file;  // PEM certificate chain; with tls_key_file, the listener speaks HTTPS only
  std::string tls_key_file;   // PEM private key of tls_cert_file
  std::string tls_client_ca_file;  // PEM CAs whose client certificates are verified (mutual TLS); empty: none
  // console.* (the web console at /ui/, src/console/)
  bool console_enabled = true;
  std::string console_dir;  // empty: <maasd's dir>/../share/maas/console
  // auth.* (JWTs accepted beside API keys when jwt_public_keys is set; see src/auth/jwt.h)
  std::vector<std::filesystem::path> jwt_public_keys;
  std::string jwt_issuer;
  std::string jwt_audience;
  std::string jwt_role_claim = "maas_role";
  std::string jwt_services_claim = "maas_services";
  // MAAS-HMAC-SHA256 signed requests (src/auth/request_signing.h)
  int64_t signature_window_s = 300;              // |server clock - x-maas-date| allowed; nonces are kept this long
  int64_t signature_nonce_cache_size = 100'000;  // nonces remembered at most (per node)
  // audit.* (the audit log in metadata.db)
  int64_t audit_retention_ms = 90LL * 24 * 3'600'000;  // records older than this are deleted; 0: no age limit
  int64_t audit_max_rows = 1'000'000;                   // the newest this many are kept; 0: no row limit
  int64_t audit_retention_interval_ms = 60'000;
  int64_t audit_anonymous_records_per_second = 1;  // refused anonymous requests recorded at most; the rest counted
  int64_t audit_max_field_bytes = 512;              // a longer path, actor or request id is cut, with a marker
  // outbound.* (where webhooks, Alertmanager and e-mail relays may be; common/outbound_policy.h)
  std::vector<std::string> outbound_deny = OutboundPolicy::default_deny();
  std::vector<std::string> outbound_allow;
  // storage.*
  std::filesystem::path data_dir = "./maas-data";
  int64_t gc_interval_ms = 600'000;
  int64_t metrics_sample_interval_ms = 15'000;  // how often store sizes are sampled for /metrics
  // datasets.* (the data center's datasets: docs/DATA.md)
  int64_t datasets_max_concurrent_imports = 2;       // uploads being received or imported; more get 429
  int64_t datasets_max_concurrent_downloads = 8;     // CSV/JSONL downloads being streamed; more get 429
  uint64_t datasets_memory_limit_bytes = 1ull << 30;  // each DuckDB database (an import, a preview, a download)
  int64_t datasets_threads = 2;                      // each DuckDB database's threads; 0: one per core
  int64_t datasets_max_preview_rows = 10'000;        // the largest preview page
  // sources.* (the data center's sources: docs/DATA.md)
  std::vector<std::filesystem::path>
      sources_file_roots;  // where file, sqlite and tail sources may point; none: no such sources
  uint64_t sources_push_max_body_bytes = 16ull << 20;  // the largest POST /api/v1/sources/{name}/rows body
  // shared_memory.* (Triton's system shared memory extension: docs/SHARED_MEMORY.md)
  int64_t shared_memory_max_regions = 16;                // regions registered at once; 0: the extension is off
  uint64_t shared_memory_max_region_bytes = 1ull << 30;  // bytes one region may span
  // graph.* (inference graphs: docs/GRAPHS.md)
  int64_t graph_max_steps = 32;                  // model steps in one graph
  int64_t graph_max_depth = 4;                   // nodes nested in nodes, the root counting 1
  int64_t graph_max_fan_out = 8;                 // steps of one node
  int64_t graph_step_load_timeout_ms = 120'000;  // loading a graph's step versions when the graph loads
  // rules.* (extraction rules; rule discovery)
  uint64_t rules_discover_max_body_bytes = 64ull << 20;
  int64_t rules_discover_max_concurrent = 2;
  uint64_t rules_max_pattern_bytes = 64ull << 10;   // a rule's pattern or SQL, and a grok pattern once expanded
  uint64_t rules_regex_max_mem_bytes = 8ull << 20;  // RE2's memory for one compiled pattern
  uint64_t rules_test_max_body_bytes = 4ull << 20;  // the largest POST /api/v1/rules/test body
  // features.* (docs/FEATURES.md)
  int64_t features_timeseries_max_features = 1000;  // features in one features.timeseries spec
  int64_t features_max_fit_rows = 10'000'000;       // the most rows a features.fit job reads into memory
  int64_t features_online_max_entities = 100'000;   // per feature view in the online store (LRU past it)
  int64_t features_online_ttl_ms = 86'400'000;      // an idle online entity is dropped (0: never)
  int64_t features_online_max_window = 10'000;      // rows one online window keeps per entity
  // studies.* (docs/HPO.md)
  int64_t studies_max_studies = 1000;
  int64_t studies_max_trials_per_study = 10'000;
  int64_t studies_max_intermediate_values = 10'000;  // per trial
  int64_t studies_max_running_trials = 1000;         // per study
  // grpc.* (the gRPC Open Inference Protocol, docs/GRPC.md; on server.listen's host)
  int grpc_port = 0;  // 0: no gRPC listener
  uint64_t grpc_max_message_bytes = 64ull << 20;
  // limits.*
  uint64_t max_json_body_bytes = 1ull << 20;
  uint64_t max_infer_body_bytes = 64ull << 20;
  uint64_t max_artifact_bytes = 8ull << 30;
  uint64_t max_header_bytes = 16ull << 10;
  uint64_t max_buffered_body_bytes = 1ull << 30;  // all buffered request bodies together; 0: no budget
  int max_connections = 4096;
  int max_connections_per_address = 256;  // 0: no per-address limit
  // Elements one tensor may claim: a request's input, a worker's output, one row of a model's declared input.
  uint64_t max_tensor_elements = kDefaultMaxTensorElements;
  // logs.* (the log center)
  bool logs_requests = true;                  // one record per request in the log center
  std::string logs_store = "embedded";        // or "loki": records go to a remote Loki, queries are forwarded to it
  std::string logs_loki_url;                  // its base URL, without a trailing '/'
  std::string logs_loki_tenant;               // X-Scope-OrgID, when set
  std::string logs_loki_bearer_token;         // Authorization: Bearer, when set
  int64_t logs_loki_buffer_entries = 100'000;
  std::string logs_archive_dir;               // empty: <data_dir>/logs/archive
  uint64_t logs_segment_bytes = 64ull << 20;
  int64_t logs_segment_max_age_ms = 3'600'000;
  int64_t logs_retention_ms = 7LL * 24 * 3'600'000;  // 0: no age limit
  uint64_t logs_retention_bytes = 10ull << 30;       // 0: no size limit
  bool logs_archive = true;
  int64_t logs_archive_retention_ms = 0;             // 0: archives are kept
  bool logs_fsync = true;
  int64_t logs_queue_records = 65'536;
  int64_t logs_max_streams = 100'000;
  std::vector<std::filesystem::path> logs_tail_files;  // followed like tail -F into {job="file", filename=...}
  int64_t logs_tail_interval_ms = 250;
  int64_t logs_flush_interval_ms = 200;
  int64_t logs_retention_interval_ms = 60'000;
  int64_t logs_creation_grace_period_ms = 600'000;  // pushed entries further ahead of the clock are refused
  bool logs_accept_maasd_pushes = false;            // accept pushed job="maasd" streams (this maasd is another's Loki)
  // runtime.*
  bool load_on_demand = false;      // a request to a registered version that is not loaded loads it
  uint64_t memory_budget_bytes = 0;  // workers' resident memory above which on-demand versions are evicted (0: none)
  // Each model worker's memory limit unless its deployment config sets one; nullopt ("auto"): half of the memory
  // maasd may use (runtime::default_worker_memory_limit); 0: none.
  std::optional<uint64_t> worker_memory_limit_bytes;
  // supervisor.* (src/supervisor/): how supervised processes are limited: auto, cgroup, rlimit or none
  std::string process_limits = "auto";
  // jobs.* (src/jobs/, docs/JOBS.md)
  int jobs_slots = 0;                    // CPU slots shared by serving and jobs (0: the machine's cores, at least 2)
  int jobs_serving_reserved_slots = 1;   // never given to jobs
  int jobs_guaranteed_slots = 1;         // kept by jobs however many threads loaded workers use
  int jobs_max_running_per_key = 0;      // 0: no limit (the slots still bound it)
  int jobs_max_queued_per_key = 100;
  int jobs_nice = 10;  // job processes' nice value above maasd's (0: the same as serving)
  int64_t jobs_cancel_grace_ms = 10'000;
  int64_t jobs_progress_interval_ms = 1'000;
  uint64_t jobs_max_checkpoint_bytes = 256ull << 20;
  int64_t jobs_retention_ms = 30LL * 24 * 3'600'000;  // 0: finished jobs are kept
  std::vector<std::filesystem::path> jobs_plugins;  // shared libraries whose job kinds maasd loads (code run in maasd)
  // retraining.* (src/training/retrain/, docs/TRAINING.md#retraining)
  int retraining_max_policies = 1000;
  int retraining_runs_kept = 100;                     // finished runs kept per model
  int64_t retraining_min_interval_floor_ms = 60'000;  // no policy's min_interval_seconds may be below this
  // log.*
  std::string log_level = "info";   // trace, debug, info, warn, error
  std::string log_format = "json";  // json or text
  bool access_log = true;
};

// One setting: its YAML key, environment variable, flag and help text. The table drives every source, so a
// setting is named the same way everywhere.
struct SettingInfo {
  std::string key;   // "limits.max_artifact_bytes"
  std::string env;   // "MAAS_MAX_ARTIFACT_BYTES"
  std::string flag;  // "--max-artifact-bytes"
  std::string help;
};
const std::vector<SettingInfo>& settings();

// Raw values by key, as collected from one source.
using RawSettings = std::map<std::string, std::string>;

// Reads a YAML file into raw values; unknown keys are an error (they are usually typos).
Result<RawSettings> read_yaml_settings(const std::filesystem::path& path);
// Picks the MAAS_* variables of known settings out of `environ`.
RawSettings read_env_settings(char** environ_vars);
// Applies raw values, in order, onto the defaults, and validates the result.
Result<ServerConfig> build_config(const std::vector<RawSettings>& layers);

// Parses "8GiB", "512MiB", "1MB", "1024" into bytes.
Result<uint64_t> parse_size(const std::string& text);

}  // namespace maas::config
