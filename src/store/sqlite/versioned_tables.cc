#include "store/sqlite/versioned_tables.h"

namespace maas::store::sqlite {

Status VersionedTables::not_found_error(std::string_view name) const {
  return not_found(std::string(kind) + " '" + std::string(name) + "' does not exist");
}

Status VersionedTables::version_not_found_error(std::string_view name, int64_t version) const {
  return not_found(std::string(kind) + " '" + std::string(name) + "' has no version " + std::to_string(version));
}

Status VersionedTables::alias_not_found_error(std::string_view name, std::string_view alias) const {
  return not_found(std::string(kind) + " '" + std::string(name) + "' has no alias '" + std::string(alias) + "'");
}

Result<int64_t> object_id(Database& db, const VersionedTables& t, std::string_view name) {
  MAAS_ASSIGN_OR_RETURN(auto s, db.prepare(std::string("SELECT id FROM ") + t.objects + " WHERE name = ?"));
  s.bind(1, name);
  MAAS_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) return t.not_found_error(name);
  return s.column_int(0);
}

Result<std::pair<int64_t, int64_t>> claim_version_number(Database& db, const VersionedTables& t, std::string_view name,
                                                         int64_t now_ms) {
  MAAS_ASSIGN_OR_RETURN(auto next, db.prepare(std::string("SELECT id, next_version FROM ") + t.objects +
                                              " WHERE name = ?"));
  next.bind(1, name);
  MAAS_ASSIGN_OR_RETURN(bool row, next.step());
  if (!row) return t.not_found_error(name);
  int64_t id = next.column_int(0);
  int64_t number = next.column_int(1);
  MAAS_ASSIGN_OR_RETURN(auto bump, db.prepare(std::string("UPDATE ") + t.objects +
                                              " SET next_version = ?, updated_at_ms = ? WHERE id = ?"));
  MAAS_RETURN_IF_ERROR(bump.bind(1, number + 1).bind(2, now_ms).bind(3, id).run());
  return std::make_pair(id, number);
}

Result<int64_t> latest_unretired_version(Database& db, const VersionedTables& t, std::string_view name,
                               std::string_view retired) {
  MAAS_ASSIGN_OR_RETURN(int64_t id, object_id(db, t, name));
  MAAS_ASSIGN_OR_RETURN(auto s, db.prepare(std::string("SELECT MAX(version) FROM ") + t.versions + " WHERE " + t.owner +
                                           " = ? AND state != ?"));
  s.bind(1, id).bind(2, retired);
  MAAS_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row || s.column_is_null(0)) {
    return not_found(std::string(t.kind) + " '" + std::string(name) + "' has no version that is not retired");
  }
  return s.column_int(0);
}

Status check_no_alias(Database& db, const VersionedTables& t, std::string_view name, int64_t id, int64_t version) {
  MAAS_ASSIGN_OR_RETURN(auto aliases, db.prepare(std::string("SELECT alias FROM ") + t.aliases + " WHERE " + t.owner +
                                                 " = ? AND version = ? ORDER BY alias"));
  aliases.bind(1, id).bind(2, version);
  std::string names;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, aliases.step());
    if (!row) break;
    names += (names.empty() ? "'" : ", '") + aliases.column_text(0) + "'";
  }
  if (names.empty()) return {};
  return failed_precondition("version " + std::to_string(version) + " of " + t.kind + " '" + std::string(name) +
                             "' is used by alias " + names + "; move or delete the alias first");
}

Status put_alias(Database& db, const VersionedTables& t, int64_t id, std::string_view alias, int64_t version,
                 int64_t now_ms) {
  MAAS_ASSIGN_OR_RETURN(auto s, db.prepare(std::string("INSERT INTO ") + t.aliases + "(" + t.owner +
                                           ", alias, version, updated_at_ms) VALUES(?,?,?,?) ON CONFLICT(" + t.owner +
                                           ", alias) DO UPDATE SET version = excluded.version, "
                                           "updated_at_ms = excluded.updated_at_ms"));
  return s.bind(1, id).bind(2, alias).bind(3, version).bind(4, now_ms).run();
}

Result<int64_t> read_alias(Database& db, const VersionedTables& t, std::string_view name, std::string_view alias) {
  MAAS_ASSIGN_OR_RETURN(int64_t id, object_id(db, t, name));
  MAAS_ASSIGN_OR_RETURN(auto s, db.prepare(std::string("SELECT version FROM ") + t.aliases + " WHERE " + t.owner +
                                           " = ? AND alias = ?"));
  s.bind(1, id).bind(2, alias);
  MAAS_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) return t.alias_not_found_error(name, alias);
  return s.column_int(0);
}

Status remove_alias(Database& db, const VersionedTables& t, std::string_view name, std::string_view alias) {
  MAAS_ASSIGN_OR_RETURN(int64_t id, object_id(db, t, name));
  MAAS_ASSIGN_OR_RETURN(auto s, db.prepare(std::string("DELETE FROM ") + t.aliases + " WHERE " + t.owner +
                                           " = ? AND alias = ?"));
  MAAS_RETURN_IF_ERROR(s.bind(1, id).bind(2, alias).run());
  if (db.changes() == 0) return t.alias_not_found_error(name, alias);
  return {};
}

Status remove_all_aliases(Database& db, const VersionedTables& t, int64_t id) {
  MAAS_ASSIGN_OR_RETURN(auto s, db.prepare(std::string("DELETE FROM ") + t.aliases + " WHERE " + t.owner + " = ?"));
  return s.bind(1, id).run();
}

Result<std::map<std::string, int64_t>> read_aliases(Database& db, const VersionedTables& t, std::string_view name) {
  MAAS_ASSIGN_OR_RETURN(int64_t id, object_id(db, t, name));
  MAAS_ASSIGN_OR_RETURN(auto s, db.prepare(std::string("SELECT alias, version FROM ") + t.aliases + " WHERE " +
                                           t.owner + " = ?"));
  s.bind(1, id);
  std::map<std::string, int64_t> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out[s.column_text(0)] = s.column_int(1);
  }
  return out;
}

}  // namespace maas::store::sqlite
