#include "protocol/json_number.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <random>

#include "protocol/fp16.h"

namespace maas::protocol {
namespace {

template <typename T>
NumberError parse_as(std::string_view token, T expected_if_ok = T{}) {
  T value{};
  NumberError error = parse_json_number(token, value);
  if (error == NumberError::kNone) {
    EXPECT_EQ(value, expected_if_ok) << token;
  }
  return error;
}

TEST(JsonNumber, ParsesIntegersWithinEachTypesRange) {
  EXPECT_EQ(parse_as<int8_t>("127", 127), NumberError::kNone);
  EXPECT_EQ(parse_as<int8_t>("-128", -128), NumberError::kNone);
  EXPECT_EQ(parse_as<int8_t>("128"), NumberError::kOutOfRange);
  EXPECT_EQ(parse_as<int8_t>("-129"), NumberError::kOutOfRange);
  EXPECT_EQ(parse_as<uint8_t>("255", 255), NumberError::kNone);
  EXPECT_EQ(parse_as<uint8_t>("256"), NumberError::kOutOfRange);
  EXPECT_EQ(parse_as<uint8_t>("-1"), NumberError::kOutOfRange);
  EXPECT_EQ(parse_as<uint16_t>("-0", 0), NumberError::kNone);
  EXPECT_EQ(parse_as<int16_t>("-32768", -32768), NumberError::kNone);
  EXPECT_EQ(parse_as<uint32_t>("4294967295", 4294967295u), NumberError::kNone);
  EXPECT_EQ(parse_as<int64_t>("-9223372036854775808", std::numeric_limits<int64_t>::min()), NumberError::kNone);
  EXPECT_EQ(parse_as<int64_t>("9223372036854775807", std::numeric_limits<int64_t>::max()), NumberError::kNone);
  EXPECT_EQ(parse_as<int64_t>("9223372036854775808"), NumberError::kOutOfRange);
  EXPECT_EQ(parse_as<uint64_t>("18446744073709551615", std::numeric_limits<uint64_t>::max()), NumberError::kNone);
  EXPECT_EQ(parse_as<uint64_t>("18446744073709551616"), NumberError::kOutOfRange);
}

TEST(JsonNumber, IntegersRefuseFractionsAndExponents) {
  EXPECT_EQ(parse_as<int32_t>("1.0"), NumberError::kNotInteger);
  EXPECT_EQ(parse_as<int32_t>("1e3"), NumberError::kNotInteger);
  EXPECT_EQ(parse_as<uint64_t>("2.5"), NumberError::kNotInteger);
}

TEST(JsonNumber, RefusesWhatIsNotAJsonNumber) {
  for (std::string_view token : {"", "-", "01", "1.", ".5", "+1", "1e", "1e+", "NaN", "nan", "-nan", "Infinity", "inf",
                                 "-inf", "0x10", "\"1\"", "true", "null", "1 2"}) {
    EXPECT_EQ(parse_as<int32_t>(token), NumberError::kMalformed) << token;
    EXPECT_EQ(parse_as<double>(token), NumberError::kMalformed) << token;
  }
}

TEST(JsonNumber, ParsesFloatsCorrectlyRounded) {
  EXPECT_EQ(parse_as<float>("0.1", 0.1f), NumberError::kNone);
  EXPECT_EQ(parse_as<float>("1e-45", std::numeric_limits<float>::denorm_min()), NumberError::kNone);
  EXPECT_EQ(parse_as<float>("3.4028235e+38", std::numeric_limits<float>::max()), NumberError::kNone);
  EXPECT_EQ(parse_as<float>("3.4028235E38", std::numeric_limits<float>::max()), NumberError::kNone);
  EXPECT_EQ(parse_as<float>("7", 7.0f), NumberError::kNone);
  // 16777217 is halfway between two floats: ties to even.
  EXPECT_EQ(parse_as<float>("16777217", 16777216.0f), NumberError::kNone);
  EXPECT_EQ(parse_as<double>("0.1", 0.1), NumberError::kNone);
  EXPECT_EQ(parse_as<double>("4.9e-324", std::numeric_limits<double>::denorm_min()), NumberError::kNone);
  float negative_zero = 1;
  EXPECT_EQ(parse_json_number("-0.0", negative_zero), NumberError::kNone);
  EXPECT_TRUE(std::signbit(negative_zero));
}

TEST(JsonNumber, FloatsOverflowAsErrorsAndUnderflowToZero) {
  EXPECT_EQ(parse_as<float>("3.5e38"), NumberError::kOutOfRange);
  EXPECT_EQ(parse_as<float>("-1e39"), NumberError::kOutOfRange);
  EXPECT_EQ(parse_as<double>("1e309"), NumberError::kOutOfRange);
  EXPECT_EQ(parse_as<double>("123456789e301"), NumberError::kOutOfRange);
  EXPECT_EQ(parse_as<float>("1e-50", 0.0f), NumberError::kNone);
  EXPECT_EQ(parse_as<double>("0.0000001e-330", 0.0), NumberError::kNone);
  float negative = 1;
  EXPECT_EQ(parse_json_number("-1e-50", negative), NumberError::kNone);
  EXPECT_TRUE(std::signbit(negative));
}

TEST(JsonNumber, ParsesFp16RoundingToNearestEven) {
  uint16_t half = 0;
  EXPECT_EQ(parse_json_fp16("1.00048828125", half), NumberError::kNone);  // 1 + 2^-11: tie, to even
  EXPECT_EQ(half, 0x3c00);
  EXPECT_EQ(parse_json_fp16("1.00146484375", half), NumberError::kNone);  // 1 + 3 * 2^-11: tie, to even
  EXPECT_EQ(half, 0x3c02);
  EXPECT_EQ(parse_json_fp16("0.1", half), NumberError::kNone);
  EXPECT_EQ(half, 0x2e66);
  EXPECT_EQ(parse_json_fp16("65504", half), NumberError::kNone);
  EXPECT_EQ(half, 0x7bff);
  EXPECT_EQ(parse_json_fp16("65520", half), NumberError::kOutOfRange);
  EXPECT_EQ(parse_json_fp16("1e5", half), NumberError::kOutOfRange);
  EXPECT_EQ(parse_json_fp16("1.", half), NumberError::kMalformed);
}

template <typename T>
std::string text_of(T value) {
  std::string out;
  EXPECT_TRUE(append_json_number(out, value));
  return out;
}

TEST(JsonNumber, WritesTheShortestRoundTrippingText) {
  EXPECT_EQ(text_of(0.1f), "0.1");
  EXPECT_EQ(text_of(std::numeric_limits<float>::denorm_min()), "1e-45");
  EXPECT_EQ(text_of(-0.0f), "-0");
  EXPECT_EQ(text_of(std::numeric_limits<float>::max()), "3.4028235e+38");
  EXPECT_EQ(text_of(0.1), "0.1");
  EXPECT_EQ(text_of(1.0 / 3), "0.3333333333333333");
  std::string out;
  append_json_number(out, std::numeric_limits<int64_t>::min());
  out += ',';
  append_json_number(out, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(out, "-9223372036854775808,18446744073709551615");
}

TEST(JsonNumber, RefusesToWriteNonFiniteValues) {
  std::string out;
  EXPECT_FALSE(append_json_number(out, std::numeric_limits<float>::quiet_NaN()));
  EXPECT_FALSE(append_json_number(out, -std::numeric_limits<double>::infinity()));
  EXPECT_FALSE(append_json_fp16(out, 0x7c00));
  EXPECT_FALSE(append_json_fp16(out, 0x7e00));
  EXPECT_EQ(out, "");
}

TEST(JsonNumber, WritesTheShortestFp16Text) {
  auto text = [](uint16_t half) {
    std::string out;
    EXPECT_TRUE(append_json_fp16(out, half));
    return out;
  };
  EXPECT_EQ(text(0x2e66), "0.1");
  EXPECT_EQ(text(0x3c00), "1");
  EXPECT_EQ(text(0x7bff), "65504");
  EXPECT_EQ(text(0x0001), "6e-08");
  EXPECT_EQ(text(0x8000), "-0");
  EXPECT_EQ(text(0x3555), "0.3333");
}

TEST(JsonNumber, EveryFiniteFp16RoundTripsThroughText) {
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const auto half = static_cast<uint16_t>(bits);
    if (!fp16_is_finite(half)) continue;
    std::string text;
    ASSERT_TRUE(append_json_fp16(text, half));
    uint16_t parsed = 0;
    ASSERT_EQ(parse_json_fp16(text, parsed), NumberError::kNone) << text;
    ASSERT_EQ(parsed, half) << text;
  }
}

template <typename T, typename Bits>
void expect_random_values_round_trip(int samples) {
  std::mt19937_64 random(42);
  for (int i = 0; i < samples; ++i) {
    const auto value = std::bit_cast<T>(static_cast<Bits>(random()));
    std::string text;
    if (!append_json_number(text, value)) continue;  // NaN or infinity
    T parsed{};
    ASSERT_EQ(parse_json_number(text, parsed), NumberError::kNone) << text;
    ASSERT_EQ(std::bit_cast<Bits>(parsed), std::bit_cast<Bits>(value)) << text;
  }
}

TEST(JsonNumber, RandomFloatsAndDoublesRoundTripThroughText) {
  expect_random_values_round_trip<float, uint32_t>(200000);
  expect_random_values_round_trip<double, uint64_t>(200000);
}

}  // namespace
}  // namespace maas::protocol
