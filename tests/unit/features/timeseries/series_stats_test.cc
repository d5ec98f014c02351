#include "features/timeseries/series_stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "features/timeseries/calendar.h"

namespace maas::features::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(Autocorrelation, BiasedEstimator) {
  // x - mean = {-1.5, -0.5, 0.5, 1.5}: c0 = 5, c1 = 0.75 - 0.25 + 0.75 = 1.25 (both over n).
  const std::vector<double> x = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(autocorrelation(x, 1, false), 0.25);
  EXPECT_DOUBLE_EQ(autocorrelation(x, 0, false), 1.0);
  EXPECT_TRUE(std::isnan(autocorrelation(x, 4, false)));
}

TEST(Autocorrelation, MissingValuesGiveNaNUnlessDropped) {
  const std::vector<double> x = {1, kNaN, 2, 3, 4};
  EXPECT_TRUE(std::isnan(autocorrelation(x, 1, false)));
  EXPECT_DOUBLE_EQ(autocorrelation(x, 1, true), 0.25);
}

TEST(Dtw, ShiftedSeriesCostsLessThanEuclidean) {
  const std::vector<double> a = {0, 1, 2, 3, 2, 1, 0};
  const std::vector<double> b = {0, 0, 1, 2, 3, 2, 1};
  EXPECT_DOUBLE_EQ(dtw_distance(a, b, -1), 1.0);  // the last 0 of a matched to b's 1
  EXPECT_DOUBLE_EQ(dtw_distance(a, a, 0), 0.0);
  // A band of 0 forces the diagonal: the sum of |a_i - b_i|.
  double diagonal = 0;
  for (size_t i = 0; i < a.size(); ++i) diagonal += std::abs(a[i] - b[i]);
  EXPECT_DOUBLE_EQ(dtw_distance(a, b, 0), diagonal);
}

TEST(Dtw, NoPathOrMissingValuesGiveNaN) {
  EXPECT_TRUE(std::isnan(dtw_distance(std::vector<double>{1, 2, 3, 4}, std::vector<double>{1}, 2)));
  EXPECT_TRUE(std::isnan(dtw_distance(std::vector<double>{1, kNaN}, std::vector<double>{1, 2}, 1)));
  EXPECT_TRUE(std::isnan(dtw_distance(std::vector<double>{}, std::vector<double>{1}, -1)));
}

TEST(Calendar, FieldsOfKnownDates) {
  // 2024-03-02 13:45:00 UTC, a Saturday, day 62 of a leap year.
  const int64_t t = 1709387100LL * 1'000'000;
  EXPECT_EQ(calendar_value(t, CalendarField::kHour), 13);
  EXPECT_EQ(calendar_value(t, CalendarField::kWeekday), 5);
  EXPECT_EQ(calendar_value(t, CalendarField::kMonth), 3);
  EXPECT_EQ(calendar_value(t, CalendarField::kDayOfYear), 62);
  EXPECT_EQ(calendar_value(t, CalendarField::kIsWeekend), 1);
  EXPECT_NEAR(calendar_value(t, CalendarField::kMonthCos), std::cos(2 * M_PI * 2 / 12), 1e-15);
  // Before the epoch: 1969-12-31 23:00 UTC, a Wednesday.
  EXPECT_EQ(calendar_value(-3600LL * 1'000'000, CalendarField::kHour), 23);
  EXPECT_EQ(calendar_value(-3600LL * 1'000'000, CalendarField::kWeekday), 2);
  EXPECT_FALSE(calendar_field("minute_of_day").has_value());
}

}  // namespace
}  // namespace maas::features::timeseries
