#include "supervisor/backoff.h"

#include <gtest/gtest.h>

namespace maas::supervisor {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesFrom250MillisecondsUpTo30Seconds) {
  Backoff b;
  EXPECT_EQ(b.delay(1), milliseconds(250));
  EXPECT_EQ(b.delay(2), milliseconds(500));
  EXPECT_EQ(b.delay(3), milliseconds(1000));
  EXPECT_EQ(b.delay(7), milliseconds(16'000));
  EXPECT_EQ(b.delay(8), milliseconds(30'000));
  EXPECT_EQ(b.delay(9), milliseconds(30'000));
}

TEST(Backoff, MatchesTheFormulaTheRunnersUsedBefore) {
  Backoff b;
  for (uint64_t restarts = 1; restarts <= 40; ++restarts) {
    auto old = milliseconds(std::min<int64_t>(30'000, 250LL << std::min<uint64_t>(restarts - 1, 7)));
    EXPECT_EQ(b.delay(restarts), old) << restarts;
  }
}

TEST(Backoff, NoFailureNoWaitAndHugeCountsStayAtTheCap) {
  Backoff b;
  EXPECT_EQ(b.delay(0), milliseconds(0));
  EXPECT_EQ(b.delay(UINT64_MAX), milliseconds(30'000));
  Backoff custom(milliseconds(10), milliseconds(35));
  EXPECT_EQ(custom.delay(1), milliseconds(10));
  EXPECT_EQ(custom.delay(2), milliseconds(20));
  EXPECT_EQ(custom.delay(3), milliseconds(35));
}

TEST(RestartPolicy, CountsAttemptsWithTheFirstIncluded) {
  RestartPolicy forever;
  EXPECT_TRUE(forever.may_retry(1'000'000));
  RestartPolicy twice{Backoff(), 2};
  EXPECT_TRUE(twice.may_retry(1));
  EXPECT_FALSE(twice.may_retry(2));
}

}  // namespace
}  // namespace maas::supervisor
