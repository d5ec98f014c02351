#include "data/rules/cast.h"

#include <gtest/gtest.h>

namespace maas::data::rules {
namespace {

nlohmann::json cast_ok(std::string_view text, CastType type, std::string_view format = "") {
  auto v = cast_value(text, type, format);
  EXPECT_TRUE(v.ok()) << text << ": " << v.status().message();
  return v.ok() ? *v : nlohmann::json();
}

TEST(Cast, IntsFitInt64OrAreRefused) {
  EXPECT_EQ(cast_ok("42", CastType::kInt), 42);
  EXPECT_EQ(cast_ok("+7", CastType::kInt), 7);
  EXPECT_EQ(cast_ok("-9223372036854775808", CastType::kInt), INT64_MIN);
  EXPECT_FALSE(cast_value("9223372036854775808", CastType::kInt, "").ok());
  EXPECT_FALSE(cast_value("4.2", CastType::kInt, "").ok());
  EXPECT_FALSE(cast_value("12abc", CastType::kInt, "").ok());
  EXPECT_NE(cast_value("abc", CastType::kInt, "").status().message().find("'abc' is not an int"), std::string::npos);
}

TEST(Cast, FloatsAndBools) {
  EXPECT_DOUBLE_EQ(cast_ok("1.5e3", CastType::kFloat).get<double>(), 1500.0);
  EXPECT_DOUBLE_EQ(cast_ok("-.25", CastType::kFloat).get<double>(), -0.25);
  EXPECT_FALSE(cast_value("inf", CastType::kFloat, "").ok());
  EXPECT_FALSE(cast_value("1,5", CastType::kFloat, "").ok());
  EXPECT_EQ(cast_ok("YES", CastType::kBool), true);
  EXPECT_EQ(cast_ok("0", CastType::kBool), false);
  EXPECT_FALSE(cast_value("maybe", CastType::kBool, "").ok());
}

TEST(Cast, TimestampsWithFormats) {
  EXPECT_EQ(cast_ok("10/Oct/2000:13:55:36 -0700", CastType::kTimestamp, "%d/%b/%Y:%H:%M:%S %z"),
            "2000-10-10 20:55:36.000000");
  EXPECT_EQ(cast_ok("Jun  3 07:05:09", CastType::kTimestamp, "%b %d %H:%M:%S"), "1900-06-03 07:05:09.000000");
  EXPECT_EQ(cast_ok("2026-12-07 10:59:58,123", CastType::kTimestamp, "%Y-%m-%d %H:%M:%S,%f"),
            "2026-12-07 10:59:58.123000");
  EXPECT_EQ(cast_ok("1700000000", CastType::kTimestamp, "%s"), "2023-11-14 22:13:20.000000");
  EXPECT_EQ(cast_ok("03/07/24 01:02:03 PM", CastType::kTimestamp, "%m/%d/%y %I:%M:%S %p"),
            "2024-03-07 13:02:03.000000");
  EXPECT_FALSE(cast_value("2026-02-30", CastType::kTimestamp, "%Y-%m-%d").ok());
  EXPECT_FALSE(cast_value("2026-01-01x", CastType::kTimestamp, "%Y-%m-%d").ok());
}

TEST(Cast, TimestampsWithoutAFormatAreIso8601) {
  EXPECT_EQ(cast_ok("2026-12-07T10:59:58.5Z", CastType::kTimestamp), "2026-12-07 10:59:58.500000");
  EXPECT_EQ(cast_ok("2026-12-07T10:59:58+01:00", CastType::kTimestamp), "2026-12-07 09:59:58.000000");
  EXPECT_EQ(cast_ok("2026-12-07", CastType::kTimestamp), "2026-12-07 00:00:00.000000");
  EXPECT_FALSE(cast_value("07/12/2026", CastType::kTimestamp, "").ok());
}

TEST(Cast, FormatsAreCheckedAndTypeNamesRead) {
  EXPECT_TRUE(check_timestamp_format("%Y-%m-%dT%H:%M:%S.%f%z").ok());
  EXPECT_FALSE(check_timestamp_format("%Q").ok());
  EXPECT_FALSE(check_timestamp_format("%Y %").ok());
  EXPECT_EQ(*cast_type_from_name("int64"), CastType::kInt);
  EXPECT_EQ(*cast_type_from_name("float64"), CastType::kFloat);
  EXPECT_FALSE(cast_type_from_name("decimal").ok());
}

}  // namespace
}  // namespace maas::data::rules
