// Alerting rules in Prometheus's rule-group shape, and the one validator that rule files and the rules API
// share: a group is {name, rules: [{alert, expr, for?, keep_firing_for?, labels?, annotations?}]}.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "alerting/expression.h"
#include "common/status.h"

namespace YAML {
class Node;
}

namespace maas::alerting {

struct Rule {
  std::string group;
  std::string alert;
  std::shared_ptr<RuleExpression> expr;
  int64_t for_ms = 0;
  int64_t keep_firing_for_ms = 0;
  LabelMap labels;
  LabelMap annotations;  // templates: {{ $labels.name }}, {{ $value }}
};

struct RuleGroup {
  std::string name;
  std::vector<Rule> rules;
};

constexpr size_t kMaxRulesPerGroup = 100;
constexpr size_t kMaxGroupNameBytes = 128;

// Reads one group. INVALID_ARGUMENT prefixed by `where` naming the group, the rule and the field at fault
// ("group 'g', alert 'A': expr: ..."). YAML 1.2 reads JSON, so the API's JSON bodies take the same path.
Result<RuleGroup> parse_rule_group(const YAML::Node& node, const std::string& where);
// The same from text (a JSON or YAML document), as the API receives it.
Result<RuleGroup> parse_rule_group_text(const std::string& text);

// A group back in its source shape (durations as "<n>ms"), e.g. to persist it or answer with it.
nlohmann::json rule_group_json(const RuleGroup& group);

}  // namespace maas::alerting
