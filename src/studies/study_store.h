// Studies' durable records: the `studies` and `study_trials` tables of <data_dir>/metadata.db (migration 11). A
// study is its spec as created and a counter of trial numbers; a trial is its parameters, state, values,
// intermediate values and the job that ran it. Trials are written whole; numbers are never reused.
//
// Thread-safety: every method may be called from any thread (one connection under a mutex); each applies whole.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "hpo/trial.h"
#include "store/sqlite/database.h"

namespace maas::studies {

struct StudyRecord {  // NOLINT(bugprone-exception-escape): nlohmann::json member, moved, never thrown
  int64_t id = 0;
  std::string name;
  nlohmann::json spec;  // the normalized create body (study_spec.h)
  std::string created_by;
  int64_t created_at_ms = 0;
};

struct TrialRecord {  // NOLINT(bugprone-exception-escape): nlohmann::json member, moved, never thrown
  hpo::Trial trial;
  std::string job_id;  // built-in objectives: the job running the trial; empty otherwise
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  std::optional<int64_t> finished_at_ms;
};

class StudyStore {
 public:
  static Result<std::unique_ptr<StudyStore>> open(const std::filesystem::path& path);

  // ALREADY_EXISTS when the name is taken; RESOURCE_EXHAUSTED when `max_studies` exist already.
  Result<StudyRecord> create(const std::string& name, const nlohmann::json& spec, const std::string& created_by,
                             int64_t max_studies);
  Result<StudyRecord> get(const std::string& name);
  // Every study, by name.
  Result<std::vector<StudyRecord>> list();
  // The study and its trials. NOT_FOUND when there is none.
  Status remove(const std::string& name);

  // The study's trials by number; `after` and `limit` page them (every trial when limit is 0).
  Result<std::vector<TrialRecord>> trials(int64_t study_id, int64_t after = -1, int64_t limit = 0);
  Result<TrialRecord> trial(int64_t study_id, int64_t number);
  // A new running trial with the next number (its number in the record returned).
  Result<TrialRecord> add_trial(int64_t study_id, const nlohmann::json& params);
  // Writes the trial's state, values, intermediate values, job id and finish time; updated_at is now.
  Status update_trial(int64_t study_id, const TrialRecord& record);

 private:
  explicit StudyStore(std::unique_ptr<store::sqlite::Database> db) : db_(std::move(db)) {}
  Result<StudyRecord> get_locked(const std::string& name);
  Result<std::vector<TrialRecord>> trials_locked(int64_t study_id, int64_t after, int64_t limit,
                                                 std::optional<int64_t> number);

  std::mutex mu_;
  std::unique_ptr<store::sqlite::Database> db_;
};

// A trial's intermediate values as stored ([[step, value], ...]) and back.
nlohmann::json intermediate_json(const std::vector<std::pair<int64_t, double>>& intermediate);
std::vector<std::pair<int64_t, double>> intermediate_from_json(const nlohmann::json& stored);

}  // namespace maas::studies
