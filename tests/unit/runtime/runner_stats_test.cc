// RunnerStats: Triton's statistics and the Prometheus series of one version, counted per batch and per answered
// request; a replica's series go when it does.
#include "runtime/runner_stats.h"

#include <gtest/gtest.h>

namespace maas::runtime {
namespace {
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct StatsTest : ::testing::Test {
  metrics::Registry registry;
  RuntimeMetrics metrics{registry};
  double requests(const std::string& result) { return metrics.requests.with({"m", "3", result}).value(); }
};

TEST_F(StatsTest, ABatchCountsOnceAndEachAnsweredRequestOnce) {
  RunnerStats stats(metrics, "m", "3");
  auto t0 = Clock::now();
  RunnerStats::BatchTiming timing{t0, t0 + 1ms, t0 + 5ms, t0 + 6ms, 3};
  stats.batch_ran(timing.compute_done - timing.input_done, timing.rows);
  stats.batch_answered(timing, {{t0 - 2ms, true}, {t0 - 1ms, false}});
  ModelStats s = stats.snapshot();
  EXPECT_EQ(s.execution_count, 1u);
  EXPECT_EQ(s.inference_count, 2u);
  EXPECT_EQ(s.success.count, 1u);
  EXPECT_EQ(s.success.ns, static_cast<uint64_t>(std::chrono::nanoseconds(8ms).count()));
  EXPECT_EQ(s.fail.count, 1u);
  EXPECT_EQ(s.queue.count, 2u);
  EXPECT_EQ(s.queue.ns, static_cast<uint64_t>(std::chrono::nanoseconds(3ms).count()));
  EXPECT_EQ(s.compute_infer.ns, static_cast<uint64_t>(std::chrono::nanoseconds(4ms).count()));
  EXPECT_EQ(s.batch_stats.at(3).count, 1u);
  EXPECT_GT(s.last_inference_ms, 0);
  EXPECT_EQ(requests("success"), 1);
  EXPECT_EQ(requests("failure"), 1);
}

TEST_F(StatsTest, RefusalsRetriesAndRestartsHaveTheirOwnCounts) {
  RunnerStats stats(metrics, "m", "3");
  stats.timed_out();
  stats.rejected();
  stats.rejected();
  stats.shed();
  stats.retried();
  stats.worker_restarted();
  EXPECT_EQ(requests("timeout"), 1);
  EXPECT_EQ(requests("rejected"), 2);
  EXPECT_EQ(requests("shed"), 1);
  EXPECT_EQ(metrics.retries.with({"m", "3"}).value(), 1);
  EXPECT_EQ(metrics.worker_restarts.with({"m", "3"}).value(), 1);
  EXPECT_EQ(stats.snapshot().worker_restarts, 1u);
}

TEST_F(StatsTest, TheQueueDepthReadsZeroOnceTheVersionIsGone) {
  {
    RunnerStats stats(metrics, "m", "3");
    stats.queue_depth(7);
    EXPECT_EQ(metrics.queue_depth.with({"m", "3"}).value(), 7);
  }
  EXPECT_EQ(metrics.queue_depth.with({"m", "3"}).value(), 0);
}

TEST_F(StatsTest, AReplicasSeriesGoWithIt) {
  RunnerStats stats(metrics, "m", "3");
  stats.circuit_transition(1, CircuitState::kOpen);
  EXPECT_EQ(stats.circuit_gauge(1)->value(), 1);
  EXPECT_EQ(metrics.circuit_transitions.with({"m", "3", "1", "open"}).value(), 1);
  stats.drop_instance(1);
  size_t children = 0;
  metrics.circuit_state.each([&](const metrics::Labels&, const metrics::Gauge&) { ++children; });
  EXPECT_EQ(children, 0u);
}

}  // namespace
}  // namespace maas::runtime
