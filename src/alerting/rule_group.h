// Alerting rules in Prometheus's rule-group shape, and the one validator that rule files and the rules API
// share: a group is {name, interval?, limit?, rules: [{alert, expr, for?, keep_firing_for?, labels?, annotations?}]}.
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
  // The group's, copied into each rule for the engine: 0 means alerting.evaluation_interval, and no limit.
  int64_t group_interval_ms = 0;
  size_t group_limit = 0;
};

struct RuleGroup {
  std::string name;
  int64_t interval_ms = 0;  // how often its rules are evaluated; 0: alerting.evaluation_interval
  size_t limit = 0;         // the most alerts one rule may produce (Prometheus's limit); 0: no limit
  std::vector<Rule> rules;
};

constexpr size_t kMaxRulesPerGroup = 100;
constexpr size_t kMaxGroupNameBytes = 128;
// A group's interval: a shorter one would keep the evaluating thread busy.
constexpr int64_t kMinGroupIntervalMs = 100;

// How scalars are typed. YAML 1.2 reads JSON, so the API's JSON bodies take the YAML path; but where YAML reads any
// plain scalar as a string, JSON sets strings in quotes, and a number or a bool where a string belongs is an error.
enum class RuleSyntax { kYaml, kJson };

// Reads one group. INVALID_ARGUMENT prefixed by `where` naming the group, the rule and the field at fault
// ("group 'g', alert 'A': expr: ...").
Result<RuleGroup> parse_rule_group(const YAML::Node& node, const std::string& where,
                                   RuleSyntax syntax = RuleSyntax::kYaml);
// The same from text (a JSON or YAML document), as the API receives it.
Result<RuleGroup> parse_rule_group_text(const std::string& text, RuleSyntax syntax = RuleSyntax::kYaml);

// A group back in its source shape (durations as "<n>ms"), e.g. to persist it or answer with it.
nlohmann::json rule_group_json(const RuleGroup& group);

}  // namespace maas::alerting
