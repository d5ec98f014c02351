#include "store/sqlite/sqlite_dataset_store.h"

#include "common/clock.h"
#include "store/sqlite/json_columns.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/versioned_tables.h"

namespace maas::store::sqlite {
namespace {

using nlohmann::json;

constexpr const char* kDatasetColumns =
    "d.name, d.description, d.tags, d.created_at_ms, d.updated_at_ms, d.next_version - 1, "
    "(SELECT COUNT(*) FROM dataset_versions v WHERE v.dataset_id = d.id)";

DatasetRecord read_dataset(const Statement& s) {
  DatasetRecord r;
  r.name = s.column_text(0);
  r.description = s.column_text(1);
  r.tags = parse_string_map(s.column_text(2));
  r.created_at_ms = s.column_int(3);
  r.updated_at_ms = s.column_int(4);
  r.latest_version = s.column_int(5);
  r.version_count = s.column_int(6);
  return r;
}

constexpr const char* kVersionColumns =
    "d.name, v.version, v.digest, v.size_bytes, v.row_count, v.schema, v.profile, v.rejects_digest, "
    "v.rejects_size_bytes, v.rejected_rows, v.lineage, v.description, v.tags, v.state, v.created_by, "
    "v.created_at_ms, v.updated_at_ms";

DatasetVersionRecord read_version(const Statement& s) {
  DatasetVersionRecord r;
  r.dataset = s.column_text(0);
  r.version = s.column_int(1);
  r.digest = s.column_text(2);
  r.size_bytes = static_cast<uint64_t>(s.column_int(3));
  r.row_count = s.column_int(4);
  r.schema = parse_json_column(s.column_text(5), json::array());
  r.profile = parse_json_column(s.column_text(6));
  r.rejects_digest = s.column_text(7);
  r.rejects_size_bytes = static_cast<uint64_t>(s.column_int(8));
  r.rejected_rows = s.column_int(9);
  r.lineage = lineage_from_json(parse_json_column(s.column_text(10)));
  r.description = s.column_text(11);
  r.tags = parse_string_map(s.column_text(12));
  r.state = s.column_text(13);
  r.created_by = s.column_text(14);
  r.created_at_ms = s.column_int(15);
  r.updated_at_ms = s.column_int(16);
  return r;
}

const VersionedTables kDatasetTables{"dataset", "datasets", "dataset_versions", "dataset_aliases", "dataset_id"};

// Steps a statement to its end, reading each row with `read`.
template <typename T, typename Read>
Result<std::vector<T>> read_all(Statement& s, Read read) {
  std::vector<T> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out.push_back(read(s));
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<SqliteDatasetStore>> SqliteDatasetStore::open(const std::filesystem::path& path) {
  MAAS_ASSIGN_OR_RETURN(auto db, Database::open(path));
  MAAS_RETURN_IF_ERROR(migrate(*db));
  return std::unique_ptr<SqliteDatasetStore>(new SqliteDatasetStore(std::move(db)));
}

Result<int64_t> SqliteDatasetStore::dataset_id(std::string_view name) {
  return object_id(*db_, kDatasetTables, name);
}

Result<DatasetRecord> SqliteDatasetStore::create_dataset(const NewDataset& dataset) {
  std::lock_guard lock(mu_);
  int64_t now = now_unix_ms();
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(
      "INSERT INTO datasets(name, description, tags, created_at_ms, updated_at_ms) VALUES(?,?,?,?,?)"));
  s.bind(1, dataset.name).bind(2, dataset.description).bind(3, to_json_text(dataset.tags)).bind(4, now).bind(5, now);
  Status st = s.run();
  if (st.code() == StatusCode::kAlreadyExists) return already_exists("dataset '" + dataset.name + "' already exists");
  MAAS_RETURN_IF_ERROR(st);
  return get_dataset_locked(dataset.name);
}

Result<DatasetRecord> SqliteDatasetStore::get_dataset_locked(std::string_view name) {
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string("SELECT ") + kDatasetColumns + " FROM datasets d WHERE d.name = ?"));
  s.bind(1, name);
  MAAS_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) return kDatasetTables.not_found_error(name);
  return read_dataset(s);
}

