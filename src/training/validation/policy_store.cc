#include "training/validation/policy_store.h"

#include "common/clock.h"
#include "store/sqlite/json_columns.h"
#include "store/sqlite/migrations.h"

namespace maas::training::validation {

Result<std::unique_ptr<PolicyStore>> PolicyStore::open(const std::filesystem::path& path) {
  MAAS_ASSIGN_OR_RETURN(auto db, store::sqlite::Database::open(path));
  MAAS_RETURN_IF_ERROR(store::sqlite::migrate(*db));
  return std::unique_ptr<PolicyStore>(new PolicyStore(std::move(db)));
}

Result<PolicyRecord> PolicyStore::put(const std::string& model, const nlohmann::json& policy, const std::string& by) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto upsert, db_->prepare("INSERT INTO validation_policies(model, policy, updated_by, "
                                                  "updated_at_ms) VALUES(?, ?, ?, ?) ON CONFLICT(model) DO UPDATE "
                                                  "SET policy = excluded.policy, updated_by = excluded.updated_by, "
                                                  "updated_at_ms = excluded.updated_at_ms"));
  MAAS_RETURN_IF_ERROR(upsert.bind(1, model).bind(2, policy.dump()).bind(3, by).bind(4, now_unix_ms()).run());
  MAAS_ASSIGN_OR_RETURN(auto record, find_locked(model));
  if (!record) return internal_error("the validation policy of '" + model + "' vanished as it was written");
  return *record;
}

Result<std::optional<PolicyRecord>> PolicyStore::find(const std::string& model) {
  std::lock_guard lock(mu_);
  return find_locked(model);
}

Result<std::optional<PolicyRecord>> PolicyStore::find_locked(const std::string& model) {
  MAAS_ASSIGN_OR_RETURN(
      auto s, db_->prepare("SELECT model, policy, updated_by, updated_at_ms FROM validation_policies WHERE model = ?"));
  MAAS_ASSIGN_OR_RETURN(bool row, s.bind(1, model).step());
  if (!row) return std::optional<PolicyRecord>();
  PolicyRecord r;
  r.model = s.column_text(0);
  r.policy = store::sqlite::parse_json_column(s.column_text(1));
  r.updated_by = s.column_text(2);
  r.updated_at_ms = s.column_int(3);
  return std::optional<PolicyRecord>(std::move(r));
}

Status PolicyStore::remove(const std::string& model) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("DELETE FROM validation_policies WHERE model = ?"));
  MAAS_RETURN_IF_ERROR(s.bind(1, model).run());
  if (db_->changes() == 0) return not_found("model '" + model + "' has no validation policy");
  return {};
}

}  // namespace maas::training::validation
