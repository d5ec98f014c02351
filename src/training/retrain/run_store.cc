#include "training/retrain/run_store.h"

#include "common/clock.h"
#include "store/sqlite/json_columns.h"
#include "store/sqlite/migrations.h"

namespace maas::training::retrain {

using nlohmann::json;

Result<std::unique_ptr<RunStore>> RunStore::open(const std::filesystem::path& path) {
  MAAS_ASSIGN_OR_RETURN(auto db, store::sqlite::Database::open(path));
  MAAS_RETURN_IF_ERROR(store::sqlite::migrate(*db));
  return std::unique_ptr<RunStore>(new RunStore(std::move(db)));
}

Result<PolicyRow> RunStore::put_policy(const std::string& model, const json& policy, const json& trigger_state,
                                       const std::string& by) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto upsert,
                        db_->prepare("INSERT INTO retraining_policies(model, policy, trigger_state, updated_by, "
                                     "updated_at_ms) VALUES(?, ?, ?, ?, ?) ON CONFLICT(model) DO UPDATE SET "
                                     "policy = excluded.policy, trigger_state = excluded.trigger_state, "
                                     "updated_by = excluded.updated_by, updated_at_ms = excluded.updated_at_ms"));
  MAAS_RETURN_IF_ERROR(upsert.bind(1, model)
                           .bind(2, policy.dump())
                           .bind(3, trigger_state.dump())
                           .bind(4, by)
                           .bind(5, now_unix_ms())
                           .run());
  MAAS_ASSIGN_OR_RETURN(auto row, find_locked(model));
  if (!row) return internal_error("the retraining policy of '" + model + "' vanished as it was written");
  return *row;
}

Status RunStore::set_trigger_state(const std::string& model, const json& trigger_state) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("UPDATE retraining_policies SET trigger_state = ? WHERE model = ?"));
  return s.bind(1, trigger_state.dump()).bind(2, model).run();
}

Result<std::optional<PolicyRow>> RunStore::find_policy(const std::string& model) {
  std::lock_guard lock(mu_);
  return find_locked(model);
}

Result<std::optional<PolicyRow>> RunStore::find_locked(const std::string& model) {
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("SELECT model, policy, trigger_state, updated_by, updated_at_ms FROM "
                                             "retraining_policies WHERE model = ?"));
  MAAS_ASSIGN_OR_RETURN(bool row, s.bind(1, model).step());
  if (!row) return std::optional<PolicyRow>();
  return std::optional<PolicyRow>(PolicyRow{s.column_text(0), store::sqlite::parse_json_column(s.column_text(1)),
                                            store::sqlite::parse_json_column(s.column_text(2)), s.column_text(3),
                                            s.column_int(4)});
}

Result<std::vector<PolicyRow>> RunStore::policies() {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("SELECT model, policy, trigger_state, updated_by, updated_at_ms FROM "
                                             "retraining_policies ORDER BY model"));
  std::vector<PolicyRow> out;
  while (true) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out.push_back(PolicyRow{s.column_text(0), store::sqlite::parse_json_column(s.column_text(1)),
                            store::sqlite::parse_json_column(s.column_text(2)), s.column_text(3), s.column_int(4)});
  }
  return out;
}

Result<int64_t> RunStore::count_policies() {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("SELECT COUNT(*) FROM retraining_policies"));
  MAAS_ASSIGN_OR_RETURN(bool row, s.step());
  return row ? s.column_int(0) : 0;
}

Status RunStore::remove_policy(const std::string& model) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("DELETE FROM retraining_policies WHERE model = ?"));
  MAAS_RETURN_IF_ERROR(s.bind(1, model).run());
  if (db_->changes() == 0) return not_found("model '" + model + "' has no retraining policy");
  return {};
}

Status RunStore::create_run(const json& run) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s,
                        db_->prepare("INSERT INTO retraining_runs(id, model, finished, record) VALUES(?, ?, ?, ?)"));
  return s.bind(1, run["id"].get<std::string>())
      .bind(2, run["model"].get<std::string>())
      .bind(3, int64_t{run["finished"].get<bool>() ? 1 : 0})
      .bind(4, run.dump())
      .run();
}

Status RunStore::update_run(const json& run) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("UPDATE retraining_runs SET finished = ?, record = ? WHERE id = ?"));
  return s.bind(1, int64_t{run["finished"].get<bool>() ? 1 : 0})
      .bind(2, run.dump())
      .bind(3, run["id"].get<std::string>())
      .run();
}

Result<std::vector<json>> RunStore::select_runs(const std::string& sql, const std::string& model, int limit) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare(sql));
  if (!model.empty()) s.bind(1, model).bind(2, int64_t{limit});
  std::vector<json> out;
  while (true) {
    MAAS_ASSIGN_OR_RETURN(bool row, s.step());
    if (!row) break;
    out.push_back(store::sqlite::parse_json_column(s.column_text(0)));
  }
  return out;
}

Result<std::vector<json>> RunStore::runs(const std::string& model, int limit) {
  return select_runs("SELECT record FROM retraining_runs WHERE model = ? ORDER BY seq DESC LIMIT ?", model, limit);
}

Result<std::optional<json>> RunStore::run(const std::string& model, const std::string& id) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("SELECT record FROM retraining_runs WHERE model = ? AND id = ?"));
  MAAS_ASSIGN_OR_RETURN(bool row, s.bind(1, model).bind(2, id).step());
  if (!row) return std::optional<json>();
  return std::optional<json>(store::sqlite::parse_json_column(s.column_text(0)));
}

Result<std::vector<json>> RunStore::unfinished_runs() {
  return select_runs("SELECT record FROM retraining_runs WHERE finished = 0 ORDER BY seq", "", 0);
}

Status RunStore::prune(const std::string& model, int keep) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto s, db_->prepare("DELETE FROM retraining_runs WHERE model = ? AND finished = 1 AND seq "
                                             "NOT IN (SELECT seq FROM retraining_runs WHERE model = ? ORDER BY seq "
                                             "DESC LIMIT ?)"));
  return s.bind(1, model).bind(2, model).bind(3, int64_t{keep}).run();
}

}  // namespace maas::training::retrain
