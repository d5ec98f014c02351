#include "studies/study_store.h"

#include "common/clock.h"
#include "store/sqlite/json_columns.h"
#include "store/sqlite/migrations.h"

namespace maas::studies {
namespace {

using store::sqlite::parse_json_column;

constexpr const char* kSelectStudy = "SELECT id, name, spec, created_by, created_at_ms FROM studies ";
constexpr const char* kSelectTrial =
    "SELECT number, state, params, objective_values, intermediate, job_id, created_at_ms, updated_at_ms, "
    "finished_at_ms FROM study_trials ";

StudyRecord read_study(const store::sqlite::Statement& s) {
  StudyRecord r;
  r.id = s.column_int(0);
  r.name = s.column_text(1);
  r.spec = parse_json_column(s.column_text(2));
  r.created_by = s.column_text(3);
  r.created_at_ms = s.column_int(4);
  return r;
}

TrialRecord read_trial(const store::sqlite::Statement& s) {
  TrialRecord r;
  r.trial.number = s.column_int(0);
  r.trial.state = hpo::trial_state_from_name(s.column_text(1)).value_or(hpo::TrialState::kFailed);
  r.trial.params = parse_json_column(s.column_text(2));
  for (const auto& v : parse_json_column(s.column_text(3))) {
    if (v.is_number()) r.trial.values.push_back(v.get<double>());
  }
  r.trial.intermediate = intermediate_from_json(parse_json_column(s.column_text(4)));
  r.job_id = s.column_text(5);
  r.created_at_ms = s.column_int(6);
  r.updated_at_ms = s.column_int(7);
  r.finished_at_ms = s.column_optional_int(8);
  return r;
}

}  // namespace

nlohmann::json intermediate_json(const std::vector<std::pair<int64_t, double>>& intermediate) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [step, value] : intermediate) out.push_back({step, value});
  return out;
}

std::vector<std::pair<int64_t, double>> intermediate_from_json(const nlohmann::json& stored) {
  std::vector<std::pair<int64_t, double>> out;
  if (!stored.is_array()) return out;
  for (const auto& entry : stored) {
    if (entry.is_array() && entry.size() == 2 && entry[0].is_number_integer() && entry[1].is_number()) {
      out.emplace_back(entry[0].get<int64_t>(), entry[1].get<double>());
    }
  }
  return out;
}

Result<std::unique_ptr<StudyStore>> StudyStore::open(const std::filesystem::path& path) {
  MAAS_ASSIGN_OR_RETURN(auto db, store::sqlite::Database::open(path));
  MAAS_RETURN_IF_ERROR(store::sqlite::migrate(*db));
  return std::unique_ptr<StudyStore>(new StudyStore(std::move(db)));
}

Result<StudyRecord> StudyStore::create(const std::string& name, const nlohmann::json& spec,
                                       const std::string& created_by, int64_t max_studies) {
  std::lock_guard lock(mu_);
  store::sqlite::Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_ASSIGN_OR_RETURN(auto exists, db_->prepare("SELECT 1 FROM studies WHERE name = ?"));
  MAAS_ASSIGN_OR_RETURN(bool taken, exists.bind(1, name).step());
  if (taken) return already_exists("study '" + name + "' already exists");
  MAAS_ASSIGN_OR_RETURN(auto count, db_->prepare("SELECT COUNT(*) FROM studies"));
  MAAS_RETURN_IF_ERROR(count.step().status());
  if (count.column_int(0) >= max_studies) {
    return resource_exhausted("there are " + std::to_string(count.column_int(0)) +
                              " studies, the most studies.max_studies allows; delete one first");
  }
  MAAS_ASSIGN_OR_RETURN(auto insert,
                        db_->prepare("INSERT INTO studies(name, spec, created_by, created_at_ms) VALUES(?, ?, ?, ?)"));
  MAAS_RETURN_IF_ERROR(insert.bind(1, name).bind(2, spec.dump()).bind(3, created_by).bind(4, now_unix_ms()).run());
  MAAS_RETURN_IF_ERROR(tx.commit());
  return get_locked(name);
}

Result<StudyRecord> StudyStore::get(const std::string& name) {
  std::lock_guard lock(mu_);
  return get_locked(name);
}

Result<StudyRecord> StudyStore::get_locked(const std::string& name) {
  MAAS_ASSIGN_OR_RETURN(auto select, db_->prepare(std::string(kSelectStudy) + "WHERE name = ?"));
  MAAS_ASSIGN_OR_RETURN(bool found, select.bind(1, name).step());
  if (!found) return not_found("study '" + name + "' does not exist");
  return read_study(select);
}

