#include <gtest/gtest.h>

#include "gateway/rate_limiter.h"
#include "gateway/service.h"

namespace maas::gateway {
namespace {

using nlohmann::json;

TEST(LocalRateLimiter, AdmitsTheBurstThenRefusesWithTheWaitForOneToken) {
  LocalRateLimiter limiter;
  for (int i = 0; i < 5; ++i) {
    auto d = limiter.acquire("k", 2, 5);
    ASSERT_TRUE(d.allowed) << i;
    EXPECT_EQ(d.limit, 5);
    EXPECT_EQ(d.remaining, 4 - i);
  }
  auto refused = limiter.acquire("k", 2, 5);
  EXPECT_FALSE(refused.allowed);
  EXPECT_NEAR(refused.retry_after_seconds, 0.5, 0.01);
  EXPECT_NEAR(refused.reset_seconds, 2.5, 0.01);
  EXPECT_TRUE(limiter.acquire("other", 2, 5).allowed) << "buckets are per key";
}

TEST(LocalRateLimiter, SweepForgetsOnlyFullBuckets) {
  LocalRateLimiter limiter;
  limiter.acquire("drained", 0.001, 1);
  limiter.acquire("full", 1e9, 10);
  limiter.sweep();
  EXPECT_EQ(limiter.size(), 1u);
  EXPECT_FALSE(limiter.acquire("drained", 0.001, 1).allowed);
}

TEST(LocalRateLimiter, TokenBucketsAdmitWhileNotEmptyAndChargeTheirDebtAfterwards) {
  LocalRateLimiter limiter;
  const double rate = 0.001, tpm = 100;  // barely refills during the test
  auto first = limiter.peek("t", rate, tpm);
  EXPECT_TRUE(first.allowed);
  EXPECT_EQ(first.remaining, 100) << "peek takes nothing";
  limiter.charge("t", rate, tpm, 40);
  EXPECT_EQ(limiter.peek("t", rate, tpm).remaining, 60);
  limiter.charge("t", rate, tpm, 90);  // a generation larger than what was left: 30 tokens of debt
  auto refused = limiter.peek("t", rate, tpm);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.remaining, 0);
  EXPECT_NEAR(refused.retry_after_seconds, 31 / rate, 1) << "until the debt is paid and one token is back";
  limiter.charge("t", rate, tpm, 1e9);
  EXPECT_NEAR(limiter.peek("t", rate, tpm).retry_after_seconds, 101 / rate, 1) << "debt is bounded by one burst";
}

ServiceSnapshot snapshot_of(const json& body) {
  auto spec = parse_service_spec(body);
  EXPECT_TRUE(spec.ok()) << spec.status().to_string();
  ServiceSnapshot s;
  s.spec = *spec;
  int64_t v = 1;
  for (const auto& r : spec->routes) {
    LiveRoute live{r.target, r.weight, false};
    live.target.version = v++;
    s.routes.push_back(live);
  }
  return s;
}

TEST(ServiceSnapshot, SplitsByWeightOverTheUnitInterval) {
  auto s = snapshot_of({{"name", "ab"}, {"routes", {{{"model", "m"}, {"version", 1}, {"weight", 80}},
                                                    {{"model", "m"}, {"version", 2}, {"weight", 20}}}}});
  int first = 0;
  for (int i = 0; i < 1000; ++i) first += s.pick(std::nullopt, std::nullopt, i / 1000.0)->target.version == 1;
  EXPECT_EQ(first, 800);
  EXPECT_EQ(s.pick(2, std::nullopt, 0.0)->target.version, 2) << "the override wins over the split";
  EXPECT_EQ(s.pick(9, std::nullopt, 0.0), nullptr);
}

TEST(ServiceSnapshot, StickyValuesAlwaysLandOnTheSameRouteAndSpreadOverBoth) {
  auto s = snapshot_of({{"name", "ab"}, {"sticky_header", "X-User"},
                        {"routes", {{{"model", "m"}, {"version", 1}, {"weight", 50}},
                                    {{"model", "m"}, {"version", 2}, {"weight", 50}}}}});
  EXPECT_EQ(s.spec.sticky_header, "x-user");
  int first = 0;
  for (int u = 0; u < 200; ++u) {
    std::string user = "user-" + std::to_string(u);
    auto v = s.pick(std::nullopt, user, 0.0)->target.version;
    EXPECT_EQ(s.pick(std::nullopt, user, 0.99)->target.version, v) << "the random draw must not matter";
    first += v == 1;
  }
  EXPECT_GT(first, 60);
  EXPECT_LT(first, 140);
}

TEST(ParseServiceSpec, NamesTheFieldThatIsWrong) {
  auto check = [](json body, const std::string& needle) {
    auto spec = parse_service_spec(body);
    ASSERT_FALSE(spec.ok()) << body.dump();
    EXPECT_NE(spec.status().message().find(needle), std::string::npos) << spec.status().message();
  };
  json route = {{"model", "m"}, {"version", 1}};
  check({{"routes", {route}}}, "'name' is required");
  check({{"name", "s"}}, "'routes' is required");
  check({{"name", "s"}, {"routes", {route}}, {"canary", {{"model", "m"}, {"version", 2}, {"steps", {50, 20}}}}},
        "canary.steps");
  check({{"name", "s"}, {"routes", {route}}, {"canary", {{"model", "m"}, {"steps", {5, 25}}}}}, "end at 100");
  check({{"name", "s"}, {"routes", {route}}, {"shadow", {{"model", "m"}, {"percent", 101}}}}, "shadow.percent");
  json weighted = {{"model", "m"}, {"version", 1}, {"weight", 50}};
  check({{"name", "s"}, {"routes", {weighted, weighted}}}, "repeats");
  auto ok = parse_service_spec({{"name", "s"}, {"routes", {route}}, {"rate_limit", {{"rps", 5}}}});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->routes[0].weight, 100);
  EXPECT_EQ(ok->burst, 5) << "the burst defaults to one second of the rate";
  check({{"name", "s"}, {"routes", {route}}, {"rate_limit", json::object()}}, "needs 'rps'");
  check({{"name", "s"}, {"routes", {route}}, {"rate_limit", {{"burst", 3}, {"tpm", 10}}}}, "needs 'rate_limit.rps'");
  check({{"name", "s"}, {"routes", {route}}, {"key_rate_limit", {{"tpm", 0}}}}, "key_rate_limit.tpm");
  auto tokens = parse_service_spec({{"name", "s"}, {"routes", {route}}, {"rate_limit", {{"tpm", 6000}}},
                                    {"key_rate_limit", {{"rps", 2}, {"tpm", 600}}}});
  ASSERT_TRUE(tokens.ok()) << tokens.status().to_string();
  EXPECT_EQ(tokens->rps, 0) << "a token limit alone sets no request limit";
  EXPECT_EQ(tokens->tpm, 6000);
  EXPECT_EQ(tokens->key_tpm, 600);
  auto shown = spec_json(*tokens);
  EXPECT_EQ(shown["rate_limit"], json({{"tpm", 6000}}));
  EXPECT_EQ(shown["key_rate_limit"]["tpm"], 600);
  auto again = parse_service_spec(shown);
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(again->key_tpm, 600);
}

TEST(RouteStats, CountsErrorsAndBoundsTheP99) {
  RouteStats stats;
  for (int i = 0; i < 98; ++i) stats.record(true, 0.002);
  stats.record(false, 0.2);
  stats.record(false, 0.2);
  EXPECT_EQ(stats.requests(), 100);
  EXPECT_DOUBLE_EQ(stats.error_rate(), 0.02);
  EXPECT_DOUBLE_EQ(stats.p99_seconds(), 0.25);
}

}  // namespace
}  // namespace maas::gateway
