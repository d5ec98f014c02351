#include "features/store/pipeline_store.h"

#include <cctype>

#include "common/clock.h"
#include "store/sqlite/json_columns.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/versioned_tables.h"

namespace maas::features {
namespace {

using store::sqlite::Statement;

const store::sqlite::VersionedTables kTables{"pipeline", "pipelines", "pipeline_versions", "pipeline_aliases",
                                             "pipeline_id"};

constexpr const char* kSelectPipeline =
    "SELECT name, spec, description, tags, next_version - 1, created_by, created_at_ms, updated_at_ms FROM pipelines ";
constexpr const char* kSelectVersion =
    "SELECT p.name, v.version, v.spec, v.state_digest, v.state_size_bytes, v.dataset, v.dataset_version, "
    "v.input_schema, v.output_columns, v.job_id, v.tags, v.created_by, v.created_at_ms "
    "FROM pipeline_versions v JOIN pipelines p ON p.id = v.pipeline_id ";

PipelineRecord read_pipeline(const Statement& s) {
  PipelineRecord r;
  r.name = s.column_text(0);
  r.spec = store::sqlite::parse_json_column(s.column_text(1));
  r.description = s.column_text(2);
  r.tags = store::sqlite::parse_string_map(s.column_text(3));
  r.latest_version = s.column_int(4);
  r.created_by = s.column_text(5);
  r.created_at_ms = s.column_int(6);
  r.updated_at_ms = s.column_int(7);
  return r;
}

PipelineVersionRecord read_version(const Statement& s) {
  PipelineVersionRecord r;
  r.name = s.column_text(0);
  r.version = s.column_int(1);
  r.spec = store::sqlite::parse_json_column(s.column_text(2));
  r.state_digest = s.column_text(3);
  r.state_size_bytes = s.column_int(4);
  r.dataset = s.column_text(5);
  r.dataset_version = s.column_int(6);
  r.input_schema = store::sqlite::parse_json_column(s.column_text(7), nlohmann::json::array());
  r.output_columns = store::sqlite::parse_json_column(s.column_text(8), nlohmann::json::array());
  r.job_id = s.column_text(9);
  r.tags = store::sqlite::parse_string_map(s.column_text(10));
  r.created_by = s.column_text(11);
  r.created_at_ms = s.column_int(12);
  return r;
}

bool is_number(const std::string& text) {
  if (text.empty() || text.size() > 18) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

nlohmann::json pipeline_json(const PipelineRecord& r) {
  return {{"name", r.name},
          {"spec", r.spec},
          {"description", r.description},
          {"tags", r.tags},
          {"latest_version", r.latest_version},
          {"aliases", r.aliases},
          {"created_by", r.created_by},
          {"created_at", format_rfc3339_ms(r.created_at_ms)},
          {"updated_at", format_rfc3339_ms(r.updated_at_ms)}};
}

nlohmann::json pipeline_version_json(const PipelineVersionRecord& r) {
  return {{"name", r.name},
          {"version", r.version},
          {"spec", r.spec},
          {"state", {{"digest", r.state_digest}, {"size_bytes", r.state_size_bytes}}},
          {"fitted_on", {{"dataset", r.dataset}, {"version", r.dataset_version}}},
          {"input_schema", r.input_schema},
          {"output_columns", r.output_columns},
          {"job_id", r.job_id},
          {"tags", r.tags},
          {"created_by", r.created_by},
          {"created_at", format_rfc3339_ms(r.created_at_ms)}};
}

Result<std::unique_ptr<PipelineStore>> PipelineStore::open(const std::filesystem::path& path) {
  MAAS_ASSIGN_OR_RETURN(auto db, store::sqlite::Database::open(path));
  MAAS_RETURN_IF_ERROR(store::sqlite::migrate(*db));
  return std::unique_ptr<PipelineStore>(new PipelineStore(std::move(db)));
}

Result<PipelineRecord> PipelineStore::create(const std::string& name, const nlohmann::json& spec,
                                             const std::string& description, const Tags& tags,
                                             const std::string& created_by) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto exists, db_->prepare("SELECT 1 FROM pipelines WHERE name = ?"));
  MAAS_ASSIGN_OR_RETURN(bool taken, exists.bind(1, name).step());
  if (taken) return already_exists("pipeline '" + name + "' already exists");
  const int64_t now = now_unix_ms();
  MAAS_ASSIGN_OR_RETURN(auto insert, db_->prepare("INSERT INTO pipelines(name, spec, description, tags, created_by, "
                                                  "created_at_ms, updated_at_ms) VALUES(?, ?, ?, ?, ?, ?, ?)"));
  MAAS_RETURN_IF_ERROR(insert.bind(1, name)
                           .bind(2, spec.dump())
                           .bind(3, description)
                           .bind(4, store::sqlite::to_json_text(tags))
                           .bind(5, created_by)
                           .bind(6, now)
                           .bind(7, now)
                           .run());
  return get_locked(name);
}

Result<PipelineRecord> PipelineStore::get(const std::string& name) {
  std::lock_guard lock(mu_);
  return get_locked(name);
}

Result<PipelineRecord> PipelineStore::get_locked(const std::string& name) {
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string(kSelectPipeline) + "WHERE name = ?"));
  MAAS_ASSIGN_OR_RETURN(bool row, s.bind(1, name).step());
  if (!row) return kTables.not_found_error(name);
  PipelineRecord r = read_pipeline(s);
  MAAS_ASSIGN_OR_RETURN(r.aliases, store::sqlite::read_aliases(*db_, kTables, name));
  return r;
}

