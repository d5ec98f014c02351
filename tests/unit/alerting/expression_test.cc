#include "alerting/expression.h"

#include <gtest/gtest.h>

#include "alerting/engine.h"
#include "alerting/metric_history.h"

namespace maas::alerting {
namespace {

metrics::Sample sample(std::string name, std::vector<std::pair<std::string, std::string>> labels, double v) {
  return {std::move(name), std::move(labels), v};
}

Vector eval(const MetricHistory& h, const std::string& text) {
  auto e = parse_rule_expression(text);
  EXPECT_TRUE(e.ok()) << e.status().message();
  if (!e.ok() || !e.value()->metric) return {};
  auto v = h.evaluate(*e.value()->metric);
  EXPECT_TRUE(v.ok()) << v.status().message();
  Vector out = v.ok() ? *v : Vector{};
  if (e.value()->comparison) std::erase_if(out, [&](const auto& s) { return !e.value()->comparison->passes(s.value); });
  return out;
}

TEST(AlertExpression, ErrorRatioBySum) {
  MetricHistory h(60'000);
  h.add(0, {sample("req_total", {{"svc", "a"}, {"code", "200"}}, 0), sample("req_total", {{"svc", "a"}, {"code", "500"}}, 0)});
  h.add(10'000, {sample("req_total", {{"svc", "a"}, {"code", "200"}}, 90), sample("req_total", {{"svc", "a"}, {"code", "500"}}, 10)});
  auto v = eval(h, R"(sum by (svc) (rate(req_total{code=~"5.."}[1m])) / sum by (svc) (rate(req_total[1m])) > 0.05)");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].labels, (LabelMap{{"svc", "a"}}));
  EXPECT_DOUBLE_EQ(v[0].value, 0.1);
  EXPECT_TRUE(eval(h, R"(sum(rate(req_total{code="500"}[1m])) > 2)").empty());
}

TEST(AlertExpression, RateCountsResetsAndNeedsTwoPoints) {
  MetricHistory h(60'000);
  h.add(0, {sample("c_total", {}, 5)});
  EXPECT_TRUE(eval(h, "rate(c_total[1m])").empty());
  h.add(1000, {sample("c_total", {}, 8)});
  h.add(2000, {sample("c_total", {}, 2)});  // the process restarted
  auto v = eval(h, "rate(c_total[1m])");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_DOUBLE_EQ(v[0].value, (3 + 2) / 2.0);
}

TEST(AlertExpression, HistogramQuantileInterpolates) {
  MetricHistory h(60'000);
  auto buckets = [](double a, double b, double inf) {
    return std::vector<metrics::Sample>{sample("d_bucket", {{"le", "0.1"}}, a), sample("d_bucket", {{"le", "1"}}, b),
                                        sample("d_bucket", {{"le", "+Inf"}}, inf)};
  };
  h.add(0, buckets(0, 0, 0));
  h.add(1000, buckets(50, 100, 100));
  auto v = eval(h, "histogram_quantile(0.75, sum by (le) (rate(d_bucket[1m])))");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NEAR(v[0].value, 0.1 + 0.9 * 0.5, 1e-9);
}

TEST(AlertExpression, LogQueriesAreRecognised) {
  auto e = parse_rule_expression(R"(sum by (app) (count_over_time({app="x"} |= "error" [1m])) >= 3)");
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_TRUE((*e)->log_query.has_value());
  EXPECT_EQ((*e)->comparison->op, ">=");
}

TEST(AlertExpression, RejectsWhatItCannotEvaluate) {
  for (const char* bad : {"", "rate(x)", "sum(", "x > y", "histogram_quantile(x, y)", "x{a=~\"(\"}", "topk(3, x)"}) {
    EXPECT_FALSE(parse_rule_expression(bad).ok()) << bad;
  }
}

TEST(AlertExpression, BoundsTheTextSize) {
  std::string sum = "1";
  while (sum.size() + 2 <= kMaxExpressionBytes) sum += "+1";
  // The size is checked first: a long chain is refused for its bytes, before any tree is built.
  auto e = parse_rule_expression(sum + "+1");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(e.status().message().find("at most 4096 are accepted"), std::string::npos) << e.status().message();
  // 40,000 terms (80 KB): what once overflowed the evaluator's stack.
  std::string huge = "1";
  for (int i = 1; i < 40'000; ++i) huge += "+1";
  EXPECT_FALSE(parse_rule_expression(huge).ok());
}

TEST(AlertExpression, BoundsTheTreeDepth) {
  auto chain = [](size_t terms) {
    std::string text = "x";
    for (size_t i = 1; i < terms; ++i) text += " + x";
    return text;
  };
  // n terms of a left-deep chain make a tree n levels deep (n - 1 operators over the last leaf).
  MetricHistory h(60'000);
  h.add(0, {sample("x", {}, 1)});
  auto at_limit = parse_rule_expression(chain(kMaxExpressionDepth));
  ASSERT_TRUE(at_limit.ok()) << at_limit.status().message();
  auto v = h.evaluate(*(*at_limit)->metric);
  ASSERT_TRUE(v.ok()) << v.status().message();
  ASSERT_EQ(v->size(), 1u);
  EXPECT_EQ((*v)[0].value, static_cast<double>(kMaxExpressionDepth));
  for (std::string deep : {chain(kMaxExpressionDepth + 1), std::string(65, '(') + "x" + std::string(65, ')'),
                           "sum(" + chain(kMaxExpressionDepth) + ")"}) {
    auto e = parse_rule_expression(deep);
    ASSERT_FALSE(e.ok()) << deep;
    EXPECT_NE(e.status().message().find("nested deeper than 64 levels"), std::string::npos) << e.status().message();
  }
}

TEST(AlertExpression, EvaluationRefusesATreeDeeperThanTheLimit) {
  // Only the parser bounds trees; one built by hand still may not take evaluation deeper than the limit.
  auto root = std::make_unique<Expr>();
  Expr* node = root.get();
  for (size_t i = 0; i < kMaxExpressionDepth; ++i) {
    node->kind = Expr::Kind::kSum;
    node->lhs = std::make_unique<Expr>();
    node = node->lhs.get();
  }
  MetricHistory h(60'000);
  h.add(0, {sample("x", {}, 1)});
  auto v = h.evaluate(*root);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("nested deeper than 64 levels"), std::string::npos) << v.status().message();
}

TEST(AlertTemplate, ExpandsLabelsAndValue) {
  EXPECT_EQ(expand_template("{{ $labels.svc }} at {{$value}} ({{ .Other }})", {{"svc", "a"}}, 0.25),
            "a at 0.25 ({{ .Other }})");
}

}  // namespace
}  // namespace maas::alerting
