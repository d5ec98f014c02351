#include "store/sqlite/sqlite_metadata_store.h"

#include "common/clock.h"
#include "common/json_parse.h"
#include "store/sqlite/json_columns.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/versioned_tables.h"

namespace maas::store::sqlite {
namespace {

using nlohmann::json;

constexpr const char* kModelColumns =
    "m.name, m.description, m.tags, m.created_at_ms, m.updated_at_ms, m.next_version - 1, "
    "(SELECT COUNT(*) FROM model_versions v WHERE v.model_id = m.id)";

ModelRecord read_model(const Statement& s) {
  ModelRecord r;
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
    "m.name, v.version, v.framework, v.format, v.digest, v.size_bytes, v.signature, v.description, v.tags, "
    "v.metrics, v.lineage, v.state, v.created_by, v.created_at_ms, v.updated_at_ms";

VersionRecord read_version(const Statement& s) {
  VersionRecord r;
  r.model = s.column_text(0);
  r.version = s.column_int(1);
  r.framework = s.column_text(2);
  r.format = s.column_text(3);
  r.digest = s.column_text(4);
  r.size_bytes = static_cast<uint64_t>(s.column_int(5));
  r.signature = parse_json_column(s.column_text(6));
  r.description = s.column_text(7);
  r.tags = parse_string_map(s.column_text(8));
  r.metrics = parse_json_column(s.column_text(9));
  r.lineage = parse_json_column(s.column_text(10));
  r.state = s.column_text(11);
  r.created_by = s.column_text(12);
  r.created_at_ms = s.column_int(13);
  r.updated_at_ms = s.column_int(14);
  return r;
}

const VersionedTables kModelTables{"model", "models", "model_versions", "aliases", "model_id"};

}  // namespace

Result<std::unique_ptr<SqliteMetadataStore>> SqliteMetadataStore::open(const std::filesystem::path& path) {
  MAAS_ASSIGN_OR_RETURN(auto db, Database::open(path));
  MAAS_RETURN_IF_ERROR(migrate(*db));
  return std::unique_ptr<SqliteMetadataStore>(new SqliteMetadataStore(std::move(db)));
}

Result<int64_t> SqliteMetadataStore::model_id(std::string_view name) { return object_id(*db_, kModelTables, name); }

Result<ModelRecord> SqliteMetadataStore::create_model(const NewModel& model) {
  std::lock_guard lock(mu_);
  int64_t now = now_unix_ms();
  MAAS_ASSIGN_OR_RETURN(
      auto s, db_->prepare("INSERT INTO models(name, description, tags, created_at_ms, updated_at_ms) VALUES(?,?,?,?,?)"));
  s.bind(1, model.name).bind(2, model.description).bind(3, to_json_text(model.tags)).bind(4, now).bind(5, now);
  Status st = s.run();
  if (st.code() == StatusCode::kAlreadyExists) return already_exists("model '" + model.name + "' already exists");
  MAAS_RETURN_IF_ERROR(st);
  return get_model_locked(model.name);
}

Result<ModelRecord> SqliteMetadataStore::get_model_locked(std::string_view name) {
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string("SELECT ") + kModelColumns + " FROM models m WHERE m.name = ?"));
  s.bind(1, name);
  MAAS_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) return kModelTables.not_found_error(name);
  return read_model(s);
}

Result<ModelRecord> SqliteMetadataStore::get_model(std::string_view name) {
  std::lock_guard lock(mu_);
  return get_model_locked(name);
}

Result<std::vector<ModelRecord>> SqliteMetadataStore::list_models(const ModelQuery& query) {
  std::lock_guard lock(mu_);
  std::string sql = std::string("SELECT ") + kModelColumns + " FROM models m WHERE m.name > ?";
  if (!query.prefix.empty()) sql += " AND substr(m.name, 1, length(?)) = ?";
  for (size_t i = 0; i < query.tags.size(); ++i) {
    sql += query.tags[i].second ? " AND json_extract(m.tags, ?) = ?" : " AND json_type(m.tags, ?) IS NOT NULL";
  }
  sql += " ORDER BY m.name LIMIT ?";
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(sql));
  int i = 1;
  s.bind(i++, query.after_name);
  if (!query.prefix.empty()) {
    s.bind(i++, query.prefix);
    s.bind(i++, query.prefix);
  }
  for (const auto& [key, value] : query.tags) {
    // json path with the key quoted, so dots and brackets in keys are literal.
    s.bind(i++, "$.\"" + key + "\"");
    if (value) s.bind(i++, *value);
  }
  s.bind(i, int64_t{query.limit});
  std::vector<ModelRecord> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out.push_back(read_model(s));
  }
  return out;
}

