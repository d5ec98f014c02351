#include <gtest/gtest.h>

#include "runtime/load_signal.h"

namespace maas::runtime {
namespace {

using std::chrono::milliseconds;

TEST(TimeIntegral, GivesTheExactAverageBetweenTwoReadingsHoweverShortTheChanges) {
  auto t0 = TimeIntegral::Clock::time_point() + std::chrono::hours(1);
  TimeIntegral level(t0);
  // Two requests overlapping for 1 ms, then one alone for 2 ms, then none: 5 request·ms over 10 ms.
  level.add(1, t0);
  level.add(1, t0 + milliseconds(1));
  level.add(-1, t0 + milliseconds(2));
  level.add(-1, t0 + milliseconds(4));
  EXPECT_EQ(level.level(), 0);
  EXPECT_NEAR(level.area_at(t0 + milliseconds(10)) / 0.010, 0.5, 1e-9);
  // A reading mid-request counts the part so far.
  level.set(3, t0 + milliseconds(10));
  EXPECT_NEAR(level.area_at(t0 + milliseconds(12)) - level.area_at(t0 + milliseconds(10)), 0.006, 1e-12);
}

}  // namespace
}  // namespace maas::runtime
