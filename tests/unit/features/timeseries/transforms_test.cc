#include "features/timeseries/transforms.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace maas::features::timeseries {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(Transforms, LagAndDiffShiftBothWays) {
  const std::vector<double> x = {1, 2, 4, 8};
  auto l = lag(x, 1);
  EXPECT_TRUE(std::isnan(l[0]));
  EXPECT_EQ(l[3], 4);
  auto lead = lag(x, -2);
  EXPECT_EQ(lead[0], 4);
  EXPECT_TRUE(std::isnan(lead[2]));
  auto d = diff(x, 2);
  EXPECT_TRUE(std::isnan(d[1]));
  EXPECT_EQ(d[2], 3);
  EXPECT_EQ(d[3], 6);
  EXPECT_TRUE(std::isnan(lag(x, 10)[3]));
}

TEST(Transforms, CenterOfMassFromEachParameter) {
  EwmOptions o;
  o.span = 3;
  EXPECT_DOUBLE_EQ(*center_of_mass(o), 1.0);
  o = EwmOptions{};
  o.alpha = 0.5;
  EXPECT_DOUBLE_EQ(*center_of_mass(o), 1.0);
  o = EwmOptions{};
  o.halflife = 1;
  EXPECT_DOUBLE_EQ(*center_of_mass(o), 1.0);
  o.com = 2;
  EXPECT_FALSE(center_of_mass(o).ok());  // two given
  EXPECT_FALSE(center_of_mass(EwmOptions{}).ok());
  o = EwmOptions{};
  o.alpha = 1.5;
  EXPECT_FALSE(center_of_mass(o).ok());
}

TEST(Transforms, EwmMeanAdjustedWeights) {
  // alpha 0.5, adjust: y1 = (0.5*1 + 1*3) / 1.5.
  EwmOptions o;
  auto m = ewm_mean(std::vector<double>{1, 3}, 1.0, o);
  EXPECT_DOUBLE_EQ(m[0], 1);
  EXPECT_DOUBLE_EQ(m[1], 3.5 / 1.5);
  o.adjust = false;
  m = ewm_mean(std::vector<double>{1, 3}, 1.0, o);
  EXPECT_DOUBLE_EQ(m[1], 2);
}

TEST(Transforms, EwmMissingValuesDecayUnlessIgnored) {
  EwmOptions o;
  const std::vector<double> x = {1, kNaN, 3};
  // ignore_na=false: the weight of 1 decays twice: (0.25*1 + 3) / 1.25.
  EXPECT_DOUBLE_EQ(ewm_mean(x, 1.0, o)[2], 3.25 / 1.25);
  o.ignore_na = true;
  EXPECT_DOUBLE_EQ(ewm_mean(x, 1.0, o)[2], 3.5 / 1.5);
  EXPECT_DOUBLE_EQ(ewm_mean(x, 1.0, o)[1], 1);
}

TEST(Transforms, EwmStdOfTwoValues) {
  // Two observations with weights 0.5 and 1: unbiased weighted std.
  EwmOptions o;
  auto s = ewm_std(std::vector<double>{1, 3}, 1.0, o);
  EXPECT_TRUE(std::isnan(s[0]));
  const double mean = 3.5 / 1.5;
  const double biased = (0.5 * (1 - mean) * (1 - mean) + 1 * (3 - mean) * (3 - mean)) / 1.5;
  const double factor = (1.5 * 1.5) / (1.5 * 1.5 - 1.25);
  EXPECT_NEAR(s[1], std::sqrt(biased * factor), 1e-12);
}

}  // namespace
}  // namespace maas::features::timeseries
