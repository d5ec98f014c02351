#include "logs/logql.h"

#include <gtest/gtest.h>

namespace maas::logs {
namespace {

TEST(LogQL, ParsesSelectorAndPipeline) {
  auto q = parse_logql(R"({app="api", env!="dev", pod=~"api-.*"} |= "error" != "timeout" |~ `code=5\d\d` | json | status >= 500 | level="error")");
  ASSERT_TRUE(q.ok()) << q.status().message();
  ASSERT_FALSE(q->is_metric);
  ASSERT_EQ(q->log.matchers.size(), 3u);
  EXPECT_EQ(q->log.matchers[2].op, MatchOp::kRegex);
  ASSERT_EQ(q->log.stages.size(), 6u);
  EXPECT_EQ(q->log.stages[1].line_op, LineOp::kNotContains);
  EXPECT_EQ(q->log.stages[2].text, "code=5\\d\\d");
  EXPECT_EQ(q->log.stages[3].kind, Stage::Kind::kJson);
  EXPECT_EQ(q->log.stages[4].field_op, FieldOp::kGreaterEq);
  EXPECT_EQ(q->log.stages[4].number, 500);
  EXPECT_TRUE(q->log.extracts_json());
}

TEST(LogQL, RegexMatchersAreAnchored) {
  auto q = parse_logql(R"({pod=~"api"})");
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->log.matchers[0].matches("api"));
  EXPECT_FALSE(q->log.matchers[0].matches("api-1"));
}

TEST(LogQL, ParsesMetricQueries) {
  auto q = parse_logql(R"(sum by (level, app) (count_over_time({app="x"} |= "a" [5m])))");
  ASSERT_TRUE(q.ok()) << q.status().message();
  ASSERT_TRUE(q->is_metric);
  EXPECT_TRUE(q->metric.aggregate);
  EXPECT_EQ(q->metric.grouping, (std::vector<std::string>{"level", "app"}));
  EXPECT_EQ(q->metric.range_ns, 300'000'000'000LL);
  auto trailing = parse_logql(R"(sum(rate({app="x"}[1m])) by (app))");
  ASSERT_TRUE(trailing.ok()) << trailing.status().message();
  EXPECT_EQ(trailing->metric.function, MetricQuery::Function::kRate);
  EXPECT_EQ(trailing->metric.grouping, std::vector<std::string>{"app"});
  EXPECT_TRUE(parse_logql(R"(count_over_time({app="x"}[1h30m]))").ok());
}

TEST(LogQL, RejectsWhatItCannotRun) {
  for (const char* bad : {"", "{}", R"({app=""})", R"({app="x")", R"({app="x"} |= )", R"({app=~"("})",
                          R"(topk(3, count_over_time({a="b"}[1m])))", R"(count_over_time({a="b"}))",
                          R"(count_over_time({a="b"}[5x]))", R"({a="b"} | status > "x")", R"({a="b"} garbage)"}) {
    auto q = parse_logql(bad);
    EXPECT_FALSE(q.ok()) << bad;
    if (!q.ok()) {
      EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument) << bad;
    }
  }
}

TEST(LogQL, Durations) {
  EXPECT_EQ(*parse_duration_ns("500ms"), 500'000'000);
  EXPECT_EQ(*parse_duration_ns("1h30m"), 5'400'000'000'000LL);
  EXPECT_FALSE(parse_duration_ns("5").ok());
  EXPECT_FALSE(parse_duration_ns("-5m").ok());
  // Each part within the bound, their sum not (a fuzz/ finding: a signed overflow).
  EXPECT_FALSE(parse_duration_ns("5000w5000w").ok());
}

}  // namespace
}  // namespace maas::logs