Result<ModelRecord> SqliteMetadataStore::update_model(std::string_view name, const ModelPatch& patch) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("UPDATE models SET description = COALESCE(?, description), "
                                              "tags = COALESCE(?, tags), updated_at_ms = ? WHERE name = ?"));
  s.bind_optional(1, patch.description);
  s.bind_optional(2, patch.tags ? std::optional<std::string>(to_json_text(*patch.tags)) : std::nullopt);
  s.bind(3, now_unix_ms()).bind(4, name);
  MAAS_RETURN_IF_ERROR(s.run());
  if (db_->changes() == 0) return kModelTables.not_found_error(name);
  return get_model_locked(name);
}

Status SqliteMetadataStore::delete_model(std::string_view name) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_ASSIGN_OR_RETURN(int64_t id, model_id(name));
  // Aliases reference versions, so they go first; versions and transitions cascade from the model.
  MAAS_RETURN_IF_ERROR(remove_all_aliases(*db_, kModelTables, id));
  MAAS_ASSIGN_OR_RETURN(auto del_model, db_->prepare("DELETE FROM models WHERE id = ?"));
  MAAS_RETURN_IF_ERROR(del_model.bind(1, id).run());
  return tx.commit();
}

Result<VersionRecord> SqliteMetadataStore::create_version(std::string_view model, const NewVersion& version) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  int64_t now = now_unix_ms();
  MAAS_ASSIGN_OR_RETURN(auto claimed, claim_version_number(*db_, kModelTables, model, now));
  auto [id, number] = claimed;
  MAAS_ASSIGN_OR_RETURN(auto insert, db_->prepare(
      "INSERT INTO model_versions(model_id, version, framework, format, digest, size_bytes, signature, state, "
      "created_by, created_at_ms, updated_at_ms) VALUES(?,?,?,?,?,?,?,?,?,?,?)"));
  insert.bind(1, id).bind(2, number).bind(3, version.framework).bind(4, version.format).bind(5, version.digest);
  insert.bind(6, static_cast<int64_t>(version.size_bytes)).bind(7, version.signature.dump());
  insert.bind(8, kStateRegistered).bind(9, version.created_by).bind(10, now).bind(11, now);
  MAAS_RETURN_IF_ERROR(insert.run());
  MAAS_ASSIGN_OR_RETURN(auto history, db_->prepare(
      "INSERT INTO version_transitions(model_id, version, from_state, to_state, actor, reason, at_ms) "
      "VALUES(?,?,NULL,?,?,'uploaded',?)"));
  MAAS_RETURN_IF_ERROR(history.bind(1, id).bind(2, number).bind(3, kStateRegistered).bind(4, version.created_by)
                           .bind(5, now).run());
  MAAS_RETURN_IF_ERROR(tx.commit());
  return get_version_locked(model, number);
}

Result<VersionRecord> SqliteMetadataStore::get_version_locked(std::string_view model, int64_t version) {
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string("SELECT ") + kVersionColumns +
                                             " FROM model_versions v JOIN models m ON m.id = v.model_id "
                                             "WHERE m.name = ? AND v.version = ?"));
  s.bind(1, model).bind(2, version);
  MAAS_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) {
    MAAS_RETURN_IF_ERROR(model_id(model).status());
    return kModelTables.version_not_found_error(model, version);
  }
  return read_version(s);
}

Result<VersionRecord> SqliteMetadataStore::get_version(std::string_view model, int64_t version) {
  std::lock_guard lock(mu_);
  return get_version_locked(model, version);
}

Result<int64_t> SqliteMetadataStore::latest_version(std::string_view model) {
  std::lock_guard lock(mu_);
  return latest_unretired_version(*db_, kModelTables, model, kStateRetired);
}