Result<std::vector<PipelineRecord>> PipelineStore::list(const std::string& after_name, int limit) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string(kSelectPipeline) + "WHERE name > ? ORDER BY name LIMIT ?"));
  s.bind(1, after_name).bind(2, int64_t{limit});
  std::vector<PipelineRecord> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out.push_back(read_pipeline(s));
  }
  for (PipelineRecord& r : out) {
    MAAS_ASSIGN_OR_RETURN(r.aliases, store::sqlite::read_aliases(*db_, kTables, r.name));
  }
  return out;
}

Status PipelineStore::remove(const std::string& name) {
  std::lock_guard lock(mu_);
  store::sqlite::Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_ASSIGN_OR_RETURN(int64_t id, store::sqlite::object_id(*db_, kTables, name));
  MAAS_RETURN_IF_ERROR(check_not_attached_locked(name, id));
  MAAS_RETURN_IF_ERROR(store::sqlite::remove_all_aliases(*db_, kTables, id));
  MAAS_ASSIGN_OR_RETURN(auto versions, db_->prepare("DELETE FROM pipeline_versions WHERE pipeline_id = ?"));
  MAAS_RETURN_IF_ERROR(versions.bind(1, id).run());
  MAAS_ASSIGN_OR_RETURN(auto pipeline, db_->prepare("DELETE FROM pipelines WHERE id = ?"));
  MAAS_RETURN_IF_ERROR(pipeline.bind(1, id).run());
  return tx.commit();
}

Result<PipelineVersionRecord> PipelineStore::add_version(const std::string& name, const NewPipelineVersion& v) {
  std::lock_guard lock(mu_);
  if (!v.job_id.empty()) {
    MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string(kSelectVersion) + "WHERE v.job_id = ?"));
    MAAS_ASSIGN_OR_RETURN(bool row, s.bind(1, v.job_id).step());
    if (row) return read_version(s);
  }
  store::sqlite::Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  const int64_t now = now_unix_ms();
  MAAS_ASSIGN_OR_RETURN(auto claimed, store::sqlite::claim_version_number(*db_, kTables, name, now));
  const auto [id, number] = claimed;
  MAAS_ASSIGN_OR_RETURN(
      auto insert, db_->prepare("INSERT INTO pipeline_versions(pipeline_id, version, spec, state_digest, "
                                "state_size_bytes, dataset, dataset_version, input_schema, output_columns, job_id, "
                                "state, created_by, created_at_ms, updated_at_ms) "
                                "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ready', ?, ?, ?)"));
  MAAS_RETURN_IF_ERROR(insert.bind(1, id)
                           .bind(2, number)
                           .bind(3, v.spec.dump())
                           .bind(4, v.state_digest)
                           .bind(5, v.state_size_bytes)
                           .bind(6, v.dataset)
                           .bind(7, v.dataset_version)
                           .bind(8, v.input_schema.dump())
                           .bind(9, v.output_columns.dump())
                           .bind(10, v.job_id)
                           .bind(11, v.created_by)
                           .bind(12, now)
                           .bind(13, now)
                           .run());
  MAAS_RETURN_IF_ERROR(tx.commit());
  return get_version_locked(name, number);
}

