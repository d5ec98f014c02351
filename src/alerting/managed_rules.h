// Rule groups created through the API: validated like the rule files' (parse_rule_group), kept durably in one
// JSON file under the data dir (<data_dir>/alerting/rules.json, replaced atomically: temp file, fsync, rename),
// which is itself a Prometheus rule file, and handed to the engine, which evaluates them beside the files'.
//
// Thread-safety: every method may be called from any thread; writes are serialized. put() and remove() block on
// disk (fsync): call them off the I/O threads.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "alerting/engine.h"
#include "alerting/rule_group.h"

namespace maas::alerting {

constexpr size_t kMaxManagedGroups = 256;

class ManagedRules {
 public:
  // Reads `file` (absent: no groups) and gives its rules to `engine`. INVALID_ARGUMENT when the file holds a group
  // that no longer validates or that a rule file now defines.
  static Result<std::unique_ptr<ManagedRules>> open(std::filesystem::path file, Engine& engine);

  std::vector<RuleGroup> groups() const;
  Result<RuleGroup> get(const std::string& name) const;
  // Stores `group` and makes it live. With `create_only`, ALREADY_EXISTS when the name is taken. A name that a
  // rule file defines: FAILED_PRECONDITION (those change by editing the file). RESOURCE_EXHAUSTED past the limit.
  // `*created` says whether the group is new.
  Status put(RuleGroup group, bool create_only, bool* created);
  // NOT_FOUND, or FAILED_PRECONDITION for a file's group.
  Status remove(const std::string& name);

 private:
  ManagedRules(std::filesystem::path file, Engine& engine) : file_(std::move(file)), engine_(engine) {}
  Status check_not_file_group(const std::string& name) const;
  Status save_and_apply(std::map<std::string, RuleGroup> next);  // holds mu_

  const std::filesystem::path file_;
  Engine& engine_;
  mutable std::mutex mu_;
  std::map<std::string, RuleGroup> groups_;
};

}  // namespace maas::alerting
