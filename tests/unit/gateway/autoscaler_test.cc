#include <gtest/gtest.h>

#include "gateway/autoscaler.h"
#include "gateway/service.h"

namespace maas::gateway {
namespace {

using nlohmann::json;
using Clock = Autoscaler::Clock;

// A fake clock: observations of one second each, fed in order, as the controller's readings would be.
class Feed {
 public:
  explicit Feed(AutoscalingSpec spec) : scaler_(spec, t0_) {}
  // `seconds` one-second observations of `load`, then a decision against `current` (all of them ready).
  ScaleDecision run(double load, int seconds, int current) {
    for (int i = 0; i < seconds; ++i) {
      scaler_.observe(now_, now_ + std::chrono::seconds(1), load);
      now_ += std::chrono::seconds(1);
    }
    return scaler_.decide(now_, current, current);
  }

 private:
  Clock::time_point t0_ = Clock::time_point() + std::chrono::hours(1);
  Clock::time_point now_ = t0_;
  Autoscaler scaler_;
};

AutoscalingSpec spec(int min, int max, double target) {
  AutoscalingSpec s;
  s.min_replicas = min;
  s.max_replicas = max;
  s.target = target;
  s.stable_window_s = 60;
  s.panic_window_s = 6;
  s.scale_to_zero_grace_s = 30;
  return s;
}

TEST(Autoscaler, FollowsTheStableAverageBelowThePanicThreshold) {
  Feed feed(spec(1, 10, 2));
  auto d = feed.run(3, 60, 1);  // 150% of one replica's target: not a panic, but the stable average wants 2
  EXPECT_FALSE(d.panic);
  EXPECT_EQ(d.desired, 2);
  EXPECT_DOUBLE_EQ(d.stable_average, 3);
}

TEST(Autoscaler, PanicsOnABurstAndScalesUpAtOnce) {
  Feed feed(spec(1, 10, 2));
  EXPECT_EQ(feed.run(0, 60, 1).desired, 1);
  // Six seconds of 8 concurrent requests: the panic window (6 s) sees 8, four times one replica's target; the
  // stable window sees only 0.8.
  auto d = feed.run(8, 6, 1);
  EXPECT_TRUE(d.panic);
  EXPECT_EQ(d.desired, 4);
  EXPECT_NEAR(d.stable_average, 0.8, 1e-9);
  EXPECT_DOUBLE_EQ(d.panic_average, 8);
}

TEST(Autoscaler, NeverScalesDownWhilePanickingThenComesDownAfterTheStableWindow) {
  Feed feed(spec(1, 10, 2));
  feed.run(0, 60, 1);
  ASSERT_EQ(feed.run(8, 6, 1).desired, 4);
  // The burst ends: still panicking (the condition held less than a stable window ago), so no scale-down.
  auto d = feed.run(0, 30, 4);
  EXPECT_TRUE(d.panic);
  EXPECT_EQ(d.desired, 4);
  // A stable window after the panic condition last held, it ends; the stable average (the burst has left it)
  // decides, at most halving per step (max_scale_down_rate 2), down to min_replicas.
  d = feed.run(0, 30, 4);
  EXPECT_FALSE(d.panic);
  EXPECT_EQ(d.desired, 2);
  EXPECT_EQ(feed.run(0, 1, 2).desired, 1);
}

TEST(Autoscaler, StaysWithinMinAndMaxAndTheScaleUpRate) {
  auto s = spec(2, 3, 1);
  Feed capped(s);
  auto d = capped.run(50, 6, 2);
  EXPECT_EQ(d.desired, 3);
  EXPECT_NE(d.why.find("max_replicas"), std::string::npos) << d.why;
  s.max_replicas = 64;
  s.max_scale_up_rate = 2;
  Feed rated(s);
  EXPECT_EQ(rated.run(50, 6, 2).desired, 4) << "at most twice the ready replicas in one step";
  Feed idle(spec(2, 3, 1));
  EXPECT_EQ(idle.run(0, 120, 2).desired, 2);
}

TEST(Autoscaler, DoesNotScaleDownBeforeOneStableWindowIsObserved) {
  Feed feed(spec(1, 10, 1));
  auto d = feed.run(0, 10, 4);
  EXPECT_EQ(d.desired, 4);
  EXPECT_EQ(feed.run(0, 50, 4).desired, 2);
}

TEST(Autoscaler, ScalesToZeroOnlyAfterTheStableWindowAndTheGracePeriod) {
  auto s = spec(0, 4, 1);
  s.stable_window_s = 10;
  s.panic_window_s = 1;
  s.scale_to_zero_grace_s = 30;
  Feed feed(s);
  EXPECT_EQ(feed.run(1, 5, 1).desired, 1);
  auto d = feed.run(0, 15, 1);  // the stable window is idle, the grace period is not over
  EXPECT_EQ(d.desired, 1);
  EXPECT_NE(d.why.find("grace"), std::string::npos) << d.why;
  d = feed.run(0, 15, 1);
  EXPECT_EQ(d.desired, 0);
  EXPECT_EQ(feed.run(0, 5, 0).desired, 0) << "stays at zero while idle";
  // A cold start (the runner's) puts one replica back; with load it stays.
  EXPECT_EQ(feed.run(1, 2, 1).desired, 1);
}

TEST(Autoscaler, WithMinReplicasNeverGoesBelowThem) {
  auto s = spec(1, 4, 1);
  s.scale_to_zero_grace_s = 0;
  Feed feed(s);
  EXPECT_EQ(feed.run(0, 200, 1).desired, 1);
}

TEST(ParseAutoscaling, DefaultsAndNamedErrors) {
  json route = {{"model", "m"}, {"version", 1}};
  auto parsed = parse_service_spec({{"name", "s"}, {"routes", {route}}, {"autoscaling", json::object()}});
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  const auto& a = *parsed->autoscaling;
  EXPECT_EQ(a.min_replicas, 1);
  EXPECT_EQ(a.max_replicas, 4);
  EXPECT_EQ(a.metric, "concurrency");
  EXPECT_DOUBLE_EQ(a.stable_window_s, 60);
  EXPECT_DOUBLE_EQ(a.panic_window_s, 6);
  EXPECT_DOUBLE_EQ(a.panic_threshold_percent, 200);
  parsed = parse_service_spec({{"name", "s"}, {"routes", {route}},
                               {"autoscaling", {{"stable_window_s", 4}, {"min_replicas", 0}}}});
  ASSERT_TRUE(parsed.ok());
  EXPECT_DOUBLE_EQ(parsed->autoscaling->panic_window_s, 0.4) << "10% of the stable window";
  EXPECT_EQ(spec_json(*parsed)["autoscaling"]["min_replicas"], 0);

  auto check = [&](json autoscaling, const std::string& needle) {
    auto spec = parse_service_spec({{"name", "s"}, {"routes", {route}}, {"autoscaling", autoscaling}});
    ASSERT_FALSE(spec.ok()) << autoscaling.dump();
    EXPECT_NE(spec.status().message().find(needle), std::string::npos) << spec.status().message();
  };
  check({{"min_replicas", 3}, {"max_replicas", 2}}, "at least min_replicas");
  check({{"max_replicas", 65}}, "autoscaling.max_replicas");
  check({{"min_replicas", 1.5}}, "whole number");
  check({{"target", {{"metric", "rps"}}}}, "autoscaling.target.metric");
  check({{"target", {{"value", 0}}}}, "autoscaling.target.value");
  check({{"stable_window_s", 10}, {"panic_window_s", 20}}, "autoscaling.panic_window_s");
  check({{"stable_window_s", 0.5}}, "autoscaling.stable_window_s");
  check({{"scale_to_zero", true}}, "unknown field 'autoscaling.scale_to_zero'");
  check(json::array(), "'autoscaling' must be an object");
}

}  // namespace
}  // namespace maas::gateway