Result<std::vector<VersionRecord>> SqliteMetadataStore::list_versions(std::string_view model, const VersionQuery& query) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(int64_t id, model_id(model));
  std::string sql = std::string("SELECT ") + kVersionColumns +
                    " FROM model_versions v JOIN models m ON m.id = v.model_id WHERE v.model_id = ?";
  if (query.before_version > 0) sql += " AND v.version < ?";
  if (query.state) sql += " AND v.state = ?";
  sql += " ORDER BY v.version DESC LIMIT ?";
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(sql));
  int i = 1;
  s.bind(i++, id);
  if (query.before_version > 0) s.bind(i++, query.before_version);
  if (query.state) s.bind(i++, *query.state);
  s.bind(i, int64_t{query.limit});
  std::vector<VersionRecord> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out.push_back(read_version(s));
  }
  return out;
}

Result<VersionRecord> SqliteMetadataStore::update_version(std::string_view model, int64_t version,
                                                          const VersionPatch& patch) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_ASSIGN_OR_RETURN(VersionRecord current, get_version_locked(model, version));
  MAAS_ASSIGN_OR_RETURN(int64_t id, model_id(model));
  int64_t now = now_unix_ms();
  std::optional<std::string> new_state;
  if (patch.state && patch.state->to != current.state) {
    if (!is_allowed_transition(current.state, patch.state->to)) {
      return failed_precondition("version " + std::to_string(version) + " of '" + std::string(model) + "' is " +
                                 current.state + " and cannot move to " + patch.state->to);
    }
    new_state = patch.state->to;
    MAAS_ASSIGN_OR_RETURN(auto history, db_->prepare(
        "INSERT INTO version_transitions(model_id, version, from_state, to_state, actor, reason, at_ms) "
        "VALUES(?,?,?,?,?,?,?)"));
    MAAS_RETURN_IF_ERROR(history.bind(1, id).bind(2, version).bind(3, current.state).bind(4, patch.state->to)
                             .bind(5, patch.state->by).bind(6, patch.state->reason).bind(7, now).run());
  }
  auto dump = [](const std::optional<json>& j) { return j ? std::optional<std::string>(j->dump()) : std::nullopt; };
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(
      "UPDATE model_versions SET description = COALESCE(?, description), tags = COALESCE(?, tags), "
      "metrics = COALESCE(?, metrics), lineage = COALESCE(?, lineage), state = COALESCE(?, state), "
      "updated_at_ms = ? WHERE model_id = ? AND version = ?"));
  s.bind_optional(1, patch.description);
  s.bind_optional(2, patch.tags ? std::optional<std::string>(to_json_text(*patch.tags)) : std::nullopt);
  s.bind_optional(3, dump(patch.metrics)).bind_optional(4, dump(patch.lineage)).bind_optional(5, new_state);
  s.bind(6, now).bind(7, id).bind(8, version);
  MAAS_RETURN_IF_ERROR(s.run());
  MAAS_RETURN_IF_ERROR(tx.commit());
  return get_version_locked(model, version);
}

Result<VersionRecord> SqliteMetadataStore::add_evaluation(std::string_view model, int64_t version,
                                                          const Evaluation& evaluation) {
  std::lock_guard lock(mu_);
  // BEGIN IMMEDIATE takes the write lock before the read, so another process's evaluation cannot slip between.
  Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_ASSIGN_OR_RETURN(VersionRecord current, get_version_locked(model, version));
  if (!apply_evaluation(current, evaluation)) return current;
  MAAS_ASSIGN_OR_RETURN(int64_t id, model_id(model));
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("UPDATE model_versions SET metrics = ?, lineage = ?, updated_at_ms = ? "
                                             "WHERE model_id = ? AND version = ?"));
  MAAS_RETURN_IF_ERROR(s.bind(1, current.metrics.dump())
                           .bind(2, current.lineage.dump())
                           .bind(3, now_unix_ms())
                           .bind(4, id)
                           .bind(5, version)
                           .run());
  MAAS_RETURN_IF_ERROR(tx.commit());
  return get_version_locked(model, version);
}

