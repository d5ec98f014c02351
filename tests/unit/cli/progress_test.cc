#include "cli/progress.h"

#include <gtest/gtest.h>

#include <cmath>

namespace maas::cli {
namespace {

TEST(FormatDuration, ScalesFromTenthsToHours) {
  EXPECT_EQ(format_duration(0.04), "0.0s");
  EXPECT_EQ(format_duration(1.25), "1.2s");
  EXPECT_EQ(format_duration(42), "42s");
  EXPECT_EQ(format_duration(75), "1m15s");
  EXPECT_EQ(format_duration(3725), "1h02m");
  EXPECT_EQ(format_duration(-1), "?");
  EXPECT_EQ(format_duration(INFINITY), "?");
}

TEST(FormatRate, UsesBinaryUnitsPerSecond) {
  EXPECT_EQ(format_rate(512), "512 B/s");
  EXPECT_EQ(format_rate(25.0 * 1024 * 1024), "25.0 MiB/s");
}

TEST(FormatProgressLine, ShowsBarPercentBytesRateAndEta) {
  // 10 MiB of 40 MiB in 2 s: 5 MiB/s, 30 MiB left, so 6 s to go.
  EXPECT_EQ(format_progress_line(10ull << 20, 40ull << 20, 2.0),
            "[######..................]  25%  10.0 MiB / 40.0 MiB  5.0 MiB/s  ETA 6.0s");
}

TEST(FormatProgressLine, HasNoRateOrEtaBeforeTimeHasPassed) {
  EXPECT_EQ(format_progress_line(0, 1000, 0.0), "[........................]   0%  0 B / 1000 B  -- B/s  ETA --");
}

TEST(FormatProgressLine, WithoutATotalShowsBytesAndRate) {
  EXPECT_EQ(format_progress_line(3ull << 20, std::nullopt, 1.0), "3.0 MiB  3.0 MiB/s");
}

TEST(FormatProgressLine, NeverOverflowsTheBar) {
  EXPECT_EQ(format_progress_line(200, 100, 1.0).substr(0, 31), "[########################] 100%");
  EXPECT_EQ(format_progress_line(0, 0, 1.0).substr(0, 31), "[########################] 100%");
}

TEST(FormatTransferSummary, GivesSizeTimeAndThroughput) {
  EXPECT_EQ(format_transfer_summary("uploaded", 30ull << 20, 1.5), "uploaded 30.0 MiB in 1.5s (20.0 MiB/s)");
  EXPECT_EQ(format_transfer_summary("downloaded", 10, 0.0), "downloaded 10 B in 0.0s (-- B/s)");
}

}  // namespace
}  // namespace maas::cli