Result<DatasetRecord> SqliteDatasetStore::get_dataset(std::string_view name) {
  std::lock_guard lock(mu_);
  return get_dataset_locked(name);
}

Result<std::vector<DatasetRecord>> SqliteDatasetStore::list_datasets(const DatasetQuery& query) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string("SELECT ") + kDatasetColumns +
                                             " FROM datasets d WHERE d.name > ? AND substr(d.name, 1, length(?)) = ? "
                                             "ORDER BY d.name LIMIT ?"));
  s.bind(1, query.after_name).bind(2, query.prefix).bind(3, query.prefix).bind(4, int64_t{query.limit});
  return read_all<DatasetRecord>(s, read_dataset);
}

Result<DatasetRecord> SqliteDatasetStore::update_dataset(std::string_view name, const DatasetPatch& patch) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("UPDATE datasets SET description = COALESCE(?, description), "
                                             "tags = COALESCE(?, tags), updated_at_ms = ? WHERE name = ?"));
  s.bind_optional(1, patch.description);
  s.bind_optional(2, patch.tags ? std::optional<std::string>(to_json_text(*patch.tags)) : std::nullopt);
  s.bind(3, now_unix_ms()).bind(4, name);
  MAAS_RETURN_IF_ERROR(s.run());
  if (db_->changes() == 0) return kDatasetTables.not_found_error(name);
  return get_dataset_locked(name);
}

Status SqliteDatasetStore::delete_dataset(std::string_view name) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_ASSIGN_OR_RETURN(int64_t id, dataset_id(name));
  // Aliases reference versions, so they go first; versions cascade from the dataset.
  MAAS_RETURN_IF_ERROR(remove_all_aliases(*db_, kDatasetTables, id));
  MAAS_ASSIGN_OR_RETURN(auto del, db_->prepare("DELETE FROM datasets WHERE id = ?"));
  MAAS_RETURN_IF_ERROR(del.bind(1, id).run());
  return tx.commit();
}

Result<DatasetVersionRecord> SqliteDatasetStore::create_dataset_version(std::string_view dataset,
                                                                        const NewDatasetVersion& v) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  int64_t now = now_unix_ms();
  MAAS_ASSIGN_OR_RETURN(auto claimed, claim_version_number(*db_, kDatasetTables, dataset, now));
  auto [id, number] = claimed;
  MAAS_ASSIGN_OR_RETURN(auto insert, db_->prepare(
      "INSERT INTO dataset_versions(dataset_id, version, digest, size_bytes, row_count, schema, profile, rejects_digest, "
      "rejects_size_bytes, rejected_rows, lineage, description, tags, state, created_by, created_at_ms, updated_at_ms) "
      "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  insert.bind(1, id).bind(2, number).bind(3, v.digest).bind(4, static_cast<int64_t>(v.size_bytes)).bind(5, v.row_count);
  insert.bind(6, v.schema.dump()).bind(7, v.profile.dump()).bind(8, v.rejects_digest);
  insert.bind(9, static_cast<int64_t>(v.rejects_size_bytes)).bind(10, v.rejected_rows);
  insert.bind(11, lineage_to_json(v.lineage).dump()).bind(12, v.description).bind(13, to_json_text(v.tags));
  insert.bind(14, kDatasetReady).bind(15, v.created_by).bind(16, now).bind(17, now);
  MAAS_RETURN_IF_ERROR(insert.run());
  MAAS_RETURN_IF_ERROR(tx.commit());
  return get_version_locked(dataset, number);
}

Result<DatasetVersionRecord> SqliteDatasetStore::get_version_locked(std::string_view dataset, int64_t version) {
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string("SELECT ") + kVersionColumns +
                                             " FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id "
                                             "WHERE d.name = ? AND v.version = ?"));
  s.bind(1, dataset).bind(2, version);
  MAAS_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) {
    MAAS_RETURN_IF_ERROR(dataset_id(dataset).status());
    return kDatasetTables.version_not_found_error(dataset, version);
  }
  return read_version(s);
}

Result<DatasetVersionRecord> SqliteDatasetStore::get_dataset_version(std::string_view dataset, int64_t version) {
  std::lock_guard lock(mu_);
  return get_version_locked(dataset, version);
}

