// The gateway's durable state: API keys (hashes only), the audit log, services with their rollout state and
// event timeline, and per-key usage for quotas. An interface, like MetadataStore, so an engine other than the
// embedded SQLite one implements the same calls without touching callers.
//
// Thread-safety: every method may be called from any thread; each applies whole or not at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace maas::store {

// How a key's token_hash was made: HMAC-SHA256 under the installation's secret (auth/key_secret.h), or, for keys
// stored before schema version 3, a plain SHA-256, rehashed to HMAC the next time the key is used.
inline constexpr const char* kHashHmacSha256 = "hmac-sha256";
inline constexpr const char* kHashSha256 = "sha256";

struct KeyRecord {
  std::string id;          // public, shown in lists and logs
  std::string name;
  std::string role;        // admin | deployer | invoker | viewer
  std::string token_hash;  // hex digest of the whole secret token (see hash_scheme); the token is never stored
  nlohmann::json policy = nlohmann::json::object();  // services, rate_limit, quota, priority
  std::string created_by;
  int64_t created_at_ms = 0;
  std::optional<int64_t> expires_at_ms;
  std::optional<int64_t> revoked_at_ms;
  std::string hash_scheme = kHashHmacSha256;
  std::string signing_secret = {};  // the request-signing secret, sealed (auth/secret_box.h); empty: none
  std::string cert_subject = {};    // the client certificate subject (RFC 2253 DN) bound to the key; empty: none
};

struct AuditRecord {
  int64_t id = 0;  // assigned by the store
  int64_t at_ms = 0;
  std::string key_id;
  std::string actor;
  std::string method;
  std::string path;
  int status = 0;
  std::string request_id;
};

struct ServiceRecord {
  std::string name;
  nlohmann::json spec = nlohmann::json::object();   // what the user asked for
  nlohmann::json state = nlohmann::json::object();  // what the gateway decided (canary stage, weights in force)
  int64_t revision = 0;                             // +1 on every write; writes name the revision they read
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

struct ServiceEvent {
  int64_t id = 0;
  std::string service;
  int64_t at_ms = 0;
  std::string kind;     // created, updated, canary_advanced, canary_promoted, canary_rolled_back, ...
  std::string message;  // why, for a person
  nlohmann::json detail = nlohmann::json::object();
};

struct UsageDelta {
  std::string key_id;
  std::string period;  // "day:2026-11-26" or "month:2026-11"
  int64_t requests = 0;
  int64_t tokens = 0;
};

class GatewayStore {
 public:
  virtual ~GatewayStore() = default;

  // ALREADY_EXISTS when the id or the token hash is taken.
  virtual Status create_key(const KeyRecord& key) = 0;
  virtual Result<std::vector<KeyRecord>> list_keys() = 0;
  // NOT_FOUND for an unknown id; revoking twice keeps the first time.
  virtual Result<KeyRecord> revoke_key(std::string_view id, int64_t at_ms) = 0;
  // Replaces a key's token hash (the bootstrap admin key follows MAAS_ADMIN_KEY; a legacy hash is upgraded).
  virtual Status set_key_token_hash(std::string_view id, std::string_view token_hash, std::string_view hash_scheme) = 0;
  // Replaces a key's sealed request-signing secret ("": none). NOT_FOUND for an unknown id.
  virtual Status set_key_signing_secret(std::string_view id, std::string_view sealed_secret) = 0;
  // Binds a client certificate subject to a key ("": none). NOT_FOUND for an unknown id; another key's subject
  // is refused by the store's unique index.
  virtual Status set_key_cert_subject(std::string_view id, std::string_view subject) = 0;

  virtual Status append_audit(const std::vector<AuditRecord>& records) = 0;
  // Newest first; records with id < before_id when before_id > 0.
  virtual Result<std::vector<AuditRecord>> list_audit(int64_t before_id, int limit) = 0;
  // Deletes the records older than `older_than_ms` (0: none by age) and all but the newest `keep_rows` (0: no row
  // limit), oldest first, in short transactions; returns how many.
  virtual Result<int64_t> trim_audit(int64_t older_than_ms, int64_t keep_rows) = 0;

  virtual Status create_service(const ServiceRecord& service) = 0;  // ALREADY_EXISTS
  virtual Result<ServiceRecord> get_service(std::string_view name) = 0;
  virtual Result<std::vector<ServiceRecord>> list_services() = 0;
  // FAILED_PRECONDITION when the stored revision is not `expected_revision` (someone else wrote first); the
  // stored revision becomes expected_revision + 1.
  virtual Result<ServiceRecord> update_service(std::string_view name, const nlohmann::json& spec,
                                               const nlohmann::json& state, int64_t expected_revision) = 0;
  virtual Status delete_service(std::string_view name) = 0;  // with its events
  virtual Status append_service_event(const ServiceEvent& event) = 0;
  // Oldest first, the last `limit`.
  virtual Result<std::vector<ServiceEvent>> list_service_events(std::string_view service, int limit) = 0;

  virtual Status add_usage(const std::vector<UsageDelta>& deltas) = 0;
  // (requests, tokens) recorded for a key in a period; zeros when none.
  virtual Result<std::pair<int64_t, int64_t>> usage(std::string_view key_id, std::string_view period) = 0;
};

}  // namespace maas::store
