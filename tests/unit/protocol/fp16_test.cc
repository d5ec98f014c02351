#include "protocol/fp16.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>

namespace maas::protocol {
namespace {

TEST(Fp16, ConvertsExactlyRepresentableValues) {
  EXPECT_EQ(fp16_from_double(0.0), 0x0000);
  EXPECT_EQ(fp16_from_double(-0.0), 0x8000);
  EXPECT_EQ(fp16_from_double(1.0), 0x3c00);
  EXPECT_EQ(fp16_from_double(-2.0), 0xc000);
  EXPECT_EQ(fp16_from_double(65504.0), 0x7bff);
  EXPECT_EQ(fp16_from_double(std::ldexp(1.0, -14)), 0x0400);  // smallest normal
  EXPECT_EQ(fp16_from_double(std::ldexp(1.0, -24)), 0x0001);  // smallest subnormal
}

TEST(Fp16, RoundsToNearestTiesToEven) {
  // Halfway between 1 and the next half (1 + 2^-10): the even one, 1.
  EXPECT_EQ(fp16_from_double(1.0 + std::ldexp(1.0, -11)), 0x3c00);
  // Halfway between 1 + 2^-10 and 1 + 2^-9: the even one, 1 + 2^-9.
  EXPECT_EQ(fp16_from_double(1.0 + 3 * std::ldexp(1.0, -11)), 0x3c02);
  // Just past halfway rounds up.
  EXPECT_EQ(fp16_from_double(1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40)), 0x3c01);
  // Subnormals: half of the smallest goes to zero (even), three halves to two units (even).
  EXPECT_EQ(fp16_from_double(std::ldexp(1.0, -25)), 0x0000);
  EXPECT_EQ(fp16_from_double(3 * std::ldexp(1.0, -25)), 0x0002);
  EXPECT_EQ(fp16_from_double(-std::ldexp(1.0, -26)), 0x8000);
  // The largest subnormal plus half a unit carries into the smallest normal.
  EXPECT_EQ(fp16_from_double(std::ldexp(1023.5, -24)), 0x0400);
  // 65519 rounds down to the largest finite half; 65520, halfway to 2^16, rounds to infinity.
  EXPECT_EQ(fp16_from_double(65519.0), 0x7bff);
  EXPECT_EQ(fp16_from_double(65520.0), 0x7c00);
  EXPECT_EQ(fp16_from_double(-1e300), 0xfc00);
  EXPECT_EQ(fp16_from_double(1e-300), 0x0000);
}

TEST(Fp16, ConvertsInfinityAndNan) {
  EXPECT_EQ(fp16_from_double(std::numeric_limits<double>::infinity()), 0x7c00);
  EXPECT_EQ(fp16_from_double(-std::numeric_limits<double>::infinity()), 0xfc00);
  EXPECT_EQ(fp16_from_double(std::numeric_limits<double>::quiet_NaN()) & 0x7e00, 0x7e00);
  EXPECT_TRUE(std::isinf(fp16_to_float(0x7c00)));
  EXPECT_TRUE(std::isnan(fp16_to_float(0x7e01)));
  EXPECT_FALSE(fp16_is_finite(0x7c00));
  EXPECT_TRUE(fp16_is_finite(0x7bff));
}

TEST(Fp16, EveryFiniteHalfSurvivesFloatAndBack) {
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const auto half = static_cast<uint16_t>(bits);
    if (!fp16_is_finite(half)) continue;
    ASSERT_EQ(fp16_from_double(fp16_to_float(half)), half) << "half 0x" << std::hex << bits;
  }
  EXPECT_EQ(fp16_to_float(0x0001), std::ldexp(1.0f, -24));
  EXPECT_EQ(fp16_to_float(0x3555), 0.333251953125f);
  EXPECT_TRUE(std::signbit(fp16_to_float(0x8000)));
}

}  // namespace
}  // namespace maas::protocol
