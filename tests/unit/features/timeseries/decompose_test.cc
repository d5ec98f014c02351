#include "features/timeseries/decompose.h"

#include <gtest/gtest.h>

#include <cmath>

namespace maas::features::timeseries {
namespace {

std::vector<double> seasonal_series(size_t n) {
  std::vector<double> x(n);
  for (size_t i = 0; i < n; ++i) x[i] = 10 + 0.5 * static_cast<double>(i) + (i % 4 == 1 ? 3.0 : i % 4 == 3 ? -3.0 : 0);
  return x;
}

TEST(Decompose, EvenPeriodUsesTheTwoByMFilter) {
  DecomposeOptions o;
  o.period = 4;
  auto d = seasonal_decompose(seasonal_series(12), o);
  ASSERT_TRUE(d.ok()) << d.status().message();
  // A linear trend passes the 2x4 filter unchanged; the ends (period / 2 each) are NaN.
  EXPECT_TRUE(std::isnan(d->trend[1]));
  EXPECT_NEAR(d->trend[2], 11, 1e-12);
  EXPECT_TRUE(std::isnan(d->trend[10]));
  EXPECT_NEAR(d->seasonal[1], 3, 1e-12);
  EXPECT_NEAR(d->seasonal[3], -3, 1e-12);
  EXPECT_NEAR(d->resid[5], 0, 1e-12);
}

TEST(Decompose, ExtrapolatedTrendHasNoNaN) {
  DecomposeOptions o;
  o.period = 4;
  o.extrapolate_trend = 3;  // statsmodels' 'freq'
  auto d = seasonal_decompose(seasonal_series(12), o);
  ASSERT_TRUE(d.ok());
  EXPECT_NEAR(d->trend[0], 10, 1e-9);
  EXPECT_NEAR(d->trend[11], 15.5, 1e-9);
}

TEST(Decompose, RefusesWhatStatsmodelsRefuses) {
  DecomposeOptions o;
  o.period = 4;
  EXPECT_FALSE(seasonal_decompose(seasonal_series(7), o).ok());  // under two cycles
  auto x = seasonal_series(12);
  x[3] = std::nan("");
  EXPECT_FALSE(seasonal_decompose(x, o).ok());
  o.model = DecomposeModel::kMultiplicative;
  x = seasonal_series(12);
  x[0] = 0;
  auto refused = seasonal_decompose(x, o);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("multiplicative"), std::string::npos);
}

}  // namespace
}  // namespace maas::features::timeseries
