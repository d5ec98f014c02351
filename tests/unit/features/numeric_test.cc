#include "features/numeric.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace maas::features {
namespace {

TEST(PythonFloatRepr, WritesWhatPythonsReprWrites) {
  EXPECT_EQ(python_float_repr(1.0), "1.0");
  EXPECT_EQ(python_float_repr(-2.5), "-2.5");
  EXPECT_EQ(python_float_repr(0.1), "0.1");
  EXPECT_EQ(python_float_repr(0.0001), "0.0001");
  EXPECT_EQ(python_float_repr(0.00001), "1e-05");
  EXPECT_EQ(python_float_repr(1.5e-7), "1.5e-07");
  EXPECT_EQ(python_float_repr(1e15), "1000000000000000.0");
  EXPECT_EQ(python_float_repr(1e16), "1e+16");
  EXPECT_EQ(python_float_repr(123456.789), "123456.789");
  EXPECT_EQ(python_float_repr(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(python_float_repr(-0.0), "-0.0");
  EXPECT_EQ(python_float_repr(NAN), "nan");
  EXPECT_EQ(python_float_repr(-INFINITY), "-inf");
}

TEST(NumberName, IntegralColumnsNameWholeNumbersWithoutAFraction) {
  EXPECT_EQ(number_name(3, true), "3");
  EXPECT_EQ(number_name(-2, true), "-2");
  EXPECT_EQ(number_name(3, false), "3.0");
}

TEST(Percentile, EqualsNumpysLinearMethodBitForBit) {
  const std::vector<double> sorted{1, 2, 4, 8, 16};
  // np.percentile([1, 2, 4, 8, 16], [0, 10, 25, 33.3, 50, 90, 100])
  const std::vector<std::pair<double, double>> expected{{0, 1.0},  {10, 1.4},  {25, 2.0},  {33.3, 2.6639999999999997},
                                                        {50, 4.0}, {90, 12.8}, {100, 16.0}};
  for (const auto& [percent, value] : expected) EXPECT_EQ(percentile(sorted, percent), value) << percent;
  EXPECT_EQ(percentile(std::vector<double>{7}, 30), 7);
}

TEST(Median, IsTheMiddleOrTheMeanOfTheTwoMiddleValues) {
  EXPECT_EQ(median(std::vector<double>{1, 5, 9}), 5);
  EXPECT_EQ(median(std::vector<double>{1, 5, 9, 10}), 7);
}

TEST(NanSum, SkipsNanAndKeepsTheSmallTermsALargeOneWouldSwallow) {
  EXPECT_EQ(nan_sum(std::vector<double>{1, NAN, 2}), 3);
  EXPECT_EQ(nan_sum(std::vector<double>{1e16, 1, -1e16}), 1);
}

TEST(Linspace, EndsExactlyAtStop) {
  const std::vector<double> v = linspace(0.1, 0.7, 7);
  ASSERT_EQ(v.size(), 7u);
  EXPECT_EQ(v.front(), 0.1);
  EXPECT_EQ(v.back(), 0.7);
  EXPECT_EQ(v[3], 0.4);
}

}  // namespace
}  // namespace maas::features
