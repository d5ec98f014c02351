#include "data/rules/rule_store.h"

#include "common/clock.h"
#include "store/sqlite/json_columns.h"
#include "store/sqlite/migrations.h"

namespace maas::data::rules {
namespace {

using store::sqlite::Statement;

constexpr const char* kSelect =
    "SELECT r.name, v.version, r.next_version - 1, v.spec, v.description, v.created_by, r.created_at_ms, "
    "r.updated_at_ms, v.created_at_ms FROM rules r JOIN rule_versions v ON v.name = r.name ";

RuleRecord read_record(const Statement& s) {
  RuleRecord r;
  r.name = s.column_text(0);
  r.version = s.column_int(1);
  r.latest_version = s.column_int(2);
  r.spec = store::sqlite::parse_json_column(s.column_text(3));
  r.description = s.column_text(4);
  r.created_by = s.column_text(5);
  r.created_at_ms = s.column_int(6);
  r.updated_at_ms = s.column_int(7);
  r.version_created_at_ms = s.column_int(8);
  return r;
}

Result<std::vector<RuleRecord>> read_all(Statement& s) {
  std::vector<RuleRecord> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out.push_back(read_record(s));
  }
  return out;
}

}  // namespace

nlohmann::json rule_record_json(const RuleRecord& r) {
  return {{"name", r.name},
          {"version", r.version},
          {"latest_version", r.latest_version},
          {"description", r.description},
          {"rule", r.spec},
          {"created_by", r.created_by},
          {"created_at", format_rfc3339_ms(r.created_at_ms)},
          {"updated_at", format_rfc3339_ms(r.updated_at_ms)},
          {"version_created_at", format_rfc3339_ms(r.version_created_at_ms)}};
}

Result<std::unique_ptr<RuleStore>> RuleStore::open(const std::filesystem::path& path) {
  MAAS_ASSIGN_OR_RETURN(auto db, store::sqlite::Database::open(path));
  MAAS_RETURN_IF_ERROR(store::sqlite::migrate(*db));
  return std::unique_ptr<RuleStore>(new RuleStore(std::move(db)));
}

Result<RuleRecord> RuleStore::create(const std::string& name, const nlohmann::json& spec,
                                     const std::string& description, const std::string& created_by) {
  std::lock_guard lock(mu_);
  store::sqlite::Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_ASSIGN_OR_RETURN(auto exists, db_->prepare("SELECT 1 FROM rules WHERE name = ?"));
  MAAS_ASSIGN_OR_RETURN(bool taken, exists.bind(1, name).step());
  if (taken) return already_exists("rule '" + name + "' already exists; PUT /api/v1/rules/" + name + " adds a version");
  const int64_t now = now_unix_ms();
  MAAS_ASSIGN_OR_RETURN(auto insert, db_->prepare("INSERT INTO rules(name, description, next_version, created_by, "
                                                  "created_at_ms, updated_at_ms) VALUES(?, ?, 2, ?, ?, ?)"));
  MAAS_RETURN_IF_ERROR(insert.bind(1, name).bind(2, description).bind(3, created_by).bind(4, now).bind(5, now).run());
  MAAS_ASSIGN_OR_RETURN(auto version, db_->prepare("INSERT INTO rule_versions(name, version, spec, description, "
                                                   "created_by, created_at_ms) VALUES(?, 1, ?, ?, ?, ?)"));
  MAAS_RETURN_IF_ERROR(
      version.bind(1, name).bind(2, spec.dump()).bind(3, description).bind(4, created_by).bind(5, now).run());
  MAAS_RETURN_IF_ERROR(tx.commit());
  return get_locked(name, 1);
}

Result<RuleRecord> RuleStore::add_version(const std::string& name, const nlohmann::json& spec,
                                          const std::string* description, const std::string& created_by) {
  std::lock_guard lock(mu_);
  store::sqlite::Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_ASSIGN_OR_RETURN(RuleRecord current, get_locked(name, 0));
  const int64_t version = current.latest_version + 1;
  const std::string text = description != nullptr ? *description : current.description;
  const int64_t now = now_unix_ms();
  MAAS_ASSIGN_OR_RETURN(auto update, db_->prepare("UPDATE rules SET next_version = ?, description = ?, "
                                                  "updated_at_ms = ? WHERE name = ?"));
  MAAS_RETURN_IF_ERROR(update.bind(1, version + 1).bind(2, text).bind(3, now).bind(4, name).run());
  MAAS_ASSIGN_OR_RETURN(auto insert, db_->prepare("INSERT INTO rule_versions(name, version, spec, description, "
                                                  "created_by, created_at_ms) VALUES(?, ?, ?, ?, ?, ?)"));
  MAAS_RETURN_IF_ERROR(
      insert.bind(1, name).bind(2, version).bind(3, spec.dump()).bind(4, text).bind(5, created_by).bind(6, now).run());
  MAAS_RETURN_IF_ERROR(tx.commit());
  return get_locked(name, version);
}

Result<RuleRecord> RuleStore::get(const std::string& name, int64_t version) {
  std::lock_guard lock(mu_);
  return get_locked(name, version);
}

Result<RuleRecord> RuleStore::get_locked(const std::string& name, int64_t version) {
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string(kSelect) + "WHERE r.name = ? AND v.version = " +
                                             (version > 0 ? "?" : "r.next_version - 1")));
  s.bind(1, name);
  if (version > 0) s.bind(2, version);
  MAAS_ASSIGN_OR_RETURN(bool row, s.step());
  if (row) return read_record(s);
  MAAS_ASSIGN_OR_RETURN(auto exists, db_->prepare("SELECT 1 FROM rules WHERE name = ?"));
  MAAS_ASSIGN_OR_RETURN(bool found, exists.bind(1, name).step());
  if (!found) return not_found("rule '" + name + "' does not exist");
  return not_found("rule '" + name + "' has no version " + std::to_string(version));
}

Result<std::vector<RuleRecord>> RuleStore::versions(const std::string& name) {
  std::lock_guard lock(mu_);
  MAAS_RETURN_IF_ERROR(get_locked(name, 0).status());
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string(kSelect) + "WHERE r.name = ? ORDER BY v.version"));
  s.bind(1, name);
  return read_all(s);
}

Result<std::vector<RuleRecord>> RuleStore::list(const std::string& after_name, int limit) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s,
                        db_->prepare(std::string(kSelect) + "WHERE r.name > ? AND v.version = r.next_version - 1 "
                                                            "ORDER BY r.name LIMIT ?"));
  s.bind(1, after_name).bind(2, int64_t{limit});
  return read_all(s);
}

Status RuleStore::remove(const std::string& name) {
  std::lock_guard lock(mu_);
  store::sqlite::Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_ASSIGN_OR_RETURN(auto versions, db_->prepare("DELETE FROM rule_versions WHERE name = ?"));
  MAAS_RETURN_IF_ERROR(versions.bind(1, name).run());
  MAAS_ASSIGN_OR_RETURN(auto rule, db_->prepare("DELETE FROM rules WHERE name = ?"));
  MAAS_RETURN_IF_ERROR(rule.bind(1, name).run());
  if (db_->changes() == 0) return not_found("rule '" + name + "' does not exist");
  return tx.commit();
}

}  // namespace maas::data::rules
