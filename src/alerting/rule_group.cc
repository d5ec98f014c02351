#include "alerting/rule_group.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <set>

#include <nlohmann/json.hpp>

#include "logs/logql.h"

namespace maas::alerting {
namespace {

// A string in `syntax`: any scalar in YAML; in JSON only a quoted one (yaml-cpp tags those "!", plain ones "?").
bool is_string(const YAML::Node& node, RuleSyntax syntax) {
  return node.IsScalar() && (syntax == RuleSyntax::kYaml || node.Tag() == "!");
}

Result<int64_t> duration_ms(const YAML::Node& node, const std::string& where, RuleSyntax syntax) {
  if (!node) return int64_t{0};
  if (!is_string(node, syntax)) return invalid_argument(where + ": must be a duration such as 30s or 5m");
  auto ns = logs::parse_duration_ns(node.as<std::string>());
  if (!ns.ok()) return invalid_argument(where + ": " + ns.status().message());
  return *ns / 1'000'000;
}

Result<size_t> alert_limit(const YAML::Node& node, const std::string& where, RuleSyntax syntax) {
  constexpr size_t kMaxLimit = 1'000'000;
  unsigned long long limit = 0;
  bool number = node.IsScalar() && (syntax == RuleSyntax::kYaml || node.Tag() == "?");
  if (!number || !YAML::convert<unsigned long long>::decode(node, limit) || limit > kMaxLimit) {
    return invalid_argument(where + ": must be a whole number of alerts from 0 (no limit) to " + std::to_string(kMaxLimit));
  }
  return static_cast<size_t>(limit);
}

Result<LabelMap> string_map(const YAML::Node& node, const std::string& where, RuleSyntax syntax) {
  LabelMap out;
  if (!node || node.IsNull()) return out;
  if (!node.IsMap()) return invalid_argument(where + ": must be a map of strings");
  for (const auto& kv : node) {
    if (!is_string(kv.second, syntax)) return invalid_argument(where + "." + kv.first.as<std::string>() + ": must be a string");
    out[kv.first.as<std::string>()] = kv.second.as<std::string>();
  }
  return out;
}

// Prometheus's label-name charset, which alert names share.
bool valid_alert_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxGroupNameBytes || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != ':') return false;
  }
  return true;
}

bool valid_group_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxGroupNameBytes) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return false;
  }
  return true;
}

Result<Rule> parse_rule(const YAML::Node& r, const std::string& group, const std::string& where, RuleSyntax syntax) {
  if (!r.IsMap()) return invalid_argument(where + ": must be a map");
  for (const auto& kv : r) {
    static const std::set<std::string> kFields = {"alert", "expr", "for", "keep_firing_for", "labels", "annotations"};
    std::string key = kv.first.as<std::string>();
    if (key == "record") return invalid_argument(where + ": recording rules are not supported");
    if (!kFields.count(key)) return invalid_argument(where + ": unknown field '" + key + "'");
  }
  if (!r["alert"] || !is_string(r["alert"], syntax)) return invalid_argument(where + ": alert: required (a string)");
  Rule rule;
  rule.group = group;
  rule.alert = r["alert"].as<std::string>();
  if (!valid_alert_name(rule.alert)) {
    return invalid_argument(where + ": alert: '" + rule.alert + "' is not a valid name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
  }
  std::string at = where + ", alert '" + rule.alert + "'";
  if (!r["expr"] || !is_string(r["expr"], syntax)) return invalid_argument(at + ": expr: required (a string)");
  auto expr = parse_rule_expression(r["expr"].as<std::string>());
  if (!expr.ok()) return invalid_argument(at + ": expr: " + expr.status().message());
  rule.expr = *expr;
  MAAS_ASSIGN_OR_RETURN(rule.for_ms, duration_ms(r["for"], at + ": for", syntax));
  MAAS_ASSIGN_OR_RETURN(rule.keep_firing_for_ms, duration_ms(r["keep_firing_for"], at + ": keep_firing_for", syntax));
  MAAS_ASSIGN_OR_RETURN(rule.labels, string_map(r["labels"], at + ": labels", syntax));
  MAAS_ASSIGN_OR_RETURN(rule.annotations, string_map(r["annotations"], at + ": annotations", syntax));
  return rule;
}

std::string ms_text(int64_t ms) { return std::to_string(ms) + "ms"; }

}  // namespace

