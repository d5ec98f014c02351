// Retraining's durable records in <data_dir>/metadata.db (migration 13): one policy per model with the triggers'
// bookkeeping (what was last seen of its schedule, alert and dataset), and the runs policies started, each one
// JSON record (steps, job ids, outcome) so that a restarted maasd finds every run where it was.
//
// Thread-safety: every method may be called from any thread (one connection under a mutex).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/sqlite/database.h"

namespace maas::training::retrain {

struct PolicyRow {  // NOLINT(bugprone-exception-escape): nlohmann::json members, moved, never thrown
  std::string model;
  nlohmann::json policy;
  nlohmann::json trigger_state = nlohmann::json::object();
  std::string updated_by;
  int64_t updated_at_ms = 0;
};

class RunStore {
 public:
  static Result<std::unique_ptr<RunStore>> open(const std::filesystem::path& path);

  // Creates or replaces the model's policy (and resets its trigger state to `trigger_state`).
  Result<PolicyRow> put_policy(const std::string& model, const nlohmann::json& policy,
                               const nlohmann::json& trigger_state, const std::string& by);
  Status set_trigger_state(const std::string& model, const nlohmann::json& trigger_state);
  Result<std::optional<PolicyRow>> find_policy(const std::string& model);
  Result<std::vector<PolicyRow>> policies();
  Result<int64_t> count_policies();
  // NOT_FOUND when there is none.
  Status remove_policy(const std::string& model);

  // A run's record has at least {id, model, finished: bool}.
  Status create_run(const nlohmann::json& run);
  Status update_run(const nlohmann::json& run);
  // Newest first.
  Result<std::vector<nlohmann::json>> runs(const std::string& model, int limit);
  Result<std::optional<nlohmann::json>> run(const std::string& model, const std::string& id);
  Result<std::vector<nlohmann::json>> unfinished_runs();
  // Deletes the model's finished runs beyond the newest `keep`.
  Status prune(const std::string& model, int keep);

 private:
  explicit RunStore(std::unique_ptr<store::sqlite::Database> db) : db_(std::move(db)) {}
  Result<std::optional<PolicyRow>> find_locked(const std::string& model);
  Result<std::vector<nlohmann::json>> select_runs(const std::string& sql, const std::string& model, int limit);

  std::mutex mu_;
  std::unique_ptr<store::sqlite::Database> db_;
};

}  // namespace maas::training::retrain
