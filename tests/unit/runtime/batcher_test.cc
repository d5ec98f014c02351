// choose_batch: the head is the oldest request of the highest priority a replica may run; compatible requests join
// up to max_batch_size rows; a batch is cut when full, at a preferred size or when more wait than fit, and
// otherwise waits for max_queue_delay_us.
#include "runtime/batcher.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

namespace maas::runtime {
namespace {
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Kind = BatchChoice::Kind;

struct BatcherTest : ::testing::Test {
  RequestQueue::Item add(int priority, int64_t rows = 1, std::string key = "k", int avoid = -1) {
    auto r = std::make_shared<QueuedRequest>(io.get_executor());
    r->priority = priority;
    r->rows = rows;
    r->key = std::move(key);
    r->avoid_instance = avoid;
    r->enqueued = t0;
    r->deadline = Clock::time_point::max();
    RequestQueue::Item shed;
    queue.push(r, &shed);
    return r;
  }
  DeploymentConfig config(int max_batch_size, int64_t delay_us = 0, std::vector<int> preferred = {}) {
    DeploymentConfig c;
    c.max_batch_size = max_batch_size;
    c.max_queue_delay_us = delay_us;
    c.preferred_batch_sizes = std::move(preferred);
    return c;
  }
  boost::asio::io_context io;
  RequestQueue queue{100};
  Clock::time_point t0 = Clock::now();
};

TEST_F(BatcherTest, TheHeadIsTheOldestOfTheHighestPriorityThatMayRunOnTheReplica) {
  auto low = add(9);
  auto retry = add(1, 1, "k", /*avoid=*/0);
  auto high = add(2);
  auto choice = choose_batch(queue, 0, config(1), /*batching=*/false, SIZE_MAX, t0);
  EXPECT_EQ(choice.kind, Kind::kBatch);
  EXPECT_EQ(choice.requests, (std::vector<RequestQueue::Item>{high}));
  // Replica 1 may take the retry that replica 0 failed.
  EXPECT_EQ(choose_batch(queue, 1, config(1), false, SIZE_MAX, t0).requests, (std::vector<RequestQueue::Item>{retry}));
  (void)low;
}

TEST_F(BatcherTest, NothingForAReplicaThatOnlyRetriesMustAvoid) {
  add(5, 1, "k", /*avoid=*/3);
  EXPECT_EQ(choose_batch(queue, 3, config(8), true, SIZE_MAX, t0).kind, Kind::kNone);
}

TEST_F(BatcherTest, CompatibleRequestsJoinUpToMaxBatchSizeRowsAndMoreWaitingCutsAtOnce) {
  auto a = add(5, 2), b = add(5, 3), other = add(5, 1, "other"), c = add(5, 4);
  auto choice = choose_batch(queue, 0, config(6, /*delay_us=*/1'000'000), true, SIZE_MAX, t0);
  // a (2) + b (3) fit in 6; c (4) does not: it waits, so the batch goes now rather than after the delay.
  EXPECT_EQ(choice.kind, Kind::kBatch);
  EXPECT_EQ(choice.requests, (std::vector<RequestQueue::Item>{a, b}));
  (void)other;
  (void)c;
}

TEST_F(BatcherTest, AnUnfilledBatchWaitsForTheDelayThenGoes) {
  auto a = add(5, 1), b = add(5, 1);
  auto waiting = choose_batch(queue, 0, config(8, 500), true, SIZE_MAX, t0 + 100us);
  EXPECT_EQ(waiting.kind, Kind::kWait);
  EXPECT_EQ(waiting.ready_at, t0 + 500us);
  EXPECT_TRUE(waiting.requests.empty());
  auto ready = choose_batch(queue, 0, config(8, 500), true, SIZE_MAX, t0 + 500us);
  EXPECT_EQ(ready.kind, Kind::kBatch);
  EXPECT_EQ(ready.requests, (std::vector<RequestQueue::Item>{a, b}));
  // With no delay (Triton's default) a lone request never waits.
  EXPECT_EQ(choose_batch(queue, 0, config(8), true, SIZE_MAX, t0).kind, Kind::kBatch);
}

TEST_F(BatcherTest, APreferredSizeOrAFullBatchGoesAtOnce) {
  add(5, 2);
  add(5, 2);
  EXPECT_EQ(choose_batch(queue, 0, config(8, 1'000'000, {4}), true, SIZE_MAX, t0).kind, Kind::kBatch);
  EXPECT_EQ(choose_batch(queue, 0, config(4, 1'000'000), true, SIZE_MAX, t0).kind, Kind::kBatch);
  EXPECT_EQ(choose_batch(queue, 0, config(8, 1'000'000), true, SIZE_MAX, t0).kind, Kind::kWait);
}

TEST_F(BatcherTest, AHalfOpenReplicaGetsOnlyItsProbes) {
  auto a = add(5);
  add(5);
  add(5);
  auto choice = choose_batch(queue, 0, config(8, 1'000'000), true, /*max_requests=*/1, t0);
  EXPECT_EQ(choice.kind, Kind::kBatch);  // more wait than the probe may take: it goes at once
  EXPECT_EQ(choice.requests, (std::vector<RequestQueue::Item>{a}));
}

TEST_F(BatcherTest, ARequestLargerThanMaxBatchSizeRunsAsABatchOfItsOwn) {
  auto big = add(5, 40);
  add(5, 1);
  auto choice = choose_batch(queue, 0, config(8), true, SIZE_MAX, t0);
  EXPECT_EQ(choice.requests, (std::vector<RequestQueue::Item>{big}));
}

}  // namespace
}  // namespace maas::runtime
