#include "data/discovery/value_type.h"

#include <gtest/gtest.h>

namespace maas::data::discovery {
namespace {

ValueType type_of(std::string_view s) {
  DateFormat f = kNoFormat;
  return classify_value(s, &f);
}

std::string format_of(std::string_view s) {
  DateFormat f = kNoFormat;
  classify_value(s, &f);
  return std::string(date_format_string(f));
}

TEST(ValueType, RecognisesNumbersAndAddresses) {
  EXPECT_EQ(type_of("42"), ValueType::kInt);
  EXPECT_EQ(type_of("-7"), ValueType::kInt);
  EXPECT_EQ(type_of("1234567890123456789012"), ValueType::kId);  // too long for int64
  EXPECT_EQ(type_of("0.2477829"), ValueType::kFloat);
  EXPECT_EQ(type_of("1.5e-3"), ValueType::kFloat);
  EXPECT_EQ(type_of("0x7f3c"), ValueType::kHex);
  EXPECT_EQ(type_of("54fadb412c4e40cdbaed9335e4c35a9e"), ValueType::kHex);
  EXPECT_EQ(type_of("10.251.73.220"), ValueType::kIp);
  EXPECT_EQ(type_of("fe80::1"), ValueType::kIp);
  EXPECT_EQ(type_of("38101a0b-2096-447d-96ea-a692162415ae"), ValueType::kUuid);
  EXPECT_EQ(type_of("a4:5e:60:d7:13:8b"), ValueType::kMac);
  EXPECT_EQ(type_of("512MB"), ValueType::kQuantity);
  EXPECT_EQ(type_of("1.16 KB"), ValueType::kQuantity);
  EXPECT_EQ(type_of("45:12"), ValueType::kId);  // a duration, not a time of day
}

TEST(ValueType, RecognisesPathsUrlsAndEmails) {
  EXPECT_EQ(type_of("/var/log/app.log"), ValueType::kPath);
  EXPECT_EQ(type_of("C:\\Windows\\System32"), ValueType::kPath);
  EXPECT_EQ(type_of("hdfs://namenode:8020/user/x"), ValueType::kUrl);
  EXPECT_EQ(type_of("ops@example.com"), ValueType::kEmail);
  EXPECT_EQ(type_of("PacketResponder"), ValueType::kWord);
  EXPECT_EQ(type_of("/"), ValueType::kWord);
}

TEST(ValueType, RecognisesTimestampsWithTheirFormat) {
  EXPECT_EQ(format_of("2015-10-18T18:01:47.978Z"), "%Y-%m-%dT%H:%M:%S.%f%z");
  EXPECT_EQ(format_of("2015-10-18"), "%Y-%m-%d");
  EXPECT_EQ(format_of("18:01:47,978"), "%H:%M:%S,%f");
  EXPECT_EQ(format_of("17/06/09"), "%y/%m/%d");
  EXPECT_EQ(format_of("10/Oct/2000:13:55:36"), "%d/%b/%Y:%H:%M:%S");
  EXPECT_EQ(format_of("2005-06-03-15.42.50.675872"), "%Y-%m-%d-%H.%M.%S.%f");
  EXPECT_EQ(format_of("20171223-22:15:29:606"), "%Y%m%d-%H:%M:%S:%f");
  EXPECT_EQ(format_of("Aug"), "%b");
  EXPECT_EQ(format_of("Sat"), "%a");
  // Out of range fields are not times.
  EXPECT_EQ(type_of("2015-13-18"), ValueType::kWord);
  EXPECT_EQ(type_of("99:99"), ValueType::kId);
}

TEST(ValueType, ParsesAsDateChecksShapeAndRanges) {
  DateFormat f = date_format_id("%Y-%m-%d %H:%M:%S");
  ASSERT_NE(f, kNoFormat);
  EXPECT_TRUE(parses_as_date("2024-02-29 23:59:60", f));
  EXPECT_FALSE(parses_as_date("2024-02-29 24:00:00", f));
  EXPECT_FALSE(parses_as_date("2024-02-29", f));
  EXPECT_EQ(date_format_string(kMixedFormat), "");
}

TEST(ValueType, UnwrapSeparatesPunctuation) {
  Wrapped w = unwrap("(1.16");
  EXPECT_EQ(w.prefix, "(");
  EXPECT_EQ(w.core, "1.16");
  w = unwrap("[10.0.0.1]:");
  EXPECT_EQ(w.core, "10.0.0.1");
  EXPECT_EQ(w.suffix, "]:");
}

}  // namespace
}  // namespace maas::data::discovery