Result<PipelineVersionRecord> PipelineStore::get_version(const std::string& name, int64_t version) {
  std::lock_guard lock(mu_);
  return get_version_locked(name, version);
}

Result<PipelineVersionRecord> PipelineStore::get_version_locked(const std::string& name, int64_t version) {
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string(kSelectVersion) + "WHERE p.name = ? AND v.version = ?"));
  MAAS_ASSIGN_OR_RETURN(bool row, s.bind(1, name).bind(2, version).step());
  if (row) return read_version(s);
  MAAS_RETURN_IF_ERROR(store::sqlite::object_id(*db_, kTables, name).status());
  return kTables.version_not_found_error(name, version);
}

Result<PipelineVersionRecord> PipelineStore::resolve(const std::string& name, const std::string& ref) {
  std::lock_guard lock(mu_);
  if (is_number(ref)) return get_version_locked(name, std::stoll(ref));
  if (ref == "latest") {
    MAAS_ASSIGN_OR_RETURN(PipelineRecord p, get_locked(name));
    if (p.latest_version == 0) return not_found("pipeline '" + name + "' has no fitted version yet");
    return get_version_locked(name, p.latest_version);
  }
  MAAS_ASSIGN_OR_RETURN(int64_t version, store::sqlite::read_alias(*db_, kTables, name, ref));
  return get_version_locked(name, version);
}

Result<std::vector<PipelineVersionRecord>> PipelineStore::versions(const std::string& name) {
  std::lock_guard lock(mu_);
  MAAS_RETURN_IF_ERROR(store::sqlite::object_id(*db_, kTables, name).status());
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(std::string(kSelectVersion) + "WHERE p.name = ? ORDER BY v.version"));
  s.bind(1, name);
  std::vector<PipelineVersionRecord> out;
  for (;;) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out.push_back(read_version(s));
  }
  return out;
}

Status PipelineStore::set_version_tags(const std::string& name, int64_t version, const Tags& tags) {
  std::lock_guard lock(mu_);
  MAAS_RETURN_IF_ERROR(get_version_locked(name, version).status());
  MAAS_ASSIGN_OR_RETURN(int64_t id, store::sqlite::object_id(*db_, kTables, name));
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("UPDATE pipeline_versions SET tags = ?, updated_at_ms = ? "
                                             "WHERE pipeline_id = ? AND version = ?"));
  return s.bind(1, store::sqlite::to_json_text(tags)).bind(2, now_unix_ms()).bind(3, id).bind(4, version).run();
}

Status PipelineStore::set_alias(const std::string& name, const std::string& alias, int64_t version) {
  if (alias.empty() || is_number(alias) || alias == "latest") {
    return invalid_argument("an alias must not be empty, a number or 'latest': '" + alias + "'");
  }
  std::lock_guard lock(mu_);
  MAAS_RETURN_IF_ERROR(get_version_locked(name, version).status());
  MAAS_ASSIGN_OR_RETURN(int64_t id, store::sqlite::object_id(*db_, kTables, name));
  return store::sqlite::put_alias(*db_, kTables, id, alias, version, now_unix_ms());
}

Status PipelineStore::remove_alias(const std::string& name, const std::string& alias) {
  std::lock_guard lock(mu_);
  return store::sqlite::remove_alias(*db_, kTables, name, alias);
}

}  // namespace maas::features
