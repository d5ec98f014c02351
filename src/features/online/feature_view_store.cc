#include "features/online/feature_view_store.h"

#include "common/clock.h"
#include "store/sqlite/json_columns.h"
#include "store/sqlite/migrations.h"

namespace maas::features::online {
namespace {

constexpr const char* kSelect =
    "SELECT name, definition, description, created_by, created_at_ms, updated_at_ms FROM feature_views ";

FeatureViewRecord read_record(const store::sqlite::Statement& s) {
  FeatureViewRecord r;
  r.name = s.column_text(0);
  r.definition = store::sqlite::parse_json_column(s.column_text(1));
  r.description = s.column_text(2);
  r.created_by = s.column_text(3);
  r.created_at_ms = s.column_int(4);
  r.updated_at_ms = s.column_int(5);
  return r;
}

Status no_view(const std::string& name) { return not_found("feature view '" + name + "' does not exist"); }

}  // namespace

Result<std::unique_ptr<FeatureViewStore>> FeatureViewStore::open(const std::filesystem::path& path) {
  MAAS_ASSIGN_OR_RETURN(auto db, store::sqlite::Database::open(path));
  MAAS_RETURN_IF_ERROR(store::sqlite::migrate(*db));
  return std::unique_ptr<FeatureViewStore>(new FeatureViewStore(std::move(db)));
}

Result<FeatureViewRecord> FeatureViewStore::create(const std::string& name, const nlohmann::json& definition,
                                                   const std::string& description, const std::string& created_by) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto exists, db_->prepare("SELECT 1 FROM feature_views WHERE name = ?"));
  MAAS_ASSIGN_OR_RETURN(bool taken, exists.bind(1, name).step());
  if (taken) return already_exists("feature view '" + name + "' already exists");
  const int64_t now = now_unix_ms();
  MAAS_ASSIGN_OR_RETURN(auto insert,
                        db_->prepare("INSERT INTO feature_views(name, definition, description, "
                                     "created_by, created_at_ms, updated_at_ms) VALUES(?, ?, ?, ?, ?, ?)"));
  MAAS_RETURN_IF_ERROR(insert.bind(1, name)
                           .bind(2, definition.dump())
                           .bind(3, description)
                           .bind(4, created_by)
                           .bind(5, now)
                           .bind(6, now)
                           .run());
  return get_locked(name);
}

Result<FeatureViewRecord> FeatureViewStore::replace(const std::string& name, const nlohmann::json& definition,
                                                    const std::string& description) {
  std::lock_guard lock(mu_);
  MAAS_RETURN_IF_ERROR(get_locked(name).status());
  MAAS_ASSIGN_OR_RETURN(
      auto update,
      db_->prepare("UPDATE feature_views SET definition = ?, description = ?, updated_at_ms = ? WHERE name = ?"));
  MAAS_RETURN_IF_ERROR(
      update.bind(1, definition.dump()).bind(2, description).bind(3, now_unix_ms()).bind(4, name).run());
  return get_locked(name);
}

Result<FeatureViewRecord> FeatureViewStore::get(const std::string& name) {
  std::lock_guard lock(mu_);
  return get_locked(name);
}

Result<FeatureViewRecord> FeatureViewStore::get_locked(const std::string& name) {
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string(kSelect) + "WHERE name = ?"));
  MAAS_ASSIGN_OR_RETURN(bool row, s.bind(1, name).step());
  if (!row) return no_view(name);
  return read_record(s);
}

Result<std::vector<FeatureViewRecord>> FeatureViewStore::list() {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string(kSelect) + "ORDER BY name"));
  std::vector<FeatureViewRecord> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out.push_back(read_record(s));
  }
  return out;
}

Status FeatureViewStore::remove(const std::string& name) {
  std::lock_guard lock(mu_);
  MAAS_RETURN_IF_ERROR(get_locked(name).status());
  MAAS_ASSIGN_OR_RETURN(auto used,
                        db_->prepare("SELECT model, version FROM model_version_feature_views WHERE view = ?"));
  MAAS_ASSIGN_OR_RETURN(bool attached, used.bind(1, name).step());
  if (attached) {
    return failed_precondition("feature view '" + name + "' is attached to model '" + used.column_text(0) +
                               "' version " + std::to_string(used.column_int(1)) + "; detach it first");
  }
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("DELETE FROM feature_views WHERE name = ?"));
  return s.bind(1, name).run();
}

Status FeatureViewStore::attach(const std::string& model, int64_t version, const std::string& view) {
  std::lock_guard lock(mu_);
  MAAS_RETURN_IF_ERROR(get_locked(view).status());
  MAAS_ASSIGN_OR_RETURN(auto s,
                        db_->prepare("INSERT INTO model_version_feature_views(model, version, view, "
                                     "updated_at_ms) VALUES(?, ?, ?, ?) ON CONFLICT(model, version) DO "
                                     "UPDATE SET view = excluded.view, updated_at_ms = excluded.updated_at_ms"));
  return s.bind(1, model).bind(2, version).bind(3, view).bind(4, now_unix_ms()).run();
}

Status FeatureViewStore::detach(const std::string& model, int64_t version) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s,
                        db_->prepare("DELETE FROM model_version_feature_views WHERE model = ? AND version = ?"));
  return s.bind(1, model).bind(2, version).run();
}

Result<std::vector<std::pair<std::pair<std::string, int64_t>, std::string>>> FeatureViewStore::attachments() {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("SELECT model, version, view FROM model_version_feature_views"));
  std::vector<std::pair<std::pair<std::string, int64_t>, std::string>> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out.push_back({{s.column_text(0), s.column_int(1)}, s.column_text(2)});
  }
  return out;
}

}  // namespace maas::features::online
