#include "features/timeseries/stl.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace maas::features::timeseries {
namespace {

std::vector<double> seasonal_line(size_t n, size_t period) {
  std::vector<double> y(n);
  for (size_t i = 0; i < n; ++i) {
    y[i] = 0.2 * static_cast<double>(i) +
           std::sin(2 * M_PI * static_cast<double>(i % period) / static_cast<double>(period));
  }
  return y;
}

TEST(Stl, ComponentsAddUpToTheSeries) {
  StlOptions o;
  o.period = 12;
  const auto y = seasonal_line(60, 12);
  auto r = stl_decompose(y, o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  for (size_t i = 0; i < y.size(); ++i) {
    EXPECT_NEAR(r->trend[i] + r->seasonal[i] + r->resid[i], y[i], 1e-12);
    EXPECT_EQ(r->weights[i], 1.0);  // not robust
  }
  // A line plus a pure cycle: the trend follows the line, the seasonal part the cycle.
  EXPECT_NEAR(r->trend[30], 6.0, 0.05);
  EXPECT_NEAR(r->seasonal[27], 1.0, 0.05);
}

TEST(Stl, RobustFitGivesAnOutlierNoWeight) {
  StlOptions o;
  o.period = 12;
  o.robust = true;
  auto y = seasonal_line(72, 12);
  y[40] += 50;
  auto r = stl_decompose(y, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->weights[40], 0.0);
  EXPECT_TRUE(std::all_of(r->weights.begin(), r->weights.end(), [](double w) { return w >= 0 && w <= 1; }));
  EXPECT_GT(r->resid[40], 45);  // the outlier stays in the residual, not in the trend
}

TEST(Stl, RefusesWhatStatsmodelsRefuses) {
  const auto y = seasonal_line(60, 12);
  StlOptions o;
  o.period = 12;
  o.seasonal = 8;  // even
  EXPECT_NE(stl_decompose(y, o).status().message().find("seasonal must be an odd integer"), std::string::npos);
  o.seasonal = 7;
  o.trend = 11;  // not above the period
  EXPECT_NE(stl_decompose(y, o).status().message().find("trend must be"), std::string::npos);
  o.trend = 0;
  o.low_pass = 12;
  EXPECT_NE(stl_decompose(y, o).status().message().find("low_pass must be"), std::string::npos);
  o.low_pass = 0;
  EXPECT_FALSE(stl_decompose(std::vector<double>(y.begin(), y.begin() + 20), o).ok());
  auto missing = y;
  missing[3] = std::nan("");
  EXPECT_FALSE(stl_decompose(missing, o).ok());
}

}  // namespace
}  // namespace maas::features::timeseries