Result<RuleGroup> parse_rule_group(const YAML::Node& g, const std::string& where, RuleSyntax syntax) {
  try {
    if (!g.IsMap()) return invalid_argument(where + "a rule group must be a map with 'name' and 'rules'");
    RuleGroup group;
    if (!g["name"] || !is_string(g["name"], syntax)) return invalid_argument(where + "name: required (a string)");
    group.name = g["name"].as<std::string>();
    if (!valid_group_name(group.name)) {
      return invalid_argument(where + "name: '" + group.name + "' is not a valid group name ([A-Za-z0-9_.-], 1 to " +
                              std::to_string(kMaxGroupNameBytes) + " characters)");
    }
    std::string at = where + "group '" + group.name + "'";
    for (const auto& kv : g) {
      std::string key = kv.first.as<std::string>();
      if (key != "name" && key != "rules" && key != "interval" && key != "limit") {
        return invalid_argument(at + ": unknown field '" + key + "'");
      }
    }
    if (g["interval"] && !g["interval"].IsNull()) {
      MAAS_ASSIGN_OR_RETURN(group.interval_ms, duration_ms(g["interval"], at + ": interval", syntax));
      if (group.interval_ms < kMinGroupIntervalMs) {
        return invalid_argument(at + ": interval: must be at least " + std::to_string(kMinGroupIntervalMs) + "ms");
      }
    }
    if (g["limit"] && !g["limit"].IsNull()) {
      MAAS_ASSIGN_OR_RETURN(group.limit, alert_limit(g["limit"], at + ": limit", syntax));
    }
    if (!g["rules"] || !g["rules"].IsSequence()) return invalid_argument(at + ": rules: must be a list");
    if (g["rules"].size() > kMaxRulesPerGroup) {
      return invalid_argument(at + ": rules: at most " + std::to_string(kMaxRulesPerGroup) + " rules per group");
    }
    size_t i = 0;
    for (const auto& r : g["rules"]) {
      MAAS_ASSIGN_OR_RETURN(Rule rule, parse_rule(r, group.name, at + ", rules[" + std::to_string(i++) + "]", syntax));
      rule.group_interval_ms = group.interval_ms;
      rule.group_limit = group.limit;
      group.rules.push_back(std::move(rule));
    }
    return group;
  } catch (const YAML::Exception& e) {
    return invalid_argument(where + "malformed rule group: " + std::string(e.what()));
  }
}

Result<RuleGroup> parse_rule_group_text(const std::string& text, RuleSyntax syntax) {
  YAML::Node node;
  try {
    node = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return invalid_argument("the body is neither JSON nor YAML: " + std::string(e.what()));
  }
  return parse_rule_group(node, "", syntax);
}

nlohmann::json rule_group_json(const RuleGroup& group) {
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& r : group.rules) {
    nlohmann::json one = {{"alert", r.alert}, {"expr", r.expr->text}};
    if (r.for_ms) one["for"] = ms_text(r.for_ms);
    if (r.keep_firing_for_ms) one["keep_firing_for"] = ms_text(r.keep_firing_for_ms);
    if (!r.labels.empty()) one["labels"] = r.labels;
    if (!r.annotations.empty()) one["annotations"] = r.annotations;
    rules.push_back(std::move(one));
  }
  nlohmann::json out = {{"name", group.name}, {"rules", std::move(rules)}};
  if (group.interval_ms) out["interval"] = ms_text(group.interval_ms);
  if (group.limit) out["limit"] = group.limit;
  return out;
}

}  // namespace maas::alerting
