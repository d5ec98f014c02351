#include "runtime/deployment_config.h"

#include <gtest/gtest.h>

namespace maas::runtime {
namespace {

TEST(DeploymentConfig, ReadsTritonsBatchingControls) {
  auto c = parse_deployment_config(
      {{"instances", 2}, {"max_batch_size", 16}, {"max_queue_delay_us", 100}, {"preferred_batch_sizes", {4, 8}}});
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->instances, 2);
  EXPECT_EQ(c->max_batch_size, 16);
  EXPECT_EQ(c->preferred_batch_sizes, (std::vector<int>{4, 8}));
  EXPECT_TRUE(parse_deployment_config(nullptr).ok());
}

TEST(DeploymentConfig, RejectsBadValuesNamingTheField) {
  for (const auto& bad : {nlohmann::json{{"instances", 0}}, nlohmann::json{{"threads", "two"}},
                          nlohmann::json{{"max_batch_size", 4}, {"preferred_batch_sizes", {8}}},
                          nlohmann::json{{"colour", 1}}, nlohmann::json{{"warmup", 1}}}) {
    auto c = parse_deployment_config(bad);
    EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument) << bad.dump();
  }
}

}  // namespace
}  // namespace maas::runtime

namespace maas::runtime {
namespace {

TEST(DeploymentConfig, ReadsCircuitBreakerSettingsAndRoundTrips) {
  auto c = parse_deployment_config({{"circuit_breaker", {{"consecutive_failures", 2}, {"base_ejection_ms", 500},
                                                         {"max_ejection_percent", 100}, {"half_open_probes", 3}}}});
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  EXPECT_EQ(c->circuit_breaker.consecutive_failures, 2);
  EXPECT_EQ(c->circuit_breaker.base_ejection_ms, 500);
  EXPECT_EQ(c->circuit_breaker.max_ejection_percent, 100);
  EXPECT_EQ(c->circuit_breaker.half_open_probes, 3);
  EXPECT_EQ(c->circuit_breaker.retry_budget_percent, 20);  // the default stays
  auto again = parse_deployment_config(deployment_config_json(*c));
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(again->circuit_breaker.half_open_probes, 3);
  EXPECT_FALSE(parse_deployment_config({{"circuit_breaker", {{"max_ejection_percent", 101}}}}).ok());
  EXPECT_FALSE(parse_deployment_config({{"circuit_breaker", {{"bogus", 1}}}}).ok());
  auto share = parse_deployment_config({{"circuit_breaker", {{"failure_percentage_threshold", 30},
                                                             {"failure_percentage_request_volume", 20},
                                                             {"interval_ms", 5000}}}});
  ASSERT_TRUE(share.ok()) << share.status().message();
  EXPECT_EQ(share->circuit_breaker.failure_percentage_threshold, 30);
  EXPECT_EQ(share->circuit_breaker.failure_percentage_request_volume, 20);
  EXPECT_EQ(share->circuit_breaker.interval_ms, 5000);
  EXPECT_EQ(deployment_config_json(*share)["circuit_breaker"]["failure_percentage_threshold"], 30);
  EXPECT_FALSE(parse_deployment_config({{"circuit_breaker", {{"failure_percentage_threshold", 101}}}}).ok());
  EXPECT_FALSE(parse_deployment_config({{"circuit_breaker", {{"interval_ms", 0}}}}).ok());
  EXPECT_FALSE(parse_deployment_config({{"circuit_breaker", {{"base_ejection_ms", 5000}, {"max_ejection_ms", 10}}}}).ok());
}

}  // namespace
}  // namespace maas::runtime
