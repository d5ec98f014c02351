#include "alerting/rule_group.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "alerting/template.h"

namespace maas::alerting {
namespace {

std::string error_of(const std::string& text) {
  auto g = parse_rule_group_text(text);
  EXPECT_FALSE(g.ok()) << text;
  return g.ok() ? "" : g.status().message();
}

TEST(RuleGroup, ReadsJsonAndYamlAlike) {
  auto yaml = parse_rule_group_text("name: g\nrules:\n  - alert: A\n    expr: up > 0\n    for: 2s\n    labels: {x: y}\n");
  ASSERT_TRUE(yaml.ok()) << yaml.status().message();
  auto json = parse_rule_group_text(R"({"name": "g", "rules": [{"alert": "A", "expr": "up > 0", "for": "2s",
                                       "labels": {"x": "y"}}]})");
  ASSERT_TRUE(json.ok()) << json.status().message();
  EXPECT_EQ(rule_group_json(*yaml), rule_group_json(*json));
  EXPECT_EQ(json->rules[0].for_ms, 2000);
  EXPECT_EQ(json->rules[0].group, "g");
}

TEST(RuleGroup, RoundTripsThroughItsJson) {
  auto g = parse_rule_group_text(R"({"name": "g", "rules": [{"alert": "A", "expr": "up > 0", "for": "1m",
                                    "keep_firing_for": "500ms", "annotations": {"s": "{{ $value }}"}}]})");
  ASSERT_TRUE(g.ok());
  auto again = parse_rule_group_text(rule_group_json(*g).dump());
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->rules[0].for_ms, 60'000);
  EXPECT_EQ(again->rules[0].keep_firing_for_ms, 500);
  EXPECT_EQ(again->rules[0].annotations.at("s"), "{{ $value }}");
}

TEST(RuleGroup, ErrorsNameTheGroupRuleAndField) {
  EXPECT_NE(error_of(R"({"rules": []})").find("name: required"), std::string::npos);
  EXPECT_NE(error_of(R"({"name": "a/b", "rules": []})").find("name:"), std::string::npos);
  EXPECT_NE(error_of(R"({"name": "g"})").find("rules: must be a list"), std::string::npos);
  std::string expr = error_of(R"j({"name": "g", "rules": [{"alert": "A", "expr": "rate(x)"}]})j");
  EXPECT_NE(expr.find("group 'g', rules[0], alert 'A': expr:"), std::string::npos) << expr;
  EXPECT_NE(error_of(R"({"name": "g", "rules": [{"alert": "A", "expr": "up > 0", "for": "x"}]})").find(": for:"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"name": "g", "rules": [{"alert": "A", "expr": "up > 0", "extra": 1}]})").find("'extra'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"name": "g", "rules": [{"record": "r", "expr": "up"}]})").find("recording"), std::string::npos);
  EXPECT_NE(error_of("name: [unclosed").find("neither JSON nor YAML"), std::string::npos);
}

TEST(RuleGroup, LimitsTheRulesOfAGroup) {
  nlohmann::json rules = nlohmann::json::array();
  for (size_t i = 0; i <= kMaxRulesPerGroup; ++i) rules.push_back({{"alert", "A"}, {"expr", "up > 0"}});
  EXPECT_NE(error_of(nlohmann::json{{"name", "g"}, {"rules", rules}}.dump()).find("at most"), std::string::npos);
}

TEST(RuleGroup, JsonBodiesAreTypedYamlIsNot) {
  const auto json = RuleSyntax::kJson;
  for (const char* wrong : {R"({"name": 7, "rules": []})", R"({"name": "g", "rules": [{"alert": "A", "expr": 1}]})",
                            R"({"name": "g", "rules": [{"alert": true, "expr": "up"}]})",
                            R"({"name": "g", "rules": [{"alert": "A", "expr": "up", "for": 5}]})",
                            R"({"name": "g", "rules": [{"alert": "A", "expr": "up", "labels": {"x": 1}}]})",
                            R"({"name": "g", "interval": 5, "rules": []})", R"({"name": "g", "limit": "5", "rules": []})"}) {
    EXPECT_FALSE(parse_rule_group_text(wrong, json).ok()) << wrong;
  }
  // YAML reads a plain scalar as a string, as Prometheus does.
  auto yaml = parse_rule_group_text("name: 7\nlimit: 5\nrules:\n  - alert: A\n    expr: 1\n    labels: {x: 1}\n");
  ASSERT_TRUE(yaml.ok()) << yaml.status().message();
  EXPECT_EQ(yaml->name, "7");
  auto typed = parse_rule_group_text(R"({"name": "g", "limit": 5, "interval": "1s", "rules": [{"alert": "A", "expr": "1"}]})", json);
  ASSERT_TRUE(typed.ok()) << typed.status().message();
  EXPECT_EQ(typed->limit, 5u);
  EXPECT_EQ(typed->interval_ms, 1000);
  EXPECT_EQ(typed->rules[0].group_interval_ms, 1000);
  EXPECT_EQ(typed->rules[0].group_limit, 5u);
}

TEST(RuleGroup, IntervalAndLimitAreCheckedAndKept) {
  EXPECT_NE(error_of(R"({"name": "g", "interval": "10ms", "rules": []})").find("interval: must be at least 100ms"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"name": "g", "limit": -1, "rules": []})").find("limit: must be a whole number"),
            std::string::npos);
  auto g = parse_rule_group_text(R"({"name": "g", "interval": "2m", "limit": 3, "rules": [{"alert": "A", "expr": "1"}]})");
  ASSERT_TRUE(g.ok()) << g.status().message();
  auto again = parse_rule_group_text(rule_group_json(*g).dump());
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->interval_ms, 120'000);
  EXPECT_EQ(again->limit, 3u);
}

TEST(Template, RendersWhatTheLookupKnowsAndLeavesTheRest) {
  auto lookup = [](std::string_view e) -> std::optional<std::string> {
    if (e == ".line") return "hello";
    return std::nullopt;
  };
  EXPECT_EQ(render_template("[{{ .line }}] {{.line}} {{ .other }} {{ unclosed", lookup),
            "[hello] hello {{ .other }} {{ unclosed");
}

TEST(Template, CheckNamesTheFieldAndTheExpression) {
  auto known = [](std::string_view e) { return e == ".line"; };
  EXPECT_TRUE(check_template("a {{ .line }} b", "template", known).ok());
  auto bad = check_template("{{ .line }} {{ exec \"rm\" }}", "template", known);
  EXPECT_EQ(bad.message(), "template: '{{ exec \"rm\" }}' is not a known field");
  EXPECT_NE(check_template("{{ .line ", "template", known).message().find("not closed"), std::string::npos);
  EXPECT_FALSE(check_template("{{}}", "template", known).ok());
}

}  // namespace
}  // namespace maas::alerting