Result<std::vector<StudyRecord>> StudyStore::list() {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto select, db_->prepare(std::string(kSelectStudy) + "ORDER BY name"));
  std::vector<StudyRecord> out;
  while (true) {
    MAAS_ASSIGN_OR_RETURN(bool row, select.step());
    if (!row) break;
    out.push_back(read_study(select));
  }
  return out;
}

Status StudyStore::remove(const std::string& name) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto remove, db_->prepare("DELETE FROM studies WHERE name = ?"));
  MAAS_RETURN_IF_ERROR(remove.bind(1, name).run());
  if (db_->changes() == 0) return not_found("study '" + name + "' does not exist");
  return {};
}

Result<std::vector<TrialRecord>> StudyStore::trials(int64_t study_id, int64_t after, int64_t limit) {
  std::lock_guard lock(mu_);
  return trials_locked(study_id, after, limit, std::nullopt);
}

Result<TrialRecord> StudyStore::trial(int64_t study_id, int64_t number) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto found, trials_locked(study_id, -1, 0, number));
  if (found.empty()) return not_found("trial " + std::to_string(number) + " does not exist");
  return std::move(found.front());
}

Result<std::vector<TrialRecord>> StudyStore::trials_locked(int64_t study_id, int64_t after, int64_t limit,
                                                           std::optional<int64_t> number) {
  MAAS_ASSIGN_OR_RETURN(auto select, db_->prepare(std::string(kSelectTrial) +
                                                  "WHERE study_id = ? AND number > ? AND (? IS NULL OR number = ?) "
                                                  "ORDER BY number LIMIT ?"));
  select.bind(1, study_id).bind(2, after).bind_optional(3, number).bind_optional(4, number);
  select.bind(5, limit > 0 ? limit : int64_t{-1});
  std::vector<TrialRecord> out;
  while (true) {
    MAAS_ASSIGN_OR_RETURN(bool row, select.step());
    if (!row) break;
    out.push_back(read_trial(select));
  }
  return out;
}

Result<TrialRecord> StudyStore::add_trial(int64_t study_id, const nlohmann::json& params) {
  std::lock_guard lock(mu_);
  store::sqlite::Transaction tx(*db_);
  MAAS_RETURN_IF_ERROR(tx.begin());
  MAAS_ASSIGN_OR_RETURN(auto next, db_->prepare("SELECT next_number FROM studies WHERE id = ?"));
  MAAS_ASSIGN_OR_RETURN(bool found, next.bind(1, study_id).step());
  if (!found) return not_found("the study no longer exists");
  TrialRecord record;
  record.trial.number = next.column_int(0);
  record.trial.params = params;
  record.created_at_ms = record.updated_at_ms = now_unix_ms();
  MAAS_ASSIGN_OR_RETURN(auto bump, db_->prepare("UPDATE studies SET next_number = next_number + 1 WHERE id = ?"));
  MAAS_RETURN_IF_ERROR(bump.bind(1, study_id).run());
  MAAS_ASSIGN_OR_RETURN(auto insert, db_->prepare("INSERT INTO study_trials(study_id, number, state, params, "
                                                  "created_at_ms, updated_at_ms) VALUES(?, ?, ?, ?, ?, ?)"));
  MAAS_RETURN_IF_ERROR(insert.bind(1, study_id)
                           .bind(2, record.trial.number)
                           .bind(3, hpo::trial_state_name(record.trial.state))
                           .bind(4, params.dump())
                           .bind(5, record.created_at_ms)
                           .bind(6, record.updated_at_ms)
                           .run());
  MAAS_RETURN_IF_ERROR(tx.commit());
  return record;
}

Status StudyStore::update_trial(int64_t study_id, const TrialRecord& record) {
  std::lock_guard lock(mu_);
  MAAS_ASSIGN_OR_RETURN(auto update,
                        db_->prepare("UPDATE study_trials SET state = ?, objective_values = ?, intermediate = ?, "
                                     "job_id = ?, updated_at_ms = ?, finished_at_ms = ? WHERE study_id = ? AND "
                                     "number = ?"));
  MAAS_RETURN_IF_ERROR(update.bind(1, hpo::trial_state_name(record.trial.state))
                           .bind(2, nlohmann::json(record.trial.values).dump())
                           .bind(3, intermediate_json(record.trial.intermediate).dump())
                           .bind(4, record.job_id)
                           .bind(5, now_unix_ms())
                           .bind_optional(6, record.finished_at_ms)
                           .bind(7, study_id)
                           .bind(8, record.trial.number)
                           .run());
  if (db_->changes() == 0) return not_found("trial " + std::to_string(record.trial.number) + " does not exist");
  return {};
}

}  // namespace maas::studies
