// PipelineStore's attachments (migration 9): which pipeline version a model version is served with.
#include "common/clock.h"
#include "features/store/pipeline_store.h"
#include "store/sqlite/versioned_tables.h"

namespace maas::features {
namespace {

const store::sqlite::VersionedTables kPipelines{"pipeline", "pipelines", "pipeline_versions", "pipeline_aliases",
                                                "pipeline_id"};

// The model's id, NOT_FOUND naming the version unless it exists.
Result<int64_t> model_version_id(store::sqlite::Database& db, const std::string& model, int64_t version) {
  MAAS_ASSIGN_OR_RETURN(auto s, db.prepare("SELECT m.id FROM models m JOIN model_versions v ON v.model_id = m.id "
                                           "WHERE m.name = ? AND v.version = ?"));
  MAAS_ASSIGN_OR_RETURN(bool row, s.bind(1, model).bind(2, version).step());
  if (!row) return not_found("model '" + model + "' has no version " + std::to_string(version));
  return s.column_int(0);
}

}  // namespace

nlohmann::json attachment_json(const Attachment& a) {
  return {{"name", a.pipeline},
          {"version", a.pipeline_version},
          {"attached_by", a.attached_by},
          {"attached_at", format_rfc3339_ms(a.attached_at_ms)}};
}

Status PipelineStore::attach(const std::string& model, int64_t version, const std::string& pipeline,
                             int64_t pipeline_version, const std::string& attached_by) {
  std::lock_guard lock(mu_);
  store::sqlite::Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_ASSIGN_OR_RETURN(int64_t model_id, model_version_id(*db_, model, version));
  MAAS_ASSIGN_OR_RETURN(int64_t pipeline_id, store::sqlite::object_id(*db_, kPipelines, pipeline));
  MAAS_RETURN_IF_ERROR(get_version_locked(pipeline, pipeline_version).status());
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("INSERT OR REPLACE INTO model_version_pipelines(model_id, version, "
                                             "pipeline_id, pipeline_version, attached_by, attached_at_ms) "
                                             "VALUES(?, ?, ?, ?, ?, ?)"));
  MAAS_RETURN_IF_ERROR(s.bind(1, model_id)
                           .bind(2, version)
                           .bind(3, pipeline_id)
                           .bind(4, pipeline_version)
                           .bind(5, attached_by)
                           .bind(6, now_unix_ms())
                           .run());
  return tx.commit();
}

Status PipelineStore::detach(const std::string& model, int64_t version) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(int64_t model_id, model_version_id(*db_, model, version));
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("DELETE FROM model_version_pipelines WHERE model_id = ? AND version = ?"));
  MAAS_RETURN_IF_ERROR(s.bind(1, model_id).bind(2, version).run());
  if (db_->changes() == 0) {
    return not_found("model '" + model + "' version " + std::to_string(version) + " has no pipeline attached");
  }
  return {};
}

Result<std::optional<Attachment>> PipelineStore::attachment(const std::string& model, int64_t version) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("SELECT p.name, a.pipeline_version, a.attached_by, a.attached_at_ms "
                                             "FROM model_version_pipelines a JOIN models m ON m.id = a.model_id "
                                             "JOIN pipelines p ON p.id = a.pipeline_id "
                                             "WHERE m.name = ? AND a.version = ?"));
  MAAS_ASSIGN_OR_RETURN(bool row, s.bind(1, model).bind(2, version).step());
  if (!row) return std::optional<Attachment>();
  return std::optional<Attachment>(Attachment{s.column_text(0), s.column_int(1), s.column_text(2), s.column_int(3)});
}

Status PipelineStore::check_not_attached_locked(const std::string& name, int64_t id) {
  MAAS_ASSIGN_OR_RETURN(auto s,
                        db_->prepare("SELECT m.name, a.version, a.pipeline_version FROM model_version_pipelines a "
                                     "JOIN models m ON m.id = a.model_id WHERE a.pipeline_id = ? "
                                     "ORDER BY m.name, a.version LIMIT 1"));
  MAAS_ASSIGN_OR_RETURN(bool row, s.bind(1, id).step());
  if (!row) return {};
  return failed_precondition("pipeline '" + name + "' version " + std::to_string(s.column_int(2)) +
                             " is attached to model '" + s.column_text(0) + "' version " +
                             std::to_string(s.column_int(1)) + "; detach it first (DELETE /api/v1/models/" +
                             s.column_text(0) + "/versions/" + std::to_string(s.column_int(1)) + "/pipeline)");
}

}  // namespace maas::features
