// The embedded GatewayStore: tables in the same SQLite file as the registry (its own connection; WAL lets the
// two write in turn). Thread-safety: one connection guarded by a mutex.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "store/gateway_store.h"
#include "store/sqlite/database.h"

namespace maas::store::sqlite {

class SqliteGatewayStore final : public GatewayStore {
 public:
  // Opens the database file and migrates it to the newest schema.
  static Result<std::unique_ptr<SqliteGatewayStore>> open(const std::filesystem::path& path);

  Status create_key(const KeyRecord& key) override;
  Result<std::vector<KeyRecord>> list_keys() override;
  Result<KeyRecord> revoke_key(std::string_view id, int64_t at_ms) override;
  Status set_key_token_hash(std::string_view id, std::string_view token_hash, std::string_view hash_scheme) override;
  Status set_key_signing_secret(std::string_view id, std::string_view sealed_secret) override;
  Status set_key_cert_subject(std::string_view id, std::string_view subject) override;

  Status append_audit(const std::vector<AuditRecord>& records) override;
  Result<std::vector<AuditRecord>> list_audit(int64_t before_id, int limit) override;
  Result<int64_t> trim_audit(int64_t older_than_ms, int64_t keep_rows) override;

  Status create_service(const ServiceRecord& service) override;
  Result<ServiceRecord> get_service(std::string_view name) override;
  Result<std::vector<ServiceRecord>> list_services() override;
  Result<ServiceRecord> update_service(std::string_view name, const nlohmann::json& spec, const nlohmann::json& state,
                                       int64_t expected_revision) override;
  Status delete_service(std::string_view name) override;
  Status append_service_event(const ServiceEvent& event) override;
  Result<std::vector<ServiceEvent>> list_service_events(std::string_view service, int limit) override;

  Status add_usage(const std::vector<UsageDelta>& deltas) override;
  Result<std::pair<int64_t, int64_t>> usage(std::string_view key_id, std::string_view period) override;

 private:
  explicit SqliteGatewayStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  Result<ServiceRecord> get_service_locked(std::string_view name);
  Result<KeyRecord> get_key_locked(std::string_view id);

  std::mutex mu_;
  std::unique_ptr<Database> db_;
};

}  // namespace maas::store::sqlite