Status SqliteMetadataStore::delete_version(std::string_view model, int64_t version) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_RETURN_IF_ERROR(get_version_locked(model, version).status());
  MAAS_ASSIGN_OR_RETURN(int64_t id, model_id(model));
  MAAS_RETURN_IF_ERROR(check_no_alias(*db_, kModelTables, model, id, version));
  MAAS_ASSIGN_OR_RETURN(auto del, db_->prepare("DELETE FROM model_versions WHERE model_id = ? AND version = ?"));
  MAAS_RETURN_IF_ERROR(del.bind(1, id).bind(2, version).run());
  return tx.commit();
}

Result<std::vector<StateTransition>> SqliteMetadataStore::version_history(std::string_view model, int64_t version) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(int64_t id, model_id(model));
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("SELECT from_state, to_state, actor, reason, at_ms FROM version_transitions "
                                             "WHERE model_id = ? AND version = ? ORDER BY id"));
  s.bind(1, id).bind(2, version);
  std::vector<StateTransition> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    StateTransition t;
    if (!s.column_is_null(0)) t.from = s.column_text(0);
    t.to = s.column_text(1);
    t.by = s.column_text(2);
    t.reason = s.column_text(3);
    t.at_ms = s.column_int(4);
    out.push_back(std::move(t));
  }
  return out;
}

Status SqliteMetadataStore::set_alias(std::string_view model, std::string_view alias, int64_t version) {
  std::lock_guard lock(mu_);
  MAAS_RETURN_IF_ERROR(get_version_locked(model, version).status());
  MAAS_ASSIGN_OR_RETURN(int64_t id, model_id(model));
  return put_alias(*db_, kModelTables, id, alias, version, now_unix_ms());
}

Result<int64_t> SqliteMetadataStore::get_alias(std::string_view model, std::string_view alias) {
  std::lock_guard lock(mu_);
  return read_alias(*db_, kModelTables, model, alias);
}

Status SqliteMetadataStore::delete_alias(std::string_view model, std::string_view alias) {
  std::lock_guard lock(mu_);
  return remove_alias(*db_, kModelTables, model, alias);
}

Result<std::map<std::string, int64_t>> SqliteMetadataStore::model_aliases(std::string_view model) {
  std::lock_guard lock(mu_);
  return read_aliases(*db_, kModelTables, model);
}

Result<std::set<std::string>> SqliteMetadataStore::referenced_digests() {
  std::lock_guard lock(mu_);
  // Dataset and pipeline versions live in the same file (store/sqlite/sqlite_dataset_store.h,
  // features/store/pipeline_store.h); their blobs share the artifact store, so garbage collection must see them
  // whichever component runs it. So do jobs: a job that is not finished holds the blobs its params name under "pins"
  // (the input versions a data job reads), so that deleting a version under a queued or running job cannot take its
  // input away; once the job ends the next collection may. Only the data kinds' pins count: their validate writes
  // them and refuses a submitter's.
  MAAS_ASSIGN_OR_RETURN(
      auto s, db_->prepare("SELECT digest FROM model_versions UNION SELECT digest FROM dataset_versions "
                           "UNION SELECT rejects_digest FROM dataset_versions WHERE rejects_digest != '' "
                           "UNION SELECT state_digest FROM pipeline_versions "
                           "UNION SELECT pin.value FROM jobs, json_each(jobs.params, '$.pins') AS pin "
                           "WHERE jobs.kind LIKE 'data.%' AND jobs.state NOT IN ('succeeded', 'failed', 'cancelled') "
                           "AND pin.type = 'text'"));
  std::set<std::string> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out.insert(s.column_text(0));
  }
  return out;
}

Result<StoreCounts> SqliteMetadataStore::counts() {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("SELECT (SELECT count(*) FROM models), (SELECT count(*) FROM model_versions), "
                                             "(SELECT count(*) FROM aliases)"));
  MAAS_ASSIGN_OR_RETURN(bool row, s.step());
  if (!row) return internal_error("counting the registry returned no row");
  return StoreCounts{s.column_int(0), s.column_int(1), s.column_int(2)};
}

}  // namespace maas::store::sqlite
