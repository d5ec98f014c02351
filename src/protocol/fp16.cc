// Conversions between half precision and float/double by bit manipulation (no F16C dependency).
#include "protocol/fp16.h"

#include <bit>

namespace maas::protocol {
namespace {

constexpr uint16_t kHalfInfinity = 0x7c00;
constexpr uint16_t kHalfQuietNan = 0x7e00;
constexpr int kDoubleMantissaBits = 52;
constexpr int kHalfMantissaBits = 10;
constexpr int kHalfMaxExponent = 15;
constexpr int kHalfMinNormalExponent = -14;

// `significand >> shift`, rounded to nearest, ties to even. shift is in [1, 63].
uint64_t shift_right_rounding_to_even(uint64_t significand, int shift) {
  uint64_t kept = significand >> shift;
  uint64_t dropped = significand & ((uint64_t{1} << shift) - 1);
  uint64_t half_way = uint64_t{1} << (shift - 1);
  if (dropped > half_way || (dropped == half_way && (kept & 1))) ++kept;
  return kept;
}

}  // namespace

uint16_t fp16_from_double(double value) {
  const auto bits = std::bit_cast<uint64_t>(value);
  const auto sign = static_cast<uint16_t>((bits >> 48) & 0x8000);
  const int biased_exponent = static_cast<int>((bits >> kDoubleMantissaBits) & 0x7ff);
  const uint64_t mantissa = bits & ((uint64_t{1} << kDoubleMantissaBits) - 1);

  if (biased_exponent == 0x7ff) return sign | (mantissa ? kHalfQuietNan : kHalfInfinity);
  // Double subnormals (and zero) are far below half's smallest subnormal, 2^-24: they round to zero.
  if (biased_exponent == 0) return sign;

  const int exponent = biased_exponent - 1023;
  if (exponent > kHalfMaxExponent) return sign | kHalfInfinity;
  const uint64_t significand = mantissa | (uint64_t{1} << kDoubleMantissaBits);

  if (exponent >= kHalfMinNormalExponent) {
    // 11 significant bits, implicit one included; rounding up to 0x800 carries into the exponent, and from the
    // largest exponent on into infinity's pattern, which is what round-to-nearest wants.
    uint64_t kept = shift_right_rounding_to_even(significand, kDoubleMantissaBits - kHalfMantissaBits);
    return sign | static_cast<uint16_t>(((exponent - kHalfMinNormalExponent) << kHalfMantissaBits) + kept);
  }
  // Subnormal half: count units of 2^-24. Rounding up to 0x400 yields the smallest normal, again by carry.
  const int shift = (kDoubleMantissaBits - kHalfMantissaBits) + (kHalfMinNormalExponent - exponent);
  if (shift >= 64) return sign;
  return sign | static_cast<uint16_t>(shift_right_rounding_to_even(significand, shift));
}

float fp16_to_float(uint16_t half) {
  const uint32_t sign = static_cast<uint32_t>(half & 0x8000) << 16;
  const int exponent = (half >> kHalfMantissaBits) & 0x1f;
  uint32_t mantissa = half & 0x3ff;

  if (exponent == 0x1f) return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
  if (exponent == 0) {
    if (mantissa == 0) return std::bit_cast<float>(sign);
    // Subnormal half: every one is a normal float. Normalise the mantissa.
    int float_exponent = 127 - 14;
    while ((mantissa & 0x400) == 0) {
      mantissa <<= 1;
      --float_exponent;
    }
    mantissa &= 0x3ff;
    return std::bit_cast<float>(sign | (static_cast<uint32_t>(float_exponent) << 23) | (mantissa << 13));
  }
  return std::bit_cast<float>(sign | (static_cast<uint32_t>(exponent - 15 + 127) << 23) | (mantissa << 13));
}

}  // namespace maas::protocol
