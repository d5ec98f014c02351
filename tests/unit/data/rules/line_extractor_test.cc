#include "data/rules/line_extractor.h"

#include <gtest/gtest.h>

namespace maas::data::rules {
namespace {

std::unique_ptr<LineExtractor> extractor(const char* rule_json) {
  auto rule = rule_from_json(nlohmann::json::parse(rule_json), RuleLimits{});
  EXPECT_TRUE(rule.ok()) << rule.status().message();
  if (!rule.ok()) return nullptr;
  auto x = LineExtractor::make(*rule, RuleLimits{});
  EXPECT_TRUE(x.ok());
  return x.ok() ? std::move(*x) : nullptr;
}

TEST(LineExtractor, RegexGroupsBecomeTypedColumns) {
  auto x = extractor(R"j({"type": "regex", "pattern": "^(?P<user>\\w+) took (?P<ms>\\d+)ms(?: ok=(?P<ok>\\w+))?$",
                         "columns": [{"name": "ms", "type": "int"}, {"name": "ok", "type": "bool"}]})j");
  ASSERT_TRUE(x);
  ASSERT_EQ(x->columns().size(), 3u);
  EXPECT_EQ(x->columns()[1].duckdb_type(), "BIGINT");
  auto e = x->extract("ann took 12ms ok=true");
  ASSERT_TRUE(e.ok) << e.message;
  EXPECT_EQ(e.row, nlohmann::json::parse(R"j(["ann", 12, true])j"));
  e = x->extract("bob took 7ms");
  ASSERT_TRUE(e.ok);
  EXPECT_EQ(e.row, nlohmann::json::parse(R"j(["bob", 7, null])j"));
  e = x->extract("bob took many ms");
  EXPECT_EQ(e.error_type, "NO_MATCH");
  e = x->extract("bob took 7ms ok=perhaps");
  EXPECT_EQ(e.error_type, "CAST");
  EXPECT_EQ(e.column, "ok");
}

TEST(LineExtractor, GrokParsesACombinedAccessLog) {
  auto x = extractor(R"j({"type": "grok", "pattern": "^%{COMBINEDAPACHELOG}$",
                         "columns": [{"name": "timestamp", "type": "timestamp", "format": "%d/%b/%Y:%H:%M:%S %z"},
                                     {"name": "bytes", "type": "int", "nullable": true}]})j");
  ASSERT_TRUE(x);
  auto e = x->extract(
      R"j(127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://x.example/" "Mozilla/4.08")j");
  ASSERT_TRUE(e.ok) << e.message;
  std::map<std::string, nlohmann::json> row;
  for (size_t i = 0; i < x->columns().size(); ++i) row[x->columns()[i].name] = e.row[i];
  EXPECT_EQ(row["clientip"], "127.0.0.1");
  EXPECT_EQ(row["timestamp"], "2000-10-10 20:55:36.000000");
  EXPECT_EQ(row["response"], 200);
  EXPECT_EQ(row["bytes"], 2326);
  EXPECT_EQ(row["verb"], "GET");
  EXPECT_EQ(row["request"], "/apache_pb.gif");
}

TEST(LineExtractor, JsonPathsOverJsonLines) {
  auto x = extractor(R"j({"type": "jsonpath", "columns": [
      {"name": "user", "path": "$.user.id", "type": "int"},
      {"name": "tags", "path": "$.tags[*]"},
      {"name": "first", "path": "$.items[0].price", "type": "float"}]})j");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->columns()[1].duckdb_type(), "VARCHAR[]");
  auto e = x->extract(R"j({"user": {"id": "17"}, "tags": ["a", "b"], "items": [{"price": 2.5}]})j");
  ASSERT_TRUE(e.ok) << e.message;
  EXPECT_EQ(e.row, nlohmann::json::parse(R"j([17, ["a", "b"], 2.5])j"));
  e = x->extract(R"j({"user": {}})j");
  ASSERT_TRUE(e.ok);
  EXPECT_EQ(e.row, nlohmann::json::parse(R"j([null, [], null])j"));
  EXPECT_EQ(x->extract("[1]").error_type, "NOT_JSON");
  EXPECT_EQ(x->extract("{oops").error_type, "NOT_JSON");
  EXPECT_EQ(x->extract(R"j({"user": {"id": "x"}})j").error_type, "CAST");
}

TEST(LineExtractor, BadRulesAreClearErrors) {
  auto message = [](const char* j) {
    auto r = rule_from_json(nlohmann::json::parse(j), RuleLimits{});
    return r.ok() ? std::string("ok") : r.status().message();
  };
  EXPECT_NE(message(R"j({"type": "regex", "pattern": "(?P<a>[a-"})j").find("not valid RE2"), std::string::npos);
  EXPECT_NE(message(R"j({"type": "regex", "pattern": "(?<=a)(?P<b>b)"})j").find("not valid RE2"), std::string::npos);
  EXPECT_NE(message(R"j({"type": "regex", "pattern": "abc"})j").find("no named group"), std::string::npos);
  EXPECT_NE(message(R"j({"type": "regex", "pattern": "(?P<a>x)", "columns": [{"name": "b"}]})j").find("'b'"),
            std::string::npos);
  EXPECT_NE(message(R"j({"type": "grok", "pattern": "%{NOPE:a}"})j").find("unknown pattern"), std::string::npos);
  EXPECT_NE(message(R"j({"type": "jsonpath", "columns": [{"name": "a", "path": "$..a"}]})j").find("JSON path"),
            std::string::npos);
  EXPECT_NE(message(R"j({"type": "regex", "pattern": "(?P<a>x)", "columns": [{"name": "a", "type": "money"}]})j")
                .find("unknown column type"),
            std::string::npos);
  EXPECT_NE(message(R"j({"type": "regex", "pattern": "(?P<a>x)", "extra": 1})j").find("unknown field"),
            std::string::npos);
  EXPECT_NE(message(R"j({"type": "awk"})j").find("regex, grok, jsonpath or sql"), std::string::npos);
  RuleLimits tight;
  tight.regex_max_mem_bytes = 1 << 10;
  auto big =
      rule_from_json(nlohmann::json::parse(R"j({"type": "regex", "pattern": "(?P<a>\\w{1000}){1000}"})j"), tight);
  EXPECT_FALSE(big.ok());
}

TEST(LineExtractor, DiscoveredRulesAreValidInput) {
  auto x = extractor(R"j({"type": "regex",
    "pattern": "^\\s*(?P<timestamp>\\d{4}\\-\\d{2}\\-\\d{2})[:,]?\\s+(?P<level>\\S+)\\s+Received\\s+block\\s+blk_(?P<blk>[-+]?\\d+)\\s*$",
    "columns": [{"name": "timestamp", "type": "timestamp", "format": "%Y-%m-%d"}, {"name": "level", "type": "string"},
                {"name": "blk", "type": "int64", "semantic": "id", "nullable": false}]})j");
  ASSERT_TRUE(x);
  auto e = x->extract("2026-12-07 INFO Received block blk_-42");
  ASSERT_TRUE(e.ok) << e.message;
  EXPECT_EQ(e.row, nlohmann::json::parse(R"j(["2026-12-07 00:00:00.000000", "INFO", -42])j"));
}

}  // namespace
}  // namespace maas::data::rules
