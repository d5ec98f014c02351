// Validation policies' durable records: the `validation_policies` table of <data_dir>/metadata.db (migration 12),
// one normalized policy (policy.h) per model name.
//
// Thread-safety: every method may be called from any thread (one connection under a mutex).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/status.h"
#include "store/sqlite/database.h"

namespace maas::training::validation {

struct PolicyRecord {  // NOLINT(bugprone-exception-escape): nlohmann::json member, moved, never thrown
  std::string model;
  nlohmann::json policy;
  std::string updated_by;
  int64_t updated_at_ms = 0;
};

class PolicyStore {
 public:
  static Result<std::unique_ptr<PolicyStore>> open(const std::filesystem::path& path);

  // Creates or replaces the model's policy.
  Result<PolicyRecord> put(const std::string& model, const nlohmann::json& policy, const std::string& by);
  // Empty when the model has no policy.
  Result<std::optional<PolicyRecord>> find(const std::string& model);
  // NOT_FOUND when there is none.
  Status remove(const std::string& model);

 private:
  explicit PolicyStore(std::unique_ptr<store::sqlite::Database> db) : db_(std::move(db)) {}
  Result<std::optional<PolicyRecord>> find_locked(const std::string& model);

  std::mutex mu_;
  std::unique_ptr<store::sqlite::Database> db_;
};

}  // namespace maas::training::validation
