#include "features/timeseries/rolling.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace maas::features::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> roll(const std::vector<double>& x, int64_t window, Statistic s, int64_t min_periods,
                         double q = 0.5) {
  RollingOptions o;
  o.statistic = s;
  o.min_periods = min_periods;
  o.quantile = q;
  return rolling(x, row_windows(x.size(), window), o);
}

void expect_values(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << "row " << i << " is " << got[i];
    } else {
      EXPECT_NEAR(got[i], want[i], 1e-12) << "row " << i;
    }
  }
}

TEST(Rolling, MeanNeedsMinPeriodsOfNonMissingValues) {
  expect_values(roll({1, 2, kNaN, 4, 5}, 3, Statistic::kMean, 3), {kNaN, kNaN, kNaN, kNaN, kNaN});
  expect_values(roll({1, 2, kNaN, 4, 5}, 3, Statistic::kMean, 2), {kNaN, 1.5, 1.5, 3, 4.5});
}

TEST(Rolling, RepeatedValueMeanIsExact) {
  // GH#42064: a window of one repeated value gives that value, not a rounding residue of the running sum.
  const std::vector<double> x = {1e10, 0.1, 0.1, 0.1};
  const auto got = roll(x, 3, Statistic::kMean, 3);
  EXPECT_EQ(got[3], 0.1);
  EXPECT_EQ(roll(x, 3, Statistic::kVar, 3)[3], 0.0);
}

TEST(Rolling, SumCountVarStd) {
  const std::vector<double> x = {1, 2, 4, kNaN, 8};
  expect_values(roll(x, 2, Statistic::kSum, 1), {1, 3, 6, 4, 8});
  expect_values(roll(x, 2, Statistic::kCount, 0), {1, 2, 2, 1, 1});
  expect_values(roll(x, 3, Statistic::kVar, 2), {kNaN, 0.5, 7.0 / 3, 2, 8});
  expect_values(roll(x, 3, Statistic::kStd, 2),
                {kNaN, std::sqrt(0.5), std::sqrt(7.0 / 3), std::sqrt(2.0), std::sqrt(8.0)});
}

TEST(Rolling, OrderStatisticsIgnoreMissingValues) {
  const std::vector<double> x = {5, 1, kNaN, 3, 9};
  expect_values(roll(x, 3, Statistic::kMin, 1), {5, 1, 1, 1, 3});
  expect_values(roll(x, 3, Statistic::kMax, 1), {5, 5, 5, 3, 9});
  expect_values(roll(x, 3, Statistic::kMedian, 1), {5, 3, 3, 2, 6});
  // Linear interpolation between order statistics, as numpy and pandas: 0.25 of {1, 3, 9} lies at index 0.5.
  expect_values(roll(x, 3, Statistic::kQuantile, 1, 0.25), {5, 2, 2, 1.5, 4.5});
  expect_values(roll(x, 3, Statistic::kQuantile, 1, 1.0), {5, 5, 5, 3, 9});
}

TEST(Rolling, TimeWindowsAreClosedOnTheRight) {
  // Times 0, 1, 2, 2, 5 with a window of 2: (t-2, t].
  const std::vector<int64_t> t = {0, 1, 2, 2, 5};
  const WindowBounds b = time_windows(t, 2);
  EXPECT_EQ(b.start, (std::vector<int64_t>{0, 0, 1, 1, 4}));
  // A row with the same time as a later one does not see the later one.
  EXPECT_EQ(b.end, (std::vector<int64_t>{1, 2, 3, 4, 5}));
}

TEST(Rolling, EmptyTimeWindowsAfterGapsRestart) {
  const std::vector<int64_t> t = {0, 100, 200};
  RollingOptions o;
  o.statistic = Statistic::kSum;
  expect_values(rolling(std::vector<double>{1, 2, 3}, time_windows(t, 10), o), {1, 2, 3});
}

}  // namespace
}  // namespace maas::features::timeseries
