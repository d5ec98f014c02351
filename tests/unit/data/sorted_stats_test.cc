#include "data/datasets/sorted_stats.h"

#include <gtest/gtest.h>

namespace maas::data {
namespace {

constexpr double kQuartiles[] = {0.0, 0.25, 0.5, 0.75, 1.0};

TEST(SortedStats, CountsRunsAndKeepsTheMostFrequentBySmallerValueOnTies) {
  SortedStats<int64_t> stats(9, kQuartiles, 2, std::nullopt);
  for (int64_t v : {1, 2, 2, 3, 3, 4, 5, 5, 5}) stats.add(v);
  stats.finish();
  EXPECT_EQ(stats.distinct(), 5);
  // 5 occurs three times; 2 and 3 twice each: the smaller value wins the tie.
  EXPECT_EQ(stats.top_values(), (std::vector<std::pair<int64_t, int64_t>>{{5, 3}, {2, 2}}));
}

TEST(SortedStats, QuantilesInterpolateLinearlyBetweenRanks) {
  SortedStats<double> stats(4, kQuartiles, 0, std::nullopt);
  for (double v : {10.0, 20.0, 30.0, 40.0}) stats.add(v);
  stats.finish();
  // Positions 0, 0.75, 1.5, 2.25, 3 over 10, 20, 30, 40.
  EXPECT_EQ(stats.quantile_values(), (std::vector<double>{10.0, 17.5, 25.0, 32.5, 40.0}));
  SortedStats<double> one(1, kQuartiles, 1, std::nullopt);
  one.add(7.0);
  one.finish();
  EXPECT_EQ(one.quantile_values(), (std::vector<double>{7, 7, 7, 7, 7}));
}

TEST(SortedStats, RunsGiveWhatOneValueAtATimeGives) {
  // Grouped counts (value, n) in ascending order: every quantile position, the histogram and the top values must be
  // those of the same values added one by one, including ranks that fall inside a run or on a run's last value.
  const std::vector<std::pair<double, int64_t>> runs = {{-3.5, 1}, {0.0, 7}, {1.0, 2}, {2.5, 13}, {9.0, 1}, {10.0, 4}};
  int64_t count = 0;
  for (const auto& [v, n] : runs) count += n;
  constexpr double kMany[] = {0.0, 0.01, 0.05, 0.25, 0.3, 0.5, 0.75, 0.95, 0.99, 1.0};
  SortedStats<double> one(count, kMany, 3, HistogramBins(-3.5, 10.0, 7));
  SortedStats<double> grouped(count, kMany, 3, HistogramBins(-3.5, 10.0, 7));
  for (const auto& [v, n] : runs) {
    for (int64_t i = 0; i < n; ++i) one.add(v);
    grouped.add_run(v, n);
  }
  one.finish();
  grouped.finish();
  EXPECT_EQ(grouped.distinct(), one.distinct());
  EXPECT_EQ(grouped.top_values(), one.top_values());
  EXPECT_EQ(grouped.quantile_values(), one.quantile_values());
  EXPECT_EQ(grouped.histogram_counts(), one.histogram_counts());
  SortedStats<int64_t> single(5, kMany, 1, std::nullopt);
  single.add_run(4, 5);
  single.finish();
  EXPECT_EQ(single.quantile_values(), std::vector<double>(std::size(kMany), 4.0));
  EXPECT_EQ(single.top_values(), (std::vector<std::pair<int64_t, int64_t>>{{4, 5}}));
}

TEST(SortedStats, HistogramBinsAreNumpys) {
  HistogramBins bins(0.0, 1.0, 10);
  EXPECT_EQ(bins.bin_of(0.0), 0);
  EXPECT_EQ(bins.bin_of(1.0), 9);    // the last bin is closed
  // numpy.histogram([0.3], bins=10, range=(0, 1)) counts it in bin 2: edge 3 is 3 * 0.1 = 0.30000000000000004.
  EXPECT_EQ(bins.bin_of(0.3), 2);
  EXPECT_EQ(bins.bin_of(1.0000001), -1);
  EXPECT_EQ(bins.bin_of(-0.1), -1);
  HistogramBins constant(5.0, 5.0, 20);
  EXPECT_DOUBLE_EQ(constant.edges().front(), 4.5);
  EXPECT_EQ(constant.bin_of(5.0), 10);
}

}  // namespace
}  // namespace maas::data
