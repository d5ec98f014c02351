#include "alerting/managed_rules.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/files.h"

namespace maas::alerting {
namespace {

constexpr size_t kMaxFileBytes = 64ull << 20;

}  // namespace

Result<std::unique_ptr<ManagedRules>> ManagedRules::open(std::filesystem::path file, Engine& engine) {
  std::unique_ptr<ManagedRules> rules(new ManagedRules(std::move(file), engine));
  std::error_code ec;
  if (std::filesystem::exists(rules->file_, ec)) {
    MAAS_ASSIGN_OR_RETURN(std::string text, read_file(rules->file_, kMaxFileBytes));
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      return invalid_argument(rules->file_.string() + ": " + e.what());
    }
    if (!root["groups"] || !root["groups"].IsSequence()) {
      return invalid_argument(rules->file_.string() + ": needs a 'groups' list");
    }
    for (const auto& g : root["groups"]) {
      auto parsed = parse_rule_group(g, rules->file_.string() + ": ");
      // Refused rather than skipped: a server that starts without an alert its operators count on fails silently.
      if (!parsed.ok()) {
        return invalid_argument(parsed.status().message() + " (edit or remove that group in the file, then start again)");
      }
      RuleGroup group = std::move(*parsed);
      if (auto s = rules->check_not_file_group(group.name); !s.ok()) {
        return invalid_argument(rules->file_.string() + ": " + s.message());
      }
      rules->groups_[group.name] = std::move(group);
    }
  }
  std::vector<Rule> all;
  for (const auto& [name, g] : rules->groups_) all.insert(all.end(), g.rules.begin(), g.rules.end());
  engine.set_managed_rules(std::move(all));
  return rules;
}

Status ManagedRules::check_not_file_group(const std::string& name) const {
  const auto& files = engine_.file_groups();
  if (std::find(files.begin(), files.end(), name) != files.end()) {
    return failed_precondition("rule group '" + name +
                               "' comes from a rule file under alerting.rule_files; change it there, not through the API");
  }
  return {};
}

std::vector<RuleGroup> ManagedRules::groups() const {
  std::lock_guard lock(mu_);
  std::vector<RuleGroup> out;
  for (const auto& [name, g] : groups_) out.push_back(g);
  return out;
}

Result<RuleGroup> ManagedRules::get(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = groups_.find(name);
  if (it == groups_.end()) return not_found("rule group '" + name + "' does not exist");
  return it->second;
}

Status ManagedRules::put(RuleGroup group, bool create_only, bool* created) {
  MAAS_RETURN_IF_ERROR(check_not_file_group(group.name));
  std::lock_guard lock(mu_);
  *created = !groups_.count(group.name);
  if (!*created && create_only) {
    return already_exists("rule group '" + group.name + "' exists; PUT /api/v1/alerts/rules/" + group.name +
                          " replaces it");
  }
  if (*created && groups_.size() >= kMaxManagedGroups) {
    return resource_exhausted("at most " + std::to_string(kMaxManagedGroups) + " rule groups may be created through the API");
  }
  auto next = groups_;
  next[group.name] = std::move(group);
  return save_and_apply(std::move(next));
}

Status ManagedRules::remove(const std::string& name) {
  MAAS_RETURN_IF_ERROR(check_not_file_group(name));
  std::lock_guard lock(mu_);
  if (!groups_.count(name)) return not_found("rule group '" + name + "' does not exist");
  auto next = groups_;
  next.erase(name);
  return save_and_apply(std::move(next));
}

Status ManagedRules::save_and_apply(std::map<std::string, RuleGroup> next) {
  nlohmann::json groups = nlohmann::json::array();
  std::vector<Rule> all;
  for (const auto& [name, g] : next) {
    groups.push_back(rule_group_json(g));
    all.insert(all.end(), g.rules.begin(), g.rules.end());
  }
  // Durable first: a group the API acknowledged survives a crash; one it refused never runs.
  MAAS_RETURN_IF_ERROR(ensure_directory(file_.parent_path()));
  MAAS_RETURN_IF_ERROR(write_file_atomic(file_, nlohmann::json{{"groups", groups}}.dump(2) + "\n"));
  groups_ = std::move(next);
  engine_.set_managed_rules(std::move(all));
  return {};
}

}  // namespace maas::alerting
