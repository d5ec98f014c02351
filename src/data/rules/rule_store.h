// The rules' durable records: two tables of <data_dir>/metadata.db (migration 7), `rules` (a name, its description,
// the next version number) and `rule_versions` (each version's whole rule, immutable), on a connection of its own.
//
// Thread-safety: every method may be called from any thread (one connection under a mutex).
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/sqlite/database.h"

namespace maas::data::rules {

struct RuleRecord {  // NOLINT(bugprone-exception-escape): nlohmann::json members, moved, never thrown
  std::string name;
  int64_t version = 0;         // this record's version
  int64_t latest_version = 0;  // the rule's newest
  nlohmann::json spec;         // rule_to_json's form
  std::string description;
  std::string created_by;     // of this version
  int64_t created_at_ms = 0;  // of the rule
  int64_t updated_at_ms = 0;  // when its newest version was made
  int64_t version_created_at_ms = 0;
};

nlohmann::json rule_record_json(const RuleRecord& record);

class RuleStore {
 public:
  static Result<std::unique_ptr<RuleStore>> open(const std::filesystem::path& path);

  // Version 1 of a new rule; ALREADY_EXISTS when the name is taken.
  Result<RuleRecord> create(const std::string& name, const nlohmann::json& spec, const std::string& description,
                            const std::string& created_by);
  // The next version of an existing rule (the description carries over when `description` is null).
  Result<RuleRecord> add_version(const std::string& name, const nlohmann::json& spec, const std::string* description,
                                 const std::string& created_by);
  // `version` 0: the newest. NOT_FOUND naming the rule or the version.
  Result<RuleRecord> get(const std::string& name, int64_t version = 0);
  // Every version of a rule, oldest first.
  Result<std::vector<RuleRecord>> versions(const std::string& name);
  // Newest versions of the rules after `after_name`, by name, at most `limit`.
  Result<std::vector<RuleRecord>> list(const std::string& after_name, int limit);
  Status remove(const std::string& name);

 private:
  explicit RuleStore(std::unique_ptr<store::sqlite::Database> db) : db_(std::move(db)) {}
  Result<RuleRecord> get_locked(const std::string& name, int64_t version);

  std::mutex mu_;
  std::unique_ptr<store::sqlite::Database> db_;
};

}  // namespace maas::data::rules
