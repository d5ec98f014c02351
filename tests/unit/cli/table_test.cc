#include "cli/table.h"

#include <gtest/gtest.h>

namespace maas::cli {
namespace {

TEST(Table, AlignsColumnsWithoutTrailingBlanks) {
  Table table({"NAME", "VERSIONS", "LATEST"});
  table.add_row({"iris", "2", "3"});
  table.add_row({"breast-cancer", "10", "-"});
  EXPECT_EQ(table.render(),
            "NAME           VERSIONS  LATEST\n"
            "iris           2         3\n"
            "breast-cancer  10        -\n");
}

TEST(Table, PadsShortRowsAndDropsExtraCells) {
  Table table({"A", "B"});
  table.add_row({"1"});
  table.add_row({"1", "2", "3"});
  EXPECT_EQ(table.render(), "A  B\n1\n1  2\n");
}

TEST(Table, WithNoRowsRendersTheHeader) { EXPECT_EQ(Table({"NAME", "UPDATED"}).render(), "NAME  UPDATED\n"); }

TEST(Table, CountsCodePointsNotBytes) {
  Table table({"NAME", "X"});
  table.add_row({"caf\xC3\xA9", "1"});  // "café": 5 bytes, 4 columns
  table.add_row({"abcd", "2"});
  EXPECT_EQ(table.render(), "NAME  X\ncaf\xC3\xA9  1\nabcd  2\n");
}

TEST(RenderFields, AlignsValuesAndIndentsContinuationLines) {
  EXPECT_EQ(render_fields({{"NAME", "iris"}, {"INPUTS", "a FP32 [-1]\nb INT64 [1]"}}),
            "NAME:    iris\n"
            "INPUTS:  a FP32 [-1]\n"
            "         b INT64 [1]\n");
}

TEST(DisplayWidth, CountsUtf8CodePoints) {
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("\xE6\x97\xA5\xE6\x9C\xAC"), 2u);
}

TEST(FormatSize, UsesBinaryUnitsWithOneDecimal) {
  EXPECT_EQ(format_size(0), "0 B");
  EXPECT_EQ(format_size(1023), "1023 B");
  EXPECT_EQ(format_size(1024), "1.0 KiB");
  EXPECT_EQ(format_size(1536), "1.5 KiB");
  EXPECT_EQ(format_size(123456), "120.6 KiB");
  EXPECT_EQ(format_size(1048575), "1.0 MiB");  // not "1024.0 KiB"
  EXPECT_EQ(format_size(5ull << 30), "5.0 GiB");
  EXPECT_EQ(format_size(UINT64_MAX), "16.0 EiB");
}

TEST(ShortDigest, KeepsTwelveHexDigits) {
  EXPECT_EQ(short_digest("sha256:9f2c4e0a1b2c3d4e5f60718293a4b5c6"), "9f2c4e0a1b2c");
  EXPECT_EQ(short_digest("abc"), "abc");
}

TEST(FormatTimestamp, DropsMillisecondsOfTheApiFormatOnly) {
  EXPECT_EQ(format_timestamp("2026-11-25T01:02:03.456Z"), "2026-11-25 01:02:03Z");
  EXPECT_EQ(format_timestamp("2026-11-25T01:02:03Z"), "2026-11-25 01:02:03Z");
  EXPECT_EQ(format_timestamp("yesterday"), "yesterday");
}

}  // namespace
}  // namespace maas::cli
