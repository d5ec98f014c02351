// RequestQueue: priority order, shedding the newest of the lowest priority for a newcomer that outranks it, a
// retry first of its priority, and the sweep of requests whose caller gave up or whose deadline passed.
#include "runtime/request_queue.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

namespace maas::runtime {
namespace {
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct QueueTest : ::testing::Test {
  RequestQueue::Item request(int priority, Clock::time_point deadline = Clock::time_point::max()) {
    auto r = std::make_shared<QueuedRequest>(io.get_executor());
    r->priority = priority;
    r->deadline = deadline;
    return r;
  }
  std::vector<RequestQueue::Item> in_order(const RequestQueue& q) {
    std::vector<RequestQueue::Item> out;
    for (const auto& [priority, fifo] : q.levels()) out.insert(out.end(), fifo.begin(), fifo.end());
    return out;
  }
  boost::asio::io_context io;
};

TEST_F(QueueTest, KeepsPriorityOrderAndArrivalOrderWithinAPriority) {
  RequestQueue q(10);
  auto a = request(5), b = request(1), c = request(5);
  RequestQueue::Item shed;
  for (const auto& r : {a, b, c}) EXPECT_EQ(q.push(r, &shed), RequestQueue::Admission::kQueued);
  EXPECT_EQ(in_order(q), (std::vector<RequestQueue::Item>{b, a, c}));
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(shed, nullptr);
}

TEST_F(QueueTest, AFullQueueShedsTheNewestOfTheLowestPriorityForANewcomerThatOutranksIt) {
  RequestQueue q(3);
  auto low_old = request(9), low_new = request(9), mid = request(5), high = request(1);
  RequestQueue::Item shed;
  for (const auto& r : {low_old, low_new, mid}) q.push(r, &shed);
  EXPECT_EQ(q.push(high, &shed), RequestQueue::Admission::kQueued);
  EXPECT_EQ(shed, low_new);
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(in_order(q), (std::vector<RequestQueue::Item>{high, mid, low_old}));
}

TEST_F(QueueTest, AFullQueueRefusesANewcomerOfEqualOrLowerPriority) {
  RequestQueue q(2);
  RequestQueue::Item shed;
  q.push(request(5), &shed);
  q.push(request(5), &shed);
  EXPECT_EQ(q.push(request(5), &shed), RequestQueue::Admission::kFull);
  EXPECT_EQ(q.push(request(7), &shed), RequestQueue::Admission::kFull);
  EXPECT_EQ(shed, nullptr);
  EXPECT_EQ(q.size(), 2u);
}

TEST_F(QueueTest, ARetryGoesFirstOfItsPriorityEvenWhenTheQueueIsFull) {
  RequestQueue q(2);
  RequestQueue::Item shed;
  auto a = request(5), b = request(5), retry = request(5);
  q.push(a, &shed);
  q.push(b, &shed);
  q.push_front(retry);
  EXPECT_EQ(in_order(q), (std::vector<RequestQueue::Item>{retry, a, b}));
  EXPECT_EQ(q.size(), 3u);
}

TEST_F(QueueTest, TheSweepTakesAbandonedAndExpiredRequestsOnceTheEarliestDeadlinePassed) {
  RequestQueue q(10);
  auto t0 = Clock::now();
  RequestQueue::Item shed;
  auto soon = request(5, t0 + 10ms), later = request(5, t0 + 1h), gave_up = request(5, t0 + 2h);
  for (const auto& r : {soon, later, gave_up}) q.push(r, &shed);
  gave_up->abandoned = true;
  // Before the earliest deadline nothing is scanned, not even the abandoned request.
  EXPECT_TRUE(q.take_expired(t0).empty());
  auto expired = q.take_expired(t0 + 10ms);
  EXPECT_EQ(expired, (std::vector<RequestQueue::Item>{soon, gave_up}));
  EXPECT_EQ(in_order(q), (std::vector<RequestQueue::Item>{later}));
  EXPECT_TRUE(q.take_expired(t0 + 30min).empty());
  EXPECT_EQ(q.take_expired(t0 + 1h).size(), 1u);
  EXPECT_TRUE(q.empty());
}

TEST_F(QueueTest, RemoveAndTakeAllEmptyIt) {
  RequestQueue q(10);
  RequestQueue::Item shed;
  auto a = request(1), b = request(2), c = request(3);
  for (const auto& r : {a, b, c}) q.push(r, &shed);
  q.remove({b});
  EXPECT_EQ(in_order(q), (std::vector<RequestQueue::Item>{a, c}));
  EXPECT_EQ(q.take_all(), (std::vector<RequestQueue::Item>{a, c}));
  EXPECT_TRUE(q.empty());
}

TEST_F(QueueTest, ARequestKeepsItsFirstAnswerAndWakesItsCaller) {
  auto r = request(5);
  EXPECT_TRUE(r->complete(std::vector<Tensor>{}));
  EXPECT_FALSE(r->complete(unavailable("too late")));
  EXPECT_FALSE(r->done);
  io.run();  // the wake-up is posted to the caller's executor
  EXPECT_TRUE(r->done);
  ASSERT_TRUE(r->result.has_value());
  EXPECT_TRUE(r->result->ok());
}

TEST_F(QueueTest, AnAnswerCarriesTheTimingOfTheRunThatAnsweredIt) {
  auto r = request(5);
  auto t0 = Clock::now() - 1s;  // a run that ended a moment ago
  r->enqueued = t0;
  RequestTiming ran{{}, t0 + 2ms, t0 + 3ms, t0 + 10ms, {}};
  EXPECT_TRUE(r->complete(std::vector<Tensor>{}, &ran));
  RequestTiming later{{}, t0 + 50ms, t0 + 60ms, t0 + 70ms, {}};
  EXPECT_FALSE(r->complete(unavailable("too late"), &later));  // a second answer changes nothing
  const RequestTiming& t = r->timing;
  EXPECT_EQ(t.enqueued, t0);
  EXPECT_GE(t.answered, t0 + 1s);  // stamped as it was answered
  EXPECT_EQ(t.queue(), 2ms);
  EXPECT_EQ(t.compute(), 7ms);
  EXPECT_EQ(t.batch(), 1ms + (t.answered - (t0 + 10ms)));
  // A request that never ran (refused, expired in the queue) reports no parts.
  auto refused = request(5);
  refused->enqueued = t0;
  EXPECT_TRUE(refused->complete(unavailable("no worker")));
  EXPECT_FALSE(refused->timing.ran());
  EXPECT_EQ(refused->timing.queue() + refused->timing.batch() + refused->timing.compute(), Clock::duration::zero());
}

}  // namespace
}  // namespace maas::runtime