Result<int64_t> SqliteDatasetStore::latest_dataset_version(std::string_view dataset) {
  std::lock_guard lock(mu_);
  return latest_unretired_version(*db_, kDatasetTables, dataset, kDatasetRetired);
}

Result<std::vector<DatasetVersionRecord>> SqliteDatasetStore::list_dataset_versions(std::string_view dataset,
                                                                                   const DatasetVersionQuery& query) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(int64_t id, dataset_id(dataset));
  std::string sql = std::string("SELECT ") + kVersionColumns +
                    " FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE v.dataset_id = ?";
  if (query.before_version > 0) sql += " AND v.version < ?";
  if (query.state) sql += " AND v.state = ?";
  sql += " ORDER BY v.version DESC LIMIT ?";
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(sql));
  int i = 1;
  s.bind(i++, id);
  if (query.before_version > 0) s.bind(i++, query.before_version);
  if (query.state) s.bind(i++, *query.state);
  s.bind(i, int64_t{query.limit});
  return read_all<DatasetVersionRecord>(s, read_version);
}

Result<DatasetVersionRecord> SqliteDatasetStore::update_dataset_version(std::string_view dataset, int64_t version,
                                                                        const DatasetVersionPatch& patch) {
  std::lock_guard lock(mu_);
  MAAS_RETURN_IF_ERROR(get_version_locked(dataset, version).status());
  MAAS_ASSIGN_OR_RETURN(int64_t id, dataset_id(dataset));
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(
      "UPDATE dataset_versions SET description = COALESCE(?, description), tags = COALESCE(?, tags), "
      "state = COALESCE(?, state), updated_at_ms = ? WHERE dataset_id = ? AND version = ?"));
  s.bind_optional(1, patch.description);
  s.bind_optional(2, patch.tags ? std::optional<std::string>(to_json_text(*patch.tags)) : std::nullopt);
  s.bind_optional(3, patch.state).bind(4, now_unix_ms()).bind(5, id).bind(6, version);
  MAAS_RETURN_IF_ERROR(s.run());
  return get_version_locked(dataset, version);
}

Status SqliteDatasetStore::delete_dataset_version(std::string_view dataset, int64_t version) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_RETURN_IF_ERROR(get_version_locked(dataset, version).status());
  MAAS_ASSIGN_OR_RETURN(int64_t id, dataset_id(dataset));
  MAAS_RETURN_IF_ERROR(check_no_alias(*db_, kDatasetTables, dataset, id, version));
  MAAS_ASSIGN_OR_RETURN(auto del, db_->prepare("DELETE FROM dataset_versions WHERE dataset_id = ? AND version = ?"));
  MAAS_RETURN_IF_ERROR(del.bind(1, id).bind(2, version).run());
  return tx.commit();
}

Status SqliteDatasetStore::set_dataset_alias(std::string_view dataset, std::string_view alias, int64_t version) {
  std::lock_guard lock(mu_);
  MAAS_RETURN_IF_ERROR(get_version_locked(dataset, version).status());
  MAAS_ASSIGN_OR_RETURN(int64_t id, dataset_id(dataset));
  return put_alias(*db_, kDatasetTables, id, alias, version, now_unix_ms());
}

Result<int64_t> SqliteDatasetStore::get_dataset_alias(std::string_view dataset, std::string_view alias) {
  std::lock_guard lock(mu_);
  return read_alias(*db_, kDatasetTables, dataset, alias);
}

Status SqliteDatasetStore::delete_dataset_alias(std::string_view dataset, std::string_view alias) {
  std::lock_guard lock(mu_);
  return remove_alias(*db_, kDatasetTables, dataset, alias);
}

Result<std::map<std::string, int64_t>> SqliteDatasetStore::dataset_aliases(std::string_view dataset) {
  std::lock_guard lock(mu_);
  return read_aliases(*db_, kDatasetTables, dataset);
}

Result<std::set<std::string>> SqliteDatasetStore::dataset_digests() {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("SELECT digest FROM dataset_versions UNION "
                                             "SELECT rejects_digest FROM dataset_versions WHERE rejects_digest != ''"));
  MAAS_ASSIGN_OR_RETURN(auto digests, read_all<std::string>(s, [](const Statement& st) { return st.column_text(0); }));
  return std::set<std::string>(digests.begin(), digests.end());
}

}  // namespace maas::store::sqlite
