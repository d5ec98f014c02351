#include "data/discovery/rule.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include "data/discovery/discover.h"

namespace maas::data::discovery {
namespace {

// Applies a rule to a line: the values of its columns, or nothing when it does not match.
std::optional<std::vector<std::string>> extract(const Rule& rule, std::string_view line) {
  RE2 re(rule.pattern);
  EXPECT_TRUE(re.ok()) << re.error();
  size_t n = rule.columns.size();
  EXPECT_EQ(static_cast<size_t>(re.NumberOfCapturingGroups()), n);
  std::vector<re2::StringPiece> values(n);
  std::vector<RE2::Arg> args(n);
  std::vector<const RE2::Arg*> pointers(n);
  for (size_t i = 0; i < n; ++i) {
    args[i] = &values[i];
    pointers[i] = &args[i];
  }
  if (!RE2::FullMatchN(re2::StringPiece(line.data(), line.size()), re, pointers.data(), static_cast<int>(n))) return std::nullopt;
  std::vector<std::string> out;
  for (auto& v : values) out.emplace_back(v.data(), v.size());
  return out;
}

TEST(Rule, ExtractsHeaderFieldsAndTypedParameters) {
  std::vector<std::string> lines;
  for (int i = 0; i < 20; ++i)
    lines.push_back("2015-10-18 18:01:4" + std::to_string(i % 10) + ",978 INFO [main] org.apache.App: Progress of attempt_14451_0020_m_00000" +
                    std::to_string(i % 10) + "_0 is : 0." + std::to_string(1000 + i) + " took " + std::to_string(i) + "ms");
  std::vector<std::string_view> views(lines.begin(), lines.end());
  Discovery d = discover(views);
  ASSERT_EQ(d.templates.size(), 1u);
  const Rule& rule = d.templates[0].rule;
  auto values = extract(rule, lines[3]);
  ASSERT_TRUE(values.has_value()) << rule.pattern;
  std::map<std::string, std::pair<std::string, std::string>> by_name;
  for (size_t i = 0; i < rule.columns.size(); ++i) by_name[rule.columns[i].name] = {rule.columns[i].type, (*values)[i]};
  EXPECT_EQ(by_name["timestamp"], std::make_pair(std::string("timestamp"), std::string("2015-10-18")));
  EXPECT_EQ(by_name["level"].second, "INFO");
  EXPECT_EQ(by_name["component"].second, "org.apache.App");
  EXPECT_EQ(by_name["attempt"].second, "14451_0020_m_000003_0");
  EXPECT_EQ(by_name["p1"], std::make_pair(std::string("float64"), std::string("0.1003")));
  EXPECT_EQ(by_name["took"], std::make_pair(std::string("string"), std::string("3ms")));
  for (size_t i = 0; i < rule.columns.size(); ++i) EXPECT_TRUE(fits_column((*values)[i], rule.columns[i])) << rule.columns[i].name;
}

TEST(Rule, JsonShape) {
  Rule rule;
  rule.pattern = "^(?P<when>\\d{2}:\\d{2})$";
  rule.columns.push_back(Column{"when", "timestamp", "%H:%M", "", false});
  rule.columns.push_back(Column{"who", "string", "", "ip", true});
  nlohmann::json j = rule_to_json(rule);
  EXPECT_EQ(j["type"], "regex");
  EXPECT_EQ(j["columns"][0], (nlohmann::json{{"name", "when"}, {"type", "timestamp"}, {"format", "%H:%M"}}));
  EXPECT_EQ(j["columns"][1], (nlohmann::json{{"name", "who"}, {"type", "string"}, {"semantic", "ip"}, {"nullable", true}}));
}

TEST(Rule, FitsColumnChecksTheType) {
  EXPECT_TRUE(fits_column("-42", Column{"a", "int64", "", "", false}));
  EXPECT_FALSE(fits_column("4.2", Column{"a", "int64", "", "", false}));
  EXPECT_FALSE(fits_column("99999999999999999999", Column{"a", "int64", "", "", false}));
  EXPECT_TRUE(fits_column("4.2e3", Column{"a", "float64", "", "", false}));
  EXPECT_TRUE(fits_column("18:01:47", Column{"a", "timestamp", "%H:%M:%S", "", false}));
  EXPECT_FALSE(fits_column("25:01:47", Column{"a", "timestamp", "%H:%M:%S", "", false}));
  EXPECT_TRUE(fits_column("-", Column{"a", "int64", "", "", true}));
  EXPECT_TRUE(fits_column("anything", Column{"a", "string", "", "", false}));
}

TEST(Rule, VariableLengthRunsMatchEveryLength) {
  std::vector<std::string> lines;
  for (int i = 0; i < 30; ++i) {
    std::string targets;
    for (int k = 0; k <= i % 3; ++k) targets += " 10.251.7." + std::to_string(k) + ":50010";
    lines.push_back("ask 10.250.14.38:50010 to replicate blk_" + std::to_string(i) + " to datanode(s)" + targets);
  }
  std::vector<std::string_view> views(lines.begin(), lines.end());
  Discovery d = discover(views);
  ASSERT_EQ(d.templates.size(), 1u);
  for (const auto& line : lines) EXPECT_TRUE(extract(d.templates[0].rule, line).has_value()) << line;
}

}  // namespace
}  // namespace maas::data::discovery
