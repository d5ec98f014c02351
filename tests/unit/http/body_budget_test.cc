#include "http/body_budget.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace maas::http {
namespace {

TEST(BodyBudget, RefusesWhatWouldGoOverAndTakesNothingThen) {
  BodyBudget budget(100);
  EXPECT_TRUE(budget.try_take(60));
  EXPECT_FALSE(budget.try_take(41));
  EXPECT_EQ(budget.in_use(), 60u);
  EXPECT_TRUE(budget.try_take(40));
  EXPECT_FALSE(budget.try_take(1));
  budget.give_back(100);
  EXPECT_FALSE(budget.try_take(101));
  EXPECT_FALSE(budget.try_take(UINT64_MAX));
  EXPECT_EQ(budget.in_use(), 0u);
}

TEST(BodyBudget, ZeroCapacityCountsButNeverRefuses) {
  BodyBudget budget(0);
  EXPECT_TRUE(budget.try_take(1ull << 40));
  EXPECT_EQ(budget.in_use(), 1ull << 40);
}

TEST(BodyReservation, GrowsAndGivesEverythingBackWhenTheRequestEnds) {
  BodyBudget budget(100);
  {
    BodyReservation declared(budget);
    EXPECT_TRUE(declared.grow_to(70));
    BodyReservation chunked(budget);
    EXPECT_TRUE(chunked.grow_to(10));
    EXPECT_TRUE(chunked.grow_to(30));
    EXPECT_TRUE(chunked.grow_to(20));  // never shrinks
    EXPECT_EQ(chunked.held(), 30u);
    EXPECT_FALSE(chunked.grow_to(31));  // refused: it keeps what it held
    EXPECT_EQ(chunked.held(), 30u);
    EXPECT_EQ(budget.in_use(), 100u);
  }
  EXPECT_EQ(budget.in_use(), 0u);
}

TEST(BodyBudget, NeverGoesOverUnderConcurrentTakers) {
  BodyBudget budget(1000);
  std::vector<std::thread> threads;
  std::atomic<int> taken{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        if (budget.try_take(7)) {
          taken.fetch_add(1);
          EXPECT_LE(budget.in_use(), 1000u);
          budget.give_back(7);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(budget.in_use(), 0u);
  EXPECT_GT(taken.load(), 0);
}

}  // namespace
}  // namespace maas::http
